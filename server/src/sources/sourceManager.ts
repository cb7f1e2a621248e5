/**
 * The catalog sources beyond the workspace, kept in the index: each source's last good result is served
 * from the cache in global storage at start-up, refreshed in the background (on its interval, when it
 * changes on disk, on demand), and kept when a refresh fails. Every entity is judged by the editor's
 * engine on the way in; a failing one is quarantined (kept, with its problems).
 */
import type { CatalogIndex, PlacementInput } from '../catalog/catalogIndex';
import type { EntityRecord } from '../catalog/entityRecord';
import type { ServerStatus, SourceStatus } from '../protocol';
import { SourceCache } from './sourceCache';
import { SourceError, type CatalogSource, type FetchResult, type StoreEntity } from './source';
import { judge, storeRecord } from './storeFormat';

export interface SourceManagerOptions {
  index: CatalogIndex;
  /** The extension's global storage folder; none: nothing is cached (the CLI, a client that gave none). */
  storagePath?: string;
  log(message: string): void;
  /** Called whenever a source's status changed. */
  changed(): void;
  /** Attempts per refresh (the first and the retries) and the wait before the first retry (doubled each time). */
  attempts?: number;
  backoffMs?: number;
}

/** A source as configured: what it is and how often it is refreshed (0: only on demand and on change). */
export interface ConfiguredSource {
  source: CatalogSource;
  refreshMinutes: number;
}

interface State {
  configured: ConfiguredSource;
  status: SourceStatus;
  /** The last good entities (judged), what the index holds for this source. */
  entities: StoreEntity[];
  /** Entries of the last good fetch that were not entities at all. */
  skipped: number;
  running?: { promise: Promise<void>; controller: AbortController };
  /** A change arrived during a refresh: one more follows it. */
  again?: boolean;
  timer?: NodeJS.Timeout;
  unwatch?: () => void;
  debounce?: NodeJS.Timeout;
  /** A refresh at the end of a rate limit (`retryAt`). */
  retry?: NodeJS.Timeout;
}

/** The index's source key of a store. */
export const storeKey = (id: string): string => `store:${id}`;

export class SourceManager {
  private readonly states = new Map<string, State>();
  private readonly cache?: SourceCache;
  private disposed = false;
  /** Cache writes under way: a shutdown waits for them (a killed write leaves only a temporary file). */
  private readonly saving = new Set<Promise<void>>();

  constructor(private readonly o: SourceManagerOptions) {
    this.cache = o.storagePath ? new SourceCache(o.storagePath) : undefined;
  }

  /** True when any source beyond the workspace is configured: the index then holds the whole catalog. */
  get connected(): boolean {
    return this.states.size > 0;
  }

  /**
   * Takes the configured sources: new ones are served from their cache at once and refreshed in the
   * background, removed ones leave the index, kept ones are refreshed (the setting was touched).
   * Resolves when the caches are served (not when the refreshes end).
   */
  configure(sources: readonly ConfiguredSource[]): Promise<void> {
    // One at a time: a second call (the client's first configuration change comes right after start)
    // must find the first one's sources served from their caches, not race it to a refresh.
    const run = this.configuring.then(() => this.configureNow(sources));
    this.configuring = run.catch(() => undefined);
    return run;
  }

  private configuring: Promise<void> = Promise.resolve();

  private async configureNow(sources: readonly ConfiguredSource[]): Promise<void> {
    const wanted = new Map(sources.map((s) => [s.source.id, s]));
    for (const [id, st] of this.states) {
      if (wanted.has(id)) continue;
      this.stop(st);
      this.states.delete(id);
      this.o.index.drop(storeKey(id));
    }
    const fresh: State[] = [];
    for (const c of wanted.values()) {
      const old = this.states.get(c.source.id);
      if (old) {
        // A new label or interval: the same data, told differently.
        old.configured = c;
        old.status.label = c.source.label;
        this.schedule(old);
        void this.refreshOne(old);
        continue;
      }
      const st: State = { configured: c, entities: [], skipped: 0, status: { id: c.source.id, type: c.source.type, label: c.source.label, entities: 0, quarantined: 0, state: 'empty' } };
      this.states.set(c.source.id, st);
      fresh.push(st);
    }
    await Promise.all(fresh.map((st) => this.serveCache(st)));
    for (const st of fresh) {
      if (this.disposed) return;
      if (this.states.get(st.configured.source.id) !== st) continue;
      const watch = st.configured.source.watch;
      if (watch) st.unwatch = watch.call(st.configured.source, () => this.changedOnDisk(st));
      this.schedule(st);
      void this.refreshOne(st);
    }
    this.o.changed();
  }

  private async serveCache(st: State): Promise<void> {
    const cached = await this.cache?.load(st.configured.source.id);
    // A source removed (or refreshed) while its cache was read keeps what it has now.
    // A refresh that already succeeded wins; one that failed leaves nothing, and the cache is better than that.
    if (!cached || this.disposed || st.status.fetchedAt !== undefined || this.states.get(st.configured.source.id) !== st) return;
    this.apply(st, cached.entities);
    Object.assign(st.status, { state: 'stale', fetchedAt: cached.fetchedAt, fromCache: true });
    this.o.log(`${st.configured.source.label}: ${cached.entities.length} entities from the cache (fetched ${cached.fetchedAt}), refreshing`);
  }

  /** Every source's status (the workspace's is the server's). */
  statuses(): SourceStatus[] {
    return [...this.states.values()].map((s) => ({ ...s.status }));
  }

  /** The stores as the older `ServerStatus.stores` field lists them (the status bar of older clients). */
  legacyStores(): ServerStatus['stores'] {
    return [...this.states.values()].map((s) => ({ label: s.status.label, entities: s.status.entities, skipped: s.skipped, error: s.status.error && `${s.status.label}: ${s.status.error}` }));
  }

  /**
   * Refreshes one source (by id) or all, and resolves with the statuses once done. A refresh already under
   * way is joined, not repeated. `cancel` (the request's cancellation) aborts the refreshes it waits for:
   * the last good entities stay.
   */
  async refresh(id?: string, cancel?: { onCancellationRequested(listener: () => void): unknown }): Promise<SourceStatus[]> {
    const targets = [...this.states.values()].filter((s) => !id || s.configured.source.id === id);
    const runs = targets.map((st) => this.refreshOne(st));
    // Cancelling stops the refreshes this request waits for, whoever started them.
    cancel?.onCancellationRequested(() => targets.forEach((st) => st.running?.controller.abort(new SourceError('the refresh was cancelled', 'retry'))));
    await Promise.all(runs);
    return id ? this.statuses().filter((s) => s.id === id) : this.statuses();
  }

  /** A file under a path changed (a workspace file event): sources reading it refresh. */
  pathChanged(path: string): void {
    for (const st of this.states.values()) {
      const s = st.configured.source as CatalogSource & { path?: string };
      if (s.path && (path === s.path || path.startsWith(`${s.path}/`))) this.changedOnDisk(st);
    }
  }

  /**
   * What a source reads changed (its token): it refreshes now, or right after the refresh under way (which
   * started with the old value). Resolves when that refresh has run.
   */
  async invalidate(id: string): Promise<void> {
    const st = this.states.get(id);
    if (!st) return;
    if (st.running) {
      st.again = true;
      await st.running.promise;
      // The follow-up refresh has started in the `finally` of the one that ran.
      await st.running?.promise;
    } else await this.refreshOne(st);
  }

  private changedOnDisk(st: State): void {
    // Saves come in bursts (write, rename, a folder of files): one refresh after them.
    if (st.debounce) clearTimeout(st.debounce);
    st.debounce = setTimeout(() => {
      st.debounce = undefined;
      if (st.running) st.again = true;
      else void this.refreshOne(st);
    }, 200);
  }

  private schedule(st: State): void {
    if (st.timer) clearInterval(st.timer);
    st.timer = undefined;
    const minutes = st.configured.refreshMinutes;
    if (minutes > 0) {
      st.timer = setInterval(() => void this.refreshOne(st), minutes * 60_000);
      st.timer.unref();
    }
  }

  private refreshOne(st: State): Promise<void> {
    if (st.running) return st.running.promise;
    const controller = new AbortController();
    const promise = this.run(st, controller.signal).finally(() => {
      st.running = undefined;
      if (st.again && !this.disposed && this.states.get(st.configured.source.id) === st) {
        st.again = false;
        void this.refreshOne(st);
      }
    });
    st.running = { promise, controller };
    return promise;
  }

  private async run(st: State, signal: AbortSignal): Promise<void> {
    const source = st.configured.source;
    const before = st.status.state;
    st.status.state = 'refreshing';
    this.o.changed();
    try {
      const result = await fetchWithRetry(source, signal, this.o.attempts, this.o.backoffMs);
      for (const note of result.notes ?? []) this.o.log(`${source.label}: ${note}`);
      const entities = result.judged ? result.entities : await judgeInSlices(result.entities, signal);
      if (this.disposed || this.states.get(source.id) !== st) return;
      this.apply(st, entities);
      st.skipped = result.skipped;
      const fetchedAt = new Date().toISOString();
      st.status = { ...st.status, state: 'fresh', fetchedAt, fromCache: false, error: undefined, nextStep: undefined, retryAt: undefined };
      this.o.log(`${source.label}: ${entities.length} entities${st.status.quarantined ? `, ${st.status.quarantined} quarantined` : ''}${result.skipped ? `, ${result.skipped} entries skipped (not entities)` : ''}`);
      if (this.cache) {
        const saved = this.cache.save(source, entities, fetchedAt).catch((e: unknown) => this.o.log(`${source.label}: could not cache it: ${(e as Error).message}`));
        this.saving.add(saved);
        await saved.finally(() => this.saving.delete(saved));
      }
    } catch (e) {
      if (this.disposed || this.states.get(source.id) !== st) return;
      const err = e instanceof SourceError ? e : new SourceError(`it could not be read: ${(e as Error).message}`, 'openLog');
      if (signal.aborted && err.message === 'the refresh was cancelled') {
        st.status.state = before === 'refreshing' ? 'stale' : before;
      } else {
        st.status = { ...st.status, state: st.status.fetchedAt ? 'stale' : 'empty', error: err.message, nextStep: err.nextStep, retryAt: err.retryAt };
        this.o.log(`${source.label} not refreshed, the last good entities stay (${st.entities.length}): ${err.message}`);
        if (err.retryAt) this.retryAt(st, Date.parse(err.retryAt));
      }
    } finally {
      this.o.changed();
    }
  }

  /** Puts a source's entities into the index (replacing its previous ones) and counts them. */
  private apply(st: State, entities: StoreEntity[]): void {
    const source = st.configured.source;
    const items: PlacementInput[] = [];
    let quarantined = 0;
    // An entity that did not change keeps its record: the index then sees no change for it (views and
    // cross-checks are not redone for a refresh that brought nothing new).
    const previous = new Map<string, EntityRecord>();
    for (const p of this.o.index.placementsOf(storeKey(source.id))) previous.set(p.record.ref, p.record);
    for (const e of entities) {
      const fresh = storeRecord(e);
      if (!fresh) continue;
      const old = previous.get(fresh.ref);
      const record = old && sameEntity(old, fresh) ? old : fresh;
      if (record.quarantine) quarantined++;
      items.push({ record, chunkStart: 0, chunkLine: 0 });
    }
    st.entities = entities;
    st.status.entities = items.length;
    st.status.quarantined = quarantined;
    this.o.index.update(storeKey(source.id), { kind: 'store', source: source.id, label: source.label, url: source.url }, items);
  }

  /** One refresh once a rate limit has reset (not retried before: that would only spend the next window). */
  private retryAt(st: State, at: number): void {
    if (st.retry) clearTimeout(st.retry);
    const ms = Number.isFinite(at) ? Math.min(2 ** 31 - 1, Math.max(1000, at - Date.now())) : 60_000;
    st.retry = setTimeout(() => {
      st.retry = undefined;
      if (!this.disposed && this.states.get(st.configured.source.id) === st) void this.refreshOne(st);
    }, ms);
    st.retry.unref();
  }

  private stop(st: State): void {
    st.running?.controller.abort(new SourceError('the source was removed', 'retry'));
    if (st.retry) clearTimeout(st.retry);
    if (st.timer) clearInterval(st.timer);
    if (st.debounce) clearTimeout(st.debounce);
    st.unwatch?.();
  }

  /** Stops every refresh and timer; resolves when the cache writes under way are done. */
  async dispose(): Promise<void> {
    this.disposed = true;
    for (const st of this.states.values()) this.stop(st);
    await Promise.all(this.saving);
  }
}

function sameEntity(a: EntityRecord, b: EntityRecord): boolean {
  return JSON.stringify(a.quarantine) === JSON.stringify(b.quarantine) && JSON.stringify(a.value) === JSON.stringify(b.value);
}

/** Fetches, trying a few times with a growing wait, unless the failure is permanent or the fetch was cancelled. */
export async function fetchWithRetry(source: CatalogSource, signal: AbortSignal, attempts = 3, backoffMs = 1000): Promise<FetchResult> {
  let wait = backoffMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await source.fetch(signal);
    } catch (e) {
      if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : e;
      if (attempt >= attempts || (e instanceof SourceError && e.permanent)) throw e;
      await sleep(wait, signal);
      wait *= 2;
    }
  }
}

/** Judges entities a few thousand at a time, letting the server answer the editor in between. */
async function judgeInSlices(entities: StoreEntity[], signal: AbortSignal): Promise<StoreEntity[]> {
  const out: StoreEntity[] = [];
  for (let i = 0; i < entities.length; i += 2000) {
    signal.throwIfAborted();
    out.push(...judge(entities.slice(i, i + 2000)));
    if (i + 2000 < entities.length) await new Promise((resolve) => setImmediate(resolve));
  }
  return out;
}

/** Waits `ms`, or rejects when the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The workspace as a source: its files' entities (open editors included), fresh once it has been read;
 * while `checking`, served from the warm-start cache and being checked against the disk.
 */
export function workspaceStatus(index: CatalogIndex, indexing: boolean, checking = false): SourceStatus {
  let entities = 0;
  for (const source of index.sources()) if (!source.startsWith('store:')) entities += index.placementsOf(source).length;
  return { id: 'workspace', type: 'workspace', label: 'Workspace', entities, quarantined: 0, state: indexing || checking ? 'refreshing' : 'fresh', ...(checking ? { fromCache: true } : {}) };
}
