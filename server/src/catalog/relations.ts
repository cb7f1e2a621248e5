/** Relations computed from the index in both directions, and the walks built on them. */
import type { CatalogIndex, Placement } from './catalogIndex';

/** Each relation and its reverse, as Backstage names them. */
export const REVERSE_RELATION: Readonly<Record<string, string>> = {
  ownedBy: 'ownerOf',
  ownerOf: 'ownedBy',
  dependsOn: 'dependencyOf',
  dependencyOf: 'dependsOn',
  partOf: 'hasPart',
  hasPart: 'partOf',
  providesApi: 'apiProvidedBy',
  apiProvidedBy: 'providesApi',
  consumesApi: 'apiConsumedBy',
  apiConsumedBy: 'consumesApi',
  memberOf: 'hasMember',
  hasMember: 'memberOf',
  parentOf: 'childOf',
  childOf: 'parentOf',
};

export interface Relation {
  type: string;
  target: string;
}

/** Every relation of an entity, outgoing (from its spec) and incoming (from the specs of others, reversed). */
export function relationsOf(index: CatalogIndex, ref: string): Relation[] {
  const out: Relation[] = [];
  const seen = new Map<string, Set<string>>();
  const add = (type: string, target: string): void => {
    let targets = seen.get(type);
    if (!targets) seen.set(type, (targets = new Set()));
    if (!targets.has(target)) {
      targets.add(target);
      out.push({ type, target });
    }
  };
  for (const p of index.get(ref)) for (const o of p.record.refs) if (o.target) add(o.relation, o.target);
  for (const r of index.referrers(ref)) add(REVERSE_RELATION[r.occurrence.relation] ?? r.occurrence.relation, r.placement.record.ref);
  return out;
}

/**
 * One relation of an entity from the spec fields that make it: its own `ownField` references, and the
 * entities whose `reverseField` refers to it (e.g. parent and children for childOf). Cheaper than
 * `relationsOf` for an entity with thousands of incoming references.
 */
export function relatedVia(index: CatalogIndex, ref: string, ownField: string | undefined, reverseField: string | undefined): string[] {
  const out = new Set<string>();
  if (ownField) for (const p of index.get(ref)) for (const o of p.record.refs) if (o.field === ownField && o.target) out.add(o.target);
  if (reverseField) for (const r of index.referrers(ref, reverseField)) out.add(r.placement.record.ref);
  return [...out];
}

/** Relations by which a target is used: whoever has these towards X is a dependent of X. */
const DEPENDENT_RELATIONS = new Set(['dependencyOf', 'apiConsumedBy', 'hasPart']);

/**
 * The direct dependents of an entity; consumers of the APIs it provides count as its own consumers. Read
 * from the entity's own references and the references to it, without building all its relations: a walk
 * over ten thousand dependents calls this ten thousand times.
 */
export function directDependents(index: CatalogIndex, ref: string): { ref: string; via: string }[] {
  const out: { ref: string; via: string }[] = [];
  for (const p of index.get(ref)) {
    for (const o of p.record.refs) {
      if (!o.target) continue;
      if (DEPENDENT_RELATIONS.has(o.relation)) out.push({ ref: o.target, via: o.relation });
      else if (o.relation === 'providesApi') for (const c of index.referrers(o.target, 'consumesApis')) out.push({ ref: c.placement.record.ref, via: 'consumesProvidedApi' });
    }
  }
  for (const r of index.referrers(ref)) {
    const type = REVERSE_RELATION[r.occurrence.relation] ?? r.occurrence.relation;
    if (DEPENDENT_RELATIONS.has(type)) out.push({ ref: r.placement.record.ref, via: type });
  }
  return out;
}

/**
 * The transitive dependents of an entity: what depends on it, consumes it (or the APIs it provides), or
 * is part of it, and so on. For a System or Domain, the walk starts from all its parts. At most `limit`,
 * nearest first.
 */
export function blastRadius(index: CatalogIndex, ref: string, limit = 10000): { ref: string; depth: number; via: string }[] {
  const result: { ref: string; depth: number; via: string }[] = [];
  const seen = new Set<string>([ref]);
  let frontier = [ref];
  for (let depth = 1; frontier.length; depth++) {
    const next: string[] = [];
    for (const r of frontier) {
      for (const d of directDependents(index, r)) {
        if (seen.has(d.ref)) continue;
        if (result.length === limit) return result;
        seen.add(d.ref);
        next.push(d.ref);
        result.push({ ref: d.ref, depth, via: d.via });
      }
    }
    frontier = next;
  }
  return result;
}

/**
 * The parents of a Group: its spec.parent, and the Groups that list it among their children. Sorted: the
 * referrers come in the order they were indexed, and the loop a walk finds first must not depend on it.
 */
function parentsOf(index: CatalogIndex, ref: string): string[] {
  return relatedVia(index, ref, 'parent', 'children').sort();
}

/** A parent/children loop through a Group, as the list of refs around it, or undefined; `seen` collects the groups walked. */
export function groupCycle(index: CatalogIndex, ref: string, max = 1000, seen?: Set<string>): string[] | undefined {
  const path = [ref];
  const onPath = new Set(path);
  const visit = (r: string): string[] | undefined => {
    if (path.length > max) return undefined;
    seen?.add(r);
    for (const parent of parentsOf(index, r)) {
      seen?.add(parent);
      if (parent === ref) return [...path, ref];
      if (onPath.has(parent)) continue;
      path.push(parent);
      onPath.add(parent);
      const found = visit(parent);
      if (found) return found;
      path.pop();
      onPath.delete(parent);
    }
    return undefined;
  };
  return visit(ref);
}

/**
 * The shortest correct way to refer to an entity from an entity in `fromNamespace`, in a field whose
 * default kind is `defaultKind`; with `typed`, the kind is always written (as the typedOwner policy asks).
 */
export function shortestRef(target: { kind: string; namespace: string; name: string }, defaultKind: string | undefined, fromNamespace: string, typed = false): string {
  const ns = target.namespace.toLowerCase() !== fromNamespace.toLowerCase() ? `${target.namespace}/` : '';
  const kind = !typed && defaultKind && target.kind.toLowerCase() === defaultKind.toLowerCase() ? '' : `${target.kind.toLowerCase()}:`;
  return `${kind}${ns}${target.name}`;
}

/** The display name of an entity: profile.displayName, title, or name. */
export function displayName(p: Placement | undefined): string | undefined {
  if (!p) return undefined;
  return p.record.profile?.displayName ?? p.record.title ?? p.record.name;
}
