/**
 * The catalog sources over real JSON-RPC: a snapshot, a folder and an unreachable URL feed the index; the
 * status lists every source with its freshness; the workspace wins over a store copy without a duplicate;
 * a refresh that fails keeps the catalog; a restart serves the cache when the source is gone.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ServerStatus, SourceStatus } from '../../server/src/protocol';
import { LspClient } from './lspClient';

const root = mkdtempSync(join(tmpdir(), 'paved-road-sources-'));
const workspace = join(root, 'ws');
const folder = join(root, 'catalog-repo');
const storage = join(root, 'storage');
const e = (kind: string, name: string, spec: Record<string, unknown>) => ({ apiVersion: 'backstage.io/v1alpha1', kind, metadata: { name }, spec });
const snapshot = {
  version: 1,
  generatedAt: '2026-12-01T00:00:00Z',
  sources: [{ id: 'folder:/platform/catalog', type: 'folder', label: 'platform', fetchedAt: '2026-12-01T00:00:00Z', entities: 4, quarantined: 1 }],
  entities: [
    { entity: e('Group', 'platform', { type: 'team', children: [] }), source: 'folder:/platform/catalog' },
    { entity: e('Component', 'shared', { type: 'service', lifecycle: 'production', owner: 'group:platform' }), source: 'folder:/platform/catalog' },
    { entity: e('Resource', 'store-db', { type: 'database', owner: 'group:platform' }), source: 'folder:/platform/catalog' },
    { entity: e('Component', 'broken', { type: 'service', lifecycle: 5, owner: 'group:platform' }), source: 'folder:/platform/catalog' },
  ],
};
const service = 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: shared\nspec:\n  type: service\n  lifecycle: production\n  owner: group:platform\n  system: folder-system\n  dependsOn:\n    - resource:store-db\n    - component:broken\n';
const system = 'apiVersion: backstage.io/v1alpha1\nkind: System\nmetadata:\n  name: folder-system\nspec:\n  owner: group:platform\n';

const sourcesOf = (c: LspClient): SourceStatus[] => (c.status as unknown as ServerStatus | undefined)?.sources ?? [];
const byType = (c: LspClient, type: string): SourceStatus | undefined => sourcesOf(c).find((s) => s.type === type && (type !== 'snapshot' || s.label !== 'offline'));

describe('catalog sources', () => {
  let http: Server;
  let url: string;
  let c: LspClient;
  const settings = (): Record<string, unknown> => ({
    files: { include: [] },
    policies: {},
    catalog: {
      sources: [
        { type: 'snapshot', path: 'store/company.json', label: 'Company' },
        { type: 'folder', path: folder },
        { type: 'snapshot', url, label: 'offline' },
      ],
    },
  });
  before(async () => {
    http = createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/snapshot.json`;
    mkdirSync(join(workspace, 'store'), { recursive: true });
    mkdirSync(folder);
    writeFileSync(join(workspace, 'store/company.json'), JSON.stringify(snapshot));
    writeFileSync(join(workspace, 'catalog-info.yaml'), service);
    writeFileSync(join(folder, 'catalog-info.yaml'), system);
    c = await LspClient.start(workspace, settings(), undefined, { storagePath: storage });
    await c.waitForIndex();
    await c.until(() => byType(c, 'snapshot')?.state === 'fresh' && byType(c, 'folder')?.state === 'fresh', 15000, () => JSON.stringify(sourcesOf(c)));
  });
  after(async () => {
    await c.stop();
    await new Promise((r) => http.close(r));
    rmSync(root, { recursive: true, force: true });
  });

  it('lists every source with its freshness, the workspace included', async () => {
    await c.until(() => sourcesOf(c).find((s) => s.label === 'offline')?.error !== undefined, 15000, () => JSON.stringify(sourcesOf(c)));
    const [ws, company, repo, offline] = sourcesOf(c);
    assert.deepEqual([ws.id, ws.type, ws.state, ws.entities], ['workspace', 'workspace', 'fresh', 1]);
    assert.deepEqual([company.label, company.state, company.entities, company.quarantined, company.fromCache], ['Company', 'fresh', 4, 1, false]);
    assert.deepEqual([repo.type, repo.state, repo.entities], ['folder', 'fresh', 1]);
    assert.deepEqual([offline.state, offline.nextStep], ['empty', 'fixSetting']);
    assert.match(offline.error!, /answered 404/);
    assert.equal(typeof (c.status as unknown as ServerStatus).catalogVersion, 'number');
  });

  it('the workspace wins over a store copy, with no duplicate; store and folder entities resolve references', async () => {
    const { diagnostics } = await c.open(join(workspace, 'catalog-info.yaml'));
    assert.deepEqual(diagnostics, []);
  });

  it('a refresh that fails keeps the catalog and says why; the catalog version moves only with the index', async () => {
    // A refresh that brings nothing new leaves the index, and its version, as they were.
    const [fresh] = (await c.conn.sendRequest('pavedRoad/refreshSources', { id: byType(c, 'snapshot')!.id })) as SourceStatus[];
    await c.until(() => byType(c, 'snapshot')?.fetchedAt === fresh.fetchedAt, 5000, () => JSON.stringify(sourcesOf(c)));
    const version = (c.status as unknown as ServerStatus).catalogVersion!;
    await c.conn.sendRequest('pavedRoad/refreshSources', { id: fresh.id });
    await c.until(() => byType(c, 'snapshot')?.fetchedAt !== fresh.fetchedAt, 5000, () => JSON.stringify(sourcesOf(c)));
    assert.equal((c.status as unknown as ServerStatus).catalogVersion, version);
    const company = byType(c, 'snapshot')!;
    writeFileSync(join(workspace, 'store/company.json'), JSON.stringify(snapshot).slice(0, 200));
    const [s] = (await c.conn.sendRequest('pavedRoad/refreshSources', { id: company.id })) as SourceStatus[];
    assert.deepEqual([s.state, s.entities, s.nextStep], ['stale', 4, 'fixSetting']);
    assert.match(s.error!, /not valid JSON/);
    await c.until(() => byType(c, 'snapshot')?.state === 'stale', 5000, () => JSON.stringify(sourcesOf(c)));
    assert.equal((c.status as unknown as ServerStatus).catalogVersion, version);
    // An edit changes the index: the version moves, and the store's entities still resolve.
    const uri = c.uriOf(join(workspace, 'catalog-info.yaml'));
    assert.deepEqual(await c.change(uri, service.replace('name: shared', 'name: shared-2')), []);
    await c.until(() => ((c.status as unknown as ServerStatus).catalogVersion ?? 0) > version, 5000, () => JSON.stringify(c.status));
  });

  it('a restart serves the cache when the source is gone, and says it is stale', async () => {
    await c.stop();
    rmSync(join(workspace, 'store/company.json'));
    rmSync(folder, { recursive: true });
    c = await LspClient.start(workspace, settings(), undefined, { storagePath: storage });
    await c.until(() => byType(c, 'snapshot')?.error !== undefined && byType(c, 'folder')?.error !== undefined, 15000, () => JSON.stringify(sourcesOf(c)));
    const company = byType(c, 'snapshot')!;
    assert.deepEqual([company.state, company.fromCache, company.entities, company.quarantined], ['stale', true, 4, 1]);
    assert.match(company.error!, /does not exist/);
    assert.deepEqual([byType(c, 'folder')!.state, byType(c, 'folder')!.entities], ['stale', 1]);
    const { diagnostics } = await c.open(join(workspace, 'catalog-info.yaml'));
    assert.deepEqual(diagnostics, []);
    // The workspace's one catalog file was unchanged: its records came from the warm-start cache (the
    // scan logs it before its status says the index is ready).
    await c.waitForIndex();
    assert.ok(c.messages.some((m) => /indexed 1 catalog files.*\(1 files unchanged, from the cache\)/.test(m.message)), JSON.stringify(c.messages));
  });
});
