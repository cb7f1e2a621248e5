/** A catalog snapshot as a store: its entities resolve references, open read-only, and bad data is contained. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LspClient, positionOf } from './lspClient';

const root = mkdtempSync(join(tmpdir(), 'paved-road-store-'));
const snapshot = {
  items: [
    { apiVersion: 'backstage.io/v1alpha1', kind: 'Group', metadata: { name: 'store-team', annotations: { 'slack.com/channel': '#store' } }, spec: { type: 'team', profile: { displayName: 'Store *Team* <b>', email: 'store@example.com' }, children: [] } },
    { apiVersion: 'backstage.io/v1alpha1', kind: 'System', metadata: { name: 'store-system' }, spec: { owner: 'store-team' } },
    'not an entity',
    { kind: 42 },
  ],
};
const service = 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: uses-store\nspec:\n  type: service\n  lifecycle: production\n  owner: group:store-team\n  system: store-system\n';

describe('a catalog snapshot as a store', () => {
  let c: LspClient;
  before(async () => {
    writeFileSync(join(root, 'snapshot.json'), JSON.stringify(snapshot));
    writeFileSync(join(root, 'catalog-info.yaml'), service);
    c = await LspClient.start(root, { files: { include: [] }, policies: {}, catalog: { snapshot: 'snapshot.json' } });
    await c.waitForIndex();
  });
  after(async () => {
    await c.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('resolves references to store entities and shows where they come from, escaped', async () => {
    const { uri, diagnostics } = await c.open(join(root, 'catalog-info.yaml'));
    assert.deepEqual(diagnostics, []);
    const at = positionOf(service, 'group:store-team');
    const h = await c.hover(uri, at.line, at.character + 3);
    const md = h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
    assert.match(md, /\*\*Store \\\*Team\\\* \\<b\\>\*\*/);
    assert.match(md, /From the store snapshot\\\.json/);
    assert.match(md, /Chat: \\#store/);
  });

  it('goes to a read-only document for an entity that exists only in the store', async () => {
    const uri = c.uriOf(join(root, 'catalog-info.yaml'));
    const at = positionOf(service, 'store-system');
    const loc = (await c.conn.sendRequest('textDocument/definition', { textDocument: { uri }, position: at })) as { uri: string };
    assert.equal(loc.uri, 'paved-road-store:/system/default/store-system.yaml');
    const yaml = await c.conn.sendRequest('pavedRoad/entityYaml', { ref: 'system:default/store-system' });
    assert.equal(yaml, '# system:default/store-system, from snapshot.json (read-only)\napiVersion: backstage.io/v1alpha1\nkind: System\nmetadata:\n  name: store-system\nspec:\n  owner: store-team\n');
  });

  it('keeps the last good snapshot when the file turns bad, and says so', async () => {
    writeFileSync(join(root, 'snapshot.json'), '{ not json');
    await c.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await c.until(() => !!c.lastStatus?.stores?.[0]?.error, 10000, () => `no store error in ${JSON.stringify(c.lastStatus)}`);
    assert.match(c.lastStatus!.stores[0].error!, /snapshot\.json: .*JSON/);
    assert.equal(c.lastStatus!.stores[0].entities, 2);
    const uri = c.uriOf(join(root, 'catalog-info.yaml'));
    assert.deepEqual(await c.change(uri, service.replace('uses-store', 'uses-store-2')), []);
  });
});
