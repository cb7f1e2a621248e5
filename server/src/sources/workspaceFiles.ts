/**
 * Layer 1, the workspace: every catalog file under the workspace folders, read from disk into the index
 * (open editors are indexed from their live text instead, by the language server). Reading is cheap: a
 * closed file is parsed for its entities and references, not validated, and keeps no YAML tree.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AnalyzedFile, CachedDocument } from '../catalog/analyze';
import { MAX_FILE_BYTES } from '../catalog/analyze';
import type { CatalogIndex, PlacementInput } from '../catalog/catalogIndex';
import { recordOf } from '../catalog/entityRecord';
import { isCatalogFile, isCatalogFileName, isYamlFileName, SKIPPED_FOLDERS } from '../catalog/files';
import type { Policies } from '../catalog/policies';
import { splitDocuments } from '../catalog/split';
import { findKind, identityOf } from '../catalog/validate';
import { parseChunk } from '../catalog/yamlDocument';

/** The index entries of an analysed file (an open editor's live text). */
export function placementsOfAnalysis(file: AnalyzedFile): PlacementInput[] {
  const out: PlacementInput[] = [];
  for (const d of file.documents) {
    const record = recordOf(d.cached);
    if (record) out.push({ record, chunkStart: d.chunk.start, chunkLine: d.chunk.line });
  }
  return out;
}

/** The index entries of a file's text, parsed without validation; the parsed trees are not kept. */
export function placementsOfText(text: string, policies: Policies): PlacementInput[] {
  const out: PlacementInput[] = [];
  for (const chunk of splitDocuments(text)) {
    const parsed = parseChunk(chunk);
    const entity = parsed.problems.length ? undefined : identityOf(parsed.value);
    const kindInfo = entity ? findKind(entity.kind, policies) : undefined;
    const cached: CachedDocument = { text: chunk.text, doc: parsed.doc, lines: parsed.lines, value: parsed.value, empty: parsed.empty, problems: [], entity, kindInfo };
    const record = recordOf(cached);
    if (record) out.push({ record, chunkStart: chunk.start, chunkLine: chunk.line });
  }
  return out;
}

export interface ScanResult {
  files: number;
  entities: number;
  skipped: string[];
  ms: number;
}

export interface WorkspaceFilesOptions {
  index: CatalogIndex;
  /** True while an editor holds the file: its live text, not the disk, is what counts. */
  isOpen(uri: string): boolean;
  policiesFor(uri: string): Policies;
  include(uri: string): readonly string[];
  log(message: string): void;
}

/** Keeps the index current with the catalog files on disk. */
export class WorkspaceFiles {
  private readonly known = new Set<string>();

  constructor(private readonly o: WorkspaceFilesOptions) {}

  /** Reads every catalog file under the folders, yielding to the event loop between batches. */
  async scan(folders: readonly string[]): Promise<ScanResult> {
    const t0 = Date.now();
    const skipped: string[] = [];
    let files = 0;
    const paths: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries;
      try {
        entries = await fs.readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const p = join(dir, e.name);
        if (e.isDirectory()) {
          if (!SKIPPED_FOLDERS.has(e.name)) await walk(p);
        } else if (e.isFile() && (isYamlFileName(p) || isCatalogFileName(p))) paths.push(p);
      }
    };
    for (const f of folders) await walk(f);
    for (let i = 0; i < paths.length; i++) {
      if (await this.read(paths[i], skipped)) files++;
      if (i % 50 === 49) await new Promise((r) => setImmediate(r));
    }
    return { files, entities: this.o.index.size, skipped, ms: Date.now() - t0 };
  }

  /** A file was created or changed on disk. */
  async changed(path: string): Promise<void> {
    await this.read(path, []);
  }

  /** A file was deleted (or renamed away). */
  deleted(uri: string): Set<string> {
    this.known.delete(uri);
    return this.o.index.drop(uri);
  }

  private async read(path: string, skipped: string[]): Promise<boolean> {
    const uri = pathToFileURL(path).toString();
    if (this.o.isOpen(uri)) return this.known.has(uri);
    let text: string;
    try {
      const st = await fs.stat(path);
      if (st.size > MAX_FILE_BYTES) {
        skipped.push(`${path}: larger than ${MAX_FILE_BYTES / 1024 / 1024} MB`);
        return false;
      }
      text = await fs.readFile(path, 'utf8');
    } catch (e) {
      this.deleted(uri);
      skipped.push(`${path}: ${(e as Error).message}`);
      return false;
    }
    // The file may have been opened while it was read: then the editor's text counts.
    if (this.o.isOpen(uri)) return this.known.has(uri);
    if (!isCatalogFile(path, text, this.o.include(uri))) {
      if (this.known.has(uri)) this.deleted(uri);
      return false;
    }
    try {
      this.o.index.update(uri, { kind: 'file', uri }, placementsOfText(text, this.o.policiesFor(uri)));
      this.known.add(uri);
      return true;
    } catch (e) {
      this.o.log(`indexing ${path} failed: ${(e as Error).stack ?? String(e)}`);
      return false;
    }
  }

  /** Re-reads a file from disk after its editor closed (unsaved changes are gone). */
  async reread(uri: string, path: string): Promise<void> {
    await this.read(path, []);
    if (!this.known.has(uri) && !this.o.isOpen(uri)) this.o.index.drop(uri);
  }
}
