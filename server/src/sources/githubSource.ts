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
import { probeQuery, repositoriesQuery, type GraphqlErrorAnswer, type RepositoriesAnswer, type RepositoryFilter, type RepositoryNode } from './githubQueries';
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
    const client = new GithubClient({ ...this.o, endpoint: this.endpoint, tokenName: this.o.tokenName ?? `the token of ${this.id} (command "Paved Road: Sign In to a Catalog Source")` });
    const now = (this.o.now ?? Date.now)();
    const known = this.known && now - this.known.fullAt < (this.o.fullReadEveryMs ?? FULL_READ_EVERY_MS) ? this.known : undefined;
    let stopBefore: string | undefined;
    if (known) {
      const probe = await this.page(client, probeQuery(this.filter), 1, null, signal);
      const repos = probe.data.organization!.repositories;
      const newest = repos.nodes[0]?.pushedAt ?? '';
      const broken = [...known.repos.values()].filter((r) => r.broken);
      if (repos.totalCount === known.total) {
        if (newest === known.newest && !broken.length) return this.result(known, client);
        // Everything pushed at or after the last read's newest push (and after the oldest broken one) again.
        stopBefore = [known.newest, ...broken.map((r) => r.pushedAt)].sort()[0];
      }
    }
    const previous = this.known?.repos ?? new Map<string, RepositoryResult>();
    const repos = new Map(stopBefore !== undefined ? previous : []);
    let total = 0;
    let newest = '';
    let after: string | null = null;
    let size = Math.max(1, Math.min(100, this.o.pageSize ?? DEFAULT_PAGE_SIZE));
    for (;;) {
      let answer: { data: RepositoriesAnswer; errors: GraphqlErrorAnswer[] };
      try {
        answer = await this.page(client, repositoriesQuery(this.filter), size, after, signal);
      } catch (e) {
        if (!(e instanceof PageTooLarge)) throw e;
        if (size === 1) throw new SourceError(`GitHub cannot answer even one repository at a time (${e.message})`, 'retry');
        size = Math.max(1, Math.floor(size / 2));
        continue;
      }
      const page = answer.data.organization!.repositories;
      total = page.totalCount;
      const errorsByNode = nodeErrors(answer.errors, page.nodes);
      let stop = false;
      for (let i = 0; i < page.nodes.length; i++) {
        const node = page.nodes[i]!;
        if (!newest && node.pushedAt) newest = node.pushedAt;
        if (stopBefore !== undefined && (node.pushedAt ?? '') < stopBefore) {
          stop = true;
          break;
        }
        if ((node.isArchived && !this.filter.includeArchived) || (node.isFork && !this.filter.includeForks)) {
          repos.delete(node.name);
          continue;
        }
        signal.throwIfAborted();
        const readWhole = (repo: string, path: string): Promise<string> => client.fileText(this.o.org, repo, path, signal);
        repos.set(node.name, await readRepository(node, { sourceId: this.id, catalogPath: this.catalogPath, readWhole, previous: previous.get(node.name), answerError: errorsByNode.get(i) }));
      }
      if (stop || !page.pageInfo?.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    this.known = { repos, total, newest: newest || known?.newest || '', fullAt: stopBefore !== undefined && known ? known.fullAt : now };
    return this.result(this.known, client);
  }

  /** One query; an answer without the organisation, or with errors outside repository nodes, fails the fetch. */
  private async page(client: GithubClient, query: string, first: number, after: string | null, signal: AbortSignal): Promise<{ data: RepositoriesAnswer; errors: GraphqlErrorAnswer[] }> {
    const { data, errors } = await client.query<RepositoriesAnswer>(query, { org: this.o.org, first, after, catalog: `HEAD:${this.catalogPath}` }, signal);
    if (!data?.organization) {
      if (errors.some((e) => (e.type ?? '') === 'NOT_FOUND')) throw new SourceError(`the organisation ${this.o.org} is not on ${new URL(this.endpoint).host}, or the token cannot see it`, 'fixSetting', true);
      throw new SourceError(`GitHub answered without the organisation${errors.length ? `: ${errors[0].message}` : ''}`, 'retry');
    }
    const nodes = data.organization.repositories.nodes;
    if (nodes.some((n) => !n)) throw new SourceError(`GitHub's answer lacks a repository (partial data), not taken${errors.length ? `: ${errors[0].message}` : ''}`, 'retry');
    const fatal = errors.find((e) => repositoryIndex(e, nodes) === undefined);
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

/** The repository node an error is about (its path runs inside a node that came), or undefined. */
function repositoryIndex(e: GraphqlErrorAnswer, nodes: readonly (RepositoryNode | null)[]): number | undefined {
  const p = e.path ?? [];
  if (p.length < 5 || p[0] !== 'organization' || p[1] !== 'repositories' || p[2] !== 'nodes' || typeof p[3] !== 'number') return undefined;
  return nodes[p[3]]?.name ? p[3] : undefined;
}

function nodeErrors(errors: GraphqlErrorAnswer[], nodes: readonly (RepositoryNode | null)[]): Map<number, string> {
  const out = new Map<number, string>();
  for (const e of errors) {
    const i = repositoryIndex(e, nodes)!;
    out.set(i, out.has(i) ? `${out.get(i)}; ${e.message}` : e.message);
  }
  return out;
}
