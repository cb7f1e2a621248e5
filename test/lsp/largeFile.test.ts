/**
 * A large catalog file opened in the editor: half its documents are analysed on a parse worker while the
 * server analyses the other half. The verdicts must be exactly those of a fresh check (the CLI's engine),
 * and the features must work in the documents the worker analysed (their YAML trees are made again).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { MarkupContent } from 'vscode-languageserver-protocol';
import { checkCatalog } from '../../server/src/catalog/catalogCheck';
import { lineIndex } from '../../server/src/catalog/lines';
import { DEFAULT_POLICIES } from '../../server/src/catalog/policies';
import { LspClient, positionOf, uriOf } from './lspClient';

const root = mkdtempSync(join(tmpdir(), 'paved-road-large-'));
const path = join(root, 'services.catalog-info.yaml');

/** 600 documents: Groups, then Components owned by them; every 40th broken in its own way. */
function corpus(): string {
  const docs: string[] = [];
  for (let g = 0; g < 20; g++) docs.push(`apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-${g}\nspec:\n  type: team\n  profile:\n    displayName: Team ${g}\n  children: []`);
  for (let c = 0; c < 580; c++) {
    const broken = c % 40 === 7;
    const name = broken && c % 80 === 7 ? `service ${c}` : `service-${c}`;
    const lifecycle = broken && c % 80 !== 7 ? 'Production' : 'production';
    const yamlError = c === 447 ? '\n  description: Handles refunds: cards and vouchers' : `\n  description: Service number ${c}.`;
    docs.push(`apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}${yamlError}\n  tags: [java, tier-${c % 3}]\nspec:\n  type: service\n  lifecycle: ${lifecycle}\n  owner: group:team-${c % 20}\n  system: sys-${c % 7}${c % 50 === 3 ? `\n  dependsOn: [component:service-${c + 1000}]` : ''}`);
  }
  return `${docs.join('\n---\n')}\n`;
}

describe('a large file opened in the editor (analysed in two halves, one on a worker)', () => {
  let c: LspClient;
  const text = corpus();
  before(async () => {
    writeFileSync(path, text);
    c = await LspClient.start(root, { files: { include: [] }, policies: { wholeCatalog: true } });
    await c.waitForIndex();
  });
  after(async () => {
    await c.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('gets exactly the diagnostics of a fresh check', async () => {
    assert.ok(text.length > 256 * 1024 || text.split('\n---\n').length >= 200);
    const { diagnostics } = await c.open(path, text);
    const [checked] = checkCatalog([{ uri: uriOf(path), path, text, policies: { ...DEFAULT_POLICIES, wholeCatalog: true } }], { describeUri: (u) => u, knownWhole: false });
    const pos = lineIndex(text);
    const expected = [...checked.analysis.documents.flatMap((d) => d.problems), ...checked.cross]
      .sort((a, b) => a.start - b.start)
      .map((p) => `${pos(p.start).line}:${pos(p.start).character} ${p.code} ${p.message}`);
    const got = diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character} ${d.code} ${d.message}`);
    assert.ok(expected.length > 20, `expected problems in the corpus, got ${expected.length}`);
    assert.deepEqual([...got].sort(), [...expected].sort());
  });

  it('hover and completion work in a document of the second half (analysed on the worker)', async () => {
    const uri = uriOf(path);
    const at = positionOf(text, 'owner: group:team-5', 20);
    const h = await c.hover(uri, at.line, at.character + 'owner: group:'.length + 2);
    assert.match((h?.contents as MarkupContent).value, /\*\*Team 5\*\*/);
    const lc = positionOf(text, 'lifecycle: production', 560);
    const items = (await c.completion(uri, lc.line, lc.character + 'lifecycle: '.length)) ?? [];
    assert.ok(items.some((i) => i.label === 'production'), items.map((i) => i.label).join(', '));
    const symbols = await c.symbols(uri);
    assert.equal(symbols.length, 600);
  });
});
