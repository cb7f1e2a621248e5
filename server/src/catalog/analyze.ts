/**
 * The engine's entry: a file's text in, a verdict per document out. `FileAnalyzer` keeps the previous
 * version's per-document results, so an edit re-parses and re-validates only the documents whose text changed.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { LineCounter, type Document } from 'yaml';
import { DEFAULT_POLICIES, type Policies } from './policies';
import type { ReadFile } from './placeholders';
import { splitDocuments, type Chunk } from './split';
import type { DocumentAnalysis, EntityIdentity, FileAnalysis, Problem } from './types';
import { validateEntityDocument } from './validate';
import { parseChunk } from './yamlDocument';
import type { KindInfo } from './schemas';

/** Files larger than this are refused with one diagnostic (Backstage itself takes over 20 s on 10 MB). */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

export interface AnalyzeOptions {
  /** Absolute path of the file, to resolve `$text`/`$json`/`$yaml` targets. */
  path?: string;
  policies?: Policies;
  readFile?: ReadFile;
}

/** One document's cached result; offsets relative to its chunk. */
export interface CachedDocument {
  text: string;
  doc: Document.Parsed;
  /** Line starts of `text`, for chunk-relative positions. */
  lines: LineCounter;
  value: unknown;
  empty: boolean;
  problems: Problem[];
  entity?: EntityIdentity;
  kindInfo?: KindInfo;
}

/** A document of the analysed file, with its parsed form, for the language features. */
export interface AnalyzedDocument extends DocumentAnalysis {
  chunk: Chunk;
  cached: CachedDocument;
}

export interface AnalyzedFile extends FileAnalysis {
  documents: AnalyzedDocument[];
}

/** Reads a file when it exists and is a regular file; refuses (throws) one above the size limit. */
export const readFileIfExists: ReadFile = (p) => {
  let size: number;
  try {
    const st = statSync(p);
    if (!st.isFile()) return undefined;
    size = st.size;
  } catch {
    return undefined;
  }
  if (size > MAX_FILE_BYTES) throw new Error(`it is ${(size / 1024 / 1024).toFixed(1)} MB, above the ${MAX_FILE_BYTES / 1024 / 1024} MB limit`);
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
};

function analyzeChunk(chunk: Chunk, opts: Required<Pick<AnalyzeOptions, 'policies' | 'readFile'>> & AnalyzeOptions): CachedDocument {
  const parsed = parseChunk(chunk);
  const base: CachedDocument = { text: chunk.text, doc: parsed.doc, lines: parsed.lines, value: parsed.value, empty: parsed.empty, problems: parsed.problems };
  if (parsed.empty || parsed.problems.length) return base;
  // The value is mutated by validation (placeholders, catalog defaults); keep a pristine copy for features.
  const value = parsed.doc.toJS({ maxAliasCount: 100 });
  const r = validateEntityDocument(parsed.doc, chunk.text, value, { path: opts.path, policies: opts.policies, readFile: opts.readFile });
  return { ...base, problems: r.problems, entity: r.entity, kindInfo: r.kindInfo };
}

function tooLarge(text: string): AnalyzedFile {
  const chunk: Chunk = { start: 0, end: text.length, line: 0, text: '' };
  const nl = text.indexOf('\n');
  const problem: Problem = {
    code: 'file-too-large',
    message: `this file is ${(text.length / 1024 / 1024).toFixed(1)} MB; Paved Road checks catalog files up to ${MAX_FILE_BYTES / 1024 / 1024} MB. Split it into several files (a Location can list them)`,
    severity: 'error',
    start: 0,
    end: nl === -1 ? Math.min(text.length, 200) : nl,
  };
  const cached = { text: '', doc: undefined as unknown as Document.Parsed, lines: new LineCounter(), value: undefined, empty: false, problems: [problem] };
  return { documents: [{ docIndex: 0, start: 0, end: text.length, empty: false, problems: [problem], valid: false, chunk, cached }] };
}

/** Analyses successive versions of one file, reusing the results of unchanged documents. */
export class FileAnalyzer {
  private cache = new Map<string, CachedDocument>();
  private readonly opts: Required<Pick<AnalyzeOptions, 'policies' | 'readFile'>> & AnalyzeOptions;

  private text = '';

  constructor(options: AnalyzeOptions = {}) {
    const read = options.readFile ?? readFileIfExists;
    // A placeholder or target naming the file itself reads the text being analysed, saved or not.
    const readFile: ReadFile = (p) => (options.path && resolve(p) === resolve(options.path) ? this.text : read(p));
    this.opts = { ...options, policies: options.policies ?? DEFAULT_POLICIES, readFile };
  }

  analyze(text: string): AnalyzedFile {
    if (text.length > MAX_FILE_BYTES) {
      this.cache = new Map();
      return tooLarge(text);
    }
    this.text = text;
    const next = new Map<string, CachedDocument>();
    const documents = splitDocuments(text).map((chunk, docIndex): AnalyzedDocument => {
      const cached = next.get(chunk.text) ?? this.cache.get(chunk.text) ?? analyzeChunk(chunk, this.opts);
      next.set(chunk.text, cached);
      const problems = cached.problems.map((p) => ({ ...p, start: p.start + chunk.start, end: p.end + chunk.start }));
      return {
        docIndex,
        start: chunk.start,
        end: chunk.end,
        empty: cached.empty,
        entity: cached.entity,
        problems,
        valid: !problems.some((p) => p.severity === 'error'),
        chunk,
        cached,
      };
    });
    this.cache = next;
    return { documents };
  }
}

/** Analyses one file's text (no caching across calls). */
export function analyzeText(text: string, options: AnalyzeOptions = {}): AnalyzedFile {
  return new FileAnalyzer(options).analyze(text);
}
