/**
 * The warm start over real JSON-RPC: a second start serves the workspace from the cache at once (the
 * Catalog view, hover across files and the status answer from it) while its check against the disk is
 * still to come, and the check then reads again the file that changed between the two starts (its new
 * entity appears, the old one goes) and drops the file that was deleted.
 *
 * The check is held deterministically: an open document whose settings the client has not answered yet
 * holds the workspace scan's parsing (as an open holds it for the editor), and the scan waits for that
 * before it reads a file.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CatalogNode, ServerStatus, SourceStatus } from '../../server/src/protocol';
import { LspClient, positionOf, uriOf } from './lspClient';

const root = mkdtempSync(join(tmpdir(), 'paved-road-warm-lsp-'));
const workspace = join(root, 'ws');
const storage = join(root, 'storage');
const elsewhere = join(root, 'elsewhere', 'consumer.yaml');
const component = (name: string, extra = '') => `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\n  description: The ${name} service.\nspec:\n  type: service\n  lifecycle: production\n  owner: group:team-a\n${extra}`;
const group = 'apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\nspec:\n  type: team\n  children: []\n';
const consumer = component('consumer', '  dependsOn:\n    - component:old-svc\n');

const workspaceOf = (c: LspClient): SourceStatus | undefined => (c.status as unknown as ServerStatus | undefined)?.sources?.find((s) => s.id === 'workspace');

/** The names the Catalog view lists under Component (grouped by kind). */
async function components(c: LspClient): Promise<string[]> {
  const top = (await c.conn.sendRequest('pavedRoad/catalogChildren', { groupBy: 'kind' })) as CatalogNode[];
  const group = top.find((n) => n.type === 'group' && n.label === 'Component');
  if (!group) return [];
  const nodes = (await c.conn.sendRequest('pavedRoad/catalogChildren', { groupBy: 'kind', parent: group.id })) as CatalogNode[];
  return nodes.map((n) => n.label).sort();
}

describe('the warm start over JSON-RPC', () => {
  let c: LspClient | undefined;
  before(async () => {
    mkdirSync(workspace, { recursive: true });
    mkdirSync(join(root, 'elsewhere'));
    writeFileSync(join(workspace, 'group.yaml'), group);
    writeFileSync(join(workspace, 'changed.yaml'), component('old-svc'));
    writeFileSync(join(workspace, 'gone.yaml'), component('gone-svc'));
    writeFileSync(join(workspace, 'kept.yaml'), component('kept-svc'));
    writeFileSync(elsewhere, consumer);
    // The first start reads the workspace and writes the cache (at the latest when it shuts down).
    const first = await LspClient.start(workspace, undefined, undefined, { storagePath: storage });
    try {
      await first.until(() => workspaceOf(first)?.state === 'fresh' && first.status?.entities === 4, 15000, () => JSON.stringify(first.status));
    } finally {
      await first.stop();
    }
    assert.ok(existsSync(join(storage, 'workspace')) && readdirSync(join(storage, 'workspace')).some((f) => f.endsWith('.json')), 'the first start wrote its cache');
    // Between the two starts: one file changes (another entity), one goes.
    writeFileSync(join(workspace, 'changed.yaml'), component('new-svc'));
    rmSync(join(workspace, 'gone.yaml'));
  });
  after(async () => {
    await c?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('answers from the cache before the check, then the check re-reads the changed file and drops the deleted one', async () => {
    c = await LspClient.start(workspace, undefined, undefined, { storagePath: storage });
    const client = c;
    const consumerUri = uriOf(elsewhere);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    client.configurationGate = (scope) => (scope === consumerUri ? held : undefined);
    // Sent before the server asks for pavedRoad.catalog, so it is open before the cache is served.
    await client.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: consumerUri, languageId: 'yaml', version: 1, text: consumer } });
    try {
      await client.until(() => client.status?.indexing === false && workspaceOf(client)?.state === 'refreshing' && workspaceOf(client)?.fromCache === true, 15000, () => JSON.stringify(client.status));
      // Served from the cache: the old entity and the deleted file's are there, the new one is not yet.
      assert.deepEqual(await components(client), ['gone-svc', 'kept-svc', 'old-svc']);
      assert.equal(client.status?.entities, 4);
      const at = positionOf(consumer, 'old-svc');
      const card = JSON.stringify((await client.hover(consumerUri, at.line, at.character + 2))?.contents);
      assert.match(card, /`component:default\/old-svc`/);
      assert.match(card, /Defined in \[changed/);
      assert.equal(workspaceOf(client)?.state, 'refreshing', 'the check was still held');
    } finally {
      release();
    }
    await client.until(() => workspaceOf(client)?.state === 'fresh', 15000, () => JSON.stringify(client.status));
    assert.deepEqual(await components(client), ['consumer', 'kept-svc', 'new-svc']);
    // The group, kept-svc, new-svc, and the open consumer (indexed from its text since the hover).
    assert.equal(client.status?.entities, 4);
    const at = positionOf(consumer, 'old-svc');
    const after = JSON.stringify((await client.hover(consumerUri, at.line, at.character + 2))?.contents ?? null);
    assert.doesNotMatch(after, /Defined in/);
    assert.ok(client.messages.some((m) => /^served 4 catalog files, 4 entities from the cache/.test(m.message)), JSON.stringify(client.messages));
    assert.ok(client.messages.some((m) => /indexed 3 catalog files.*\(2 files unchanged, from the cache\)/.test(m.message)), JSON.stringify(client.messages));
  });
});
