/** Finding the YAML node behind a path in the plain value, so problems sit on the exact key or value. */
import { isMap, isPair, isScalar, isSeq, Node, Pair, Document } from 'yaml';

export type PathSegment = string | number;

export interface Located {
  /** The key of the pair that holds the value (absent for sequence items and the root). */
  key?: Node;
  value?: Node;
}

function keyText(pair: Pair): string | undefined {
  const k = pair.key;
  if (isScalar(k)) return String(k.value);
  return undefined;
}

/** The pair with the given key in a mapping node. */
export function findPair(node: unknown, key: string): Pair | undefined {
  if (!isMap(node)) return undefined;
  for (const item of node.items) if (isPair(item) && keyText(item) === key) return item;
  return undefined;
}

/** Walks `path` from the document root; stops at the deepest node that exists. */
export function locate(doc: Document, path: readonly PathSegment[]): Located & { depth: number } {
  let current: Located = { value: (doc.contents ?? undefined) as Node | undefined };
  let depth = 0;
  for (const seg of path) {
    const node = current.value;
    if (typeof seg === 'number' && isSeq(node)) {
      const item = node.items[seg];
      if (item === undefined) break;
      current = { value: item as Node };
    } else {
      const pair = findPair(node, String(seg));
      if (!pair) break;
      current = { key: pair.key as Node, value: (pair.value ?? undefined) as Node | undefined };
    }
    depth++;
  }
  return { ...current, depth };
}

/** [start, end) of a node's own text, without trailing comments. */
export function nodeRange(node: Node | undefined): [number, number] | undefined {
  if (!node?.range) return undefined;
  return [node.range[0], node.range[1]];
}
