/**
 * Did-you-mean over the names of one kind: a table of the catalog's names kept current as entities come
 * and go, and a search that reads only names of about the right length and letters, with a bit-parallel
 * edit distance. A dangling reference among 50,000 Components costs about a millisecond, not a scan.
 */

/** Character classes counted per name (a-z, 0-9, anything else): one edit changes the counts by at most 2. */
const CLASSES = 37;

function classOf(code: number): number {
  return code >= 97 && code <= 122 ? code - 97 : code >= 48 && code <= 57 ? code - 22 : 36;
}

/** The names of one namespace and one length, with their letter counts side by side. */
class Bucket {
  refs: string[] = [];
  names: string[] = [];
  letters = new Uint8Array(CLASSES * 4);
  private readonly at = new Map<string, number>();

  add(ref: string, name: string): void {
    if (this.at.has(ref)) return;
    const i = this.refs.length;
    if ((i + 1) * CLASSES > this.letters.length) {
      const grown = new Uint8Array(this.letters.length * 2);
      grown.set(this.letters);
      this.letters = grown;
    }
    this.refs.push(ref);
    this.names.push(name);
    this.at.set(ref, i);
    const base = i * CLASSES;
    this.letters.fill(0, base, base + CLASSES);
    for (let k = 0; k < name.length; k++) {
      const c = base + classOf(name.charCodeAt(k));
      if (this.letters[c] < 255) this.letters[c]++;
    }
  }

  /** Removes by moving the last entry into the gap. */
  remove(ref: string): void {
    const i = this.at.get(ref);
    if (i === undefined) return;
    const last = this.refs.length - 1;
    this.at.delete(ref);
    if (i !== last) {
      this.refs[i] = this.refs[last];
      this.names[i] = this.names[last];
      this.at.set(this.refs[i], i);
      this.letters.copyWithin(i * CLASSES, last * CLASSES, (last + 1) * CLASSES);
    }
    this.refs.pop();
    this.names.pop();
  }
}

/** `kind:namespace/name` (lower case) split into its namespace and name. */
function splitRef(ref: string): { namespace: string; name: string } {
  const colon = ref.indexOf(':');
  const slash = ref.indexOf('/', colon + 1);
  return { namespace: ref.slice(colon + 1, slash), name: ref.slice(slash + 1) };
}

/** The lower-case names of one kind, by namespace and length, kept current with `add` and `remove`. */
export class NameTable {
  private readonly buckets = new Map<string, Bucket[]>();
  /** Name → the refs with that name, in any namespace. */
  private readonly byName = new Map<string, Set<string>>();

  add(ref: string): void {
    const { namespace, name } = splitRef(ref);
    let byLength = this.buckets.get(namespace);
    if (!byLength) this.buckets.set(namespace, (byLength = []));
    (byLength[name.length] ??= new Bucket()).add(ref, name);
    let refs = this.byName.get(name);
    if (!refs) this.byName.set(name, (refs = new Set()));
    refs.add(ref);
  }

  remove(ref: string): void {
    const { namespace, name } = splitRef(ref);
    this.buckets.get(namespace)?.[name.length]?.remove(ref);
    const refs = this.byName.get(name);
    refs?.delete(ref);
    if (refs && !refs.size) this.byName.delete(name);
  }

  /**
   * The refs whose names are closest to `name` in `namespace`, closest first (ties by ref), at most
   * `limit`: the same name in another namespace first (a forgotten namespace is the likeliest slip),
   * then names within an edit distance of a third of the name's length.
   */
  closest(namespace: string, name: string, limit = 3): string[] {
    const lower = name.toLowerCase();
    const ns = namespace.toLowerCase();
    const best = new Best(limit);
    for (const ref of this.byName.get(lower) ?? []) if (splitRef(ref).namespace !== ns) best.offer(0.5, ref);
    const byLength = this.buckets.get(ns);
    if (!byLength || !lower.length) return best.refs();
    let max = Math.max(2, Math.floor(lower.length / 3));
    const mine = new Uint8Array(CLASSES);
    for (let k = 0; k < lower.length; k++) {
      const c = classOf(lower.charCodeAt(k));
      if (mine[c] < 255) mine[c]++;
    }
    const distance = new Distance(lower);
    // Names of the same length first, then one longer or shorter, and so on: the bound tightens early.
    for (let delta = 0; delta <= max; delta++) {
      for (const len of delta ? [lower.length - delta, lower.length + delta] : [lower.length]) {
        const b = len > 0 && delta <= max ? byLength[len] : undefined;
        if (!b) continue;
        const { letters, names, refs } = b;
        for (let i = 0; i < refs.length; i++) {
          let diff = 0;
          const base = i * CLASSES;
          for (let k = 0; k < CLASSES && diff <= 2 * max; k++) diff += Math.abs(letters[base + k] - mine[k]);
          if (diff > 2 * max) continue;
          const d = distance.to(names[i], max);
          if (d > max) continue;
          best.offer(d, refs[i]);
          // Enough candidates: a farther name can no longer make the list.
          if (best.full()) max = Math.min(max, Math.floor(best.worst()));
        }
      }
    }
    return best.refs();
  }
}

/** The `limit` best (distance, ref) pairs seen, in order. */
class Best {
  private readonly items: [number, string][] = [];
  constructor(private readonly limit: number) {}

  offer(d: number, ref: string): void {
    const items = this.items;
    if (items.length === this.limit && !before(d, ref, items[items.length - 1])) return;
    let i = items.length;
    while (i > 0 && before(d, ref, items[i - 1])) i--;
    items.splice(i, 0, [d, ref]);
    if (items.length > this.limit) items.pop();
  }

  full(): boolean {
    return this.items.length === this.limit;
  }

  worst(): number {
    return this.items[this.items.length - 1][0];
  }

  refs(): string[] {
    return this.items.map((x) => x[1]);
  }
}

const before = (d: number, ref: string, other: [number, string]): boolean => d < other[0] || (d === other[0] && ref.localeCompare(other[1]) < 0);

/**
 * Levenshtein distance from one fixed string to many others, giving up past `max`. Up to 32 characters it
 * uses Myers' bit-parallel algorithm (one machine word per column); longer strings use the classic table.
 */
export class Distance {
  private readonly peq = new Int32Array(128);
  private readonly other = new Map<number, number>();
  private readonly row: Int32Array;

  constructor(private readonly a: string) {
    if (a.length <= 32) {
      for (let i = 0; i < a.length; i++) {
        const c = a.charCodeAt(i);
        if (c < 128) this.peq[c] |= 1 << i;
        else this.other.set(c, (this.other.get(c) ?? 0) | (1 << i));
      }
    }
    this.row = new Int32Array(a.length + 1);
  }

  to(b: string, max: number): number {
    const a = this.a;
    const m = a.length;
    const n = b.length;
    if (Math.abs(m - n) > max) return max + 1;
    if (!m || !n) return Math.max(m, n);
    return m <= 32 ? this.bitParallel(b, max) : this.table(b, max);
  }

  private bitParallel(b: string, max: number): number {
    const m = this.a.length;
    const n = b.length;
    const last = 1 << (m - 1);
    let pv = -1;
    let mv = 0;
    let score = m;
    for (let j = 0; j < n; j++) {
      const c = b.charCodeAt(j);
      const eq = c < 128 ? this.peq[c] : (this.other.get(c) ?? 0);
      const xv = eq | mv;
      const xh = (((eq & pv) + pv) ^ pv) | eq;
      let ph = mv | ~(xh | pv);
      let mh = pv & xh;
      if (ph & last) score++;
      else if (mh & last) score--;
      // The rest of `b` can lower the distance by at most one per character.
      if (score - (n - j - 1) > max) return max + 1;
      ph = (ph << 1) | 1;
      mh <<= 1;
      pv = mh | ~(xv | ph);
      mv = ph & xv;
    }
    return score;
  }

  private table(b: string, max: number): number {
    const a = this.a;
    const row = this.row;
    for (let i = 0; i <= a.length; i++) row[i] = i;
    for (let j = 1; j <= b.length; j++) {
      let diag = row[0];
      row[0] = j;
      let best = j;
      for (let i = 1; i <= a.length; i++) {
        const up = row[i];
        row[i] = Math.min(up + 1, row[i - 1] + 1, diag + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1));
        diag = up;
        if (row[i] < best) best = row[i];
      }
      if (best > max) return max + 1;
    }
    return row[a.length];
  }
}
