/**
 * The nodes the catalog views show, made from the index's winning definition of each entity. Labels and
 * descriptions are plain text in a tree, but their values may come from a store: control characters are
 * blanked and lengths capped, so a hostile value cannot flood or garble the view.
 */
import { absolute, type CatalogIndex, type Placement } from '../catalog/catalogIndex';
import type { EntityRecord, RefOccurrence } from '../catalog/entityRecord';
import { displayName } from '../catalog/relations';
import type { CatalogNode } from '../protocol';

export const MAX_LABEL = 120;
export const MAX_DESCRIPTION = 160;

/** Text for a tree item: one line, no control characters, at most `max` characters. */
export function clean(text: string, max: number): string {
  const line = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** The canonical spelling of the built-in kinds, for refs (which are lower case) whose entity is not indexed. */
const KIND_NAMES: Readonly<Record<string, string>> = {
  api: 'API',
  component: 'Component',
  domain: 'Domain',
  group: 'Group',
  location: 'Location',
  resource: 'Resource',
  system: 'System',
  template: 'Template',
  user: 'User',
};

/** The kind of a ref as shown: its entity's own spelling, else the built-in one, else as written. */
export function kindOfRef(index: CatalogIndex, ref: string, hint?: string): string {
  const p = index.first(ref);
  if (p) return p.record.kind;
  const k = ref.slice(0, ref.indexOf(':'));
  return KIND_NAMES[k] ?? hint ?? k;
}

/** The label of a ref: its entity's display name, else the name part of the ref. */
export function labelOfRef(index: CatalogIndex, ref: string): string {
  return clean(displayName(index.first(ref)) ?? ref.slice(ref.lastIndexOf('/') + 1), MAX_LABEL);
}

/** The first reference an entity writes in `field` (resolved or not). */
export function occurrence(p: Placement, field: string): RefOccurrence | undefined {
  return p.record.refs.find((o) => o.field === field);
}

/** The label of the source a definition comes from: a store's label, or the workspace for a file. */
export function sourceLabel(p: Placement): string {
  return p.provenance.kind === 'store' ? p.provenance.label : 'workspace';
}

export function isDegraded(p: Placement): boolean {
  return !!p.record.quarantine?.length;
}

/** The sort key of an entity in a list: its label, case-insensitive. */
export function sortKey(p: Placement): string {
  return (displayName(p) ?? p.record.name).toLowerCase();
}

/** Labels of refs, looked up once per request: ten thousand entities of one team share their owner's. */
export class Labels {
  private readonly known = new Map<string, string>();

  constructor(private readonly index: CatalogIndex) {}

  of(ref: string): string {
    let label = this.known.get(ref);
    if (label === undefined) this.known.set(ref, (label = labelOfRef(this.index, ref)));
    return label;
  }
}

interface CachedNode {
  record: EntityRecord;
  owner: RefOccurrence | undefined;
  node?: CatalogNode;
  line?: number;
  ownerLabel?: string;
  source?: string;
  uri?: string;
}

/**
 * The nodes made so far, by definition: a group of 10,000 opens again without making 10,000 objects. A
 * node is made again when what it shows changed: the record (a new object on any edit), the line, the
 * owner's label, the source's label.
 */
const made = new WeakMap<Placement, CachedNode>();

/** The node of an entity, from its winning definition `p`. */
export function entityNode(index: CatalogIndex, p: Placement, labels = new Labels(index)): CatalogNode {
  const r = p.record;
  let c = made.get(p);
  if (!c || c.record !== r) made.set(p, (c = { record: r, owner: occurrence(p, 'owner') }));
  const ownerLabel = c.owner ? (c.owner.target ? labels.of(c.owner.target) : c.owner.written) : undefined;
  const source = sourceLabel(p);
  const line = p.chunkLine;
  const uri = p.provenance.kind === 'file' ? p.provenance.uri : undefined;
  if (c.node && c.line === line && c.ownerLabel === ownerLabel && c.source === source && c.uri === uri) return c.node;
  const description = [r.lifecycle, ownerLabel].filter((x): x is string => !!x).join(' · ') || r.type;
  const node: CatalogNode = { id: r.ref, type: 'entity', label: clean(displayName(p) ?? r.name, MAX_LABEL), kind: r.kind, ref: r.ref, source: clean(source, MAX_LABEL) };
  if (description) node.description = clean(description, MAX_DESCRIPTION);
  if (isDegraded(p)) node.degraded = true;
  if (uri) {
    node.uri = uri;
    node.line = absolute(p, r.nameRange ?? r.range).start.line;
  }
  // Shared between answers: frozen, so no caller can change what the next one gets.
  Object.assign(c, { node: Object.freeze(node), line, ownerLabel, source, uri });
  return node;
}

/** Code-unit order: stable, locale-free and several times faster than localeCompare on 10,000 labels. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
