/**
 * The warm-start cache's compact form gives back exactly the records it was given: every field, in the
 * order a parse gives them, ranges on one line or several, a name range outside its reference's line, a
 * profile, a quarantine, a reference that resolves to nothing, a field with no allowed kinds.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlacementInput } from '../../server/src/catalog/catalogIndex';
import type { EntityRecord, RelRange } from '../../server/src/catalog/entityRecord';
import { PlacementDecoder, StringTable, encodePlacement } from '../../server/src/sources/cacheCodec';

const range = (start: number, end: number, line: number, character: number, endLine = line, endCharacter = character + end - start): RelRange => ({ start, end, line, character, endLine, endCharacter });

function record(over: Partial<EntityRecord>): EntityRecord {
  return {
    ref: 'component:default/svc',
    kind: 'Component',
    namespace: 'default',
    name: 'svc',
    title: undefined,
    description: undefined,
    type: 'service',
    lifecycle: 'production',
    profile: undefined,
    annotations: {},
    tags: [],
    refs: [],
    value: undefined,
    range: range(0, 120, 0, 0, 7, 0),
    nameRange: range(50, 53, 3, 8),
    ...over,
  };
}

const roundTrip = (items: PlacementInput[]): PlacementInput[] => {
  const t = new StringTable();
  const encoded = JSON.parse(JSON.stringify(items.map((i) => encodePlacement(i, t)))) as number[][];
  const strings = JSON.parse(JSON.stringify(t.strings)) as string[];
  const d = new PlacementDecoder(strings);
  return encoded.map((a) => d.decode(a));
};

describe('the cache codec', () => {
  it('gives back the same records, field for field and in the same key order (as fileRecords.ts makes them)', () => {
    const items: PlacementInput[] = [
      { record: record({ title: 'Svc', description: 'A "quoted"\nline', annotations: { 'a/b': 'x', c: '' }, tags: ['t1', 't2'] }), chunkStart: 0, chunkLine: 0 },
      {
        record: record({
          ref: 'user:team/ann',
          kind: 'User',
          namespace: 'team',
          name: 'ann',
          type: undefined,
          lifecycle: undefined,
          profile: { displayName: 'Ann', email: undefined, picture: 'p.png' },
          nameRange: undefined,
          quarantine: [{ code: 'x', message: 'broken' }],
          refs: [
            { field: 'memberOf', relation: 'memberOf', written: 'group:a', target: 'group:team/a', targetKind: 'group', allowedKinds: ['Group'], range: range(80, 87, 5, 6), nameRange: range(86, 87, 5, 12), explicitKind: true },
            // A multi-line scalar, and a name range on another line than its reference.
            { field: 'memberOf', relation: 'memberOf', written: 'b', target: undefined, targetKind: undefined, allowedKinds: ['Group'], range: range(90, 110, 6, 4, 8, 2), nameRange: range(105, 106, 7, 3), explicitKind: false },
            { field: 'other', relation: 'rel', written: 'c', target: 'x:team/c', targetKind: 'x', allowedKinds: [], range: range(111, 112, 8, 4), nameRange: range(111, 112, 8, 4), explicitKind: false },
          ],
        }),
        chunkStart: 130,
        chunkLine: 9,
      },
    ];
    const back = roundTrip(items);
    assert.deepEqual(back, items);
    for (let i = 0; i < items.length; i++) assert.equal(JSON.stringify(back[i]), JSON.stringify(items[i]));
    // One array of allowed kinds per field, shared.
    assert.equal(back[1].record.refs[0].allowedKinds, back[1].record.refs[1].allowedKinds);
  });

  it('refuses a record it cannot read whole', () => {
    const t = new StringTable();
    const a = encodePlacement({ chunkStart: 0, chunkLine: 0, record: record({}) }, t);
    assert.throws(() => new PlacementDecoder(t.strings).decode([...a, 0]), /wrong length/);
    assert.throws(() => new PlacementDecoder([]).decode(a), /string the table does not have/);
  });
});
