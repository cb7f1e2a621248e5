/** Template manifests over real JSON-RPC: a template.yaml (paved-road.dev/v1, Template) gets its schema's diagnostics, key completion and hover. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LspClient, positionOf } from './lspClient';

const root = mkdtempSync(join(tmpdir(), 'paved-road-manifest-lsp-'));
const manifest = `apiVersion: paved-road.dev/v1
kind: Template
id: svc
version: 1.0.0
type: servic
title: A service
descripton: typo
parameters:
  type: object
  properties:
    name:
      type: string
      
`;

describe('template manifests in the language server', () => {
  let c: LspClient;
  before(async () => {
    mkdirSync(join(root, '.paved-road/templates/svc/1.0.0'), { recursive: true });
    writeFileSync(join(root, 'catalog-info.yaml'), 'apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team\nspec:\n  type: team\n  children: []\n');
    c = await LspClient.start(root);
    await c.waitForIndex();
  });
  after(async () => {
    await c.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('reports the schema problems on their keys and values, and clears them when fixed', async () => {
    const path = join(root, '.paved-road/templates/svc/1.0.0/template.yaml');
    const { uri, diagnostics } = await c.open(path, manifest);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.message, d.range.start.line, d.range.start.character, d.range.end.character]),
      [
        ['template-manifest', 'description is missing', 0, 0, 10],
        ['template-manifest', 'type must be one of "service", "addition"', 4, 6, 12],
        ['template-manifest', 'descripton is not a known key', 6, 0, 10],
      ],
    );
    assert.ok(diagnostics.every((d) => d.severity === 1 && d.source === 'paved-road'));
    const fixed = await c.change(uri, manifest.replace('servic\n', 'service\n').replace('descripton', 'description'));
    assert.deepEqual(fixed, []);
    const moved = await c.change(uri, manifest.replace('servic\n', 'service\n').replace('descripton', 'description').replace('version: 1.0.0', 'version: 1.1.0'));
    assert.deepEqual(moved.map((d) => [d.message, d.range.start.line]), [['version is 1.1.0, but the folder is 1.0.0: they must be equal', 3]]);
  });

  it('completes the keys the schema allows where the cursor is, with their descriptions', async () => {
    const path = join(root, 'other/template.yaml');
    const { uri } = await c.open(path, manifest);
    const top = await c.completion(uri, 13, 0);
    const labels = top!.map((i) => i.label);
    assert.ok(labels.includes('description') && labels.includes('rules') && labels.includes('edits'), labels.join());
    assert.ok(!labels.includes('title') && !labels.includes('apiVersion'), 'keys already written are not offered');
    const nested = await c.completion(uri, 12, 6);
    const param = nested!.map((i) => i.label);
    assert.ok(param.includes('x-catalog') && param.includes('pattern') && !param.includes('type'), param.join());
    const xCatalog = nested!.find((i) => i.label === 'x-catalog')!;
    assert.match(typeof xCatalog.documentation === 'object' ? xCatalog.documentation.value : String(xCatalog.documentation), /picked by display name/);
    const values = await c.completion(uri, 4, 12);
    assert.deepEqual(values!.map((i) => i.label), ['service', 'addition']);
    const hover = await c.hover(uri, positionOf(manifest, 'parameters').line, 2);
    assert.match(String((hover!.contents as { value: string }).value), /^\*\*parameters\*\*\n\nThe questions, as a JSON Schema/);
  });

  it('scorecard files get the same help: problems on what they are about, completion inside conditions, hover', async () => {
    const card = `apiVersion: paved-road.dev/v1
kind: Scorecard
id: small
title: Small
rules:
  - id: on-call
    title: On call
    level: Platnum
    condition:
      fild: metadata.name
    fix: { quickFix: 'add-annotation:pagerduty.com/service-id' }
  - id: docker
    title: Non-root
    level: Gold
    condition:
      file: Dockerfile
      
`;
    const { uri, diagnostics } = await c.open(join(root, '.paved-road/scorecards/small.yaml'), card);
    const found = diagnostics.map((d) => [d.code, d.message, d.range.start.line]);
    assert.ok(found.some(([code, m, line]) => code === 'scorecard' && /fild is not a known key/.test(String(m)) && line === 9), JSON.stringify(found));
    const fixed = card.replace('fild', 'field').replace('metadata.name\n', 'metadata.name\n      exists: true\n').replace('      file: Dockerfile\n', '      file: Dockerfile\n      exists: true\n');
    const left = await c.change(uri, fixed);
    assert.deepEqual(left.map((d) => [d.message, d.range.start.line]), [['level Platnum is not on the ladder (Bronze, Silver, Gold)', 7]]);
    assert.deepEqual(await c.change(uri, fixed.replace('Platnum', 'Silver')), []);
    await c.change(uri, card);
    const inCondition = (await c.completion(uri, 16, 6))!.map((i) => i.label);
    assert.ok(inCondition.includes('exists') && inCondition.includes('matches') && inCondition.includes('flags') && !inCondition.includes('file'), inCondition.join());
    const relation = await c.change(uri, card.replace('      fild: metadata.name', '      relation: o'));
    assert.ok(relation.length > 0);
    const values = await c.completion(uri, 9, 17);
    assert.deepEqual(values!.map((i) => i.label), ['ownerIsGroup', 'dependsOnNothingDeprecated']);
    const hover = await c.hover(uri, 8, 6);
    assert.match(String((hover!.contents as { value: string }).value), /^\*\*condition\*\*\n\nOne condition, exactly one operator/);
  });

  it('leaves other YAML alone', async () => {
    const { uri, diagnostics } = await c.open(join(root, 'config/template.yaml'), 'apiVersion: v1\nkind: Template\nname: x\n');
    assert.deepEqual(diagnostics, []);
    assert.deepEqual((await c.completion(uri, 2, 0)) ?? [], []);
  });
});
