/**
 * Ad-hoc compliance questions in Backstage's filter syntax, the `filter` parameter of the catalog API
 * (https://backstage.io/docs/features/software-catalog/software-catalog-api#filtering):
 *
 *   kind=component,spec.lifecycle=production          conditions joined by `,` must all hold
 *   kind=user&filter=kind=group,spec.type             filter sets (`&filter=`, `&` or `;`): any may hold
 *   metadata.tags.java     spec.type                  a key without `=`: the key exists (any value)
 *   kind=component,kind=api                           the same key twice in one set: either value
 *   relations.ownedby=group:default/payments          relations by type, target by full ref
 *
 * Keys are simplified JSON paths; the walk descends through arrays, and an array of strings also answers
 * `path.<item>` with `true`. Keys and values compare case-insensitively. This follows the catalog backend's
 * search table (`buildEntitySearch`): `metadata.name` and `metadata.namespace` (default `default`) always
 * exist, `relations`, `status` and `attachments` are only reachable as `relations.<type>`, values longer
 * than 200 characters exist but equal nothing.
 *
 * The index keeps the whole entity for store entities only; for a workspace entity the record holds
 * kind, metadata (name, namespace, title, description, annotations, tags), spec.type, spec.lifecycle,
 * spec.profile and every reference field of the spec (owner, system, dependsOn, memberOf, ...), and
 * that is what a filter can see of it.
 */
import type { CatalogIndex, Placement } from '../catalog/catalogIndex';
import type { EntityRecord } from '../catalog/entityRecord';
import { REVERSE_RELATION } from '../catalog/relations';

/** One condition: the key (lower case) exists, and when `values` are given, has one of them (lower case). */
export interface FilterCondition {
  key: string;
  values?: string[];
}

/** Filter sets joined by OR, each a list of conditions joined by AND. */
export interface Filter {
  anyOf: FilterCondition[][];
  /** The expression as written. */
  text: string;
}

export class FilterError extends Error {}

/** The catalog backend's limit: a longer value is kept as "exists, no value". */
const MAX_VALUE_LENGTH = 200;

/**
 * Parses a filter expression. Throws `FilterError` on an empty expression or a condition without a key
 * (`=x`); the message says which.
 */
export function parseFilter(text: string): Filter {
  const anyOf: FilterCondition[][] = [];
  for (let set of text.split(/[&;]/)) {
    set = set.trim();
    if (/^filter=/i.test(set)) set = set.slice('filter='.length);
    const byKey = new Map<string, FilterCondition>();
    for (const raw of set.split(',')) {
      const statement = raw.trim();
      if (!statement) continue;
      const eq = statement.indexOf('=');
      const key = (eq === -1 ? statement : statement.slice(0, eq)).trim().toLowerCase();
      if (!key) throw new FilterError(`'${statement}' is not a condition: write key=value, or key alone for "key exists"`);
      let c = byKey.get(key);
      if (!c) byKey.set(key, (c = { key }));
      if (eq !== -1) (c.values ??= []).push(statement.slice(eq + 1).trim().toLowerCase());
    }
    if (byKey.size) anyOf.push([...byKey.values()]);
  }
  if (!anyOf.length) throw new FilterError('an empty filter: write conditions such as kind=component,spec.lifecycle=production');
  return { anyOf, text };
}

/** Whether an entity (its definition) matches: some filter set whose every condition holds. */
export function matches(filter: Filter, placement: Placement, index?: CatalogIndex): boolean {
  return filter.anyOf.some((set) => set.every((c) => holds(c, placement.record, index)));
}

/**
 * The winning definition of every entity the filter matches. When every filter set narrows itself, by its
 * kinds (`kind=component`) or by an entity it relates to (`relations.ownedby=group:default/x`), only those
 * candidates are looked at; otherwise every entity is.
 */
export function selectEntities(index: CatalogIndex, filter: Filter): Placement[] {
  const out: Placement[] = [];
  const seeds = filter.anyOf.map((set) => seedOf(index, set));
  if (seeds.every((s) => s !== undefined)) {
    // Each kind named once, walked by kind; then the entities related to one, unless their kind was walked.
    const kinds = new Set(seeds.flatMap((s) => ('kinds' in s! ? s.kinds : [])));
    for (const k of kinds) for (const p of index.winnersOfKind(k)) if (matches(filter, p, index)) out.push(p);
    const seen = new Set<string>();
    for (const s of seeds) {
      if (!('refs' in s!)) continue;
      for (const ref of s.refs) {
        if (seen.has(ref)) continue;
        seen.add(ref);
        const p = index.first(ref);
        if (p && !kinds.has(few(p.record.kind)) && matches(filter, p, index)) out.push(p);
      }
    }
    return out;
  }
  for (const p of index.allWinners()) if (matches(filter, p, index)) out.push(p);
  return out;
}

/** What a filter set can only match among, when one of its conditions says: its kinds, or the entities related to one. */
function seedOf(index: CatalogIndex, set: FilterCondition[]): { kinds: string[] } | { refs: string[] } | undefined {
  const kind = set.find((c) => c.key === 'kind' && c.values);
  if (kind) return { kinds: kind.values! };
  const rel = set.find((c) => c.key.startsWith('relations.') && c.values);
  if (!rel) return undefined;
  // An entity related to T either refers to T in its spec, or is referred to by T's spec (a reverse relation).
  const refs: string[] = [];
  for (const target of rel.values!) {
    for (const r of index.referrers(target)) refs.push(r.placement.record.ref);
    for (const p of index.get(target)) for (const o of p.record.refs) if (o.target) refs.push(o.target);
  }
  return { refs };
}

function holds(c: FilterCondition, record: EntityRecord, index: CatalogIndex | undefined): boolean {
  // The keys every record holds one value of, read without a walk (a query looks at 50,000 records).
  const one = c.key === 'kind' ? few(record.kind) : record.value === undefined ? single(c.key, record) : NOT_SINGLE;
  if (one !== NOT_SINGLE) return one !== undefined && (!c.values || (one !== null && c.values.includes(one)));
  let found = false;
  let hit = false;
  // Stops at the first value that decides: any value for "exists", an equal one otherwise.
  valuesOf(record, c.key, index, (v) => {
    found = true;
    if (!c.values) return true;
    if (v !== null && c.values.includes(v)) hit = true;
    return hit;
  });
  return c.values ? hit : found;
}

const NOT_SINGLE = Symbol('not single');

/** spec.type and spec.lifecycle of a workspace record: its value (lower case), undefined when absent; else NOT_SINGLE. */
function single(key: string, r: EntityRecord): string | null | undefined | typeof NOT_SINGLE {
  const v = key === 'spec.type' ? r.type : key === 'spec.lifecycle' ? r.lifecycle : NOT_SINGLE;
  return typeof v === 'string' ? (v.length > MAX_VALUE_LENGTH ? null : few(v)) : v;
}

/** A lower-case value of a key, or null for a key that exists without one; returns true to stop. */
type Visit = (value: string | null) => boolean;

const leaf = (v: unknown): string | null => {
  if (v === undefined || v === null) return null;
  const s = String(v).toLowerCase();
  return s.length > MAX_VALUE_LENGTH ? null : s;
};

/** Kinds, types and lifecycles are few: their lower case is made once, not once per entity and query. */
const lowered = new Map<string, string>();
export const few = (v: string): string => {
  let l = lowered.get(v);
  if (l === undefined) {
    l = v.toLowerCase();
    if (lowered.size < 10_000) lowered.set(v, l);
  }
  return l;
};

/** Calls `visit` with each value the entity has under `key` (lower case) until it returns true. */
function valuesOf(record: EntityRecord, key: string, index: CatalogIndex | undefined, visit: Visit): void {
  if (key === 'metadata.name') return void visit(leaf(record.name));
  if (key === 'metadata.namespace') return void visit(leaf(record.namespace));
  if (key.startsWith('relations.')) return relationValues(record, key.slice('relations.'.length), index, visit);
  if (key === 'relations' || key === 'status' || key === 'attachments' || key.startsWith('status.') || key.startsWith('attachments.')) return;
  if (key === 'kind') return void visit(few(record.kind));
  if (record.value && typeof record.value === 'object') return void walk(record.value, key, visit);
  // The common keys straight from the record; the rest through the record shaped as the entity.
  if (key === 'spec.type') return void (record.type !== undefined && visit(record.type.length > MAX_VALUE_LENGTH ? null : few(record.type)));
  if (key === 'spec.lifecycle') return void (record.lifecycle !== undefined && visit(record.lifecycle.length > MAX_VALUE_LENGTH ? null : few(record.lifecycle)));
  if (key.startsWith('metadata.annotations.')) {
    const a = key.slice('metadata.annotations.'.length);
    for (const k in record.annotations) if (k.length === a.length && k.toLowerCase() === a && visit(leaf(record.annotations[k]))) return;
    return;
  }
  walk(viewOf(record), key, visit);
}

/** The parts of a workspace entity its record keeps, shaped as the entity (see the file's comment). */
function viewOf(r: EntityRecord): Record<string, unknown> {
  const spec: Record<string, unknown> = {};
  if (r.type !== undefined) spec.type = r.type;
  if (r.lifecycle !== undefined) spec.lifecycle = r.lifecycle;
  // The record writes absent profile fields as undefined: they were not in the entity.
  if (r.profile) spec.profile = Object.fromEntries(Object.entries(r.profile).filter(([, v]) => v !== undefined));
  for (const o of r.refs) {
    const now = spec[o.field];
    spec[o.field] = now === undefined ? (ARRAY_FIELDS.has(o.field) ? [o.written] : o.written) : Array.isArray(now) ? [...now, o.written] : [now, o.written];
  }
  const metadata: Record<string, unknown> = { annotations: r.annotations, tags: r.tags };
  if (r.title !== undefined) metadata.title = r.title;
  if (r.description !== undefined) metadata.description = r.description;
  return { kind: r.kind, metadata, spec };
}

/** Reference fields of the built-in kinds that are lists (so `spec.dependsOn.<ref>` answers `true`). */
const ARRAY_FIELDS = new Set(['dependsOn', 'dependencyOf', 'providesApis', 'consumesApis', 'memberOf', 'children', 'members']);

/** Keys the search table leaves to their own rows (name, namespace, relations) or leaves out. */
const SPECIAL = new Set(['attachments', 'relations', 'status', 'metadata.name', 'metadata.namespace', 'metadata.uid', 'metadata.etag']);

/**
 * The values at `rest` under `node`, where object keys may themselves hold dots (annotation keys): each
 * key of an object that is `rest` or a dotted prefix of it is followed. Arrays are descended, and an
 * array's string items answer `<path>.<item>` with "true".
 */
function walk(node: unknown, rest: string, visit: Visit, path = ''): boolean {
  if (node === null || typeof node !== 'object') return false;
  if (Array.isArray(node)) return false;
  for (const [k, v] of Object.entries(node)) {
    const lk = k.toLowerCase();
    const here = path ? `${path}.${lk}` : lk;
    if (SPECIAL.has(here)) continue;
    if (rest === lk) {
      if (emit(v, visit)) return true;
    } else if (rest.startsWith(lk) && rest.charCodeAt(lk.length) === 46 /* . */) {
      if (descend(v, rest.slice(lk.length + 1), visit, here)) return true;
    }
  }
  return false;
}

/** The values of a node found at the key itself: a scalar, or each scalar item of an array. */
function emit(v: unknown, visit: Visit): boolean {
  if (Array.isArray(v)) {
    for (const item of v) if (Array.isArray(item) ? emit(item, visit) : item === null || typeof item !== 'object' ? visit(leaf(item)) : false) return true;
    return false;
  }
  if (v === null || v === undefined || typeof v !== 'object') return visit(leaf(v));
  return false;
}

/** Below a node: through an object's keys, or each array item (and a string item named by the rest). */
function descend(v: unknown, rest: string, visit: Visit, path: string): boolean {
  if (Array.isArray(v)) {
    for (const item of v) {
      if (typeof item === 'string' && item.toLowerCase() === rest && visit('true')) return true;
      if (Array.isArray(item) ? descend(item, rest, visit, path) : walk(item, rest, visit, path)) return true;
    }
    return false;
  }
  return walk(v, rest, visit, path);
}

/**
 * `relations.<type>`: the full refs of the entity's relations of that type, both those its spec makes
 * and, with the index, the reverse of those other entities make towards it (ownerOf, hasMember, ...).
 */
function relationValues(record: EntityRecord, type: string, index: CatalogIndex | undefined, visit: Visit): void {
  for (const o of record.refs) if (o.target && o.relation.toLowerCase() === type && visit(o.target)) return;
  if (!index) return;
  for (const r of index.referrers(record.ref)) {
    const rel = REVERSE_RELATION[r.occurrence.relation] ?? r.occurrence.relation;
    if (rel.toLowerCase() === type && index.first(r.placement.record.ref) === r.placement && visit(r.placement.record.ref)) return;
  }
}
