/** Builders of small catalogs for the views' tests: workspace files and stores in one index. */
import { CatalogIndex } from '../../server/src/catalog/catalogIndex';
import type { EntityRecord } from '../../server/src/catalog/entityRecord';
import { DEFAULT_POLICIES } from '../../server/src/catalog/policies';
import { placementsOfText } from '../../server/src/sources/fileRecords';
import { parseSnapshot, storeRecord } from '../../server/src/sources/storeFormat';

/** One catalog document: `spec` and `meta` lines go under their keys as written. */
export function doc(kind: string, name: string, spec: string[] = [], meta: string[] = []): string {
  return `apiVersion: backstage.io/v1alpha1\nkind: ${kind}\nmetadata:\n  name: ${name}\n${meta.map((l) => `  ${l}\n`).join('')}spec:\n${spec.map((l) => `  ${l}\n`).join('') || '  {}\n'}`;
}

export function putFile(index: CatalogIndex, uri: string, ...docs: string[]): void {
  index.update(uri, { kind: 'file', uri }, placementsOfText(docs.join('---\n'), DEFAULT_POLICIES));
}

/** A store's entities (as the catalog API returns them); `quarantined` names get problems. */
export function putStore(index: CatalogIndex, label: string, items: object[], quarantined: string[] = []): EntityRecord[] {
  const records = parseSnapshot(items, label).entities.flatMap((e) => storeRecord(e) ?? []);
  for (const r of records) if (quarantined.includes(r.name)) r.quarantine = [{ code: 'schema', message: `${r.name} is broken` }];
  index.update(`store:${label}`, { kind: 'store', source: 'snapshot', label }, records.map((record) => ({ record, chunkStart: 0, chunkLine: 0 })));
  return records;
}

export function entity(kind: string, name: string, spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): object {
  return { apiVersion: 'backstage.io/v1alpha1', kind, metadata: { name, ...metadata }, spec };
}

/** A small company: two teams, a system in a domain, components, a user; one quarantined store entity. */
export function company(): CatalogIndex {
  const index = new CatalogIndex();
  putFile(
    index,
    'file:///w/catalog-info.yaml',
    doc('Component', 'payments', ['type: service', 'lifecycle: production', 'owner: team-a', 'system: shop']),
    doc('Component', 'checkout', ['type: website', 'lifecycle: experimental', 'owner: team-a', 'system: shop'], ['title: Checkout Web']),
    doc('Component', 'orphan', ['type: library', 'lifecycle: production']),
  );
  putStore(
    index,
    'company.json',
    [
      entity('Group', 'team-a', { type: 'team', children: [], members: ['bob'] }, { title: 'Team A' }),
      entity('Group', 'team-b', { type: 'team', children: [], parent: 'team-a' }),
      entity('User', 'alice', { profile: { email: 'Alice@Example.com', displayName: 'Alice Liddell' }, memberOf: ['team-b'] }),
      entity('User', 'bob', { memberOf: [] }),
      entity('System', 'shop', { owner: 'team-a', domain: 'commerce' }),
      entity('Domain', 'commerce', { owner: 'team-b' }),
      entity('Resource', 'db', { type: 'database', owner: 'team-b', system: 'shop' }),
      entity('Component', 'broken', { type: 'service', lifecycle: 'production', owner: 'team-b' }),
      entity('Component', 'payments', { type: 'service', lifecycle: 'production', owner: 'team-b', system: 'shop' }),
      entity('API', 'tool', { type: 'openapi', lifecycle: 'production', owner: 'user:alice', definition: 'x' }),
    ],
    ['broken'],
  );
  return index;
}
