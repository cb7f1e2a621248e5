/**
 * A local GitHub for the GitHub source's tests and benchmark, on 127.0.0.1: a GraphQL endpoint that
 * checks every query against GitHub's published schema (@octokit/graphql-schema's introspection JSON,
 * graphql@16's validate()), enforces GitHub's own rules (first/last on every connection, 1 to 100; at
 * most 500,000 nodes), computes each query's rate-limit cost with GitHub's formula and reports it through
 * `rateLimit`, and answers from fixture organisations (fixtures.ts). The REST contents API serves files
 * whole. Faults are injected on demand: 502, RESOURCE_LIMITS_EXCEEDED, primary and secondary rate
 * limits, partial data with errors, 401.
 * Served at `/graphql` and `/api/graphql` (GitHub Enterprise Server), REST at `/repos/…` and `/api/v3/repos/…`.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { buildClientSchema, execute, GraphQLError, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { queryCost } from './cost';
import type { FixtureOrg, FixtureRepo } from './fixtures';

/** GraphQL serves blobs up to this many bytes of text, as GitHub does. */
export const BLOB_LIMIT = 512_000;

export type Fault =
  | { kind: '502'; times?: number; whenFirstAbove?: number }
  | { kind: 'resourceLimits'; times?: number; whenFirstAbove?: number }
  | { kind: 'secondaryRateLimit'; times?: number; retryAfterSeconds: number }
  | { kind: 'primaryRateLimit'; times?: number; resetInSeconds: number }
  /** An error inside one repository's catalog blob (`blob`), or a repository node lost (`node`). */
  | { kind: 'partial'; times?: number; repo: string; where: 'blob' | 'node' }
  | { kind: '401'; times?: number }
  /** No answer at all (the client's timeout), or an answer that is not GraphQL's JSON. */
  | { kind: 'hang'; times?: number }
  | { kind: 'malformed'; times?: number }
  | { kind: 'restDown'; times?: number };

export interface PeerRequest {
  kind: 'graphql' | 'rest';
  path: string;
  status: number;
  query?: string;
  variables?: Record<string, unknown>;
  cost?: number;
  /** The validation errors of a rejected query. */
  invalid?: string[];
}

let cachedSchema: GraphQLSchema | undefined;
/** GitHub's schema, built once per process from the introspection JSON (buildSchema rejects the SDL). */
export function githubSchema(): GraphQLSchema {
  if (!cachedSchema) {
    // The package exports only its ESM entry (which loads graphql's ESM build, a second copy): read the JSON.
    const json = JSON.parse(readFileSync(join(dirname(require.resolve('graphql')), '..', '@octokit', 'graphql-schema', 'schema.json'), 'utf8')) as { data?: unknown; __schema?: unknown };
    cachedSchema = buildClientSchema((json.data ?? json) as Parameters<typeof buildClientSchema>[0]);
  }
  return cachedSchema;
}

class GithubError extends Error {
  constructor(
    message: string,
    readonly type: string,
  ) {
    super(message);
  }
}

export class GithubPeer {
  readonly orgs = new Map<string, FixtureOrg>();
  readonly faults: Fault[] = [];
  readonly requests: PeerRequest[] = [];
  /** The token the peer accepts. */
  token = 'ghp_peer-token-0123456789';
  /** Points per hour, and what is left. */
  limit = 5000;
  remaining = 5000;
  resetAt = new Date(Date.now() + 3600_000).toISOString();
  /** GitHub Enterprise Server with rate limiting off: `rateLimit` answers with an error. */
  rateLimitDisabled = false;
  private server?: Server;
  private readonly schema = githubSchema();

  constructor(orgs: FixtureOrg[] = []) {
    for (const o of orgs) this.orgs.set(o.login.toLowerCase(), o);
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  graphqlRequests(): PeerRequest[] {
    return this.requests.filter((r) => r.kind === 'graphql');
  }

  /** The first pending fault of a kind that applies, used up once. */
  private take<K extends Fault['kind']>(kind: K, applies: (f: Extract<Fault, { kind: K }>) => boolean = () => true): Extract<Fault, { kind: K }> | undefined {
    const i = this.faults.findIndex((f) => f.kind === kind && applies(f as Extract<Fault, { kind: K }>));
    if (i === -1) return undefined;
    const f = this.faults[i] as Extract<Fault, { kind: K }>;
    if (f.times !== undefined && --f.times <= 0) this.faults.splice(i, 1);
    return f;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, body: unknown, headers: Record<string, string> = {}, record: Partial<PeerRequest> = {}): void => {
      this.requests.push({ kind: req.method === 'POST' ? 'graphql' : 'rest', path, status, ...record });
      res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json', ...headers });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.headers.authorization !== `bearer ${this.token}` || this.take('401')) {
      return send(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/graphql' });
    }
    const rest = /^(?:\/api\/v3)?\/repos\/([^/]+)\/([^/]+)\/contents\/(.+)$/.exec(path);
    if (req.method === 'GET' && rest) {
      const repo = this.repo(decodeURIComponent(rest[1]), decodeURIComponent(rest[2]));
      const text = repo?.files.get(rest[3].split('/').map(decodeURIComponent).join('/'));
      if (this.take('restDown')) return send(500, { message: 'Server Error' });
      return text === undefined ? send(404, { message: 'Not Found' }) : send(200, text);
    }
    if (req.method !== 'POST' || !/(?:^|\/api)\/graphql$/.test(path)) return send(404, { message: 'Not Found' });
    let body: { query?: string; variables?: Record<string, unknown> };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
    } catch {
      return send(400, { message: 'Problems parsing JSON' });
    }
    const record: Partial<PeerRequest> = { query: body.query, variables: body.variables };
    if (this.take('hang')) return void this.requests.push({ kind: 'graphql', path, status: 0, ...record });
    if (this.take('malformed')) return send(200, '<html>Unicorn! This page is taking way too long to load.</html>', { 'content-type': 'text/html' }, record);
    let document: DocumentNode;
    try {
      document = parse(body.query ?? '');
    } catch (e) {
      return send(200, { errors: [{ message: (e as GraphQLError).message }] }, {}, { ...record, invalid: [(e as Error).message] });
    }
    const variables = body.variables ?? {};
    const invalid = validate(this.schema, document).map((e) => e.message);
    const cost = invalid.length ? undefined : queryCost(this.schema, document, variables);
    if (cost && 'errors' in cost) invalid.push(...cost.errors);
    if (invalid.length || !cost || 'errors' in cost) return send(200, { errors: invalid.map((message) => ({ message })) }, {}, { ...record, invalid });
    record.cost = cost.cost;
    const first = Number(variables.first ?? 0);
    if (this.take('502', (f) => !f.whenFirstAbove || first > f.whenFirstAbove)) return send(502, { message: 'We couldn\'t respond to your request in time. Sorry about that. Please try resubmitting your request and contact us if the problem persists.' }, {}, record);
    const secondary = this.take('secondaryRateLimit');
    if (secondary) return send(403, { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' }, { 'retry-after': String(secondary.retryAfterSeconds) }, record);
    const primary = this.take('primaryRateLimit');
    if (primary) {
      const reset = Math.ceil(Date.now() / 1000) + primary.resetInSeconds;
      return send(200, { errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded for user ID 1.' }] }, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) }, record);
    }
    if (this.take('resourceLimits', (f) => !f.whenFirstAbove || first > f.whenFirstAbove)) {
      return send(200, { data: { rateLimit: null, organization: null }, errors: [{ type: 'RESOURCE_LIMITS_EXCEEDED', path: ['organization'], message: 'Resource limits for this query exceeded.' }] }, {}, record);
    }
    this.remaining = Math.max(0, this.remaining - cost.cost);
    const result = await execute({ schema: this.schema, document, variableValues: variables, rootValue: this.root(cost.cost) });
    const errors = result.errors?.map((e) => ({ message: e.message, path: e.path, locations: e.locations, ...(e.originalError instanceof GithubError ? { type: e.originalError.type } : {}) }));
    send(200, { data: result.data, ...(errors ? { errors } : {}) }, { 'x-ratelimit-remaining': String(this.remaining), 'x-ratelimit-used': String(this.limit - this.remaining) }, record);
  }

  private repo(owner: string, name: string): FixtureRepo | undefined {
    return this.orgs.get(owner.toLowerCase())?.repos.find((r) => r.name === name);
  }

  /** The resolvers: plain objects and functions over the fixtures (graphql-js's default resolver calls them). */
  private root(cost: number): Record<string, unknown> {
    return {
      rateLimit: () => {
        if (this.rateLimitDisabled) throw new GithubError('Rate limiting is not enabled on this instance.', 'NOT_FOUND');
        return { cost, limit: this.limit, remaining: this.remaining, used: this.limit - this.remaining, resetAt: this.resetAt, nodeCount: 0 };
      },
      organization: ({ login }: { login: string }) => {
        const org = this.orgs.get(login.toLowerCase());
        if (!org) throw new GithubError(`Could not resolve to an Organization with the login of '${login}'.`, 'NOT_FOUND');
        return {
          login: org.login,
          repositories: (args: RepositoriesArgs) => this.connection(org, args),
          repository: ({ name }: { name: string }) => {
            const r = org.repos.find((x) => x.name === name);
            return r ? this.repositoryNode(org, r) : null;
          },
        };
      },
    };
  }

  private connection(org: FixtureOrg, args: RepositoriesArgs): unknown {
    let repos = org.repos.filter((r) => (args.isArchived === undefined || args.isArchived === null || r.isArchived === args.isArchived) && (args.isFork === undefined || args.isFork === null || r.isFork === args.isFork));
    if (args.orderBy?.field === 'PUSHED_AT') {
      repos = [...repos].sort((a, b) => (a.pushedAt < b.pushedAt ? -1 : a.pushedAt > b.pushedAt ? 1 : a.name < b.name ? -1 : 1));
      if (args.orderBy.direction === 'DESC') repos.reverse();
    }
    const start = args.after ? Number(Buffer.from(args.after, 'base64').toString('utf8').replace('cursor:', '')) : 0;
    const slice = repos.slice(start, start + (args.first ?? 0));
    const end = start + slice.length;
    return {
      totalCount: repos.length,
      pageInfo: { hasNextPage: end < repos.length, endCursor: slice.length ? Buffer.from(`cursor:${end}`).toString('base64') : null, hasPreviousPage: start > 0, startCursor: null },
      nodes: slice.map((r) => this.repositoryNode(org, r)),
    };
  }

  private repositoryNode(org: FixtureOrg, r: FixtureRepo): Record<string, unknown> {
    return {
      // A failing non-null name: GitHub's answer then has null in the node's place.
      name: () => {
        if (this.take('partial', (f) => f.repo === r.name && f.where === 'node')) throw new GithubError('Something went wrong while executing your query.', 'INTERNAL');
        return r.name;
      },
      nameWithOwner: `${org.login}/${r.name}`,
      url: `https://github.example/${org.login}/${r.name}`,
      pushedAt: r.pushedAt,
      isArchived: r.isArchived,
      isFork: r.isFork,
      defaultBranchRef: { name: r.defaultBranch },
      object: ({ expression }: { expression: string }) => {
        const m = /^(?:HEAD|[^:]+):(.*)$/.exec(expression);
        if (!m || m[1].startsWith('/')) return null;
        if (!m[1].endsWith('CODEOWNERS') && this.take('partial', (f) => f.repo === r.name && f.where === 'blob')) throw new GithubError('Something went wrong while executing your query.', 'INTERNAL');
        const text = r.files.get(m[1]);
        if (text === undefined) return null;
        const bytes = Buffer.byteLength(text);
        const cut = r.truncated.has(m[1]) || bytes > BLOB_LIMIT;
        return { __typename: 'Blob', text: cut ? Buffer.from(text).subarray(0, BLOB_LIMIT).toString('utf8') : text, isTruncated: cut, byteSize: bytes, isBinary: cut ? null : false };
      },
    };
  }
}

interface RepositoriesArgs {
  first?: number;
  after?: string;
  isArchived?: boolean | null;
  isFork?: boolean | null;
  orderBy?: { field: string; direction: string };
}
