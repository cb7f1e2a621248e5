/**
 * The index and the cross-check cache stay exact however they got there: each case is a way the language
 * server once drifted from a fresh read of the same texts (found by test/fuzz/drift.test.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FileAnalyzer } from '../../server/src/catalog/analyze';
import { placementsOfAnalysis } from '../../server/src/catalog/catalogCheck';
import { CatalogIndex } from '../../server/src/catalog/catalogIndex';
import { DEFAULT_POLICIES, type Policies } from '../../server/src/catalog/policies';

const POLICIES: Policies = { ...DEFAULT_POLICIES, wholeCatalog: true };
const entity = (kind: string, name: string, spec: string): string => `apiVersion: backstage.io/v1alpha1\nkind: ${kind}\nmetadata:\n  name: ${name}\nspec:\n${spec}`;
const group = (name: string, extra = ''): string => entity('Group', name, `  type: team\n  children: []${extra}\n`);

describe('an exact index', () => {
  it('a record placed twice in one file (two identical documents share one record) leaves nothing behind', () => {
    // FileAnalyzer caches documents by text: a pasted copy of a document is the same record object.
    const doc = group('copied-team');
    const analyzer = new FileAnalyzer({ policies: POLICIES });
    const index = new CatalogIndex();
    const uri = 'file:///w/org.yaml';
    const update = (text: string): void => void index.update(uri, { kind: 'file', uri }, placementsOfAnalysis(analyzer.analyze(text)));
    update(`---\n${doc}---\n${doc}`);
    const [a, b] = index.get('group:default/copied-team');
    assert.equal(a.record, b.record, 'one record, placed twice');
    update(`# a comment\n---\n${doc}---\n${doc}`);
    assert.equal(index.get('group:default/copied-team').length, 2, 'still two definitions');
    update(`# a comment\n---\n${doc}`);
    assert.equal(index.get('group:default/copied-team').length, 1, 'one definition left');
    update('');
    assert.deepEqual(index.get('group:default/copied-team'), [], 'none left');
    assert.equal(index.size, 0);
  });
});
