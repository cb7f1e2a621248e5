/**
 * The demo with its shared store (demo/.vscode/settings.json): the company snapshot loads with its
 * quarantined entities, and every demo file keeps the diagnostics it has without the store (the copies
 * of workspace entities in the store are no duplicates; the broken files keep their mistakes).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import type { ServerStatus } from '../../server/src/protocol';
import { listYamlFiles } from '../../server/src/sources/folderSource';
import { LspClient, positionOf, ROOT } from './lspClient';

const DEMO = join(ROOT, 'demo');

/** VS Code's flat settings (`pavedRoad.catalog.sources`) as the nested object the test client answers with. */
function nested(flat: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { pavedRoad: { files: { include: [] }, policies: {} } };
  for (const [key, value] of Object.entries(flat)) {
    const parts = key.split('.');
    let at = out;
    for (const p of parts.slice(0, -1)) at = (at[p] ??= {}) as Record<string, unknown>;
    at[parts[parts.length - 1]] = value;
  }
  return out.pavedRoad as Record<string, unknown>;
}

const summary = (ds: Diagnostic[]): string[] => ds.map((d) => `${d.range.start.line}:${d.range.start.character} ${d.code} ${d.message}`).sort();

describe('the demo with its shared store', () => {
  const settings = nested(JSON.parse(readFileSync(join(DEMO, '.vscode/settings.json'), 'utf8')));
  let withStore: LspClient;
  let without: LspClient;
  before(async () => {
    withStore = await LspClient.start(DEMO, settings);
    without = await LspClient.start(DEMO, { files: { include: [] }, policies: {} });
    await Promise.all([withStore.waitForIndex(), without.waitForIndex()]);
    const store = (): ServerStatus['sources'] => (withStore.status as unknown as ServerStatus).sources;
    await withStore.until(() => store()?.[1]?.state === 'fresh', 15000, () => JSON.stringify(store()));
  });
  after(async () => {
    await Promise.all([withStore.stop(), without.stop()]);
  });

  it('loads the company catalog, quarantined entities included', () => {
    const [workspace, company] = (withStore.status as unknown as ServerStatus).sources!;
    assert.equal(workspace.type, 'workspace');
    assert.deepEqual([company.label, company.state, company.quarantined], ['Acme company catalog', 'fresh', 4]);
    assert.ok(company.entities >= 200, `${company.entities} entities`);
  });

  it("offers the workspace's teams before the store's in owner completion", async () => {
    const file = join(DEMO, 'payments-service/catalog-info.yaml');
    const text = readFileSync(file, 'utf8');
    const { uri } = await withStore.open(file);
    const at = positionOf(text, 'owner: ');
    const items = (await withStore.completion(uri, at.line, at.character + 'owner: '.length)) ?? [];
    const labels = items.map((i) => i.label);
    const workspaceTeams = ['Payments Team', 'Storefront Team', 'Search Squad', 'Platform Team'].map((l) => labels.indexOf(l));
    const storeTeam = labels.indexOf('Identity Guild');
    assert.ok(workspaceTeams.every((i) => i !== -1) && storeTeam !== -1, JSON.stringify(labels));
    assert.ok(Math.max(...workspaceTeams) < storeTeam, JSON.stringify(labels));
  });

  it('every demo file has the diagnostics it has without the store', async () => {
    const files = (await listYamlFiles(DEMO)).filter((f) => !f.includes('/.vscode/'));
    let warnings = 0;
    for (const file of files) {
      const a = await withStore.open(file);
      const b = await without.open(file);
      assert.deepEqual(summary(a.diagnostics), summary(b.diagnostics), file);
      warnings += a.diagnostics.filter((d) => d.code === 'ref-not-found').length;
    }
    assert.ok(warnings > 0, 'the demo still shows its not-found warning');
  });
});
