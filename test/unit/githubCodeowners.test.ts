/** CODEOWNERS as GitHub reads it, and ownership precedence: catalog-info.yaml over CODEOWNERS, said on the cards. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CatalogIndex } from '../../server/src/catalog/catalogIndex';
import { entityCard } from '../../server/src/language/cards';
import { chooseCodeowners, OWNER_SOURCE_ANNOTATION, ownerRef, repositoryOwner, withCodeowner } from '../../server/src/sources/codeowners';
import { storeRecord } from '../../server/src/sources/storeFormat';

const component = (spec: Record<string, unknown> = { type: 'service', lifecycle: 'production' }, kind = 'Component') => ({ apiVersion: 'backstage.io/v1alpha1', kind, metadata: { name: 'payments' }, spec });

describe('CODEOWNERS', () => {
  it('uses the first file found: .github/, then the root, then docs/', () => {
    const all = new Map([
      ['docs/CODEOWNERS', '* @acme/docs'],
      ['CODEOWNERS', '* @acme/root'],
      ['.github/CODEOWNERS', '* @acme/github'],
    ]);
    assert.equal(chooseCodeowners(all)?.path, '.github/CODEOWNERS');
    all.delete('.github/CODEOWNERS');
    assert.equal(chooseCodeowners(all)?.path, 'CODEOWNERS');
    all.delete('CODEOWNERS');
    assert.equal(chooseCodeowners(all)?.path, 'docs/CODEOWNERS');
    assert.equal(chooseCodeowners(new Map()), undefined);
    // An empty file is still the file GitHub uses (and it names nobody).
    assert.equal(chooseCodeowners(new Map([['.github/CODEOWNERS', ''], ['CODEOWNERS', '* @acme/root']]))?.path, '.github/CODEOWNERS');
  });

  it('the last `*` line wins, its first owner; other patterns, comments and blank lines do not count', () => {
    assert.equal(repositoryOwner('* @acme/a @acme/b\n*.js @acme/js\n# * @acme/comment\n\n* @acme/c @acme/d # trailing\n/docs/ @acme/docs\n'), '@acme/c');
    assert.equal(repositoryOwner('*.md @acme/writers\n'), undefined);
    assert.equal(repositoryOwner('* @acme/a\n*\n'), undefined, 'a later * without owners clears it, as on GitHub');
    assert.equal(repositoryOwner('** @acme/all\r\n'), '@acme/all');
  });

  it('maps owners to refs: @org/team → group, @user → user, an email → its local part', () => {
    assert.equal(ownerRef('@acme/Platform-Team'), 'group:platform-team');
    assert.equal(ownerRef('@Alice'), 'user:alice');
    assert.equal(ownerRef('bob@example.com'), 'user:bob');
    assert.equal(ownerRef('not-an-owner'), undefined);
  });

  it('fills spec.owner only where the entity has none, and says where it came from', () => {
    const file = { path: 'CODEOWNERS', text: '* @acme/team-x\n' };
    const filled = withCodeowner(component(), file) as { spec: { owner: string }; metadata: { annotations: Record<string, string> } };
    assert.equal(filled.spec.owner, 'group:team-x');
    assert.equal(filled.metadata.annotations[OWNER_SOURCE_ANNOTATION], 'CODEOWNERS (CODEOWNERS)');
    const own = component({ type: 'service', lifecycle: 'production', owner: 'group:mine' });
    assert.equal(withCodeowner(own, file), own, 'catalog-info.yaml wins');
    const group = component({ type: 'team', children: [] }, 'Group');
    assert.equal(withCodeowner(group, file), group, 'a kind without an owner is left alone');
    assert.deepEqual(withCodeowner(component(), undefined), component());
  });

  it('the cards say an owner came from CODEOWNERS: on the entity and on the team', () => {
    const index = new CatalogIndex();
    const owned = withCodeowner(component(), { path: '.github/CODEOWNERS', text: '* @acme/team-x\n' });
    const team = { apiVersion: 'backstage.io/v1alpha1', kind: 'Group', metadata: { name: 'team-x' }, spec: { type: 'team', children: [] } };
    const records = [owned, team].map((entity) => ({ record: storeRecord({ entity, source: 'github:acme' })!, chunkStart: 0, chunkLine: 0 }));
    index.update('store:github:acme', { kind: 'store', source: 'github:acme', label: 'acme' }, records);
    const card = entityCard(index, 'component:default/payments', (u) => u, true);
    assert.match(card, /Owner: .*group:default\/team-x.*from CODEOWNERS \\\(\\\.github\/CODEOWNERS\\\), not its catalog-info\.yaml/);
    assert.match(entityCard(index, 'group:default/team-x', (u) => u, true), /Owns: 1 Component \(1 through CODEOWNERS only\)/);
  });
});
