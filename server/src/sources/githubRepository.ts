/**
 * One repository of the GitHub source, from its GraphQL node to judged entities: the catalog file read as
 * the editor reads it, CODEOWNERS filling missing owners, and the rule that one broken repository
 * quarantines only its own entities. A repository is broken when its catalog file cannot be taken as
 * complete (cut short by GitHub and not readable whole another way, binary, not YAML, with errors in
 * GitHub's answer for it): every entity it gave (now, or at the last good read) is kept, quarantined,
 * with a problem saying why.
 */
import { analyzeText, MAX_FILE_BYTES } from '../catalog/analyze';
import { lineIndex } from '../catalog/lines';
import { DEFAULT_POLICIES } from '../catalog/policies';
import { identityOf } from '../catalog/validate';
import { chooseCodeowners, CODEOWNERS_PATHS, withCodeowner } from './codeowners';
import { CODEOWNERS_ALIASES, type BlobAnswer, type RepositoryNode } from './githubQueries';
import type { StoreEntity, StoreProblem } from './source';
import { storeVerdict } from './storeFormat';

/** What the source keeps of a repository between refreshes. */
export interface RepositoryResult {
  name: string;
  pushedAt: string;
  entities: StoreEntity[];
  /** Documents that are not entities. */
  skipped: number;
  /** Why its entities are quarantined as a whole, when they are. */
  broken?: string;
  /** The breakage may go away without a push (an error in GitHub's answer, a file that could not be read whole): read it again next time. */
  transient?: boolean;
}



/** Reads a blob's whole text when GitHub cut it short (the REST contents API); throws with the reason. */
export type ReadWhole = (repo: string, path: string) => Promise<string>;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const noFiles = (): undefined => undefined;

/**
 * The text of a blob (`undefined`: no such file), read whole when GitHub cut it. When it cannot be read
 * whole, `problem` says why and `text` is what GitHub gave (its entities are then quarantined).
 */
async function blobText(blob: BlobAnswer | null, repo: string, path: string, readWhole: ReadWhole): Promise<{ text?: string; problem?: string; transient?: boolean }> {
  if (!blob) return {};
  if (blob.isTruncated) {
    // A catalog file the editor would refuse (files-too-large) is not fetched whole either.
    if ((blob.byteSize ?? 0) > MAX_FILE_BYTES) return { text: blob.text ?? undefined, problem: `${path} is ${blob.byteSize} bytes, above the ${MAX_FILE_BYTES / 1024 / 1024} MB limit of a catalog file` };
    try {
      return { text: await readWhole(repo, path) };
    } catch (e) {
      const problem = `${path} is ${blob.byteSize ?? 'more than 512,000'} bytes, cut short by GitHub's GraphQL API, and ${(e as Error).message}`;
      return { text: typeof blob.text === 'string' ? blob.text : undefined, problem, transient: true };
    }
  }
  if (typeof blob.text !== 'string') return { problem: `${path} is binary` };
  return { text: blob.text };
}

/** The entity with the managed-by annotations naming the file on GitHub, as the catalog would have them. */
function located(entity: Obj, at: string): Obj {
  const meta = isObj(entity.metadata) ? entity.metadata : {};
  const annotations = isObj(meta.annotations) ? meta.annotations : {};
  return { ...entity, metadata: { ...meta, annotations: { ...annotations, 'backstage.io/managed-by-location': at, 'backstage.io/managed-by-origin-location': at } } };
}

const refOf = (e: StoreEntity): string => {
  const id = identityOf(e.entity);
  return id ? id.ref : '';
};

export interface RepositoryContext {
  sourceId: string;
  catalogPath: string;
  readWhole: ReadWhole;
  /** The repository's result at the last good read, whose entities a broken repository keeps. */
  previous?: RepositoryResult;
  /** An error in GitHub's answer for this repository (partial data). */
  answerError?: string;
}

/** A repository's entities, judged, with CODEOWNERS applied; broken repositories quarantined whole. */
export async function readRepository(node: RepositoryNode, ctx: RepositoryContext): Promise<RepositoryResult> {
  const result: RepositoryResult = { name: node.name, pushedAt: node.pushedAt ?? '', entities: [], skipped: 0 };
  const problems: string[] = ctx.answerError ? [`GitHub's answer for it has an error: ${ctx.answerError}`] : [];
  let transient = !!ctx.answerError;
  const read = async (blob: BlobAnswer | null, path: string): Promise<string | undefined> => {
    const r = await blobText(blob, node.name, path, ctx.readWhole);
    if (r.problem) problems.push(r.problem);
    transient ||= !!r.transient;
    return r.text;
  };
  const files = new Map<string, string>();
  for (let i = 0; i < CODEOWNERS_PATHS.length; i++) {
    const text = await read(node[CODEOWNERS_ALIASES[i]], CODEOWNERS_PATHS[i]);
    if (text !== undefined) files.set(CODEOWNERS_PATHS[i], text);
  }
  const codeowners = chooseCodeowners(files);
  const text = await read(node.catalog, ctx.catalogPath);
  const at = `url:${node.url}/blob/${node.defaultBranchRef?.name ?? 'HEAD'}/${ctx.catalogPath}`;
  if (text !== undefined) {
    const pos = lineIndex(text);
    for (const d of analyzeText(text, { policies: DEFAULT_POLICIES, readFile: noFiles }).documents) {
      if (d.empty) continue;
      const value = d.cached.value;
      const yamlErrors = d.entity ? [] : d.problems.filter((p) => p.severity === 'error');
      // A YAML error anywhere makes the catalog reject the whole file: the repository is broken.
      if (yamlErrors.length) problems.push(`${ctx.catalogPath} line ${pos(yamlErrors[0].start).line + 1}: ${yamlErrors[0].message}`);
      if (!isObj(value) || !identityOf(value)) {
        // Not an entity (counted and left out), or one too broken to name.
        if (!yamlErrors.length) result.skipped++;
        continue;
      }
      const entity = located(withCodeowner(value, codeowners), at);
      const verdict: StoreProblem[] = yamlErrors.length ? yamlErrors.map((p) => ({ code: p.code, message: p.message })) : storeVerdict(entity);
      result.entities.push(verdict.length ? { entity, source: ctx.sourceId, problems: verdict } : { entity, source: ctx.sourceId });
    }
  }
  if (!problems.length) return result;
  result.broken = problems.join('; ');
  if (transient) result.transient = true;
  // Broken: what it gave now and what it gave at the last good read, all quarantined.
  const seen = new Set(result.entities.map(refOf));
  for (const e of ctx.previous?.entities ?? []) if (!seen.has(refOf(e))) result.entities.push(e);
  const why: StoreProblem = { code: 'github-repository-unreadable', message: `${node.name}: ${result.broken}` };
  result.entities = result.entities.map((e) => ({ ...e, problems: [why, ...(e.problems ?? []).filter((p) => p.code !== why.code)] }));
  return result;
}
