/**
 * The index and the cross-check cache stay exact however they got there: each case is a way the language
 * server once drifted from a fresh read of the same texts (found by test/fuzz/drift.test.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeText, FileAnalyzer } from '../../server/src/catalog/analyze';
import { placementsOfAnalysis } from '../../server/src/catalog/catalogCheck';
import { CatalogIndex, type PlacementInput } from '../../server/src/catalog/catalogIndex';
import { crossCheck, CrossChecker } from '../../server/src/catalog/crossCheck';
import { DEFAULT_POLICIES, type Policies } from '../../server/src/catalog/policies';
import type { Problem } from '../../server/src/catalog/types';
import { CatalogDocuments } from '../../server/src/lsp/catalogDocuments';
import { DEFAULT_SETTINGS } from '../../server/src/protocol';
import { placementsOfText } from '../../server/src/sources/fileRecords';

const POLICIES: Policies = { ...DEFAULT_POLICIES, wholeCatalog: true };
const describeUri = (uri: string): string => uri.replace('file:///w/', '');

const entity = (kind: string, name: string, spec: string): string => `apiVersion: backstage.io/v1alpha1\nkind: ${kind}\nmetadata:\n  name: ${name}\nspec:\n${spec}`;
const group = (name: string, extra = ''): string => entity('Group', name, `  type: team\n  children: []${extra}\n`);
const component = (name: string, extra = ''): string => entity('Component', name, `  type: service\n  lifecycle: production\n  owner: group:team-a${extra}\n`);

function put(index: CatalogIndex, name: string, text: string): PlacementInput[] {
  const uri = `file:///w/${name}`;
  const items = placementsOfText(text, POLICIES);
  index.update(uri, { kind: 'file', uri }, items);
  return items;
}

/** Problems without offsets' noise: code, message and related places. */
const shown = (problems: readonly Problem[]): string[] => problems.map((p) => `${p.start} ${p.code} ${p.message}${p.related ? ` @ ${JSON.stringify(p.related.map((r) => [r.uri, r.start.line]))}` : ''}`);

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

  it('the related place of a duplicate follows the other definition when that one moves', () => {
    const index = new CatalogIndex();
    const checker = new CrossChecker(index);
    const twice = component('twice');
    put(index, 'team.yaml', group('team-a'));
    put(index, 'a.yaml', twice);
    const b = put(index, 'b.yaml', twice);
    const check = (): string[] => shown(checker.check(index.placementsOf('file:///w/a.yaml'), POLICIES, describeUri, false));
    assert.deepEqual(check(), [`68 entity-duplicate component:default/twice is defined more than once (also in b.yaml); the catalog keeps the first definition it reads and drops the others @ [["file:///w/b.yaml",3]]`]);
    const forgotten: string[] = [];
    checker.onInvalidate((sources) => forgotten.push(...sources));
    // A document inserted above it in b.yaml: the same record, ten lines down. a.yaml must be shown again.
    index.update('file:///w/b.yaml', { kind: 'file', uri: 'file:///w/b.yaml' }, [...placementsOfText(group('above'), POLICIES), { ...b[0], chunkStart: 200, chunkLine: 10 }]);
    assert.ok(forgotten.includes('file:///w/a.yaml'), `a.yaml's problems are forgotten, got ${JSON.stringify(forgotten)}`);
    assert.deepEqual(check(), [`68 entity-duplicate component:default/twice is defined more than once (also in b.yaml); the catalog keeps the first definition it reads and drops the others @ [["file:///w/b.yaml",13]]`]);
  });

  it('the definition that wins, and the order of duplicates, do not depend on the order of updates', () => {
    const files: [string, string][] = [
      ['a.yaml', component('legacy', '').replace('production', 'deprecated')],
      ['b.yaml', component('legacy')],
      ['c.yaml', component('legacy').replace('production', 'experimental')],
      ['user.yaml', component('user', '\n  dependsOn: [component:legacy]')],
    ];
    const answers = new Set<string>();
    for (const order of [[0, 1, 2, 3], [3, 2, 1, 0], [1, 3, 0, 2], [2, 0, 3, 1]]) {
      const index = new CatalogIndex();
      for (const i of order) put(index, ...files[i]);
      answers.add(JSON.stringify([index.first('component:default/legacy')?.source, ...['a.yaml', 'user.yaml'].map((f) => shown(crossCheck(index, index.placementsOf(`file:///w/${f}`), POLICIES, describeUri)))]));
    }
    assert.equal(answers.size, 1, [...answers].join('\n'));
  });

  it('two definitions in one file swap places: the one first in the file wins, and the cache follows', () => {
    const index = new CatalogIndex();
    const checker = new CrossChecker(index);
    const deprecated = component('legacy').replace('production', 'deprecated');
    const production = component('legacy');
    put(index, 'team.yaml', group('team-a'));
    const both = put(index, 'legacy.yaml', `${deprecated}---\n${production}`);
    put(index, 'user.yaml', component('user', '\n  dependsOn: [component:legacy]'));
    const codes = (): string[] => checker.check(index.placementsOf('file:///w/user.yaml'), POLICIES, describeUri, false).map((p) => p.code);
    assert.deepEqual(codes(), ['ref-deprecated']);
    // The documents swap (a cut and a paste): the same records, in the other order.
    index.update('file:///w/legacy.yaml', { kind: 'file', uri: 'file:///w/legacy.yaml' }, [
      { ...both[1], chunkStart: 0, chunkLine: 0 },
      { ...both[0], chunkStart: 150, chunkLine: 9 },
    ]);
    assert.deepEqual(codes(), []);
  });

  it('a did-you-mean names the suggested entity as the definition that wins writes it', () => {
    const index = new CatalogIndex();
    const checker = new CrossChecker(index);
    put(index, 'a.yaml', group('Storefront-Team'));
    put(index, 'b.yaml', group('storefront-team'));
    put(index, 'user.yaml', component('user').replace('group:team-a', 'group:storefront-teem'));
    const messages = (): string[] => checker.check(index.placementsOf('file:///w/user.yaml'), POLICIES, describeUri, false).map((p) => p.message);
    assert.deepEqual(messages(), ["'group:storefront-teem' not found; did you mean 'group:Storefront-Team'?"]);
    index.drop('file:///w/a.yaml');
    assert.deepEqual(messages(), ["'group:storefront-teem' not found; did you mean 'group:storefront-team'?"]);
  });

  it('a Group loop is reported the same way whatever order its groups were read in', () => {
    // g's parents are a and b (both list it among their children), and both have g as parent: two loops.
    const files: [string, string][] = [
      ['g.yaml', group('g')],
      ['a.yaml', group('a', '\n  parent: g').replace('children: []', 'children: [g]')],
      ['b.yaml', group('b', '\n  parent: g').replace('children: []', 'children: [g]')],
    ];
    const answers = new Set<string>();
    for (const order of [[0, 1, 2], [0, 2, 1], [2, 1, 0]]) {
      const index = new CatalogIndex();
      for (const i of order) put(index, ...files[i]);
      answers.add(shown(crossCheck(index, index.placementsOf('file:///w/g.yaml'), POLICIES, describeUri)).join('\n'));
    }
    assert.equal(answers.size, 1, [...answers].join('\n---\n'));
  });

  it('the cross-checker says which sources an index change made it forget', () => {
    const index = new CatalogIndex();
    const checker = new CrossChecker(index);
    const forgotten: string[][] = [];
    checker.onInvalidate((sources) => forgotten.push([...sources].sort()));
    put(index, 'team.yaml', group('team-a'));
    put(index, 'svc.yaml', component('svc'));
    put(index, 'other.yaml', component('other').replace('group:team-a', 'group:platform-squad'));
    for (const f of ['svc.yaml', 'other.yaml']) checker.check(index.placementsOf(`file:///w/${f}`), POLICIES, describeUri, false);
    assert.deepEqual(forgotten, []);
    put(index, 'team.yaml', group('team-a', '\n  parent: nowhere'));
    assert.deepEqual(forgotten, [['file:///w/svc.yaml']]);
  });

  it('an entity edited leaves the cached problems of the others that refer to the same target alone', () => {
    const index = new CatalogIndex();
    const checker = new CrossChecker(index);
    const forgotten: string[] = [];
    checker.onInvalidate((sources) => forgotten.push(...sources));
    put(index, 'team.yaml', group('team-a'));
    put(index, 'a.yaml', component('a'));
    put(index, 'b.yaml', component('b'));
    for (const f of ['a.yaml', 'b.yaml']) checker.check(index.placementsOf(`file:///w/${f}`), POLICIES, describeUri, false);
    // b's problems depend on team-a's definition, not on who else refers to team-a.
    put(index, 'a.yaml', component('a').replace('type: service', 'type: website'));
    assert.deepEqual(forgotten, ['file:///w/a.yaml']);
  });

  it('a Group hears of a loop that another group makes by listing it among its children', () => {
    const index = new CatalogIndex();
    const checker = new CrossChecker(index);
    put(index, 'g.yaml', group('g', '\n  parent: h'));
    put(index, 'h.yaml', group('h'));
    const codes = (): string[] => checker.check(index.placementsOf('file:///w/g.yaml'), POLICIES, describeUri, false).map((p) => p.code);
    assert.deepEqual(codes(), []);
    // i lists h among its children and has g as its parent: g → h → i → g. Nothing about g or h's own documents changed.
    put(index, 'i.yaml', group('i', '\n  parent: g').replace('children: []', 'children: [h]'));
    assert.deepEqual(codes(), ['group-cycle']);
  });

  it('an open file that stops being a catalog file for a while is analysed in full when it is one again', () => {
    // Edits arrive with where they happened; while the file is not ours the analyzer does not see them.
    const index = new CatalogIndex();
    const docs = new CatalogDocuments(() => DEFAULT_SETTINGS, index);
    const uri = 'file:///w/org.yaml';
    let doc = docs.textDocuments.create(uri, 'yaml', 1, `---\n${group('aaa')}---\n${group('bbb')}`);
    const edit = (from: string, to: string, nth = 0): void => {
      let at = -1;
      for (let i = 0; i <= nth; i++) at = doc.getText().indexOf(from, at + 1);
      doc = docs.textDocuments.update(doc, [{ range: { start: doc.positionAt(at), end: doc.positionAt(at + from.length) }, text: to }], doc.version + 1);
      docs.analyze(doc);
    };
    docs.analyze(doc);
    edit('backstage.io', 'backstage.iq', 0);
    edit('backstage.io', 'backstage.iq', 0); // no backstage.io apiVersion left: not a catalog file
    edit('name: bbb', 'name: ccc');
    edit('backstage.iq', 'backstage.io', 0); // a catalog file again
    const fresh = analyzeText(doc.getText());
    assert.deepEqual(docs.analyze(doc)?.documents.map((d) => [d.entity?.ref, d.problems.map((p) => p.code)]), fresh.documents.map((d) => [d.entity?.ref, d.problems.map((p) => p.code)]));
    assert.deepEqual([...index.sources()].flatMap((s) => index.placementsOf(s).map((p) => p.record.ref)), ['group:default/aaa', 'group:default/ccc']);
  });
});
