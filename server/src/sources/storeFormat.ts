/**
 * The snapshot format (docs/store.md): ours, versioned, `{ version: 1, generatedAt, sources, entities }`,
 * and what Backstage returns (the array of `GET /api/catalog/entities`, the `{ items }` of
 * `/entities/by-query`). Every entity gets the editor's verdict here; one that fails is quarantined: kept
 * with its problems. The data is not trusted: an entry that is not an entity with a kind and a name is
 * skipped and counted.
 */
import { Document, stringify } from 'yaml';
import { analyzeText } from '../catalog/analyze';
import { recordFromValue, type EntityRecord } from '../catalog/entityRecord';
import { DEFAULT_POLICIES } from '../catalog/policies';
import { builtinKind } from '../catalog/schemas';
import { identityOf, validateEntityDocument } from '../catalog/validate';
import type { SourceType } from '../protocol';
import type { StoreEntity, StoreProblem } from './source';

export const SNAPSHOT_VERSION = 1;

/** One source as a snapshot records it. */
export interface SnapshotSourceInfo {
  id: string;
  type: Exclude<SourceType, 'workspace'>;
  label: string;
  fetchedAt: string;
  entities: number;
  quarantined: number;
}

export interface Snapshot {
  version: typeof SNAPSHOT_VERSION;
  generatedAt: string;
  sources: SnapshotSourceInfo[];
  entities: { entity: Record<string, unknown>; source: string; problems?: StoreProblem[] }[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/** The entities of a parsed snapshot, in any of the accepted shapes; throws when it is none of them. */
export function parseSnapshot(data: unknown, defaultSource: string): { entities: StoreEntity[]; skipped: number; sources?: SnapshotSourceInfo[]; generatedAt?: string } {
  let items: unknown[];
  let ours = false;
  if (Array.isArray(data)) items = data;
  else if (isObj(data) && 'version' in data) {
    if (data.version !== SNAPSHOT_VERSION) throw new Error(`snapshot version ${JSON.stringify(data.version)} is not supported (this Paved Road reads version ${SNAPSHOT_VERSION})`);
    if (!Array.isArray(data.entities)) throw new Error('a version 1 snapshot needs an entities list');
    items = data.entities;
    ours = true;
  } else if (isObj(data) && Array.isArray(data.items)) items = data.items;
  else throw new Error('expected a list of entities, an object with an items list, or a Paved Road snapshot (version, entities)');
  const entities: StoreEntity[] = [];
  let skipped = 0;
  for (const item of items) {
    const entity = ours ? (isObj(item) ? item.entity : undefined) : item;
    if (!isObj(entity) || !identityOf(entity)) {
      skipped++;
      continue;
    }
    const source = ours && isObj(item) && typeof item.source === 'string' ? item.source : defaultSource;
    // Problems as judged when the snapshot was made; a refresh judges the entity again.
    const problems = ours && isObj(item) && Array.isArray(item.problems) ? item.problems.filter((p): p is StoreProblem => isObj(p) && typeof p.code === 'string' && typeof p.message === 'string') : [];
    entities.push(problems.length ? { entity, source, problems } : { entity, source });
  }
  const sources = ours && isObj(data) && Array.isArray(data.sources) ? (data.sources.filter(isObj) as unknown as SnapshotSourceInfo[]) : undefined;
  const generatedAt = ours && isObj(data) && typeof data.generatedAt === 'string' ? data.generatedAt : undefined;
  return { entities, skipped, sources, generatedAt };
}

/** What the catalog computes and returns with an entity, which a descriptor file must not hold. */
function descriptorOf(entity: Obj): Obj {
  if (!('relations' in entity) && !('status' in entity)) return entity;
  const { relations: _r, status: _s, ...rest } = entity;
  return rest;
}

const noFiles = (): undefined => undefined;

/**
 * The editor's errors for an entity given as data, as if its YAML were a file of its own (no file around
 * it: placeholders and Location targets, which the catalog resolved where it ingested them, are not read).
 * The value check is fast but places every problem at one offset, where same-code problems merge; the
 * few entities that fail are analysed again as YAML text, exactly as the editor does, for all of them.
 */
export function storeVerdict(entity: Obj): StoreProblem[] {
  const descriptor = descriptorOf(entity);
  const quick = validateEntityDocument(new Document(), '', structuredClone(descriptor), { policies: DEFAULT_POLICIES, readFile: noFiles });
  if (!quick.problems.some((p) => p.severity === 'error')) return [];
  const full = analyzeText(stringify(descriptor), { policies: DEFAULT_POLICIES, readFile: noFiles });
  return full.documents.flatMap((d) => d.problems.filter((p) => p.severity === 'error').map((p) => ({ code: p.code, message: p.message })));
}

/** Judges every entity (keeping problems a snapshot already carries when the entity is still bad). */
export function judge(entities: StoreEntity[]): StoreEntity[] {
  return entities.map((e) => {
    const problems = storeVerdict(e.entity);
    return problems.length ? { ...e, problems } : { entity: e.entity, source: e.source, ...(e.location ? { location: e.location } : {}) };
  });
}

/** The index record of a judged store entity (no place in a file; a quarantined one carries its problems). */
export function storeRecord(e: StoreEntity): EntityRecord | undefined {
  const kind = typeof e.entity.kind === 'string' ? e.entity.kind : undefined;
  const base = kind ? recordFromValue(e.entity, builtinKind(kind)) : undefined;
  if (!base) return undefined;
  if (e.problems?.length) base.quarantine = e.problems;
  return base;
}

/** A snapshot of judged entities, in our format. */
export function makeSnapshot(sources: SnapshotSourceInfo[], entities: StoreEntity[], generatedAt = new Date().toISOString()): Snapshot {
  return {
    version: SNAPSHOT_VERSION,
    generatedAt,
    sources,
    entities: entities.map((e) => ({ entity: e.entity, source: e.source, ...(e.problems?.length ? { problems: e.problems } : {}) })),
  };
}
