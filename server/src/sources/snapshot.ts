/**
 * Layer 1, a catalog snapshot: a JSON or YAML file holding entities as the Backstage catalog API returns
 * them (a list, or `{ items: [...] }`), e.g. saved from `GET /api/catalog/entities`. Its entities enter the
 * index as a store, with provenance, below the workspace's own files. The data is not trusted: anything
 * that is not an entity with a kind and a name is skipped and counted; a snapshot that cannot be read
 * leaves the last good one in place.
 */
import { promises as fs } from 'node:fs';
import { parse } from 'yaml';
import type { CatalogIndex } from '../catalog/catalogIndex';
import { NO_RANGE, recordFromValue, type EntityRecord } from '../catalog/entityRecord';
import { builtinKind } from '../catalog/schemas';
import { MAX_FILE_BYTES } from '../catalog/analyze';

export const SNAPSHOT_SOURCE = 'store:snapshot';

export interface SnapshotResult {
  entities: number;
  skipped: number;
  error?: string;
}


/** The entity records of a snapshot's parsed content. */
export function snapshotRecords(data: unknown): { records: EntityRecord[]; skipped: number } {
  const items = Array.isArray(data) ? data : data && typeof data === 'object' && Array.isArray((data as { items?: unknown }).items) ? (data as { items: unknown[] }).items : undefined;
  if (!items) throw new Error('expected a list of entities, or an object with an items list');
  const records: EntityRecord[] = [];
  let skipped = 0;
  for (const item of items) {
    const value = item && typeof item === 'object' && !Array.isArray(item) ? (item as Record<string, unknown>) : undefined;
    const base = value && typeof value.kind === 'string' ? recordFromValue(value, builtinKind(value.kind)) : undefined;
    if (!base) {
      skipped++;
      continue;
    }
    records.push({ ...base, range: NO_RANGE });
  }
  return { records, skipped };
}

/** Reads the snapshot file into the index (replacing the previous snapshot), or reports why not. */
export async function loadSnapshot(index: CatalogIndex, path: string, label: string): Promise<SnapshotResult> {
  try {
    const st = await fs.stat(path);
    if (st.size > MAX_FILE_BYTES * 20) throw new Error(`it is ${(st.size / 1024 / 1024).toFixed(0)} MB, above the ${(MAX_FILE_BYTES * 20) / 1024 / 1024} MB limit`);
    const text = await fs.readFile(path, 'utf8');
    const data: unknown = path.endsWith('.json') ? JSON.parse(text) : parse(text, { maxAliasCount: 100 });
    const { records, skipped } = snapshotRecords(data);
    index.update(SNAPSHOT_SOURCE, { kind: 'store', source: 'snapshot', label }, records.map((record) => ({ record, chunkStart: 0, chunkLine: 0 })));
    return { entities: records.length, skipped };
  } catch (e) {
    return { entities: index.placementsOf(SNAPSHOT_SOURCE).length, skipped: 0, error: `${label}: ${(e as Error).message}` };
  }
}
