/**
 * A service repository holds one service, not the catalog: references to what other repositories define
 * are not warnings there, a near miss still is, and the hover says why a target is unknown. The catalog is
 * whole when a store is configured or the policies say so (`wholeCatalog: true`).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic, MarkupContent } from 'vscode-languageserver-protocol';
import { LspClient, positionOf } from './lspClient';

const root = mkdtempSync(join(tmpdir(), 'paved-road-service-repo-'));
const service = (system: string): string =>
  [
    'apiVersion: backstage.io/v1alpha1',
    'kind: Component',
    'metadata:',
    '  name: payments',
    'spec:',
    '  type: service',
    '  lifecycle: production',
    '  owner: group:payments-team',
    `  system: ${system}`,
    '  dependsOn: [resource:payments-db]',
    '---',
    'apiVersion: backstage.io/v1alpha1',
    'kind: Resource',
    'metadata:',
    '  name: payments-cache',
    'spec:',
    '  type: redis',
    '  owner: group:payments-team',
    '',
  ].join('\n');
const summary = (d: Diagnostic[]): string[] => d.map((x) => `${x.range.start.line}:${x.code}:${x.message}`);
const NOT_FOUND = [
  "7:ref-not-found:'group:payments-team' not found in the catalog",
  "8:ref-not-found:system 'payments' not found in the catalog",
  "9:ref-not-found:'resource:payments-db' not found in the catalog",
  "17:ref-not-found:'group:payments-team' not found in the catalog",
];

describe('a service repository: only what the index can know is reported', () => {
  let c: LspClient;
  let uri: string;
  before(async () => {
    writeFileSync(join(root, 'catalog-info.yaml'), service('payments'));
    c = await LspClient.start(root);
    await c.waitForIndex();
    ({ uri } = await c.open(join(root, 'catalog-info.yaml')));
  });
  after(async () => {
    await c.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('references to entities defined elsewhere get no warning', async () => {
    assert.deepEqual(summary(await c.change(uri, service('payments'))), []);
  });

  it('the hover of such a reference says the target is not in the indexed catalog and how to connect one', async () => {
    const at = positionOf(service('payments'), 'group:payments-team');
    const h = await c.hover(uri, at.line, at.character + 2);
    const text = (h?.contents as MarkupContent).value;
    assert.match(text, /`group:default\/payments-team` is not in the indexed catalog/);
    assert.match(text, /no catalog store is connected/);
    assert.match(text, /pavedRoad\.catalog\.snapshot/);
    assert.match(text, /wholeCatalog: true/);
  });

  it('a near miss of an entity the index has is still a did-you-mean warning', async () => {
    const text = service('payments').replace('dependsOn: [resource:payments-db]', 'dependsOn: [resource:payments-cahce]');
    assert.deepEqual(summary(await c.change(uri, text)), ["9:ref-not-found:'resource:payments-cahce' not found; did you mean 'resource:payments-cache'?"]);
  });

  it('with wholeCatalog in the settings, a reference found nowhere is a warning, and the hover says it is not in the catalog', async () => {
    c.settings = { files: { include: [] }, policies: { wholeCatalog: true } };
    await c.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await c.waitForDiagnostics(uri, (d) => d.length === 4);
    assert.deepEqual(summary(await c.change(uri, service('payments'))), NOT_FOUND);
    const at = positionOf(service('payments'), 'group:payments-team');
    const h = await c.hover(uri, at.line, at.character + 2);
    assert.match((h?.contents as MarkupContent).value, /is not in the catalog \(neither in this workspace nor in a configured store\)/);
    c.settings = { files: { include: [] }, policies: {} };
    await c.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await c.waitForDiagnostics(uri, (d) => d.length === 0);
  });

  it('a .paved-road folder created with its policies file (reported once, for the folder) applies wholeCatalog', async () => {
    mkdirSync(join(root, '.paved-road'));
    writeFileSync(join(root, '.paved-road/policies.yaml'), 'wholeCatalog: true\n');
    await c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: c.uriOf(join(root, '.paved-road')), type: 1 }] });
    await c.waitForDiagnostics(uri, (d) => d.length === 4);
    rmSync(join(root, '.paved-road'), { recursive: true });
    await c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: c.uriOf(join(root, '.paved-road')), type: 3 }] });
    await c.waitForDiagnostics(uri, (d) => d.length === 0);
  });

  it('with a catalog snapshot configured, the index is the whole catalog', async () => {
    const snapshot = [{ apiVersion: 'backstage.io/v1alpha1', kind: 'Group', metadata: { name: 'payments-team' }, spec: { type: 'team', children: [] } }];
    writeFileSync(join(root, 'snapshot.json'), JSON.stringify(snapshot));
    c.settings = { files: { include: [] }, policies: {}, catalog: { snapshot: 'snapshot.json' } };
    await c.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await c.waitForDiagnostics(uri, (d) => d.length === 2);
    assert.deepEqual(summary(await c.change(uri, service('payments'))), [NOT_FOUND[1], NOT_FOUND[2]]);
  });
});
