/**
 * Shared helpers of the language features: finding the document at an offset, a line-based reading of
 * one document (robust on half-typed YAML, where the parser gives up), the cursor's key path, and the
 * schema node behind a path. Pure: offsets in, offsets out.
 */
import type { AnalyzedDocument, AnalyzedFile } from '../catalog/analyze';
import { lastAtOrBefore } from '../catalog/lines';
import { DEFAULT_POLICIES, type Policies } from '../catalog/policies';
import { findKind as findAcceptedKind } from '../catalog/validate';
import { entityMetaSchema, entityRootSchema, type KindInfo, type SchemaNode } from '../catalog/schemas';

export type PathSegment = string | number;

// ---------------------------------------------------------------------------------------------
// Documents

/** The document holding `offset`: the last one that starts at or before it (binary search). */
export function documentAt(file: AnalyzedFile, offset: number): AnalyzedDocument | undefined {
  return file.documents[Math.max(0, lastAtOrBefore(file.documents, offset, (d) => d.start))];
}

const MARKER = /^(---|\.\.\.)(?=[ \t\r\n]|$)/;

/** The offset of the start of the line holding `offset`. */
export function lineStartOf(text: string, offset: number): number {
  return offset <= 0 ? 0 : text.lastIndexOf('\n', offset - 1) + 1;
}

/** True when the analysed chunk still matches the text (the analysis may lag behind the editor). */
export function isFresh(d: AnalyzedDocument, text: string): boolean {
  const c = d.chunk;
  if (c.end - c.start !== c.text.length || c.end > text.length) return false;
  if (!text.startsWith(c.text, c.start)) return false;
  if (c.end < text.length && !c.text.endsWith('...\n') && !MARKER.test(text.slice(c.end, c.end + 4))) return false;
  return true;
}

/** The bounds of the document around `offset`, from the `---` / `...` lines of the text itself. */
export function scanBounds(text: string, offset: number): { start: number; end: number } {
  let lineStart = lineStartOf(text, offset);
  let start = 0;
  for (let ls = lineStart; ; ) {
    const le = text.indexOf('\n', ls);
    const line = text.slice(ls, le === -1 ? text.length : le);
    if (ls !== lineStart && line.startsWith('...') && MARKER.test(line)) {
      start = le === -1 ? text.length : le + 1;
      break;
    }
    if (line.startsWith('---') && MARKER.test(line)) {
      start = ls;
      break;
    }
    if (ls === 0) break;
    ls = lineStartOf(text, ls - 1);
  }
  let end = text.length;
  for (let ls = lineStart; ls < text.length; ) {
    const nl = text.indexOf('\n', ls);
    const le = nl === -1 ? text.length : nl + 1;
    const line = text.slice(ls, le);
    if (ls > lineStart && line.startsWith('---') && MARKER.test(line)) {
      end = ls;
      break;
    }
    if (line.startsWith('...') && MARKER.test(line)) {
      end = le;
      break;
    }
    ls = le;
  }
  lineStart = Math.min(lineStart, end);
  return { start: Math.min(start, lineStart), end };
}

/** The document at `offset` as text: from the analysis when it is current, else read from the text. */
export function documentTextAt(file: AnalyzedFile, text: string, offset: number): { start: number; end: number; analyzed?: AnalyzedDocument } {
  const d = documentAt(file, offset);
  if (d && isFresh(d, text) && offset >= d.chunk.start && (offset < d.chunk.end || d.chunk.end === text.length)) {
    return { start: d.chunk.start, end: d.chunk.end, analyzed: d };
  }
  return scanBounds(text, offset);
}

// ---------------------------------------------------------------------------------------------
// Line-based reading of one document

/** A `- ` or a `key:` on a line. */
export interface Tok {
  col: number;
  dash: boolean;
  key?: string;
  /** Column just past the key's text (its closing quote included). */
  keyEnd?: number;
  /** The inline value, comment removed ('' when the value is on the next lines). */
  value?: string;
  valueCol?: number;
  /** The key path of the mapping or sequence holding this token. */
  path: PathSegment[];
  /** The token sits under a key that already has an inline value (`kind: X` then an indented line). */
  underValue?: boolean;
}

export type LineKind = 'blank' | 'comment' | 'marker' | 'content' | 'node';

export interface LineInfo {
  /** File offset of the line's first character. */
  start: number;
  /** The line without its line break. */
  text: string;
  kind: LineKind;
  toks: Tok[];
  /** A plain scalar after the tokens (e.g. the value of `- item`). */
  scalar?: { col: number; text: string };
}

/** A value that runs over the next lines; they must be indented past `indent` (the column of its key or dash). */
type Open = { type: 'block'; indent: number } | { type: 'quote'; quote: string; indent: number } | { type: 'flow'; depth: number; indent: number };

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t';

/** Removes a trailing ` # comment` (outside quotes) and surrounding blanks. */
export function stripComment(s: string): string {
  let q = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (q) {
      if (c === '\\' && q === '"') i++;
      else if (c === q) q = '';
    } else if ((c === '"' || c === "'") && (i === 0 || isSpace(s[i - 1]) || '[{,'.includes(s[i - 1]))) q = c;
    else if (c === '#' && (i === 0 || isSpace(s[i - 1]))) return s.slice(0, i).trim();
  }
  return s.trim();
}

/** Parses a key at `p`: a plain or quoted scalar followed by `:` and a blank or the line end. */
export function parseKey(s: string, p: number): { key: string; keyEnd: number; colon: number } | undefined {
  const c = s[p];
  if (c === '"' || c === "'") {
    let i = p + 1;
    let key = '';
    for (; i < s.length; i++) {
      if (c === '"' && s[i] === '\\') {
        key += s[i + 1] ?? '';
        i++;
      } else if (s[i] === c) {
        if (c === "'" && s[i + 1] === "'") {
          key += "'";
          i++;
        } else break;
      } else key += s[i];
    }
    if (i >= s.length) return undefined;
    let a = i + 1;
    while (isSpace(s[a])) a++;
    if (s[a] === ':' && (a + 1 === s.length || isSpace(s[a + 1]))) return { key, keyEnd: i + 1, colon: a };
    return undefined;
  }
  if (c === undefined || '[{|>`@%&*!?#'.includes(c)) return undefined;
  for (let i = p; i < s.length; i++) {
    const ch = s[i];
    if (ch === '#' && isSpace(s[i - 1])) return undefined;
    if (ch === ':' && (i + 1 === s.length || isSpace(s[i + 1]))) {
      const key = s.slice(p, i).trimEnd();
      return key ? { key, keyEnd: p + key.length, colon: i } : undefined;
    }
  }
  return undefined;
}

function unquote(v: string): string {
  if (v.length >= 2 && ((v[0] === '"' && v.endsWith('"')) || (v[0] === "'" && v.endsWith("'")))) {
    return v[0] === "'" ? v.slice(1, -1).replace(/''/g, "'") : v.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return v;
}

/** What a value opens that runs over the next lines (a block scalar, an unclosed quote or flow collection). */
function openerOf(v: string, parentCol: number): Open | undefined {
  if (!v) return undefined;
  const c = v[0];
  if ((c === '|' || c === '>') && /^[|>][-+0-9]*$/.test(v)) return { type: 'block', indent: parentCol };
  if (c === '"' || c === "'") return closesQuote(v, 1, c) === -1 ? { type: 'quote', quote: c, indent: parentCol } : undefined;
  if (c === '[' || c === '{') {
    const d = flowDepth(v, 0);
    return d > 0 ? { type: 'flow', depth: d, indent: parentCol } : undefined;
  }
  return undefined;
}

/** Index just past the closing quote, or -1. */
function closesQuote(s: string, from: number, q: string): number {
  for (let i = from; i < s.length; i++) {
    if (q === '"' && s[i] === '\\') i++;
    else if (s[i] === q) {
      if (q === "'" && s[i + 1] === "'") i++;
      else return i + 1;
    }
  }
  return -1;
}

function flowDepth(s: string, depth: number): number {
  let q = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (q) {
      if (c === '\\' && q === '"') i++;
      else if (c === q) q = '';
    } else if (c === '"' || c === "'") q = c;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === '#' && isSpace(s[i - 1])) break;
  }
  return depth;
}

/** The dashes and the key (if any) of one line, from column `from`. */
function scanTokens(s: string, from: number): { toks: Omit<Tok, 'path'>[]; scalar?: { col: number; text: string } } {
  const toks: Omit<Tok, 'path'>[] = [];
  let p = from;
  while (p < s.length) {
    if (toks.length >= MAX_LINE_TOKENS) return { toks, scalar: { col: p, text: '' } };
    if (s[p] === '-' && (p + 1 === s.length || isSpace(s[p + 1]))) {
      toks.push({ col: p, dash: true });
      p++;
      while (isSpace(s[p])) p++;
      continue;
    }
    if (s[p] === '#') break;
    const k = parseKey(s, p);
    if (k) {
      let v = k.colon + 1;
      while (isSpace(s[v])) v++;
      toks.push({ col: p, dash: false, key: k.key, keyEnd: k.keyEnd, value: stripComment(s.slice(v)), valueCol: v });
      break;
    }
    return { toks, scalar: { col: p, text: stripComment(s.slice(p)) } };
  }
  return { toks };
}

/** Limits that keep pathological input (thousands of `- - -` or of nesting levels) linear. */
const MAX_LINE_TOKENS = 64;
const MAX_NESTING = 128;

/** Assigns key paths to tokens in document order (a stack of open mappings and sequences). */
class PathStack {
  private stack: { col: number; seg: PathSegment; dash: boolean; open: boolean; next: number; childPath?: PathSegment[] }[] = [];
  private static readonly ROOT: PathSegment[] = [];

  /** The path of the children of stack entry `i`, shared by all of them (computed when first asked). */
  private childPath(i: number): PathSegment[] {
    if (i < 0) return PathStack.ROOT;
    const e = this.stack[i];
    return (e.childPath ??= [...this.childPath(i - 1), e.seg]);
  }

  /** Gives the token its path (in place) and opens it for what follows. */
  push(token: Omit<Tok, 'path'>): Tok {
    const t = token as Tok;
    let lastDash: { col: number; next: number } | undefined;
    while (this.stack.length) {
      const top = this.stack[this.stack.length - 1];
      if (top.col < t.col) break;
      if (t.dash && !top.dash && top.col === t.col && top.open) break;
      const popped = this.stack.pop()!;
      lastDash = popped.dash && popped.col === t.col ? popped : undefined;
    }
    t.path = this.childPath(this.stack.length - 1);
    const top = this.stack[this.stack.length - 1];
    t.underValue = !!top && !top.open;
    if (this.stack.length >= MAX_NESTING) return t;
    const index = t.dash && lastDash ? lastDash.next : 0;
    this.stack.push({ col: t.col, seg: t.dash ? index : t.key!, dash: t.dash, open: t.dash || !t.value || /^[&!][^\s]*$/.test(t.value), next: index + 1 });
    return t;
  }
}

/** A document read line by line. */
export interface DocLines {
  /** File offsets of the document. */
  start: number;
  end: number;
  lines: LineInfo[];
}

/** The cursor line, read up to the cursor: it replaces the line's own tokens. */
interface CursorLine {
  start: number;
  indent: number;
  toks: Omit<Tok, 'path'>[];
}

/**
 * Splits [start, end) of the text into lines and reads their tokens. With `cursor`, that line is read
 * as typed so far, unless it lies inside a multi-line value (`cursorInValue`).
 */
function readLines(text: string, start: number, end: number, cursor?: CursorLine): { doc: DocLines; cursorIdx: number; cursorInValue: boolean } {
  const lines: LineInfo[] = [];
  const stack = new PathStack();
  let open: Open | undefined;
  let pos = start;
  let cursorIdx = -1;
  let cursorInValue = false;
  while (pos < end || (pos === end && (lines.length === 0 || text[end - 1] === '\n'))) {
    const nl = text.indexOf('\n', pos);
    const le = nl === -1 || nl >= end ? end : nl;
    let s = text.slice(pos, le);
    if (s.endsWith('\r')) s = s.slice(0, -1);
    const info: LineInfo = { start: pos, text: s, kind: 'blank', toks: [] };
    const trimmed = s.trimStart();
    const indent = s.length - trimmed.length;
    if (cursor && cursor.start === pos) {
      cursorIdx = lines.length;
      cursorInValue = !!open && cursor.indent > open.indent;
    }
    if (cursorIdx === lines.length && !cursorInValue) {
      info.kind = 'node';
      info.toks = cursor!.toks.map((t) => stack.push(t));
      open = undefined;
    } else if (open && (!trimmed || indent > open.indent)) {
      // Inside a multi-line value (YAML wants its lines indented past the key; a line that is not ends it).
      info.kind = 'content';
      if (open.type === 'quote' && closesQuote(s, 0, open.quote) !== -1) open = undefined;
      else if (open.type === 'flow') {
        const d = flowDepth(s, open.depth);
        open = d > 0 ? { type: 'flow', depth: d, indent: open.indent } : undefined;
      }
    } else {
      open = undefined;
      if (!trimmed) info.kind = 'blank';
      else if (trimmed[0] === '#') info.kind = 'comment';
      else if (indent === 0 && MARKER.test(s)) info.kind = 'marker';
      else if (trimmed[0] === '%' && indent === 0) info.kind = 'comment';
      else {
        info.kind = 'node';
        const r = scanTokens(s, indent);
        info.toks = r.toks.map((t) => stack.push(t));
        info.scalar = r.scalar;
        const last = r.toks[r.toks.length - 1];
        if (r.scalar) open = openerOf(r.scalar.text, last ? last.col : indent - 1);
        else if (last && !last.dash) open = openerOf(last.value ?? '', last.col);
      }
    }
    lines.push(info);
    if (le >= end) break;
    pos = le + 1;
  }
  return { doc: { start, end, lines }, cursorIdx, cursorInValue };
}

/** Reads a document line by line. */
export function readDocument(text: string, start: number, end: number): DocLines {
  return readLines(text, start, end).doc;
}

const samePath = (a: readonly PathSegment[], b: readonly PathSegment[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** The keys of the mapping at `path` (as found by the line reading). */
export function keysAt(doc: DocLines, path: readonly PathSegment[], skipLine = -1): Set<string> {
  const keys = new Set<string>();
  doc.lines.forEach((l, i) => {
    if (i === skipLine) return;
    for (const t of l.toks) if (!t.dash && t.key !== undefined && samePath(t.path, path)) keys.add(t.key);
  });
  return keys;
}

/** The inline scalar value at a path of keys (e.g. ['kind'], ['metadata', 'namespace']). */
export function scalarAt(doc: DocLines, path: readonly string[]): string | undefined {
  const parent = path.slice(0, -1);
  const key = path[path.length - 1];
  for (const l of doc.lines) {
    for (const t of l.toks) {
      if (!t.dash && t.key === key && t.value && samePath(t.path, parent)) return unquote(t.value);
    }
  }
  return undefined;
}

/** The key token at an offset (the offset on the key's text), with its line. */
export function keyTokenAt(doc: DocLines, offset: number): { tok: Tok; line: LineInfo; onValue: boolean } | undefined {
  const line = lineAt(doc, offset);
  if (!line || line.kind !== 'node') return undefined;
  const col = offset - line.start;
  for (const t of line.toks) {
    if (t.dash || t.key === undefined) continue;
    if (col >= t.col && col <= t.keyEnd!) return { tok: t, line, onValue: false };
    if (t.value && col >= t.valueCol! && col <= t.valueCol! + t.value.length) return { tok: t, line, onValue: true };
  }
  return undefined;
}

function lineAt(doc: DocLines, offset: number): LineInfo | undefined {
  return doc.lines[lastAtOrBefore(doc.lines, offset, (l) => l.start)];
}

// ---------------------------------------------------------------------------------------------
// The cursor

export interface CursorContext {
  /** The document, read with the cursor line as typed up to the cursor. */
  doc: DocLines;
  /** 'key': typing a key of the mapping at `path`; 'value': typing the value at `path` (which ends with the key). */
  at: 'key' | 'value';
  path: PathSegment[];
  /** Column where the key (or the typed word, for `key`) starts. */
  col: number;
  /** Indentation of the cursor line (where an editor re-indents inserted lines from). */
  lineIndent: number;
  /** The word being typed, as file offsets. */
  wordStart: number;
  wordEnd: number;
  /** Text of the word before the cursor. */
  prefix: string;
  /** Keys of the mapping at `path` already written (the cursor line excluded). */
  present: Set<string>;
  /** The cursor line starts a new sequence item (`- |`). */
  itemStart: boolean;
  /** A `:` follows the word (or the key is quoted): complete the key name only. */
  colonFollows: boolean;
  /** The cursor is right after `key:` with no blank: values need a leading space. */
  needsSpace: boolean;
  /** Inside a quoted value: insert the raw text. */
  quoted: boolean;
  /** Nothing but the typed word in the document. */
  emptyDocument: boolean;
  /** Offset of the cursor line. */
  lineStart: number;
}

const WORD = /[A-Za-z0-9_.\-/$@:]/;
const VALUE_END = /^[^\s#,\]}'"]*/;

/** Reads where the cursor is: which key path, and whether a key or a value is being typed. */
export function cursorContext(file: AnalyzedFile, text: string, offset: number): CursorContext | undefined {
  const bounds = documentTextAt(file, text, offset);
  const lineStart = lineStartOf(text, offset);
  const nl = text.indexOf('\n', offset);
  let lineEnd = nl === -1 ? text.length : nl;
  if (lineEnd > offset && text[lineEnd - 1] === '\r') lineEnd--;
  const before = text.slice(lineStart, offset);
  const after = text.slice(offset, lineEnd);
  if (lineStart === bounds.start && MARKER.test(text.slice(lineStart, lineEnd + 1))) return undefined; // on the `---` line
  const indentBefore = before.length - before.trimStart().length;
  if (/(^|\s)#/.test(stripQuotedParts(before))) return undefined;

  // The cursor line up to the cursor: dashes, then a key and a value, or a partial word.
  const r = scanTokens(before, indentBefore);
  const virtual = r.toks;
  let at: 'key' | 'value';
  let col: number;
  let wordStart: number;
  let wordEnd: number;
  let colonFollows = false;
  let needsSpace = false;
  let quoted = false;
  const last = virtual[virtual.length - 1];
  if (last && !last.dash) {
    // `key: val|`
    at = 'value';
    col = last.col;
    let vs = last.valueCol!;
    const typed = before.slice(vs);
    if (/^[|>]/.test(typed) || /^[[{&*!]/.test(typed)) return undefined;
    if (typed[0] === '"' || typed[0] === "'") {
      if (closesQuote(typed, 1, typed[0]) !== -1) return undefined;
      quoted = true;
      vs++;
    }
    needsSpace = vs === before.length && before.endsWith(':');
    wordStart = lineStart + vs;
    const rest = quoted ? /^[^'"]*/.exec(after)![0] : VALUE_END.exec(after)![0];
    wordEnd = offset + rest.length;
  } else {
    const word = r.scalar?.text ?? '';
    const wcol = r.scalar?.col ?? before.length;
    if (word && ![...word].every((c) => WORD.test(c) || c === '"' || c === "'")) return undefined;
    at = 'key';
    col = wcol;
    const q = word[0] === '"' || word[0] === "'" ? 1 : 0;
    quoted = q === 1;
    wordStart = lineStart + wcol + q;
    let rest = 0;
    while (rest < after.length && WORD.test(after[rest]) && after[rest] !== ':') rest++;
    wordEnd = offset + rest;
    // Inside a quoted key, only the name goes in too (the quotes stay the user's).
    colonFollows = quoted || /^\s*:(\s|$)/.test(after.slice(rest));
    virtual.push({ col: wcol, dash: false, key: '\u0000cursor', value: '' });
  }
  const read = readLines(text, bounds.start, bounds.end, { start: lineStart, indent: indentBefore, toks: virtual });
  const lineIdx = read.cursorIdx;
  if (lineIdx === -1 || read.cursorInValue) return undefined;
  const doc = read.doc;
  const cursorToks = doc.lines[lineIdx].toks;
  const tok = cursorToks[cursorToks.length - 1];
  if (tok.underValue) return undefined;
  const path = at === 'value' ? [...tok.path, tok.key!] : tok.path;
  const itemStart = cursorToks.length > 1 && cursorToks[cursorToks.length - 2].dash;
  const present = at === 'key' ? keysAt(doc, tok.path, lineIdx) : new Set<string>();
  const emptyDocument = at === 'key' && !itemStart && cursorToks.length === 1 && doc.lines.every((l, i) => i === lineIdx || (l.kind !== 'node' && l.kind !== 'content'));
  return {
    doc,
    at,
    path,
    col,
    lineIndent: indentBefore,
    wordStart,
    wordEnd,
    prefix: text.slice(wordStart, offset),
    present,
    itemStart,
    colonFollows,
    needsSpace,
    quoted,
    emptyDocument,
    lineStart,
  };
}

/** The line with quoted parts blanked, to look for a comment marker. */
function stripQuotedParts(s: string): string {
  return s.replace(/"(?:[^"\\]|\\.)*"?|'(?:[^']|'')*'?/g, (m) => ' '.repeat(m.length));
}

// ---------------------------------------------------------------------------------------------
// Kinds and schemas

/** The kind info of a kind name: built-in, or one of the installation's custom kinds. */
export function findKind(kind: string | undefined, policies: Policies = DEFAULT_POLICIES): KindInfo | undefined {
  return kind ? findAcceptedKind(kind, policies) : undefined;
}

const ROOT_PROPS = entityRootSchema.properties ?? {};

/** The properties of an object schema, merging `oneOf` variants. */
export function propertiesOf(node: SchemaNode | undefined): Record<string, SchemaNode> {
  if (!node) return {};
  if (node.$ref === 'entity-meta.schema.json') return entityMetaSchema.properties ?? {};
  if (node.properties) return node.properties;
  const merged: Record<string, SchemaNode> = {};
  for (const v of node.oneOf ?? []) Object.assign(merged, v.properties ?? {});
  return merged;
}

export function requiredOf(node: SchemaNode | undefined): string[] {
  if (!node) return [];
  if (node.$ref === 'entity-meta.schema.json') return entityMetaSchema.required ?? [];
  return node.required ?? [];
}

/** The schema of the root: the envelope with the kind's spec. */
export function rootSchema(info: KindInfo | undefined): SchemaNode {
  return {
    ...entityRootSchema,
    properties: { ...ROOT_PROPS, ...(info ? { spec: { ...ROOT_PROPS.spec, ...info.spec, description: info.spec.description ?? ROOT_PROPS.spec?.description } } : {}) },
    required: [...(entityRootSchema.required ?? []), ...(info && info.builtin ? ['spec'] : [])],
  };
}

/** The schema node at `path` and the node holding it. */
export function schemaAt(path: readonly PathSegment[], info: KindInfo | undefined): { node?: SchemaNode; parent?: SchemaNode } {
  let node: SchemaNode | undefined = rootSchema(info);
  let parent: SchemaNode | undefined;
  for (const seg of path) {
    if (!node) return { parent };
    parent = node;
    if (typeof seg === 'number') {
      node = node.items ?? node.oneOf?.find((v) => v.items)?.items;
    } else {
      const props = propertiesOf(node);
      node = props[seg] ?? (typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined);
    }
  }
  if (node?.$ref === 'entity-meta.schema.json') node = entityMetaSchema;
  return { node, parent };
}

/** The JSON type of a schema node, in one word. */
export function typeOf(node: SchemaNode | undefined): string | undefined {
  if (!node) return undefined;
  if (node.$ref) return 'object';
  if (typeof node.type === 'string') return node.type;
  if (Array.isArray(node.type)) return node.type.join(' or ');
  if (node.oneOf) {
    const types = [...new Set(node.oneOf.map((v) => typeOf(v)).filter((t): t is string => !!t))];
    return types.join(' or ') || undefined;
  }
  if (node['x-reference'] && !node['x-reference'].defaultKind) return 'array';
  if (node.properties) return 'object';
  return undefined;
}

/** `spec.owner`, `metadata.links[].url`. */
export function pathLabel(path: readonly PathSegment[]): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? '[]' : s ? `.${p}` : p;
  return s;
}
