/**
 * Hover: on a key, what the field means, whether this kind requires it and the Backstage rule it
 * follows; on the value of `kind`, the kind; on a reference, the entity it resolves to.
 */
import { isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { AnalyzedFile } from '../catalog/analyze';
import { EXPECTED } from '../catalog/formats';
import { findPair } from '../catalog/nodes';
import { DEFAULT_POLICIES, type Policies } from '../catalog/policies';
import { parseRefString, stringifyRef } from '../catalog/refs';
import type { KindInfo, SchemaNode } from '../catalog/schemas';
import { annotationInfo, annotationMarkdown } from './annotations';
import { kindMarkdown } from './completion';
import { documentAt, findKind, isFresh, keyTokenAt, pathLabel, readDocument, requiredOf, scalarAt, scanBounds, schemaAt, typeOf, type PathSegment } from './context';
import type { HoverResult } from './types';

interface Hit {
  path: PathSegment[];
  onKey: boolean;
  /** File offsets of the key (onKey) or the scalar value. */
  start: number;
  end: number;
  value?: unknown;
}

interface Env {
  info?: KindInfo;
  kindName?: string;
  namespace: string;
  policies: Policies;
}

/** The hover at `offset`, or undefined when there is nothing to say. */
export function hover(file: AnalyzedFile, text: string, offset: number, policies: Policies = DEFAULT_POLICIES): HoverResult | undefined {
  const d = documentAt(file, offset);
  if (!d || !d.cached.doc) return undefined; // too large to read
  let hit: Hit | undefined;
  let kindName: string | undefined;
  let namespace: string | undefined;
  if (isFresh(d, text) && offset >= d.chunk.start && offset <= d.chunk.end) {
    const doc = d.cached.doc;
    hit = astHitAt(doc, offset - d.chunk.start, d.chunk.start);
    kindName = astScalar(doc, ['kind']);
    namespace = astScalar(doc, ['metadata', 'namespace']);
  } else {
    // The analysis lags behind the text: read the document's lines instead.
    const b = scanBounds(text, offset);
    const lines = readDocument(text, b.start, b.end);
    const t = keyTokenAt(lines, offset);
    if (t) {
      const base = t.line.start;
      const path = [...t.tok.path, t.tok.key!];
      hit = t.onValue
        ? { path, onKey: false, start: base + t.tok.valueCol!, end: base + t.tok.valueCol! + t.tok.value!.length, value: unquoted(t.tok.value!) }
        : { path, onKey: true, start: base + t.tok.col, end: base + t.tok.keyEnd! };
    }
    kindName = scalarAt(lines, ['kind']);
    namespace = scalarAt(lines, ['metadata', 'namespace']);
  }
  if (!hit) return undefined;
  const env: Env = { info: findKind(kindName, policies), kindName, namespace: namespace || 'default', policies };
  const contents = hit.onKey ? keyMarkdown(hit.path, env) : valueMarkdown(hit, env);
  return contents ? { contents, start: hit.start, end: hit.end } : undefined;
}

function unquoted(v: string): string {
  return /^(["']).*\1$/.test(v) ? v.slice(1, -1) : v;
}

/** Finds the key or scalar value at a chunk-relative offset in the parsed document. */
function astHitAt(doc: Document.Parsed, rel: number, base: number): Hit | undefined {
  let node: unknown = doc.contents;
  const path: PathSegment[] = [];
  for (let depth = 0; depth < 64 && node; depth++) {
    if (isMap(node)) {
      let next: unknown;
      for (const pair of node.items) {
        const k = pair.key as Node | null;
        const v = pair.value as Node | null;
        if (k && isScalar(k) && k.range && rel >= k.range[0] && rel <= k.range[1]) {
          return { path: [...path, String(k.value)], onKey: true, start: base + k.range[0], end: base + k.range[1] };
        }
        if (v && v.range && rel >= v.range[0] && rel <= v.range[1]) {
          if (!isScalar(k)) return undefined;
          path.push(String(k.value));
          next = v;
          break;
        }
      }
      if (next === undefined) return undefined;
      node = next;
    } else if (isSeq(node)) {
      const i = node.items.findIndex((it) => {
        const r = (it as Node | null)?.range;
        return !!r && rel >= r[0] && rel <= r[1];
      });
      if (i === -1) return undefined;
      path.push(i);
      node = node.items[i];
    } else if (isScalar(node)) {
      if (!node.range) return undefined;
      return { path, onKey: false, start: base + node.range[0], end: base + node.range[1], value: node.value };
    } else return undefined;
  }
  return undefined;
}

function astScalar(doc: Document.Parsed, path: string[]): string | undefined {
  let node: unknown = doc.contents;
  for (const seg of path) node = findPair(node, seg)?.value;
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

const article = (word: string): string => (/^[AEIO]/i.test(word) ? 'an' : 'a');
const code = (s: string): string => `\`${s}\``;

/** The markdown for a key at `path`. */
function keyMarkdown(path: PathSegment[], env: Env): string | undefined {
  const { info, kindName } = env;
  const label = pathLabel(path);
  const last = path[path.length - 1];
  if (path.length === 3 && path[0] === 'metadata' && typeof last === 'string') {
    if (path[1] === 'annotations') {
      const a = annotationInfo(last);
      if (a) return annotationMarkdown(a);
      return [`**${last}** (annotation)`, 'An annotation: non-identifying metadata read by plugins and tools. Not in Paved Road\'s catalogue of well-known annotations.', `Key: ${EXPECTED.metadataKey}. Value: any string.`].join('\n\n');
    }
    if (path[1] === 'labels') {
      return [`**${last}** (label)`, 'A label: a key/value pair used to classify and select entities.', `Key: ${EXPECTED.metadataKey}.`, `Value: ${EXPECTED.labelValue}.`].join('\n\n');
    }
  }
  const { node, parent } = schemaAt(path, info);
  const header = `**${label}**${path[0] === 'spec' && kindName ? ` (${kindName})` : ''}`;
  if (!node) {
    if (path.length === 1) return `${header}\n\nNot an entity field: an entity holds only \`apiVersion\`, \`kind\`, \`metadata\` and \`spec\`. The catalog rejects this key ("Unknown field ${String(last)}").`;
    if (path[0] === 'metadata' && path.length === 2) return `${header}\n\nNot a standard metadata field. The catalog keeps it, but Backstage itself does not read it.`;
    if (path[0] === 'spec' && path.length === 2 && info) return `${header}\n\nNot a field of the ${info.kind} spec. The catalog accepts it, but Backstage does not read it.`;
    return undefined;
  }
  const parts: string[] = [header];
  const desc = node.markdownDescription ?? node.description;
  if (desc) parts.push(desc);
  const req = requirement(path, parent, env);
  const type = typeLine(node);
  const facts = [req, type].filter(Boolean).join(' ');
  if (facts) parts.push(facts);
  const ref = referenceLine(path, env, desc ?? '');
  if (ref) parts.push(ref);
  const values = valuesLine(path, node, desc ?? '', env);
  if (values) parts.push(values);
  if (pathIs(path, ['apiVersion']) && info?.apiVersions.length) parts.push(`For ${article(info.kind)} ${info.kind}: ${info.apiVersions.map(code).join(' or ')}.`);
  const format = FORMATS[label];
  if (format && !(desc ?? '').includes('1-63')) parts.push(`Format: ${format}.`);
  return parts.join('\n\n');
}

const FORMATS: Record<string, string> = {
  'metadata.name': EXPECTED.name,
  'metadata.namespace': EXPECTED.namespace,
  'metadata.tags': EXPECTED.tag,
  kind: EXPECTED.kind,
};

const pathIs = (path: readonly PathSegment[], want: readonly PathSegment[]): boolean => path.length === want.length && path.every((p, i) => p === want[i]);

function requirement(path: PathSegment[], parent: SchemaNode | undefined, env: Env): string | undefined {
  const last = path[path.length - 1];
  if (typeof last !== 'string' || !parent) return undefined;
  if (path.length === 1 && (last === 'relations' || last === 'status')) return undefined;
  const req = requiredOf(parent).includes(last);
  const kind = env.info?.kind;
  if (path.length === 1) {
    if (last === 'spec') return kind ? (req ? `Required for ${article(kind)} ${kind}.` : `Optional for ${article(kind)} ${kind}.`) : 'Required by every built-in kind.';
    return req ? 'Required for every entity.' : 'Optional.';
  }
  if (path[0] === 'metadata' && path.length === 2) return req ? 'Required for every entity.' : 'Optional.';
  if (path[0] === 'spec' && path.length === 2) return kind ? (req ? `Required for ${article(kind)} ${kind}.` : `Optional for ${article(kind)} ${kind}.`) : undefined;
  if (typeof path[path.length - 2] === 'number') return req ? 'Required in each entry.' : 'Optional.';
  return req ? 'Required.' : 'Optional.';
}

function typeLine(node: SchemaNode): string | undefined {
  const t = typeOf(node);
  if (!t) return undefined;
  if (t === 'array') return `Type: a list${typeOf(node.items) === 'object' ? ' of mappings' : typeOf(node.items) === 'string' ? ' of strings' : ''}.`;
  const words: Record<string, string> = { object: 'a mapping', array: 'a list', boolean: 'true or false', integer: 'an integer', number: 'a number' };
  return `Type: ${t.split(' or ').map((x) => words[x] ?? x).join(' or ')}.`;
}

function referenceLine(path: PathSegment[], env: Env, desc: string): string | undefined {
  if (path[0] !== 'spec' || path.length !== 2 || typeof path[1] !== 'string') return undefined;
  const field = env.info?.spec.properties?.[path[1]];
  const ref = field?.['x-reference'];
  if (!ref) return undefined;
  const ns = env.namespace;
  const parts = [`Entity reference, written \`[kind:][namespace/]name\`.`];
  if (ref.defaultKind) parts.push(`Without a kind it means ${article(ref.defaultKind)} ${ref.defaultKind}: \`name\` reads as \`${ref.defaultKind.toLowerCase()}:${ns}/name\`.`);
  else if (!/no default kind/i.test(desc)) parts.push(`**No default kind**: every reference must name its kind, e.g. \`${(ref.allowedKinds[0] ?? 'component').toLowerCase()}:name\`; the catalog rejects one without.`);
  parts.push(`Without a namespace it is this entity's namespace (\`${ns}\`).`);
  parts.push(`Meant to point at ${ref.allowedKinds.join(' or ')}; relation \`${ref.relation}\`.`);
  if (env.policies.typedOwner && path[1] === 'owner') parts.push("Your organisation's policy asks the owner to name its kind (`group:` or `user:`).");
  return parts.join(' ');
}

function valuesLine(path: PathSegment[], node: SchemaNode, desc: string, env: Env): string | undefined {
  const out: string[] = [];
  if (pathIs(path, ['spec', 'lifecycle']) && env.policies.lifecycles.length) out.push(`Your organisation allows: ${env.policies.lifecycles.map(code).join(', ')}.`);
  else if (node.enum) out.push(`One of: ${node.enum.map((v) => code(String(v))).join(', ')}.`);
  else if (node.examples?.length && !pathIs(path, ['kind']) && !node.examples.every((e) => desc.includes(code(String(e))))) out.push(`Examples: ${node.examples.map((v) => code(String(v))).join(', ')}.`);
  if (node.default !== undefined) out.push(`Default: ${code(String(node.default))}.`);
  return out.join(' ') || undefined;
}

/** The markdown for a scalar value: the kind, or the entity a reference resolves to. */
function valueMarkdown(hit: Hit, env: Env): string | undefined {
  const path = hit.path;
  if (pathIs(path, ['kind']) && typeof hit.value === 'string') {
    const k = findKind(hit.value, env.policies);
    return k ? kindMarkdown(k) : undefined;
  }
  if (path[0] !== 'spec' || typeof path[1] !== 'string' || typeof hit.value !== 'string') return undefined;
  if (!(path.length === 2 || (path.length === 3 && typeof path[2] === 'number'))) return undefined;
  const ref = env.info?.spec.properties?.[path[1]]?.['x-reference'];
  if (!ref) return undefined;
  const v = hit.value;
  const parsed = parseRefString(v);
  if (!parsed) return `**${v}**\n\nNot a valid entity reference: write \`[kind:][namespace/]name\` with no empty part.`;
  const kind = parsed.kind ?? ref.defaultKind;
  if (!kind) return `**${v}**\n\n\`spec.${path[1]}\` has no default kind: name it, e.g. \`${(ref.allowedKinds[0] ?? 'component').toLowerCase()}:${v}\`.`;
  const full = stringifyRef(kind, parsed.namespace ?? env.namespace, parsed.name);
  const how: string[] = [];
  if (!parsed.kind) how.push(`kind ${ref.defaultKind} by default`);
  if (!parsed.namespace) how.push(`namespace \`${env.namespace}\` (this entity's)`);
  return `**${full}**\n\nThe entity \`spec.${path[1]}\` refers to${how.length ? `, with ${how.join(' and ')}` : ''}; relation \`${ref.relation}\`.`;
}
