/**
 * A check of catalog files from scratch, as the CLI makes it: each file's own verdict and its entities
 * into one index (pass 1), then the cross-catalog problems of each file's entities (pass 2). The language
 * server reaches its answers edit by edit; test/fuzz/drift.test.ts holds it to this one.
 */
import { analyzeText, type AnalyzedFile } from './analyze';
import { CatalogIndex, type PlacementInput } from './catalogIndex';
import { crossCheck } from './crossCheck';
import { recordOf } from './entityRecord';
import type { Policies } from './policies';
import type { Problem } from './types';

/** The index entries of an analysed file (documents without an entity have none). */
export function placementsOfAnalysis(file: AnalyzedFile): PlacementInput[] {
  const out: PlacementInput[] = [];
  for (const d of file.documents) {
    const record = recordOf(d.cached);
    if (record) out.push({ record, chunkStart: d.chunk.start, chunkLine: d.chunk.line });
  }
  return out;
}

/** One file to check: where it is, its text, and the policies that apply to it. */
export interface CatalogFile {
  uri: string;
  /** The file's path, to resolve placeholders and Location targets. */
  path?: string;
  text: string;
  policies: Policies;
}

/** A checked file: its own analysis, and the cross-catalog problems of its entities (offsets into its text). */
export interface CheckedFile<F extends CatalogFile = CatalogFile> {
  file: F;
  analysis: AnalyzedFile;
  cross: Problem[];
}

export interface CheckCatalogOptions {
  /** Another file's uri in words, for messages (e.g. a workspace-relative path). */
  describeUri(uri: string): string;
  /** The index is known to hold the whole catalog (see `isWholeCatalog`). */
  knownWhole: boolean;
  /** An index that already holds other sources (e.g. files that are only indexed); a new one by default. */
  index?: CatalogIndex;
  /** How a file is analysed: `analyzeText` by default (a caller may keep earlier answers for texts it saw before). */
  analyze?(file: CatalogFile): AnalyzedFile;
}

/** Checks `files` together; a file listed twice counts once in the index (its last listing) and is reported twice. */
export function checkCatalog<F extends CatalogFile>(files: readonly F[], options: CheckCatalogOptions): CheckedFile<F>[] {
  const index = options.index ?? new CatalogIndex();
  const analyse = options.analyze ?? ((file: CatalogFile) => analyzeText(file.text, { path: file.path, policies: file.policies }));
  const analysed = files.map((file) => {
    const analysis = analyse(file);
    index.update(file.uri, { kind: 'file', uri: file.uri }, placementsOfAnalysis(analysis));
    return { file, analysis };
  });
  return analysed.map(({ file, analysis }) => ({ file, analysis, cross: crossCheck(index, index.placementsOf(file.uri), file.policies, options.describeUri, options.knownWhole) }));
}
