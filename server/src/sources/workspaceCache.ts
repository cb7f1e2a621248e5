/**
 * The warm start: the workspace's index records kept in global storage, keyed by each file's path, size
 * and modification time (and by what the records were made with: the engine's build, the include globs,
 * the custom kinds). A second start takes a file's records from here when all of that is unchanged, and
 * reads only the others. The stat is taken before the read it keys, so a file that changes while it is
 * read is read again next time. Written atomically (atomicFile.ts).
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { PlacementInput } from '../catalog/catalogIndex';
import type { Policies } from '../catalog/policies';
import { readJsonFile, writeFileAtomic } from './atomicFile';
import { PlacementDecoder, StringTable, encodePlacement } from './cacheCodec';

/** 3: records in the compact form of cacheCodec.ts (caches of 2, records as JSON objects, are not read). */
const FORMAT = 3;

/** A file's identity on disk, as far as the cache is concerned. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
}

/** A file's cached result: its placements, or `ignored` for a YAML file that is no catalog file. */
export type Cached = { stamp: FileStamp; context: string; items: PlacementInput[] | 'ignored' };

interface CacheFile {
  format: number;
  engine: string;
  contexts: string[];
  /** The strings the records name (cacheCodec.ts). */
  strings: string[];
  /** [path, size, mtimeMs, context index, each placement's numbers, or 0 for 'ignored'] */
  files: [string, number, number, number, number[][] | 0][];
}

export class WorkspaceCache {
  private readonly entries = new Map<string, Cached>();
  private readonly contextOf = new WeakMap<Policies, Map<string, string>>();
  private saveTimer?: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();
  /** Hits and misses of the last scan, for the log and the tests. */
  hits = 0;
  misses = 0;
  readonly file: string;

  /** `engine` names the build that made the records (a new build may make other records: nothing is reused). */
  constructor(
    storagePath: string,
    folders: readonly string[],
    private readonly engine: string,
  ) {
    const key = createHash('sha256').update(folders.join('\n')).digest('hex').slice(0, 24);
    this.file = join(storagePath, 'workspace', `${key}.json`);
  }

  async load(): Promise<void> {
    const data = (await readJsonFile(this.file)) as CacheFile | undefined;
    if (!data || data.format !== FORMAT || data.engine !== this.engine || !Array.isArray(data.contexts) || !Array.isArray(data.strings) || !Array.isArray(data.files)) return;
    const decoder = new PlacementDecoder(data.strings);
    try {
      for (const [path, size, mtimeMs, context, items] of data.files) {
        if (typeof data.contexts[context] === 'string') this.entries.set(path, { stamp: { size, mtimeMs }, context: data.contexts[context], items: items === 0 ? 'ignored' : items.map((a) => decoder.decode(a)) });
      }
    } catch {
      // A cache this build cannot read whole is no cache: every file is read.
      this.entries.clear();
    }
  }

  /** The cached results of every file under the folders, with what they were keyed by. */
  *under(folders: readonly string[]): Iterable<[string, Cached]> {
    for (const entry of this.entries) if (folders.some((f) => entry[0].startsWith(`${f}/`))) yield entry;
  }

  /** What a file's records depend on besides its text: the include globs and the custom kinds. */
  context(include: readonly string[], policies: Policies): string {
    let byInclude = this.contextOf.get(policies);
    if (!byInclude) this.contextOf.set(policies, (byInclude = new Map()));
    const key = include.join('\n');
    let c = byInclude.get(key);
    if (c === undefined) byInclude.set(key, (c = JSON.stringify([include, policies.kinds])));
    return c;
  }

  /** The cached result of a file whose stamp and context are unchanged. */
  lookup(path: string, stamp: FileStamp, context: string): PlacementInput[] | 'ignored' | undefined {
    const e = this.entries.get(path);
    const hit = e && e.stamp.size === stamp.size && e.stamp.mtimeMs === stamp.mtimeMs && e.context === context ? e.items : undefined;
    if (hit) this.hits++;
    else this.misses++;
    return hit;
  }

  /** What reading a file gave, keyed by the stamp taken before the read. */
  record(path: string, stamp: FileStamp, context: string, items: PlacementInput[] | 'ignored'): void {
    this.entries.set(path, { stamp, context, items });
  }

  forget(path: string): void {
    this.entries.delete(path);
  }

  /** Under the folders given, keeps only these paths (what a scan found: deleted files leave the cache). */
  retain(paths: ReadonlySet<string>, folders: readonly string[]): number {
    let dropped = 0;
    for (const p of this.entries.keys()) if (!paths.has(p) && folders.some((f) => p.startsWith(`${f}/`)) && this.entries.delete(p)) dropped++;
    return dropped;
  }

  /** Saves soon, once (a burst of file events gives one write). */
  saveSoon(ms = 5000): void {
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      // A failed write leaves the previous cache: the next start reads more files, nothing worse.
      void this.save().catch(() => undefined);
    }, ms);
    this.saveTimer.unref();
  }

  /** Writes the cache (one write at a time; a save asked for during one follows it). */
  save(): Promise<void> {
    const next = this.writing.then(() => this.write());
    this.writing = next.catch(() => undefined);
    return next;
  }

  /** Resolves when the writes asked for so far are done (the server waits for it at shutdown). */
  async flush(): Promise<void> {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
      void this.save();
    }
    await this.writing;
  }

  private async write(): Promise<void> {
    const contexts = new StringTable();
    const strings = new StringTable();
    const files: CacheFile['files'] = [];
    for (const [path, e] of this.entries) {
      files.push([path, e.stamp.size, e.stamp.mtimeMs, contexts.id(e.context), e.items === 'ignored' ? 0 : e.items.map((item) => encodePlacement(item, strings))]);
    }
    await writeFileAtomic(this.file, JSON.stringify({ format: FORMAT, engine: this.engine, contexts: contexts.strings, strings: strings.strings, files } satisfies CacheFile));
  }
}

/** The stamp of a file now; undefined when it cannot be read. */
export async function stampOf(path: string): Promise<FileStamp | undefined> {
  try {
    const st = await fs.stat(path);
    return { size: st.size, mtimeMs: st.mtimeMs };
  } catch {
    return undefined;
  }
}

/** A build's identity: the size and time of the server's bundle (every build writes it anew). */
export async function engineId(bundle: string): Promise<string> {
  const s = await stampOf(bundle);
  return s ? `${s.size}:${s.mtimeMs}` : 'unknown';
}

/** Gives the workspace its cache (loaded from storage) before its first scan; returns the cache. */
export async function warmStart(workspace: { useCache(cache: WorkspaceCache): void }, storagePath: string, folders: readonly string[], bundle: string): Promise<WorkspaceCache> {
  const cache = new WorkspaceCache(storagePath, folders, await engineId(bundle));
  await cache.load();
  workspace.useCache(cache);
  return cache;
}
