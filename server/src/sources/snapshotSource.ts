/**
 * Layer 1, a catalog snapshot: a file (JSON, or YAML) or an https URL holding entities in one of the
 * shapes of storeFormat.ts. A platform team publishes one file and every editor reads it.
 */
import { promises as fs, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import { parse } from 'yaml';
import { MAX_FILE_BYTES } from '../catalog/analyze';
import { parseSnapshot } from './storeFormat';
import { SourceError, type CatalogSource, type FetchResult } from './source';

/** Snapshots are larger than any one catalog file: 100,000 entities are about 60 MB of JSON. */
export const MAX_SNAPSHOT_BYTES = MAX_FILE_BYTES * 40;
/** How long one HTTP request may take, connection to last byte. */
export const URL_TIMEOUT_MS = 30_000;

/** A URL for messages and labels: no credentials, no query (it may carry a token). */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return 'the URL';
  }
}

/** The text's entities (JSON when it looks like JSON or the name says so, YAML otherwise). */
export function parseSnapshotText(text: string, name: string, sourceId: string, permanent = false): FetchResult {
  let data: unknown;
  try {
    data = name.endsWith('.json') || /^\s*[[{]/.test(text) ? JSON.parse(text) : parse(text, { maxAliasCount: 100 });
  } catch (e) {
    throw new SourceError(`it is not valid ${name.endsWith('.json') ? 'JSON' : 'JSON or YAML'} (truncated or malformed?): ${(e as Error).message}`, 'fixSetting', permanent);
  }
  try {
    const { entities, skipped } = parseSnapshot(data, sourceId);
    return { entities, skipped };
  } catch (e) {
    throw new SourceError((e as Error).message, 'fixSetting', permanent);
  }
}

/** Rejects when `signal` aborts, or after `ms`; the combined signal for the work. */
export function withTimeout(signal: AbortSignal, ms: number): { signal: AbortSignal; done: () => void } {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(signal.reason);
  if (signal.aborted) controller.abort(signal.reason);
  else signal.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => controller.abort(new SourceError(`no answer within ${ms / 1000} s`, 'retry')), ms);
  return {
    signal: controller.signal,
    done: () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    },
  };
}

export class SnapshotFileSource implements CatalogSource {
  readonly type = 'snapshot' as const;
  readonly id: string;
  constructor(
    readonly path: string,
    readonly label: string,
  ) {
    this.id = `snapshot:${path}`;
  }

  async fetch(signal: AbortSignal): Promise<FetchResult> {
    let text: string;
    try {
      const st = await fs.stat(this.path);
      if (!st.isFile()) throw new SourceError(`${this.path} is not a file`, 'fixSetting', true);
      if (st.size > MAX_SNAPSHOT_BYTES) throw new SourceError(`it is ${(st.size / 1024 / 1024).toFixed(0)} MB, above the ${MAX_SNAPSHOT_BYTES / 1024 / 1024} MB limit`, 'fixSetting', true);
      text = await fs.readFile(this.path, { encoding: 'utf8', signal });
    } catch (e) {
      if (e instanceof SourceError || signal.aborted) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      throw new SourceError(code === 'ENOENT' ? `${this.path} does not exist` : `${this.path} cannot be read (${code ?? (e as Error).message})`, code === 'ENOENT' ? 'fixSetting' : 'retry', code === 'ENOENT');
    }
    // A file that is being written is read again when the write ends (it is watched): no retry now.
    return parseSnapshotText(text, this.path, this.id, true);
  }

  watch(changed: () => void): () => void {
    return watchPath(this.path, changed);
  }
}

export class SnapshotUrlSource implements CatalogSource {
  readonly type = 'snapshot' as const;
  readonly id: string;
  constructor(
    readonly url: string,
    readonly label: string,
    private readonly timeoutMs = URL_TIMEOUT_MS,
  ) {
    this.id = `snapshot:${safeUrl(url)}`;
  }

  async fetch(signal: AbortSignal): Promise<FetchResult> {
    const text = await fetchText(this.url, signal, this.timeoutMs);
    return parseSnapshotText(text, new URL(this.url).pathname, this.id);
  }
}

/**
 * GETs `url` and returns its body as text, within `timeoutMs` (connection to last byte), as a SourceError
 * that says what to do otherwise: 401/403 sign in (unless it is a rate limit), 404 fix the setting, 429 and
 * a 403 with a rate limit wait, 5xx and network failures retry. Extra headers (a token) are sent as given
 * and never appear in a message.
 */
export async function fetchText(url: string, signal: AbortSignal, timeoutMs = URL_TIMEOUT_MS, headers: Record<string, string> = {}): Promise<string> {
  const t = withTimeout(signal, timeoutMs);
  const where = safeUrl(url);
  const request = requestOf(url);
  try {
    let res: Response;
    try {
      res = await fetch(request.url, { signal: t.signal, headers: { ...request.headers, ...headers } });
    } catch (e) {
      throw reason(t.signal, e, `${where} cannot be reached`);
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      throw statusError(res, where);
    }
    const declared = Number(res.headers.get('content-length') ?? 0);
    if (declared > MAX_SNAPSHOT_BYTES) throw new SourceError(`${where} is ${(declared / 1024 / 1024).toFixed(0)} MB, above the ${MAX_SNAPSHOT_BYTES / 1024 / 1024} MB limit`, 'fixSetting', true);
    try {
      return await res.text();
    } catch (e) {
      throw reason(t.signal, e, `the answer of ${where} broke off`);
    }
  } finally {
    t.done();
  }
}

/** The SourceError of an HTTP answer that is not 2xx. */
function statusError(res: Response, where: string): SourceError {
  const what = `${where} answered ${res.status} ${res.statusText}`.trim();
  const limited = res.status === 429 || (res.status === 403 && (res.headers.has('retry-after') || res.headers.get('x-ratelimit-remaining') === '0'));
  if (limited) return new SourceError(`${what} (rate limited)`, 'waitRateLimit');
  if (res.status === 401 || res.status === 403) return new SourceError(what, 'signIn', true);
  return new SourceError(what, res.status === 404 ? 'fixSetting' : 'retry', res.status >= 400 && res.status < 500 && res.status !== 408);
}

/** fetch refuses a URL with credentials in it: they go in an Authorization header instead. */
function requestOf(url: string): { url: string; headers: Record<string, string> } {
  const headers: Record<string, string> = { accept: 'application/json' };
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}`;
      u.username = '';
      u.password = '';
    }
    return { url: u.toString(), headers };
  } catch {
    return { url, headers };
  }
}

/** The abort's reason (a timeout, a cancellation) when the signal fired; otherwise `what` and the cause. */
function reason(signal: AbortSignal, e: unknown, what: string): unknown {
  if (signal.aborted) return signal.reason instanceof SourceError ? signal.reason : e;
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  // Only an error code, or a message without anything URL-like: the URL may carry a token.
  const detail = cause?.code ?? (cause?.message ?? (e as Error).message).replace(/\b[a-z][a-z0-9+.-]*:\/\/\S*/gi, '…');
  return new SourceError(`${what} (${detail})`, 'retry');
}

/**
 * Calls `changed` when a file (or anything under a folder, with `folder`) changes. A file is watched
 * through its folder: editors and `ingest` replace a file by renaming over it, which ends a watch on the
 * file itself. A path that cannot be watched is not watched: refreshes still run on their interval.
 */
export function watchPath(path: string, changed: () => void, folder = false): () => void {
  try {
    const name = basename(path);
    const w = watch(folder ? path : dirname(path), { persistent: false, recursive: folder }, (_event, file) => {
      if (folder || !file || file === name) changed();
    });
    w.on('error', () => w.close());
    return () => w.close();
  } catch {
    return () => undefined;
  }
}
