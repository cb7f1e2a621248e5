/**
 * Backstage's filter syntax: parsed as the catalog backend parses its `filter` parameter, and matched as its
 * search table matches, checked against Backstage's own code (the backend's parser and the catalog
 * client's in-memory catalog, from test/peers/backstage) over store entities (whole entities) and the same
 * entities as workspace files (what the record keeps).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { CatalogIndex } from '../../../server/src/catalog/catalogIndex';
import { FilterError, matches, parseFilter, selectEntities } from '../../../server/src/compliance/filter';
import { entity, putFile, putStore } from '../viewsFixture';

const PEER = resolve(__dirname, '../../peers/backstage');
const peerInstalled = existsSync(join(PEER, 'node_modules/@backstage/catalog-client'));

const ENTITIES = [
  entity('Component', 'payments', { type: 'service', lifecycle: 'production', owner: 'team-a', system: 'shop', dependsOn: ['resource:db', 'component:Ledger'] }, { title: 'Payments', tags: ['java', 'PCI'], annotations: { 'backstage.io/techdocs-ref': 'dir:.', 'PagerDuty.com/service-id': 'P123' } }),
  entity('Component', 'ledger', { type: 'service', lifecycle: 'experimental', owner: 'group:team-b' }, { description: 'The ledger', tags: ['go'] }),
  entity('Component', 'web', { type: 'website', lifecycle: 'production', owner: 'team-b', system: 'shop' }, { namespace: 'shop', annotations: { 'backstage.io/orphan': 'true' }, description: 'x'.repeat(250) }),
  entity('Group', 'team-a', { type: 'team', children: [], profile: { email: 'a@example.com', displayName: 'Team A' } }, { annotations: { 'slack.com/channel-id': 'C1' } }),
  entity('Group', 'team-b', { type: 'squad', children: [], parent: 'team-a' }),
  entity('User', 'alice', { profile: { email: 'Alice@Example.com' }, memberOf: ['team-a', 'team-b'] }),
  entity('API', 'pay-api', { type: 'openapi', lifecycle: 'production', owner: 'team-a', definition: 'openapi: 3.0.0' }, { labels: { tier: '1' }, links: [{ url: 'https://x', title: 'Docs' }] }),
  entity('Resource', 'db', { type: 'database', owner: 'team-a', replicas: 3, encrypted: true }),
];

/** Filters whose keys the record of a workspace entity keeps. */
const RECORD_FILTERS = [
  'kind=component',
  'kind=Component,spec.lifecycle=production',
  'kind=component,spec.lifecycle=production&filter=kind=group',
  'kind=user;kind=group,spec.type=team',
  'kind=component,kind=api',
  'spec.type',
  'spec.system',
  'spec.system=shop',
  'spec.owner=team-a',
  'spec.owner=group:team-b',
  'metadata.tags.java',
  'metadata.tags.pci=true',
  'metadata.tags=go',
  'metadata.tags',
  'metadata.annotations.backstage.io/techdocs-ref',
  'metadata.annotations.pagerduty.com/service-id=p123',
  'metadata.annotations.backstage.io/orphan=true',
  'metadata.namespace=shop',
  'metadata.namespace=default,kind=resource',
  'metadata.name=payments',
  'metadata.title',
  'metadata.description',
  `metadata.description=${'x'.repeat(250)}`,
  'spec.dependsOn.component:ledger',
  'spec.dependson=resource:db',
  'spec.memberOf=team-b',
  'spec.parent',
  'spec.profile.email=alice@example.com',
  'spec.profile.displayname',
  'nothing.here',
];

/** Keys only a whole entity has (a store entity). */
const VALUE_FILTERS = ['apiVersion=backstage.io/v1alpha1', 'metadata.labels.tier=1', 'metadata.links.url', 'spec.replicas=3', 'spec.encrypted=true', 'spec.definition', 'spec.children', 'metadata.links.title=docs'];

function storeIndex(): CatalogIndex {
  const index = new CatalogIndex();
  putStore(index, 'company.json', ENTITIES);
  return index;
}

/** The same entities as one workspace file. */
function fileIndex(): CatalogIndex {
  const index = new CatalogIndex();
  const yaml = ENTITIES.map((e) => JSON.stringify(e)).join('\n---\n');
  putFile(index, 'file:///w/catalog-info.yaml', yaml);
  return index;
}

const names = (index: CatalogIndex, text: string): string[] =>
  selectEntities(index, parseFilter(text))
    .map((p) => p.record.ref)
    .sort();

describe('parseFilter', () => {
  it('reads sets, conditions, existence and repeated keys', () => {
    assert.deepEqual(parseFilter('kind=user,metadata.namespace=default&filter=kind=group,spec.type').anyOf, [
      [
        { key: 'kind', values: ['user'] },
        { key: 'metadata.namespace', values: ['default'] },
      ],
      [{ key: 'kind', values: ['group'] }, { key: 'spec.type' }],
    ]);
    assert.deepEqual(parseFilter('filter=Kind=A, kind = B ;spec.x=').anyOf, [[{ key: 'kind', values: ['a', 'b'] }], [{ key: 'spec.x', values: [''] }]]);
  });

  it('refuses a condition without a key, and an empty filter', () => {
    assert.throws(() => parseFilter('kind=a,=b'), FilterError);
    assert.throws(() => parseFilter(' , ;'), FilterError);
  });

  it('parses as the catalog backend parses its filter parameter', { skip: !peerInstalled && 'test/peers/backstage is not installed' }, () => {
    const req = createRequire(join(PEER, 'package.json'));
    const { parseEntityFilterParams } = req(join(PEER, 'node_modules/@backstage/plugin-catalog-backend/dist/service/request/parseEntityFilterParams.cjs.js'));
    for (const text of [...RECORD_FILTERS, ...VALUE_FILTERS, 'kind=a,kind=b,spec.type', 'a=1&b=2&c']) {
      const ours = parseFilter(text).anyOf.map((set) => set.map((c) => (!c.values ? { [c.key]: { $exists: true } } : c.values.length === 1 ? { [c.key]: c.values[0] } : { [c.key]: { $in: c.values } })));
      const outer = ours.map((set) => (set.length === 1 ? set[0] : { $all: set }));
      const theirs = parseEntityFilterParams({ filter: text.split(/&filter=|[&;]/) });
      assert.deepEqual(outer.length === 1 ? outer[0] : { $any: outer }, JSON.parse(JSON.stringify(theirs).toLowerCase()), text);
    }
  });
});

describe('matches', () => {
  it('agrees with the Backstage catalog on whole entities and, for what a record keeps, on workspace files', { skip: !peerInstalled && 'test/peers/backstage is not installed' }, async () => {
    const req = createRequire(join(PEER, 'package.json'));
    const { InMemoryCatalogClient } = req('@backstage/catalog-client/testUtils');
    const { CATALOG_FILTER_EXISTS } = req('@backstage/catalog-client');
    const client = new InMemoryCatalogClient({ entities: ENTITIES });
    const store = storeIndex();
    const files = fileIndex();
    assert.equal(files.size, ENTITIES.length);
    for (const text of [...RECORD_FILTERS, ...VALUE_FILTERS]) {
      // The in-memory client stops at a key with several values; ask it one set at a time, one value at a time.
      const expected = new Set<string>();
      for (const set of parseFilter(text).anyOf) {
        const multi = set.find((c) => (c.values?.length ?? 0) > 1);
        for (const v of multi?.values ?? [undefined]) {
          const f = Object.fromEntries(set.map((c) => [c.key, c === multi ? v : c.values ? c.values[0] : CATALOG_FILTER_EXISTS]));
          const { items } = await client.getEntities({ filter: [f] });
          for (const e of items) expected.add(`${e.kind}:${e.metadata.namespace ?? 'default'}/${e.metadata.name}`.toLowerCase());
        }
      }
      const want = [...expected].sort();
      assert.deepEqual(names(store, text), want, `store: ${text}`);
      if (RECORD_FILTERS.includes(text)) assert.deepEqual(names(files, text), want, `file: ${text}`);
    }
  });

  it('matches relations both ways, by full ref', () => {
    for (const index of [storeIndex(), fileIndex()]) {
      assert.deepEqual(names(index, 'relations.ownedBy=group:default/team-a'), ['api:default/pay-api', 'component:default/payments', 'resource:default/db']);
      assert.deepEqual(names(index, 'kind=user,relations.memberof=group:default/team-b'), ['user:default/alice']);
      // The reverse relations come from the others' specs.
      assert.deepEqual(names(index, 'relations.hasMember=user:default/alice'), ['group:default/team-a', 'group:default/team-b']);
      assert.deepEqual(names(index, 'relations.ownerOf=component:default/payments'), ['group:default/team-a']);
      assert.deepEqual(names(index, 'relations.dependencyOf'), ['component:default/ledger', 'resource:default/db']);
      assert.deepEqual(names(index, 'relations=x'), []);
    }
  });

  it('without the index, a placement has only the relations its spec makes', () => {
    const index = fileIndex();
    const group = index.first('group:default/team-a')!;
    assert.equal(matches(parseFilter('relations.ownerof'), group), false);
    assert.equal(matches(parseFilter('relations.ownerof'), group, index), true);
  });

  it('sees only the winning definition of an entity', () => {
    const index = fileIndex();
    putStore(index, 'stale.json', [entity('Component', 'payments', { type: 'service', lifecycle: 'deprecated', owner: 'team-a' })]);
    assert.deepEqual(names(index, 'spec.lifecycle=deprecated'), []);
    assert.deepEqual(names(index, 'kind=component,spec.lifecycle=deprecated'), []);
    assert.deepEqual(names(index, 'relations.ownedby=group:default/team-a,spec.lifecycle=deprecated'), []);
    assert.deepEqual(names(index, 'kind=component,spec.lifecycle=production;relations.ownedby=group:default/team-a'), ['api:default/pay-api', 'component:default/payments', 'component:shop/web', 'resource:default/db']);
    assert.deepEqual(names(index, 'metadata.name=payments'), ['component:default/payments']);
  });
});
