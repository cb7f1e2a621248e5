/**
 * Parses one document chunk with `yaml` exactly as the Backstage catalog does (YAML 1.2 core schema,
 * merge keys off, unique keys), and turns YAML errors into problems with precise ranges.
 */
import { Document, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, parseDocument, Scalar, visit } from 'yaml';
import { fastParseDocument, plainValue } from './fastYaml';
import type { Chunk } from './split';
import { hasContent } from './split';
import type { Problem } from './types';

/** A parsed document chunk. Offsets in `doc` and `problems` are relative to the chunk. */
export interface ParsedChunk {
  doc: Document.Parsed;
  /** The plain JavaScript value (undefined when the YAML could not be turned into one). */
  value: unknown;
  empty: boolean;
  /** YAML problems, chunk-relative. */
  problems: Problem[];
  lines: LineCounter;
}

const WHOLE_FILE = 'The catalog rejects every entity of a file with a YAML error.';

function describeYamlError(code: string, message: string, source: string): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return `duplicate key${source ? ` '${source}'` : ''}: keys in a mapping must be unique`;
    case 'BLOCK_AS_IMPLICIT_KEY':
      return `a value holds ': ' but is not quoted; quote the value (e.g. "a: b") or move the mapping to its own lines`;
    case 'MULTILINE_IMPLICIT_KEY':
      return `a key must be on one line and followed by ': '; did a line lose its ': ' or a value run over two lines?`;
    case 'TAB_AS_INDENT':
      return 'tabs are not allowed for indentation in YAML; indent with spaces';
    default:
      return `YAML syntax error: ${message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`;
  }
}

/** The opening quote of a quoted scalar that is still open where the error is reported. */
export function findUnclosedQuote(doc: Document.Parsed, errorOffset: number): Scalar | undefined {
  let found: Scalar | undefined;
  visit(doc, {
    Scalar(_key, node) {
      if ((node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && node.range && node.range[1] >= errorOffset - 1) {
        if (!found || (found.range && node.range[0] < found.range[0])) found = node;
      }
    },
  });
  return found;
}

function lineEndAt(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  const end = nl === -1 ? text.length : nl;
  return end > offset && text[end - 1] === '\r' ? end - 1 : end;
}

/**
 * The `yaml` parser recurses once per nesting level and overflows the stack somewhere between 600 and
 * 1000 levels, at a depth that depends on the JIT. Documents nesting deeper than this are refused up front,
 * so the verdict is the same every time. Real catalog files nest fewer than 20 levels.
 */
export const MAX_NESTING = 256;

/** An upper estimate of a text's nesting: open flow brackets, plus compact `- `/`: ` on a line, plus indentation. */
export function nestingEstimate(text: string): number {
  let flow = 0;
  let max = 0;
  let lineStart = true;
  let indent = 0;
  let compact = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      lineStart = true;
      indent = 0;
      compact = 0;
      continue;
    }
    if (lineStart && c === 32) {
      indent++;
      continue;
    }
    lineStart = false;
    if (c === 91 || c === 123) flow++;
    else if ((c === 93 || c === 125) && flow > 0) flow--;
    else if ((c === 45 || c === 58 || c === 63) && (i + 1 === text.length || text.charCodeAt(i + 1) === 32)) compact++;
    const depth = flow + compact + (indent >> 1);
    if (depth > max) max = depth;
  }
  return max;
}

/** Duplicate keys, found with a set per mapping (the parser's own check is quadratic in the number of keys). */
export function duplicateKeys(doc: Document.Parsed): [number, number][] {
  const found: [number, number][] = [];
  // A plain walk: `visit` builds a frozen path per node, which cost as much as the check itself.
  const walk = (node: unknown): void => {
    if (isMap(node)) {
      // This mapping's keys first, then what is inside it: the order `visit` gave.
      if (node.items.length > 1) {
        const seen = new Set<string>();
        for (const { key } of node.items) {
          if (!isScalar(key)) continue;
          const id = `${typeof key.value}:${String(key.value)}`;
          if (seen.has(id) && key.range) found.push([key.range[0], key.range[1]]);
          seen.add(id);
        }
      }
      for (const pair of node.items) {
        walk(pair.key);
        walk(pair.value);
      }
    } else if (isSeq(node)) for (const item of node.items) walk(item);
  };
  walk(doc.contents);
  return found;
}

/** True when a value refers to itself (an alias inside its own anchor): it would be infinite as JSON. */
export function isCyclic(value: unknown): boolean {
  const onPath = new Set<object>();
  const walk = (v: unknown): boolean => {
    if (!v || typeof v !== 'object') return false;
    if (onPath.has(v)) return true;
    onPath.add(v);
    for (const x of Array.isArray(v) ? v : Object.values(v)) if (walk(x)) return true;
    onPath.delete(v);
    return false;
  };
  return walk(value);
}

/** The catalog's reading of YAML: merge keys off; duplicate keys are found by `duplicateKeys`. */
export const PARSE_OPTIONS = { merge: false, uniqueKeys: false, prettyErrors: false, keepSourceTokens: false, logLevel: 'error' } as const;

/**
 * Reads YAML text that is not a catalog document (a `$yaml` placeholder target, a Location target):
 * every document's value, or why it cannot be read. Never throws.
 */
export function readYamlDocuments(content: string): { values: unknown[] } | { error: string } {
  if (nestingEstimate(content) > MAX_NESTING) return { error: `it nests deeper than ${MAX_NESTING} levels` };
  try {
    const values: unknown[] = [];
    for (const doc of parseAllDocuments(content, PARSE_OPTIONS) as Document.Parsed[]) {
      if (doc.errors.length) return { error: `it has a YAML error: ${doc.errors[0].message.split('\n')[0]}` };
      if (duplicateKeys(doc).length) return { error: 'it has a duplicate key' };
      const v = doc.toJS({ maxAliasCount: 100 });
      if (isCyclic(v)) return { error: 'an alias in it refers to its own ancestor' };
      values.push(v);
    }
    return { values };
  } catch (e) {
    return { error: `it cannot be read: ${(e as Error).message}` };
  }
}

function tooDeep(text: string): ParsedChunk {
  return {
    doc: parseDocument('') as Document.Parsed,
    value: undefined,
    empty: false,
    lines: new LineCounter(),
    problems: [{ code: 'yaml-too-deep', message: `this document nests deeper than ${MAX_NESTING} levels, which no catalog file needs; the catalog's YAML parser cannot read it reliably. ${WHOLE_FILE}`, severity: 'error', start: 0, end: lineEndAt(text, 0) }],
  };
}

export function parseChunk(chunk: Chunk): ParsedChunk {
  const text = chunk.text;
  const empty = !hasContent(text.replace(/^(---|\.\.\.)/gm, ''));
  if (!empty && nestingEstimate(text) > MAX_NESTING) return tooDeep(text);
  const lines = new LineCounter();
  const problems: Problem[] = [];
  let doc: Document.Parsed;
  const fast = empty ? undefined : fastParseDocument(text, lines, PARSE_OPTIONS);
  if (fast) doc = fast;
  else {
    try {
      doc = parseDocument(text, { ...PARSE_OPTIONS, lineCounter: lines });
    } catch {
      return tooDeep(text);
    }
  }
  if (doc.errors.some((e) => /call stack/i.test(e.message))) return tooDeep(text);
  const errors = doc.errors.map((e) => ({ code: e.code as string, message: e.message, pos: e.pos }));
  for (const pos of duplicateKeys(doc)) errors.push({ code: 'DUPLICATE_KEY', message: 'Map keys must be unique', pos });
  errors.sort((a, b) => a.pos[0] - b.pos[0]);
  for (const err of errors) {
    let [start, end] = err.pos;
    let message: string;
    let code = 'yaml-syntax';
    if (err.code === 'MISSING_CHAR' && /closing ["']/.test(err.message)) {
      const open = findUnclosedQuote(doc, start);
      if (open?.range) {
        start = open.range[0];
        end = lineEndAt(text, start);
      }
      const q = text[start] === "'" ? 'single' : 'double';
      code = 'yaml-unclosed-quote';
      message = `unclosed ${q} quote: this string runs to the end of the document; add the closing ${q === 'single' ? "'" : '"'}`;
    } else {
      let source = '';
      if (err.code === 'DUPLICATE_KEY') {
        code = 'yaml-duplicate-key';
        source = text.slice(start, end);
      }
      message = describeYamlError(err.code, err.message, source);
    }
    // Errors at the end of the text are placed on its last character, inside the document.
    start = Math.min(start, Math.max(0, text.length - 1));
    end = Math.min(Math.max(end, start + 1), text.length);
    problems.push({ code, message: `${message}. ${WHOLE_FILE}`, severity: 'error', start, end });
  }
  let value: unknown;
  if (problems.length === 0 && !empty) {
    try {
      // A document the fast reader built has no aliases: its value is a plain walk of the tree.
      value = fast ? plainValue(fast.contents) : doc.toJS({ maxAliasCount: 100 });
      if (isCyclic(value)) throw new Error('alias refers to its own ancestor');
    } catch (e) {
      value = undefined;
      const msg = e instanceof Error ? e.message : String(e);
      const alias = /alias/i.test(msg);
      const at = alias ? firstAlias(doc) : undefined;
      const why = /excessive/i.test(msg)
        ? 'too many alias expansions (an alias bomb?)'
        : /ancestor/.test(msg)
          ? 'an alias refers to its own ancestor, so its value would be infinite'
          : 'an alias refers to an anchor that is not defined before it';
      problems.push({
        code: alias ? 'yaml-alias' : 'yaml-syntax',
        message: alias ? `${why}. ${WHOLE_FILE}` : `YAML could not be read: ${msg}. ${WHOLE_FILE}`,
        severity: 'error',
        start: at?.[0] ?? 0,
        end: at?.[1] ?? Math.min(text.length, lineEndAt(text, 0)),
      });
    }
  }
  // A document that is just `null` or `~` is skipped by the catalog, like an empty one.
  const isNull = !empty && problems.length === 0 && value === null;
  return { doc, value, empty: empty || isNull, problems, lines };
}

function firstAlias(doc: Document.Parsed): [number, number] | undefined {
  let r: [number, number] | undefined;
  visit(doc, {
    Alias(_k, node) {
      if (!r && node.range) r = [node.range[0], node.range[1]];
      return r ? visit.BREAK : undefined;
    },
  });
  return r;
}

