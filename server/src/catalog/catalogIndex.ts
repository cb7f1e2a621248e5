/**
 * The one catalog index: every entity the server knows, from every source (workspace files, open editors,
 * a store), with provenance, and the references between them in both directions. Updating a source costs
 * in proportion to what changed in it: records that are the same objects as before are left in place.
 */
import type { EntityRecord, RefOccurrence, RelPosition, RelRange } from './entityRecord';
import { NameTable } from './names';

/** Where an entity comes from. */
export type Provenance = { kind: 'file'; uri: string } | { kind: 'store'; source: string; label: string; url?: string };

/** An entity as placed in a source: the record and where its document starts. */
export interface Placement {
  record: EntityRecord;
  source: string;
  provenance: Provenance;
  /** Offset and 0-based line of the document's chunk in its file (0 for store entities). */
  chunkStart: number;
  chunkLine: number;
  /** Its position among the entities of its source (document order). */
  seq: number;
}

export interface PlacementInput {
  record: EntityRecord;
  chunkStart: number;
  chunkLine: number;
}

/** The file positions of a chunk-relative range. */
export function absolute(p: Placement, r: RelRange): { start: RelPosition; end: RelPosition } {
  return { start: { line: p.chunkLine + r.line, character: r.character }, end: { line: p.chunkLine + r.endLine, character: r.endCharacter } };
}

/** Where a placement's document is in its file's text (offsets): its own text, without the rest of the file. */
export function documentSpan(p: Placement): { start: number; end: number } {
  return { start: p.chunkStart, end: p.chunkStart + p.record.range.end };
}

/** A range in a file of the workspace. */
export interface Place {
  uri: string;
  start: RelPosition;
  end: RelPosition;
}

/** Where a placement's range is in its file; undefined for an entity from a store. */
export function placeOf(p: Placement, r: RelRange): Place | undefined {
  return p.provenance.kind === 'file' ? { uri: p.provenance.uri, ...absolute(p, r) } : undefined;
}

/** A reference as seen from its target: who refers, and with which occurrence. */
export interface Referrer {
  placement: Placement;
  occurrence: RefOccurrence;
}

export class CatalogIndex {
  private readonly bySource = new Map<string, Placement[]>();
  private readonly byRef = new Map<string, Placement[]>();
  /** target ref → spec field → the placements whose field refers to it, and their kinds. */
  private readonly incoming = new Map<string, Map<string, Incoming>>();
  /** lower-case kind → ref → its definitions (the very list `byRef` holds, so a walk by kind needs no lookup). */
  private readonly byKind = new Map<string, Map<string, Placement[]>>();
  private readonly tags = new Map<string, number>();
  private readonly annotationKeys = new Map<string, number>();
  /** Did-you-mean tables per kind, made on first use and kept current from then on. */
  private readonly names = new Map<string, NameTable>();
  private readonly lowerKinds = new Map<string, string>();
  /** Bumped on every change, so derived views know when to refresh. */
  version = 0;
  private readonly listeners: ((changed: ReadonlySet<string>) => void)[] = [];

  /** Calls `listener` with what each update changed (refs, and `to:`, `kind:` and `place:` markers: see `update`). */
  onChange(listener: (changed: ReadonlySet<string>) => void): void {
    this.listeners.push(listener);
  }

  /**
   * Replaces the entities of one source. Returns what changed: the refs whose definitions changed,
   * `to:<ref>` when the references to a ref did, `kind:<kind>` when the refs of a kind did, and `place:<ref>`
   * when a definition of a ref defined more than once moved to other lines (the others' problems show
   * where it is). A record that is the same object as before keeps its placement. A record may be placed
   * more than once (identical documents of a file share one), so each old placement is taken at most once,
   * in document order, and the rest are removed.
   */
  update(source: string, provenance: Provenance, items: readonly PlacementInput[]): Set<string> {
    const changes = new Changes();
    this.replace(source, provenance, items, changes);
    return this.notify(changes);
  }

  /**
   * Replaces the entities of many sources at once, as `update` would one after the other, and tells the
   * listeners once, with everything that changed (the warm start puts 10,000 files in at once).
   */
  updateMany(batch: Iterable<{ source: string; provenance: Provenance; items: readonly PlacementInput[] }>): Set<string> {
    const changes = new Changes();
    for (const b of batch) this.replace(b.source, b.provenance, b.items, changes);
    return this.notify(changes);
  }

  private notify(changes: Changes): Set<string> {
    const changed = changes.all();
    if (changed.size) {
      this.version++;
      for (const l of this.listeners) l(changed);
    }
    return changed;
  }

  private replace(source: string, provenance: Provenance, items: readonly PlacementInput[], changed: Changes): void {
    const old = this.bySource.get(source) ?? [];
    /** Refs defined more than once whose placements here changed rank in the source: their order may change. */
    const reorder = new Set<string>();
    const next: Placement[] = new Array(items.length);
    const kept = (existing: Placement, item: PlacementInput, seq: number): void => {
      const ref = existing.record.ref;
      if ((existing.seq !== seq || existing.chunkLine !== item.chunkLine) && this.byRef.get(ref)!.length > 1) {
        if (existing.seq !== seq) reorder.add(ref);
        // The other definitions' duplicate problems point at this one's lines.
        if (existing.chunkLine !== item.chunkLine) changed.places.add(ref);
      }
      existing.seq = seq;
      existing.chunkStart = item.chunkStart;
      existing.chunkLine = item.chunkLine;
      existing.provenance = provenance;
      next[seq] = existing;
    };
    // An edit changes a few documents of a file: the unchanged ones before and after it are kept in one
    // pass, and only those between are matched by record (so a keystroke costs little in a large file).
    const same = (a: Placement, b: PlacementInput): boolean => a.record === b.record && a.provenance.kind === provenance.kind;
    const n = Math.min(old.length, items.length);
    let head = 0;
    while (head < n && same(old[head], items[head])) head++;
    let tail = 0;
    while (tail < n - head && same(old[old.length - 1 - tail], items[items.length - 1 - tail])) tail++;
    for (let seq = 0; seq < head; seq++) kept(old[seq], items[seq], seq);
    for (let i = 1; i <= tail; i++) kept(old[old.length - i], items[items.length - i], items.length - i);
    const keep = new Map<EntityRecord, Placement[]>();
    for (let i = head; i < old.length - tail; i++) {
      const p = old[i];
      const list = keep.get(p.record);
      if (list) list.push(p);
      else keep.set(p.record, [p]);
    }
    const added: Placement[] = [];
    for (let seq = head; seq < items.length - tail; seq++) {
      const item = items[seq];
      const existing = keep.get(item.record)?.[0];
      if (existing && existing.provenance.kind === provenance.kind) {
        keep.get(item.record)!.shift();
        kept(existing, item, seq);
      } else {
        const p: Placement = { record: item.record, source, provenance, chunkStart: item.chunkStart, chunkLine: item.chunkLine, seq };
        added.push(p);
        next[seq] = p;
      }
    }
    // Additions first: a document edited in place (a new record, the same ref) then never leaves its ref
    // undefined for a moment, which would change the names of its kind for nothing.
    for (const p of added) {
      this.add(p, changed);
      if (this.byRef.get(p.record.ref)!.length > 1) reorder.add(p.record.ref);
    }
    for (const same of keep.values()) for (const p of same) this.remove(p, changed);
    for (const ref of reorder) if (this.sort(ref)) changed.refs.add(ref);
    if (next.length) this.bySource.set(source, next);
    else this.bySource.delete(source);
  }

  /** Puts the definitions of a ref in their order (see `order`); true when that changed it. */
  private sort(ref: string): boolean {
    const list = this.byRef.get(ref);
    if (!list || list.every((p, i) => i === 0 || order(list[i - 1], p) <= 0)) return false;
    const before = [...list];
    list.sort(order);
    return list.some((p, i) => p !== before[i]);
  }

  /** Forgets a source (a deleted file, a store that was turned off). */
  drop(source: string): Set<string> {
    return this.update(source, { kind: 'file', uri: source }, []);
  }

  private add(p: Placement, changed: Changes): void {
    const r = p.record;
    let list = this.byRef.get(r.ref);
    if (list) list.push(p);
    else this.byRef.set(r.ref, (list = [p]));
    const kind = this.lowerKind(r.kind);
    let refs = this.byKind.get(kind);
    if (!refs) this.byKind.set(kind, (refs = new Map()));
    if (refs.get(r.ref) !== list) {
      // The names of a kind changed: did-you-mean suggestions for that kind may too.
      refs.set(r.ref, list);
      this.names.get(kind)?.add(r.ref);
      changed.kinds.add(kind);
    }
    changed.refs.add(r.ref);
    for (const o of r.refs) {
      if (!o.target) continue;
      let fields = this.incoming.get(o.target);
      if (!fields) this.incoming.set(o.target, (fields = new Map()));
      let entry = fields.get(o.field);
      if (!entry) fields.set(o.field, (entry = { placements: new Set(), kinds: new Map() }));
      const set = entry.placements;
      if (!set.has(p)) {
        set.add(p);
        // Counted once per entity, however many times it is defined.
        if (list.length === 1 || !otherIn(list, p, set)) entry.kinds.set(r.kind, (entry.kinds.get(r.kind) ?? 0) + 1);
      }
      changed.to.add(o.target);
    }
    for (const t of r.tags) this.tags.set(t, (this.tags.get(t) ?? 0) + 1);
    for (const k in r.annotations) this.annotationKeys.set(k, (this.annotationKeys.get(k) ?? 0) + 1);
  }

  /** A kind in lower case, one string per kind (not one per entity). */
  private lowerKind(kind: string): string {
    let k = this.lowerKinds.get(kind);
    if (k === undefined) this.lowerKinds.set(kind, (k = kind.toLowerCase()));
    return k;
  }

  private remove(p: Placement, changed: Changes): void {
    const r = p.record;
    const list = this.byRef.get(r.ref);
    if (list) {
      const i = list.indexOf(p);
      if (i !== -1) list.splice(i, 1);
      if (!list.length) {
        const kind = this.lowerKind(r.kind);
        this.byRef.delete(r.ref);
        this.byKind.get(kind)?.delete(r.ref);
        this.names.get(kind)?.remove(r.ref);
        changed.kinds.add(kind);
      }
    }
    changed.refs.add(r.ref);
    for (const o of r.refs) {
      if (!o.target) continue;
      const fields = this.incoming.get(o.target);
      const entry = fields?.get(o.field);
      const set = entry?.placements;
      if (set?.delete(p) && !otherIn(this.byRef.get(r.ref) ?? [], p, set)) decrement(entry!.kinds, r.kind);
      if (set && !set.size) fields!.delete(o.field);
      if (fields && !fields.size) this.incoming.delete(o.target);
      changed.to.add(o.target);
    }
    for (const t of r.tags) decrement(this.tags, t);
    for (const k in r.annotations) decrement(this.annotationKeys, k);
  }

  /**
   * Every definition of a ref (more than one is a conflict: the catalog keeps the first it reads), in an
   * order that does not depend on the order of updates: see `order`.
   */
  get(ref: string): readonly Placement[] {
    return this.byRef.get(ref) ?? [];
  }

  /** The definition that wins: a workspace file over a store, then by uri, then the first in its file. */
  first(ref: string): Placement | undefined {
    return this.byRef.get(ref)?.[0];
  }

  /** Entities whose spec refers to `ref`, with each occurrence (only those of one spec field, when given). */
  referrers(ref: string, field?: string): Referrer[] {
    const out: Referrer[] = [];
    const fields = this.incoming.get(ref);
    if (!fields) return out;
    for (const [f, { placements }] of fields) {
      if (field && f !== field) continue;
      for (const p of placements) for (const o of p.record.refs) if (o.target === ref && o.field === f) out.push({ placement: p, occurrence: o });
    }
    return out;
  }

  /** How many entities of each kind refer to `ref` through the spec field `field`. */
  referrerKinds(ref: string, field: string): ReadonlyMap<string, number> {
    return this.incoming.get(ref)?.get(field)?.kinds ?? EMPTY;
  }

  /** The refs of one kind (lower-case kind name). */
  refsOfKind(kind: string): Iterable<string> {
    return this.byKind.get(kind.toLowerCase())?.keys() ?? [];
  }

  /** The winning definition of every entity, kind by kind (in no order a caller should rely on). */
  *allWinners(): Iterable<Placement> {
    for (const refs of this.byKind.values()) for (const list of refs.values()) yield list[0];
  }

  /** The winning definition of each entity of one kind (lower-case kind name). */
  *winnersOfKind(kind: string): Iterable<Placement> {
    for (const list of this.byKind.get(kind.toLowerCase())?.values() ?? []) yield list[0];
  }

  /** The names of one kind (lower-case kind name), for did-you-mean. */
  namesOfKind(kind: string): NameTable {
    const k = kind.toLowerCase();
    let table = this.names.get(k);
    if (!table) {
      table = new NameTable();
      for (const ref of this.byKind.get(k)?.keys() ?? []) table.add(ref);
      this.names.set(k, table);
    }
    return table;
  }

  placementsOf(source: string): readonly Placement[] {
    return this.bySource.get(source) ?? [];
  }

  sources(): Iterable<string> {
    return this.bySource.keys();
  }

  get size(): number {
    return this.byRef.size;
  }

  /** Tags in use with how many entities carry each. */
  tagCounts(): ReadonlyMap<string, number> {
    return this.tags;
  }

  /** Annotation keys in use with how many entities carry each. */
  annotationKeyCounts(): ReadonlyMap<string, number> {
    return this.annotationKeys;
  }
}

const EMPTY: ReadonlyMap<string, number> = new Map();

/**
 * The order of the definitions of one ref: workspace files before stores, then by source, then in document
 * order. It is the same however the index got there (a fresh read, or edit after edit), so the definition
 * that wins and the messages that list the others are too.
 */
function order(a: Placement, b: Placement): number {
  const rank = (p: Placement): number => (p.provenance.kind === 'file' ? 0 : 1);
  return rank(a) - rank(b) || (a.source < b.source ? -1 : a.source > b.source ? 1 : a.seq - b.seq);
}

/**
 * The entities that refer to a target through one spec field, and how many distinct entities of each kind
 * they are: "owns 4,319 Components" without visiting 4,319 records (each a cache miss on a large heap).
 */
interface Incoming {
  placements: Set<Placement>;
  kinds: Map<string, number>;
}

/** Whether a definition of the same ref other than `p` is in `set`. */
function otherIn(list: readonly Placement[], p: Placement, set: ReadonlySet<Placement>): boolean {
  for (const q of list) if (q !== p && set.has(q)) return true;
  return false;
}

/**
 * What an update changed, gathered as plain refs: the `to:`, `kind:` and `place:` markers are made once
 * per distinct ref at the end, not once per reference (a warm start adds hundreds of thousands).
 */
class Changes {
  readonly refs = new Set<string>();
  readonly to = new Set<string>();
  readonly kinds = new Set<string>();
  readonly places = new Set<string>();

  all(): Set<string> {
    const out = this.refs;
    for (const t of this.to) out.add(`to:${t}`);
    for (const k of this.kinds) out.add(`kind:${k}`);
    for (const p of this.places) out.add(`place:${p}`);
    return out;
  }
}

function decrement<K>(m: Map<K, number>, k: K): void {
  const n = (m.get(k) ?? 0) - 1;
  if (n > 0) m.set(k, n);
  else m.delete(k);
}
