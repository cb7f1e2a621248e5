/** The workspace scan loses nothing when its parse workers cannot start or die: the main thread takes over. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
    // A worker script that dies as it starts.
    writeFileSync(join(dir, 'broken-worker.js'), "throw new Error('no worker today');\n");
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
