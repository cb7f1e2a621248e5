/**
 * Fixture organisations for the GitHub peer: generated repositories, each with a catalog-info.yaml (or
 * not), CODEOWNERS in each of GitHub's three places, archived ones, forks, a file larger than GitHub's
 * GraphQL blob limit (served truncated), and a repository whose catalog file is not YAML.
 */

export interface FixtureRepo {
  name: string;
  /** ISO 8601; the peer lists repositories newest push first. */
  pushedAt: string;
  isArchived: boolean;
  isFork: boolean;
  defaultBranch: string;
  /** Files at the head of the default branch, by path. */
  files: Map<string, string>;
  /** Paths GraphQL serves cut short (isTruncated); REST serves them whole. */
  truncated: Set<string>;
}

export interface FixtureOrg {
  login: string;
  repos: FixtureRepo[];
}

/** A component's catalog file; `owner: null` leaves spec.owner out (for CODEOWNERS to fill). */
export function componentYaml(name: string, owner: string | null, extra = ''): string {
  return [
    'apiVersion: backstage.io/v1alpha1',
    'kind: Component',
    'metadata:',
    `  name: ${name}`,
    `  description: The ${name} service${extra}`,
    'spec:',
    '  type: service',
    '  lifecycle: production',
    ...(owner ? [`  owner: ${owner}`] : []),
  ].join('\n') + '\n';
}

const BASE = Date.UTC(2026, 10, 1);

/** The ISO time `minutes` after the fixtures' epoch. */
export function at(minutes: number): string {
  return new Date(BASE + minutes * 60_000).toISOString().replace(/\.000Z$/, 'Z');
}

export interface GenerateOptions {
  /** Repositories in all. */
  repos: number;
  /** Add the special repositories (archived, fork, CODEOWNERS in each place, truncated, broken YAML). */
  specials?: boolean;
}

/**
 * `repos` repositories named svc-0000…; repository i was pushed at minute i (so the last is the newest).
 * With `specials`, the first few are: svc-0000 archived, svc-0001 a fork, svc-0002 with no owner and
 * CODEOWNERS in all three places, svc-0003 with no owner and CODEOWNERS at the root and in docs/,
 * svc-0004 with no owner and docs/CODEOWNERS only, svc-0005 with an owner and CODEOWNERS, svc-0006 with a
 * catalog file above GitHub's limit (truncated), svc-0007 whose catalog file is not YAML, svc-0008 with no
 * catalog file.
 */
export function generateOrg(login: string, o: GenerateOptions): FixtureOrg {
  const repos: FixtureRepo[] = [];
  for (let i = 0; i < o.repos; i++) {
    const name = `svc-${String(i).padStart(4, '0')}`;
    const repo: FixtureRepo = { name, pushedAt: at(i), isArchived: false, isFork: false, defaultBranch: 'main', files: new Map(), truncated: new Set() };
    repo.files.set('catalog-info.yaml', componentYaml(name, `group:team-${i % 7}`));
    repos.push(repo);
  }
  if (o.specials) {
    const r = (i: number): FixtureRepo => repos[i];
    r(0).isArchived = true;
    r(1).isFork = true;
    r(2).files.set('catalog-info.yaml', componentYaml(r(2).name, null));
    r(2).files.set('.github/CODEOWNERS', '# owners\n*       @acme/platform @acme/other\n/docs/  @acme/writers\n');
    r(2).files.set('CODEOWNERS', '* @acme/root-team\n');
    r(2).files.set('docs/CODEOWNERS', '* @acme/docs-team\n');
    r(3).files.set('catalog-info.yaml', componentYaml(r(3).name, null));
    r(3).files.set('CODEOWNERS', '* @acme/first\n*.md @acme/writers\n* @alice @acme/second\n');
    r(3).files.set('docs/CODEOWNERS', '* @acme/docs-team\n');
    r(4).files.set('catalog-info.yaml', componentYaml(r(4).name, null));
    r(4).files.set('docs/CODEOWNERS', '* @acme/docs-team\n');
    r(5).files.set('.github/CODEOWNERS', '* @acme/codeowners-team\n');
    r(6).files.set('catalog-info.yaml', componentYaml(r(6).name, 'group:team-6', ` ${'x'.repeat(600_000)}`));
    r(6).truncated.add('catalog-info.yaml');
    r(7).files.set('catalog-info.yaml', 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: "svc-0007\nspec: {}\n');
    r(8).files.delete('catalog-info.yaml');
  }
  return { login, repos };
}

/** Marks a repository pushed now (after every other), with a new description in its catalog file. */
export function push(org: FixtureOrg, name: string, minutes: number): void {
  const repo = org.repos.find((r) => r.name === name)!;
  repo.pushedAt = at(minutes);
  const text = repo.files.get('catalog-info.yaml');
  if (text) repo.files.set('catalog-info.yaml', text.replace(/description: .*/, `description: pushed at ${repo.pushedAt}`));
}
