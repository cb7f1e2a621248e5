/**
 * Moving through the catalog from a catalog file: what is under the cursor (a reference or an entity's
 * own name), its definition, every reference to it, and renaming it everywhere. Pure: the index in, places out.
 */
import { placeOf, type CatalogIndex, type Place, type Placement } from '../catalog/catalogIndex';
import type { RefOccurrence, RelRange } from '../catalog/entityRecord';
import { isValidObjectName, EXPECTED } from '../catalog/formats';
import { lastAtOrBefore } from '../catalog/lines';
import { stringifyRef } from '../catalog/refs';

/** What the cursor is on. */
export type Target =
  | { on: 'reference'; placement: Placement; occurrence: RefOccurrence; ref: string }
  | { on: 'name'; placement: Placement; ref: string };

const inside = (p: Placement, r: RelRange, offset: number): boolean => offset >= p.chunkStart + r.start && offset <= p.chunkStart + r.end;

/** The entity whose document holds `offset` in the file `uri`. */
export function placementAt(index: CatalogIndex, uri: string, offset: number): Placement | undefined {
  const placements = index.placementsOf(uri);
  return placements[lastAtOrBefore(placements, offset, (p) => p.chunkStart)];
}

/** The reference or entity name at `offset` in the file `uri`, from the index. */
export function targetAt(index: CatalogIndex, uri: string, offset: number): Target | undefined {
  const p = placementAt(index, uri, offset);
  if (!p) return undefined;
  for (const o of p.record.refs) if (o.target && inside(p, o.range, offset)) return { on: 'reference', placement: p, occurrence: o, ref: o.target };
  if (p.record.nameRange && inside(p, p.record.nameRange, offset)) return { on: 'name', placement: p, ref: p.record.ref };
  return undefined;
}

/** Where an entity is defined: its name in its file, or (for a store entity) a read-only document. */
export function definitionOf(index: CatalogIndex, ref: string): { place?: Place; storeOnly?: Placement } | undefined {
  const p = index.first(ref);
  if (!p) return undefined;
  if (p.provenance.kind !== 'file') return { storeOnly: p };
  return { place: placeOf(p, p.record.nameRange ?? p.record.range) };
}

/** Every place that refers to `ref`, and its definitions when asked. */
export function referencesTo(index: CatalogIndex, ref: string, includeDeclaration: boolean): Place[] {
  const declarations = includeDeclaration ? index.get(ref).map((p) => p.record.nameRange && placeOf(p, p.record.nameRange)) : [];
  const uses = index.referrers(ref).map((r) => placeOf(r.placement, r.occurrence.range));
  return [...declarations, ...uses]
    .filter((x): x is Place => !!x)
    .sort((a, b) => a.uri.localeCompare(b.uri) || a.start.line - b.start.line || a.start.character - b.start.character);
}

export interface RenamePlan {
  edits: { uri: string; edits: { start: Place['start']; end: Place['end']; newText: string }[] }[];
}

/** The range to rename at the cursor (the name, or the name part of a reference) and its text. */
export function prepareRename(index: CatalogIndex, target: Target): { place: Place; placeholder: string } | string {
  const def = index.first(target.ref);
  if (!def) return `${target.ref} is not defined in the catalog, so it cannot be renamed`;
  if (def.provenance.kind !== 'file') return `${target.ref} comes from ${def.provenance.label}; rename it there`;
  const range = target.on === 'name' ? target.placement.record.nameRange : target.occurrence.nameRange;
  const place = range && placeOf(target.placement, range);
  if (!place) return 'nothing to rename here';
  return { place, placeholder: def.record.name };
}

/** Renames an entity: its metadata.name and the name part of every reference to it. */
export function planRename(index: CatalogIndex, ref: string, newName: string): RenamePlan | string {
  const defs = index.get(ref);
  const def = defs[0];
  if (!def) return `${ref} is not defined in the catalog`;
  if (!isValidObjectName(newName)) return `'${newName}' is not a valid name: it must be ${EXPECTED.name}`;
  const newRef = stringifyRef(def.record.kind, def.record.namespace, newName);
  // Only a workspace definition blocks the name. The store holds every entity as it was published, this
  // one's old name included (a rename and its undo would be refused); the workspace's definition wins there.
  if (newRef !== ref && index.get(newRef).some((p) => p.provenance.kind === 'file')) return `${newRef} already exists; choose another name`;
  const byUri = new Map<string, RenamePlan['edits'][number]['edits']>();
  const add = (place: Place | undefined): void => {
    if (!place) return;
    let list = byUri.get(place.uri);
    if (!list) byUri.set(place.uri, (list = []));
    list.push({ start: place.start, end: place.end, newText: newName });
  };
  for (const d of defs) if (d.record.nameRange) add(placeOf(d, d.record.nameRange));
  for (const r of index.referrers(ref)) add(placeOf(r.placement, r.occurrence.nameRange));
  return { edits: [...byUri].map(([uri, edits]) => ({ uri, edits })) };
}
