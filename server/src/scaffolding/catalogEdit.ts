/**
 * Minimal text edits of a catalog-info.yaml, for additions: a ref added to the Component's spec.dependsOn,
 * an entity document appended. The text is edited in place (one inserted line, or a few): comments,
 * formatting, key order and line ends (LF or CRLF) stay as written. Both are idempotent: undefined means
 * "already there, no change".
 */
import { isMap, isPair, isScalar, isSeq, parseAllDocuments, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { entityRef, fullRef } from './policy';
import { ScaffoldError } from './types';

/** The text with `ref` added to spec.dependsOn of its (first) Component; undefined when the ref is already there. */
export function addDependsOn(text: string, ref: string): string | undefined {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const doc = parseAllDocuments(text).find((d): d is Document.Parsed => 'contents' in d && isMap(d.contents) && (d.toJS() as { kind?: unknown } | null)?.kind === 'Component');
  if (!doc) throw new ScaffoldError('no Component in the catalog file: dependsOn goes in a Component');
  const spec = pairOf(doc.contents as YAMLMap, 'spec');
  if (!spec || !isMap(spec.value)) throw new ScaffoldError('the Component has no spec mapping: add spec first');
  const specMap = spec.value as YAMLMap;
  if (specMap.flow) throw new ScaffoldError('the Component\'s spec is written in flow style ({ … }): add dependsOn to it by hand');
  const wanted = fullRef(ref, 'component') ?? ref.toLowerCase();
  const dependsOn = pairOf(specMap, 'dependsOn');
  if (dependsOn) {
    const list = dependsOn.value;
    if (isSeq(list)) {
      const items = list.items as Node[];
      if (items.some((i) => isScalar(i) && typeof i.value === 'string' && (fullRef(i.value, 'component') ?? i.value.toLowerCase()) === wanted)) return undefined;
      if (list.flow) {
        // [a, b] → [a, b, ref]; [] → [ref]
        const close = text.lastIndexOf(']', list.range![1] - 1);
        const last = items[items.length - 1];
        return last ? splice(text, last.range![1], `, ${ref}`) : splice(text, close, ref);
      }
      if (items.length) {
        // A block list starts at its first `-`: the new item goes under the last one, at that column.
        const indent = ' '.repeat(column(text, list.range![0]));
        return splice(text, lineEndAfter(text, items[items.length - 1].range![1]), `${indent}- ${ref}${eol}`, eol);
      }
    }
    if (list === null || (isScalar(list) && (list.value === null || list.value === undefined))) {
      // `dependsOn:` with nothing (or ~, null): the value becomes a block list.
      const keyNode = dependsOn.key as Node;
      const indent = ' '.repeat(column(text, keyNode.range![0]) + 2);
      if (isScalar(list) && list.range && list.range[1] > list.range[0]) return splice(text, list.range[0], `[${ref}]`, undefined, list.range[1]);
      return splice(text, lineEndAfter(text, keyNode.range![1]), `${indent}- ${ref}${eol}`, eol);
    }
    throw new ScaffoldError('spec.dependsOn of the Component is not a list: make it one');
  }
  // No dependsOn: add the key after spec's last entry, at spec's indentation.
  const items = specMap.items as Pair<Node, Node | null>[];
  if (!items.length) throw new ScaffoldError('the Component\'s spec is empty: add its type, lifecycle and owner first');
  const indent = column(text, (items[0].key as Node).range![0]);
  const last = items[items.length - 1];
  const end = (last.value ?? last.key)!.range![1];
  return splice(text, lineEndAfter(text, end), `${' '.repeat(indent)}dependsOn:${eol}${' '.repeat(indent + 2)}- ${ref}${eol}`, eol);
}

/** The text with an entity document (YAML text) appended after `---`; undefined when an entity with `ref` is already there. */
export function appendEntity(text: string, doc: string, ref: string): string | undefined {
  const wanted = ref.toLowerCase();
  if (parseAllDocuments(text).some((d) => 'contents' in d && entityRef(d.toJS() as unknown) === wanted)) return undefined;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let body = doc.replace(/\r\n/g, '\n').replace(/^---[ \t]*\n/, '');
  if (!body.endsWith('\n')) body += '\n';
  body = body.replace(/\n/g, eol);
  if (!text.trim()) return body;
  return `${text}${/\n$/.test(text) ? '' : eol}---${eol}${body}`;
}

function pairOf(map: YAMLMap, key: string): Pair<Node, Node | null> | undefined {
  return (map.items as Pair<Node, Node | null>[]).find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
}

/** The 0-based column of an offset. */
function column(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/** The offset just after the end of the line on which a node ended (its trailing comment included). */
function lineEndAfter(text: string, end: number): number {
  if (end > 0 && text[end - 1] === '\n') return end;
  const nl = text.indexOf('\n', end);
  return nl === -1 ? text.length : nl + 1;
}

/** Inserts `insert` at `at` (replacing up to `to`); at the end of a text without a final line end, one is added first. */
function splice(text: string, at: number, insert: string, eol?: string, to = at): string {
  const prefix = eol && at === text.length && text.length && !text.endsWith('\n') ? eol : '';
  return text.slice(0, at) + prefix + insert + text.slice(to);
}
