/**
 * One GraphQL conversation with GitHub (or a GitHub Enterprise Server) for the GitHub source, through
 * @octokit/graphql: the token in the header, a timeout per request, the requests and rate-limit points
 * counted, and GitHub's ways of saying "no" turned into what the source can act on:
 *   - a page too large (502/504, RESOURCE_LIMITS_EXCEEDED): `PageTooLarge`, the caller halves the page;
 *   - a rate limit (403/429 with retry-after or no points left, a RATE_LIMITED error, no points left
 *     before asking): a short wait is waited here (the clock and the wait are injectable), a long one is
 *     a SourceError `waitRateLimit` carrying when to try again;
 *   - 401: `signIn`, naming the token (never showing it).
 * Errors in an answer that carries data are handed back with the data: the caller decides (githubSource.ts).
 */
import { GraphqlResponseError, graphql } from '@octokit/graphql';
import { errorType, type GraphqlErrorAnswer, type RateLimitAnswer } from './githubQueries';
import { SourceError } from './source';
import { sleep } from './sourceManager';
import { safeUrl, URL_TIMEOUT_MS, withTimeout } from './snapshotSource';

export const GITHUB_GRAPHQL_URL = 'https://api.github.com/graphql';

export interface GithubClientOptions {
  /** The GraphQL endpoint (`https://api.github.com/graphql`, `https://ghe.example.com/api/graphql`). */
  endpoint: string;
  token: () => string | undefined;
  /** Where the token is set, for messages (an environment variable, the sign-in command): never its value. */
  tokenName: string;
  fetch?: typeof fetch;
  /** The clock (ms since the epoch) and the wait, injectable for tests. */
  now?: () => number;
  wait?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** A rate-limit wait up to this long is waited in place; a longer one fails the fetch with `waitRateLimit`. */
  maxWaitMs?: number;
  timeoutMs?: number;
}

/** The page asked for was more than GitHub would compute in time or within its resource caps. */
export class PageTooLarge extends Error {}

/** What GitHub answered: the data, and the errors that came with it (partial data). */
export interface Answer<T> {
  data: T | null;
  errors: GraphqlErrorAnswer[];
}

interface HttpFailure {
  status?: number;
  message: string;
  headers: Record<string, string | undefined>;
  network: boolean;
}

/** The REST base of a GraphQL endpoint: api.github.com/graphql → api.github.com, …/api/graphql → …/api/v3. */
export function restBase(endpoint: string): string {
  const u = new URL(endpoint);
  const path = u.pathname.replace(/\/+$/, '');
  u.pathname = path.endsWith('/api/graphql') ? `${path.slice(0, -'/graphql'.length)}/v3` : path.replace(/\/graphql$/, '');
  u.search = '';
  return u.toString().replace(/\/+$/, '');
}

export class GithubClient {
  /** Requests sent (each retry counts) and the points GitHub said they cost. */
  requests = 0;
  points = 0;
  rateLimit?: RateLimitAnswer;
  private readonly now: () => number;
  private readonly wait: (ms: number, signal: AbortSignal) => Promise<void>;
  private readonly host: string;

  constructor(private readonly o: GithubClientOptions) {
    this.now = o.now ?? Date.now;
    this.wait = o.wait ?? sleep;
    this.host = new URL(o.endpoint).host;
  }

  private authorization(): string {
    const token = this.o.token();
    if (!token) throw new SourceError(`no GitHub token: set one in ${this.o.tokenName}`, 'signIn', true);
    return `bearer ${token}`;
  }

  /** Sends one query; waits out short rate limits; throws PageTooLarge or a SourceError. */
  async query<T extends { rateLimit?: RateLimitAnswer | null }>(query: string, variables: Record<string, unknown>, signal: AbortSignal): Promise<Answer<T>> {
    for (let attempt = 1; ; attempt++) {
      await this.budget(signal);
      const authorization = this.authorization();
      const t = withTimeout(signal, this.o.timeoutMs ?? URL_TIMEOUT_MS);
      this.requests++;
      try {
        const send = graphql.defaults({ url: this.o.endpoint, headers: { authorization }, request: { fetch: this.o.fetch, signal: t.signal } });
        const data = await send<T>(query, variables);
        this.account(data);
        return { data, errors: [] };
      } catch (e) {
        if (t.signal.aborted) throw t.signal.reason instanceof Error ? t.signal.reason : e;
        if (e instanceof GraphqlResponseError) {
          const data = (e.data ?? null) as T | null;
          this.account(data);
          // GitHub Enterprise Server with rate limiting off answers `rateLimit` with an error: no points to count.
          const errors = ((e.errors ?? []) as GraphqlErrorAnswer[]).filter((x) => x.path?.[0] !== 'rateLimit');
          const types = errors.map(errorType);
          if (types.some((x) => x === 'RATE_LIMITED' || x === 'RATE_LIMIT' || x === 'graphql_rate_limit')) {
            await this.rateLimited(e.headers as Record<string, string | undefined>, attempt, signal);
            continue;
          }
          if (types.includes('RESOURCE_LIMITS_EXCEEDED')) throw new PageTooLarge(errors[0].message);
          return { data, errors };
        }
        const failure = httpFailure(e);
        if (failure.network) throw new SourceError(`${this.host} cannot be reached (${failure.message})`, 'retry');
        const status = failure.status ?? 0;
        if (status === 401) throw new SourceError(`GitHub at ${this.host} rejected the token from ${this.o.tokenName} (401 ${failure.message}): set a valid one`, 'signIn', true);
        if (status === 403 || status === 429) {
          if (isRateLimit(failure)) {
            await this.rateLimited(failure.headers, attempt, signal);
            continue;
          }
          throw new SourceError(`GitHub at ${this.host} refused the token from ${this.o.tokenName} (${status} ${failure.message}): it lacks access to the organisation or a scope`, 'signIn', true);
        }
        if (status === 502 || status === 504) throw new PageTooLarge(`${status} ${failure.message}`);
        if (status === 404) throw new SourceError(`${safeUrl(this.o.endpoint)} is not a GitHub GraphQL endpoint (404)`, 'fixSetting', true);
        throw new SourceError(`GitHub at ${this.host} answered ${status} ${failure.message}`.trim(), 'retry');
      } finally {
        t.done();
      }
    }
  }

  /** The whole text of a file at the default branch's head, through the REST contents API of the same host. */
  async fileText(owner: string, repo: string, path: string, signal: AbortSignal): Promise<string> {
    const authorization = this.authorization();
    const t = withTimeout(signal, this.o.timeoutMs ?? URL_TIMEOUT_MS);
    const url = `${restBase(this.o.endpoint)}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/contents/${path.split('/').map(encodeURIComponent).join('/')}`;
    this.requests++;
    try {
      const res = await (this.o.fetch ?? fetch)(url, { signal: t.signal, headers: { authorization, accept: 'application/vnd.github.raw' } });
      if (!res.ok) {
        await res.body?.cancel().catch(() => undefined);
        throw new Error(`the REST contents API answered ${res.status}`);
      }
      return await res.text();
    } catch (e) {
      if (signal.aborted) throw e;
      throw new Error(t.signal.aborted ? 'the REST contents API did not answer in time' : (e as Error).message.startsWith('the REST') ? (e as Error).message : 'the REST contents API cannot be reached');
    } finally {
      t.done();
    }
  }

  private account(data: { rateLimit?: RateLimitAnswer | null } | null): void {
    const rl = data?.rateLimit;
    if (!rl) return;
    this.rateLimit = rl;
    this.points += rl.cost;
  }

  /** No points left before asking: wait for the reset, or say when it is. */
  private async budget(signal: AbortSignal): Promise<void> {
    const rl = this.rateLimit;
    if (!rl || rl.remaining > 0) return;
    const resetAt = Date.parse(rl.resetAt);
    this.rateLimit = undefined;
    await this.waitUntil(Number.isFinite(resetAt) ? resetAt : this.now() + 60_000, 'the GraphQL rate limit is spent', signal);
  }

  private async rateLimited(headers: Record<string, string | undefined>, attempt: number, signal: AbortSignal): Promise<void> {
    const after = Number(headers['retry-after']);
    const reset = Number(headers['x-ratelimit-reset']);
    const known = this.rateLimit ? Date.parse(this.rateLimit.resetAt) : NaN;
    // GitHub's advice: retry-after, else the reset, else at least a minute.
    const at = Number.isFinite(after) && headers['retry-after'] ? this.now() + after * 1000 : Number.isFinite(reset) && reset > 0 ? reset * 1000 : Number.isFinite(known) ? known : this.now() + 60_000;
    if (attempt >= 3) throw rateLimitError(at, 'GitHub still limits the rate after waiting twice');
    await this.waitUntil(at, 'GitHub limits the rate of requests', signal);
  }

  private async waitUntil(at: number, why: string, signal: AbortSignal): Promise<void> {
    const ms = Math.max(0, at - this.now());
    if (ms > (this.o.maxWaitMs ?? 60_000)) throw rateLimitError(at, why);
    await this.wait(ms, signal);
  }
}

function rateLimitError(at: number, why: string): SourceError {
  const retryAt = new Date(Math.ceil(at / 1000) * 1000).toISOString();
  return new SourceError(`${why}: try again after ${retryAt}`, 'waitRateLimit', true, retryAt);
}

function isRateLimit(f: HttpFailure): boolean {
  return f.status === 429 || !!f.headers['retry-after'] || f.headers['x-ratelimit-remaining'] === '0' || /rate limit/i.test(f.message);
}

function httpFailure(e: unknown): HttpFailure {
  const err = e as { status?: number; message?: string; response?: { headers?: Record<string, string | undefined> }; cause?: unknown };
  if (!err.response) {
    const cause = err.cause as { cause?: { code?: string }; code?: string } | undefined;
    return { network: true, message: cause?.cause?.code ?? cause?.code ?? 'no answer', headers: {} };
  }
  // Only GitHub's own words, one line, without anything URL-like (a URL may carry a token).
  const message = String(err.message ?? '')
    .split('\n')[0]
    .replace(/(\s+-\s+)?\b[a-z][a-z0-9+.-]*:\/\/\S*/gi, '')
    .slice(0, 200);
  return { network: false, status: err.status, message, headers: err.response.headers ?? {} };
}
