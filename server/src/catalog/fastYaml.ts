/**
 * A fast reader for the plain block YAML that nearly every catalog document is written in: block
 * mappings and sequences, one-line plain and quoted scalars, `|` literals, `[]` and `{}`. It builds the
 * very tree `yaml`'s `parseDocument` builds for such text (the same node classes, values, types and
 * ranges, `spaceBefore` included), about ten times faster, since it needs no token stream and no
 * general composer. Anything outside that subset (comments, anchors, tags, flow collections with
 * items, folded or indented block scalars, escapes, multi-line plain scalars, tabs, CR, a YAML error)
 * makes it answer `undefined`, and the caller parses with `yaml`. `test/unit/fastYaml.test.ts` holds
 * it to `yaml` on every document of the corpora and of the mutation fuzzer.
 */
import { Document, LineCounter, Pair, Scalar, YAMLMap, YAMLSeq, type DocumentOptions, type Schema, type SchemaOptions, type ToJSOptions } from 'yaml';

type Node = Scalar | YAMLMap | YAMLSeq;

/** Thrown inside the reader when the text leaves the subset; never escapes `fastParseDocument`. */
class Unsupported extends Error {}
const UNSUPPORTED = new Unsupported();
function bail(): never {
  throw UNSUPPORTED;
}

const SPACE = 32;
const NL = 10;
const DASH = 45;
const COLON = 58;
const HASH = 35;

/** Tabs, CR, other control characters, a byte-order mark, and what YAML 1.1 took for line breaks. */
const UNUSUAL = /[\u0000-\u0009\u000b-\u001f\u007f\u0085\u2028\u2029\ufeff]/;

/** A document marker after the first line (the splitter cuts at them, but `...` ends a document mid-chunk). */
const MARKER_INSIDE = /\n(---|\.\.\.)/;

const MAYBE_NOT_STRING = /^[-+.~0-9nNtTfF]/;

/** First characters that make a scalar something other than a one-line plain scalar. */
const INDICATORS = new Set('-?:,[]{}#&*!|>\'"%@`'.split('').map((c) => c.charCodeAt(0)));

interface ScalarTag {
  test?: RegExp;
  default?: boolean | 'key';
  format?: string;
  resolve(value: string, onError: (m: string) => void, options: object): unknown;
}

class Reader {
  private readonly tags: ScalarTag[];
  private readonly str: ScalarTag;

  constructor(
    private readonly text: string,
    private readonly doc: Document,
  ) {
    const schema = doc.schema as Schema & { tags: ScalarTag[] };
    this.tags = schema.tags.filter((t) => !('collection' in t && t.collection));
    this.str = (schema as unknown as Record<symbol, ScalarTag>)[Symbol.for('yaml.scalar')];
  }

  lineEnd(ls: number): number {
    const nl = this.text.indexOf('\n', ls);
    return nl === -1 ? this.text.length : nl;
  }

  /** The start of the line after the one ending at `le`. */
  next(le: number): number {
    return le < this.text.length ? le + 1 : le;
  }

  indentOf(ls: number, le: number): number {
    let i = ls;
    while (i < le && this.text.charCodeAt(i) === SPACE) i++;
    return i - ls;
  }

  /** A plain scalar through the schema's tags, as `yaml` resolves it (null, bool, int, float, or string). */
  plain(source: string, range: [number, number, number], atKey: boolean): Scalar {
    // Only text starting with a digit, a sign, '.', '~' or one of n/t/f can be other than a string (or empty).
    const tag = (source && !MAYBE_NOT_STRING.test(source)) ? this.str : (this.tags.find((t) => (t.default === true || (atKey && t.default === 'key')) && t.test?.test(source)) ?? this.str);
    const res = tag.resolve(source, bail, this.doc.options);
    const node = res instanceof Scalar ? res : new Scalar(res);
    node.range = range;
    node.source = source;
    node.type = Scalar.PLAIN;
    if (tag.format) node.format = tag.format;
    return node;
  }

  string(value: string, type: Scalar.Type, range: [number, number, number]): Scalar {
    const node = new Scalar(value);
    node.range = range;
    node.source = value;
    node.type = type;
    return node;
  }

  /** The end of a key written at `c` (the offset of its `:`), or -1 when the line holds no simple key. */
  keyEnd(c: number, le: number): number {
    const t = this.text;
    if (INDICATORS.has(t.charCodeAt(c))) return -1;
    for (let i = c + 1; i < le; i++) {
      const ch = t.charCodeAt(i);
      // YAML limits an implicit key to 1024 characters.
      if (ch === COLON && (i + 1 === le || t.charCodeAt(i + 1) === SPACE)) return t.charCodeAt(i - 1) === SPACE || i - c > 1000 ? bail() : i;
      if (ch === HASH && t.charCodeAt(i - 1) === SPACE) bail();
    }
    return -1;
  }

  /**
   * The items of a block collection at column `indent`, the first at `c` on the line starting at `ls`.
   * `item` reads one (undefined where the collection ends) and says where the line after it starts. Blank
   * lines between items give the next one spaceBefore; those after the last are left to what follows.
   */
  private items<T>(ls: number, c: number, indent: number, item: (ls: number, c: number, le: number, spaced: boolean, first: boolean) => [T, number] | undefined): [T[], number] {
    const out: T[] = [];
    let blankFrom = -1;
    for (;;) {
      const le = this.lineEnd(ls);
      if (out.length) {
        if (ls >= this.text.length) break;
        const ind = this.indentOf(ls, le);
        if (ls + ind === le) {
          if (blankFrom < 0) blankFrom = ls;
          ls = this.next(le);
          continue;
        }
        if (ind < indent) break;
        if (ind > indent) bail();
        c = ls + ind;
      }
      const got = item(ls, c, le, blankFrom >= 0, out.length === 0);
      if (!got) break;
      out.push(got[0]);
      ls = got[1];
      blankFrom = -1;
    }
    return [out, blankFrom >= 0 ? blankFrom : ls];
  }

  /** A block mapping whose first key is at `c` (on the line starting at `ls`), keys at column `indent`. */
  map(ls: number, c: number, indent: number): [YAMLMap, number] {
    const t = this.text;
    const [pairs, next] = this.items(ls, c, indent, (_ls, at, le, spaced, first) => {
      const k = this.keyEnd(at, le);
      // A sequence item or anything else at this column ends the mapping; the caller decides.
      if (k < 0) return first ? bail() : undefined;
      const key = this.plain(t.slice(at, k), [at, k, k], true);
      if (spaced) key.spaceBefore = true;
      let v = k + 1;
      while (v < le && t.charCodeAt(v) === SPACE) v++;
      const [value, after] = v === le ? this.below(le, indent) : this.inline(v, le, indent);
      return [new Pair(key, value), after];
    });
    const map = new YAMLMap(this.doc.schema);
    map.items = pairs;
    const end = (pairs[pairs.length - 1].value as Node).range![2];
    map.range = [c, end, end];
    return [map, next];
  }

  /** The value of a key whose line ends at `le` after the colon: a mapping or a sequence on the lines below. */
  below(le: number, indent: number): [Node, number] {
    const ls = this.next(le);
    const lend = this.lineEnd(ls);
    const ind = this.indentOf(ls, lend);
    const c = ls + ind;
    if (c === lend) bail(); // a blank line, or nothing: an empty value
    if (this.isItem(c, lend) && ind >= indent) return this.seq(ls, c, ind);
    if (ind > indent) return this.map(ls, c, ind);
    return bail();
  }

  isItem(c: number, le: number): boolean {
    return this.text.charCodeAt(c) === DASH && (c + 1 === le || this.text.charCodeAt(c + 1) === SPACE);
  }

  /** A block sequence whose first `-` is at `c`, items at column `indent`. */
  seq(ls: number, c: number, indent: number): [YAMLSeq, number] {
    const t = this.text;
    const [items, next] = this.items<Node>(ls, c, indent, (line, at, le, spaced) => {
      if (!this.isItem(at, le)) return undefined;
      let v = at + 1;
      while (v < le && t.charCodeAt(v) === SPACE) v++;
      if (v === le) bail(); // the item's value on the lines below
      const [item, after] = this.keyEnd(v, le) >= 0 ? this.map(line, v, v - line) : this.inline(v, le, indent);
      if (spaced) item.spaceBefore = true;
      return [item, after];
    });
    const seq = new YAMLSeq(this.doc.schema);
    seq.items = items;
    const end = items[items.length - 1].range![2];
    seq.range = [c, end, end];
    return [seq, next];
  }

  /**
   * A value starting at `v` on a line ending at `le`, inside a collection at column `indent`: a one-line
   * scalar, `[]`, `{}`, or a `|` literal (which reads the lines below). Returns it and the next line.
   */
  inline(v: number, le: number, indent: number): [Node, number] {
    const t = this.text;
    if (t.charCodeAt(le - 1) === SPACE) bail();
    const nl = le < t.length ? 1 : 0;
    const ch = t[v];
    let node: Node;
    if (ch === '|') return this.literal(v, le, indent);
    if (ch === '[' || ch === '{') {
      if (le - v !== 2 || t[v + 1] !== (ch === '[' ? ']' : '}')) bail();
      node = ch === '[' ? new YAMLSeq(this.doc.schema) : new YAMLMap(this.doc.schema);
      node.flow = true;
      node.range = [v, le, le + nl];
    } else if (ch === '"') {
      const inner = t.slice(v + 1, le - 1);
      if (le - v < 2 || t[le - 1] !== '"' || inner.includes('"') || inner.includes('\\')) bail();
      node = this.string(inner, Scalar.QUOTE_DOUBLE, [v, le, le + nl]);
    } else if (ch === "'") {
      if (le - v < 2 || t[le - 1] !== "'") bail();
      const inner = t.slice(v + 1, le - 1);
      if (inner.replace(/''/g, '').includes("'")) bail();
      node = this.string(inner.replace(/''/g, "'"), Scalar.QUOTE_SINGLE, [v, le, le + nl]);
    } else {
      if (INDICATORS.has(t.charCodeAt(v))) bail();
      const source = t.slice(v, le);
      if (source.includes(': ') || source.includes(' #') || source.endsWith(':')) bail();
      node = this.plain(source, [v, le, le + nl], false);
    }
    const ls = this.next(le);
    this.noContinuation(ls, indent);
    return [node, ls];
  }

  /** A one-line value must not go on below: a more indented line after it (blank lines between) is not ours. */
  noContinuation(ls: number, indent: number): void {
    while (ls < this.text.length) {
      const le = this.lineEnd(ls);
      const ind = this.indentOf(ls, le);
      if (ls + ind < le) {
        if (ind > indent) bail();
        return;
      }
      ls = this.next(le);
    }
  }

  /** A `|` or `|-` literal whose header is at `v`; its lines are more indented than `indent`. */
  literal(v: number, le: number, indent: number): [Scalar, number] {
    const t = this.text;
    const header = t.slice(v, le);
    if (header !== '|' && header !== '|-') bail();
    let ls = this.next(le);
    let contentIndent = -1;
    const lines: string[] = [];
    let end = -1;
    let blanks = 0;
    while (ls < t.length) {
      const lend = this.lineEnd(ls);
      const ind = this.indentOf(ls, lend);
      if (ls + ind === lend) {
        if (ind > 0 || contentIndent < 0) bail(); // a line of spaces, or blank lines before the first
        blanks++;
        ls = this.next(lend);
        continue;
      }
      if (contentIndent < 0) {
        if (ind <= indent) bail(); // an empty literal
        contentIndent = ind;
      }
      if (ind < contentIndent) {
        if (ind > indent) bail();
        break;
      }
      for (; blanks > 0; blanks--) lines.push('');
      lines.push(t.slice(ls + contentIndent, lend));
      end = this.next(lend);
      ls = end;
    }
    if (contentIndent < 0) bail();
    // Blank lines after the last content line belong to what follows (it gets spaceBefore).
    const value = lines.join('\n') + (header === '|' ? '\n' : '');
    return [this.string(value, Scalar.BLOCK_LITERAL, [v, end, end]), end];
  }
}

/**
 * `yaml`'s `parseDocument(text, PARSE_OPTIONS)` for a document written in the plain subset, with the line
 * starts added to `lines`; `undefined` for any other text (parse it with `yaml`).
 */
export function fastParseDocument(text: string, lines: LineCounter, options: DocumentOptions & SchemaOptions & ToJSOptions): Document.Parsed | undefined {
  if (UNUSUAL.test(text) || MARKER_INSIDE.test(text)) return undefined;
  const marker = text.startsWith('---');
  let ls = 0;
  if (marker) {
    if (text.charCodeAt(3) !== NL) return undefined;
    ls = 4;
  }
  const doc = new Document(undefined, options) as Document.Parsed;
  const reader = new Reader(text, doc);
  try {
    // Blank lines before the first key.
    let le = reader.lineEnd(ls);
    const contentFrom = ls;
    while (ls < text.length && reader.indentOf(ls, le) === le - ls) {
      if (le > ls) return undefined; // a line of spaces
      ls = reader.next(le);
      le = reader.lineEnd(ls);
    }
    if (ls >= text.length || text.charCodeAt(ls) === SPACE) return undefined;
    const [map, after] = reader.map(ls, ls, 0);
    // Only blank lines may follow the mapping.
    for (let p = after; p < text.length; ) {
      const e = reader.lineEnd(p);
      if (e > p) return undefined;
      p = reader.next(e);
    }
    // After a `---` line, blank lines before the content give it spaceBefore (at the very start they do not).
    if (marker && ls > contentFrom) map.spaceBefore = true;
    doc.contents = map as unknown as Document.Parsed['contents'];
    if (marker) doc.directives.docStart = true;
    doc.range = [marker ? 0 : ls, map.range![2], text.length];
  } catch (e) {
    if (e === UNSUPPORTED) return undefined;
    throw e;
  }
  lines.addNewLine(0);
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
  return doc;
}

/**
 * The JavaScript value of a tree the fast reader built, as `doc.toJS()` gives it: mappings become objects
 * (a key as `String` of its value, `null` as ''; a later duplicate wins; `__proto__` an own property),
 * sequences arrays, scalars their values. Such a tree has no aliases, so no alias accounting is needed.
 */
export function plainValue(node: unknown): unknown {
  if (node instanceof Scalar) return node.value;
  if (node instanceof YAMLSeq) return node.items.map(plainValue);
  if (node instanceof YAMLMap) {
    const out: Record<string, unknown> = {};
    for (const { key, value } of node.items) {
      const k = (key as Scalar).value;
      const name = k === null ? '' : String(k);
      const v = plainValue(value);
      if (name === '__proto__') Object.defineProperty(out, name, { value: v, writable: true, enumerable: true, configurable: true });
      else out[name] = v;
    }
    return out;
  }
  return null;
}
