/**
 * One closed catalog file into index records: what the workspace scan does per file, on the main thread
 * or on the parse worker. A closed file is parsed for its entities and references, not validated, and
 * keeps no YAML tree.
 */
import { promises as fs } from 'node:fs';
import type { CachedDocument } from '../catalog/analyze';
import { MAX_FILE_BYTES } from '../catalog/analyze';
import type { PlacementInput } from '../catalog/catalogIndex';
import { recordOf } from '../catalog/entityRecord';
import { isCatalogFile } from '../catalog/files';
import type { Policies } from '../catalog/policies';
import { splitDocuments } from '../catalog/split';
import { findKind, identityOf } from '../catalog/validate';
import { parseChunk } from '../catalog/yamlDocument';

/** What reading one file gave: its records, or why it has none. */
export type FileOutcome =
  | { status: 'parsed'; items: PlacementInput[] }
  /** Not a catalog file (a YAML file of something else). */
  | { status: 'ignored' }
  /** Too large to index, or unreadable (e.g. deleted while the scan ran). */
  | { status: 'skipped'; reason: string; gone?: boolean }
  | { status: 'error'; message: string };

/**
 * The index entries of a file's text, parsed without validation; the parsed trees are not kept.
 * `between` runs before each document (a parse worker waits there while the editor's work comes first).
 */
export function placementsOfText(text: string, policies: Policies, between?: () => void): PlacementInput[] {
  const out: PlacementInput[] = [];
  for (const chunk of splitDocuments(text)) {
    between?.();
    const parsed = parseChunk(chunk);
    const entity = parsed.problems.length ? undefined : identityOf(parsed.value);
    const kindInfo = entity ? findKind(entity.kind, policies) : undefined;
    const cached: CachedDocument = { text: chunk.text, doc: parsed.doc, lines: parsed.lines, value: parsed.value, empty: parsed.empty, problems: [], entity, kindInfo };
    const record = recordOf(cached);
    if (record) out.push({ record, chunkStart: chunk.start, chunkLine: chunk.line });
  }
  return out;
}

/**
 * Reads a file from disk and makes its index entries. `options.skip` says, once the text is read, that the
 * file no longer needs parsing (an editor opened it meanwhile); `options.between` is as for placementsOfText.
 */
export async function readCatalogFile(path: string, include: readonly string[], policies: Policies, options: { skip?: () => boolean; between?: () => void } = {}): Promise<FileOutcome> {
  let text: string;
  try {
    const st = await fs.stat(path);
    if (st.size > MAX_FILE_BYTES) return { status: 'skipped', reason: `${path}: larger than ${MAX_FILE_BYTES / 1024 / 1024} MB` };
    text = await fs.readFile(path, 'utf8');
  } catch (e) {
    return { status: 'skipped', reason: `${path}: ${(e as Error).message}`, gone: true };
  }
  if (!isCatalogFile(path, text, include)) return { status: 'ignored' };
  if (options.skip?.()) return { status: 'skipped', reason: `${path}: open in an editor` };
  try {
    return { status: 'parsed', items: placementsOfText(text, policies, options.between) };
  } catch (e) {
    return { status: 'error', message: `indexing ${path} failed: ${(e as Error).stack ?? String(e)}` };
  }
}
