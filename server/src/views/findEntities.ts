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
import { compareKeys, entityNode, labelOfRef, occurrence, sortKey } from './nodes';

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
  /** Tags, owner and description, lower case. */
  rest: string;
  sort: string;
}

interface Hit {
  entry: Entry;
  rank: number;
}

export class EntitySearch {
  private entries: Map<string, Entry> | undefined;
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
    return { ref, name: r.name.toLowerCase(), title: (displayName(p) ?? '').toLowerCase(), rest: `${r.tags.join(' ')}\u0001${ownerText}\u0001${description}`.toLowerCase(), sort: sortKey(p) };
  }

  private set(ref: string): void {
    const e = this.entryOf(ref);
    if (e) this.entries!.set(ref, e);
    else this.entries!.delete(ref);
  }

  /** The table, made on first use and then brought up to date with what changed. */
  private table(): Map<string, Entry> {
    if (!this.entries) {
      this.changes.start();
      this.entries = new Map();
      for (const ref of allRefs(this.index)) this.set(ref);
      return this.entries;
    }
    const changed = this.changes.take();
    for (const ref of [...changed]) {
      // What an entity owns is found by its owner's display name too.
      if (ref.startsWith('group:') || ref.startsWith('user:')) for (const r of this.index.referrers(ref, 'owner')) changed.add(r.placement.record.ref);
    }
    for (const ref of changed) this.set(ref);
    return this.entries;
  }

  /** The best `limit` matches and how many entities match in all. */
  find(query: string, limit = DEFAULT_LIMIT): { nodes: CatalogNode[]; total: number } {
    const max = Math.max(0, Math.min(MAX_LIMIT, Math.floor(Number.isFinite(limit) ? limit : DEFAULT_LIMIT)));
    const q = query.slice(0, MAX_QUERY).trim().toLowerCase().replace(/\s+/g, ' ');
    const words = q.split(' ').filter(Boolean);
    const letters = q.replace(/ /g, '');
    const best: Hit[] = [];
    // With nothing typed, the whole catalog in label order.
    const compare = q ? compareHits : byLabel;
    let total = 0;
    for (const entry of this.table().values()) {
      const rank = q ? rankOf(entry, q, words, letters) : 0;
      if (rank < 0) continue;
      total++;
      if (best.length === max && (!max || compare({ entry, rank }, best[max - 1]) >= 0)) continue;
      insert(best, { entry, rank }, compare);
      if (best.length > max) best.pop();
    }
    const nodes: CatalogNode[] = [];
    for (const h of best) {
      const p = this.index.first(h.entry.ref);
      if (p) nodes.push(entityNode(this.index, p));
    }
    return { nodes, total };
  }
}

/** How well an entity matches (0 best), or -1. */
export function rankOf(e: Entry, q: string, words: string[], letters: string): number {
  if (e.name === q || e.ref === q) return 0;
  if (e.name.startsWith(q)) return 1;
  if (e.title.startsWith(q)) return 2;
  if (e.name.includes(q)) return 3;
  if (e.title.includes(q)) return 4;
  if (e.rest.includes(q)) return 5;
  if (words.length > 1 && words.every((w) => e.name.includes(w) || e.title.includes(w) || e.rest.includes(w))) return 6;
  if (letters.length > 1 && (inOrder(letters, e.name) || inOrder(letters, e.title))) return 7;
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
