/**
 * The sidebar views' requests over real JSON-RPC: a workspace file and a catalog snapshot that both
 * define `payments` (the workspace wins), store-only entities, My Team from git's user.email, and a view
 * that follows an edit.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CatalogNode } from '../../server/src/protocol';
import { CatalogChildrenRequest, EntityCardRequest, FindEntitiesRequest, MyTeamRequest, OwnedEntitiesRequest } from '../../server/src/protocol';
import { LspClient } from './lspClient';

const root = mkdtempSync(join(tmpdir(), 'paved-road-views-'));
const e = (kind: string, name: string, spec: Record<string, unknown>, metadata: Record<string, unknown> = {}) => ({ apiVersion: 'backstage.io/v1alpha1', kind, metadata: { name, ...metadata }, spec });
const snapshot = [
  e('Group', 'team-a', { type: 'team', children: [] }, { title: 'Team A' }),
  e('Group', 'team-b', { type: 'team', children: [], members: ['alice'] }),
  e('User', 'alice', { profile: { email: 'alice@example.com' }, memberOf: ['team-a'] }),
  e('Component', 'payments', { type: 'service', lifecycle: 'production', owner: 'team-b' }),
  e('Resource', 'db', { type: 'database', owner: 'team-a' }, { description: '[run](command:workbench.action.terminal.new) <img src=x onerror=alert(1)>' }),
];
const service = (owner: string): string => `# the payments service\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: payments\nspec:\n  type: service\n  lifecycle: production\n  owner: ${owner}\n`;

describe('the catalog views over JSON-RPC', () => {
  let c: LspClient;
  const children = (groupBy: string, parent?: string) => c.conn.sendRequest(CatalogChildrenRequest.type, { groupBy: groupBy as never, parent });
  before(async () => {
    writeFileSync(join(root, 'snapshot.json'), JSON.stringify(snapshot));
    writeFileSync(join(root, 'catalog-info.yaml'), service('team-a'));
    // A repository of its own with a local user.email, which overrides any global one.
    execFileSync('git', ['init', '-q'], { cwd: root, timeout: 10000 });
    execFileSync('git', ['config', 'user.email', 'Alice@Example.com'], { cwd: root, timeout: 10000 });
    c = await LspClient.start(root, { files: { include: [] }, policies: {}, catalog: { snapshot: 'snapshot.json' } });
    await c.waitForIndex();
  });
  after(async () => {
    await c.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('lists groups with counts, and a group\'s entities: the workspace definition over the store\'s', async () => {
    const top = await children('owner');
    assert.deepEqual(top.map((n) => [n.id, n.label, n.kind, n.count]), [
      ['group:owner:group:default/team-a', 'Team A', 'Group', 3],
      ['group:owner:(none)', '(no owner)', 'Group', 2],
    ]);
    const a = await children('owner', top[0].id);
    assert.deepEqual(a, [
      { id: 'user:default/alice', type: 'entity', label: 'alice', kind: 'User', ref: 'user:default/alice', source: 'snapshot.json' },
      { id: 'resource:default/db', type: 'entity', label: 'db', description: 'Team A', kind: 'Resource', ref: 'resource:default/db', source: 'snapshot.json' },
      { id: 'component:default/payments', type: 'entity', label: 'payments', description: 'production · Team A', kind: 'Component', ref: 'component:default/payments', source: 'workspace', uri: c.uriOf(join(root, 'catalog-info.yaml')), line: 4 },
    ]);
    assert.deepEqual((await children('kind')).map((n) => `${n.label} ${n.count}`), ['Component 1', 'Group 2', 'Resource 1', 'User 1']);
    assert.deepEqual(await children('owner', 'component:default/payments'), []);
    // A client that sends nonsense gets nothing, not an error.
    assert.deepEqual((await children('colour')).map((n) => n.id), top.map((n) => n.id));
  });

  it('gives the tooltip card: escaped, and saying the workspace wins', async () => {
    const card = await c.conn.sendRequest(EntityCardRequest.type, { ref: 'Component:default/payments' });
    assert.match(card!, /Also in the store snapshot\\\.json; the workspace definition wins/);
    const db = await c.conn.sendRequest(EntityCardRequest.type, { ref: 'resource:default/db' });
    assert.match(db!, /\\\[run\\\]\\\(command:workbench\\\.action\\\.terminal\\\.new\\\) \\<img src=x onerror=alert\\\(1\\\)\\>/);
    assert.equal(await c.conn.sendRequest(EntityCardRequest.type, { ref: 'component:default/nothing' }), null);
  });

  it('finds entities as the user types', async () => {
    const r = await c.conn.sendRequest(FindEntitiesRequest.type, { query: 'pay' });
    assert.deepEqual(r.nodes.map((n) => [n.ref, n.uri !== undefined]), [['component:default/payments', true]]);
    assert.equal(r.total, 1);
    assert.equal((await c.conn.sendRequest(FindEntitiesRequest.type, { query: '', limit: 2 })).nodes.length, 2);
  });

  it('finds my team from git\'s user.email, or from the email given', async () => {
    const mine = await c.conn.sendRequest(MyTeamRequest.type, {});
    assert.equal(mine.email, 'Alice@Example.com');
    assert.equal(mine.user?.ref, 'user:default/alice');
    assert.deepEqual(mine.teams.map((t) => [t.ref, t.count]), [
      ['group:default/team-a', 2],
      ['group:default/team-b', 0],
    ]);
    const owned = await c.conn.sendRequest(OwnedEntitiesRequest.type, { ref: 'group:default/team-a' });
    assert.deepEqual(owned.map((n) => n.ref), ['resource:default/db', 'component:default/payments']);
    const nobody = await c.conn.sendRequest(MyTeamRequest.type, { email: 'carol@example.com' });
    assert.deepEqual(nobody, { email: 'carol@example.com', teams: [] });
  });

  it('follows an edit in the editor', async () => {
    const { uri } = await c.open(join(root, 'catalog-info.yaml'));
    await c.change(uri, service('team-b'));
    const top = await children('owner');
    assert.deepEqual(top.map((n) => [n.label, n.count]), [
      ['Team A', 2],
      ['team-b', 1],
      ['(no owner)', 2],
    ]);
    const b: CatalogNode[] = await children('owner', 'group:owner:group:default/team-b');
    assert.deepEqual(b.map((n) => [n.ref, n.source, n.description]), [['component:default/payments', 'workspace', 'production · team-b']]);
    const found = await c.conn.sendRequest(FindEntitiesRequest.type, { query: 'team-b' });
    assert.ok(found.nodes.some((n) => n.ref === 'component:default/payments'), 'found by its new owner');
  });
});
