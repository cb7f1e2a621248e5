/**
 * Layer 1, the workspace: every catalog file under the workspace folders, read from disk into the index
 * (open editors are indexed from their live text instead, by the language server). Each closed file is
 * read by fileRecords.ts, on the parse worker during a large scan.
 */
import { promises as fs } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CatalogIndex } from '../catalog/catalogIndex';
import type { Policies } from '../catalog/policies';
import { readCatalogFile, type FileOutcome } from './fileRecords';
import { ParseWorker, whenParsingFree } from './parseWorker';
import { listYamlFiles } from './folderSource';
import { stampOf, type FileStamp, type WorkspaceCache } from './workspaceCache';

export interface ScanResult {
  files: number;
  entities: number;
  skipped: string[];
  ms: number;
  /** How many worker threads parsed the files (0: the main thread did). */
  workers: number;
  /** Files whose records came from the warm-start cache (unchanged since it was written). */
  cached: number;
}

export interface WorkspaceFilesOptions {
  index: CatalogIndex;
  /** True while an editor holds the file: its live text, not the disk, is what counts. */
  isOpen(uri: string): boolean;
  policiesFor(uri: string): Policies;
  include(uri: string): readonly string[];
  log(message: string): void;
  /** The script that runs the parse worker off the main thread (the server's bundle); none: parse here. */
  workerScript?: string;
}

/**
 * Below this many files, and this many bytes in all, a scan parses on the main thread: starting a worker
 * would cost more. One large file is enough to use one: parsing it would hold the main thread for as long.
 */
const WORKER_MIN_FILES = 100;
const WORKER_MIN_BYTES = 512 * 1024;
/** Files asked of the workers ahead of the one being indexed, so that none of them waits. */
const AHEAD = 32;
/**
 * Parse workers for a large scan: one per core (the main thread is idle most of the scan, waiting for
 * records), at most four; on two cores, two.
 */
const WORKERS = Math.max(1, Math.min(4, availableParallelism()));

/** A read of one file: its number (the order reads started in) and what it will give. */
interface Read {
  seq: number;
  outcome: Promise<FileOutcome | undefined>;
}

/** The stamps of files (a few dozen stats at a time). */
async function stampAll(paths: readonly string[]): Promise<(FileStamp | undefined)[]> {
  const out: (FileStamp | undefined)[] = new Array(paths.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < paths.length) {
      const i = next++;
      out[i] = await stampOf(paths[i]);
    }
  };
  await Promise.all(Array.from({ length: 32 }, lane));
  return out;
}

/** True when parsing these files is worth starting parse workers for. */
async function worthWorkers(paths: readonly string[]): Promise<boolean> {
  if (paths.length >= WORKER_MIN_FILES) return true;
  let bytes = 0;
  for (const p of paths) bytes += await fs.stat(p).then((s) => s.size, () => 0);
  return bytes >= WORKER_MIN_BYTES;
}

/** Keeps the index current with the catalog files on disk. */
export class WorkspaceFiles {
  private readonly known = new Set<string>();
  /**
   * Every read (and deletion) gets a number when it starts, and a file's entry in the index only moves to a
   * later one: a scan's answer for a file that changed or went away meanwhile does not bring the old back.
   */
  private reads = 0;
  private readonly lastRead = new Map<string, number>();
  /** The parse workers of the scan under way. */
  private workers: ParseWorker[] = [];
  private cache?: WorkspaceCache;

  constructor(private readonly o: WorkspaceFilesOptions) {}

  /** Serves unchanged files from `cache` in scans from now on, and keeps it current. */
  useCache(cache: WorkspaceCache): void {
    this.cache = cache;
  }

  /** The cache key of a file's records besides its stamp. */
  private contextOf(path: string): string {
    const uri = pathToFileURL(path).toString();
    return this.cache!.context(this.o.include(uri), this.o.policiesFor(uri));
  }

  /** An editor opened the file: a scan under way need not parse it (the editor's text counts). */
  opened(path: string): void {
    for (const w of this.workers) w.skip(path);
  }

  /**
   * Reads every catalog file under the folders. Large scans parse on worker threads; files are indexed
   * in the order they were listed either way, and the event loop keeps turning between them. `progress`
   * hears of each file indexed, with the number of YAML files found.
   */
  async scan(folders: readonly string[], progress?: (done: number, total: number) => void): Promise<ScanResult> {
    const t0 = Date.now();
    const skipped: string[] = [];
    let files = 0;
    const paths: string[] = [];
    for (const f of folders) await listYamlFiles(f, paths);
    // Unchanged files since the cache was written give their records from it; the others are read.
    const cache = this.cache;
    const stamps: (FileStamp | undefined)[] = cache ? await stampAll(paths) : [];
    const contexts = cache ? paths.map((p) => this.contextOf(p)) : [];
    const hits = cache
      ? paths.map((p, i) => {
          const stamp = stamps[i];
          return stamp ? cache.lookup(p, stamp, contexts[i]) : undefined;
        })
      : [];
    const misses = cache ? paths.filter((_, i) => !hits[i]) : paths;
    // Workers take a core each while they start: not while the editor is waiting for a document's analysis.
    await whenParsingFree();
    const workers = this.o.workerScript && (await worthWorkers(misses)) ? this.startWorkers(this.o.workerScript, Math.min(WORKERS, misses.length)) : [];
    this.workers = [...this.workers, ...workers];
    try {
      const ahead: Read[] = [];
      let next = 0;
      const ask = (): void => {
        const hit = hits[next];
        const uri = pathToFileURL(paths[next]).toString();
        if (hit && !this.o.isOpen(uri)) ahead.push({ seq: ++this.reads, outcome: Promise.resolve(hit === 'ignored' ? { status: 'ignored' } : { status: 'parsed', items: hit }) });
        else ahead.push(this.outcomeOf(paths[next], workers[next % workers.length]));
        next++;
      };
      while (next < paths.length && ahead.length < AHEAD) ask();
      for (let i = 0; i < paths.length; i++) {
        const read = ahead.shift()!;
        const outcome = await read.outcome;
        if (next < paths.length) ask();
        const stamp = stamps[i];
        if (cache && !hits[i] && stamp) this.remember(paths[i], stamp, contexts[i], outcome);
        if (this.apply(paths[i], read.seq, outcome, skipped)) files++;
        progress?.(i + 1, paths.length);
        if (!workers.length && i % 50 === 49) await new Promise((r) => setImmediate(r));
      }
    } finally {
      for (const w of workers) w.stop();
      this.workers = this.workers.filter((w) => !workers.includes(w));
    }
    // Files gone from the folders scanned leave the cache. It is written a little after the scan, and only
    // when it changed: writing it takes the main thread for a while, which the editor needs first.
    if (cache && (cache.retain(new Set(paths), folders) > 0 || misses.length > 0)) cache.saveSoon(2000);
    return { files, entities: this.o.index.size, skipped, ms: Date.now() - t0, workers: workers.filter((w) => !w.failed).length, cached: hits.filter(Boolean).length };
  }

  private startWorkers(script: string, count: number): ParseWorker[] {
    try {
      return Array.from({ length: count }, () => new ParseWorker(script, this.o.log));
    } catch (e) {
      this.o.log(`could not start the parse workers, parsing on the main thread: ${String(e)}`);
      return [];
    }
  }

  /** A file was created or changed on disk. */
  async changed(path: string): Promise<void> {
    const stamp = this.cache && (await stampOf(path));
    const read = this.outcomeOf(path);
    const outcome = await read.outcome;
    if (this.cache) {
      if (stamp) this.remember(path, stamp, this.contextOf(path), outcome);
      else this.cache.forget(path);
      this.cache.saveSoon();
    }
    this.apply(path, read.seq, outcome, []);
  }

  /** Keeps what a read of a file from disk gave in the cache, under the stamp taken before the read. */
  private remember(path: string, stamp: FileStamp, context: string, outcome: FileOutcome | undefined): void {
    if (outcome?.status === 'parsed') this.cache!.record(path, stamp, context, outcome.items);
    else if (outcome?.status === 'ignored') this.cache!.record(path, stamp, context, 'ignored');
    else this.cache!.forget(path);
  }

  /** A file was deleted (or renamed away). */
  deleted(uri: string): Set<string> {
    this.lastRead.set(uri, ++this.reads);
    this.known.delete(uri);
    if (this.cache) {
      const path = fileURLToPath(uri);
      this.cache.forget(path);
      this.cache.retain(new Set(), [path]);
      this.cache.saveSoon();
    }
    return this.o.index.drop(uri);
  }

  /** Starts reading and parsing a file, unless an editor holds it (undefined: the editor's text counts). */
  private outcomeOf(path: string, worker?: ParseWorker): Read {
    const seq = ++this.reads;
    const uri = pathToFileURL(path).toString();
    if (this.o.isOpen(uri)) return { seq, outcome: Promise.resolve(undefined) };
    const include = this.o.include(uri);
    const policies = this.o.policiesFor(uri);
    const here = (): Promise<FileOutcome> => readCatalogFile(path, include, policies);
    return { seq, outcome: worker ? worker.parse(path, include, policies, here) : here() };
  }

  /** Puts what read `seq` of a file gave into the index; true when the file is a catalog file in the index. */
  private apply(path: string, seq: number, outcome: FileOutcome | undefined, skipped: string[]): boolean {
    const uri = pathToFileURL(path).toString();
    // The file may have been opened while it was read (the editor's text counts), or read again since.
    if (!outcome || this.o.isOpen(uri) || (this.lastRead.get(uri) ?? 0) > seq) return this.known.has(uri);
    this.lastRead.set(uri, seq);
    switch (outcome.status) {
      case 'parsed':
        this.o.index.update(uri, { kind: 'file', uri }, outcome.items);
        this.known.add(uri);
        return true;
      case 'ignored':
        if (this.known.has(uri)) this.deleted(uri);
        return false;
      case 'skipped':
        if (outcome.gone) this.deleted(uri);
        skipped.push(outcome.reason);
        return false;
      case 'error':
        this.o.log(outcome.message);
        return false;
    }
  }

  /** Re-reads a file from disk after its editor closed (unsaved changes are gone). */
  async reread(uri: string, path: string): Promise<void> {
    await this.changed(path);
    if (!this.known.has(uri) && !this.o.isOpen(uri)) this.o.index.drop(uri);
  }
}
