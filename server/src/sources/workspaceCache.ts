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
import type { RelRange } from '../catalog/entityRecord';
import type { Policies } from '../catalog/policies';
import { readJsonFile, writeFileAtomic } from './atomicFile';

const FORMAT = 2;

/** A file's identity on disk, as far as the cache is concerned. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
}

/** A file's cached result: its placements, or `ignored` for a YAML file that is no catalog file. */
type Cached = { stamp: FileStamp; context: string; items: PlacementInput[] | 'ignored' };

interface CacheFile {
  format: number;
  engine: string;
  contexts: string[];
  /** path → [size, mtimeMs, context index, items or 'ignored'] */
  files: Record<string, [number, number, number, PlacementInput[] | 'ignored']>;
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
    if (!data || data.format !== FORMAT || data.engine !== this.engine || !Array.isArray(data.contexts) || !data.files || typeof data.files !== 'object') return;
    for (const [path, [size, mtimeMs, context, items]] of Object.entries(data.files)) {
      if (typeof data.contexts[context] === 'string') this.entries.set(path, { stamp: { size, mtimeMs }, context: data.contexts[context], items: items === 'ignored' ? items : items.map(decodeItem) });
    }
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
    const contexts: string[] = [];
    const ids = new Map<string, number>();
    const files: CacheFile['files'] = {};
    for (const [path, e] of this.entries) {
      let id = ids.get(e.context);
      if (id === undefined) ids.set(e.context, (id = contexts.push(e.context) - 1));
      files[path] = [e.stamp.size, e.stamp.mtimeMs, id, e.items];
    }
    await writeFileAtomic(this.file, JSON.stringify({ format: FORMAT, engine: this.engine, contexts, files } satisfies CacheFile, compactRanges));
  }
}

/**
 * Ranges are most of a record's text: written as arrays (a third of the size, and of the time to read
 * the cache back), and made objects again, with their keys in the same order, when read.
 */
function compactRanges(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && 'endCharacter' in value) {
    const r = value as RelRange;
    return [r.start, r.end, r.line, r.character, r.endLine, r.endCharacter];
  }
  return value;
}

const rangeOf = (a: unknown): RelRange => {
  const [start, end, line, character, endLine, endCharacter] = a as number[];
  return { start, end, line, character, endLine, endCharacter };
};

/** A cached placement as read (ranges as arrays) made whole again, in place. */
function decodeItem(item: PlacementInput): PlacementInput {
  const r = item.record;
  r.range = rangeOf(r.range);
  if (r.nameRange) r.nameRange = rangeOf(r.nameRange);
  for (const o of r.refs) {
    o.range = rangeOf(o.range);
    o.nameRange = rangeOf(o.nameRange);
  }
  return item;
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
