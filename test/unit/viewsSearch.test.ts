/** Find Entity and My Team over an in-memory index. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CatalogIndex } from '../../server/src/catalog/catalogIndex';
import { EntitySearch } from '../../server/src/views/findEntities';
import { CatalogTree } from '../../server/src/views/catalogTree';
import { findUser, myTeam } from '../../server/src/views/myTeam';
import { Rng } from '../fuzz/mutators';
import { company, doc, entity, putFile, putStore } from './viewsFixture';

const refs = (r: { nodes: { ref?: string }[] }): (string | undefined)[] => r.nodes.map((n) => n.ref);

describe('Find Entity', () => {
  const index = new CatalogIndex();
  putStore(index, 'store.json', [
    entity('Group', 'payments-team', { type: 'team', children: [] }, { title: 'Payments Guild' }),
    entity('Component', 'pay', { type: 'service', lifecycle: 'production', owner: 'payments-team' }),
    entity('Component', 'payments', { type: 'service', lifecycle: 'production', owner: 'team-x' }),
    entity('Component', 'payments-gateway', { type: 'service', lifecycle: 'production', owner: 'team-x' }),
    entity('Component', 'ledger', { type: 'service', lifecycle: 'production', owner: 'payments-team' }, { title: 'Payments Ledger' }),
    entity('Component', 'old-repayments', { type: 'service', lifecycle: 'deprecated', owner: 'team-x' }),
    entity('Component', 'fraud', { type: 'service', lifecycle: 'production', owner: 'team-x' }, { tags: ['payments'], description: 'Scores card payments' }),
    entity('Component', 'quiet', { type: 'service', lifecycle: 'production', owner: 'team-x' }, { description: 'nothing to see' }),
    entity('Component', 'p-a-y-m-e-n-t-s', { type: 'service', lifecycle: 'production', owner: 'team-x' }),
  ]);
  const search = new EntitySearch(index);

  it('ranks the name first (exact, prefix), then titles, then contains, then tags, owner and description, then fuzzy', () => {
    assert.deepEqual(refs(search.find('payments')), [
      'component:default/payments', // the name itself
      'group:default/payments-team', // a name that starts with it, shorter first
      'component:default/payments-gateway',
      'component:default/ledger', // a title that starts with it
      'component:default/old-repayments', // a name that contains it
      'component:default/pay', // owned by payments-team
      'component:default/fraud', // a tag, and the description
      'component:default/p-a-y-m-e-n-t-s', // the letters in order
    ]);
    assert.equal(search.find('payments').total, 8);
    assert.deepEqual(refs(search.find('Pay')).slice(0, 2), ['component:default/pay', 'component:default/payments']);
    assert.deepEqual(refs(search.find('  card   PAYMENTS ')), ['component:default/fraud'], 'every word, anywhere, any case');
    assert.deepEqual(refs(search.find('pgw')), ['component:default/payments-gateway']);
    assert.deepEqual(refs(search.find('Component:default/PAYMENTS')), ['component:default/payments'], 'a ref typed out');
    // An entity whose own text holds its ref is still listed once.
    const self = new CatalogIndex();
    putStore(self, 's.json', [entity('Component', 'x', { type: 't', lifecycle: 'l', owner: 'team' }, { description: 'see component:default/x' })]);
    assert.deepEqual(new EntitySearch(self).find('component:default/x'), { nodes: new EntitySearch(self).find('x').nodes, total: 1 });
    assert.deepEqual(refs(search.find('card\u0001payments\u0000')), ['component:default/fraud'], 'control characters are spaces');
    assert.deepEqual(search.find('zzz'), { nodes: [], total: 0 });
  });

  it('limits the nodes, not the total, and lists everything by label for an empty query', () => {
    for (const q of ['p', 'pay', 'payments', 'pmts', 'card payments']) {
      const all = search.find(q);
      for (const n of [1, 2, 3, 5]) assert.deepEqual(search.find(q, n), { nodes: all.nodes.slice(0, n), total: all.total }, `the best ${n} of '${q}'`);
    }
    const r = search.find('payments', 3);
    assert.equal(r.nodes.length, 3);
    assert.equal(r.total, 8);
    assert.deepEqual(search.find('', 2), { nodes: search.find('').nodes.slice(0, 2), total: 9 });
    // By label: ledger is "Payments Ledger".
    assert.deepEqual(refs(search.find('', 3)), ['component:default/fraud', 'component:default/old-repayments', 'component:default/p-a-y-m-e-n-t-s']);
    assert.equal(search.find('payments', 0).nodes.length, 0);
    assert.equal(search.find('payments', -5).nodes.length, 0);
    assert.equal(search.find('payments', Number.NaN).nodes.length, 8);
  });

  it('finds every entity holding all the words, however common each word is', () => {
    const idx = new CatalogIndex();
    // 'common' in every description, 'sparse' in every third: past the few hundred occurrences the rarest word is guessed from.
    putStore(idx, 'many.json', Array.from({ length: 900 }, (_, i) => entity('Component', `c-${i}`, { type: 't', lifecycle: 'x', owner: 'team' }, { description: `common thing ${i % 3 ? '' : 'sparse'}` })));
    const s = new EntitySearch(idx);
    assert.equal(s.find('sparse common').total, 300);
    assert.equal(s.find('common sparse').total, 300);
    assert.equal(s.find('common c-1').total, 111, 'c-1, c-10 to c-19, c-100 to c-199');
  });

  it('follows the index: entities that come and go, a team renamed', () => {
    const idx = new CatalogIndex();
    const s = new EntitySearch(idx);
    putFile(idx, 'file:///w/a.yaml', doc('Component', 'alpha', ['type: t', 'lifecycle: x', 'owner: team-q']));
    assert.deepEqual(refs(s.find('alpha')), ['component:default/alpha']);
    assert.deepEqual(refs(s.find('squirrels')), []);
    putFile(idx, 'file:///w/t.yaml', doc('Group', 'team-q', ['type: team', 'children: []'], ['title: Squirrels']));
    assert.deepEqual(refs(s.find('squirrels')), ['group:default/team-q', 'component:default/alpha'], 'found by its owner\'s new title');
    idx.drop('file:///w/a.yaml');
    assert.deepEqual(refs(s.find('alpha')), []);
    // A refresh of many entities at once: the joined texts are made again.
    const many = Array.from({ length: 2500 }, (_, i) => entity('Component', `bulk-${i}`, { type: 't', lifecycle: 'x', owner: 'team-q' }));
    putStore(idx, 'bulk.json', many);
    assert.deepEqual(s.find('bulk-1', 5), new EntitySearch(idx).find('bulk-1', 5));
    assert.equal(s.find('bulk').total, 2500);
    putStore(idx, 'bulk.json', many.slice(0, 10));
    assert.equal(s.find('bulk').total, 10);
  });

  it('answers as a table made from scratch would, after any sequence of updates', () => {
    const rng = new Rng(5);
    const idx = new CatalogIndex();
    const s = new EntitySearch(idx);
    s.find('');
    const words = ['pay', 'ment', 'cart', 'team', 'ledger'];
    const word = (): string => words[Math.floor(rng.next() * words.length)];
    for (let step = 0; step < 300; step++) {
      const uri = `file:///w/f${Math.floor(rng.next() * 6)}.yaml`;
      if (rng.next() < 0.2) idx.drop(uri);
      else if (rng.next() < 0.3) putFile(idx, uri, doc('Group', `team-${Math.floor(rng.next() * 3)}`, ['type: team', 'children: []'], [`title: ${word()} ${word()}`]));
      else putFile(idx, uri, doc('Component', `${word()}-${word()}`, ['type: t', 'lifecycle: x', `owner: team-${Math.floor(rng.next() * 3)}`], [`description: ${word()}`]));
      const q = rng.next() < 0.5 ? word() : `${word()} ${word()}`;
      assert.deepEqual(s.find(q), new EntitySearch(idx).find(q), `'${q}' after ${step} steps`);
      const all = s.find(q);
      assert.deepEqual(s.find(q, 2), { nodes: all.nodes.slice(0, 2), total: all.total }, `the best 2 of '${q}'`);
    }
  });
});

describe('My Team', () => {
  const index = company();
  const tree = new CatalogTree(index);

  it('finds the user by email, any case, else by the email\'s local part', () => {
    assert.equal(findUser(index, 'ALICE@example.COM')?.record.ref, 'user:default/alice');
    assert.equal(findUser(index, 'bob@elsewhere.org')?.record.ref, 'user:default/bob');
    assert.equal(findUser(index, 'carol@example.com'), undefined);
    assert.equal(findUser(index, '@example.com'), undefined);
    assert.deepEqual(myTeam(index, tree, undefined), { email: undefined, teams: [] });
    assert.deepEqual(myTeam(index, tree, 'carol@example.com'), { email: 'carol@example.com', teams: [] });
  });

  it('lists the teams from memberOf and from members, and the user when they own something', () => {
    const alice = myTeam(index, tree, 'alice@example.com');
    assert.equal(alice.user?.ref, 'user:default/alice');
    assert.deepEqual(alice.teams, [
      { id: 'group:owner:group:default/team-b', type: 'group', label: 'team-b', description: 'Group', kind: 'Group', count: 2, ref: 'group:default/team-b' },
      { id: 'group:owner:user:default/alice', type: 'group', label: 'Alice Liddell', description: 'User', kind: 'User', count: 1, ref: 'user:default/alice' },
    ]);
    // bob is listed in team-a's members, his own memberOf is empty; he owns nothing himself.
    assert.deepEqual(myTeam(index, tree, 'bob@x.org').teams.map((t) => t.ref), ['group:default/team-a']);
  });

  it('lists what a team owns by its winning definitions, quarantined ones marked', () => {
    // The store's payments says team-b; the workspace's says team-a and wins.
    const b = tree.owned('group:default/team-b');
    assert.deepEqual(b.map((n) => [n.ref, n.degraded ?? false]), [
      ['component:default/broken', true],
      ['domain:default/commerce', false],
      ['resource:default/db', false],
    ]);
    assert.deepEqual(tree.owned('Group:default/Team-A').map((n) => n.ref), ['component:default/checkout', 'component:default/payments', 'system:default/shop']);
    assert.deepEqual(tree.owned('group:default/nobody'), []);
  });
});
