/** Engine unit tests: splitting, references, formats, validation ranges, incremental reuse, policies. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeText, composeEdits, FileAnalyzer } from '../../server/src/catalog/analyze';
import { globToRegExp, isCatalogFile } from '../../server/src/catalog/files';
import * as F from '../../server/src/catalog/formats';
import { lineIndex } from '../../server/src/catalog/lines';
import { parseRefString, stringifyRef } from '../../server/src/catalog/refs';
import { DEFAULT_POLICIES, readPolicies } from '../../server/src/catalog/policies';
import { splitDocuments } from '../../server/src/catalog/split';
import { placementsOfText } from '../../server/src/sources/fileRecords';
import { placementsOfAnalysis } from '../../server/src/catalog/catalogCheck';
import { Rng } from '../fuzz/mutators';

const component = (spec = 'type: service\n  lifecycle: production\n  owner: group:team-a', meta = 'name: svc') =>
  `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  ${meta}\nspec:\n  ${spec}\n`;

/** Codes with the text each problem covers. */
function problems(text: string): [string, string][] {
  return analyzeText(text).documents.flatMap((d) => d.problems.map((p): [string, string] => [p.code, text.slice(p.start, p.end)]));
}

describe('splitDocuments', () => {
  it('splits at --- and ... lines, keeps leading comments with the first document', () => {
    const chunks = splitDocuments('# head\n---\na: 1\n---\nb: 2\n...\n---\n');
    assert.deepEqual(
      chunks.map((c) => [c.start, c.line, c.text]),
      [
        [0, 0, '# head\n---\na: 1\n'],
        [16, 3, '---\nb: 2\n...\n'],
        [29, 6, '---\n'],
      ],
    );
  });
  it('does not split on --- inside a line or with text glued to it', () => {
    assert.equal(splitDocuments('a: ---\n---x: 1\n  ---\n').length, 1);
  });
});

describe('entity references', () => {
  it('parses [kind:][namespace/]name as Backstage does', () => {
    assert.deepEqual(parseRefString('group:team-a'), { kind: 'group', namespace: undefined, name: 'team-a' });
    assert.deepEqual(parseRefString('ns/name'), { kind: undefined, namespace: 'ns', name: 'name' });
    assert.deepEqual(parseRefString('a:b:c'), { kind: 'a', namespace: undefined, name: 'b:c' });
    assert.deepEqual(parseRefString('group:default/a/b'), { kind: 'group', namespace: 'default', name: 'a/b' });
    assert.deepEqual(parseRefString('a/b:c'), { kind: undefined, namespace: 'a', name: 'b:c' });
    for (const bad of ['group:', ':x', 'group:/x', 'group:ns/', '']) assert.equal(parseRefString(bad), undefined, bad);
    assert.equal(stringifyRef('Group', 'Default', 'Team-A'), 'group:default/team-a');
  });
});

describe('field formats', () => {
  it('names: 1-63, alphanumeric ends, -_. inside', () => {
    for (const ok of ['a', 'a..b', 'A_b-c.d', 'x'.repeat(63)]) assert.ok(F.isValidObjectName(ok), ok);
    for (const bad of ['', '-a', 'a-', 'a b', 'x'.repeat(64), '_a']) assert.ok(!F.isValidObjectName(bad), bad);
  });
  it('namespaces are lower-case DNS labels; api versions and keys take an optional DNS prefix', () => {
    assert.ok(F.isValidDnsLabel('a--b'));
    assert.ok(!F.isValidDnsLabel('Payments'));
    assert.ok(F.isValidApiVersion('backstage.io/v1alpha1'));
    assert.ok(!F.isValidApiVersion('backstage.io/1.0'));
    assert.ok(!F.isValidApiVersion('a/b/c'));
    assert.ok(F.isValidMetadataKey('example.com/some-key'));
    assert.ok(!F.isValidMetadataKey('Example.com/key'));
    assert.ok(F.isValidTag('c++') && F.isValidTag('a:b') && F.isValidTag('c#'));
    assert.ok(!F.isValidTag('Java') && !F.isValidTag('a--b'));
  });
});

describe('validation', () => {
  it('a valid Component has no problems and an identity', () => {
    const [d] = analyzeText(component()).documents;
    assert.equal(d.valid, true);
    assert.deepEqual(d.problems, []);
    assert.deepEqual(d.entity, { kind: 'Component', namespace: 'default', name: 'svc', ref: 'component:default/svc' });
  });
  it('puts each problem on the exact key or value', () => {
    assert.deepEqual(problems(component(undefined, 'name: Payments Service')), [['name-format', 'Payments Service']]);
    assert.deepEqual(problems(component('type: service\n  lifecycle: production')), [['required', 'spec']]);
    assert.deepEqual(problems(component('type: service\n  lifecycle: production\n  owner: group:a\n  dependsOn: [db, resource:ok, "group:"]')), [
      ['ref-kind-required', 'db'],
      ['ref-malformed', '"group:"'],
    ]);
    assert.deepEqual(problems('apiVersion: backstage.io/v1alpha1\nkind: component\nmetadata: {name: x}\nspec: {}\n'), [['kind-unknown', 'component']]);
    assert.deepEqual(problems('apiVersion: scaffolder.backstage.io/v1beta2\nkind: Template\nmetadata: {name: t}\nspec: {type: service, steps: []}\n'), [
      ['kind-api-version', 'scaffolder.backstage.io/v1beta2'],
    ]);
  });
  it('agrees with Backstage on the easy-to-get-wrong verdicts', () => {
    const valid = (meta: string) => analyzeText(component(undefined, meta)).documents[0].valid;
    assert.equal(valid('name: svc\n  annotations: null'), true);
    assert.equal(valid('name: svc\n  annotations: ""'), true);
    assert.equal(valid('name: svc\n  labels: null'), false);
    assert.equal(valid('name: svc\n  tags: null'), false);
    assert.equal(valid('name: yes'), true);
    assert.equal(valid('name: 1_000'), true);
    assert.equal(valid('name: 012'), false);
    assert.equal(valid('name: 0x1F'), false);
    assert.equal(valid('name: svc\n  <<: {a: b}'), true);
    assert.equal(analyzeText(component('type: service\n  lifecycle: production\n  owner: a:b:c')).documents[0].valid, true);
    assert.equal(analyzeText('apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: x}\nspec:\n  <<: {type: service, lifecycle: production, owner: g}\n').documents[0].valid, false);
  });
  it('reports YAML errors at their cause and keeps the other documents', () => {
    const text = `${component()}---\na: 1\na: 2\n---\n${component(undefined, 'name: Bad Name')}`;
    const r = analyzeText(text);
    assert.deepEqual(
      r.documents.map((d) => [d.docIndex, d.valid, d.problems.map((p) => p.code)]),
      [
        [0, true, []],
        // Not an entity: besides the duplicate, the first `a` is an unknown root key and the envelope is missing.
        [1, false, ['required', 'root-unknown-key', 'yaml-duplicate-key']],
        [2, false, ['name-format']],
      ],
    );
  });
  it('ignores empty documents but counts them', () => {
    const r = analyzeText(`---\n# nothing\n---\n${component()}---\n`);
    assert.deepEqual(
      r.documents.map((d) => [d.docIndex, d.empty, d.valid]),
      [
        [0, true, true],
        [1, false, true],
        [2, true, true],
      ],
    );
  });
  it('checks $text placeholders against the file system', () => {
    const text = 'apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: a}\nspec:\n  type: openapi\n  lifecycle: production\n  owner: group:g\n  definition:\n    $text: ./openapi.yaml\n';
    const read = (p: string) => (p === '/repo/openapi.yaml' ? 'openapi: 3.0.0' : undefined);
    assert.equal(analyzeText(text, { path: '/repo/catalog-info.yaml', readFile: read }).documents[0].valid, true);
    const missing = analyzeText(text, { path: '/other/catalog-info.yaml', readFile: read }).documents[0];
    assert.deepEqual(missing.problems.map((p) => [p.code, text.slice(p.start, p.end)]), [['placeholder-missing', './openapi.yaml']]);
  });
});

describe('a YAML error does not hide the other problems', () => {
  const WHOLE_FILE = 'The catalog rejects every entity of a file with a YAML error.';

  it("reports the issue's example: the unquoted ': ' and the four other mistakes", () => {
    const text = [
      'apiVersion: backstage.io/v1alpha1',
      'kind: Component',
      'metadata:',
      '  name: payment service',
      '  description: Handles payments: cards, wallets and vouchers',
      '  tags: java',
      'spec:',
      '  type: service',
      '  lifecycle: Production',
      '',
    ].join('\n');
    const d = analyzeText(text).documents[0];
    const pos = lineIndex(text);
    assert.deepEqual(
      d.problems.map((p) => [p.code, p.severity, pos(p.start).line, text.slice(p.start, p.end), p.message]),
      [
        ['name-format', 'error', 3, 'payment service', "metadata.name 'payment service' must be 1-63 characters of letters, digits, '-', '_' or '.', starting and ending with a letter or digit"],
        ['yaml-syntax', 'error', 4, 'H', `a value holds ': ' but is not quoted; quote the value (e.g. "a: b") or move the mapping to its own lines. ${WHOLE_FILE}`],
        ['type', 'error', 5, 'java', "metadata.tags must be a list, but it is 'java'"],
        ['required', 'error', 6, 'spec', 'spec.owner is required for a Component: the Group or User that owns the component'],
        ['policy-lifecycle', 'warning', 8, 'Production', "lifecycle 'Production' is not one of this organisation's lifecycles: experimental, production, deprecated"],
      ],
    );
    assert.equal(d.valid, false);
    // The catalog drops the file: no entity, no index record, whichever way the file is read.
    assert.equal(d.entity, undefined);
    assert.deepEqual(placementsOfAnalysis(analyzeText(text)), []);
    assert.deepEqual(placementsOfText(text, DEFAULT_POLICIES), []);
  });

  it('reports nothing the broken line could have caused', () => {
    const meta = 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: Bad Name\n';
    const codes = (text: string) => analyzeText(text).documents[0].problems.map((p) => p.code);
    // The lost `: ` may have been the owner line: no "spec.owner is required".
    assert.deepEqual(codes(`${meta}spec:\n  type: service\n  lifecycle: production\n  owner group:team-a\n`), ['name-format', 'yaml-syntax']);
    // A lost `: ` in metadata hides no spec key.
    assert.deepEqual(codes(`${meta}  title Bad\n  tags: [a]\nspec:\n  type: service\n  lifecycle: production\n`), ['name-format', 'yaml-syntax', 'required']);
    // An undefined alias leaves no type error on the owner it stood for.
    assert.deepEqual(codes(`${meta}spec:\n  type: service\n  lifecycle: production\n  owner: *team\n`), ['name-format', 'yaml-alias']);
    // A tab-indented block header takes its block with it; the rest of spec is still read (the parser
    // also calls the two lines after the block misindented, as it does today).
    assert.deepEqual(codes(`${meta}spec:\n  type: service\n\tdependsOn:\n    - component:a\n  lifecycle: Production\n  owner: group:t\n`), [
      'name-format',
      'yaml-syntax',
      'yaml-syntax',
      'policy-lifecycle',
      'yaml-syntax',
    ]);
    // A duplicate key: the first one counts, the rest is readable as is.
    assert.deepEqual(codes(`${meta}spec:\n  type: service\n  type: website\n  lifecycle: production\n  owner: group:t\n`), ['name-format', 'yaml-duplicate-key']);
    // An unclosed quote runs to the end: what came before is still reported, nothing after it.
    assert.deepEqual(codes(`${meta}  description: "Handles payments\nspec:\n  type: service\n  lifecycle: Production\n`), ['name-format', 'yaml-unclosed-quote']);
  });
});

describe('incremental analysis', () => {
  it('re-validates only the documents whose text changed', () => {
    const docs = Array.from({ length: 50 }, (_, i) => component(undefined, `name: svc-${i}`));
    const a = new FileAnalyzer();
    const first = a.analyze(docs.join('---\n'));
    docs[25] = component(undefined, 'name: svc-25-edited');
    const second = a.analyze(docs.join('---\n'));
    const reused = second.documents.filter((d, i) => d.cached === first.documents[i].cached).length;
    assert.equal(reused, 49);
    assert.equal(second.documents[26].start, first.documents[26].start + '-edited'.length);
  });
});

describe('policies', () => {
  it('are data over defaults, with what was ignored', () => {
    const { policies, issues } = readPolicies({ lifecycles: ['ga'], typedOwner: 'yes', kinds: [{ kind: 'Environment', apiVersions: ['acme.io/v1'] }] });
    assert.deepEqual(policies.lifecycles, ['ga']);
    assert.equal(policies.typedOwner, true);
    assert.deepEqual(issues, ['typedOwner must be true or false']);
    const env = 'apiVersion: acme.io/v1\nkind: Environment\nmetadata: {name: prod}\nspec: {}\n';
    assert.equal(analyzeText(env).documents[0].valid, false);
    assert.equal(analyzeText(env, { policies }).documents[0].valid, true);
  });
  it('warn, and never change the Backstage verdict', () => {
    const d = analyzeText(component('type: service\n  lifecycle: beta\n  owner: team-a')).documents[0];
    assert.equal(d.valid, true);
    assert.deepEqual(d.problems.map((p) => [p.code, p.severity]), [
      ['policy-lifecycle', 'warning'],
      ['policy-owner-typed', 'warning'],
    ]);
  });
});

describe('files and positions', () => {
  it('recognises catalog files by name, glob and content', () => {
    assert.ok(isCatalogFile('/r/catalog-info.yaml', undefined));
    assert.ok(isCatalogFile('/r/x.catalog-info.yaml', undefined));
    assert.ok(isCatalogFile('/r/catalog-info.yml', undefined));
    assert.ok(isCatalogFile('/r/org.yaml', 'apiVersion: backstage.io/v1alpha1\n'));
    assert.ok(!isCatalogFile('/r/org.yaml', 'name: x\n'));
    assert.ok(isCatalogFile('/r/org/teams.yaml', 'x: 1', ['**/org/*.yaml']));
    assert.ok(globToRegExp('**/*.{yaml,yml}').test('a/b/c.yml'));
  });
  it('converts offsets to 0-based lines and characters', () => {
    const pos = lineIndex('ab\ncd\n');
    assert.deepEqual([pos(0), pos(3), pos(4), pos(6)], [
      { line: 0, character: 0 },
      { line: 1, character: 0 },
      { line: 1, character: 1 },
      { line: 2, character: 0 },
    ]);
  });
});

describe('incremental analysis with edit hints', () => {
  const pieces = ['\n---\n', '---', '\n', ' ', 'x', ': ', '"', '#', '\n...\n', 'name: a', '  owner: group:t\n', ''];

  it('gives exactly the result of a full analysis after thousands of random edits', () => {
    const rng = new Rng(7); // seeded, so a failure can be replayed
    const rand = (): number => rng.next();
    const docs = Array.from({ length: 12 }, (_, i) => component(undefined, `name: svc-${i}`));
    let text = `# head\n${docs.join('---\n')}`;
    const a = new FileAnalyzer();
    a.analyze(text);
    for (let n = 0; n < 3000; n++) {
      const start = Math.floor(rand() * (text.length + 1));
      const oldEnd = Math.min(text.length, start + Math.floor(rand() * 6));
      const insert = rand() < 0.3 ? '' : pieces[Math.floor(rand() * pieces.length)];
      const next = text.slice(0, start) + insert + text.slice(oldEnd);
      const got = a.analyze(next, { start, oldEnd, newEnd: start + insert.length });
      const want = analyzeText(next);
      const view = (f: typeof want) => f.documents.map((d) => [d.docIndex, d.start, d.end, d.chunk.line, d.empty, d.valid, d.problems.map((p) => `${p.code}@${p.start}-${p.end}`).join(',')]);
      assert.deepEqual(view(got), view(want), `edit ${n}: ${JSON.stringify({ start, oldEnd, insert })}`);
      text = next;
      if (text.length > 6000) {
        text = `# head\n${docs.join('---\n')}`;
        a.analyze(text);
      }
    }
  });

  it('folds successive edits into one region', () => {
    // "abcdef": replace "cd" by "XYZ" → "abXYZef"; then insert "!" at 6 → "abXYZe!f".
    const h = composeEdits({ start: 2, oldEnd: 4, newEnd: 5 }, { start: 6, oldEnd: 6, newEnd: 7 });
    assert.deepEqual(h, { start: 2, oldEnd: 5, newEnd: 7 });
    const before = 'abcdef';
    const after = 'abXYZe!f';
    assert.equal(before.slice(0, h.start) + after.slice(h.start, h.newEnd) + before.slice(h.oldEnd), after);
  });
});
