/** The catalog index kept incrementally must equal one built from scratch, whatever the order of updates. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CatalogIndex } from '../../server/src/catalog/catalogIndex';
import { DEFAULT_POLICIES } from '../../server/src/catalog/policies';
import { blastRadius } from '../../server/src/catalog/relations';
import { entityCard } from '../../server/src/language/cards';
import { placementsOfText } from '../../server/src/sources/fileRecords';
import { Rng } from '../fuzz/mutators';

const TEAMS = ['team-a', 'team-b', 'team-c'];

/** A random file of a few entities; names repeat across files, so some entities are defined twice. */
function randomFile(rand: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const docs: string[] = [];
  for (let i = 0, n = 1 + Math.floor(rand() * 3); i < n; i++) {
    const kind = pick(['Component', 'API', 'Resource']);
    const owner = pick(TEAMS);
    const extra = kind === 'Component' && rand() < 0.3 ? `\n  dependsOn: [resource:db-${Math.floor(rand() * 3)}, resource:db-${Math.floor(rand() * 3)}]` : '';
    docs.push(`apiVersion: backstage.io/v1alpha1\nkind: ${kind}\nmetadata:\n  name: ${kind.toLowerCase()}-${Math.floor(rand() * 6)}\nspec:\n  type: t\n  lifecycle: production\n  owner: ${owner}${extra}`);
  }
  return docs.join('\n---\n');
}

/** What referrerKinds should say, from the referrers themselves: distinct entities per kind. */
function counted(index: CatalogIndex, ref: string, field: string): Map<string, number> {
  const refs = new Map<string, string>();
  for (const r of index.referrers(ref, field)) refs.set(r.placement.record.ref, r.placement.record.kind);
  const out = new Map<string, number>();
  for (const kind of refs.values()) out.set(kind, (out.get(kind) ?? 0) + 1);
  return out;
}

describe('CatalogIndex', () => {
  it('counts referrers by kind exactly as they come and go, duplicates counted once', () => {
    const rng = new Rng(3); // seeded, so a failure can be replayed
    const rand = (): number => rng.next();
    const index = new CatalogIndex();
    for (let step = 0; step < 1500; step++) {
      const uri = `file:///w/f${Math.floor(rand() * 12)}.yaml`;
      if (rand() < 0.2) index.drop(uri);
      else index.update(uri, { kind: 'file', uri }, placementsOfText(randomFile(rand), DEFAULT_POLICIES));
      for (const team of TEAMS) {
        const ref = `group:default/${team}`;
        assert.deepEqual(new Map([...index.referrerKinds(ref, 'owner')].sort()), new Map([...counted(index, ref, 'owner')].sort()), `${ref} after ${step} updates`);
      }
      for (let d = 0; d < 3; d++) {
        const ref = `resource:default/db-${d}`;
        assert.deepEqual(new Map([...index.referrerKinds(ref, 'dependsOn')].sort()), new Map([...counted(index, ref, 'dependsOn')].sort()), `${ref} after ${step} updates`);
      }
    }
  });

  it('keeps did-you-mean names current without rebuilding them', () => {
    const index = new CatalogIndex();
    const put = (uri: string, name: string): void => {
      index.update(uri, { kind: 'file', uri }, placementsOfText(`apiVersion: backstage.io/v1alpha1\nkind: System\nmetadata:\n  name: ${name}\nspec:\n  owner: team-a`, DEFAULT_POLICIES));
    };
    put('file:///a.yaml', 'checkout-platform');
    assert.deepEqual(index.namesOfKind('system').closest('default', 'checkout-platfrom'), ['system:default/checkout-platform']);
    put('file:///a.yaml', 'checkout-platforms');
    put('file:///b.yaml', 'checkout-platfor');
    assert.deepEqual(index.namesOfKind('System').closest('default', 'checkout-platfrom'), ['system:default/checkout-platfor', 'system:default/checkout-platforms']);
    index.drop('file:///b.yaml');
    assert.deepEqual(index.namesOfKind('system').closest('default', 'checkout-platfrom'), ['system:default/checkout-platforms']);
  });

  it('walks dependents nearest first up to a limit, and a card counts them up to 1,000', () => {
    const index = new CatalogIndex();
    // A chain: each Component depends on the one before it, so everything after c-0 depends on it.
    const docs = Array.from({ length: 1200 }, (_, n) => `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: c-${n}\nspec:\n  type: service\n  lifecycle: production\n  owner: group:team-a${n ? `\n  dependsOn: [component:c-${n - 1}]` : ''}`);
    index.update('file:///chain.yaml', { kind: 'file', uri: 'file:///chain.yaml' }, placementsOfText(docs.join('\n---\n'), DEFAULT_POLICIES));
    assert.deepEqual(blastRadius(index, 'component:default/c-0', 3), [1, 2, 3].map((n) => ({ ref: `component:default/c-${n}`, depth: n, via: 'dependencyOf' })));
    assert.equal(blastRadius(index, 'component:default/c-0').length, 1199);
    assert.ok(entityCard(index, 'component:default/c-0', (u) => u, true).includes('- Dependents: 1 direct, more than 1,000 in all'));
    assert.ok(entityCard(index, 'component:default/c-1100', (u) => u, true).includes('- Dependents: 1 direct, 99 in all'));
  });
});
