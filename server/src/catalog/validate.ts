/**
 * Validation of one entity document: everything the Backstage catalog checks (envelope, placeholders,
 * field formats, root keys, the kind's schema, reference syntax), all at once, each problem on the exact
 * key or value, then the organisation's policies as warnings.
 */
import type { Document, Node } from 'yaml';
import { isMap } from 'yaml';
import * as F from './formats';
import { checkLocationTargets } from './locations';
import { locate, nodeRange, type PathSegment } from './nodes';
import { resolvePlaceholders, type ReadFile } from './placeholders';
import { customKindInfo, type Policies } from './policies';
import { parseRefString, stringifyRef } from './refs';
import { BUILTIN_KINDS, builtinKind, validateEntity, validateEnvelope, type ErrorObject, type KindInfo, type SchemaNode } from './schemas';
import type { EntityIdentity, Problem, ProblemData, Severity } from './types';

export interface ValidateOptions {
  /** Absolute path of the file, for placeholders. */
  path?: string;
  policies: Policies;
  readFile: ReadFile;
  /** Also return each problem's subject (used only around a YAML error, see yamlRecovery.ts). */
  subjects?: boolean;
}

/** What a problem is about: the path it was reported at, and for a missing key, that key's name. */
export interface ProblemSubject {
  path: readonly PathSegment[];
  missing?: string;
}

export interface EntityResult {
  problems: Problem[];
  /** With `subjects: true`, the subject of each problem, in the order of `problems`. */
  subjects?: ProblemSubject[];
  entity?: EntityIdentity;
  /** The kind's info when the kind was recognised. */
  kindInfo?: KindInfo;
}

const ROOT_KEYS = ['apiVersion', 'kind', 'metadata', 'spec'];
const CATALOG_OWNED_ANNOTATIONS = ['backstage.io/managed-by-location', 'backstage.io/managed-by-origin-location'];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/** `spec.owner`, `metadata.links[0].url`. */
export function displayPath(path: readonly PathSegment[]): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s ? `.${p}` : p;
  return s || 'the entity';
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `'${v}'`;
  return `${typeof v} ${String(v)}`;
}

const TYPE_WORDS: Record<string, string> = { string: 'a string', object: 'a mapping', array: 'a list', boolean: 'true or false', number: 'a number', integer: 'an integer', null: 'null' };

class Reporter {
  readonly problems: Problem[] = [];
  /** Kept only when asked for, so that ordinary validation allocates nothing more. */
  readonly subjects?: Map<Problem, ProblemSubject>;
  constructor(
    private readonly doc: Document,
    private readonly text: string,
    withSubjects = false,
  ) {
    if (withSubjects) this.subjects = new Map();
  }

  /** The source text of the value at `path`, e.g. `012` for a name YAML read as a number. */
  source(path: readonly PathSegment[]): string | undefined {
    const loc = locate(this.doc, path);
    const r = loc.depth === path.length ? nodeRange(loc.value) : undefined;
    return r ? this.text.slice(r[0], r[1]) : undefined;
  }

  /** Reports on the value at `path` (or its key with `onKey`); falls back to the deepest node that exists. */
  add(code: string, message: string, path: readonly PathSegment[], opts: { onKey?: boolean; severity?: Severity; data?: ProblemData; missing?: string } = {}): void {
    const loc = locate(this.doc, path);
    let node: Node | undefined = opts.onKey || loc.value === undefined || loc.value === null ? loc.key ?? loc.value : loc.value;
    if (loc.depth < path.length) node = loc.key ?? loc.value;
    let r = nodeRange(node);
    if (!r || loc.depth === 0) r = this.firstKeyRange() ?? [0, 0];
    if (path.length === 0) r = [r[0], Math.min(r[1], lineEnd(this.text, r[0]))];
    if (isMap(node) && loc.key && loc.depth === path.length && !opts.onKey) r = nodeRange(loc.key) ?? r;
    // An empty value (`spec:` with nothing after it) has no text of its own: point at its key.
    if (r[1] <= r[0] && loc.key) r = nodeRange(loc.key) ?? r;
    const problem: Problem = { code, message, severity: opts.severity ?? 'error', start: r[0], end: Math.max(r[0], r[1]), ...(opts.data ? { data: opts.data } : {}) };
    this.problems.push(problem);
    this.subjects?.set(problem, opts.missing === undefined ? { path } : { path, missing: opts.missing });
  }

  /**
   * The line to add under the block mapping at `path` (a missing key): indented like its children, or two
   * spaces deeper than its key when it has none. Undefined for a flow mapping (`spec: {}`) or the root.
   */
  keyLineUnder(path: readonly PathSegment[], key: string, value: string): string | undefined {
    if (!path.length) return undefined;
    const loc = locate(this.doc, path);
    if (loc.depth !== path.length || !loc.key?.range) return undefined;
    const v = loc.value;
    if (v && !(isMap(v) && !v.flow)) return undefined;
    const keyStart = loc.key.range[0];
    const keyIndent = keyStart - (this.text.lastIndexOf('\n', keyStart - 1) + 1);
    const first = isMap(v) ? (v.items[0]?.key as Node | undefined)?.range?.[0] : undefined;
    const indent = first !== undefined ? first - (this.text.lastIndexOf('\n', first - 1) + 1) : keyIndent + 2;
    return `${' '.repeat(indent)}${key}: ${value}\n`;
  }

  private firstKeyRange(): [number, number] | undefined {
    const c = this.doc.contents;
    if (isMap(c) && c.items.length) return nodeRange(c.items[0].key as Node);
    return nodeRange(c as Node | undefined);
  }
}

function lineEnd(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl === -1 ? text.length : nl;
}

function segmentsOf(instancePath: string): PathSegment[] {
  if (!instancePath) return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let v = root;
  for (const p of path) v = v && typeof v === 'object' ? (v as Record<string | number, unknown>)[p] : undefined;
  return v;
}

/** A value to write for a required field the user has not filled in yet. */
function placeholderFor(node: SchemaNode | undefined): string {
  if (!node) return '""';
  if (node.type === 'array') return '[]';
  if (node.type === 'object') return '{}';
  const example = node.examples?.[0] ?? node.enum?.[0];
  if (typeof example === 'string') return example;
  const ref = node['x-reference'];
  if (ref?.defaultKind) return `${ref.defaultKind.toLowerCase()}:replace-me`;
  return 'replace-me';
}

/** Turns ajv errors into problems: one per place, in words that say what is expected. */
function reportSchemaErrors(errors: ErrorObject[] | null | undefined, value: unknown, rep: Reporter, kindLabel: string): void {
  if (!errors) return;
  const oneOfPaths = errors.filter((e) => e.keyword === 'oneOf').map((e) => e.schemaPath);
  const seen = new Set<string>();
  for (const e of errors) {
    if (e.keyword !== 'oneOf' && oneOfPaths.some((p) => e.schemaPath.startsWith(p.replace(/\/oneOf$/, '/oneOf/')))) continue;
    const path = segmentsOf(e.instancePath);
    if (path.length === 0 && e.keyword === 'additionalProperties') continue; // root keys: a rule of their own
    const key = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const where = displayPath(path);
    const v = valueAt(value, path);
    const schema = (e.parentSchema ?? {}) as SchemaNode;
    switch (e.keyword) {
      case 'required': {
        const missing = (e.params as { missingProperty: string }).missingProperty;
        const full = displayPath([...path, missing]);
        const about = schema.properties?.[missing]?.description;
        const line = rep.keyLineUnder(path, missing, placeholderFor(schema.properties?.[missing]));
        rep.add('required', `${full} is required${kindLabel ? ` for a ${kindLabel}` : ''}${about ? `: ${about[0].toLowerCase()}${about.slice(1).replace(/\.$/, '')}` : ''}`, path, {
          onKey: true,
          data: line ? { insertLineAfter: line } : undefined,
          missing,
        });
        break;
      }
      case 'type': {
        const t = (e.params as { type: string | string[] }).type;
        const words = (Array.isArray(t) ? t : String(t).split(',')).map((x) => TYPE_WORDS[x] ?? x).join(' or ');
        const src = rep.source(path);
        const quote = t === 'string' && (typeof v === 'number' || typeof v === 'boolean') && src ? `; YAML reads ${src} as a ${typeof v}, so quote it: "${src}"` : '';
        rep.add('type', `${where} must be ${words}, but it is ${describe(v)}${quote}`, path);
        break;
      }
      case 'minLength':
        rep.add('empty', `${where} must not be empty`, path);
        break;
      case 'enum':
        rep.add('enum', `${where} must be one of ${(schema.enum ?? []).map((x) => `'${String(x)}'`).join(', ')}, but it is ${describe(v)}`, path);
        break;
      case 'oneOf':
        rep.add('type', `${where} must be ${schema.description ? schema.description.replace(/\.$/, '').replace(/^The /, 'the ') : 'one of the allowed forms'}, but it is ${describe(v)}`, path);
        break;
      default:
        rep.add(`schema-${e.keyword}`, `${where} ${e.message ?? 'is not valid'}`, path);
    }
  }
}

/** The kinds accepted here: built-in ones, then the installation's custom kinds. */
export function findKind(kind: string, policies: Policies): KindInfo | undefined {
  const b = builtinKind(kind);
  if (b) return b;
  const c = policies.kinds.find((k) => k.kind === kind);
  return c ? customKindInfo(c) : undefined;
}

function checkFormats(entity: Obj, rep: Reporter): void {
  const { apiVersion, kind } = entity;
  if (typeof apiVersion === 'string' && apiVersion && !F.isValidApiVersion(apiVersion)) {
    rep.add('api-version-format', `apiVersion '${apiVersion}' must be ${F.EXPECTED.apiVersion}`, ['apiVersion']);
  }
  if (typeof kind === 'string' && kind && !F.isValidKind(kind)) {
    rep.add('kind-format', `kind '${kind}' must be ${F.EXPECTED.kind}`, ['kind']);
  }
  const meta = entity.metadata;
  if (!isObj(meta)) return;
  if (typeof meta.name === 'string' && meta.name && !F.isValidObjectName(meta.name)) {
    rep.add('name-format', `metadata.name '${meta.name}' must be ${F.EXPECTED.name}`, ['metadata', 'name']);
  }
  if (typeof meta.namespace === 'string' && meta.namespace && !F.isValidDnsLabel(meta.namespace)) {
    rep.add('namespace-format', `metadata.namespace '${meta.namespace}' must be ${F.EXPECTED.namespace}`, ['metadata', 'namespace']);
  }
  for (const field of ['labels', 'annotations'] as const) {
    const map = meta[field];
    if (!isObj(map)) continue;
    for (const [k, v] of Object.entries(map)) {
      if (!F.isValidMetadataKey(k)) {
        rep.add(`${field === 'labels' ? 'label' : 'annotation'}-key`, `${field === 'labels' ? 'label' : 'annotation'} key '${k}' must be ${F.EXPECTED.metadataKey}`, ['metadata', field, k], { onKey: true });
      }
      if (field === 'labels' && typeof v === 'string' && !F.isValidLabelValue(v)) {
        rep.add('label-value', `label value '${v}' of '${k}' must be ${F.EXPECTED.labelValue}`, ['metadata', field, k]);
      }
    }
  }
  if (Array.isArray(meta.tags)) {
    meta.tags.forEach((t, i) => {
      if (typeof t === 'string' && t && !F.isValidTag(t)) rep.add('tag-format', `tag '${t}' must be ${F.EXPECTED.tag}`, ['metadata', 'tags', i]);
    });
  }
  if (Array.isArray(meta.links)) {
    meta.links.forEach((l, i) => {
      if (!isObj(l)) return;
      if (typeof l.url === 'string' && l.url && !F.isValidUrl(l.url)) {
        rep.add('link-url', `links[${i}].url '${l.url}' must be an absolute URL, e.g. https://example.com/dashboard`, ['metadata', 'links', i, 'url']);
      }
      for (const f of ['title', 'icon'] as const) {
        if (typeof l[f] === 'string' && l[f] && !F.isNonBlankString(l[f])) rep.add(`link-${f}`, `links[${i}].${f} must not be blank`, ['metadata', 'links', i, f]);
      }
    });
  }
}

function checkRootKeys(entity: Obj, rep: Reporter): void {
  for (const k of Object.keys(entity)) {
    if (ROOT_KEYS.includes(k)) continue;
    const msg =
      k === 'relations' || k === 'status'
        ? `${k} is computed by the catalog and must not be written in a descriptor file (the catalog rejects it as "Unknown field ${k}")`
        : `unknown root key '${k}': an entity holds only apiVersion, kind, metadata and spec${k === '$schema' ? ' (use a # yaml-language-server: $schema= comment instead)' : ''}`;
    rep.add('root-unknown-key', msg, [k], { onKey: true });
  }
}

function checkKind(entity: Obj, policies: Policies, rep: Reporter): KindInfo | undefined {
  const { kind, apiVersion } = entity;
  if (typeof kind !== 'string' || !kind || !F.isValidKind(kind)) return undefined;
  const info = findKind(kind, policies);
  if (!info) {
    const near = [...BUILTIN_KINDS.map((k) => k.kind), ...policies.kinds.map((k) => k.kind)].find((k) => k.toLowerCase() === kind.toLowerCase());
    rep.add(
      'kind-unknown',
      near
        ? `kind '${kind}' is not recognised: kinds are case-sensitive; did you mean '${near}'?`
        : `kind '${kind}' is not recognised by the catalog's default processors; expected one of ${BUILTIN_KINDS.map((k) => k.kind).join(', ')}, or declare your installation's custom kinds in .paved-road/policies.yaml`,
      ['kind'],
    );
    return undefined;
  }
  if (typeof apiVersion !== 'string' || !apiVersion) return undefined;
  if (info.apiVersions.length && !info.apiVersions.includes(apiVersion)) {
    rep.add('kind-api-version', `apiVersion '${apiVersion}' is not accepted for kind ${info.kind}; expected ${info.apiVersions.join(' or ')}`, ['apiVersion']);
    return undefined;
  }
  return info;
}

function checkReferences(entity: Obj, info: KindInfo, rep: Reporter): void {
  const spec = entity.spec;
  if (!isObj(spec)) return;
  for (const f of info.references) {
    const raw = spec[f.field];
    if (!raw) continue;
    const items: [unknown, PathSegment[]][] = Array.isArray(raw) ? raw.map((v, i) => [v, ['spec', f.field, i]]) : [[raw, ['spec', f.field]]];
    for (const [v, path] of items) {
      if (typeof v !== 'string') {
        // parseEntityRef also takes {kind, namespace, name}; the kind may default, the rest may not be empty.
        const o = isObj(v) ? v : {};
        const missing = !(o.kind ?? f.defaultKind) ? 'kind' : o.namespace !== undefined && !o.namespace ? 'namespace' : !o.name ? 'name' : undefined;
        if (missing) rep.add(missing === 'kind' ? 'ref-kind-required' : 'ref-malformed', `spec.${f.field} entries must be entity references like '${f.allowedKinds[0].toLowerCase()}:name'; this one has a missing or empty ${missing}`, path);
        continue;
      }
      const parsed = parseRefString(v);
      if (!parsed) {
        rep.add('ref-malformed', `reference '${v}' must be written [kind:][namespace/]name with no empty part`, path);
      } else if (!parsed.kind && !f.defaultKind) {
        const examples = f.allowedKinds.map((k) => `'${k.toLowerCase()}:${v}'`).join(' or ');
        rep.add('ref-kind-required', `reference '${v}' in spec.${f.field} must name its kind, e.g. ${examples}: this field has no default kind`, path, {
          data: { replacements: f.allowedKinds.map((k) => `${k.toLowerCase()}:${v}`) },
        });
      }
    }
  }
}

function checkPolicies(entity: Obj, info: KindInfo, policies: Policies, rep: Reporter): void {
  const spec = isObj(entity.spec) ? entity.spec : undefined;
  if (!spec) return;
  const severity = policies.severity;
  const hasLifecycle = !!info.spec.properties?.lifecycle;
  const lifecycle = typeof spec.lifecycle === 'string' ? spec.lifecycle : undefined;
  if (hasLifecycle && lifecycle && policies.lifecycles.length && !policies.lifecycles.includes(lifecycle)) {
    rep.add('policy-lifecycle', `lifecycle '${lifecycle}' is not one of this organisation's lifecycles: ${policies.lifecycles.join(', ')}`, ['spec', 'lifecycle'], { severity });
  }
  if (policies.typedOwner && typeof spec.owner === 'string' && info.references.some((r) => r.field === 'owner')) {
    const p = parseRefString(spec.owner);
    if (p && !p.kind) {
      rep.add('policy-owner-typed', `owner '${spec.owner}' should name its kind: write 'group:${spec.owner}' or 'user:${spec.owner}'`, ['spec', 'owner'], {
        severity,
        data: { replacements: [`group:${spec.owner}`, `user:${spec.owner}`] },
      });
    }
  }
  const needed = [...(policies.requiredAnnotations['*'] ?? []), ...(lifecycle ? policies.requiredAnnotations[lifecycle] ?? [] : [])];
  if (needed.length) {
    const meta = isObj(entity.metadata) ? entity.metadata : {};
    const annotations = isObj(meta.annotations) ? meta.annotations : {};
    for (const a of needed) {
      if (annotations[a] === undefined) {
        rep.add('policy-annotation-required', `annotation '${a}' is required${lifecycle ? ` for lifecycle '${lifecycle}'` : ''} by this organisation's policies`, annotations === meta.annotations ? ['metadata', 'annotations'] : ['metadata'], { onKey: true, severity, missing: a });
      }
    }
  }
}

/** The entity's identity, when kind and name are readable. */
export function identityOf(value: unknown): EntityIdentity | undefined {
  if (!isObj(value) || typeof value.kind !== 'string' || !isObj(value.metadata) || typeof value.metadata.name !== 'string') return undefined;
  const namespace = typeof value.metadata.namespace === 'string' && value.metadata.namespace ? value.metadata.namespace : 'default';
  return { kind: value.kind, namespace, name: value.metadata.name, ref: stringifyRef(value.kind, namespace, value.metadata.name) };
}

/** Validates one parsed document (offsets relative to the document's chunk). */
export function validateEntityDocument(doc: Document, text: string, value: unknown, opts: ValidateOptions): EntityResult {
  const rep = new Reporter(doc, text, opts.subjects);
  if (!isObj(value)) {
    rep.add('root-not-object', `a catalog document must be a mapping with apiVersion, kind, metadata and spec, but this one is ${describe(value)}`, []);
    return { problems: rep.problems, ...(opts.subjects ? { subjects: [{ path: [] }] } : {}) };
  }
  const entity = identityOf(value);
  // The catalog's order: the envelope is checked on what the file says; then it makes a falsy annotations
  // map an object and writes its two managed-by annotations; only then are placeholders resolved.
  if (!validateEnvelope(value)) reportSchemaErrors(validateEnvelope.errors, value, rep, '');
  const meta = value.metadata;
  let annotations: Obj | undefined;
  if (isObj(meta)) {
    if (!meta.annotations) meta.annotations = {};
    else if (!isObj(meta.annotations)) {
      rep.add('annotations-object', `metadata.annotations must be a mapping of keys to strings, but it is ${describe(meta.annotations)}`, ['metadata', 'annotations']);
      meta.annotations = {};
    }
    annotations = meta.annotations as Obj;
    for (const k of CATALOG_OWNED_ANNOTATIONS) annotations[k] = 'set by the catalog';
  }
  for (const f of resolvePlaceholders(value, opts.path, opts.readFile)) {
    rep.add(f.code, f.message, f.path, { severity: f.code === 'placeholder-remote' ? 'info' : 'error' });
  }
  if (annotations) for (const k of CATALOG_OWNED_ANNOTATIONS) delete annotations[k];
  if (!validateEntity(value)) reportSchemaErrors(validateEntity.errors, value, rep, '');
  checkRootKeys(value, rep);
  checkFormats(value, rep);
  const info = checkKind(value, opts.policies, rep);
  if (info) {
    if (info.validate && !info.validate(value)) reportSchemaErrors(info.validate.errors, value, rep, info.kind);
    checkReferences(value, info, rep);
    if (info.builtin && info.kind === 'Location' && isObj(value.spec)) {
      for (const f of checkLocationTargets(value.spec, opts.path, opts.readFile)) rep.add(f.code, f.message, f.path);
    }
    checkPolicies(value, info, opts.policies, rep);
  }
  const seen = new Set<string>();
  const problems = rep.problems
    .filter((p) => {
      const key = `${p.code}|${p.start}|${p.end}`;
      return seen.has(key) ? false : (seen.add(key), true);
    })
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const subjects = rep.subjects;
  return { problems, entity, kindInfo: info, ...(subjects ? { subjects: problems.map((p) => subjects.get(p) ?? { path: [] }) } : {}) };
}
