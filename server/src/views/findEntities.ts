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
import type { CatalogIndex } from '../catalog/catalogIndex';
import { displayName } from '../catalog/relations';
import type { CatalogNode } from '../protocol';
import { allRefs, ChangedRefs } from './changes';
import { compareKeys, entityNode, labelOfRef, Labels, occurrence, sortKey } from './nodes';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 1000;
/** How much of a description is searched (a store may hold very long ones). */
const MAX_SEARCHED_DESCRIPTION = 500;
/** Longer queries are cut: nothing is named like that, and the fuzzy pass is linear in the query. */
const MAX_QUERY = 200;

interface Entry {
  ref: string;
  name: string;
  /** The display name, lower case. */
  title: string;
  /** Name, title, tags, owner and description, lower case, apart by U+0001 (a query never holds one). */
  text: string;
  sort: string;
  /** The characters of name and title (see `mask`): most fuzzy candidates fail on it without a scan. */
  mask: number;
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
}

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

  private entryOf(ref: string): Entry | undefined {
    const p = this.index.first(ref);
    if (!p) return undefined;
    const r = p.record;
    const owner = occurrence(p, 'owner');
    const ownerText = owner ? `${owner.written} ${owner.target ? labelOfRef(this.index, owner.target) : ''}` : '';
    const description = (r.description ?? '').slice(0, MAX_SEARCHED_DESCRIPTION);
    const name = r.name.toLowerCase();
    const title = (displayName(p) ?? '').toLowerCase();
    // The separators are ours alone: a value holding one would let a match run across fields.
    const text = [name, title, r.tags.join(' '), ownerText, description].map((x) => x.toLowerCase().replace(/[\u0000\u0001]/g, ' ')).join('\u0001');
    return { ref, name, title, text, sort: sortKey(p), mask: mask(name) | mask(title) };
  }

  private set(ref: string): void {
    const e = this.entryOf(ref);
    if (e) this.entries!.set(ref, e);
    else this.entries!.delete(ref);
  }

  /** The entries, made on first use and then brought up to date with what changed. */
  private table(): Layout {
    if (!this.entries) {
      this.changes.start();
      this.entries = new Map();
      for (const ref of allRefs(this.index)) this.set(ref);
    } else {
      const changed = this.changes.take();
      for (const ref of [...changed]) {
        // What an entity owns is found by its owner's display name too.
        if (ref.startsWith('group:') || ref.startsWith('user:')) for (const r of this.index.referrers(ref, 'owner')) changed.add(r.placement.record.ref);
      }
      for (const ref of changed) this.set(ref);
      if (changed.size) this.layout = undefined;
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
      this.layout = { list, all: list.map((e) => e.text).join('\u0000'), starts };
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
    const { list, all, starts } = this.table();
    const best: Hit[] = [];
    // With nothing typed, the whole catalog in label order.
    const compare = q ? compareHits : byLabel;
    let total = 0;
    const consider = (entry: Entry, rank: number): void => {
      total++;
      if (best.length === max && (!max || compare({ entry, rank }, best[max - 1]) >= 0)) return;
      insert(best, { entry, rank }, compare);
      if (best.length > max) best.pop();
    };
    if (!q) for (const entry of list) consider(entry, 0);
    else {
      // Every entity holding the query (or its longest word) is found in one pass over all the texts.
      const needle = words.reduce((a, b) => (b.length > a.length ? b : a));
      const seen = new Uint8Array(list.length);
      // A ref typed out in full (the texts hold names, not refs).
      const exact = this.entries!.get(q);
      if (exact) consider(exact, 0);
      for (let at = all.indexOf(needle); at !== -1; ) {
        const i = entryAt(starts, at);
        seen[i] = 1;
        if (list[i] === exact) continue;
        const rank = rankOf(list[i], q, words);
        if (rank >= 0) consider(list[i], rank);
        at = all.indexOf(needle, starts[i + 1]);
      }
      if (letters.length > 1) {
        const m = mask(letters);
        for (let i = 0; i < list.length; i++) {
          const e = list[i];
          if (!seen[i] && e !== exact && (e.mask & m) === m && (inOrder(letters, e.name) || inOrder(letters, e.title))) consider(e, 7);
        }
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

/** The entry whose text holds the offset `at` of the joined texts. */
function entryAt(starts: Int32Array, at: number): number {
  let lo = 0;
  let hi = starts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** How well an entity holding the query's longest word matches (0 best, 7 is left to the fuzzy pass), or -1. */
export function rankOf(e: Entry, q: string, words: string[]): number {
  if (e.name === q || e.ref === q) return 0;
  if (e.name.startsWith(q)) return 1;
  if (e.title.startsWith(q)) return 2;
  if (e.name.includes(q)) return 3;
  if (e.title.includes(q)) return 4;
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

function compareHits(a: Hit, b: Hit): number {
  return a.rank - b.rank || a.entry.name.length - b.entry.name.length || byLabel(a, b);
}

function byLabel(a: Hit, b: Hit): number {
  return compareKeys(a.entry.sort, b.entry.sort) || compareKeys(a.entry.ref, b.entry.ref);
}

/** Inserts a hit in a sorted list (binary search: the list is short, the candidates many). */
function insert(list: Hit[], hit: Hit, compare: (a: Hit, b: Hit) => number): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compare(list[mid], hit) <= 0) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, hit);
}
