/**
 * The entities changed in the index since a view last looked: derived structures (groupings, the search
 * table) are updated from these on their next request instead of being rebuilt from the whole index.
 */
import type { CatalogIndex, Placement } from '../catalog/catalogIndex';

/**
 * Whether an entry of what `CatalogIndex.update` reports is an entity ref rather than a marker. Refs are
 * `kind:namespace/name`; the markers are `to:<ref>` and `place:<ref>` (two colons) and `kind:<kind>` (no
 * slash), so an entity whose kind is "To" or "Kind" is still told apart.
 */
export function isRef(changed: string): boolean {
  if (!changed.includes('/')) return false;
  return !/^(to|place):[^/]*:/.test(changed);
}

export class ChangedRefs {
  private refs: Set<string> | undefined;

  constructor(index: CatalogIndex) {
    index.onChange((changed) => {
      if (!this.refs) return;
      for (const c of changed) if (isRef(c)) this.refs.add(c);
    });
  }

  /** Starts collecting (a structure was just built from the whole index). */
  start(): void {
    this.refs = new Set();
  }

  /** The refs changed since `start` or the last `take`, and starts over. */
  take(): Set<string> {
    const out = this.refs ?? new Set<string>();
    this.refs = new Set();
    return out;
  }
}

/** Every entity's winning definition, once (no set of 100,000 refs to fill). */
export function* winners(index: CatalogIndex): Iterable<Placement> {
  for (const source of index.sources()) {
    for (const p of index.placementsOf(source)) if (index.first(p.record.ref) === p) yield p;
  }
}
