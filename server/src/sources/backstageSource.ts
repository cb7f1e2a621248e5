/**
 * Layer 1, a live Backstage catalog: `GET {base}/api/catalog/entities/by-query`, page after page by
 * `pageInfo.nextCursor`, asking only for the fields the index reads. The static token (Backstage's
 * `backend.auth.externalAccess`) comes from tokens.ts and goes in the Authorization header only.
 * A fetch gives all pages or fails: a page that fails, a malformed page, a cursor that loops or fewer
 * entities than the catalog said it holds, and the SourceManager keeps the last good entities.
 */
import { parseSnapshot } from './storeFormat';
import { SourceError, type CatalogSource, type FetchResult, type StoreEntity } from './source';
import { fetchText, safeUrl, URL_TIMEOUT_MS } from './snapshotSource';
import { tokenFor } from './tokens';

/** Entities per request: large pages are few requests, and Backstage streams them. */
export const BACKSTAGE_PAGE_SIZE = 500;
/** A catalog of a million entities is 2,000 pages: more than this is a cursor that loops. */
const MAX_PAGES = 10_000;
/** What the index, the cards and the checks read; uid, etag, relations and status are left on the server. */
export const BACKSTAGE_FIELDS = [
  'apiVersion',
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.description',
  'metadata.labels',
  'metadata.tags',
  'metadata.annotations',
  'metadata.links',
  'spec',
];

export interface BackstageOptions {
  pageSize?: number;
  timeoutMs?: number;
  /** The token, read for every request; by default the one tokens.ts holds for this source's id. */
  token?: () => string | undefined;
  /** Called after each page is read (its number, the entities so far), before the next is asked for. */
  onPage?(page: number, entities: number): void | Promise<void>;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/** The id of the Backstage source at `base` (its URL without credentials, query or trailing slash). */
export function backstageId(base: string): string {
  return `backstage:${safeUrl(base).replace(/\/+$/, '')}`;
}

export class BackstageSource implements CatalogSource {
  readonly type = 'backstage' as const;
  readonly id: string;
  readonly url: string;
  /** HTTP requests made so far (every page of every attempt), for the CLI's summary. */
  requests = 0;
  private readonly pageSize: number;
  private readonly timeoutMs: number;
  private readonly onPage?: BackstageOptions['onPage'];
  private readonly token: () => string | undefined;

  constructor(
    private readonly base: string,
    readonly label: string = safeUrl(base).replace(/\/+$/, ''),
    options: BackstageOptions = {},
  ) {
    this.id = backstageId(base);
    this.url = safeUrl(base).replace(/\/+$/, '');
    this.pageSize = Math.max(1, Math.floor(options.pageSize ?? BACKSTAGE_PAGE_SIZE));
    this.timeoutMs = options.timeoutMs ?? URL_TIMEOUT_MS;
    this.onPage = options.onPage;
    this.token = options.token ?? (() => tokenFor(this.id));
  }

  /** The by-query URL of a page: the first one, or the one a cursor points at. */
  private pageUrl(cursor: string | undefined): string {
    const u = new URL(`${this.base.replace(/\/+$/, '')}/api/catalog/entities/by-query`);
    if (cursor) u.searchParams.set('cursor', cursor);
    u.searchParams.set('limit', String(this.pageSize));
    u.searchParams.set('fields', BACKSTAGE_FIELDS.join(','));
    return u.toString();
  }

  async fetch(signal: AbortSignal): Promise<FetchResult> {
    const entities: StoreEntity[] = [];
    let skipped = 0;
    let plumbing = 0;
    let total: number | undefined;
    let cursor: string | undefined;
    const cursors = new Set<string>();
    const requestsBefore = this.requests;
    for (let page = 1; ; page++) {
      if (page > MAX_PAGES) throw new SourceError(`${this.url} gave more than ${MAX_PAGES} pages`, 'openLog');
      const body = await this.page(cursor, signal, page);
      if (total === undefined && typeof body.totalItems === 'number') total = body.totalItems;
      const read = parseSnapshot({ items: body.items }, this.id);
      skipped += read.skipped;
      for (const e of read.entities) {
        if (isConfigLocation(e.entity)) plumbing++;
        else entities.push(e);
      }
      await this.onPage?.(page, entities.length);
      const next = isObj(body.pageInfo) ? body.pageInfo.nextCursor : undefined;
      if (next === undefined || next === null || next === '') break;
      if (typeof next !== 'string') throw this.malformed(page, 'pageInfo.nextCursor is not a string');
      if (cursors.has(next)) throw new SourceError(`${this.url} sent the same page cursor twice (page ${page})`, 'retry');
      cursors.add(next);
      cursor = next;
    }
    // The catalog said how many it holds when the first page was read: fewer is a page set cut short.
    const got = entities.length + plumbing + skipped;
    if (total !== undefined && got < total) throw new SourceError(`${this.url} gave ${got} of the ${total} entities it announced (it changed, or pages were lost)`, 'retry');
    return { entities, skipped, usage: { requests: this.requests - requestsBefore } };
  }

  private async page(cursor: string | undefined, signal: AbortSignal, page: number): Promise<Obj & { items: unknown[] }> {
    const token = this.token();
    let text: string;
    this.requests++;
    try {
      text = await fetchText(this.pageUrl(cursor), signal, this.timeoutMs, token ? { authorization: `Bearer ${token}` } : {});
    } catch (e) {
      if (e instanceof SourceError && e.nextStep === 'signIn') {
        throw new SourceError(`${e.message}: ${token ? 'the token was rejected' : 'it needs a token'}`, 'signIn', true);
      }
      throw e instanceof SourceError && page > 1 ? new SourceError(`${e.message} (at page ${page})`, e.nextStep, e.permanent) : e;
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw this.malformed(page, 'it is not JSON');
    }
    if (!isObj(body) || !Array.isArray(body.items)) throw this.malformed(page, 'no items list');
    return body as Obj & { items: unknown[] };
  }

  private malformed(page: number, why: string): SourceError {
    return new SourceError(`${this.url} answered page ${page} with something that is not a catalog page (${why})`, 'retry');
  }
}

/**
 * Backstage's own Location entities for the locations of its configuration: `generated-<sha1>`, each
 * managed by the location it names. They are plumbing, not part of the company's catalog.
 */
function isConfigLocation(entity: Obj): boolean {
  if (String(entity.kind).toLowerCase() !== 'location' || !isObj(entity.metadata) || !isObj(entity.spec)) return false;
  const { name, annotations } = entity.metadata;
  return typeof name === 'string' && name.startsWith('generated-') && isObj(annotations) && annotations['backstage.io/managed-by-location'] === `${String(entity.spec.type)}:${String(entity.spec.target)}`;
}
