/** The Catalog view's queries: grouping, counts, precedence, quarantine, and groupings kept exact as the index changes. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CatalogIndex } from '../../server/src/catalog/catalogIndex';
import { entityCard } from '../../server/src/language/cards';
import type { CatalogNode, GroupBy } from '../../server/src/protocol';
import { isRef } from '../../server/src/views/changes';
import { CatalogTree, GROUP_BYS, parseGroupId } from '../../server/src/views/catalogTree';
import { clean } from '../../server/src/views/nodes';
import { Rng } from '../fuzz/mutators';
import { company, doc, entity, putFile, putStore } from './viewsFixture';

const ids = (nodes: CatalogNode[]): string[] => nodes.map((n) => n.id);
const top = (tree: CatalogTree, by: GroupBy): Record<string, number | undefined> => Object.fromEntries(tree.children(by).map((n) => [n.label, n.count]));

/** The whole view (groups and their children) as a new tree built from scratch would show it. */
function snapshot(tree: CatalogTree, by: GroupBy): unknown {
  return tree.children(by).map((g) => ({ g, children: tree.children(by, g.id), ...(by === 'owner' && g.ref ? { owned: tree.owned(g.ref), ownedCount: tree.ownedCount(g.ref) } : {}) }));
}

describe('the Catalog view', () => {
  it('groups by owner, system, domain and kind, with counts leaving out quarantined entities', () => {
    const tree = new CatalogTree(company());
    // team-a owns payments, checkout, shop, and its child team-b sits under it (the org chart).
    assert.deepEqual(top(tree, 'owner'), { 'Alice Liddell': 1, 'Team A': 4, 'team-b': 3, '(no owner)': 3 });
    const teamB = tree.children('owner').find((n) => n.label === 'team-b')!;
    assert.deepEqual(teamB, { id: 'group:owner:group:default/team-b', type: 'group', label: 'team-b', description: 'Group', kind: 'Group', count: 3, ref: 'group:default/team-b' });
    const children = tree.children('owner', teamB.id);
    // Four listed, the quarantined one Degraded and not counted.
    assert.deepEqual(ids(children), ['user:default/alice', 'component:default/broken', 'domain:default/commerce', 'resource:default/db']);
    assert.equal(children[1].degraded, true);
    assert.equal(children.filter((c) => c.degraded).length, 1);
    assert.deepEqual(top(tree, 'system'), { shop: 3, '(no system)': 8 });
    // Domain through the system (payments, checkout, db) or directly (the System itself).
    assert.deepEqual(ids(tree.children('domain', 'group:domain:domain:default/commerce')), ['component:default/checkout', 'resource:default/db', 'component:default/payments', 'system:default/shop']);
    const kinds = tree.children('kind');
    assert.deepEqual(kinds.map((k) => [k.label, k.count, k.kind, k.description]), [
      ['API', 1, 'Kind', 'Kind'],
      ['Component', 3, 'Kind', 'Kind'],
      ['Domain', 1, 'Kind', 'Kind'],
      ['Group', 2, 'Kind', 'Kind'],
      ['Resource', 1, 'Kind', 'Kind'],
      ['System', 1, 'Kind', 'Kind'],
      ['User', 2, 'Kind', 'Kind'],
    ]);
    // Nothing under an entity, nor under an id that is no group.
    assert.deepEqual(tree.children('owner', 'component:default/payments'), []);
    assert.deepEqual(tree.children('owner', 'group:owner:group:default/nobody'), []);
  });

  it('shows an entity the workspace and a store both define once, from the workspace, and the card says so', () => {
    const index = company();
    const tree = new CatalogTree(index);
    const payments = tree.children('kind', 'group:kind:component').find((n) => n.ref === 'component:default/payments')!;
    assert.deepEqual(payments, {
      id: 'component:default/payments',
      type: 'entity',
      label: 'payments',
      description: 'production · Team A',
      kind: 'Component',
      ref: 'component:default/payments',
      source: 'workspace',
      uri: 'file:///w/catalog-info.yaml',
      line: 3,
    });
    // The store's copy says team-b owns it: the workspace's team-a wins, in the tree and on the card.
    assert.ok(!tree.children('owner', 'group:owner:group:default/team-b').some((n) => n.ref === payments.ref));
    const card = entityCard(index, payments.ref!, (u) => u, true);
    assert.match(card, /Also in the store company\\\.json; the workspace definition wins/);
    assert.match(card, /- Owner: Team A \(`group:default\/team-a`\)\n/);
    assert.doesNotMatch(card, /defined 2 times/);
    // A store-only entity: no uri, its store as source.
    const db = tree.children('kind', 'group:kind:resource')[0];
    assert.equal(db.uri, undefined);
    assert.equal(db.source, 'company.json');
  });

  it('shows a duplicate within the workspace once, from its first definition', () => {
    const index = new CatalogIndex();
    putFile(index, 'file:///w/b.yaml', doc('Component', 'twice', ['type: service', 'lifecycle: beta', 'owner: team-b']));
    putFile(index, 'file:///w/a.yaml', doc('Component', 'twice', ['type: service', 'lifecycle: production', 'owner: team-a']));
    const tree = new CatalogTree(index);
    assert.deepEqual(top(tree, 'owner'), { 'team-a': 1 });
    const [node] = tree.children('owner', 'group:owner:group:default/team-a');
    assert.equal(node.uri, 'file:///w/a.yaml');
    assert.match(entityCard(index, node.ref!, (u) => u, true), /⚠ defined 2 times in the workspace/);
  });

  it('marks a quarantined entity Degraded on its card, escaped', () => {
    const index = company();
    const card = entityCard(index, 'component:default/broken', (u) => u, true);
    assert.match(card, /\*\*Degraded\*\*: it failed validation in its source, so counts leave it out\.\n- schema: broken is broken/);
  });

  it('keeps hostile store values as text: escaped on the card, one capped line in the tree', () => {
    const index = new CatalogIndex();
    const evil = '<img src=x onerror=alert(1)>';
    const link = '[x](command:workbench.action.terminal.new)';
    putStore(index, 'evil.json', [
      entity('Component', `x\n\n${link}`, { type: 'service', lifecycle: 'production', owner: 'team' }, { title: `${evil}\u0007${'y'.repeat(5000)}`, description: `${link} ${evil}` }),
      entity('Group', 'team', { type: 'team', children: [], profile: { displayName: link } }),
    ]);
    const tree = new CatalogTree(index);
    const [group] = tree.children('owner');
    assert.equal(group.label, link);
    const [node] = tree.children('owner', group.id);
    assert.equal(node.label.length, 120);
    assert.ok(node.label.startsWith('<img src=x onerror=alert(1)> yyy'));
    assert.doesNotMatch(node.label + node.description, /[\u0000-\u001f]/);
    const card = entityCard(index, node.ref!, (u) => u, true);
    // No unescaped `<` or `[` anywhere: no HTML, no link (the ref holds blank lines, which would end a code span).
    assert.doesNotMatch(card, /(^|[^\\])[<[]/m);
    assert.match(card, /\\<img src=x onerror=alert\\\(1\\\)\\>/);
    assert.doesNotMatch(card, /[\u0000-\u0009\u000b-\u001f]/);
    assert.ok(card.length < 2000, `a ${card.length}-character card`);
  });

  it('stays what a fresh grouping shows, after any sequence of updates', () => {
    const rng = new Rng(9); // seeded, so a failure can be replayed
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng.next() * xs.length)];
    const index = new CatalogIndex();
    const tree = new CatalogTree(index);
    for (const by of GROUP_BYS) tree.children(by);
    const randomDoc = (): string => {
      const kind = pick(['Component', 'Resource', 'System', 'Group', 'Domain']);
      const name = `${kind.toLowerCase()}-${Math.floor(rng.next() * 5)}`;
      if (kind === 'Group') return doc(kind, name, ['type: team', 'children: []', ...(rng.next() < 0.5 ? [`parent: group-${Math.floor(rng.next() * 5)}`] : [])], [`title: T${Math.floor(rng.next() * 9)}`]);
      if (kind === 'Domain') return doc(kind, name, [`owner: group-${Math.floor(rng.next() * 5)}`]);
      const system = kind === 'System' ? `domain: domain-${Math.floor(rng.next() * 3)}` : `system: system-${Math.floor(rng.next() * 3)}`;
      return doc(kind, name, ['type: t', 'lifecycle: production', ...(rng.next() < 0.8 ? [`owner: group-${Math.floor(rng.next() * 5)}`] : []), ...(rng.next() < 0.7 ? [system] : [])]);
    };
    for (let step = 0; step < 400; step++) {
      const r = rng.next();
      if (r < 0.15) index.drop(`file:///w/f${Math.floor(rng.next() * 8)}.yaml`);
      else if (r < 0.25) {
        const items = [entity('Component', `component-${Math.floor(rng.next() * 5)}`, { type: 't', lifecycle: 'x', owner: `group-${Math.floor(rng.next() * 5)}`, system: 'system-1' })];
        putStore(index, 'store.json', items, rng.next() < 0.5 ? [] : ['component-1', 'component-2']);
      } else putFile(index, `file:///w/f${Math.floor(rng.next() * 8)}.yaml`, ...Array.from({ length: 1 + Math.floor(rng.next() * 3) }, randomDoc));
      // Not every step looks: changes pile up between requests, as they do between two expansions.
      if (step % 3) continue;
      const fresh = new CatalogTree(index);
      for (const by of GROUP_BYS) assert.deepEqual(snapshot(tree, by), snapshot(fresh, by), `${by} after ${step} steps`);
    }
  });
});

describe('view helpers', () => {
  it('tells refs from the markers update reports', () => {
    assert.ok(isRef('component:default/x'));
    assert.ok(isRef('to:default/x'), 'an entity of kind To');
    assert.ok(isRef('kind:default/x'), 'an entity of kind Kind');
    assert.ok(!isRef('to:component:default/x'));
    assert.ok(!isRef('place:component:default/x'));
    assert.ok(!isRef('kind:component'));
  });

  it('parses group ids, whatever the key holds', () => {
    assert.deepEqual(parseGroupId('group:owner:group:default/a:b'), { groupBy: 'owner', key: 'group:default/a:b' });
    assert.deepEqual(parseGroupId('group:kind:(none)'), { groupBy: 'kind', key: '(none)' });
    assert.equal(parseGroupId('group:colour:red'), undefined);
    assert.equal(parseGroupId('component:default/x'), undefined);
  });

  it('cleans text for the tree', () => {
    assert.equal(clean('a\nb\u0000\u009fc\u2028d', 50), 'a b c d');
    assert.equal(clean('abcdef', 4), 'abc…');
    assert.equal(clean('abcd', 4), 'abcd');
  });
});
