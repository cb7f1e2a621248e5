/**
 * Re-checking the other open documents after an edit, over real JSON-RPC: in the same turn as the edited
 * document (so a request answered after its diagnostics finds theirs published too), only the documents
 * whose cross-catalog problems the edit can have changed, and never sending unchanged diagnostics again.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LspClient } from './lspClient';

const component = (name: string, extra: string): string => `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\nspec:\n  type: service\n  lifecycle: production\n  owner: group:team-a\n${extra}`;
const FILES: Record<string, string> = {
  '.paved-road/policies.yaml': 'wholeCatalog: true\n',
  'team.yaml': 'apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\nspec:\n  type: team\n  children: []\n',
  'svc.yaml': component('svc', '  dependsOn: [component:lib]\n'),
  'lib.yaml': component('lib', ''),
  'other.yaml': component('other', ''),
};

describe('re-checking other open documents', () => {
  let root = '';
  let c: LspClient;
  const uri = (f: string): string => c.uriOf(join(root, f));
  const codes = (f: string): string[] => (c.lastPublished(uri(f))?.diagnostics ?? []).map((d) => String(d.code));
  const count = (f: string): number => c.publications.get(uri(f)) ?? 0;
  /** Edits lib.yaml, waits for its diagnostics, then for the answer to a request sent after them. */
  const editLib = async (text: string): Promise<void> => {
    await c.change(uri('lib.yaml'), text);
    await c.symbols(uri('lib.yaml'));
  };

  before(async () => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'paved-road-republish-')));
    for (const [f, text] of Object.entries(FILES)) {
      mkdirSync(join(root, f, '..'), { recursive: true });
      writeFileSync(join(root, f), text);
    }
    c = await LspClient.start(root);
    await c.waitForIndex();
    for (const f of ['svc.yaml', 'lib.yaml', 'other.yaml']) await c.open(join(root, f));
  });
  after(async () => {
    await c?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('a document whose problems an edit changed is published again before the server answers the next request', async () => {
    assert.deepEqual(codes('svc.yaml'), []);
    const other = count('other.yaml');
    await editLib(component('lib', '').replace('production', 'deprecated'));
    assert.deepEqual(codes('svc.yaml'), ['ref-deprecated']);
    await editLib(component('lib-renamed', ''));
    assert.deepEqual(codes('svc.yaml'), ['ref-not-found']);
    await editLib(component('lib', ''));
    assert.deepEqual(codes('svc.yaml'), []);
    // other.yaml depends on nothing lib.yaml defines: it was not checked again, let alone published.
    assert.equal(count('other.yaml'), other);
  });

  it('a document checked again with the same result is not published again', async () => {
    const svc = count('svc.yaml');
    // svc.yaml refers to lib: its problems are computed again, and are the same.
    await editLib(component('lib', '').replace('type: service', 'type: library'));
    assert.deepEqual(codes('svc.yaml'), []);
    assert.equal(count('svc.yaml'), svc);
  });
});
