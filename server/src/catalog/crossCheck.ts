/**
 * Checks across the whole catalog, which Backstage itself does not make (it stores dangling references
 * silently and drops a second definition without a word): references to nothing or to the wrong kind,
 * duplicate definitions, deprecated dependencies, lifecycle rules, Group loops.
 */
import { placeOf, type CatalogIndex, type Placement } from './catalogIndex';
import type { RefOccurrence, RelRange } from './entityRecord';
import type { Policies } from './policies';
import { parseRefString } from './refs';
import { groupCycle, shortestRef } from './relations';
import { builtinKind } from './schemas';
import type { Problem, RelatedPlace } from './types';

/** Entities of the right kind and namespace whose names are close to `name`, closest first. */
export function suggestions(index: CatalogIndex, kind: string, namespace: string, name: string, limit = 3): Placement[] {
  return index
    .namesOfKind(kind)
    .closest(namespace, name, limit)
    .map((ref) => index.first(ref))
    .filter((p): p is Placement => !!p);
}

/** 'an API', 'an experimental', but 'a User'. */
const article = (word: string): string => (/^(API|[aeiou])/.test(word) ? 'an' : 'a');
const DEPENDENCY_FIELDS = new Set(['dependsOn', 'consumesApis']);

function describeSource(p: Placement, describeUri: (uri: string) => string): string {
  return p.provenance.kind === 'file' ? describeUri(p.provenance.uri) : `the store ${p.provenance.label}`;
}

/**
 * True when the index holds the whole catalog: it is known to (`known`: a store is connected, or the CLI
 * was told so), or the policies say the files checked are all of it. Only then is a reference that
 * resolves nowhere a mistake; otherwise it may be defined in another repository, and only a near miss
 * (a typo) is reported.
 */
export function isWholeCatalog(policies: Policies, known: boolean): boolean {
  return known || policies.wholeCatalog;
}

/**
 * The cross-catalog problems of the entities of one source (a file), with offsets into that file.
 * `describeUri` turns another file's uri into words for messages (e.g. a workspace-relative path).
 */
export function crossCheck(index: CatalogIndex, placements: readonly Placement[], policies: Policies, describeUri: (uri: string) => string, knownWhole = false): Problem[] {
  const whole = isWholeCatalog(policies, knownWhole);
  return placements.flatMap((p) => shown(p, checkPlacement(index, p, policies, whole, describeUri, new Set())));
}

/** The problems of one entity, relative to its document, as long as what they depend on stays. */
interface Checked {
  problems: Problem[];
  /**
   * The other definitions, when the entity is defined more than once. The duplicate's related places are
   * read from them each time it is shown: an edit above one of them moves it without changing any ref.
   */
  others?: readonly Placement[];
}

/** A checked entity's problems as they are now: offsets into its file, related places where they are. */
function shown(p: Placement, c: Checked): Problem[] {
  return c.problems.map((x) => {
    const out: Problem = { ...x, start: x.start + p.chunkStart, end: x.end + p.chunkStart };
    if (x.code === 'entity-duplicate' && c.others) {
      out.related = c.others.flatMap((o): RelatedPlace[] => {
        const place = o.record.nameRange && placeOf(o, o.record.nameRange);
        return place ? [{ ...place, message: `the other definition of ${p.record.ref}` }] : [];
      });
    }
    return out;
  });
}

/**
 * The problems of one entity, with offsets relative to its document. `deps` receives what they depend on,
 * in the terms of `CatalogIndex.update`'s changes: refs whose definitions matter, `to:<ref>` when the
 * references to a ref matter (a Group loop), `kind:<kind>` when the set of names of a kind matters
 * (did-you-mean), and `place:<ref>` when they show where the other definitions of the entity are.
 */
function checkPlacement(index: CatalogIndex, p: Placement, policies: Policies, whole: boolean, describeUri: (uri: string) => string, deps: Set<string>): Checked {
  const problems: Problem[] = [];
  const severity = policies.referenceSeverity;
  const r = p.record;
  const at = (range: RelRange) => ({ start: range.start, end: range.end });
  deps.add(r.ref);
  // The same entity defined twice.
  // A copy in a store is no duplicate of a workspace file: the workspace wins (docs/store.md).
  const defs = p.provenance.kind === 'file' ? index.get(r.ref).filter((d) => d.provenance.kind === 'file') : index.get(r.ref);
  let others: Placement[] | undefined;
  if (defs.length > 1 && r.nameRange) {
    others = defs.filter((d) => d !== p);
    deps.add(`place:${r.ref}`);
    const where = others.map((o) => describeSource(o, describeUri)).join(', ');
    problems.push({
      code: 'entity-duplicate',
      message: `${r.ref} is defined more than once (also in ${where}); the catalog keeps the first definition it reads and drops the others`,
      severity,
      ...at(r.nameRange),
    });
  }
  for (const o of r.refs) checkReference(index, p, o, policies, whole, problems, at(o.range), deps);
  // A Group loop.
  if (r.kind === 'Group') {
    const walked = new Set<string>();
    const loop = groupCycle(index, r.ref, 1000, walked);
    // The walk read the parents of each group: its own spec.parent, and the groups that list it as a child.
    for (const g of walked) deps.add(g).add(`to:${g}`);
    if (loop) {
      const parentRef = r.refs.find((o) => o.field === 'parent') ?? r.refs.find((o) => o.field === 'children');
      const range = parentRef?.range ?? r.nameRange;
      if (range) problems.push({ code: 'group-cycle', message: `groups form a loop through parent/children: ${loop.map((x) => x.replace(/^group:/, '')).join(' → ')}`, severity, ...at(range) });
    }
  }
  return { problems, others };
}

/**
 * Cross-catalog problems with a cache per entity: an entity is checked again only when something it
 * depends on changed in the index, so an edit costs in proportion to what it changed. Listeners hear which
 * sources had results forgotten, i.e. whose problems may have changed.
 */
export class CrossChecker {
  private readonly cache = new Map<Placement, Checked & { policies: Policies; whole: boolean; deps: Set<string> }>();
  private readonly byDep = new Map<string, Set<Placement>>();
  private readonly listeners: ((sources: ReadonlySet<string>) => void)[] = [];

  constructor(private readonly index: CatalogIndex) {
    index.onChange((changed) => this.invalidate(changed));
  }

  /** Calls `listener` with the sources of the entities whose cached problems an index change invalidated. */
  onInvalidate(listener: (sources: ReadonlySet<string>) => void): void {
    this.listeners.push(listener);
  }

  /** The problems of `placements`; `knownWhole` as `known` for `isWholeCatalog`. */
  check(placements: readonly Placement[], policies: Policies, describeUri: (uri: string) => string, knownWhole: boolean): Problem[] {
    const out: Problem[] = [];
    const whole = isWholeCatalog(policies, knownWhole);
    for (const p of placements) {
      let e = this.cache.get(p);
      if (!e || e.policies !== policies || e.whole !== whole) {
        if (e) this.forget(p, e.deps);
        const deps = new Set<string>();
        e = { policies, whole, ...checkPlacement(this.index, p, policies, whole, describeUri, deps), deps };
        this.cache.set(p, e);
        for (const d of deps) {
          let set = this.byDep.get(d);
          if (!set) this.byDep.set(d, (set = new Set()));
          set.add(p);
        }
      }
      out.push(...shown(p, e));
    }
    return out;
  }

  private invalidate(changed: ReadonlySet<string>): void {
    const sources = new Set<string>();
    for (const d of changed) {
      const set = this.byDep.get(d);
      if (!set) continue;
      for (const p of [...set]) {
        const e = this.cache.get(p);
        if (e) {
          this.cache.delete(p);
          this.forget(p, e.deps);
          sources.add(p.source);
        }
      }
    }
    if (sources.size) for (const l of this.listeners) l(sources);
  }

  private forget(p: Placement, deps: ReadonlySet<string>): void {
    for (const d of deps) {
      const set = this.byDep.get(d);
      set?.delete(p);
      if (set && !set.size) this.byDep.delete(d);
    }
  }
}

function checkReference(index: CatalogIndex, p: Placement, o: RefOccurrence, policies: Policies, whole: boolean, problems: Problem[], range: { start: number; end: number }, deps: Set<string>): void {
  if (!o.target || !o.targetKind) return;
  deps.add(o.target);
  const severity = policies.referenceSeverity;
  const kindName = builtinKind(capitalise(o.targetKind))?.kind ?? o.targetKind;
  const allowed = o.allowedKinds.map((k) => k.toLowerCase());
  if (allowed.length && !allowed.includes(o.targetKind.toLowerCase())) {
    problems.push({
      code: 'ref-wrong-kind',
      message: `spec.${o.field} must refer to ${o.allowedKinds.map((k) => `${article(k)} ${k}`).join(' or ')}, but '${o.written}' is ${article(kindName)} ${kindName}`,
      severity,
      ...range,
    });
    return;
  }
  const target = index.first(o.target);
  if (!target) {
    deps.add(`kind:${o.targetKind.toLowerCase()}`);
    const parsed = parseRefString(o.written);
    const namespace = parsed?.namespace ?? p.record.namespace;
    const close = suggestions(index, o.targetKind, namespace, parsed?.name ?? o.written);
    // A suggestion is written as its winning definition spells it: that may change without the kind's names changing.
    for (const c of close) deps.add(c.record.ref);
    const defaultKind = o.explicitKind ? undefined : o.targetKind;
    const replacements = close.map((c) => shortestRef(c.record, defaultKind, p.record.namespace, o.explicitKind));
    // Outside a whole catalog the target may live in another repository: only a near miss is a finding.
    if (!whole && !replacements.length) return;
    problems.push({
      code: 'ref-not-found',
      message: `${o.explicitKind ? '' : `${o.targetKind.toLowerCase()} `}'${o.written}' not found${replacements.length ? `; did you mean ${replacements.map((x) => `'${x}'`).join(' or ')}?` : ' in the catalog'}`,
      severity,
      ...range,
      data: { replacements },
    });
    return;
  }
  if (!DEPENDENCY_FIELDS.has(o.field)) return;
  const lifecycle = target.record.lifecycle;
  if (lifecycle === 'deprecated') {
    problems.push({ code: 'ref-deprecated', message: `'${o.written}' is deprecated; plan a move away from it`, severity, ...range });
  }
  const mine = p.record.lifecycle;
  if (mine && lifecycle && policies.forbiddenDependencies[mine]?.includes(lifecycle)) {
    problems.push({
      code: 'policy-lifecycle-dependency',
      message: `${article(mine)} ${mine} ${p.record.kind} should not depend on ${lifecycle} '${o.written}' (policy forbiddenDependencies)`,
      severity: policies.severity,
      ...range,
    });
  }
}

function capitalise(kind: string): string {
  return kind === 'api' ? 'API' : kind.charAt(0).toUpperCase() + kind.slice(1);
}
