/**
 * The workspace scan loses nothing when its parse workers cannot start or die (the main thread takes over),
 * and a slow answer never brings back what a later read of the same file replaced.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CatalogIndex } from '../../server/src/catalog/catalogIndex';
import { DEFAULT_POLICIES } from '../../server/src/catalog/policies';
import { readCatalogFile } from '../../server/src/sources/fileRecords';
import { ParseWorker } from '../../server/src/sources/parseWorker';
import { WorkspaceFiles } from '../../server/src/sources/workspaceFiles';

const FILES = 120;
const entity = (n: number): string => `apiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata:\n  name: db-${n}\nspec:\n  type: database\n  owner: group:team-a\n`;

describe('parse workers that fail', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'paved-road-sources-'));
    for (let n = 0; n < FILES; n++) {
      mkdirSync(join(dir, `svc-${n}`));
      writeFileSync(join(dir, `svc-${n}`, 'catalog-info.yaml'), entity(n));
    }
    // A worker script that dies as it starts, and one that answers late that every file is empty.
    writeFileSync(join(dir, 'broken-worker.js'), "throw new Error('no worker today');\n");
    writeFileSync(
      join(dir, 'slow-worker.js'),
      [
        "const { parentPort } = require('node:worker_threads');",
        "const { writeFileSync } = require('node:fs');",
        // Says it was asked (a file next to the one asked about), and answers 300 ms later.
        "parentPort.on('message', (m) => { if (!('id' in m)) return; writeFileSync(m.path + '.asked', ''); setTimeout(() => parentPort.postMessage({ id: m.id, outcome: { status: 'parsed', items: [] } }), 300); });",
      ].join('\n'),
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('answers every file asked of a worker that died, from the main thread, and says so once', async () => {
    const log: string[] = [];
    const worker = new ParseWorker(join(dir, 'broken-worker.js'), (m) => log.push(m));
    const path = join(dir, 'svc-7', 'catalog-info.yaml');
    const here = () => readCatalogFile(path, [], DEFAULT_POLICIES);
    const outcomes = await Promise.all([0, 1, 2].map(() => worker.parse(path, [], DEFAULT_POLICIES, here)));
    const expected = await here();
    for (const o of outcomes) assert.deepEqual(o, expected);
    assert.equal(log.length, 1, log.join('\n'));
    assert.match(log[0], /^the parse worker stopped \(.*no worker today/s);
    worker.stop();
  });

  it('keeps what a file event read while the scan was still waiting for an older answer about the file', async () => {
    // Three files, one large enough to start a worker for.
    const small = mkdtempSync(join(tmpdir(), 'paved-road-race-'));
    try {
      writeFileSync(join(small, 'big.catalog-info.yaml'), `${entity(1)}# ${'x'.repeat(600 * 1024)}\n`);
      writeFileSync(join(small, 'b.catalog-info.yaml'), entity(2));
      writeFileSync(join(small, 'c.catalog-info.yaml'), entity(3));
      const index = new CatalogIndex();
      const files = new WorkspaceFiles({ index, isOpen: () => false, policiesFor: () => DEFAULT_POLICIES, include: () => [], log: () => undefined, workerScript: join(dir, 'slow-worker.js') });
      const scan = files.scan([small]);
      const asked = join(small, 'b.catalog-info.yaml.asked');
      for (let i = 0; i < 100 && !existsSync(asked); i++) await new Promise((r) => setTimeout(r, 20));
      assert.ok(existsSync(asked), 'the worker was asked about b');
      // While the worker sits on its answer, b is read again after a change on disk.
      await files.changed(join(small, 'b.catalog-info.yaml'));
      assert.ok(index.first('resource:default/db-2'), 'the file event indexed b');
      await scan;
      assert.ok(index.first('resource:default/db-2'), "the scan's older answer about b did not replace the newer read");
      assert.equal(index.size, 1, "the other files got the scan's (empty) answer");
    } finally {
      rmSync(small, { recursive: true, force: true });
    }
  });

  it('indexes the whole workspace when no worker can run', async () => {
    const index = new CatalogIndex();
    const log: string[] = [];
    const files = new WorkspaceFiles({ index, isOpen: () => false, policiesFor: () => DEFAULT_POLICIES, include: () => [], log: (m) => log.push(m), workerScript: join(dir, 'broken-worker.js') });
    const r = await files.scan([dir]);
    assert.equal(r.files, FILES);
    assert.equal(r.entities, FILES);
    assert.equal(r.workers, 0);
    assert.ok(log.length >= 1 && log.every((m) => m.startsWith('the parse worker stopped')), log.join('\n'));
    assert.ok(index.first('resource:default/db-119'));
  });
});
