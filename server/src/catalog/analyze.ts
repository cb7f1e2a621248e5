/**
 * The engine's entry: a file's text in, a verdict per document out. `FileAnalyzer` keeps the previous
 * version's per-document results, so an edit re-parses and re-validates only the documents whose text changed.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { LineCounter, type Document } from 'yaml';
import { DEFAULT_POLICIES, type Policies } from './policies';
import type { ReadFile } from './placeholders';
import { lastAtOrBefore } from './lines';
import { splitDocuments, startsWithMarker, type Chunk } from './split';
import type { DocumentAnalysis, EntityIdentity, FileAnalysis, Problem } from './types';
import { validateEntityDocument } from './validate';
import { parseChunk } from './yamlDocument';
import { problemsAroundYamlErrors } from './yamlRecovery';
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
  if (parsed.empty) return base;
  // The catalog ingests nothing from a document with a YAML error, so it keeps no entity (and no index
  // record); its other problems are still reported, from the parts that parsed cleanly.
  if (parsed.problems.length) return { ...base, problems: problemsAroundYamlErrors(parsed.doc, chunk.text, parsed.problems, { path: opts.path, policies: opts.policies, readFile: opts.readFile }) };
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

/**
 * Where the text changed since the previous version: the previous text's `[start, oldEnd)` became the
 * new text's `[start, newEnd)`.
 */
export interface EditHint {
  start: number;
  oldEnd: number;
  newEnd: number;
}

/** Folds two successive edits into one region (the second is in the coordinates after the first). */
export function composeEdits(a: EditHint, b: EditHint): EditHint {
  const da = a.newEnd - a.oldEnd;
  const back = (o: number): number => (o >= a.newEnd ? o - da : o >= a.start ? a.start : o);
  const start = Math.min(a.start, back(b.start));
  const oldEnd = Math.max(a.oldEnd, b.oldEnd >= a.newEnd ? b.oldEnd - da : a.oldEnd);
  return { start, oldEnd, newEnd: oldEnd + da + (b.newEnd - b.oldEnd) };
}

/** The index of the chunk holding `offset` (the first one for an offset before every chunk). */
function chunkAt(chunks: readonly Chunk[], offset: number): number {
  return Math.max(0, lastAtOrBefore(chunks, offset, (c) => c.start));
}

const countLines = (s: string): number => {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
};

/**
 * Analyses successive versions of one file, reusing the results of unchanged documents. Given where the
 * text changed, only the documents around the edit are split and looked at again; the others are
 * shifted, so an edit costs in proportion to the documents it touches.
 */
export class FileAnalyzer {
  private cache = new Map<string, CachedDocument>();
  private chunks: Chunk[] = [];
  private docs: CachedDocument[] = [];
  private readonly opts: Required<Pick<AnalyzeOptions, 'policies' | 'readFile'>> & AnalyzeOptions;
  private text = '';

  constructor(options: AnalyzeOptions = {}) {
    const read = options.readFile ?? readFileIfExists;
    // A placeholder or target naming the file itself reads the text being analysed, saved or not.
    const readFile: ReadFile = (p) => (options.path && resolve(p) === resolve(options.path) ? this.text : read(p));
    this.opts = { ...options, policies: options.policies ?? DEFAULT_POLICIES, readFile };
  }

  analyze(text: string, hint?: EditHint): AnalyzedFile {
    if (text.length > MAX_FILE_BYTES) {
      this.cache = new Map();
      this.chunks = [];
      this.docs = [];
      return tooLarge(text);
    }
    const previous = this.text;
    this.text = text;
    const incremental = hint && previous.length + hint.newEnd - hint.oldEnd === text.length ? this.resplit(previous, text, hint) : undefined;
    let chunks: Chunk[];
    let docs: CachedDocument[];
    if (incremental) {
      ({ chunks, docs } = incremental);
    } else {
      chunks = splitDocuments(text);
      const next = new Map<string, CachedDocument>();
      docs = chunks.map((c) => {
        const d = next.get(c.text) ?? this.cache.get(c.text) ?? analyzeChunk(c, this.opts);
        next.set(c.text, d);
        return d;
      });
      this.cache = next;
    }
    this.chunks = chunks;
    this.docs = docs;
    const documents = chunks.map((chunk, docIndex): AnalyzedDocument => {
      const cached = docs[docIndex];
      const problems = cached.problems.map((p) => ({ ...p, start: p.start + chunk.start, end: p.end + chunk.start }));
      return { docIndex, start: chunk.start, end: chunk.end, empty: cached.empty, entity: cached.entity, problems, valid: !problems.some((p) => p.severity === 'error'), chunk, cached };
    });
    return { documents };
  }

  /** Re-splits only the chunks the edit touches; undefined when a full split is needed. */
  private resplit(previous: string, text: string, h: EditHint): { chunks: Chunk[]; docs: CachedDocument[] } | undefined {
    const old = this.chunks;
    if (!old.length) return undefined;
    let i = chunkAt(old, h.start);
    // An edit on a `---` line may join its document to the one before.
    const nl = old[i].text.indexOf('\n');
    if (i > 0 && h.start <= old[i].start + (nl === -1 ? old[i].text.length : nl)) i--;
    let j = chunkAt(old, h.oldEnd);
    // A document that follows a `...` line starts without a marker: an edit of that line moves its start.
    if (j < old.length - 1 && !startsWithMarker(old[j + 1].text)) j++;
    const delta = h.newEnd - h.oldEnd;
    const regionStart = old[i].start;
    const regionEnd = old[j].end + delta;
    if (regionEnd < regionStart || regionEnd > text.length) return undefined;
    const fresh = splitDocuments(text.slice(regionStart, regionEnd));
    const last = fresh[fresh.length - 1];
    // A bare, comment-only stretch before an untouched document belongs to that document: split it all.
    if (j < old.length - 1 && !startsWithMarker(last.text)) return undefined;
    const lineDelta = countLines(text.slice(regionStart, regionEnd)) - countLines(previous.slice(old[i].start, old[j].end));
    const baseLine = old[i].line;
    const region = fresh.map((c) => ({ start: c.start + regionStart, end: c.end + regionStart, line: c.line + baseLine, text: c.text }));
    for (let k = i; k <= j; k++) if (this.cache.get(old[k].text) === this.docs[k]) this.cache.delete(old[k].text);
    const regionDocs = region.map((c) => {
      let d = this.cache.get(c.text);
      if (!d) {
        d = analyzeChunk(c, this.opts);
        this.cache.set(c.text, d);
      }
      return d;
    });
    const after = old.slice(j + 1).map((c) => ({ start: c.start + delta, end: c.end + delta, line: c.line + lineDelta, text: c.text }));
    return {
      chunks: [...old.slice(0, i), ...region, ...after],
      docs: [...this.docs.slice(0, i), ...regionDocs, ...this.docs.slice(j + 1)],
    };
  }
}

/** Analyses one file's text (no caching across calls). */
export function analyzeText(text: string, options: AnalyzeOptions = {}): AnalyzedFile {
  return new FileAnalyzer(options).analyze(text);
}
