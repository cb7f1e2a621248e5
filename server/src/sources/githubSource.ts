/**
 * Layer 1, a GitHub organisation (docs/store.md, "The github source"): every repository's catalog file at
 * the head of its default branch and its CODEOWNERS, read in pages of repositories through GraphQL.
 *   - Pages start at 25 repositories and halve when GitHub cannot answer one (502/504, RESOURCE_LIMITS_EXCEEDED).
 *   - Incremental: repositories come newest push first; a refresh first asks for the newest push and the
 *     count (one small query), stops there when nothing moved, and otherwise reads only the repositories
 *     pushed since the last read (plus any broken one), keeping the others' entities. A changed count (a
 *     repository created, deleted, archived) or a day since the last full read makes it read everything.
 *   - Partial data: errors inside one repository's node quarantine that repository's entities; any other
 *     error in an answer fails the fetch (the last good entities stay).
 */
import type { SourceSetting } from '../protocol';
import { GITHUB_GRAPHQL_URL, GithubClient, PageTooLarge, type GithubClientOptions } from './githubClient';
import { errorType, probeQuery, repositoriesByNameQuery, repositoriesQuery, type GraphqlErrorAnswer, type RateLimitAnswer, type RepositoriesAnswer, type RepositoryFilter, type RepositoryNode } from './githubQueries';
import { readRepository, type RepositoryResult } from './githubRepository';
import { SourceError, type CatalogSource, type FetchResult } from './source';

export const DEFAULT_PAGE_SIZE = 25;
export const DEFAULT_CATALOG_PATH = 'catalog-info.yaml';
const FULL_READ_EVERY_MS = 24 * 60 * 60_000;

export interface GithubSourceOptions extends Omit<GithubClientOptions, 'endpoint' | 'tokenName'> {
  org: string;
  /** The GraphQL endpoint; github.com's when absent. */
  url?: string;
  label?: string;
  catalogPath?: string;
  includeArchived?: boolean;
  includeForks?: boolean;
  pageSize?: number;
  /** How messages name the token; the sign-in command of the editor when absent. */
  tokenName?: string;
  /** A full read at least this often, to see deletions; a day when absent. */
  fullReadEveryMs?: number;
}

/** The source id: `github:<org>`, or `github:<host>/<org>` for another host than github.com. */
export function githubSourceId(org: string, url?: string): string {
  const host = url ? new URL(url).host : 'api.github.com';
  return host === 'api.github.com' ? `github:${org}` : `github:${host}/${org}`;
}

/** The options a `github` entry of `pavedRoad.catalog.sources` gives. */
export function githubSettingOptions(s: Partial<SourceSetting>): Pick<GithubSourceOptions, 'catalogPath' | 'includeArchived' | 'includeForks'> {
  return {
    catalogPath: typeof s.catalogPath === 'string' && s.catalogPath.trim() ? s.catalogPath.trim().replace(/^\/+/, '') : undefined,
    includeArchived: s.includeArchived === true,
    includeForks: s.includeForks === true,
  };
}

interface Known {
  repos: Map<string, RepositoryResult>;
  total: number;
  newest: string;
  fullAt: number;
}

export class GithubSource implements CatalogSource {
  readonly type = 'github' as const;
  readonly id: string;
  readonly label: string;
  readonly url: string;
  private readonly endpoint: string;
  private readonly catalogPath: string;
  private readonly filter: RepositoryFilter;
  private known?: Known;

  constructor(private readonly o: GithubSourceOptions) {
    this.endpoint = o.url ?? GITHUB_GRAPHQL_URL;
    this.id = githubSourceId(o.org, o.url);
    this.label = o.label ?? (o.url ? `${new URL(this.endpoint).host}/${o.org}` : o.org);
    const web = new URL(this.endpoint);
    this.url = web.host === 'api.github.com' ? `https://github.com/${o.org}` : `${web.protocol}//${web.host}/${o.org}`;
    this.catalogPath = (o.catalogPath ?? DEFAULT_CATALOG_PATH).replace(/^\/+/, '');
    this.filter = { includeArchived: o.includeArchived === true, includeForks: o.includeForks === true };
  }

  async fetch(signal: AbortSignal): Promise<FetchResult> {
    const client = new GithubClient({ ...this.o, endpoint: this.endpoint, tokenName: this.o.tokenName ?? `the sign-in for ${this.id}` });
    const now = (this.o.now ?? Date.now)();
    const known = this.known && now - this.known.fullAt < (this.o.fullReadEveryMs ?? FULL_READ_EVERY_MS) ? this.known : undefined;
    let stopBefore: string | undefined;
    if (known) {
      const probe = await this.query<RepositoriesAnswer>(client, probeQuery(this.filter), { first: 1, after: null }, signal).catch((e: unknown) => {
        throw e instanceof PageTooLarge ? new SourceError(`GitHub could not answer (${e.message})`, 'retry') : e;
      });
      const repos = probe.data.organization!.repositories;
      const unchanged = (repos.nodes[0]?.pushedAt ?? '') === known.newest;
      // The same count: nothing created, deleted or archived (a day's full read catches a swap).
      if (repos.totalCount === known.total) {
        if (unchanged && ![...known.repos.values()].some((r) => r.transient)) return this.result(known, client);
        stopBefore = known.newest;
      }
    }
    const previous = this.known?.repos ?? new Map<string, RepositoryResult>();
    const repos = new Map(stopBefore !== undefined ? previous : []);
    const readNow = new Set<string>();
    const read = async (node: RepositoryNode, answerError: string | undefined): Promise<void> => {
      readNow.add(node.name);
      if ((node.isArchived && !this.filter.includeArchived) || (node.isFork && !this.filter.includeForks)) {
        repos.delete(node.name);
        return;
      }
      signal.throwIfAborted();
      const readWhole = (repo: string, path: string): Promise<string> => client.fileText(this.o.org, repo, path, signal);
      repos.set(node.name, await readRepository(node, { sourceId: this.id, catalogPath: this.catalogPath, readWhole, previous: previous.get(node.name), answerError }));
    };
    let total = 0;
    let newest = '';
    let after: string | null = null;
    let size = this.pageSize();
    for (;;) {
      let answer: Checked<RepositoriesAnswer>;
      try {
        answer = await this.query<RepositoriesAnswer>(client, repositoriesQuery(this.filter), { first: size, after }, signal);
      } catch (e) {
        size = shrink(e, size);
        continue;
      }
      const page = answer.data.organization!.repositories;
      total = page.totalCount;
      const errors = nodeErrors(answer.errors, (e) => repositoryIndex(e, page.nodes));
      let stop = false;
      for (let i = 0; i < page.nodes.length && !stop; i++) {
        const node = page.nodes[i]!;
        newest ||= node.pushedAt ?? '';
        stop = stopBefore !== undefined && (node.pushedAt ?? '') < stopBefore;
        if (!stop) await read(node, errors.get(i));
      }
      if (stop || !page.pageInfo?.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    // Repositories whose last read failed for a reason that may have passed, and that were not read above.
    const again = [...repos.values()].filter((r) => r.transient && !readNow.has(r.name)).map((r) => r.name);
    for (let i = 0; i < again.length; ) {
      const names = again.slice(i, i + size);
      let answer: Checked<ByNameAnswer>;
      try {
        answer = await this.query<ByNameAnswer>(client, repositoriesByNameQuery(names.length), Object.fromEntries(names.map((n, j) => [`r${j}`, n])), signal, names.length);
      } catch (e) {
        size = shrink(e, size);
        continue;
      }
      const org = answer.data.organization as Record<string, RepositoryNode | null>;
      const errors = nodeErrors(answer.errors, (e) => byNameIndex(e, org));
      for (let j = 0; j < names.length; j++) {
        const node = org[`r${j}`];
        if (node) await read(node, errors.get(j));
        else repos.delete(names[j]);
      }
      i += names.length;
    }
    this.known = { repos, total, newest: newest || known?.newest || '', fullAt: stopBefore !== undefined && known ? known.fullAt : now };
    return this.result(this.known, client);
  }

  private pageSize(): number {
    return Math.max(1, Math.min(100, this.o.pageSize ?? DEFAULT_PAGE_SIZE));
  }

  /**
   * One query. An answer without the organisation, or with errors that are not confined to a repository
   * that came (`repositories.nodes[i]` or an alias `rN`, each with its name), fails the fetch.
   */
  private async query<T extends { organization: unknown }>(client: GithubClient, query: string, variables: Record<string, unknown>, signal: AbortSignal, byName = 0): Promise<Checked<T>> {
    const { data, errors } = await client.query<T & { rateLimit?: RateLimitAnswer | null }>(query, { org: this.o.org, ...(query.includes('$catalog') ? { catalog: `HEAD:${this.catalogPath}` } : {}), ...variables }, signal);
    if (!data?.organization) {
      if (errors.some((e) => errorType(e) === 'NOT_FOUND')) throw new SourceError(`the organisation ${this.o.org} is not on ${new URL(this.endpoint).host}, or the token cannot see it`, 'fixSetting', true);
      throw new SourceError(`GitHub answered without the organisation${errors.length ? `: ${errors[0].message}` : ''}`, 'retry');
    }
    const org = data.organization as Record<string, unknown> & RepositoriesAnswer['organization'];
    const nodes = byName ? [] : (org.repositories?.nodes ?? []);
    if (nodes.some((n) => !n)) throw new SourceError(`GitHub's answer lacks a repository (partial data), not taken${errors.length ? `: ${errors[0].message}` : ''}`, 'retry');
    const fatal = errors.find((e) => (byName ? byNameIndex(e, org as Record<string, RepositoryNode | null>) : repositoryIndex(e, nodes)) === undefined);
    if (fatal) throw new SourceError(`GitHub's answer has errors beyond single repositories (partial data), not taken: ${fatal.message}`, 'retry');
    return { data, errors };
  }

  private result(known: Known, client: GithubClient): FetchResult {
    const repos = [...known.repos.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const notes = repos.filter((r) => r.broken).map((r) => `${r.name}: its entities are quarantined: ${r.broken}`);
    return {
      entities: repos.flatMap((r) => r.entities),
      skipped: repos.reduce((n, r) => n + r.skipped, 0),
      judged: true,
      notes,
      usage: { requests: client.requests, points: client.points },
    };
  }
}

/** The page size after GitHub could not answer one: halved; a failure of one repository at a time is final. */
function shrink(e: unknown, size: number): number {
  if (!(e instanceof PageTooLarge)) throw e;
  if (size === 1) throw new SourceError(`GitHub cannot answer even one repository at a time (${e.message})`, 'retry');
  return Math.max(1, Math.floor(size / 2));
}

/** An answer whose organisation came and whose errors are confined to repositories. */
type Checked<T> = { data: T; errors: GraphqlErrorAnswer[] };

type ByNameAnswer = { rateLimit?: RateLimitAnswer | null; organization: Record<string, RepositoryNode | null> | null };

/** The repository node an error is about (its path runs inside a node that came), or undefined. */
function repositoryIndex(e: GraphqlErrorAnswer, nodes: readonly (RepositoryNode | null)[]): number | undefined {
  const p = e.path ?? [];
  if (p.length < 5 || p[0] !== 'organization' || p[1] !== 'repositories' || p[2] !== 'nodes' || typeof p[3] !== 'number') return undefined;
  return nodes[p[3]]?.name ? p[3] : undefined;
}

/** The same for a query by name: the alias `rN` of a repository that came. */
function byNameIndex(e: GraphqlErrorAnswer, org: Record<string, RepositoryNode | null>): number | undefined {
  const p = e.path ?? [];
  const m = p.length >= 3 && p[0] === 'organization' && typeof p[1] === 'string' ? /^r(\d+)$/.exec(p[1]) : null;
  return m && org[p[1]]?.name ? Number(m[1]) : undefined;
}

function nodeErrors(errors: GraphqlErrorAnswer[], indexOf: (e: GraphqlErrorAnswer) => number | undefined): Map<number, string> {
  const out = new Map<number, string>();
  for (const e of errors) {
    const i = indexOf(e)!;
    out.set(i, out.has(i) ? `${out.get(i)}; ${e.message}` : e.message);
  }
  return out;
}
