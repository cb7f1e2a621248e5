/**
 * The outline: one symbol per entity document, named like a Backstage reference, with its keys below.
 */
import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { AnalyzedDocument, AnalyzedFile } from '../catalog/analyze';
import { findPair } from '../catalog/nodes';
import { readDocument, scalarAt } from './context';
import type { SymbolEntry } from './types';

/** Levels of keys below an entity symbol. */
const MAX_DEPTH = 3;
const DETAIL_MAX = 60;
/** Keys that name an item of a list of mappings, in order of preference. */
const ITEM_NAMES = ['name', 'id', 'title', 'url', 'action', 'type'];

/** The outline of a file (`_text` is the analysed text; the analysis holds everything needed). */
export function documentSymbols(file: AnalyzedFile, _text?: string): SymbolEntry[] {
  const out: SymbolEntry[] = [];
  for (const d of file.documents) {
    if (d.empty || !d.cached.doc) continue;
    const s = entitySymbol(d);
    if (s) out.push(s);
  }
  return out;
}

function entitySymbol(d: AnalyzedDocument): SymbolEntry | undefined {
  const chunk = d.chunk;
  const base = chunk.start;
  const doc = d.cached.doc;
  // The document's extent: without its `---` line and trailing blank lines.
  let start = base;
  if (/^---(?=[ \t\r\n]|$)/.test(chunk.text)) {
    const nl = chunk.text.indexOf('\n');
    start = nl === -1 ? chunk.end : base + nl + 1;
  }
  let end = base + chunk.text.trimEnd().length;
  if (end < start) end = start;
  const contents = doc.contents;
  const metadata = findPair(contents, 'metadata')?.value;
  const nameNode = findPair(metadata, 'name')?.value as Node | undefined;
  let kind = scalarText(findPair(contents, 'kind')?.value);
  let name = scalarText(nameNode);
  let namespace = scalarText(findPair(metadata, 'namespace')?.value);
  let title = scalarText(findPair(metadata, 'title')?.value) ?? scalarText(findPair(findPair(contents, 'spec')?.value, 'type')?.value);
  let selection: [number, number] | undefined = isScalar(nameNode) && nameNode.range ? [base + nameNode.range[0], base + nameNode.range[1]] : undefined;
  if (!kind || !name) {
    // The parser could not make sense of the document: read its lines.
    const lines = readDocument(chunk.text, 0, chunk.text.length);
    kind ??= scalarAt(lines, ['kind']);
    name ??= scalarAt(lines, ['metadata', 'name']);
    namespace ??= scalarAt(lines, ['metadata', 'namespace']);
    title ??= scalarAt(lines, ['metadata', 'title']) ?? scalarAt(lines, ['spec', 'type']);
  }
  if (!selection) {
    const k = findPair(contents, 'kind')?.value as Node | undefined;
    selection = isScalar(k) && k.range ? [base + k.range[0], base + k.range[1]] : [start, Math.min(end, lineEnd(chunk.text, start - base) + base)];
  }
  selection = [Math.max(start, Math.min(selection[0], end)), Math.max(start, Math.min(selection[1], end))];
  const label = kind && name ? `${kind.toLowerCase()}:${namespace || 'default'}/${name}` : `document ${d.docIndex + 1}`;
  return {
    name: label,
    detail: title,
    kind: 'entity',
    start,
    end,
    selectionStart: selection[0],
    selectionEnd: selection[1],
    children: isMap(contents) ? mapChildren(contents, { base, text: chunk.text }, 1) : [],
  };
}

function lineEnd(s: string, from: number): number {
  const nl = s.indexOf('\n', from);
  return nl === -1 ? s.length : nl;
}

function scalarText(node: unknown): string | undefined {
  if (!isScalar(node) || node.value === null || node.value === undefined) return undefined;
  const v = String(node.value);
  return v === '' ? undefined : v;
}

function short(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  const s = String(v).slice(0, DETAIL_MAX * 4).replace(/\s+/g, ' ').trim();
  if (!s) return undefined;
  return s.length > DETAIL_MAX ? `${s.slice(0, DETAIL_MAX - 1)}…` : s;
}

/** Where node offsets are relative to: the chunk's start, and the chunk's text. */
interface Src {
  base: number;
  text: string;
}

/** The end of a node's range without trailing blanks and line breaks (file offset). */
function endOf(src: Src, from: number, to: number): number {
  let e = to;
  while (e > from && /\s/.test(src.text[e - 1] ?? '')) e--;
  return src.base + e;
}

function mapChildren(map: YAMLMap, src: Src, depth: number): SymbolEntry[] {
  const base = src.base;
  const out: SymbolEntry[] = [];
  for (const pair of map.items as Pair[]) {
    const k = pair.key as Node | null;
    if (!k?.range) continue;
    const v = pair.value as Node | null;
    const keyName = isScalar(k) ? String(k.value ?? '') : '?';
    const start = base + k.range[0];
    const end = endOf(src, k.range[1], Math.max(k.range[1], v?.range ? v.range[1] : k.range[1]));
    out.push({
      name: keyName || '""',
      detail: isScalar(v) ? short(v.value) : undefined,
      kind: isSeq(v) ? 'list' : 'key',
      start,
      end,
      selectionStart: start,
      selectionEnd: base + k.range[1],
      children: depth < MAX_DEPTH ? childrenOf(v, src, depth + 1) : [],
    });
  }
  return out;
}

function childrenOf(v: Node | null, src: Src, depth: number): SymbolEntry[] {
  if (isMap(v)) return mapChildren(v, src, depth);
  if (isSeq(v)) return seqChildren(v, src, depth);
  return [];
}

function seqChildren(seq: YAMLSeq, src: Src, depth: number): SymbolEntry[] {
  const base = src.base;
  const out: SymbolEntry[] = [];
  seq.items.forEach((item, i) => {
    const node = item as Node | null;
    if (!node?.range) return;
    const start = base + node.range[0];
    const end = Math.max(start, endOf(src, node.range[0], node.range[1]));
    if (isScalar(node)) {
      out.push({ name: short(node.value) ?? `[${i}]`, kind: 'value', start, end, selectionStart: start, selectionEnd: end, children: [] });
      return;
    }
    let name = `[${i}]`;
    if (isMap(node)) {
      for (const key of ITEM_NAMES) {
        const s = short(scalarText(findPair(node, key)?.value));
        if (s) {
          name = s;
          break;
        }
      }
    }
    out.push({ name, kind: isSeq(node) ? 'list' : 'key', start, end, selectionStart: start, selectionEnd: end, children: depth < MAX_DEPTH ? childrenOf(node, src, depth + 1) : [] });
  });
  return out;
}
