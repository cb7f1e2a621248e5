/**
 * Each source's last good result in the extension's global storage, one file per source in our snapshot
 * format, written atomically: a crash mid-write leaves the previous cache whole (atomicFile.ts).
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { readJsonFile, writeFileAtomic } from './atomicFile';
import type { CatalogSource, StoreEntity } from './source';
import { makeSnapshot, parseSnapshot } from './storeFormat';

export class SourceCache {
  constructor(private readonly storagePath: string) {}

  /** The cache file of a source: named by a hash of its id (ids hold paths and URLs). */
  fileOf(id: string): string {
    return join(this.storagePath, 'sources', `${createHash('sha256').update(id).digest('hex').slice(0, 24)}.json`);
  }

  /** The cached entities of a source with when they were fetched; undefined when there is no usable cache. */
  async load(id: string): Promise<{ entities: StoreEntity[]; fetchedAt: string } | undefined> {
    const data = await readJsonFile(this.fileOf(id));
    if (!data) return undefined;
    try {
      const parsed = parseSnapshot(data, id);
      const info = parsed.sources?.find((s) => s.id === id);
      if (!info) return undefined;
      return { entities: parsed.entities, fetchedAt: info.fetchedAt };
    } catch {
      return undefined;
    }
  }

  async save(source: CatalogSource, entities: StoreEntity[], fetchedAt: string): Promise<void> {
    const quarantined = entities.filter((e) => e.problems?.length).length;
    const snapshot = makeSnapshot([{ id: source.id, type: source.type, label: source.label, fetchedAt, entities: entities.length, quarantined }], entities, fetchedAt);
    await writeFileAtomic(this.fileOf(source.id), JSON.stringify(snapshot));
  }
}
