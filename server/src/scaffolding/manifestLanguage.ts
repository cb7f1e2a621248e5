/**
 * The editor's help with our own YAML formats (a schema and the format's own checks): template manifests
 * (template.yaml, `apiVersion: paved-road.dev/v1`, `kind: Template`) here, scorecards in
 * scorecards/scorecardLanguage.ts. Problems at the place they are about; key and value completion and
 * hover from the schema's descriptions. Offsets in, offsets out, like the catalog's language features;
 * the server converts them.
 */
import { basename, dirname } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, type Node, type Pair } from 'yaml';
import type { Problem } from '../catalog/types';
import type { CompletionEntry, HoverResult } from '../language/types';
import manifestSchema from '../../../schemas/template.schema.json';
import { manifestIssues, type ManifestIssue } from './manifest';

interface SchemaNode {
  type?: string | string[];
  description?: string;
  markdownDescription?: string;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode;
  required?: string[];
  $ref?: string;
}

type RootSchema = SchemaNode & { definitions?: Record<string, SchemaNode> };

/** One of our YAML formats: its schema, its checks (schema and cross-field, with paths), and the code of its problems. */
export interface YamlLanguage {
  schema: object;
  code: string;
  issues: (data: unknown, path?: string) => ManifestIssue[];
}

function deref(ROOT: RootSchema, n: SchemaNode | undefined): SchemaNode | undefined {
  if (!n?.$ref) return n;
  const target = ROOT.definitions?.[n.$ref.replace('#/definitions/', '')];
  // The node's own words win over the definition's (`version` says more than `semver`).
  return { ...target, ...(n.description ? { description: n.description } : {}), ...(n.markdownDescription ? { markdownDescription: n.markdownDescription } : {}) };
}

/** The schema of a path (keys, and `[]` for a list's items). */
function schemaAt(ROOT: RootSchema, path: string[]): SchemaNode | undefined {
  let n: SchemaNode | undefined = ROOT;
  for (const seg of path) {
    n = deref(ROOT, n);
    if (!n) return undefined;
    if (seg === '[]') n = n.items;
    else n = n.properties?.[seg] ?? (typeof n.additionalProperties === 'object' ? n.additionalProperties : undefined);
  }
  return deref(ROOT, n);
}

/** The manifest's problems, each on the key or value it is about. `path` (the file's) adds the folder checks. */
export function manifestProblems(text: string, path?: string): Problem[] {
  return languageProblems(TEMPLATE_LANGUAGE, text, path);
}

/** The template manifest's checks: the schema's and the manifest's, then the folders' (templates/<id>/<version>/). */
function templateIssues(data: unknown, path?: string): ManifestIssue[] {
  const issues: ManifestIssue[] = manifestIssues(data);
  // The folders say which id and version this is: templates/<id>/<version>/template.yaml.
  if (path && basename(path) === 'template.yaml' && data && typeof data === 'object') {
    const m = data as { id?: unknown; version?: unknown };
    const version = basename(dirname(path));
    const id = basename(dirname(dirname(path)));
    if (typeof m.version === 'string' && /^\d+\.\d+\.\d+/.test(version) && m.version !== version) issues.push({ path: ['version'], message: `version is ${m.version}, but the folder is ${version}: they must be equal` });
    if (typeof m.id === 'string' && /^\d+\.\d+\.\d+/.test(version) && m.id !== id) issues.push({ path: ['id'], message: `id is ${m.id}, but the folder is ${id}: they must be equal` });
  }
  return issues;
}

export const TEMPLATE_LANGUAGE: YamlLanguage = { schema: manifestSchema, code: 'template-manifest', issues: templateIssues };

/** A document's problems in one of our formats: YAML errors, else the format's issues on what they are about. */
export function languageProblems(lang: YamlLanguage, text: string, path?: string): Problem[] {
  const doc = parseDocument(text, { prettyErrors: false });
  const problems: Problem[] = doc.errors.map((e) => ({ code: 'yaml-syntax', severity: 'error', message: e.message.split('\n')[0], start: e.pos[0], end: Math.max(e.pos[1], e.pos[0] + 1) }));
  if (problems.length) return problems;
  for (const issue of lang.issues(doc.toJS() as unknown, path)) {
    const [start, end] = rangeOf(doc.contents as Node | null, issue);
    problems.push({ code: lang.code, severity: 'error', message: issue.message, start, end });
  }
  return problems.sort((a, b) => a.start - b.start);
}

/** The text range an issue is about: the value at its path, an unknown key itself, or the key of the parent of a missing one. */
function rangeOf(root: Node | null, issue: ManifestIssue): [number, number] {
  let node: Node | null = root;
  let key: Node | null = null;
  for (const seg of issue.path) {
    if (isMap(node)) {
      const pair = (node.items as Pair<Node, Node | null>[]).find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      key = pair.key;
      node = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof seg === 'number' && node.items[seg]) {
      node = node.items[seg] as Node;
    } else break;
  }
  if (issue.key && isMap(node)) {
    const own = (node.items as Pair<Node, Node | null>[]).find((p) => isScalar(p.key) && p.key.value === issue.key);
    if (own?.key?.range) return [own.key.range[0], own.key.range[1]]; // an unknown key
    // A missing key: on its parent's key; at the top or in a list item, on the mapping's first key.
    const first = (node.items[0] as Pair<Node, Node | null> | undefined)?.key;
    const on = typeof issue.path[issue.path.length - 1] === 'number' || !issue.path.length ? first : key;
    if (on?.range) return [on.range[0], on.range[1]];
  }
  const r = (isMap(node) || isSeq(node)) && key?.range ? key.range : node?.range;
  return r ? [r[0], Math.max(r[1], r[0] + 1)] : [0, 1];
}

/** Where the cursor is: the path of the mapping its line is in, the keys already there, and the key or value being typed. */
function contextAt(text: string, offset: number): { path: string[]; siblings: Set<string>; typed: string; start: number; valueOf?: string } | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  const lines = text.split(/\r?\n/);
  const lineNo = text.slice(0, lineStart).split('\n').length - 1;
  let m = /^(\s*)(-\s+)?([\w$.-]*)$/.exec(before);
  let valueOf: string | undefined;
  if (!m) {
    const v = /^(\s*)(-\s+)?([\w$.-]+):\s+([^\s#]*)$/.exec(before);
    if (!v) return undefined;
    valueOf = v[3];
    m = [v[0], v[1], v[2], v[4]] as unknown as RegExpExecArray;
  }
  const path: string[] = [];
  let indent = m[1].length + (m[2]?.length ?? 0);
  if (m[2]) path.unshift('[]');
  let cur = m[2] ? m[1].length : indent;
  const siblings = new Set<string>();
  const keyOf = (s: string): string | undefined => /^([\w$.-]+|"[^"]*"|'[^']*')\s*:(\s|$)/.exec(s)?.[1].replace(/^["']|["']$/g, '');
  // Siblings: the keys at the same indentation, up and down, until the block (or the list item) ends; a new item (`- `) has none above.
  for (const dir of m[2] ? [1] : [-1, 1]) {
    for (let i = lineNo + dir; i >= 0 && i < lines.length; i += dir) {
      const l = lines[i];
      if (!l.trim() || l.trim().startsWith('#')) continue;
      const dash = /^(\s*)-\s+(.*)$/.exec(l);
      if (dash) {
        const contentCol = l.length - dash[2].length;
        if (contentCol === indent && dir < 0) {
          const k = keyOf(dash[2]);
          if (k) siblings.add(k);
        }
        if (dash[1].length < indent) break;
        continue;
      }
      const ind = l.length - l.trimStart().length;
      if (ind < indent) break;
      if (ind === indent) {
        const k = keyOf(l.trimStart());
        if (k) siblings.add(k);
      }
    }
  }
  // The path: the keys (and list items) of the lines above with less indentation.
  for (let i = lineNo - 1; i >= 0 && cur > 0; i--) {
    const l = lines[i];
    if (!l.trim() || l.trim().startsWith('#')) continue;
    const ind = l.length - l.trimStart().length;
    const dash = /^(\s*)-\s+(.*)$/.exec(l);
    if (dash && dash[1].length < cur) {
      const contentCol = l.length - dash[2].length;
      const k = keyOf(dash[2]);
      if (k && contentCol < cur && /:\s*(#.*)?$/.test(dash[2])) path.unshift(k);
      path.unshift('[]');
      cur = dash[1].length;
      continue;
    }
    if (ind < cur) {
      const k = keyOf(l.trimStart());
      if (!k) return undefined;
      path.unshift(k);
      cur = ind;
    }
  }
  return { path, siblings, typed: m[3], start: offset - m[3].length, valueOf };
}

const sample = (n: SchemaNode): string => n.markdownDescription ?? n.description ?? '';

/** Key completion (the schema's keys not yet written at the cursor's level) and value completion (enums, consts). */
export function manifestCompletions(text: string, offset: number): CompletionEntry[] {
  return languageCompletions(TEMPLATE_LANGUAGE, text, offset);
}

/** Key and value completion in one of our formats, from its schema. */
export function languageCompletions(lang: YamlLanguage, text: string, offset: number): CompletionEntry[] {
  const ROOT = lang.schema as RootSchema;
  const c = contextAt(text, offset);
  if (!c) return [];
  if (c.valueOf !== undefined) {
    const n = schemaAt(ROOT, [...c.path, c.valueOf]);
    const values = n?.const !== undefined ? [n.const] : (n?.enum ?? (n?.type === 'boolean' ? [true, false] : []));
    return values.map((v) => ({ label: String(v), kind: 'enum', insertText: String(v), documentation: n ? sample(n) : undefined, replaceStart: c.start, replaceEnd: offset }));
  }
  const node = schemaAt(ROOT, c.path);
  if (!node?.properties) return [];
  const required = new Set(node.required ?? []);
  const out: CompletionEntry[] = [];
  for (const [key, raw] of Object.entries(node.properties)) {
    if (c.siblings.has(key)) continue;
    const s = deref(ROOT, raw)!;
    const container = s.type === 'object' || (s.type === 'array' && s.items && deref(ROOT, s.items)?.type === 'object');
    out.push({
      label: key,
      kind: 'key',
      detail: `${required.has(key) ? 'required ' : ''}${Array.isArray(s.type) ? s.type.join(' | ') : (s.type ?? (s.const !== undefined ? JSON.stringify(s.const) : 'any'))}`,
      documentation: sample(s),
      insertText: container ? `${key}:\n` : `${key}: `,
      replaceStart: c.start,
      replaceEnd: offset,
      sortText: `${required.has(key) ? 0 : 1}${key}`,
    });
  }
  return out;
}

/** What a key of the manifest means, from the schema. */
export function manifestHover(text: string, offset: number): HoverResult | undefined {
  return languageHover(TEMPLATE_LANGUAGE, text, offset);
}

/** What a key means in one of our formats, from its schema. */
export function languageHover(lang: YamlLanguage, text: string, offset: number): HoverResult | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const lineEnd = text.indexOf('\n', offset) === -1 ? text.length : text.indexOf('\n', offset);
  const line = text.slice(lineStart, lineEnd);
  const k = /^(\s*(?:-\s+)?)([\w$.-]+)\s*:/.exec(line);
  if (!k || offset < lineStart + k[1].length || offset > lineStart + k[1].length + k[2].length) return undefined;
  const c = contextAt(text, lineStart + k[1].length + k[2].length);
  const n = c && schemaAt(lang.schema as RootSchema, [...c.path, k[2]]);
  const words = n && sample(n);
  return words ? { contents: `**${k[2]}**\n\n${words}`, start: lineStart + k[1].length, end: lineStart + k[1].length + k[2].length } : undefined;
}

/** Whether a document is a template manifest (a YAML file that says `apiVersion: paved-road.dev/v1` and `kind: Template`). */
export { isManifestText } from './manifest';
