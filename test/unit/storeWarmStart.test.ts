/**
 * The warm start is exact: a second scan takes unchanged files from the cache and reads every file that
 * changed (same size included), was added or touched; deleted files are gone; the index is the one a
 * fresh scan gives. A cache made by another build, or with other include globs, is not used.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CatalogIndex } from '../../server/src/catalog/catalogIndex';
import { DEFAULT_POLICIES } from '../../server/src/catalog/policies';
import { WorkspaceCache } from '../../server/src/sources/workspaceCache';
import { WorkspaceFiles } from '../../server/src/sources/workspaceFiles';

const FILES = 60;
const text = (name: string, owner = 'team-a') => `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\nspec:\n  type: service\n  lifecycle: production\n  owner: group:${owner}\n  dependsOn: [resource:db-${name}]\n`;

/** The whole index as plain text: every source's placements, in order. */
function dump(index: CatalogIndex): string {
  const out: Record<string, unknown> = {};
  for (const s of [...index.sources()].sort()) out[s] = index.placementsOf(s).map((p) => ({ record: p.record, chunkStart: p.chunkStart, chunkLine: p.chunkLine }));
  return JSON.stringify(out);
}

async function scan(folder: string, cache?: WorkspaceCache, include: string[] = []) {
  const index = new CatalogIndex();
  const files = new WorkspaceFiles({ index, isOpen: () => false, policiesFor: () => DEFAULT_POLICIES, include: () => include, log: () => undefined });
  if (cache) files.useCache(cache);
  const result = await files.scan([folder]);
  return { index, result, files };
}

async function loaded(storage: string, folder: string, engine = 'build-1'): Promise<WorkspaceCache> {
  const cache = new WorkspaceCache(storage, [folder], engine);
  await cache.load();
  return cache;
}

describe('the warm start of the workspace', () => {
  let root: string;
  let folder: string;
  let storage: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'paved-road-warm-'));
    folder = join(root, 'ws');
    storage = join(root, 'storage');
    for (let n = 0; n < FILES; n++) {
      mkdirSync(join(folder, `svc-${n}`), { recursive: true });
      writeFileSync(join(folder, `svc-${n}`, 'catalog-info.yaml'), text(`svc-${n}`));
    }
    writeFileSync(join(folder, 'other.yaml'), 'not: a catalog file\n');
    writeFileSync(join(folder, 'org.yaml'), text('org-listed'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('reads only what changed, and gives the index a fresh scan gives', async () => {
    const first = await loaded(storage, folder);
    const cold = await scan(folder, first);
    assert.equal(cold.result.cached, 0);
    await first.save();

    const past = new Date(Date.now() - 3600_000);
    // Same size, other text: only the stamp's time tells.
    writeFileSync(join(folder, 'svc-1/catalog-info.yaml'), text('svc-1', 'team-b'));
    rmSync(join(folder, 'svc-2'), { recursive: true });
    writeFileSync(join(folder, 'svc-new.catalog-info.yaml'), text('svc-new'));
    utimesSync(join(folder, 'svc-3/catalog-info.yaml'), past, past);
    // A YAML file that becomes a catalog file.
    writeFileSync(join(folder, 'other.yaml'), text('was-other'));

    const second = await loaded(storage, folder);
    const warm = await scan(folder, second);
    const fresh = await scan(folder);
    assert.equal(dump(warm.index), dump(fresh.index));
    assert.ok(warm.index.first('component:default/svc-1')?.record.refs.some((r) => r.target === 'group:default/team-b'));
    assert.equal(warm.index.first('component:default/svc-2'), undefined);
    assert.ok(warm.index.first('component:default/svc-new'));
    assert.ok(warm.index.first('component:default/was-other'));
    // 60 services - 1 deleted + org.yaml + other.yaml + the new one = 62 files; 4 of them read again.
    assert.deepEqual([second.hits, second.misses, warm.result.cached], [58, 4, 58]);
  });

  it('keeps the cache current with file events, and drops a deleted folder', async () => {
    const cache = await loaded(storage, folder);
    const { files } = await scan(folder, cache);
    await cache.save();
    writeFileSync(join(folder, 'svc-4/catalog-info.yaml'), text('svc-4', 'team-c'));
    await files.changed(join(folder, 'svc-4/catalog-info.yaml'));
    rmSync(join(folder, 'svc-5'), { recursive: true });
    files.deleted(`file://${join(folder, 'svc-5')}`);
    await cache.save();
    const next = await loaded(storage, folder);
    const warm = await scan(folder, next);
    assert.equal(dump(warm.index), dump((await scan(folder)).index));
    assert.equal(next.misses, 0);
  });

  it('does not use a cache of another build, or of other include globs', async () => {
    const other = await loaded(storage, folder, 'build-2');
    const r = await scan(folder, other);
    assert.equal(r.result.cached, 0);
    const globs = await loaded(storage, folder);
    const withGlobs = await scan(folder, globs, ['**/org.yaml']);
    assert.deepEqual([globs.hits, globs.misses], [0, withGlobs.result.files]);
    assert.equal(dump(withGlobs.index), dump((await scan(folder, undefined, ['**/org.yaml'])).index));
  });

  it('a leftover temporary file of a crashed write is ignored; the old cache still loads', async () => {
    const cache = await loaded(storage, folder);
    await scan(folder, cache);
    await cache.save();
    writeFileSync(join(storage, 'workspace', `.tmp-${cache.file.split('/').pop()}.1.x`), '{"format":1,"engine":"build-1","files":{');
    const again = await loaded(storage, folder);
    await scan(folder, again);
    assert.equal(again.misses, 0);
  });
});
