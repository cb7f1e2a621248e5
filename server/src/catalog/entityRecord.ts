/**
 * What the catalog index keeps of an entity: its identity, the fields that cards and checks show, and every
 * reference it writes with the exact place of the reference. Made once per parsed document (the record of
 * an unchanged document is reused), and small: a closed file keeps only its records, not its YAML tree.
 */
import { isScalar, type Node } from 'yaml';
import type { CachedDocument } from './analyze';
import { locate } from './nodes';
import { parseRefString, stringifyRef } from './refs';
import type { KindInfo } from './schemas';

/** A chunk-relative position (0-based line within the document's chunk, character within the line). */
export interface RelPosition {
  line: number;
  character: number;
}

/**
 * A range in a document's chunk: offsets, and the positions of both ends (0-based, lines within the chunk),
 * flat in one object: the index holds about a million of them.
 */
export interface RelRange {
  start: number;
  end: number;
  line: number;
  character: number;
  endLine: number;
  endCharacter: number;
}

/** The range of something with no place in a file (an entity from a store). */
export const NO_RANGE: RelRange = Object.freeze({ start: 0, end: 0, line: 0, character: 0, endLine: 0, endCharacter: 0 });

/** One entity reference written in a spec field. */
export interface RefOccurrence {
  /** The spec field, e.g. `owner`, `dependsOn`. */
  field: string;
  relation: string;
  written: string;
  /** The resolved `kind:namespace/name`, lower case; undefined when the reference cannot be resolved. */
  target?: string;
  targetKind?: string;
  /** The kinds the field should point at. */
  allowedKinds: string[];
  /** Where the reference is (the scalar, quotes included). */
  range: RelRange;
  /** Where the name part of the reference is, for rename. */
  nameRange: RelRange;
  /** True when the reference wrote its kind (`group:x`). */
  explicitKind: boolean;
}

export interface Profile {
  displayName?: string;
  email?: string;
  picture?: string;
}

export interface EntityRecord {
  ref: string;
  kind: string;
  namespace: string;
  name: string;
  title?: string;
  description?: string;
  type?: string;
  lifecycle?: string;
  profile?: Profile;
  annotations: Record<string, string>;
  tags: string[];
  refs: RefOccurrence[];
  /** The whole document and the metadata.name value. */
  range: RelRange;
  nameRange?: RelRange;
  /** The entity as plain data (kept for entities from a store, shown as read-only YAML). */
  value?: unknown;
  /** Set when the entity failed validation in its source: kept, shown Degraded, left out of counts. */
  quarantine?: { code: string; message: string }[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/** Resolves a written reference as Backstage does: the field's default kind, the entity's own namespace. */
export function resolveRef(written: string, defaultKind: string | undefined, namespace: string): { ref: string; kind: string; explicitKind: boolean } | undefined {
  const p = parseRefString(written);
  if (!p) return undefined;
  const kind = p.kind ?? defaultKind;
  if (!kind) return undefined;
  return { ref: stringifyRef(kind, p.namespace ?? namespace, p.name), kind, explicitKind: !!p.kind };
}

function relRange(cached: CachedDocument, start: number, end: number): RelRange {
  const a = cached.lines.linePos(start);
  const b = cached.lines.linePos(end);
  return { start, end, line: a.line - 1, character: a.col - 1, endLine: b.line - 1, endCharacter: b.col - 1 };
}

function scalarRange(node: Node | undefined): [number, number] | undefined {
  return node && isScalar(node) && node.range ? [node.range[0], node.range[1]] : undefined;
}

/** The record of an entity from a parsed document (positions relative to the document's chunk). */
export function recordFromDocument(cached: CachedDocument): EntityRecord | undefined {
  const value = cached.value;
  const entity = cached.entity;
  if (!entity || !isObj(value)) return undefined;
  const base = recordFromValue(value, cached.kindInfo);
  if (!base) return undefined;
  const doc = cached.doc;
  const textEnd = cached.text.length;
  // Fields set on the record made (not a copy of it): records of one shape keep a query over 100,000 of them fast.
  const record = base;
  record.value = undefined;
  record.range = relRange(cached, 0, textEnd);
  const nameRange = scalarRange(locate(doc, ['metadata', 'name']).value);
  if (nameRange) {
    // Without its quotes, so that a rename replaces the name only.
    const q = /^["']/.test(cached.text.slice(nameRange[0], nameRange[0] + 1)) ? 1 : 0;
    record.nameRange = relRange(cached, nameRange[0] + q, nameRange[1] - q);
  }
  record.refs = [];
  for (const f of cached.kindInfo?.references ?? []) {
    const spec = isObj(value.spec) ? value.spec : {};
    const raw = spec[f.field];
    if (!raw) continue;
    const items: [unknown, (string | number)[]][] = Array.isArray(raw) ? raw.map((v, i) => [v, ['spec', f.field, i]]) : [[raw, ['spec', f.field]]];
    for (const [v, path] of items) {
      if (typeof v !== 'string') continue;
      const r = scalarRange(locate(doc, path).value);
      if (!r) continue;
      const resolved = resolveRef(v, f.defaultKind, base.namespace);
      const source = cached.text.slice(r[0], r[1]);
      const quote = source.startsWith('"') || source.startsWith("'") ? 1 : 0;
      const parsed = parseRefString(v);
      const nameStart = r[0] + quote + (parsed ? v.length - parsed.name.length : 0);
      record.refs.push({
        field: f.field,
        relation: f.relation,
        written: v,
        target: resolved?.ref,
        targetKind: resolved?.kind,
        allowedKinds: f.allowedKinds,
        range: relRange(cached, r[0], r[1]),
        nameRange: relRange(cached, nameStart, r[0] + quote + v.length),
        explicitKind: resolved?.explicitKind ?? false,
      });
    }
  }
  return record;
}

/** The record of plain entity data (a file's document or a store's JSON), without a place in a file. */
export function recordFromValue(value: Obj, kindInfo: KindInfo | undefined): EntityRecord | undefined {
  const meta = isObj(value.metadata) ? value.metadata : undefined;
  const kind = str(value.kind);
  const name = str(meta?.name);
  if (!meta || !kind || !name) return undefined;
  const namespace = str(meta.namespace) ?? 'default';
  const spec = isObj(value.spec) ? value.spec : {};
  const annotations: Record<string, string> = {};
  if (isObj(meta.annotations)) for (const [k, v] of Object.entries(meta.annotations)) if (typeof v === 'string') annotations[k] = v;
  const profile = isObj(spec.profile) ? { displayName: str(spec.profile.displayName), email: str(spec.profile.email), picture: str(spec.profile.picture) } : undefined;
  const refs: RefOccurrence[] = [];
  for (const f of kindInfo?.references ?? []) {
    const raw = spec[f.field];
    for (const v of Array.isArray(raw) ? raw : raw ? [raw] : []) {
      if (typeof v !== 'string') continue;
      const resolved = resolveRef(v, f.defaultKind, namespace);
      refs.push({ field: f.field, relation: f.relation, written: v, target: resolved?.ref, targetKind: resolved?.kind, allowedKinds: f.allowedKinds, range: NO_RANGE, nameRange: NO_RANGE, explicitKind: resolved?.explicitKind ?? false });
    }
  }
  return {
    ref: stringifyRef(kind, namespace, name),
    kind,
    namespace,
    name,
    title: str(meta.title),
    description: str(meta.description),
    type: str(spec.type),
    lifecycle: str(spec.lifecycle),
    profile,
    annotations,
    tags: Array.isArray(meta.tags) ? meta.tags.filter((t): t is string => typeof t === 'string') : [],
    refs,
    value,
    range: NO_RANGE,
  };
}

const records = new WeakMap<CachedDocument, EntityRecord | null>();

/** Gives a cached document the record made for it elsewhere (a parse worker analysed the document). */
export function primeRecord(cached: CachedDocument, record: EntityRecord | undefined): void {
  records.set(cached, record ?? null);
}

/** The record of a cached document, made once. */
export function recordOf(cached: CachedDocument): EntityRecord | undefined {
  let r = records.get(cached);
  if (r === undefined) {
    r = recordFromDocument(cached) ?? null;
    records.set(cached, r);
  }
  return r ?? undefined;
}
