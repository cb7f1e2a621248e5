/**
 * The GraphQL documents the GitHub source sends, and the shapes of their answers. Two queries: a page of
 * an organisation's repositories, newest push first, each with its catalog file and the three CODEOWNERS
 * files as blobs (one request per page, about one rate-limit point per 100 repositories), and a probe of
 * the newest push and the count (an unchanged organisation costs this one small query).
 * Both are checked against GitHub's published schema by the test peer (test/peers/github).
 */
import { CODEOWNERS_PATHS } from './codeowners';

/** Which repositories are read: GitHub filters them (an excluded repository costs nothing). */
export interface RepositoryFilter {
  includeArchived: boolean;
  includeForks: boolean;
}

/** The blob fields read: the text, and whether GitHub cut it short (at 512,000 bytes). */
const BLOB = '... on Blob { text isTruncated byteSize }';

/** The aliases of the three CODEOWNERS blobs, in GitHub's order (CODEOWNERS_PATHS). */
export const CODEOWNERS_ALIASES = ['codeownersGithub', 'codeownersRoot', 'codeownersDocs'] as const;

function connectionArgs(filter: RepositoryFilter): string {
  const args = ['first: $first', 'after: $after', 'orderBy: {field: PUSHED_AT, direction: DESC}'];
  if (!filter.includeArchived) args.push('isArchived: false');
  if (!filter.includeForks) args.push('isFork: false');
  return args.join(', ');
}

/** What is read of each repository: its push time, flags, and the four blobs. */
const REPOSITORY_FIELDS = [
  'name',
  'url',
  'pushedAt',
  'isArchived',
  'isFork',
  'defaultBranchRef { name }',
  `catalog: object(expression: $catalog) { ${BLOB} }`,
  ...CODEOWNERS_PATHS.map((path, i) => `${CODEOWNERS_ALIASES[i]}: object(expression: ${JSON.stringify(`HEAD:${path}`)}) { ${BLOB} }`),
].join('\n');

/** A page of repositories with their catalog file (`$catalog` is `HEAD:<path>`) and CODEOWNERS files. */
export function repositoriesQuery(filter: RepositoryFilter): string {
  return `query PavedRoadRepositories($org: String!, $first: Int!, $after: String, $catalog: String!) {
  rateLimit { cost remaining resetAt }
  organization(login: $org) {
    repositories(${connectionArgs(filter)}) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { ${REPOSITORY_FIELDS} }
    }
  }
}`;
}

/** Some repositories by name (`$r0`, `$r1`…, aliased r0, r1…): those to read again out of order. */
export function repositoriesByNameQuery(count: number): string {
  const vars = Array.from({ length: count }, (_, i) => `$r${i}: String!`).join(', ');
  const fields = Array.from({ length: count }, (_, i) => `r${i}: repository(name: $r${i}) { ${REPOSITORY_FIELDS} }`).join('\n');
  return `query PavedRoadRepositoriesByName($org: String!, $catalog: String!, ${vars}) {
  rateLimit { cost remaining resetAt }
  organization(login: $org) { ${fields} }
}`;
}

/** The newest push and the number of repositories: what an incremental refresh asks first. */
export function probeQuery(filter: RepositoryFilter): string {
  return `query PavedRoadProbe($org: String!, $first: Int!, $after: String) {
  rateLimit { cost remaining resetAt }
  organization(login: $org) {
    repositories(${connectionArgs(filter)}) {
      totalCount
      nodes { name pushedAt }
    }
  }
}`;
}

export interface BlobAnswer {
  text?: string | null;
  isTruncated?: boolean;
  byteSize?: number;
}

export interface RepositoryNode {
  name: string;
  url: string;
  pushedAt: string | null;
  isArchived: boolean;
  isFork: boolean;
  defaultBranchRef: { name: string } | null;
  catalog: BlobAnswer | null;
  codeownersGithub: BlobAnswer | null;
  codeownersRoot: BlobAnswer | null;
  codeownersDocs: BlobAnswer | null;
}

export interface RateLimitAnswer {
  cost: number;
  remaining: number;
  resetAt: string;
}

export interface RepositoriesAnswer {
  rateLimit?: RateLimitAnswer | null;
  organization: {
    repositories: {
      totalCount: number;
      pageInfo?: { hasNextPage: boolean; endCursor: string | null };
      nodes: (RepositoryNode | null)[];
    };
  } | null;
}

/** A GraphQL error as GitHub sends it (`type` is GitHub's, e.g. RESOURCE_LIMITS_EXCEEDED, RATE_LIMITED, NOT_FOUND). */
export interface GraphqlErrorAnswer {
  message: string;
  type?: string;
  path?: (string | number)[];
  extensions?: { code?: string; type?: string };
}

/** The error's type, wherever the server put it. */
export function errorType(e: GraphqlErrorAnswer): string {
  return e.type ?? e.extensions?.type ?? e.extensions?.code ?? '';
}
