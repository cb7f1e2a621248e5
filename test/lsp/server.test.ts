/** Protocol tests: dist/server.js over real JSON-RPC on stdio, as an editor drives it. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { FIXTURES, LspClient, positionOf, uriOf } from './lspClient';

const msgOf = (d: Diagnostic): string => (typeof d.message === 'string' ? d.message : d.message.value);
/** Code and range of each error (cross-catalog warnings are tested on their own). */
const brief = (d: Diagnostic[]): [string, number, number, number, number][] =>
  d.filter((x) => x.severity === 1).map((x) => [String(x.code), x.range.start.line, x.range.start.character, x.range.end.line, x.range.end.character]);

describe('language server over stdio', () => {
  let c: LspClient;
  before(async () => {
    c = await LspClient.start();
    await c.waitForIndex();
  });
  after(async () => {
    await c.stop();
  });

  it('reports every independent problem on its exact key or value', async () => {
    const { diagnostics } = await c.open(join(FIXTURES, 'invalid/catalog-info.yaml'));
    assert.deepEqual(brief(diagnostics), [
      ['name-format', 4, 8, 4, 23],
      ['namespace-format', 5, 13, 5, 20],
      ['tag-format', 8, 6, 8, 19],
      ['type', 10, 31, 10, 33],
      ['link-url', 12, 11, 12, 24],
      ['required', 14, 0, 14, 4],
      ['ref-kind-required', 18, 6, 18, 16],
      ['root-unknown-key', 19, 0, 19, 6],
      ['required', 26, 0, 26, 4],
      ['kind-api-version', 29, 12, 29, 27],
    ]);
    const errors = diagnostics.filter((d) => d.severity === 1);
    assert.ok(diagnostics.every((d) => d.source === 'paved-road'));
    assert.equal(msgOf(errors[5]), 'spec.lifecycle is required for a Component: the lifecycle stage of the component');
  });

  it('leaves valid files clean and non-catalog YAML alone; detects catalog files by content', async () => {
    for (const f of ['catalog-info.yaml', 'worker/catalog-info.yml', 'services.yaml', 'docker-compose.yaml', '.github/workflows/ci.yml']) {
      const { diagnostics } = await c.open(join(FIXTURES, f));
      assert.deepEqual(diagnostics, [], f);
    }
    const { diagnostics } = await c.open(join(FIXTURES, 'services-broken.yaml'), 'apiVersion: backstage.io/v1alpha1\nkind: System\nmetadata:\n  name: s\nspec: {}\n');
    assert.deepEqual(brief(diagnostics), [['required', 4, 0, 4, 4]]);
    const other = await c.open(join(FIXTURES, 'config.yaml'), 'name: x\nspec: {}\n');
    assert.deepEqual(other.diagnostics, []);
  });

  it('follows edits: unsaved contents are validated, and a fix clears the problem', async () => {
    const path = join(FIXTURES, 'edited/catalog-info.yaml');
    const text = 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: Payments Service\nspec:\n  type: service\n  lifecycle: production\n  owner: group:payments\n';
    const { uri, diagnostics } = await c.open(path, text);
    assert.deepEqual(brief(diagnostics), [['name-format', 3, 8, 3, 24]]);
    assert.deepEqual(brief(await c.change(uri, text.replace('Payments Service', 'payments-service'))), []);
    const broken = await c.change(uri, text.replace('Payments Service', 'payments-service').replace('  owner: group:payments\n', ''));
    assert.deepEqual(brief(broken), [['required', 4, 0, 4, 4]]);
  });

  it('follows incremental edits, re-checking only what they touch', async () => {
    const doc = (name: string) => `apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: ${name}\nspec:\n  type: team\n  children: []\n`;
    const text = Array.from({ length: 20 }, (_, i) => doc(`g${i}`)).join('---\n');
    const { uri, diagnostics } = await c.open(join(FIXTURES, 'incremental/catalog-info.yaml'), text);
    assert.deepEqual(diagnostics, []);
    const at = positionOf(text, 'name: g7');
    const edit = async (version: number, range: { start: { line: number; character: number }; end: { line: number; character: number } }, newText: string) => {
      await c.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text: newText }] });
      return c.waitForDiagnostics(uri, (_d, v) => v === version);
    };
    // "g7" → "G 7": an invalid name in document 8 only.
    const start = { line: at.line, character: at.character + 6 };
    let d = await edit(2, { start, end: { line: start.line, character: start.character + 1 } }, 'G ');
    assert.deepEqual(brief(d), [['name-format', at.line, at.character + 6, at.line, at.character + 9]]);
    // A new document marker in the middle splits a document in two; later documents shift. The result
    // must be what a fresh look at the whole text gives.
    d = await edit(3, { start: { line: at.line + 1, character: 0 }, end: { line: at.line + 1, character: 0 } }, '---\n');
    const whole = text.split('\n');
    whole.splice(at.line + 1, 0, '---');
    whole[at.line] = whole[at.line].replace('g7', 'G 7');
    const fresh = await c.open(join(FIXTURES, 'incremental/fresh.catalog-info.yaml'), whole.join('\n'));
    assert.deepEqual(brief(d), brief(fresh.diagnostics));
    assert.deepEqual(brief(d).map((x) => x[0]), ['required', 'name-format', 'required']);
    // Undo both: clean again.
    d = await edit(4, { start: { line: at.line + 1, character: 0 }, end: { line: at.line + 2, character: 0 } }, '');
    d = await edit(5, { start, end: { line: start.line, character: start.character + 2 } }, 'g');
    assert.deepEqual(brief(d), []);
  });

  it('an unclosed quote does not swallow the documents after the next ---', async () => {
    const text = [
      'apiVersion: backstage.io/v1alpha1',
      'kind: Component',
      'metadata:',
      '  name: a',
      '  description: "never closed',
      'spec: {type: service, lifecycle: production, owner: group:x}',
      '---',
      'apiVersion: backstage.io/v1alpha1',
      'kind: Component',
      'metadata:',
      '  name: Bad Name',
      'spec: {type: service, lifecycle: production, owner: group:x}',
      '',
    ].join('\n');
    const { diagnostics } = await c.open(join(FIXTURES, 'quote/catalog-info.yaml'), text);
    assert.deepEqual(brief(diagnostics), [
      ['yaml-unclosed-quote', 4, 15, 4, 28],
      ['name-format', 10, 8, 10, 16],
    ]);
    assert.match(msgOf(diagnostics.find((d) => d.severity === 1)!), /unclosed double quote/);
  });

  it('refuses a huge file with one clear diagnostic and keeps serving', async () => {
    const big = `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: big\n  description: "${'x'.repeat(6 * 1024 * 1024)}"\n`;
    const { diagnostics } = await c.open(join(FIXTURES, 'big/catalog-info.yaml'), big);
    assert.deepEqual(diagnostics.map((d) => d.code), ['file-too-large']);
    assert.match(msgOf(diagnostics[0]), /up to 5 MB/);
    const { diagnostics: after } = await c.open(join(FIXTURES, 'small/catalog-info.yaml'), 'kind: Component\n');
    assert.ok(after.length > 0);
    assert.ok(c.alive);
  });

  it('survives hostile input: random bytes, alias bombs, deep nesting', async () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`), 'apiVersion: backstage.io/v1alpha1'].join('\n');
    const inputs = [Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('latin1'), bomb, `apiVersion: backstage.io/v1alpha1\nx: ${'['.repeat(20000)}`];
    for (const [i, text] of inputs.entries()) {
      const { diagnostics } = await c.open(join(FIXTURES, `hostile${i}/catalog-info.yaml`), text);
      assert.ok(Array.isArray(diagnostics));
    }
    assert.ok(c.alive);
    const { diagnostics } = await c.open(join(FIXTURES, 'after-hostile/catalog-info.yaml'), 'apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: g}\nspec: {type: team, children: []}\n');
    assert.deepEqual(diagnostics, []);
  });

  it('applies policies from the pavedRoad.policies setting', async () => {
    c.settings = { files: { include: [] }, policies: { lifecycles: ['ga'] } };
    await c.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    const path = join(FIXTURES, 'policy/catalog-info.yaml');
    const { diagnostics } = await c.open(path, 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: p}\nspec: {type: service, lifecycle: production, owner: group:fixture-team}\n');
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.severity, d.range.start.line, d.range.start.character]),
      [['policy-lifecycle', 2, 3, 33]],
    );
    c.settings = { files: { include: [] }, policies: {} };
    await c.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await c.waitForDiagnostics(uriOf(path), (d) => d.length === 0);
  });

  it('completes lifecycle values, spec keys and kinds', async () => {
    const text = 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: c\nspec:\n  type: service\n  lifecycle: \n  \n';
    const { uri } = await c.open(join(FIXTURES, 'complete/catalog-info.yaml'), text);
    const at = positionOf(text, 'lifecycle: ');
    const items = (await c.completion(uri, at.line, at.character + 'lifecycle: '.length)) ?? [];
    const labels = items.map((i) => i.label);
    for (const l of ['experimental', 'production', 'deprecated']) assert.ok(labels.includes(l), labels.join(', '));
    const keys = (await c.completion(uri, 7, 2)) ?? [];
    const keyLabels = keys.map((i) => i.label);
    assert.ok(keyLabels.includes('owner'), keyLabels.join(', '));
    assert.ok(!keyLabels.includes('type') && !keyLabels.includes('lifecycle'), 'keys already present are not offered');
  });

  it('hovers keys with their meaning and rule', async () => {
    const path = join(FIXTURES, 'catalog-info.yaml');
    const text = c.text(uriOf(path));
    const at = positionOf(text, 'name:');
    const h = await c.hover(uriOf(path), at.line, at.character + 1);
    assert.ok(h, 'a hover');
    const value = typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : JSON.stringify(h.contents);
    assert.match(value, /1-63 characters/);
    assert.deepEqual(h.range, { start: at, end: { line: at.line, character: at.character + 4 } });
  });

  it('outlines one symbol per entity named kind:namespace/name', async () => {
    const symbols = await c.symbols(uriOf(join(FIXTURES, 'catalog-info.yaml')));
    assert.deepEqual(
      symbols.map((s) => s.name),
      ['group:default/fixture-team', 'user:default/ada', 'user:default/grace', 'component:default/fixture-service', 'api:default/fixture-api'],
    );
    assert.ok(symbols[0].children?.some((k) => k.name === 'spec'));
  });
});
