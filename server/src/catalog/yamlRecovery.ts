/**
 * The other problems of a document that has a YAML error. The catalog rejects such a document whatever
 * else is in it, but one unquoted `: ` should not hide a bad name three lines above it.
 *
 * Why "repair and re-parse" rather than validating the parser's recovered tree: the recovered tree is
 * wrong exactly where it matters. After `description: a: b` the parser folds the next line (`tags: java`)
 * into description's value, a key line that lost its `: ` merges with the next key into one mangled key,
 * and a tab-indented line moves to the root. Validated as is, that tree loses real problems and invents
 * others (an unknown root key, a type error on the folded value). So each YAML error's smallest affected
 * stretch of text is blanked out with spaces (every offset and line stays where it was), the text is parsed
 * again, the result goes through the normal validation, and every problem the blanked text could have caused
 * is dropped. This runs only for documents with a YAML error: a clean document is parsed once, as before.
 */
import { isAlias, isMap, isNode, isPair, isScalar, isSeq, parseDocument, visit, type Document, type Node } from 'yaml';
import { findPair, locate, type PathSegment } from './nodes';
import { hasContent } from './split';
import type { Problem } from './types';
import { validateEntityDocument, type ProblemSubject, type ValidateOptions } from './validate';
import { duplicateKeys, findUnclosedQuote, isCyclic, PARSE_OPTIONS } from './yamlDocument';

/** A stretch of the document's text that a YAML error makes unreadable, blanked before re-parsing. */
interface Repair {
  start: number;
  end: number;
  /**
   * `value`: the rest of a line after its key (the key stays, with its path); `line`: a key line (and the
   * lines nested under it) whose key cannot be trusted; `rest`: everything from an unclosed quote on.
   */
  kind: 'value' | 'line' | 'rest';
  /** For `line`: the line's indentation, undefined when a tab makes it unknown. */
  indent?: number;
  /** Written at `start` instead of a space: `~` keeps a blanked alias a valid (null) flow item. */
  fill?: string;
}

/** YAML problems this module can look past; any other (e.g. nesting too deep) hides the rest as before. */
const RECOVERABLE = new Set(['yaml-syntax', 'yaml-duplicate-key', 'yaml-unclosed-quote', 'yaml-alias']);
/** Parses after the first: one per misplaced line, plus what a repair reveals. */
const MAX_ROUNDS = 8;
/** A document with more YAML errors than this is not worth reading further. */
const MAX_ERRORS = 50;
/** Problems about a key itself, which stay true when only the key's value was blanked. */
const KEY_CODES = new Set(['root-unknown-key', 'annotation-key', 'label-key']);

/**
 * The problems of a document with YAML errors: its YAML problems, unchanged, and the independent problems of
 * the parts that parsed cleanly, merged in offset order. Falls back to the YAML problems alone when the text
 * cannot be repaired. Never throws.
 */
export function problemsAroundYamlErrors(doc: Document.Parsed, text: string, yamlProblems: Problem[], opts: ValidateOptions): Problem[] {
  if (!yamlProblems.length || !yamlProblems.every((p) => RECOVERABLE.has(p.code))) return yamlProblems;
  let kept: Problem[];
  try {
    kept = independentProblems(doc, text, opts);
  } catch {
    return yamlProblems;
  }
  if (!kept.length) return yamlProblems;
  const before = (a: Problem, b: Problem): boolean => a.start < b.start || (a.start === b.start && a.end < b.end);
  const out: Problem[] = [];
  let j = 0;
  for (const y of yamlProblems) {
    while (j < kept.length && before(kept[j], y)) out.push(kept[j++]);
    out.push(y);
  }
  while (j < kept.length) out.push(kept[j++]);
  return out;
}

function independentProblems(first: Document.Parsed, text: string, opts: ValidateOptions): Problem[] {
  const repairs: Repair[] = [];
  let doc = first;
  let repaired = text;
  for (let round = 0; ; round++) {
    const found = repairsFor(doc, repaired, repairs);
    if (!found) return [];
    if (found.clean) break;
    if (!found.repairs.length || round === MAX_ROUNDS || repairs.length + found.repairs.length > MAX_ERRORS) return [];
    repairs.push(...found.repairs);
    repaired = blank(text, repairs);
    doc = parseDocument(repaired, PARSE_OPTIONS) as Document.Parsed;
  }
  // Nothing to blank (an alias bomb, a cycle), nothing left, or no longer a mapping: the YAML problem says it all.
  if (!repairs.length || !hasContent(repaired) || (isMap(first.contents) && !isMap(doc.contents))) return [];
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  if (value === null || value === undefined || isCyclic(value)) return [];
  const result = validateEntityDocument(doc, repaired, value, { ...opts, subjects: true });
  const subjects = result.subjects ?? [];
  const judge = new Judge(doc, repaired, repairs);
  return result.problems.filter((p, i) => !judge.mayBeCausedByRepair(p, subjects[i] ?? { path: [] }));
}

/** The text with every repair blanked: spaces, line breaks kept, so offsets and lines do not move. */
function blank(text: string, repairs: readonly Repair[]): string {
  const parts: string[] = [];
  let pos = 0;
  for (const r of [...repairs].sort((a, b) => a.start - b.start)) {
    const from = Math.max(pos, r.start);
    if (r.end <= from) continue;
    parts.push(text.slice(pos, from));
    const gap = text.slice(from, r.end).replace(/[^\r\n]/g, ' ');
    parts.push(r.fill && from === r.start ? r.fill + gap.slice(r.fill.length) : gap);
    pos = r.end;
  }
  parts.push(text.slice(pos));
  return parts.join('');
}

interface Found {
  /** True when the document has no YAML error left. */
  clean: boolean;
  repairs: Repair[];
}

/** The repairs for the YAML errors of `doc`; undefined when one of them is of a kind we cannot repair. */
function repairsFor(doc: Document.Parsed, text: string, done: readonly Repair[]): Found | undefined {
  const errors: { code: string; message: string; start: number; end: number }[] = doc.errors.map((e) => ({ code: e.code, message: e.message, start: e.pos[0], end: e.pos[1] }));
  for (const [start, end] of duplicateKeys(doc)) errors.push({ code: 'DUPLICATE_KEY', message: '', start, end });
  for (const [start, end] of unresolvedAliases(doc)) errors.push({ code: 'UNRESOLVED_ALIAS', message: '', start, end });
  if (!errors.length) return { clean: true, repairs: [] };
  if (errors.length > MAX_ERRORS) return undefined;
  errors.sort((a, b) => a.start - b.start);
  const repairs: Repair[] = [];
  const covered = (pos: number): boolean => [...done, ...repairs].some((r) => r.start <= pos && pos < Math.max(r.end, r.start + 1));
  for (const e of errors) {
    // A cascade of one mistake (a tab line also reads as a bad implicit key) is repaired once.
    if (covered(e.start)) continue;
    const r = repairOf(e, doc, text);
    if (!r) return undefined;
    repairs.push(r);
    // A line the parser misplaced (a tab, a lost `: `) can make it misread the lines after it: those
    // errors may not be real, so they wait for the next parse.
    if (r.kind !== 'value') break;
  }
  return { clean: false, repairs };
}

function repairOf(e: { code: string; message: string; start: number; end: number }, doc: Document.Parsed, text: string): Repair | undefined {
  const pos = e.start;
  const lineStart = text.lastIndexOf('\n', pos - 1) + 1;
  const lineEnd = endOfLine(text, pos);
  switch (e.code) {
    case 'UNRESOLVED_ALIAS':
      return { start: e.start, end: e.end, kind: 'value', fill: '~' };
    case 'DUPLICATE_KEY': {
      // The later pair goes, key and value; the first one stays and is validated.
      const pair = pairWithKeyAt(doc, pos);
      const value = pair?.value as Node | null | undefined;
      return { start: pos, end: Math.max(e.end, value?.range?.[1] ?? e.end), kind: 'value' };
    }
    case 'BLOCK_AS_IMPLICIT_KEY':
      // `key: a: b`: the value holds `: `; its key is fine.
      return { start: pos, end: lineEnd, kind: 'value' };
    case 'MISSING_CHAR':
      if (/closing ["']/.test(e.message)) {
        const open = findUnclosedQuote(doc, pos);
        return open?.range ? { start: open.range[0], end: text.length, kind: 'rest' } : undefined;
      }
      // The last key line of a mapping that lost its `: `.
      return /^Implicit map keys need/.test(e.message) ? lineRepair(text, pos, lineStart, lineEnd) : undefined;
    case 'BAD_INDENT':
      // Block lines only; flow collections and block scalars are not repaired.
      return /must start at the same column/.test(e.message) ? lineRepair(text, pos, lineStart, lineEnd) : undefined;
    case 'MULTILINE_IMPLICIT_KEY':
    case 'TAB_AS_INDENT':
      return lineRepair(text, pos, lineStart, lineEnd);
    default:
      return undefined;
  }
}

/**
 * A key line that cannot be read (it lost its `: `, or is indented with a tab): the whole line and the
 * lines nested under it, which would otherwise attach to another key. When the error is not at the start
 * of its line (a cascade inside a value), only the rest of the line.
 */
function lineRepair(text: string, pos: number, lineStart: number, lineEnd: number): Repair {
  const lead = text.slice(lineStart, pos);
  if (/\S/.test(lead)) return { start: pos, end: lineEnd, kind: 'value' };
  const line = text.slice(lineStart, lineEnd);
  const ws = /^[ \t]*/.exec(line)?.[0] ?? '';
  if (!ws.includes('\t')) return { start: lineStart, end: nestedEnd(text, lineEnd, ws.length + 1), kind: 'line', indent: ws.length };
  // A tab hides how deep the line meant to be. When it opens a block (`\tlinks:`), the lines below it at
  // the depth of the first one are its block; left in place they would join the key above.
  if (!/:[ \t]*(#.*)?\r?$/.test(line)) return { start: lineStart, end: lineEnd, kind: 'line' };
  const first = nextContentLine(text, lineEnd);
  return { start: lineStart, end: first ? nestedEnd(text, lineEnd, first.indent) : lineEnd, kind: 'line' };
}

/** The first line after `from` (a line end) with something besides a comment, and its indentation. */
function nextContentLine(text: string, from: number): { start: number; indent: number } | undefined {
  for (let next = from + 1; next < text.length; ) {
    const end = endOfLine(text, next);
    const content = /\S/.exec(text.slice(next, end));
    if (content && text[next + content.index] !== '#') return { start: next, indent: content.index };
    next = end + 1;
  }
  return undefined;
}

/** The end of the run of lines after `from` (a line end) indented at least `minIndent`, comments skipped. */
function nestedEnd(text: string, from: number, minIndent: number): number {
  let end = from;
  for (let line = nextContentLine(text, from); line && line.indent >= minIndent; line = nextContentLine(text, end)) end = endOfLine(text, line.start);
  return end;
}

function endOfLine(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl === -1 ? text.length : nl;
}

/** Aliases whose anchor is not set before them, in one pass (yaml's `Alias.resolve` walks the document each time). */
function unresolvedAliases(doc: Document.Parsed): [number, number][] {
  const anchors = new Set<string>();
  const found: [number, number][] = [];
  visit(doc, (_key, node) => {
    if (isAlias(node)) {
      if (!anchors.has(node.source) && node.range) found.push([node.range[0], node.range[1]]);
    } else if (isNode(node) && node.anchor) {
      anchors.add(node.anchor);
    }
  });
  return found;
}

function pairWithKeyAt(doc: Document.Parsed, offset: number): { value: unknown } | undefined {
  let found: { value: unknown } | undefined;
  visit(doc, {
    Pair(_k, pair) {
      if ((pair.key as Node | null)?.range?.[0] === offset) {
        found = pair;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/** A key or list item of a block collection: where it starts, its column, and its path. */
interface Entry {
  offset: number;
  column: number;
  path: PathSegment[];
}

/** Decides which problems of the repaired document only the blanked text could have caused. */
class Judge {
  /** Line starts of every line a repair touched. */
  private readonly touched = new Set<number>();
  /** Per `line`/`rest` repair, the mappings that may have lost a key to it. */
  private readonly openPaths: PathSegment[][] = [];
  /** Per `value` repair, the key (or list item) whose value was blanked. */
  private readonly blankedPaths: PathSegment[][] = [];

  constructor(
    private readonly doc: Document.Parsed,
    private readonly text: string,
    private readonly repairs: readonly Repair[],
  ) {
    for (const r of repairs) {
      for (let ls = this.lineStart(r.start); ; ) {
        this.touched.add(ls);
        const nl = text.indexOf('\n', ls);
        if (nl === -1 || nl + 1 >= r.end) break;
        ls = nl + 1;
      }
    }
    const entries = blockEntries(doc, text);
    for (const r of repairs) {
      const before = entries.filter((e) => e.offset < r.start);
      if (r.kind === 'value') {
        const ls = this.lineStart(r.start);
        const owner = entries.filter((e) => e.offset >= ls && e.offset <= r.start).pop();
        if (owner) this.blankedPaths.push(owner.path);
      } else if (r.kind === 'line' && r.indent !== undefined) {
        // The lost line belongs to the nearest key (or list item) above it that is less indented.
        const indent = r.indent;
        const parent = before.reverse().find((e) => e.column < indent);
        this.openPaths.push(parent ? parent.path : []);
      } else {
        // Unknown indentation (a tab) or the rest of the document: any enclosing mapping may have lost keys.
        const near = before[before.length - 1];
        const path = near ? near.path : [];
        for (let k = path.length; k >= 0; k--) this.openPaths.push(path.slice(0, k));
      }
    }
  }

  mayBeCausedByRepair(p: Problem, subject: ProblemSubject): boolean {
    for (const r of this.repairs) {
      if (p.start < r.end && r.start < p.end) return true;
      if (p.start === p.end && r.start <= p.start && p.start < r.end) return true;
    }
    // About a key or value on a line a repair touched (e.g. the null left where a value was blanked).
    const anchors = this.anchors(subject.path);
    for (let k = 0; k < anchors.length; k++) {
      if (!this.touched.has(this.lineStart(anchors[k]))) continue;
      if (k === subject.path.length - 1 && KEY_CODES.has(p.code)) continue; // the key itself was not blanked
      return true;
    }
    // A mapping judged by what it holds: `definition: {$text: …}` is a placeholder only while $text has a value.
    if (p.code === 'type' && this.blankedPaths.some((b) => b.length > subject.path.length && startsWith(b, subject.path))) return true;
    for (const open of this.openPaths) {
      if (!startsWith(subject.path, open)) continue;
      const exact = subject.path.length === open.length;
      // A key missing from a mapping that lost a line (it may be the lost key), or the mapping left empty.
      if (exact && (subject.missing !== undefined || this.isEmpty(open))) return true;
      // Inside a part of the mapping that is no longer there.
      if (!exact && locate(this.doc, subject.path).depth < subject.path.length) return true;
    }
    return false;
  }

  private lineStart(offset: number): number {
    return this.text.lastIndexOf('\n', offset - 1) + 1;
  }

  /** Where each step of `path` starts: the key of a pair, the node of a list item. */
  private anchors(path: readonly PathSegment[]): number[] {
    const out: number[] = [];
    let node: unknown = this.doc.contents;
    for (const seg of path) {
      if (typeof seg === 'number' && isSeq(node)) {
        const item = node.items[seg] as Node | null | undefined;
        if (!item?.range) break;
        out.push(item.range[0]);
        node = item;
      } else {
        const pair = findPair(node, String(seg));
        const key = pair?.key as Node | null | undefined;
        if (!pair || !key?.range) break;
        out.push(key.range[0]);
        node = pair.value;
      }
    }
    return out;
  }

  private isEmpty(path: readonly PathSegment[]): boolean {
    const loc = locate(this.doc, path);
    if (loc.depth < path.length) return true;
    const v = loc.value;
    if (!v || (isScalar(v) && v.value === null)) return true;
    return (isMap(v) || isSeq(v)) && v.items.length === 0;
  }
}

function startsWith(path: readonly PathSegment[], prefix: readonly PathSegment[]): boolean {
  if (path.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (String(path[i]) !== String(prefix[i])) return false;
  return true;
}

/** The keys and items of the document's block collections in text order (flow collections are one line). */
function blockEntries(doc: Document.Parsed, text: string): Entry[] {
  const out: Entry[] = [];
  const column = (offset: number): number => offset - (text.lastIndexOf('\n', offset - 1) + 1);
  const walk = (node: unknown, path: PathSegment[]): void => {
    if (isMap(node) && !node.flow) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = pair.key as Node | null;
        if (!isScalar(key) || !key.range) continue;
        const p = [...path, String(key.value)];
        out.push({ offset: key.range[0], column: column(key.range[0]), path: p });
        walk(pair.value, p);
      }
    } else if (isSeq(node) && !node.flow) {
      node.items.forEach((item, i) => {
        const n = item as Node | null;
        if (!n?.range) return;
        // An item's column is its dash's: `- url: x` has its keys two columns to the right.
        let j = n.range[0] - 1;
        while (j >= 0 && text[j] === ' ') j--;
        const at = text[j] === '-' ? j : n.range[0];
        out.push({ offset: n.range[0], column: column(at), path: [...path, i] });
        walk(n, [...path, i]);
      });
    }
  };
  walk(doc.contents, []);
  return out;
}
