/**
 * The sources and the SourceManager on real files and a real HTTP server on 127.0.0.1: every failure
 * leaves the last good catalog, the cache serves at start-up and survives a crash mid-write, refreshes
 * never overlap, a cancelled refresh keeps what was there, a folder is watched.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CatalogIndex } from '../../server/src/catalog/catalogIndex';
import { writeFileAtomic } from '../../server/src/sources/atomicFile';
import { FolderSource } from '../../server/src/sources/folderSource';
import { SourceCache } from '../../server/src/sources/sourceCache';
import { SourceManager, storeKey, type ConfiguredSource } from '../../server/src/sources/sourceManager';
import { configuredSources } from '../../server/src/sources/sourceSettings';
import { SnapshotFileSource, SnapshotUrlSource } from '../../server/src/sources/snapshotSource';
import type { SourceStatus } from '../../server/src/protocol';

const entity = (name: string, lifecycle: unknown = 'production') => ({ apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name }, spec: { type: 'service', lifecycle, owner: 'group:team-a' } });
const yamlOf = (name: string, lifecycle = 'production') => `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\nspec:\n  type: service\n  lifecycle: ${lifecycle}\n  owner: group:team-a\n`;

/** Resolves when `cond` holds after some index or status change, or fails after `ms`. */
function until(wake: { on: (f: () => void) => void }, cond: () => boolean, ms: number, why: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (cond()) return resolve();
    const t = setTimeout(() => reject(new Error(`timed out: ${why()}`)), ms);
    wake.on(() => {
      if (cond()) {
        clearTimeout(t);
        resolve();
      }
    });
  });
}

interface Harness {
  index: CatalogIndex;
  manager: SourceManager;
  status(id?: string): SourceStatus;
  wake: { on: (f: () => void) => void };
}

function harness(storagePath: string | undefined, options: { attempts?: number } = {}): Harness {
  const index = new CatalogIndex();
  const listeners: (() => void)[] = [];
  const wake = { on: (f: () => void) => void listeners.push(f) };
  const manager = new SourceManager({ index, storagePath, log: () => undefined, changed: () => listeners.forEach((f) => f()), attempts: options.attempts ?? 2, backoffMs: 10 });
  index.onChange(() => listeners.forEach((f) => f()));
  return { index, manager, wake, status: (id) => manager.statuses().find((s) => !id || s.id === id)! };
}

const configured = (source: ConfiguredSource['source']): ConfiguredSource[] => [{ source, refreshMinutes: 0 }];

describe('a snapshot file source', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'paved-road-store-src-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('serves, quarantines, and keeps the last good entities through every failure', async () => {
    const file = join(dir, 'catalog.json');
    writeFileSync(file, JSON.stringify([entity('a'), entity('b'), entity('bad', 7)]));
    const h = harness(join(dir, 'storage'));
    const source = new SnapshotFileSource(file, 'catalog.json');
    await h.manager.configure(configured(source));
    await h.manager.refresh();
    assert.deepEqual([h.status().state, h.status().entities, h.status().quarantined], ['fresh', 3, 1]);
    assert.deepEqual(h.index.first('component:default/bad')?.record.quarantine?.map((p) => p.code), ['type']);
    const failures: [string, () => void, RegExp][] = [
      ['malformed', () => writeFileSync(file, '{ not json'), /not valid JSON/],
      ['truncated', () => writeFileSync(file, JSON.stringify([entity('a'), entity('b')]).slice(0, 60)), /not valid JSON/],
      ['not a catalog', () => writeFileSync(file, JSON.stringify({ hello: 1 })), /expected a list of entities/],
      ['missing', () => rmSync(file), /does not exist/],
      ['unreadable', () => mkdirSync(file), /is not a file/],
    ];
    for (const [what, breakIt, message] of failures) {
      breakIt();
      const [s] = await h.manager.refresh(source.id);
      assert.equal(s.state, 'stale', what);
      assert.match(s.error ?? '', message, what);
      assert.equal(s.nextStep, 'fixSetting', what);
      assert.equal(h.index.placementsOf(storeKey(source.id)).length, 3, what);
      assert.ok(s.fetchedAt, what);
    }
    rmSync(file, { recursive: true });
    h.manager.dispose();
  });

  it('serves the cache at start-up, before and whatever the refresh gives', async () => {
    const storage = join(dir, 'storage-2');
    const file = join(dir, 'cached.json');
    writeFileSync(file, JSON.stringify({ items: [entity('x'), entity('y', 9)] }));
    const first = harness(storage);
    await first.manager.configure(configured(new SnapshotFileSource(file, 'cached.json')));
    await first.manager.refresh();
    first.manager.dispose();
    rmSync(file);
    const second = harness(storage);
    // configure resolves once the cache is served; the refresh runs behind it.
    await second.manager.configure(configured(new SnapshotFileSource(file, 'cached.json')));
    assert.equal(second.index.placementsOf(storeKey(`snapshot:${file}`)).length, 2);
    assert.equal(second.status().fromCache, true);
    assert.deepEqual(second.index.first('component:default/y')?.record.quarantine?.map((p) => p.code), ['type']);
    await second.manager.refresh();
    assert.deepEqual([second.status().state, second.status().fromCache, second.index.size], ['stale', true, 2]);
    second.manager.dispose();
  });

  it('loses nothing when a cache write crashed before its rename: the old cache loads, the temp file is ignored', async () => {
    const storage = join(dir, 'storage-3');
    const cache = new SourceCache(storage);
    const source = new SnapshotFileSource(join(dir, 'whatever.json'), 'w');
    await cache.save(source, [{ entity: entity('kept'), source: source.id }], '2026-01-01T00:00:00.000Z');
    const target = cache.fileOf(source.id);
    // What a crash between write and rename leaves: a temporary file (here half written) beside the cache.
    writeFileSync(join(storage, 'sources', `.tmp-${target.split('/').pop()}.999.x`), '{"version":1,"entities":[{"ent');
    const loaded = await cache.load(source.id);
    assert.deepEqual(loaded?.entities.map((e) => e.entity.metadata), [{ name: 'kept' }]);
    assert.equal(loaded?.fetchedAt, '2026-01-01T00:00:00.000Z');
    // A broken cache file itself (written by something else) is no cache, not a crash.
    writeFileSync(target, '{"version":1,');
    assert.equal(await cache.load(source.id), undefined);
  });

  it('writes atomically: the target is either the old or the new text, and old temp files are cleared', async () => {
    const target = join(dir, 'atomic', 'file.json');
    await writeFileAtomic(target, 'old');
    const stale = join(dir, 'atomic', '.tmp-file.json.1.stale');
    writeFileSync(stale, 'partial');
    const { utimesSync } = await import('node:fs');
    utimesSync(stale, new Date(0), new Date(0));
    await writeFileAtomic(target, 'new');
    assert.equal(readFileSync(target, 'utf8'), 'new');
    assert.deepEqual(readdirSync(join(dir, 'atomic')), ['file.json']);
  });
});

describe('a snapshot URL source (a local HTTP server)', () => {
  let server: Server;
  let base: string;
  const hits = new Map<string, number>();
  const held: ServerResponse[] = [];
  let slowArrived: () => void = () => undefined;
  const body = JSON.stringify([entity('remote-a'), entity('remote-b')]);
  before(async () => {
    server = createServer((req, res) => {
      hits.set(req.url!, (hits.get(req.url!) ?? 0) + 1);
      if (req.url === '/ok.json') res.end(body);
      else if (req.url === '/500') res.writeHead(500).end('boom');
      else if (req.url === '/404') res.writeHead(404).end('no');
      else if (req.url === '/truncated') {
        // Promises more than it sends, then hangs up.
        res.writeHead(200, { 'content-length': String(body.length) });
        res.write(body.slice(0, 20));
        setImmediate(() => res.socket?.destroy());
      } else if (req.url === '/slow') {
        held.push(res);
        slowArrived();
      }
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const r of held) r.destroy();
    await new Promise((r) => server.close(r));
  });

  /** A manager whose one URL source first fetched /ok.json, then points elsewhere (same id, other URL). */
  async function primed(path: string, timeoutMs = 5000): Promise<{ h: Harness; source: SnapshotUrlSource }> {
    const h = harness(undefined);
    const ok = new SnapshotUrlSource(`${base}/ok.json`, 'remote', timeoutMs);
    await h.manager.configure(configured(ok));
    await h.manager.refresh();
    assert.equal(h.index.size, 2);
    const source = new SnapshotUrlSource(`${base}${path}`, 'remote', timeoutMs);
    Object.defineProperty(source, 'id', { value: ok.id });
    await h.manager.configure(configured(source));
    return { h, source };
  }

  for (const [path, message, step, attempts] of [
    ['/500', /answered 500/, 'retry', 2],
    ['/404', /answered 404/, 'fixSetting', 1],
    ['/truncated', /broke off|not valid JSON/, undefined, 2],
  ] as const) {
    it(`${path}: stale, the last good entities stay, ${attempts} attempt(s)`, async () => {
      const { h } = await primed(path);
      const before = hits.get(path) ?? 0;
      const [s] = await h.manager.refresh();
      assert.equal(s.state, 'stale');
      assert.match(s.error!, message);
      if (step) assert.equal(s.nextStep, step);
      assert.equal(h.index.size, 2);
      assert.equal((hits.get(path) ?? 0) - before, attempts);
      assert.doesNotMatch(s.error!, /secret/);
      h.manager.dispose();
    });
  }

  it('a slow server: the request times out, the catalog stays', async () => {
    const { h } = await primed('/slow', 200);
    const [s] = await h.manager.refresh();
    assert.deepEqual([s.state, s.nextStep], ['stale', 'retry']);
    assert.match(s.error!, /no answer within 0.2 s/);
    assert.equal(h.index.size, 2);
    h.manager.dispose();
  });

  it('connection refused: stale with the reason, no secret from the URL', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const h = harness(undefined);
    await h.manager.configure(configured(new SnapshotUrlSource(`http://user:secret@127.0.0.1:${port}/c.json?token=secret`, 'c')));
    const [s] = await h.manager.refresh();
    assert.equal(s.state, 'empty');
    assert.match(s.error!, /cannot be reached \(ECONNREFUSED\)/);
    assert.doesNotMatch(`${s.error} ${s.id} ${s.label}`, /secret/);
    h.manager.dispose();
  });

  it('a cancelled refresh stops the fetch and keeps the last good entities; refreshes never overlap', async () => {
    const before = hits.get('/slow') ?? 0;
    const arrived = new Promise<void>((resolve, reject) => {
      slowArrived = resolve;
      setTimeout(() => reject(new Error('the slow request never arrived')), 5000).unref();
    });
    // Pointing the source at /slow starts a refresh; both asks below join it.
    const { h } = await primed('/slow', 20_000);
    let cancel: () => void = () => undefined;
    const token = { onCancellationRequested: (f: () => void) => (cancel = f) };
    const first = h.manager.refresh(undefined, token);
    const second = h.manager.refresh();
    await arrived;
    assert.equal(h.status().state, 'refreshing');
    cancel();
    const [a, b] = await Promise.all([first, second]);
    assert.equal(hits.get('/slow')! - before, 1, 'one fetch for two asks');
    assert.deepEqual([a[0].state, b[0].state, a[0].error], ['fresh', 'fresh', undefined]);
    assert.equal(h.index.size, 2);
    h.manager.dispose();
  });
});

describe('a folder source', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'paved-road-store-folder-'));
    mkdirSync(join(dir, 'team', 'node_modules'), { recursive: true });
    writeFileSync(join(dir, 'team', 'catalog-info.yaml'), `${yamlOf('one')}---\n${yamlOf('Two Words')}`);
    writeFileSync(join(dir, 'team', 'node_modules', 'catalog-info.yaml'), yamlOf('hidden'));
    writeFileSync(join(dir, 'other.yaml'), 'not: a catalog file\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads every catalog file with the editor verdict, and follows changes', async () => {
    const h = harness(undefined);
    const source = new FolderSource(dir, 'folder');
    await h.manager.configure(configured(source));
    await h.manager.refresh();
    assert.deepEqual([...h.index.placementsOf(storeKey(source.id))].map((p) => [p.record.name, p.record.quarantine?.[0].code]), [['one', undefined], ['Two Words', 'name-format']]);
    // Each entity says which file it lives in, as the catalog's managed-by annotations do.
    assert.equal(h.index.first('component:default/one')?.record.annotations['backstage.io/managed-by-location'], `file:${join(dir, 'team', 'catalog-info.yaml')}`);
    writeFileSync(join(dir, 'added.catalog-info.yaml'), yamlOf('three'));
    await until(h.wake, () => !!h.index.first('component:default/three'), 10_000, () => `the folder's change was not followed: ${JSON.stringify(h.status())}`);
    rmSync(dir, { recursive: true });
    await h.manager.refresh();
    // The watcher's refresh may be under way with what it read before: the one after it sees the folder gone.
    await until(h.wake, () => h.status().state === 'stale', 10_000, () => JSON.stringify(h.status()));
    assert.equal(h.status().entities, 3);
    assert.match(h.status().error!, /does not exist|went away/);
    h.manager.dispose();
  });
});

describe('the sources setting', () => {
  it('makes snapshot and folder sources; live types and bad entries report what to fix', async () => {
    const list = configuredSources(
      {
        snapshot: 'legacy.json',
        refreshMinutes: 5,
        sources: [
          { type: 'snapshot', path: 'store/a.json', label: 'A' },
          { type: 'snapshot', url: 'https://store.example.com/c.json?token=t', refreshMinutes: 0 },
          { type: 'folder', path: '/abs/catalog' },
          { type: 'backstage' },
          { type: 'snapshot', url: 'http://example.com/plain.json' },
          { path: 'x' },
        ],
      },
      '/ws',
    );
    assert.deepEqual(
      list.map((c) => [c.source.id, c.source.label, c.refreshMinutes]),
      [
        ['snapshot:/ws/legacy.json', 'legacy.json', 5],
        ['snapshot:/ws/store/a.json', 'A', 5],
        ['snapshot:https://store.example.com/c.json', 'https://store.example.com/c.json', 0],
        ['folder:/abs/catalog', '/abs/catalog', 5],
        ['backstage:setting-4', 'source 4 (backstage)', 5],
        ['snapshot:http://example.com/plain.json', 'http://example.com/plain.json', 5],
        ['snapshot:setting-6', 'source 6 (no type)', 5],
      ],
    );
    const h = harness(undefined);
    await h.manager.configure(list.slice(4));
    const statuses = await h.manager.refresh();
    assert.deepEqual(statuses.map((s) => s.nextStep), ['fixSetting', 'fixSetting', 'fixSetting']);
    assert.match(statuses[0].error!, /needs a url/);
    assert.match(statuses[1].error!, /not an https URL/);
    h.manager.dispose();
  });
});
