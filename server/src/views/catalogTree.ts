/**
 * The Catalog view: entities grouped by owner, system, domain or kind, children loaded lazily. Each
 * grouping is made from the whole index on its first request, then kept current from the refs the index
 * reports changed, so opening a group of 10,000 entities costs the nodes it returns (sorted on the first
 * opening, kept in order from then on), not a pass over the catalog. My Team reads the owner grouping too.
 *
 * Where an entity goes, from its winning definition:
 * - owner: its spec.owner; a Group without one under its parent, a User under its first team (the org chart);
 * - system: its spec.system;
 * - domain: a System's spec.domain, a Domain's parent domain, anything else through its system's domain;
 * - kind: its kind.
 * Entities with none of these go to `(no owner)`, `(no system)`, `(no domain)`.
 */
import type { CatalogIndex, Placement } from '../catalog/catalogIndex';
import type { CatalogNode, GroupBy } from '../protocol';
import { ChangedRefs, winners } from './changes';
import { compareKeys, entityNode, isDegraded, kindOfRef, labelOfRef, Labels, occurrence, sortKey } from './nodes';

export const GROUP_BYS: readonly GroupBy[] = ['owner', 'system', 'domain', 'kind'];

/** The key of the group for entities that have none. */
export const NONE = '(none)';

export function groupId(groupBy: GroupBy, key: string): string {
  return `group:${groupBy}:${key}`;
}

/** The grouping and key of a group node's id, or undefined for another id. */
export function parseGroupId(id: string): { groupBy: GroupBy; key: string } | undefined {
  const m = /^group:(owner|system|domain|kind):(.+)$/s.exec(id);
  return m ? { groupBy: m[1] as GroupBy, key: m[2] } : undefined;
}

/** Where an entity goes in a grouping: the key (a ref, or a lower-case kind) and what the key's kind is. */
export function groupKey(index: CatalogIndex, p: Placement, groupBy: GroupBy): { key: string; kind?: string } {
  const r = p.record;
  const via = (field: string): { key: string; kind?: string } | undefined => {
    const o = occurrence(p, field);
    return o?.target ? { key: o.target, kind: o.targetKind } : undefined;
  };
  let found: { key: string; kind?: string } | undefined;
  if (groupBy === 'kind') return { key: r.kind.toLowerCase(), kind: r.kind };
  if (groupBy === 'owner') found = via('owner') ?? (r.kind === 'Group' ? via('parent') : r.kind === 'User' ? via('memberOf') : undefined);
  else if (groupBy === 'system') found = via('system');
  else if (r.kind === 'System') found = via('domain');
  else if (r.kind === 'Domain') found = via('subdomainOf');
  else {
    const system = occurrence(p, 'system')?.target;
    const sp = system ? index.first(system) : undefined;
    const d = sp && occurrence(sp, 'domain');
    if (d?.target) found = { key: d.target, kind: d.targetKind };
  }
  return found ?? { key: NONE };
}

interface Member {
  ref: string;
  key: string;
  /** The winning definition (a change of it reports the ref, so it is current after `sync`). */
  p: Placement;
  counted: boolean;
  /** Its label's sort key, made when its group is first sorted (most groups of a large catalog never are). */
  sort?: string;
  /** Owner grouping: it is here by its spec.owner (not as a team under its parent, a user in a team). */
  owned: boolean;
  /** Its place in its group's `members`. */
  at: number;
}

interface Group {
  /** In no order (taken out by swapping with the last). */
  members: Member[];
  /** Members not quarantined. */
  counted: number;
  /** The key's kind as the references wrote it (for a key not in the index) or the kind's own spelling. */
  kind?: string;
  /** The members in label order, made on first expansion and kept in order from then on. */
  sorted?: Member[];
}

const sortOf = (m: Member): string => (m.sort ??= sortKey(m.p));
const byLabel = (a: Member, b: Member): number => compareKeys(sortOf(a), sortOf(b)) || compareKeys(a.ref, b.ref);

/** Where `m` is or goes in a sorted list. */
function slot(list: Member[], m: Member): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (byLabel(list[mid], m) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Beyond this many changes at once, groups are sorted again when opened rather than kept in order one by one. */
const KEEP_ORDER_MAX = 256;

function sortTop(nodes: CatalogNode[], none?: CatalogNode): CatalogNode[] {
  nodes.sort((a, b) => compareKeys(a.label.toLowerCase(), b.label.toLowerCase()) || compareKeys(a.id, b.id));
  if (none) nodes.push(none);
  return nodes;
}

function kindNode(key: string, kind: string | undefined, count: number): CatalogNode {
  return { id: groupId('kind', key), type: 'group', label: kind ?? key, description: 'Kind', kind: 'Kind', count };
}

/**
 * The kind grouping's group nodes without the grouping: what `new Grouping(index, 'kind').top()` gives,
 * from one pass that makes no object per entity. The Catalog view opens on it after a warm start, and a
 * grouping of 100,000 members waits until a group is expanded.
 */
function kindTop(index: CatalogIndex): CatalogNode[] {
  const groups = new Map<string, { kind: string; counted: number }>();
  const keys = new Map<string, string>();
  for (const p of winners(index)) {
    const kind = p.record.kind;
    let key = keys.get(kind);
    if (key === undefined) keys.set(kind, (key = kind.toLowerCase()));
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { kind, counted: 0 }));
    if (!isDegraded(p)) g.counted++;
  }
  return sortTop([...groups].map(([key, g]) => kindNode(key, g.kind, g.counted)));
}

class Grouping {
  readonly members = new Map<string, Member>();
  readonly groups = new Map<string, Group>();
  readonly changes: ChangedRefs;

  constructor(
    private readonly index: CatalogIndex,
    readonly groupBy: GroupBy,
  ) {
    this.changes = new ChangedRefs(index);
    this.changes.start();
    for (const p of winners(index)) this.put(p, false);
  }

  /** The kind grouping's key of a kind, one per kind (not one string and object per entity). */
  private readonly kindKeys = new Map<string, { key: string; kind: string }>();
  private kindKey(kind: string): { key: string; kind: string } {
    let k = this.kindKeys.get(kind);
    if (!k) this.kindKeys.set(kind, (k = { key: kind.toLowerCase(), kind }));
    return k;
  }

  /** Applies what changed in the index since the last request. */
  sync(): void {
    const changed = this.changes.take();
    if (!changed.size) return;
    if (this.groupBy === 'domain') {
      // The parts of a System change domain with it.
      for (const ref of [...changed]) if (ref.startsWith('system:')) for (const r of this.index.referrers(ref, 'system')) changed.add(r.placement.record.ref);
    }
    const keepOrder = changed.size <= KEEP_ORDER_MAX;
    for (const ref of changed) this.place(ref, keepOrder);
  }

  /** Puts an entity where its winning definition says (or takes it out when it is gone). */
  private place(ref: string, keepOrder: boolean): void {
    const old = this.members.get(ref);
    if (old) {
      const g = this.groups.get(old.key)!;
      const last = g.members.pop()!;
      if (last !== old) g.members[(last.at = old.at)] = last;
      if (old.counted) g.counted--;
      if (g.sorted && keepOrder) g.sorted.splice(slot(g.sorted, old), 1);
      else g.sorted = undefined;
      if (!g.members.length) this.groups.delete(old.key);
      this.members.delete(ref);
    }
    const p = this.index.first(ref);
    if (p) this.put(p, keepOrder);
  }

  /** Adds the winning definition of an entity that is not in the grouping. */
  private put(p: Placement, keepOrder: boolean): void {
    const ref = p.record.ref;
    const { key, kind } = this.groupBy === 'kind' ? this.kindKey(p.record.kind) : groupKey(this.index, p, this.groupBy);
    const owned = this.groupBy === 'owner' && occurrence(p, 'owner')?.target === key;
    let g = this.groups.get(key);
    if (!g) this.groups.set(key, (g = { members: [], counted: 0, kind }));
    const member: Member = { ref, key, p, counted: !isDegraded(p), sort: undefined, owned, at: g.members.length };
    g.members.push(member);
    if (member.counted) g.counted++;
    if (g.sorted && keepOrder) g.sorted.splice(slot(g.sorted, member), 0, member);
    else g.sorted = undefined;
    this.members.set(ref, member);
  }

  /** The group nodes, by label, the group of entities without a key last. */
  top(): CatalogNode[] {
    const nodes: CatalogNode[] = [];
    let none: CatalogNode | undefined;
    for (const [key, g] of this.groups) {
      const node = this.groupNode(key, g);
      if (key === NONE) none = node;
      else nodes.push(node);
    }
    return sortTop(nodes, none);
  }

  private groupNode(key: string, g: Group): CatalogNode {
    const id = groupId(this.groupBy, key);
    if (key === NONE) return { id, type: 'group', label: `(no ${this.groupBy})`, kind: this.groupBy === 'owner' ? 'Group' : this.groupBy === 'system' ? 'System' : 'Domain', count: g.counted };
    if (this.groupBy === 'kind') return kindNode(key, g.kind, g.counted);
    const kind = kindOfRef(this.index, key, g.kind);
    return { id, type: 'group', label: labelOfRef(this.index, key), description: kind, kind, count: g.counted, ref: key };
  }

  /** The entity nodes of one group (those its spec.owner puts there, with `owned`), by label. */
  children(key: string, owned = false): CatalogNode[] {
    const g = this.groups.get(key);
    if (!g) return [];
    g.sorted ??= g.members.slice().sort(byLabel);
    const labels = new Labels(this.index);
    const out: CatalogNode[] = [];
    for (const m of g.sorted) if (!owned || m.owned) out.push(entityNode(this.index, m.p, labels));
    return out;
  }

  /** How many of a group's members its spec.owner puts there, quarantined ones left out. */
  ownedCount(key: string): number {
    let n = 0;
    for (const m of this.groups.get(key)?.members ?? []) if (m.owned && m.counted) n++;
    return n;
  }
}

/** The Catalog view's queries over one index; groupings are made on first use and kept current. */
export class CatalogTree {
  private readonly groupings = new Map<GroupBy, Grouping>();
  /** The kind grouping's top level while there is no kind grouping, and the index version it is of. */
  private kinds?: { version: number; nodes: CatalogNode[] };

  constructor(private readonly index: CatalogIndex) {}

  private grouping(groupBy: GroupBy): Grouping {
    let g = this.groupings.get(groupBy);
    if (!g) this.groupings.set(groupBy, (g = new Grouping(this.index, groupBy)));
    else g.sync();
    return g;
  }

  /** The group nodes without `parent`; a group's entity nodes with a group id; nothing under an entity. */
  children(groupBy: GroupBy, parent?: string): CatalogNode[] {
    if (!GROUP_BYS.includes(groupBy)) return [];
    if (parent === undefined) {
      if (groupBy === 'kind' && !this.groupings.has('kind')) {
        if (this.kinds?.version !== this.index.version) this.kinds = { version: this.index.version, nodes: kindTop(this.index) };
        // A copy: the caller may change what it is given.
        return this.kinds.nodes.map((n) => ({ ...n }));
      }
      return this.grouping(groupBy).top();
    }
    const id = parseGroupId(parent);
    return id ? this.grouping(id.groupBy).children(id.key) : [];
  }

  /** The entities whose spec.owner is `owner` (their winning definitions), by label. */
  owned(owner: string): CatalogNode[] {
    return this.grouping('owner').children(owner.toLowerCase(), true);
  }

  /** How many entities `owner` owns, quarantined ones left out. */
  ownedCount(owner: string): number {
    return this.grouping('owner').ownedCount(owner.toLowerCase());
  }
}
