/**
 * Layer 1, a folder of catalog files (a checked-out catalog repository): every catalog file under it,
 * analysed by the editor's engine (FileAnalyzer, with the folder's own .paved-road/policies.yaml), so an
 * entity gets the verdict it has in an editor. Watched: a change re-fetches it.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyzeText, MAX_FILE_BYTES } from '../catalog/analyze';
import { isCatalogFile, isCatalogFileName, isYamlFileName, SKIPPED_FOLDERS } from '../catalog/files';
import { findPoliciesFile, loadPoliciesFile } from '../catalog/policies';
import { SourceError, type CatalogSource, type FetchResult, type StoreEntity } from './source';
import { watchPath } from './snapshotSource';

/** The YAML and catalog files under a folder, in a stable order, skipping node_modules and the like. */
export async function listYamlFiles(dir: string, out: string[] = []): Promise<string[]> {
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(e.name)) await listYamlFiles(p, out);
    } else if (e.isFile() && (isYamlFileName(p) || isCatalogFileName(p))) out.push(p);
  }
  return out;
}

/** The entities of one catalog file with their errors (a document with a YAML error gives none). */
export function fileEntities(path: string, text: string, sourceId: string, policiesFile?: string): { entities: StoreEntity[]; skipped: number } {
  const policies = loadPoliciesFile(policiesFile).policies;
  const entities: StoreEntity[] = [];
  let skipped = 0;
  const location = pathToFileURL(path).toString();
  for (const d of analyzeText(text, { path, policies }).documents) {
    if (d.empty) continue;
    const value = d.cached.value;
    if (!d.entity || !value || typeof value !== 'object' || Array.isArray(value)) {
      skipped++;
      continue;
    }
    const errors = d.problems.filter((p) => p.severity === 'error').map((p) => ({ code: p.code, message: p.message }));
    entities.push({ entity: located(value as Record<string, unknown>, path), source: sourceId, location, ...(errors.length ? { problems: errors } : {}) });
  }
  return { entities, skipped };
}

/**
 * The entity as the catalog keeps it after reading the file: with the managed-by annotations naming the
 * file, so a view can open it and a snapshot made from the folder says where each entity lives.
 */
function located(entity: Record<string, unknown>, path: string): Record<string, unknown> {
  const meta = entity.metadata;
  if (!meta || typeof meta !== 'object' || Array.isArray(meta)) return entity;
  const m = meta as Record<string, unknown>;
  const annotations = m.annotations && typeof m.annotations === 'object' && !Array.isArray(m.annotations) ? (m.annotations as Record<string, unknown>) : {};
  const at = `file:${path}`;
  return { ...entity, metadata: { ...m, annotations: { ...annotations, 'backstage.io/managed-by-location': at, 'backstage.io/managed-by-origin-location': at } } };
}

export class FolderSource implements CatalogSource {
  readonly type = 'folder' as const;
  readonly id: string;
  readonly url: string;
  constructor(
    readonly path: string,
    readonly label: string,
  ) {
    this.id = `folder:${path}`;
    this.url = pathToFileURL(path).toString();
  }

  async fetch(signal: AbortSignal): Promise<FetchResult> {
    const st = await fs.stat(this.path).catch((e: NodeJS.ErrnoException) => {
      throw new SourceError(e.code === 'ENOENT' ? `${this.path} does not exist` : `${this.path} cannot be read (${e.code ?? e.message})`, 'fixSetting', e.code === 'ENOENT');
    });
    if (!st.isDirectory()) throw new SourceError(`${this.path} is not a folder`, 'fixSetting', true);
    const entities: StoreEntity[] = [];
    const notes: string[] = [];
    let skipped = 0;
    const policiesFiles = new Map<string, string | undefined>();
    const files = await listYamlFiles(this.path);
    // A folder removed (or replaced) while it was listed reads as empty: that is no catalog to serve.
    if (!(await fs.stat(this.path).then((s) => s.isDirectory(), () => false))) throw new SourceError(`${this.path} does not exist`, 'fixSetting');
    for (let i = 0; i < files.length; i++) {
      signal.throwIfAborted();
      const file = files[i];
      if (i % 100 === 99 && !(await fs.stat(this.path).then(() => true, () => false))) throw new SourceError(`${this.path} went away while it was read`, 'retry');
      let text: string;
      try {
        const fst = await fs.stat(file);
        if (fst.size > MAX_FILE_BYTES) {
          notes.push(`${file}: larger than ${MAX_FILE_BYTES / 1024 / 1024} MB, not read`);
          continue;
        }
        text = await fs.readFile(file, 'utf8');
      } catch (e) {
        notes.push(`${file}: ${(e as Error).message}`);
        continue;
      }
      if (!isCatalogFile(file, text)) continue;
      const r = fileEntities(file, text, this.id, findPoliciesFile(join(file, '..'), policiesFiles));
      entities.push(...r.entities);
      skipped += r.skipped;
      // A large folder is analysed in slices: the server keeps answering the editor meanwhile.
      if (i % 20 === 19) await new Promise((resolve) => setImmediate(resolve));
    }
    return { entities, skipped, notes, judged: true };
  }

  watch(changed: () => void): () => void {
    return watchPath(this.path, changed, true);
  }
}
