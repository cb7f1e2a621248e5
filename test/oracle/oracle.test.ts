/**
 * The oracle itself must reproduce the verdicts recorded in /work/shared/notes/backstage-verdicts.md and
 * the samples of anchors-language.md §2 (observed with Backstage's own pipeline). If one of these fails,
 * the oracle, not the engine, is wrong.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nodePath from 'node:path';
import { judgeText, type OracleDocument } from './backstageOracle';
import { FIXTURES_DIR } from './corpus';

const path = nodePath.join(FIXTURES_DIR, 'catalog-info.yaml');

function component(metadataExtra = '', specExtra = '', rootExtra = '', name = 'svc'): string {
  return [
    'apiVersion: backstage.io/v1alpha1',
    'kind: Component',
    'metadata:',
    `  name: ${name}`,
    ...(metadataExtra ? [metadataExtra] : []),
    'spec:',
    '  type: service',
    '  lifecycle: production',
    '  owner: team-a',
    ...(specExtra ? [specExtra] : []),
    ...(rootExtra ? [rootExtra] : []),
    '',
  ].join('\n');
}

async function only(text: string): Promise<OracleDocument> {
  const r = await judgeText(text, { path });
  const docs = r.documents.filter((d) => !d.empty);
  assert.equal(docs.length, 1, `expected one non-empty document, got ${JSON.stringify(r.documents)}`);
  return docs[0];
}

async function expectValid(text: string): Promise<void> {
  const d = await only(text);
  assert.equal(d.valid, true, `expected valid, got ${d.stage}: ${d.reason}\n${text}`);
}

async function expectInvalid(text: string, stage: OracleDocument['stage'], reasonIncludes?: string): Promise<void> {
  const d = await only(text);
  assert.equal(d.valid, false, `expected invalid\n${text}`);
  assert.equal(d.stage, stage, `stage of ${d.reason}`);
  if (reasonIncludes) assert.ok(d.reason?.includes(reasonIncludes), `reason "${d.reason}" should include "${reasonIncludes}"`);
}

test('valid for Backstage: annotations null, "" and false', async () => {
  for (const v of ['null', '""', 'false']) await expectValid(component(`  annotations: ${v}`));
});

test('valid for Backstage: lenient references a:b:c and group:default/a/b', async () => {
  await expectValid(component().replace('owner: team-a', 'owner: a:b:c'));
  await expectValid(component().replace('owner: team-a', 'owner: group:default/a/b'));
});

test('valid for Backstage: `<<:` inside metadata is an ordinary key', async () => {
  await expectValid(component('  <<: {title: x}'));
});

test('valid for Backstage: YAML 1.2 strings yes, 1_000, 2024-01-01 as names', async () => {
  for (const n of ['yes', '1_000', '2024-01-01']) await expectValid(component('', '', '', n));
});

test('invalid for Backstage: labels: null and tags: null', async () => {
  await expectInvalid(component('  labels: null'), 'policy', '/metadata/labels must be object');
  await expectInvalid(component('  tags: null'), 'policy', '/metadata/tags must be array');
});

test('invalid for Backstage: name 012 and 0x1F are numbers', async () => {
  for (const n of ['012', '0x1F']) await expectInvalid(component('', '', '', n), 'envelope', '/metadata/name must be string');
});

test('invalid for Backstage: unknown root key, relations, status', async () => {
  await expectInvalid(component('', '', 'foo: bar'), 'policy', 'must NOT have additional properties');
  await expectInvalid(component('', '', 'relations: []'), 'policy', 'Unknown field relations');
  await expectInvalid(component('', '', 'status: {}'), 'policy', 'Unknown field status');
});

test('invalid for Backstage: relative $text to a missing file; valid to an existing one', async () => {
  await expectInvalid(component('  description: {$text: ./MISSING.md}'), 'placeholder', 'could not read location ./MISSING.md');
  await expectValid(component('  description: {$text: ./README.md}'));
});

test('invalid for Backstage: undefined aliases and alias bombs are YAML errors', async () => {
  await expectInvalid(component().replace('owner: team-a', 'owner: *nope'), 'yaml', 'Unresolved alias');
  const bomb = 'a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n';
  await expectInvalid(bomb, 'yaml', 'Excessive alias count');
});

test('documents: empty and comment-only documents are skipped but counted', async () => {
  const r = await judgeText(`${component()}---\n# only a comment\n---\n${component('', '', '', 'two')}---\n`, { path });
  assert.deepEqual(
    r.documents.map((d) => [d.docIndex, d.empty, d.valid]),
    [
      [0, false, true],
      [1, true, true],
      [2, false, true],
      [3, true, true],
    ],
  );
});

test('documents: a YAML error rejects the whole file', async () => {
  const r = await judgeText(`${component()}---\n${component('  tags: [a, b')}`, { path });
  assert.equal(r.fileRejected, true);
  assert.deepEqual(
    r.documents.map((d) => [d.valid, d.yamlError]),
    [
      [true, false],
      [false, true],
    ],
  );
});

test('kinds: foreign kind or apiVersion, Template v1beta2', async () => {
  await expectInvalid(component().replace('kind: Component', 'kind: component'), 'kind', 'No processor recognized');
  await expectInvalid(component().replace('backstage.io/v1alpha1', 'backstage.io/v1'), 'kind', 'No processor recognized');
  const template = 'apiVersion: scaffolder.backstage.io/v1beta2\nkind: Template\nmetadata:\n  name: t\nspec:\n  type: service\n  steps: []\n';
  await expectInvalid(template, 'kind', 'No processor recognized');
  await expectValid(template.replace('v1beta2', 'v1beta3'));
});

test('samples of anchors-language.md §2', async () => {
  await expectInvalid(component('  namespace: Payments'), 'policy', '"metadata.namespace" is not valid');
  await expectInvalid(component('', '  dependsOn: [artists-db]'), 'relations', 'had missing or empty kind');
  const merged = 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc\nspec:\n  <<: {type: service, lifecycle: production, owner: team-a}\n';
  await expectInvalid(merged, 'kind', "/spec must have required property 'type'");
  await expectInvalid(component().replace('owner: team-a', 'owner: "group:"'), 'relations', 'was not on the form');
});

test('Location targets: missing required target rejected, optional accepted', async () => {
  const loc = (spec: string) => `apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: l\nspec:\n${spec}\n`;
  await expectValid(loc('  target: ./target-ok.yaml'));
  await expectInvalid(loc('  target: ./nope.yaml'), 'location', 'no matching files');
  await expectValid(loc('  target: ./nope.yaml\n  presence: optional'));
  await expectInvalid(loc('  presence: maybe'), 'kind', '/spec/presence must be equal to one of the allowed values');
});
