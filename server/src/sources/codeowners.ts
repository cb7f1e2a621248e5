/**
 * CODEOWNERS as a second, weaker claim of ownership (catalog-info.yaml's `spec.owner` always wins): the
 * GitHub source fills `spec.owner` from it only where an entity has none, as Backstage's CodeOwnersProcessor
 * does, and following GitHub's own rules for which file and which line count.
 */

/** Where GitHub looks for the file, in its order: the first one found is the only one used. */
export const CODEOWNERS_PATHS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'] as const;

/** The annotation saying where an entity's owner came from when it was not its own catalog-info.yaml. */
export const OWNER_SOURCE_ANNOTATION = 'paved-road.dev/owner-source';

/** The kinds whose owner Backstage takes from CODEOWNERS (those with a `spec.owner` a repository can answer). */
const OWNED_KINDS = new Set(['component', 'api', 'domain', 'resource', 'system']);

/** The file GitHub uses: the first of CODEOWNERS_PATHS that has text, by path. */
export function chooseCodeowners(files: ReadonlyMap<string, string>): { path: string; text: string } | undefined {
  for (const path of CODEOWNERS_PATHS) {
    const text = files.get(path);
    if (text !== undefined) return { path, text };
  }
  return undefined;
}

/** The owners of a CODEOWNERS line (`pattern owner…`), or undefined for a blank or comment line. */
function parseLine(line: string): { pattern: string; owners: string[] } | undefined {
  // A `#` starts a comment unless escaped; patterns may hold an escaped space (`\ `).
  const text = line.replace(/(^|[^\\])#.*$/, '$1').trim();
  if (!text) return undefined;
  const fields = text.match(/(?:\\.|\S)+/g) ?? [];
  const [pattern, ...owners] = fields;
  return pattern === undefined ? undefined : { pattern, owners };
}

/** Patterns that match every file of the repository. */
const WHOLE_REPOSITORY = new Set(['*', '**', '/**']);

/**
 * The owner of the whole repository: the last line whose pattern is `*` (the last matching pattern wins,
 * and only `*` matches everything a catalog entity stands for), its first owner. A `*` line without owners
 * clears the owner, as it does on GitHub.
 */
export function repositoryOwner(text: string): string | undefined {
  let owner: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const parsed = parseLine(line);
    if (!parsed || !WHOLE_REPOSITORY.has(parsed.pattern)) continue;
    owner = parsed.owners[0];
  }
  return owner;
}

/**
 * The entity reference of a CODEOWNERS owner: `@org/team` is the team's Group, `@user` the User, an email
 * its local part as a User (what Backstage does); anything else is not an owner we can name.
 */
export function ownerRef(owner: string): string | undefined {
  const team = /^@[^/\s]+\/([A-Za-z0-9._-]+)$/.exec(owner);
  if (team) return `group:${team[1].toLowerCase()}`;
  const user = /^@([A-Za-z0-9._-]+)$/.exec(owner);
  if (user) return `user:${user[1].toLowerCase()}`;
  const email = /^([A-Za-z0-9._-]+)@[^@\s]+$/.exec(owner);
  if (email) return `user:${email[1].toLowerCase()}`;
  return undefined;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * The entity with `spec.owner` filled from CODEOWNERS when it has none (and its kind takes an owner), with
 * the annotation naming the file; otherwise the entity as it is. Never overrides catalog-info.yaml.
 */
export function withCodeowner(entity: Obj, codeowners: { path: string; text: string } | undefined): Obj {
  if (!codeowners || typeof entity.kind !== 'string' || !OWNED_KINDS.has(entity.kind.toLowerCase())) return entity;
  const spec = isObj(entity.spec) ? entity.spec : undefined;
  if (spec && typeof spec.owner === 'string' && spec.owner.trim()) return entity;
  const owner = repositoryOwner(codeowners.text);
  const ref = owner ? ownerRef(owner) : undefined;
  if (!ref) return entity;
  const meta = isObj(entity.metadata) ? entity.metadata : {};
  const annotations = isObj(meta.annotations) ? meta.annotations : {};
  return {
    ...entity,
    metadata: { ...meta, annotations: { ...annotations, [OWNER_SOURCE_ANNOTATION]: `CODEOWNERS (${codeowners.path})` } },
    spec: { ...(spec ?? {}), owner: ref },
  };
}
