/**
 * The Backstage source against a real Backstage catalog backend (test/peers/backstage, started once for
 * this file, with a static token): pagination over several pages with `fields` trimming; 401 without the
 * token, then the catalog once the client sends it (SourceTokensNotification), with the token in no log,
 * status or cache file; `paved-road ingest --from backstage:URL --token-env VAR`; and the backend going
 * away between two pages: the last good entities stay and the source is stale with a retry.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CatalogIndex } from '../../server/src/catalog/catalogIndex';
import { tokenKey, type ServerStatus, type SourceStatus } from '../../server/src/protocol';
import { BackstageSource, backstageId } from '../../server/src/sources/backstageSource';
import { SourceManager } from '../../server/src/sources/sourceManager';
import { setToken } from '../../server/src/sources/tokens';
import { FIXTURE_ENTITIES, FIXTURE_QUARANTINED, startBackstage, type BackstagePeer } from '../peers/backstage/peer';
import { LspClient, ROOT } from './lspClient';

const TOKEN = 'pr-test-token-6f1c2e9a';
const root = mkdtempSync(join(tmpdir(), 'paved-road-backstage-test-'));
const workspace = join(root, 'ws');
const storage = join(root, 'storage');

const sourcesOf = (c: LspClient): SourceStatus[] => (c.status as unknown as ServerStatus | undefined)?.sources ?? [];
const backstageOf = (c: LspClient): SourceStatus | undefined => sourcesOf(c).find((s) => s.type === 'backstage');

/** Every file under a folder, as text. */
function allText(dir: string): string {
  let text = '';
  for (const name of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (name.isFile()) text += readFileSync(join(name.parentPath, name.name), 'utf8');
  }
  return text;
}

describe('the Backstage source, against a real Backstage catalog backend', { timeout: 400_000 }, () => {
  let peer: BackstagePeer;
  let c: LspClient | undefined;

  before(async () => {
    mkdirSync(workspace, { recursive: true });
    writeFileSync(join(workspace, 'catalog-info.yaml'), 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: local-service\nspec:\n  type: service\n  lifecycle: production\n  owner: group:team-0\n');
    peer = await startBackstage({ token: TOKEN, expect: FIXTURE_ENTITIES, timeoutMs: 180_000 });
  });
  after(async () => {
    await c?.stop();
    await peer?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('reads every page of entities/by-query by its cursor, with only the fields the index needs', async () => {
    const pages: number[] = [];
    const source = new BackstageSource(peer.url, 'Company', { pageSize: 50, onPage: (page) => void pages.push(page) });
    setToken(source.id, TOKEN);
    try {
      const result = await source.fetch(new AbortController().signal);
      assert.deepEqual(pages, [1, 2, 3]);
      assert.equal(source.requests, 3);
      assert.equal(result.entities.length, FIXTURE_ENTITIES);
      const names = new Set(result.entities.map((e) => `${String(e.entity.kind)}:${(e.entity.metadata as { name: string }).name}`));
      assert.equal(names.size, FIXTURE_ENTITIES, 'no entity twice, none missing');
      assert.ok(names.has('Component:service-0') && names.has('Environment:production') && names.has('Group:team-2'));
      assert.ok(![...names].some((n) => n.startsWith('Location:')), "Backstage's configuration locations are left out");
      const service = result.entities.find((e) => (e.entity.metadata as { name: string }).name === 'service-3')!.entity as { metadata: Record<string, unknown>; spec: Record<string, unknown> };
      assert.equal(service.metadata.uid, undefined);
      assert.equal(service.metadata.etag, undefined);
      assert.equal((service as Record<string, unknown>).relations, undefined);
      assert.deepEqual(service.spec.dependsOn, ['resource:db-3']);
      assert.deepEqual(service.metadata.tags, ['java', 'backend']);
      assert.equal(source.id, backstageId(peer.url));
      assert.equal(source.id, `backstage:${peer.url}`);
    } finally {
      setToken(source.id, undefined);
    }
  });

  it('asks for a token (401, sign in), then fills the catalog once the client sends it; the token is in no log, status or cache', async () => {
    c = await LspClient.start(workspace, { files: { include: [] }, policies: {}, catalog: { sources: [{ type: 'backstage', url: peer.url, label: 'Company Backstage' }] } }, undefined, { storagePath: storage });
    const client = c;
    await client.until(() => !!backstageOf(client)?.error, 60_000, () => JSON.stringify(sourcesOf(client)));
    const denied = backstageOf(client)!;
    assert.deepEqual([denied.id, denied.state, denied.nextStep, denied.entities], [`backstage:${peer.url}`, 'empty', 'signIn', 0]);
    assert.match(denied.error!, /401.*needs a token/);

    await client.conn.sendNotification('pavedRoad/sourceTokens', { tokens: { [denied.id]: TOKEN } });
    await client.until(() => backstageOf(client)?.state === 'fresh', 60_000, () => JSON.stringify(sourcesOf(client)));
    const fresh = backstageOf(client)!;
    assert.deepEqual([fresh.entities, fresh.quarantined, fresh.error, fresh.nextStep], [FIXTURE_ENTITIES, FIXTURE_QUARANTINED, undefined, undefined]);
    await client.until(() => (client.status?.entities ?? 0) >= FIXTURE_ENTITIES + 1, 30_000, () => JSON.stringify(client.status));

    // A wrong token is refused and named as such; the right one again brings the catalog back.
    await client.conn.sendNotification('pavedRoad/sourceTokens', { tokens: { [denied.id]: 'not-the-token-123' } });
    await client.until(() => backstageOf(client)?.nextStep === 'signIn', 60_000, () => JSON.stringify(sourcesOf(client)));
    assert.match(backstageOf(client)!.error!, /token was rejected/);
    assert.equal(backstageOf(client)!.entities, FIXTURE_ENTITIES, 'the last good entities stay');
    await client.conn.sendNotification('pavedRoad/sourceTokens', { tokens: { [denied.id]: TOKEN } });
    await client.until(() => backstageOf(client)?.state === 'fresh', 60_000, () => JSON.stringify(sourcesOf(client)));

    const everything = JSON.stringify(client.messages) + JSON.stringify(client.status) + client.stderr + allText(storage);
    assert.ok(allText(storage).includes('service-0'), 'the cache holds the entities');
    assert.ok(!everything.includes(TOKEN), 'the token appears in no log, status or cache file');
    assert.ok(!everything.includes('not-the-token-123'));
    assert.ok(!everything.includes(tokenKey(denied.id)));
  });

  it('paved-road ingest --from backstage:URL --token-env VAR: the snapshot, requests made; a missing or refused token is one line naming the variable', () => {
    const out = join(root, 'snapshot.json');
    const cli = (args: string[], env: Record<string, string> = {}) => spawnSync(process.execPath, [join(ROOT, 'dist/cli.js'), 'ingest', ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
    const ok = cli(['--from', `backstage:${peer.url}`, '--token-env', 'BACKSTAGE_TOKEN', '--out', out], { BACKSTAGE_TOKEN: TOKEN });
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, new RegExp(`wrote .*: ${FIXTURE_ENTITIES} entities, ${FIXTURE_QUARANTINED} quarantined`));
    assert.match(ok.stdout, /backstage:http:\/\/127\.0\.0\.1:\d+: 123 entities, 3 quarantined, 1 request$/m);
    assert.match(ok.stdout, /quarantined environment:default\/dev: kind-unknown/);
    const snapshot = readFileSync(out, 'utf8');
    assert.equal(JSON.parse(snapshot).entities.length, FIXTURE_ENTITIES);

    const missing = cli(['--from', `backstage:${peer.url}`, '--token-env', 'BACKSTAGE_TOKEN', '--out', out], { BACKSTAGE_TOKEN: '' });
    assert.equal(missing.status, 1);
    assert.equal(missing.stderr.trim().split('\n').length, 1);
    assert.match(missing.stderr, /environment variable BACKSTAGE_TOKEN is not set/);

    const refused = cli(['--from', `backstage:${peer.url}`, '--token-env', 'BACKSTAGE_TOKEN', '--out', out], { BACKSTAGE_TOKEN: 'wrong-token-456' });
    assert.equal(refused.status, 1);
    assert.equal(refused.stderr.trim().split('\n').length, 1);
    assert.match(refused.stderr, /401.*token in BACKSTAGE_TOKEN was refused/);

    const none = cli(['--from', `backstage:${peer.url}`, '--out', out]);
    assert.equal(none.status, 1);
    assert.match(none.stderr, /--token-env VAR/);
    for (const r of [ok, missing, refused, none]) assert.ok(!(r.stdout + r.stderr).includes(TOKEN) && !(r.stdout + r.stderr).includes('wrong-token-456'));
    assert.ok(!snapshot.includes(TOKEN));
  });

  it('a backend that goes away between two pages: the last good entities stay, stale with a retry', async () => {
    const index = new CatalogIndex();
    let killAfterPage = 0;
    const pages: number[] = [];
    const source = new BackstageSource(peer.url, 'Company', {
      pageSize: 20,
      onPage: async (page) => {
        pages.push(page);
        if (page === killAfterPage) await peer.stop();
      },
    });
    setToken(source.id, TOKEN);
    const manager = new SourceManager({ index, log: () => undefined, changed: () => undefined, attempts: 2, backoffMs: 50 });
    try {
      await manager.configure([{ source, refreshMinutes: 0 }]);
      await manager.refresh(source.id);
      const good = manager.statuses()[0];
      assert.deepEqual([good.state, good.entities], ['fresh', FIXTURE_ENTITIES]);
      const before = index.size;

      assert.deepEqual(pages, [1, 2, 3, 4, 5, 6, 7]);
      killAfterPage = 3;
      pages.length = 0;
      const [stale] = await manager.refresh(source.id);
      assert.equal(peer.alive, false, 'the backend was stopped between pages 3 and 4');
      // Pages 1-3, then page 4 refused; the retry (second attempt) is refused at its first page.
      assert.deepEqual(pages, [1, 2, 3]);
      assert.deepEqual([stale.state, stale.nextStep, stale.entities], ['stale', 'retry', FIXTURE_ENTITIES]);
      assert.match(stale.error!, /cannot be reached \(ECONNREFUSED\)/);
      assert.equal(index.size, before, 'the three pages read were not taken as the catalog');
    } finally {
      manager.dispose();
      setToken(source.id, undefined);
    }

    // The editor's server sees the same: a refresh with the backend gone keeps the entities, stale.
    const client = c!;
    const [status] = await client.conn.sendRequest<SourceStatus[]>('pavedRoad/refreshSources', { id: backstageId(peer.url) });
    assert.deepEqual([status.state, status.nextStep, status.entities], ['stale', 'retry', FIXTURE_ENTITIES]);
    assert.ok(status.fetchedAt);
    assert.ok((client.status?.entities ?? 0) >= FIXTURE_ENTITIES + 1, 'the index still holds them');
  });
});
