/**
 * Find Entity: the best matches of what is typed over every entity's name, title, description, tags and
 * owner. A table of lower-case text per entity is made on the first query and kept current from the refs
 * the index reports changed, so a keystroke costs one pass over flat strings, not over records.
 *
 * Ranking, best first: the name (or ref) itself, a name starting with the query, a title starting with it,
 * a name containing it, a title containing it, the tags, owner or description containing it, every word
 * of the query somewhere, the letters of the query in order in the name or title (fuzzy). Within a rank,
 * shorter names first, then by label.
 */
import type { CatalogIndex, Placement } from '../catalog/catalogIndex';
import type { CatalogNode } from '../protocol';
import { ChangedRefs, winners } from './changes';
import { compareKeys, entityNode, Labels, occurrence, sortKey } from './nodes';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 1000;
/** How much of a description is searched (a store may hold very long ones). */
const MAX_SEARCHED_DESCRIPTION = 500;
/** Longer queries are cut: nothing is named like that, and the fuzzy pass is linear in the query. */
const MAX_QUERY = 200;
/** How many occurrences of each word `rarest` looks at, at most. */
const RAREST_ROUNDS = 256;
const SEPARATOR = /[\u0000\u0001]/;
const SEPARATORS = /[\u0000\u0001]/g;

interface Entry {
  ref: string;
  name: string;
  /** The display name (else the name), lower case. */
  title: string;
  /** Name, title, tags, owner and description, lower case, apart by U+0001 (a query never holds one). */
  text: string;
  sort: string;
  /** The characters of name and title (see `mask`): most fuzzy candidates fail on it without a scan. */
  mask: number;
  /** Replaced by a newer entry, or its entity is gone: skipped until the layout is made again. */
  stale?: boolean;
}

interface Hit {
  entry: Entry;
  rank: number;
}

/**
 * The entries laid out for a query: their texts in one string (one native `indexOf` pass finds every
 * entity holding the query, far faster than a call per entity) with where each starts.
 */
interface Layout {
  list: Entry[];
  all: string;
  starts: Int32Array;
  /** Entries made since (an edit, a refresh), looked at one by one until there are too many. */
  extra: Entry[];
}

/** Beyond this many entries made since the layout, it is made again (joining 100,000 texts takes tens of ms). */
const MAX_EXTRA = 2000;

/** A bit per letter, one for digits, one for '-', one for anything else. */
function mask(text: string): number {
  let m = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    m |= c >= 97 && c <= 122 ? 1 << (c - 97) : c >= 48 && c <= 57 ? 1 << 26 : c === 45 ? 1 << 27 : 1 << 28;
  }
  return m;
}

export class EntitySearch {
  private entries: Map<string, Entry> | undefined;
  private layout: Layout | undefined;
  private readonly changes: ChangedRefs;

  constructor(private readonly index: CatalogIndex) {
    this.changes = new ChangedRefs(index);
  }

  private entryOf(p: Placement, labels: Labels): Entry {
    const r = p.record;
    const owner = occurrence(p, 'owner');
    const ownerText = owner ? `${owner.written} ${owner.target ? labels.of(owner.target) : ''}` : '';
    const name = r.name.toLowerCase();
    // The display name (the name when there is none): the label, and the sort key.
    const title = sortKey(p);
    const parts = [name, title, r.tags.join(' '), ownerText, (r.description ?? '').slice(0, MAX_SEARCHED_DESCRIPTION)];
    // The separators are ours alone: a value holding one would let a match run across fields.
    const text = (parts.some((x) => SEPARATOR.test(x)) ? parts.map((x) => x.replace(SEPARATORS, ' ')) : parts).join('\u0001').toLowerCase();
    return { ref: r.ref, name, title, text, sort: title, mask: mask(name) | mask(title) };
  }

  private set(ref: string, labels: Labels): void {
    const old = this.entries!.get(ref);
    if (old) old.stale = true;
    const p = this.index.first(ref);
    if (!p) {
      this.entries!.delete(ref);
      return;
    }
    const e = this.entryOf(p, labels);
    this.entries!.set(ref, e);
    this.layout?.extra.push(e);
  }

  /** The entries, made on first use and then brought up to date with what changed. */
  private table(): Layout {
    if (!this.entries) {
      this.changes.start();
      this.entries = new Map();
      const labels = new Labels(this.index);
      for (const p of winners(this.index)) this.entries.set(p.record.ref, this.entryOf(p, labels));
    } else {
      const changed = this.changes.take();
      for (const ref of [...changed]) {
        // What an entity owns is found by its owner's display name too.
        if (ref.startsWith('group:') || ref.startsWith('user:')) for (const r of this.index.referrers(ref, 'owner')) changed.add(r.placement.record.ref);
      }
      const labels = new Labels(this.index);
      for (const ref of changed) this.set(ref, labels);
      if (this.layout && this.layout.extra.length > MAX_EXTRA) this.layout = undefined;
    }
    if (!this.layout) {
      const list = [...this.entries.values()];
      const starts = new Int32Array(list.length + 1);
      let at = 0;
      for (let i = 0; i < list.length; i++) {
        starts[i] = at;
        at += list[i].text.length + 1;
      }
      starts[list.length] = at;
      this.layout = { list, all: list.map((e) => e.text).join('\u0000'), starts, extra: [] };
    }
    return this.layout;
  }

  /** The best `limit` matches and how many entities match in all. */
  find(query: string, limit = DEFAULT_LIMIT): { nodes: CatalogNode[]; total: number } {
    const max = Math.max(0, Math.min(MAX_LIMIT, Math.floor(Number.isFinite(limit) ? limit : DEFAULT_LIMIT)));
    const q = query
      .slice(0, MAX_QUERY)
      .toLowerCase()
      .replace(/[\s\u0000-\u001f]+/g, ' ')
      .trim();
    const words = q.split(' ').filter(Boolean);
    const letters = q.replace(/ /g, '');
    const { list, all, starts, extra } = this.table();
    const best: Hit[] = [];
    // With nothing typed, the whole catalog in label order.
    const compare = q ? compareHits : byLabel;
    let total = 0;
    const consider = (entry: Entry, rank: number): void => {
      total++;
      // Most candidates lose to the last of the best: rejected without making anything.
      if (best.length === max && (!max || compare(rank, entry, best[max - 1].rank, best[max - 1].entry) >= 0)) return;
      insert(best, { entry, rank }, compare);
      if (best.length > max) best.pop();
    };
    if (!q) {
      for (const entry of list) if (!entry.stale) consider(entry, 0);
      for (const entry of extra) if (!entry.stale) consider(entry, 0);
    } else {
      // Every entity holding the query (or its rarest word) is found in one pass over all the texts.
      const needle = rarest(all, words);
      const seen = new Uint8Array(list.length);
      // A ref typed out in full (the texts hold names, not refs).
      const exact = this.entries!.get(q);
      if (exact) consider(exact, 0);
      // The matches come in order, so the entry of each is found by walking on from the last.
      // A one-word query is held by every entity found by it: once the list is full, its rank is wanted
      // only as far as the last of the list (most of 100,000 stop after a test or two).
      const upTo = (): number => (words.length === 1 && max && best.length === max ? best[max - 1].rank : 6);
      const m = mask(letters);
      const fuzzy = (e: Entry): boolean => letters.length > 1 && (e.mask & m) === m && (inOrder(letters, e.name) || inOrder(letters, e.title));
      let i = 0;
      for (let at = all.indexOf(needle); at !== -1; ) {
        while (starts[i + 1] <= at) i++;
        seen[i] = 1;
        const e = list[i];
        const rank = e.stale || e === exact ? -1 : rankOf(e, q, words, upTo());
        if (rank >= 0) consider(e, rank);
        at = all.indexOf(needle, starts[i + 1]);
      }
      if (letters.length > 1) {
        for (let i = 0; i < list.length; i++) {
          const e = list[i];
          if (!seen[i] && !e.stale && e !== exact && fuzzy(e)) consider(e, 7);
        }
      }
      for (const e of extra) {
        if (e.stale || e === exact) continue;
        const rank = e.text.includes(needle) ? rankOf(e, q, words, upTo()) : fuzzy(e) ? 7 : -1;
        if (rank >= 0) consider(e, rank);
      }
    }
    const labels = new Labels(this.index);
    const nodes: CatalogNode[] = [];
    for (const h of best) {
      const p = this.index.first(h.entry.ref);
      if (p) nodes.push(entityNode(this.index, p, labels));
    }
    return { nodes, total };
  }
}

/**
 * The word of a query that occurs least in the texts: the others are checked only where it occurs. The
 * words are looked up side by side, one occurrence each in turn: the first to run out is the rarest; after
 * a few hundred rounds, the one that had to go furthest for as many occurrences is (about) the sparsest.
 */
function rarest(all: string, words: string[]): string {
  if (words.length === 1) return words[0];
  const at = words.map((w) => all.indexOf(w));
  for (let round = 0; round < RAREST_ROUNDS; round++) {
    for (let i = 0; i < words.length; i++) {
      if (at[i] === -1) return words[i];
      at[i] = all.indexOf(words[i], at[i] + words[i].length);
    }
  }
  let best = 0;
  for (let i = 1; i < words.length; i++) if (at[i] > at[best]) best = i;
  return words[best];
}

/**
 * How well an entity holding the query's rarest word matches (0 best, 7 is left to the fuzzy pass), or -1.
 * Past `upTo` it stops looking: the rank it returns then is only a bound (the entity cannot make the list).
 */
export function rankOf(e: Entry, q: string, words: string[], upTo = 6): number {
  if (e.name === q || e.ref === q) return 0;
  if (upTo < 1) return 1;
  if (e.name.startsWith(q)) return 1;
  if (upTo < 2) return 2;
  if (e.title.startsWith(q)) return 2;
  if (upTo < 3) return 3;
  if (e.name.includes(q)) return 3;
  if (upTo < 4) return 4;
  if (e.title.includes(q)) return 4;
  if (upTo < 5) return 5;
  if (e.text.includes(q)) return 5;
  if (words.length > 1 && words.every((w) => e.text.includes(w))) return 6;
  return -1;
}

/** The letters of `needle` appear in `hay` in order. */
function inOrder(needle: string, hay: string): boolean {
  if (needle.length > hay.length) return false;
  let i = 0;
  for (let j = 0; j < hay.length && i < needle.length; j++) if (hay.charCodeAt(j) === needle.charCodeAt(i)) i++;
  return i === needle.length;
}

type Compare = (rankA: number, a: Entry, rankB: number, b: Entry) => number;

const compareHits: Compare = (rankA, a, rankB, b) => rankA - rankB || a.name.length - b.name.length || byLabel(rankA, a, rankB, b);

const byLabel: Compare = (_ra, a, _rb, b) => compareKeys(a.sort, b.sort) || compareKeys(a.ref, b.ref);

/** Inserts a hit in a sorted list (binary search: the list is short, the candidates many). */
function insert(list: Hit[], hit: Hit, compare: Compare): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compare(list[mid].rank, list[mid].entry, hit.rank, hit.entry) <= 0) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, hit);
}
