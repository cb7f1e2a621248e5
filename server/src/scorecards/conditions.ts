/**
 * Conditions evaluated on one entity: its fields, its relations in the catalog index, and the facts of its
 * repository. Each answer says why, in words the webview and the CLI show. A file condition on an entity
 * whose repository is not in the workspace is not applicable (`'n/a'`): it neither passes nor fails.
 */
import type { CatalogIndex } from '../catalog/catalogIndex';
import type { EntityRecord } from '../catalog/entityRecord';
import { relationsOf } from '../catalog/relations';
import { BUILTIN_KINDS } from '../catalog/schemas';
import type { RepositoryFacts } from './facts';
import type { Condition } from './types';

export interface Subject {
  record: EntityRecord;
  /** The entity as plain data, for fields its record does not keep (read on first need). */
  entity?: () => unknown;
  index?: CatalogIndex;
  facts?: RepositoryFacts;
  /** The entity's repository (see RepositoryFacts.repoOf); undefined when it is not in the workspace. */
  repo?: string;
  /** Filled with the refs the evaluation looked at (the owner, the dependencies), for cache invalidation. */
  uses?: Set<string>;
}

/** In `uses`: the evaluation depends on the whole catalog (relations to the entity), not on a few refs. */
export const ANY_CHANGE = '*';

export interface Verdict {
  pass: boolean | 'n/a';
  why: string;
}

/** The outcome of a condition on a subject, and why. */
export function evaluate(cond: Condition, s: Subject): Verdict {
  if ('all' in cond) {
    const vs = cond.all.map((c) => evaluate(c, s));
    const failed = vs.find((v) => v.pass === false);
    if (failed) return failed;
    const passed = vs.filter((v) => v.pass === true);
    return passed.length ? { pass: true, why: passed.map((v) => v.why).join('; ') } : { pass: 'n/a', why: vs[0]?.why ?? 'nothing to check' };
  }
  if ('any' in cond) {
    const vs = cond.any.map((c) => evaluate(c, s));
    const passed = vs.find((v) => v.pass === true);
    if (passed) return passed;
    const failed = vs.filter((v) => v.pass === false);
    return failed.length ? { pass: false, why: failed.map((v) => v.why).join('; and ') } : { pass: 'n/a', why: vs[0]?.why ?? 'nothing to check' };
  }
  if ('not' in cond) {
    const v = evaluate(cond.not, s);
    return v.pass === 'n/a' ? v : { pass: !v.pass, why: v.why };
  }
  if ('field' in cond) return field(cond, s);
  if ('count' in cond) return count(cond, s);
  if ('relation' in cond) return cond.relation === 'ownerIsGroup' ? ownerIsGroup(s, cond.annotation) : nothingDeprecated(s);
  return file(cond, s);
}

// Fields ---------------------------------------------------------------------------------------------

/** A field path in segments: `metadata.annotations["pagerduty.com/service-id"]`, `metadata.tags[0]`. */
export function parsePath(path: string): (string | number)[] {
  let out = parsedPaths.get(path);
  if (!out) {
    out = splitPath(path);
    if (parsedPaths.size < 1000) parsedPaths.set(path, out);
  }
  return out;
}

/** Paths parsed once: a scorecard names a few, and they are asked for on every entity. */
const parsedPaths = new Map<string, (string | number)[]>();

function splitPath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /\s*(?:\.?([^.[\]"']+)|\[\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|(\d+))\s*\])/gy;
  let m: RegExpExecArray | null;
  while (re.lastIndex < path.length && (m = re.exec(path))) out.push(m[1] ?? (m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3] !== undefined ? m[3] : Number(m[4])));
  return out;
}

/** Reference fields written as a single value (the others are lists). */
const SINGLE_REFS = new Set(['owner', 'system', 'domain', 'parent', 'subcomponentOf', 'subdomainOf']);
/** Fields the record keeps: read from it, without the entity's data. */
const RECORD_METADATA = new Set(['name', 'namespace', 'title', 'description', 'annotations', 'tags']);

/** The entity as far as its record tells: identity, metadata, type, lifecycle and the references. */
function recordView(r: EntityRecord): Record<string, unknown> {
  const spec: Record<string, unknown> = {};
  if (r.type) spec.type = r.type;
  if (r.lifecycle) spec.lifecycle = r.lifecycle;
  for (const o of r.refs) {
    if (SINGLE_REFS.has(o.field)) spec[o.field] = o.written;
    else ((spec[o.field] ??= []) as string[]).push(o.written);
  }
  const metadata = { name: r.name, namespace: r.namespace, title: r.title, description: r.description, annotations: r.annotations, tags: r.tags };
  return { kind: r.kind, metadata, spec };
}

const views = new WeakMap<EntityRecord, Record<string, unknown>>();

/** The reference fields of each built-in kind (lower-case kind): the record keeps every one that is written as text. */
const DECLARED_REFS = new Map(BUILTIN_KINDS.map((k) => [k.kind.toLowerCase(), new Set(k.references.map((f) => f.field))]));

/** True when the record answers for the spec field: its type, lifecycle, or a reference field (absent when the record has none). */
function specKept(r: EntityRecord, field: string | number): boolean {
  return field === 'type' || field === 'lifecycle' || r.refs.some((o) => o.field === field) || !!DECLARED_REFS.get(r.kind.toLowerCase())?.has(String(field));
}

/** A field's value: from the entity's data when the record has it, else from the record where it keeps the field. */
export function fieldValue(s: Subject, path: (string | number)[]): unknown {
  const r = s.record;
  let root: unknown = r.value;
  if (root === undefined) {
    const kept = path[0] === 'kind' || (path[0] === 'metadata' && RECORD_METADATA.has(String(path[1]))) || (path[0] === 'spec' && specKept(r, path[1]));
    root = kept ? undefined : s.entity?.();
    if (root === undefined) {
      root = views.get(r);
      if (!root) views.set(r, (root = recordView(r)));
    }
  }
  let v: unknown = root;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

function present(v: unknown): boolean {
  if (v === undefined || v === null || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v));
const same = (a: unknown, b: unknown): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);

function field(cond: Extract<Condition, { field: string }>, s: Subject): Verdict {
  const v = fieldValue(s, parsePath(cond.field));
  const f = cond.field;
  if ('exists' in cond) {
    const has = present(v);
    return { pass: has === cond.exists, why: has ? `${f} is set` : `${f} is not set` };
  }
  if (!present(v) && v !== '') return { pass: false, why: `${f} is not set` };
  if ('equals' in cond) return same(v, cond.equals) ? { pass: true, why: `${f} is ${show(v)}` } : { pass: false, why: `${f} is ${show(v)}, not ${show(cond.equals)}` };
  if ('in' in cond) return cond.in.some((x) => same(v, x)) ? { pass: true, why: `${f} is ${show(v)}` } : { pass: false, why: `${f} is ${show(v)}, not one of ${cond.in.map(show).join(', ')}` };
  const re = new RegExp(cond.matches);
  const items = Array.isArray(v) ? v : [v];
  const hit = items.find((x) => (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') && re.test(String(x)));
  return hit !== undefined ? { pass: true, why: `${f} ${show(hit)} matches /${cond.matches}/` } : { pass: false, why: `${f} is ${show(v)}, which does not match /${cond.matches}/` };
}

function count(cond: Extract<Condition, { count: string }>, s: Subject): Verdict {
  const path = parsePath(cond.count);
  let n: number;
  if (path[0] === 'relations' && path.length === 2) {
    if (!s.index) return { pass: 'n/a', why: 'relations are not known without the catalog' };
    // Relations to the entity come from anywhere in the catalog: the score depends on all of it.
    s.uses?.add(ANY_CHANGE);
    n = relationsOf(s.index, s.record.ref).filter((r) => r.type === path[1]).length;
  } else {
    const v = fieldValue(s, path);
    n = Array.isArray(v) ? v.length : v && typeof v === 'object' ? Object.keys(v).length : present(v) ? 1 : 0;
  }
  const what = `${cond.count} has ${n}`;
  if (cond.min !== undefined && n < cond.min) return { pass: false, why: `${what}, fewer than ${cond.min}` };
  if (cond.max !== undefined && n > cond.max) return { pass: false, why: `${what}, more than ${cond.max}` };
  return { pass: true, why: what };
}

// Relations ------------------------------------------------------------------------------------------

function ownerIsGroup(s: Subject, annotation: string | undefined): Verdict {
  const owner = s.record.refs.find((o) => o.field === 'owner');
  if (!owner) return { pass: false, why: 'spec.owner is not set' };
  if (!owner.target) return { pass: false, why: `the owner ${owner.written} is not a valid reference` };
  if (!s.index) return { pass: 'n/a', why: 'the owner is not known without the catalog' };
  s.uses?.add(owner.target);
  const p = s.index.first(owner.target);
  if (!p) return { pass: false, why: `the owner ${owner.target} is not in the catalog` };
  if (p.record.kind.toLowerCase() !== 'group') return { pass: false, why: `the owner ${owner.target} is a ${p.record.kind}, not a Group` };
  if (!annotation) return { pass: true, why: `owned by the group ${owner.target}` };
  return p.record.annotations[annotation] ? { pass: true, why: `the owning group ${owner.target} has ${annotation}` } : { pass: false, why: `the owning group ${owner.target} has no ${annotation}` };
}

const DEPENDENCY_FIELDS = new Set(['dependsOn', 'consumesApis']);

function nothingDeprecated(s: Subject): Verdict {
  if (!s.index) return { pass: 'n/a', why: 'dependencies are not known without the catalog' };
  const deps = s.record.refs.filter((o) => DEPENDENCY_FIELDS.has(o.field) && o.target);
  const deprecated: string[] = [];
  for (const o of deps) {
    s.uses?.add(o.target!);
    if (s.index.first(o.target!)?.record.lifecycle?.toLowerCase() === 'deprecated') deprecated.push(o.target!);
  }
  if (deprecated.length) return { pass: false, why: `depends on deprecated ${deprecated.join(', ')}` };
  return { pass: true, why: deps.length ? `none of its ${deps.length} dependencies is deprecated` : 'it depends on nothing' };
}

// Repository facts -----------------------------------------------------------------------------------

function file(cond: Extract<Condition, { file: string }>, s: Subject): Verdict {
  if (!s.repo || !s.facts) return { pass: 'n/a', why: `${cond.file}: the entity's repository is not in the workspace` };
  const files = s.facts.files(s.repo, cond.file);
  if ('exists' in cond) return { pass: files.length > 0 === cond.exists, why: files.length ? `${files.join(', ')} exists` : `no ${cond.file} in the repository` };
  if (!files.length) return { pass: false, why: `no ${cond.file} in the repository` };
  const re = new RegExp(cond.matches, cond.flags);
  const hit = files.find((f) => re.test(s.facts!.text(s.repo!, f) ?? ''));
  return hit ? { pass: true, why: `${hit} matches /${cond.matches}/` } : { pass: false, why: `${files.join(', ')} ${files.length > 1 ? 'do' : 'does'} not match /${cond.matches}/` };
}
