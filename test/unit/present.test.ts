/** How the catalog views, Find Entity and the status bar word nodes and sources (client/src/views/present.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CatalogNode, SourceStatus } from '../../server/src/protocol';
import { ago, backstageEntityUrl, descriptionOf, iconOf, isTroubled, sourceLine, sourcesSummary } from '../../client/src/views/present';

const entity = (over: Partial<CatalogNode> = {}): CatalogNode => ({ id: 'component:default/cart', type: 'entity', label: 'cart', kind: 'Component', ref: 'component:default/cart', description: 'production · group:storefront', ...over });
const NOW = Date.parse('2026-12-03T06:00:00Z');
const source = (over: Partial<SourceStatus> = {}): SourceStatus => ({ id: 'snapshot:/s.json', type: 'snapshot', label: 'acme.json', entities: 412, quarantined: 3, state: 'fresh', fetchedAt: '2026-12-03T05:55:00Z', ...over });

describe('catalog nodes in the views', () => {
  it('gives each kind its icon, a Degraded entity a warning, a kind group the icon of its kind', () => {
    assert.equal(iconOf(entity()), 'package');
    assert.equal(iconOf(entity({ kind: 'API' })), 'plug');
    assert.equal(iconOf(entity({ kind: 'Group' })), 'organization');
    assert.equal(iconOf(entity({ kind: 'MyCustomKind' })), 'symbol-misc');
    assert.equal(iconOf(entity({ degraded: true })), 'warning');
    assert.equal(iconOf({ id: 'group:kind:user', type: 'group', label: 'User', kind: 'Kind', count: 4 }), 'person');
    assert.equal(iconOf({ id: 'group:owner:group:default/a', type: 'group', label: 'a', kind: 'Group', count: 4 }), 'organization');
  });
  it('describes a group by its count and a Degraded entity with the badge first', () => {
    assert.equal(descriptionOf({ id: 'g', type: 'group', label: 'payments', kind: 'System', count: 12, description: 'System' }), '12');
    assert.equal(descriptionOf({ id: 'g', type: 'group', label: 'payments', kind: 'System', description: 'System' }), 'System');
    assert.equal(descriptionOf(entity()), 'production · group:storefront');
    assert.equal(descriptionOf(entity({ degraded: true })), 'Degraded · production · group:storefront');
    assert.equal(descriptionOf(entity({ degraded: true, description: undefined })), 'Degraded');
  });
});

describe('open in Backstage', () => {
  it('builds <base>/catalog/<namespace>/<kind>/<name> with a lower-case kind', () => {
    assert.equal(backstageEntityUrl('https://backstage.acme.example/', 'Component:default/cart'), 'https://backstage.acme.example/catalog/default/component/cart');
    assert.equal(backstageEntityUrl(' http://localhost:3000 ', 'api:billing/pay-api'), 'http://localhost:3000/catalog/billing/api/pay-api');
  });
  it('refuses what is no http(s) base or no full ref', () => {
    assert.equal(backstageEntityUrl('', 'component:default/cart'), undefined);
    assert.equal(backstageEntityUrl('javascript:alert(1)', 'component:default/cart'), undefined);
    assert.equal(backstageEntityUrl('https://b.example', 'cart'), undefined);
  });
});

describe('sources in the status bar', () => {
  it('says how long ago', () => {
    assert.equal(ago('2026-12-03T05:59:40Z', NOW), 'just now');
    assert.equal(ago('2026-12-03T05:55:00Z', NOW), '5 min ago');
    assert.equal(ago('2026-12-03T03:00:00Z', NOW), '3 h ago');
    assert.equal(ago('2026-11-29T06:00:00Z', NOW), '4 days ago');
    assert.equal(ago('not a date', NOW), undefined);
  });
  it('counts entities and shows the freshness of the oldest source when all are well', () => {
    const s = sourcesSummary(1234, [source({ type: 'workspace', id: 'workspace', label: 'workspace', fetchedAt: '2026-12-03T05:59:59Z' }), source(), source({ id: 'folder:/c', type: 'folder', fetchedAt: '2026-12-03T04:00:00Z' })], NOW);
    assert.deepEqual(s, { text: '1,234 entities (2 h ago)', warning: false, stale: [] });
    assert.equal(sourcesSummary(5, [source({ state: 'refreshing' })], NOW).text, '5 entities (refreshing)');
  });
  it('warns when a source is stale, or empty with an error, and names it', () => {
    const stale = source({ state: 'stale', error: 'ENOENT: no such file', nextStep: 'fixSetting' });
    assert.deepEqual(sourcesSummary(412, [stale], NOW), { text: '412 entities (acme.json stale)', warning: true, stale: ['acme.json'] });
    const never = source({ id: 'snapshot:https://x', label: 'https://x', state: 'empty', entities: 0, error: 'HTTP 404' });
    assert.equal(sourcesSummary(412, [stale, never], NOW).text, '412 entities (2 sources stale)');
    assert.equal(isTroubled(source({ state: 'empty', entities: 0 })), false, 'a source that has not answered yet is no trouble');
  });
  it('says per source what it gives, since when, and why it failed', () => {
    assert.equal(sourceLine(source(), NOW), 'acme.json: 412 entities (3 Degraded), fetched 5 min ago');
    assert.equal(sourceLine(source({ fromCache: true, quarantined: 0 }), NOW), 'acme.json: 412 entities, fetched 5 min ago (from the cache)');
    assert.equal(sourceLine(source({ state: 'stale', error: 'HTTP 500' }), NOW), 'acme.json: stale: HTTP 500. The last good 412 entities (3 Degraded), from 5 min ago, stay');
    assert.equal(sourceLine(source({ state: 'empty', entities: 0, quarantined: 0, error: 'ENOENT' }), NOW), 'acme.json: nothing yet; ENOENT');
  });
});
