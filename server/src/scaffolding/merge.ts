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
 * For each line of a, the line of b it is kept as in a shortest edit script from a to b (Myers 1986),
 * or -1 when the script deletes it. The matches increase with the index. Common leading and trailing
 * lines are matched first, so the search only spans the changed middle; its memory is O(D²).
 */
export function matchLines(a: readonly string[], b: readonly string[]): Int32Array {
  const match = new Int32Array(a.length).fill(-1);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) match[start] = start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) match[--endA] = --endB;
  const n = endA - start;
  const m = endB - start;
  // v[k] = the furthest x on diagonal k (x - y = k); trace[d] = v over [-d, d] after d edits.
  let v = new Int32Array(3);
  const trace: Int32Array[] = [];
  search: for (let d = 0; d <= n + m; d++) {
    const next = new Int32Array(2 * d + 3); // k in [-d-1, d+1], at k + d + 1
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && at(v, d - 1, k - 1) < at(v, d - 1, k + 1));
      let x = down ? at(v, d - 1, k + 1) : at(v, d - 1, k - 1) + 1;
      let y = x - k;
      while (x < n && y < m && a[start + x] === b[start + y]) x++, y++;
      next[k + d + 1] = x;
      if (x >= n && y >= m) {
        trace.push(next);
        break search;
      }
    }
    trace.push(next);
    v = next;
  }
  // Walk back from (n, m): each step's snake is a run of kept lines.
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const k = x - y;
    let px = 0;
    let py = 0;
    if (d > 0) {
      const prev = trace[d - 1];
      const down = k === -d || (k !== d && at(prev, d - 1, k - 1) < at(prev, d - 1, k + 1));
      const pk = down ? k + 1 : k - 1;
      px = at(prev, d - 1, pk);
      py = px - pk;
    }
    while (x > px && y > py) {
      x--, y--;
      match[start + x] = start + y;
    }
    x = px;
    y = py;
  }
  return match;
}

/** v[k] of the array kept for edit count d (k in [-d-1, d+1]); before the first step, 0. */
function at(v: Int32Array, d: number, k: number): number {
  return d < 0 ? 0 : v[k + d + 1];
}
