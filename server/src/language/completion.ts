/**
 * Completion by position, from the schemas, the policies and the annotation catalogue. Works on the one
 * document at the cursor, read line by line, so it keeps working while the YAML is half-typed.
 */
import type { AnalyzedFile } from '../catalog/analyze';
import { customKindInfo, DEFAULT_POLICIES, type Policies } from '../catalog/policies';
import { BUILTIN_KINDS, entityRootSchema, type KindInfo, type ReferenceSpec, type SchemaNode } from '../catalog/schemas';
import type { EntityIdentity } from '../catalog/types';
import { annotationMarkdown, WELL_KNOWN_ANNOTATIONS } from './annotations';
import { md } from './cards';
import { cursorContext, documentAt, findKind, propertiesOf, requiredOf, rootSchema, scalarAt, schemaAt, typeOf, type CursorContext, type PathSegment } from './context';
import type { CompletionEntry } from './types';

/**
 * An entity offered as a reference value; `title` (a display name) labels it when given, and the
 * description is shown with it.
 */
export type KnownEntity = EntityIdentity & { title?: string; description?: string };

export interface CompleteOptions {
  /** Entities known beyond this file (e.g. the workspace index), offered as values of reference fields. */
  entities?: Iterable<KnownEntity>;
  /** The same, asked per kind (`Group`, `User`, ... as the schemas spell them): cheaper with an index. */
  entitiesOfKind?: (kind: string) => Iterable<KnownEntity>;
  /** Tags used across the catalog, with how many entities carry each. */
  tags?: ReadonlyMap<string, number>;
  /** Annotation keys used across the catalog, with how many entities carry each. */
  annotationKeys?: ReadonlyMap<string, number>;
}

export const API_VERSIONS = ['backstage.io/v1alpha1', 'backstage.io/v1beta1', 'scaffolder.backstage.io/v1beta3'] as const;
const ROOT_KEYS = ['apiVersion', 'kind', 'metadata', 'spec'];
/** The metadata keys a descriptor file is meant to hold (uid, etag: set by the catalog). */
const META_KEYS = ['name', 'namespace', 'title', 'description', 'labels', 'annotations', 'tags', 'links'];
/** Spec fields for the skeleton of a kind that requires none. */
const SUGGESTED_SPEC: Record<string, string[]> = { Location: ['target'] };

interface Env {
  ctx: CursorContext;
  offset: number;
  file: AnalyzedFile;
  policies: Policies;
  info?: KindInfo;
  kindName?: string;
  options: CompleteOptions;
}

type Entry = Omit<CompletionEntry, 'replaceStart' | 'replaceEnd'> & { retrigger?: boolean };

const RETRIGGER = new WeakSet<CompletionEntry>();

/**
 * True for a key entry after which completion has values to offer (e.g. `lifecycle: `, `kind: `): an
 * LSP handler can attach the `editor.action.triggerSuggest` command to it.
 */
export function suggestsValues(entry: CompletionEntry): boolean {
  return RETRIGGER.has(entry);
}

/**
 * The completions at `offset` in `text` (the file `file` was analysed from; a lagging analysis is
 * tolerated: the document at the cursor is read from `text`).
 */
export function complete(file: AnalyzedFile, text: string, offset: number, policies: Policies = DEFAULT_POLICIES, options: CompleteOptions = {}): CompletionEntry[] {
  const ctx = cursorContext(file, text, offset);
  if (!ctx) return [];
  const kindName = scalarAt(ctx.doc, ['kind']);
  const env: Env = { ctx, offset, file, policies, info: findKind(kindName, policies), kindName, options };
  const entries = ctx.at === 'value' ? valueEntries(env, ctx.path) : keyEntries(env);
  return entries.map(({ retrigger, ...e }, i) => {
    const out: CompletionEntry = { ...e, sortText: e.sortText ?? String(i).padStart(4, '0'), replaceStart: ctx.wordStart, replaceEnd: ctx.wordEnd };
    if (retrigger) RETRIGGER.add(out);
    return out;
  });
}

const pathIs = (path: readonly PathSegment[], want: readonly PathSegment[]): boolean => path.length === want.length && path.every((p, i) => p === want[i]);

// ---------------------------------------------------------------------------------------------
// Keys

function keyEntries(env: Env): Entry[] {
  const { ctx } = env;
  const path = ctx.path;
  if (path.length === 0) {
    const out: Entry[] = ctx.emptyDocument && ctx.col === 0 ? snippets(env) : [];
    return [...out, ...objectKeys(env, rootSchema(env.info), ROOT_KEYS)];
  }
  if (pathIs(path, ['metadata', 'annotations'])) return annotationKeys(env);
  if (pathIs(path, ['metadata', 'labels'])) return [];
  if (pathIs(path, ['metadata'])) return objectKeys(env, schemaAt(path, env.info).node, META_KEYS);
  const { node } = schemaAt(path, env.info);
  if (!node) return [];
  const t = typeOf(node);
  const keyed = t === 'object' || (!t && Object.keys(propertiesOf(node)).length > 0);
  if (keyed) return objectKeys(env, node);
  // A scalar written on the next line, or an item of a list of scalars.
  if (t !== 'array' && ctx.present.size === 0) return valueEntries(env, path);
  return [];
}

/** Keys of an object schema not yet present: required ones first. */
function objectKeys(env: Env, node: SchemaNode | undefined, only?: string[]): Entry[] {
  if (!node) return [];
  const props = propertiesOf(node);
  const required = requiredOf(node);
  const names = (only ?? Object.keys(props)).filter((n) => !env.ctx.present.has(n));
  const rank = (n: string): number => (required.includes(n) ? 0 : n.startsWith('EXPERIMENTAL_') ? 2 : 1);
  names.sort((a, b) => rank(a) - rank(b) || (rank(a) === 0 ? required.indexOf(a) - required.indexOf(b) : 0));
  return names.map((name) => {
    const child = props[name] ?? {};
    const req = required.includes(name);
    const type = typeWord(child);
    return {
      label: name,
      kind: 'key',
      detail: [req ? 'required' : 'optional', type].filter(Boolean).join(' · '),
      documentation: keyDocumentation(env, name, child),
      insertText: keyInsert(env.ctx, name, child),
      retrigger: !env.ctx.colonFollows && (name === 'apiVersion' || name === 'kind' || !!child.enum || !!child.examples?.length || (!!child['x-reference'] && typeOf(child) !== 'array')) && !(name === 'name' && only === META_KEYS),
    };
  });
}

function keyDocumentation(env: Env, name: string, child: SchemaNode): string | undefined {
  const parts = [child.markdownDescription ?? child.description ?? ''];
  const ref = child['x-reference'];
  if (ref) parts.push(ref.defaultKind ? `Entity reference; without a kind it means ${ref.defaultKind}.` : 'Entity reference; each must name its kind (no default kind).');
  if (name === 'lifecycle' && env.policies.lifecycles.length) parts.push(`Your organisation allows: ${env.policies.lifecycles.map((l) => `\`${l}\``).join(', ')}.`);
  const s = parts.filter(Boolean).join('\n\n');
  return s || undefined;
}

function typeWord(node: SchemaNode): string | undefined {
  const t = typeOf(node);
  if (t === 'object') return 'mapping';
  if (t === 'array') return typeOf(node.items) === 'object' ? 'list of mappings' : 'list';
  return t;
}

/** `key: `, or the key and the start of its mapping or list on the next line. */
function keyInsert(ctx: CursorContext, name: string, child: SchemaNode): string {
  if (ctx.colonFollows) return ctx.quoted ? name : yamlKey(name);
  const key = yamlKey(name);
  // Editors re-indent inserted lines by the cursor line's indentation; add what the dashes take.
  const pad = ' '.repeat(Math.max(0, ctx.col - ctx.lineIndent));
  const t = typeOf(child) ?? '';
  if (t === 'object' || (t.includes('object') && !t.includes('array'))) return `${key}:\n${pad}  `;
  if (t.includes('array')) {
    const first = typeOf(child.items) === 'object' ? requiredOf(child.items)[0] : undefined;
    return `${key}:\n${pad}  - ${first ? `${yamlKey(first)}: ` : ''}`;
  }
  return `${key}: `;
}

function annotationKeys(env: Env): Entry[] {
  const { ctx, policies, kindName } = env;
  const lifecycle = scalarAt(ctx.doc, ['spec', 'lifecycle']);
  const required = [...(policies.requiredAnnotations['*'] ?? []), ...(lifecycle ? policies.requiredAnnotations[lifecycle] ?? [] : [])];
  const out: Entry[] = [];
  const seen = new Set<string>();
  const insert = (key: string, example: string | undefined): { insertText: string; snippet?: boolean } =>
    ctx.colonFollows ? { insertText: ctx.quoted ? key : yamlKey(key) } : example !== undefined ? { insertText: `${escSnippet(yamlKey(key))}: \${1:${escSnippet(example)}}`, snippet: true } : { insertText: `${yamlKey(key)}: ` };
  for (const key of required) {
    if (seen.has(key) || ctx.present.has(key)) continue;
    seen.add(key);
    const a = WELL_KNOWN_ANNOTATIONS.find((x) => x.key === key);
    out.push({
      label: key,
      kind: 'annotation',
      detail: `required by your organisation's policy${lifecycle && !(policies.requiredAnnotations['*'] ?? []).includes(key) ? ` for lifecycle ${lifecycle}` : ''}`,
      documentation: a ? annotationMarkdown(a) : undefined,
      ...insert(key, a?.example),
    });
  }
  const fits = (kinds?: string[]): boolean => !kinds || (!!kindName && kinds.includes(kindName));
  const candidates = WELL_KNOWN_ANNOTATIONS.filter((a) => !a.managed && !a.deprecated && !seen.has(a.key) && !ctx.present.has(a.key));
  const ordered = [...candidates.filter((a) => fits(a.kinds)), ...candidates.filter((a) => !fits(a.kinds))];
  for (const a of ordered) {
    seen.add(a.key);
    out.push({ label: a.key, kind: 'annotation', detail: a.description.split(/(?<=\.)\s/)[0], documentation: annotationMarkdown(a), ...insert(a.key, a.example) });
  }
  // Keys the rest of the catalog uses (plugins of this installation), most used first.
  const used = [...(env.options.annotationKeys ?? [])].filter(([k]) => !seen.has(k) && !ctx.present.has(k) && !MANAGED_ANNOTATIONS.has(k));
  for (const [key, n] of used.sort((a, b) => b[1] - a[1]).slice(0, 200)) {
    out.push({ label: key, kind: 'annotation', detail: `used by ${n} entit${n === 1 ? 'y' : 'ies'} in the catalog`, ...insert(key, undefined) });
  }
  return out;
}

const MANAGED_ANNOTATIONS = new Set(WELL_KNOWN_ANNOTATIONS.filter((a) => a.managed).map((a) => a.key));

/** Tags already used in the catalog, most used first, for an item of metadata.tags. */
function tagValues(env: Env): Entry[] {
  const present = new Set(scalarListAt(env) ?? []);
  return [...(env.options.tags ?? [])]
    .filter(([t]) => !present.has(t))
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 200)
    .map(([t, n]) => ({ label: t, kind: 'value' as const, detail: `${n} entit${n === 1 ? 'y' : 'ies'}`, insertText: valueInsert(env.ctx, t, true) }));
}

/** The tags already written in this document (so they are not offered twice). */
function scalarListAt(env: Env): string[] | undefined {
  const d = documentAt(env.file, env.offset)?.cached.value as { metadata?: { tags?: unknown } } | undefined;
  const tags = d?.metadata?.tags;
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : undefined;
}

// ---------------------------------------------------------------------------------------------
// Values

function valueEntries(env: Env, path: PathSegment[]): Entry[] {
  const { ctx, info, policies } = env;
  if (pathIs(path, ['apiVersion'])) return apiVersionValues(env);
  if (pathIs(path, ['kind'])) return kindValues(env);
  if (path[0] === 'spec' && typeof path[1] === 'string' && info && (path.length === 2 || (path.length === 3 && typeof path[2] === 'number'))) {
    const field = info.spec.properties?.[path[1]];
    const ref = field?.['x-reference'];
    if (ref && (path.length === 3 || typeOf(field) !== 'array')) return referenceValues(env, path[1], ref);
  }
  if (path.length === 3 && path[0] === 'metadata' && path[1] === 'tags' && typeof path[2] === 'number') return tagValues(env);
  const { node } = schemaAt(path, info);
  if (!node || pathIs(path, ['metadata', 'name'])) return [];
  let values: unknown[] = [];
  let kind: 'enum' | 'value' = 'value';
  let detail = '';
  if (pathIs(path, ['spec', 'lifecycle']) && policies.lifecycles.length) {
    values = policies.lifecycles;
    kind = 'enum';
    detail = "your organisation's lifecycle";
  } else if (node.enum) {
    values = node.enum;
    kind = 'enum';
  } else if (node.examples) {
    values = node.examples;
    detail = 'conventional value';
  } else if (typeOf(node) === 'boolean') {
    values = [true, false];
    kind = 'enum';
  }
  if (node.default !== undefined && !values.includes(node.default)) values = [...values, node.default];
  const doc = node.markdownDescription ?? node.description;
  return values
    .filter((v) => typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number')
    .map((v) => ({
      label: String(v),
      kind,
      detail: v === node.default ? 'default' : detail || undefined,
      documentation: doc,
      insertText: valueInsert(ctx, String(v), typeof v === 'string'),
    }));
}

function valueInsert(ctx: CursorContext, v: string, isString: boolean): string {
  return (ctx.needsSpace ? ' ' : '') + (ctx.quoted || !isString ? v : yamlScalar(v));
}

function apiVersionValues(env: Env): Entry[] {
  const { info } = env;
  const list: string[] = info?.apiVersions.length ? info.apiVersions : [...API_VERSIONS];
  const doc = entityRootSchema.properties?.apiVersion?.markdownDescription;
  return list.map((v) => ({
    label: v,
    kind: 'value' as const,
    detail: info && info.apiVersions.includes(v) ? `accepted for ${info.kind}` : v.startsWith('scaffolder.') ? 'for kind Template' : 'for the built-in kinds',
    documentation: doc,
    insertText: valueInsert(env.ctx, v, true),
  }));
}

function allKinds(policies: Policies): KindInfo[] {
  return [...BUILTIN_KINDS, ...policies.kinds.filter((k) => !BUILTIN_KINDS.some((b) => b.kind === k.kind)).map((k) => customKindInfo(k))];
}

function kindValues(env: Env): Entry[] {
  const apiVersion = scalarAt(env.ctx.doc, ['apiVersion']);
  const kinds = allKinds(env.policies);
  const fits = (k: KindInfo): boolean => !apiVersion || k.apiVersions.length === 0 || k.apiVersions.includes(apiVersion);
  const ordered = [...kinds.filter(fits), ...kinds.filter((k) => !fits(k))];
  return ordered.map((k) => ({
    label: k.kind,
    kind: 'kind' as const,
    detail: k.description || (k.builtin ? undefined : 'custom kind of your installation'),
    documentation: kindMarkdown(k),
    insertText: valueInsert(env.ctx, k.kind, true),
  }));
}

/** Markdown about a kind: its description, apiVersions and required spec fields. */
export function kindMarkdown(k: KindInfo): string {
  const parts = [`**${k.kind}**${k.description ? `: ${k.description}` : ''}`];
  if (!k.builtin) parts.push('A custom kind declared in your policies.');
  if (k.apiVersions.length) parts.push(`apiVersion: ${k.apiVersions.map((v) => `\`${v}\``).join(' or ')}`);
  const req = requiredOf(k.spec);
  if (req.length) parts.push(`Required spec fields: ${req.map((r) => `\`${r}\``).join(', ')}`);
  return parts.join('\n\n');
}

const entityIndex = new WeakMap<AnalyzedFile, Map<string, EntityIdentity[]>>();

/** The file's entities by lower-case kind (computed once per analysis). */
function entitiesByKind(file: AnalyzedFile): Map<string, EntityIdentity[]> {
  let m = entityIndex.get(file);
  if (!m) {
    m = new Map();
    for (const d of file.documents) {
      if (!d.entity) continue;
      const k = d.entity.kind.toLowerCase();
      let list = m.get(k);
      if (!list) m.set(k, (list = []));
      list.push(d.entity);
    }
    entityIndex.set(file, m);
  }
  return m;
}

function referenceValues(env: Env, field: string, ref: ReferenceSpec): Entry[] {
  const { ctx, file, policies, options } = env;
  const ownNs = (scalarAt(ctx.doc, ['metadata', 'namespace']) || 'default').toLowerCase();
  const selfName = scalarAt(ctx.doc, ['metadata', 'name'])?.toLowerCase();
  const selfKind = env.kindName?.toLowerCase();
  const allowed = ref.allowedKinds.map((k) => k.toLowerCase());
  const typed = policies.typedOwner && field === 'owner';
  const out: Entry[] = [];
  const seen = new Set<string>();
  const add = (e: KnownEntity): void => {
    const kind = e.kind.toLowerCase();
    if (!e.name || !allowed.includes(kind)) return;
    if (kind === selfKind && e.name.toLowerCase() === selfName && e.namespace.toLowerCase() === ownNs) return;
    const kindPart = ref.defaultKind && kind === ref.defaultKind.toLowerCase() && !typed ? '' : `${kind}:`;
    const nsPart = e.namespace.toLowerCase() === ownNs ? '' : `${e.namespace}/`;
    const written = `${kindPart}${nsPart}${e.name}`;
    if (seen.has(written)) return;
    seen.add(written);
    // Titles and descriptions may come from a store: shown as written, never as Markdown.
    const about = [e.title && `**${md(e.title)}**`, e.description && md(e.description), `\`${e.ref.replace(/`/g, '')}\``].filter(Boolean).join('\n\n');
    // Labelled by display name when there is one; typing either the name or the reference finds it.
    const label = e.title && e.title !== e.name ? e.title : written;
    out.push({ label, kind: 'reference', detail: written, filterText: `${written} ${e.title ?? ''}`.trim(), documentation: about, insertText: valueInsert(ctx, written, true) });
  };
  const byKind = entitiesByKind(file);
  for (const k of allowed) for (const e of byKind.get(k) ?? []) add(e);
  for (const e of options.entities ?? []) add(e);
  if (options.entitiesOfKind) for (const k of ref.allowedKinds) for (const e of options.entitiesOfKind(k)) add(e);
  // The field's default kind first, then the other allowed kinds in the schema's order.
  const rank = (e: Entry): number => {
    const w = e.detail ?? e.label;
    const k = w.includes(':') ? w.slice(0, w.indexOf(':')) : (ref.defaultKind ?? '').toLowerCase();
    return allowed.indexOf(k);
  };
  return out.map((e, i) => ({ e, i, r: rank(e) })).sort((a, b) => a.r - b.r || a.i - b.i).map((x) => x.e);
}

// ---------------------------------------------------------------------------------------------
// Snippets

function snippets(env: Env): Entry[] {
  return allKinds(env.policies).map((k) => {
    const s = skeleton(k, env.policies);
    return {
      label: `${k.kind} entity`,
      filterText: k.kind,
      kind: 'snippet' as const,
      detail: `New ${k.kind}${k.description ? `: ${k.description}` : ''}`,
      documentation: '```yaml\n' + s.preview + '\n```',
      insertText: s.snippet,
      snippet: true,
    };
  });
}

/** A complete skeleton of an entity of kind `k`, as a snippet (tab stops) and as plain text. */
export function skeleton(k: KindInfo, policies: Policies): { snippet: string; preview: string } {
  const sn: string[] = [];
  const pv: string[] = [];
  let n = 1;
  const lit = (s: string): [string, string] => [escSnippet(s), s];
  const ph = (def: string): [string, string] => [`\${${n++}${def ? `:${escSnippet(def)}` : ''}}`, def];
  const choice = (vals: string[]): [string, string] => (vals.length === 1 ? ph(vals[0]) : [`\${${n++}|${vals.map(escChoice).join(',')}|}`, vals[0]]);
  const line = (...parts: [string, string][]): void => {
    sn.push(parts.map((p) => p[0]).join(''));
    pv.push(parts.map((p) => p[1]).join(''));
  };
  line(lit(`apiVersion: ${k.apiVersions[0] ?? API_VERSIONS[0]}`));
  line(lit(`kind: ${k.kind}`));
  line(lit('metadata:'));
  line(lit('  name: '), ph(`my-${k.kind.toLowerCase()}`));
  const props = propertiesOf(k.spec);
  let fields = requiredOf(k.spec);
  if (!fields.length) fields = (SUGGESTED_SPEC[k.kind] ?? []).filter((f) => props[f]);
  if (!fields.length) line(lit('spec: {}'));
  else line(lit('spec:'));
  for (const f of fields) {
    const child = props[f] ?? {};
    const t = typeOf(child);
    const ref = child['x-reference'];
    const strings = (v: unknown[] | undefined): string[] => (v ?? []).filter((x): x is string => typeof x === 'string');
    if (f === 'definition' && k.kind === 'API') {
      line(lit('  definition:'));
      line(lit('    $text: '), ph('./openapi.yaml'));
    } else if (f === 'lifecycle' && policies.lifecycles.length) {
      line(lit(`  ${f}: `), choice(policies.lifecycles));
    } else if (t === 'array') {
      const items = child.items;
      const itemReq = typeOf(items) === 'object' ? requiredOf(items) : [];
      if (itemReq.length) {
        line(lit(`  ${f}:`));
        itemReq.forEach((r, i) => line(lit(`${i === 0 ? '    - ' : '      '}${r}: `), ph('')));
      } else line(lit(`  ${f}: [`), ph(''), lit(']'));
    } else if (t === 'object') {
      line(lit(`  ${f}: {}`));
    } else if (strings(child.enum).length) {
      line(lit(`  ${f}: `), choice(strings(child.enum)));
    } else if (strings(child.examples).length) {
      line(lit(`  ${f}: `), choice(strings(child.examples)));
    } else if (ref) {
      const target = (ref.defaultKind ?? ref.allowedKinds[0] ?? 'entity').toLowerCase();
      const name = target === 'group' ? 'my-team' : `my-${target}`;
      line(lit(`  ${f}: `), ph(f === 'owner' && policies.typedOwner ? `group:${name}` : name));
    } else {
      line(lit(`  ${f}: `), ph(''));
    }
  }
  return { snippet: sn.join('\n'), preview: pv.join('\n') };
}

// ---------------------------------------------------------------------------------------------
// YAML and snippet text

function escSnippet(s: string): string {
  return s.replace(/[\\$}]/g, (c) => `\\${c}`);
}

function escChoice(s: string): string {
  return s.replace(/[\\$}|,]/g, (c) => `\\${c}`);
}

/** A value as a YAML scalar: plain when YAML 1.2 reads it back as the same string, else double-quoted. */
export function yamlScalar(v: string): string {
  const plain = /^[A-Za-z_./][\w./@+-]*(?::[\w./@+-]+)*$/.test(v) && !/^(true|false|null|~)$/i.test(v) && !/^\.(inf|nan)$/i.test(v);
  return plain ? v : JSON.stringify(v);
}

function yamlKey(k: string): string {
  return /^[A-Za-z0-9_.\-/]+(?::[A-Za-z0-9_.\-/]+)*$/.test(k) ? k : JSON.stringify(k);
}
