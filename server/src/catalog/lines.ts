/** Offsets to 0-based (line, character) positions, for the edges (CLI, LSP). */

export interface Position {
  line: number;
  character: number;
}

/**
 * The index of the last item that starts at or before `offset` in a list sorted by start (binary search),
 * or -1 when every item starts after it.
 */
export function lastAtOrBefore<T>(items: readonly T[], offset: number, startOf: (item: T) => number): number {
  let lo = 0;
  let hi = items.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (startOf(items[mid]) <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** Builds a converter for one text: binary search over line starts. */
export function lineIndex(text: string): (offset: number) => Position {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    const o = Math.max(0, Math.min(offset, text.length));
    const line = Math.max(0, lastAtOrBefore(starts, o, (s) => s));
    return { line, character: o - starts[line] };
  };
}
