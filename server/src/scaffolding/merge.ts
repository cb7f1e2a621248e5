/**
 * A line-based three-way merge (diff3): the changes from base to ours and from base to theirs are
 * found with Myers' shortest edit script; where the base lines are kept by both sides the text is
 * stable, and between stable runs a change made by one side is taken, the same change made by both is
 * taken once, and different changes become a conflict hunk in diff3 style, as git writes it and VS
 * Code's merge editor opens it. Line ends are compared without their `\r`; the result keeps the line
 * ending of ours (a CRLF file stays CRLF) and merges "ends with a newline" like any other change.
 */

export interface MergeLabels {
  ours: string;
  base: string;
  theirs: string;
}

export interface MergeResult {
  text: string;
  /** The conflict hunks left in the text. */
  conflicts: number;
}

export function merge3(base: string, ours: string, theirs: string, labels: MergeLabels): MergeResult {
  if (ours === theirs || theirs === base) return { text: ours, conflicts: 0 };
  if (ours === base) return { text: theirs, conflicts: 0 };
  const b = splitLines(base);
  const o = splitLines(ours);
  const t = splitLines(theirs);
  const toOurs = matchLines(b.lines, o.lines);
  const toTheirs = matchLines(b.lines, t.lines);
  const out: string[] = [];
  let conflicts = 0;
  let conflictEnd = -1; // out.length after the last conflict hunk
  const conflict = (oc: string[], bc: string[], tc: string[]): void => {
    conflicts++;
    out.push(`<<<<<<< ${labels.ours}`, ...oc, `||||||| ${labels.base}`, ...bc, '=======', ...tc, `>>>>>>> ${labels.theirs}`);
    conflictEnd = out.length;
  };
  let lo = 0; // in base
  let ao = 0; // in ours
  let to = 0; // in theirs
  while (lo < b.lines.length || ao < o.lines.length || to < t.lines.length) {
    if (lo < b.lines.length && toOurs[lo] === ao && toTheirs[lo] === to) {
      out.push(o.lines[ao]);
      lo++, ao++, to++;
      continue;
    }
    // An unstable chunk: up to the next base line both sides kept.
    let l = lo;
    while (l < b.lines.length && (toOurs[l] < 0 || toTheirs[l] < 0)) l++;
    const ae = l < b.lines.length ? toOurs[l] : o.lines.length;
    const te = l < b.lines.length ? toTheirs[l] : t.lines.length;
    const bc = b.lines.slice(lo, l);
    const oc = o.lines.slice(ao, ae);
    const tc = t.lines.slice(to, te);
    if (sameLines(oc, bc)) out.push(...tc);
    else if (sameLines(tc, bc) || sameLines(oc, tc)) out.push(...oc);
    else if (bc.length > 0) conflict(oc, bc, tc);
    else {
      // Both sides inserted here: the lines they inserted alike are taken once, the rest conflicts.
      const same = matchLines(oc, tc);
      let i = 0;
      let j = 0;
      for (let k = 0; k <= oc.length; k++) {
        if (k < oc.length && same[k] < 0) continue;
        const je = k < oc.length ? same[k] : tc.length;
        if (k > i || je > j) conflict(oc.slice(i, k), [], tc.slice(j, je));
        if (k < oc.length) out.push(oc[k]);
        i = k + 1;
        j = je + 1;
      }
    }
    lo = l;
    ao = ae;
    to = te;
  }
  if (out.length === 0) return { text: '', conflicts };
  const eol = [ours, theirs, base].find((text) => text.includes('\n'))?.includes('\r\n') ? '\r\n' : '\n';
  // A marker line always ends with one.
  const finalNewline = conflictEnd === out.length || (o.finalNewline === b.finalNewline ? t.finalNewline : o.finalNewline);
  return { text: out.join(eol) + (finalNewline ? eol : ''), conflicts };
}

interface Lines {
  lines: string[];
  finalNewline: boolean;
}

function splitLines(text: string): Lines {
  if (text === '') return { lines: [], finalNewline: false };
  const lines = text.split(/\r?\n/);
  const finalNewline = lines[lines.length - 1] === '';
  if (finalNewline) lines.pop();
  return { lines, finalNewline };
}

function sameLines(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((line, i) => line === b[i]);
}

/**
 * For each line of a, the line of b it is kept as in a shortest edit script from a to b, or -1 when the
 * script deletes it; the matches increase with the index. Myers' O(ND) algorithm in linear space (1986,
 * section 4b): the middle snake of the edit graph splits the problem in two, recursively. Lines are
 * compared as small integers.
 */
export function matchLines(a: readonly string[], b: readonly string[]): Int32Array {
  const ids = new Map<string, number>();
  const id = (line: string): number => {
    let n = ids.get(line);
    if (n === undefined) ids.set(line, (n = ids.size));
    return n;
  };
  const x = Int32Array.from(a, id);
  const y = Int32Array.from(b, id);
  const match = new Int32Array(a.length).fill(-1);
  const max = a.length + b.length;
  const vf = new Int32Array(max + 3);
  const vb = new Int32Array(max + 3);
  const split = (aLo: number, aHi: number, bLo: number, bHi: number): void => {
    while (aLo < aHi && bLo < bHi && x[aLo] === y[bLo]) match[aLo++] = bLo++;
    while (aHi > aLo && bHi > bLo && x[aHi - 1] === y[bHi - 1]) match[--aHi] = --bHi;
    if (aLo === aHi || bLo === bHi) return;
    // Both sides are left and differ at both ends: at least two edits, so each half has fewer.
    const [sx, sy, ex, ey] = middleSnake(x, aLo, aHi, y, bLo, bHi, vf, vb);
    split(aLo, sx, bLo, sy);
    for (let i = sx, j = sy; i < ex; i++, j++) match[i] = j;
    split(ex, aHi, ey, bHi);
  };
  split(0, a.length, 0, b.length);
  return match;
}

/**
 * The middle snake of the edit graph of a[aLo, aHi) and b[bLo, bHi): the diagonal run where the furthest
 * forward and backward D/2-paths meet, as [startA, startB, endA, endB]. vf and vb are scratch arrays
 * (at least n + m + 3 long), indexed by diagonal + offset.
 */
function middleSnake(a: Int32Array, aLo: number, aHi: number, b: Int32Array, bLo: number, bHi: number, vf: Int32Array, vb: Int32Array): [number, number, number, number] {
  const n = aHi - aLo;
  const m = bHi - bLo;
  const delta = n - m;
  const odd = (delta & 1) !== 0;
  const half = Math.ceil((n + m) / 2);
  const off = half + 1;
  vf[off + 1] = 0;
  vb[off + 1] = 0;
  for (let d = 0; d <= half; d++) {
    // Forward: the furthest x on each diagonal k = x - y after d edits from the start.
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && vf[off + k - 1] < vf[off + k + 1]) ? vf[off + k + 1] : vf[off + k - 1] + 1;
      let y = x - k;
      const sx = x;
      const sy = y;
      while (x < n && y < m && a[aLo + x] === b[bLo + y]) x++, y++;
      vf[off + k] = x;
      // The backward paths of d - 1 edits are on diagonals delta - c, c in [-(d - 1), d - 1].
      if (odd && k >= delta - (d - 1) && k <= delta + (d - 1) && x + vb[off + delta - k] >= n) return [aLo + sx, bLo + sy, aLo + x, bLo + y];
    }
    // Backward: the same from the end (x counted from the end), on diagonals c = delta - k.
    for (let c = -d; c <= d; c += 2) {
      let x = c === -d || (c !== d && vb[off + c - 1] < vb[off + c + 1]) ? vb[off + c + 1] : vb[off + c - 1] + 1;
      let y = x - c;
      const sx = x;
      const sy = y;
      while (x < n && y < m && a[aHi - 1 - x] === b[bHi - 1 - y]) x++, y++;
      vb[off + c] = x;
      if (!odd && delta - c >= -d && delta - c <= d && x + vf[off + delta - c] >= n) return [aHi - x, bHi - y, aHi - sx, bHi - sy];
    }
  }
  throw new Error('no middle snake: the edit graph has no path (cannot happen)');
}
