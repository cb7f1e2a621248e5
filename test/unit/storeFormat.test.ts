/**
 * The snapshot format and the verdict of store entities: the three accepted shapes, and an entity from a
 * store judged exactly as the editor judges the same entity written in a file.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeText } from '../../server/src/catalog/analyze';
import { DEFAULT_POLICIES } from '../../server/src/catalog/policies';
import { CatalogIndex, type PlacementInput } from '../../server/src/catalog/catalogIndex';
import { crossCheck } from '../../server/src/catalog/crossCheck';
import { placementsOfText } from '../../server/src/sources/fileRecords';
import { listYamlFiles } from '../../server/src/sources/folderSource';
import { judge, makeSnapshot, parseSnapshot, storeRecord, storeVerdict } from '../../server/src/sources/storeFormat';

const component = (name: string, extra: Record<string, unknown> = {}) => ({ apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name }, spec: { type: 'service', lifecycle: 'production', owner: 'group:team-a', ...extra } });

describe('the snapshot format', () => {
  it("reads our version 1, Backstage's array and its {items}, skipping what is not an entity", () => {
    const ours = makeSnapshot([{ id: 'folder:/x', type: 'folder', label: 'x', fetchedAt: '2026-01-01T00:00:00Z', entities: 2, quarantined: 1 }], [
      { entity: component('a'), source: 'folder:/x' },
      { entity: component('B A D'), source: 'folder:/x', problems: [{ code: 'name-format', message: 'bad' }] },
    ]);
    const a = parseSnapshot(JSON.parse(JSON.stringify(ours)), 'snapshot:/s');
    assert.deepEqual(a.entities.map((e) => [e.source, e.problems?.[0].code]), [['folder:/x', undefined], ['folder:/x', 'name-format']]);
    assert.equal(a.sources?.[0].id, 'folder:/x');
    const b = parseSnapshot([component('a'), 'text', { kind: 'Component' }, null], 'snapshot:/s');
    assert.deepEqual([b.entities.length, b.skipped, b.entities[0].source], [1, 3, 'snapshot:/s']);
    const c = parseSnapshot({ items: [component('a')], totalItems: 1 }, 'snapshot:/s');
    assert.equal(c.entities.length, 1);
    assert.throws(() => parseSnapshot({ version: 2, entities: [] }, 'x'), /version 2 is not supported/);
    assert.throws(() => parseSnapshot({ entities: [] }, 'x'), /expected a list/);
  });

  it('ignores what the catalog computes (relations, status) and never reads files for a store entity', () => {
    const e = { ...component('a'), relations: [{ type: 'ownedBy', targetRef: 'group:default/team-a' }], status: { items: [] } };
    assert.deepEqual(storeVerdict(e), []);
    const placeholder = component('b', { description: undefined });
    (placeholder.metadata as Record<string, unknown>).description = { $text: '/etc/hostname' };
    // Resolved where the catalog ingested it: nothing to read, nothing to report.
    assert.deepEqual(storeVerdict(placeholder), []);
  });

  it('gives every entity of the test catalog the verdict and errors the editor gives its file', async () => {
    let compared = 0;
    let invalid = 0;
    const files: string[] = [];
    for (const dir of ['../fixtures/catalog', '../fixtures/workspace', '../../demo']) await listYamlFiles(join(__dirname, dir), files);
    for (const file of files) {
      for (const d of analyzeText(readFileSync(file, 'utf8'), { policies: DEFAULT_POLICIES, readFile: () => undefined }).documents) {
        // relations and status are what the catalog adds to what it returns: a store entity may hold them.
        const value = d.cached.value as Record<string, unknown>;
        if (!d.entity || d.empty || 'relations' in value || 'status' in value) continue;
        const editor = d.problems.filter((p) => p.severity === 'error').map((p) => `${p.code} ${p.message}`);
        const store = storeVerdict(structuredClone(value)).map((p) => `${p.code} ${p.message}`);
        assert.deepEqual(store, editor, `${file} document ${d.docIndex}`);
        compared++;
        if (editor.length) invalid++;
      }
    }
    assert.ok(compared > 20 && invalid > 0, `${compared} entities compared, ${invalid} invalid`);
  });

  it('quarantines a failing entity: kept in the index with its problems', () => {
    const [good, bad] = judge([
      { entity: component('good'), source: 's' },
      { entity: component('bad', { lifecycle: 3, owner: 'group:' }), source: 's' },
    ]);
    assert.equal(good.problems, undefined);
    assert.deepEqual(bad.problems?.map((p) => p.code).sort(), ['ref-malformed', 'type']);
    const record = storeRecord(bad)!;
    assert.equal(record.ref, 'component:default/bad');
    assert.deepEqual(record.quarantine, bad.problems);
    assert.equal(storeRecord(good)!.quarantine, undefined);
  });
});

describe('precedence: the workspace over the store', () => {
  const text = 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: shared\nspec:\n  type: service\n  lifecycle: production\n  owner: group:team-a\n';
  const place = (index: CatalogIndex, uri: string): void => void index.update(uri, { kind: 'file', uri }, placementsOfText(text, DEFAULT_POLICIES));
  const store = (index: CatalogIndex, id: string): void => {
    const items: PlacementInput[] = [{ record: storeRecord({ entity: component('shared'), source: id })!, chunkStart: 0, chunkLine: 0 }];
    index.update(`store:${id}`, { kind: 'store', source: id, label: id }, items);
  };
  const duplicates = (index: CatalogIndex, uri: string) => crossCheck(index, index.placementsOf(uri), DEFAULT_POLICIES, (u) => u, true).filter((p) => p.code === 'entity-duplicate');

  it('a store copy of a workspace entity is no duplicate, and the workspace definition wins', () => {
    const index = new CatalogIndex();
    store(index, 'snapshot:/a');
    place(index, 'file:///w/catalog-info.yaml');
    store(index, 'folder:/b');
    assert.deepEqual(duplicates(index, 'file:///w/catalog-info.yaml'), []);
    assert.equal(index.first('component:default/shared')?.provenance.kind, 'file');
    assert.equal(index.get('component:default/shared').length, 3);
  });

  it('two workspace files defining it still are', () => {
    const index = new CatalogIndex();
    store(index, 'snapshot:/a');
    place(index, 'file:///w/a.yaml');
    place(index, 'file:///w/b.yaml');
    assert.equal(duplicates(index, 'file:///w/a.yaml').length, 1);
    assert.match(duplicates(index, 'file:///w/a.yaml')[0].message, /also in file:\/\/\/w\/b\.yaml\)/);
  });
});
