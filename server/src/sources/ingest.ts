/**
 * `paved-road ingest`: reads sources (folders of catalog files, snapshots by path or URL, a Backstage
 * catalog API), judges every
 * entity with the editor's engine, and writes one snapshot in our format, atomically. A platform team
 * runs it in CI to publish the shared store.
 */
import { resolve } from 'node:path';
import { writeFileAtomic } from './atomicFile';
import { BackstageSource } from './backstageSource';
import { FolderSource } from './folderSource';
import { GithubSource } from './githubSource';
import { SourceError, type CatalogSource, type StoreEntity } from './source';
import { fetchWithRetry } from './sourceManager';
import { safeUrl, SnapshotFileSource, SnapshotUrlSource } from './snapshotSource';
import { allowedUrl } from './sourceSettings';
import { judge, makeSnapshot, type SnapshotSourceInfo } from './storeFormat';

/** What the command line says about live sources beside `--from`. */
export interface LiveSourceOptions {
  /** The GitHub GraphQL endpoint (GitHub Enterprise); github.com's when absent. */
  githubUrl?: string;
  /** The environment variable holding the token (GitHub: GITHUB_TOKEN when absent; Backstage: none when absent). */
  tokenEnv?: string;
  includeArchived?: boolean;
  includeForks?: boolean;
  env?: NodeJS.ProcessEnv;
}

/** A source as written on the command line: `folder:PATH`, `snapshot:PATH`, `snapshot:URL`, `backstage:URL` or `github:ORG`. */
export function sourceOfSpec(spec: string, live: LiveSourceOptions = {}): CatalogSource {
  const m = /^(folder|snapshot|backstage|github):(.+)$/.exec(spec);
  if (!m) throw new Error(`--from '${safeSpec(spec)}' must be folder:PATH, snapshot:PATH|URL, backstage:URL or github:ORG`);
  const [, type, where] = m;
  const env = live.env ?? process.env;
  if (type === 'folder') return new FolderSource(resolve(where), where);
  if (type === 'backstage') {
    if (!allowedUrl(where)) throw new Error(`--from backstage:${safeUrl(where)} needs an https URL (http only to this machine)`);
    const variable = live.tokenEnv;
    return new BackstageSource(where, undefined, variable ? { token: () => env[variable] || undefined } : {});
  }
  if (type === 'github') {
    if (!/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(where)) throw new Error(`--from '${spec}': '${where}' is not an organisation login`);
    if (live.githubUrl && !allowedUrl(live.githubUrl)) throw new Error(`--github-url ${safeUrl(live.githubUrl)} is not an https URL`);
    const variable = live.tokenEnv ?? 'GITHUB_TOKEN';
    return new GithubSource({ org: where, url: live.githubUrl, includeArchived: live.includeArchived, includeForks: live.includeForks, token: () => env[variable] || undefined, tokenName: `the environment variable ${variable}` });
  }
  return /^https?:\/\//.test(where) ? new SnapshotUrlSource(where, safeUrl(where)) : new SnapshotFileSource(resolve(where), where);
}

/** A spec for messages: a URL in it loses its credentials and query. */
export function safeSpec(spec: string): string {
  const m = /^([a-z]+):(https?:\/\/.*)$/.exec(spec);
  return m ? `${m[1]}:${safeUrl(m[2])}` : spec;
}

/** A source that could not be read, with the spec that named it (the CLI says which token to set). */
export class SourceReadError extends SourceError {
  constructor(
    readonly spec: string,
    cause: unknown,
  ) {
    super(`cannot read ${safeSpec(spec)}: ${(cause as Error).message}`, cause instanceof SourceError ? cause.nextStep : 'fixSetting', true);
  }
}

export interface IngestSummary {
  entities: number;
  quarantined: StoreEntity[];
  byKind: Map<string, number>;
  sources: (SnapshotSourceInfo & { skipped: number; duplicates: number; usage?: { requests: number; points?: number } })[];
}

/** The ref of an entity (entities are known to have a kind and a name here). */
function refOf(e: StoreEntity): string {
  const meta = e.entity.metadata as { name: string; namespace?: string };
  return `${String(e.entity.kind)}:${meta.namespace || 'default'}/${meta.name}`.toLowerCase();
}

/**
 * Reads every source in order and writes the snapshot. The same entity in two sources: the first wins, as
 * in the catalog (the others are counted). Throws a SourceError naming the source that cannot be read.
 */
export async function ingest(specs: readonly string[], out: string, log: (line: string) => void = () => undefined, live: LiveSourceOptions = {}): Promise<IngestSummary> {
  const summary: IngestSummary = { entities: 0, quarantined: [], byKind: new Map(), sources: [] };
  const seen = new Set<string>();
  const all: StoreEntity[] = [];
  for (const spec of specs) {
    const source = sourceOfSpec(spec, live);
    let result;
    try {
      result = await fetchWithRetry(source, new AbortController().signal, 3, 500);
    } catch (e) {
      throw new SourceReadError(spec, e);
    }
    for (const note of result.notes ?? []) log(`${spec}: ${note}`);
    const judged = result.judged ? result.entities : judge(result.entities);
    const fetchedAt = new Date().toISOString();
    let entities = 0;
    let quarantined = 0;
    let duplicates = 0;
    for (const e of judged) {
      const ref = refOf(e);
      if (seen.has(ref)) {
        duplicates++;
        continue;
      }
      seen.add(ref);
      // Provenance is the source read here (a snapshot read again gets this source's id).
      const entity: StoreEntity = { ...e, source: source.id };
      delete entity.location;
      all.push(entity);
      entities++;
      const kind = String(e.entity.kind);
      summary.byKind.set(kind, (summary.byKind.get(kind) ?? 0) + 1);
      if (e.problems?.length) {
        quarantined++;
        summary.quarantined.push(entity);
      }
    }
    summary.sources.push({ id: source.id, type: source.type, label: source.label, fetchedAt, entities, quarantined, skipped: result.skipped, duplicates, ...(result.usage ? { usage: result.usage } : {}) });
  }
  summary.entities = all.length;
  const sources = summary.sources.map(({ id, type, label, fetchedAt, entities, quarantined }) => ({ id, type, label, fetchedAt, entities, quarantined }));
  await writeFileAtomic(out, `${JSON.stringify(makeSnapshot(sources, all))}\n`);
  return summary;
}

/** The summary in lines: totals, per kind, per source, then each quarantined entity with its first problem. */
export function describeSummary(s: IngestSummary, out: string): string[] {
  const lines = [`wrote ${out}: ${s.entities} entities, ${s.quarantined.length} quarantined`];
  lines.push(`  by kind: ${[...s.byKind].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}`);
  for (const src of s.sources) {
    const extra = [
      src.skipped ? `${src.skipped} skipped (not entities)` : '',
      src.duplicates ? `${src.duplicates} duplicates dropped (an earlier source has them)` : '',
      src.usage ? `${src.usage.requests} request${src.usage.requests === 1 ? '' : 's'}${src.usage.points === undefined ? '' : `, ${src.usage.points} rate-limit points`}` : '',
    ].filter(Boolean);
    lines.push(`  ${src.id}: ${src.entities} entities, ${src.quarantined} quarantined${extra.length ? `, ${extra.join(', ')}` : ''}`);
  }
  for (const q of s.quarantined) {
    const first = q.problems![0];
    lines.push(`  quarantined ${refOf(q)}: ${first.code} ${first.message}${q.problems!.length > 1 ? ` (+${q.problems!.length - 1} more)` : ''}`);
  }
  return lines;
}
