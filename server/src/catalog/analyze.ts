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
import { findKind, validateEntityDocument } from './validate';
import { primeRecord, recordOf, type EntityRecord } from './entityRecord';
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

/**
 * One document analysed elsewhere (a parse worker): what its verdict and index record need, without the
 * YAML tree, which does not cross threads. Offsets are relative to the document.
 */
export interface PreparedDocument {
  text: string;
  problems: Problem[];
  empty: boolean;
  entity?: EntityIdentity;
  record?: EntityRecord;
}

/**
 * Analyses documents `[from, to)` of a file's text, for another thread: the verdicts and records, as
 * FileAnalyzer would make them. `path` and `readFile` are as for FileAnalyzer (the file itself reads `text`).
 */
export function prepareDocuments(text: string, from: number, to: number, options: AnalyzeOptions = {}): PreparedDocument[] {
  const read = options.readFile ?? readFileIfExists;
  const readFile: ReadFile = (p) => (options.path && resolve(p) === resolve(options.path) ? text : read(p));
  const opts = { ...options, policies: options.policies ?? DEFAULT_POLICIES, readFile };
  return splitDocuments(text)
    .slice(from, to)
    .map((c) => {
      const d = analyzeChunk(c, opts);
      return { text: d.text, problems: d.problems, empty: d.empty, entity: d.entity, record: recordOf(d) };
    });
}

/** A prepared document as the analyzer keeps it: its YAML tree is parsed again when a feature first needs it. */
function fromPrepared(p: PreparedDocument, policies: Policies): CachedDocument {
  let parsed: ReturnType<typeof parseChunk> | undefined;
  const tree = (): ReturnType<typeof parseChunk> => (parsed ??= parseChunk({ start: 0, end: p.text.length, line: 0, text: p.text }));
  const cached: CachedDocument = {
    text: p.text,
    problems: p.problems,
    empty: p.empty,
    entity: p.entity,
    kindInfo: p.entity ? findKind(p.entity.kind, policies) : undefined,
    get doc() {
      return tree().doc;
    },
    get lines() {
      return tree().lines;
    },
    get value() {
      return tree().value;
    },
  };
  primeRecord(cached, p.record);
  return cached;
}

function tooLarge(text: TextSource): AnalyzedFile {
  const chunk: Chunk = { start: 0, end: text.length, line: 0, text: '' };
  const nl = text.slice(0, 200).indexOf('\n');
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
 * A file's text as the analyzer reads it: a string, or an editor's document that gives slices of its text
 * without making the whole of it (lsp/editorDocument.ts), so an edit never copies the file.
 */
export interface TextSource {
  readonly length: number;
  slice(start: number, end: number): string;
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

/** The index of the document holding `offset` (the first one for an offset before every document). */
function documentAt(documents: readonly AnalyzedDocument[], offset: number): number {
  return Math.max(0, lastAtOrBefore(documents, offset, (d) => d.chunk.start));
}

const countLines = (s: string): number => {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
};

const NO_PROBLEMS: readonly Problem[] = Object.freeze([]);

/** A document of the file: its cached result placed at its chunk (problems moved to file offsets). */
function placed(docIndex: number, chunk: Chunk, cached: CachedDocument): AnalyzedDocument {
  const problems = cached.problems.length ? cached.problems.map((p) => ({ ...p, start: p.start + chunk.start, end: p.end + chunk.start })) : (NO_PROBLEMS as Problem[]);
  return { docIndex, start: chunk.start, end: chunk.end, empty: cached.empty, entity: cached.entity, problems, valid: !problems.some((p) => p.severity === 'error'), chunk, cached };
}

/**
 * Analyses successive versions of one file, reusing the results of unchanged documents. Given where the
 * text changed, only the documents around the edit are split and looked at again; the others are
 * shifted (and when nothing before them moved, kept as they were), so an edit costs in proportion to the
 * documents it touches.
 */
export class FileAnalyzer {
  private cache = new Map<string, CachedDocument>();
  private documents: AnalyzedDocument[] = [];
  private readonly opts: Required<Pick<AnalyzeOptions, 'policies' | 'readFile'>> & AnalyzeOptions;
  private source: TextSource = '';
  /** The length of the text last analysed (an editor's document changes in place: its length is already the new one). */
  private analysedLength = 0;

  constructor(options: AnalyzeOptions = {}) {
    const read = options.readFile ?? readFileIfExists;
    // A placeholder or target naming the file itself reads the text being analysed, saved or not.
    const readFile: ReadFile = (p) => (options.path && resolve(p) === resolve(options.path) ? this.source.slice(0, this.source.length) : read(p));
    this.opts = { ...options, policies: options.policies ?? DEFAULT_POLICIES, readFile };
  }

  /** Analyses documents of a text now, so that the next `analyze` of it finds them done. */
  warm(text: string, from: number, to: number): void {
    for (const c of splitDocuments(text).slice(from, to)) if (!this.cache.has(c.text)) this.cache.set(c.text, analyzeChunk(c, this.opts));
  }

  /** Takes documents analysed on another thread (prepareDocuments with this analyzer's options). */
  seed(prepared: readonly PreparedDocument[]): void {
    for (const p of prepared) if (!this.cache.has(p.text)) this.cache.set(p.text, fromPrepared(p, this.opts.policies));
  }

  analyze(text: TextSource, hint?: EditHint): AnalyzedFile {
    if (text.length > MAX_FILE_BYTES) {
      this.cache = new Map();
      this.documents = [];
      this.source = '';
      this.analysedLength = 0;
      return tooLarge(text);
    }
    const previousLength = this.analysedLength;
    this.source = text;
    this.analysedLength = text.length;
    const incremental = hint && this.documents.length && previousLength + hint.newEnd - hint.oldEnd === text.length ? this.resplit(text, hint) : undefined;
    if (!incremental) {
      const next = new Map<string, CachedDocument>();
      this.documents = splitDocuments(text.slice(0, text.length)).map((c, docIndex) => {
        const d = next.get(c.text) ?? this.cache.get(c.text) ?? analyzeChunk(c, this.opts);
        next.set(c.text, d);
        return placed(docIndex, c, d);
      });
      this.cache = next;
    }
    return { documents: this.documents };
  }

  /** Re-splits only the documents the edit touches; undefined when a full split is needed. */
  private resplit(text: TextSource, h: EditHint): true | undefined {
    const old = this.documents;
    let i = documentAt(old, h.start);
    // An edit on a `---` line may join its document to the one before.
    const nl = old[i].chunk.text.indexOf('\n');
    if (i > 0 && h.start <= old[i].chunk.start + (nl === -1 ? old[i].chunk.text.length : nl)) i--;
    let j = documentAt(old, h.oldEnd);
    // A document that follows a `...` line starts without a marker: an edit of that line moves its start.
    if (j < old.length - 1 && !startsWithMarker(old[j + 1].chunk.text)) j++;
    const delta = h.newEnd - h.oldEnd;
    const regionStart = old[i].chunk.start;
    const regionEnd = old[j].chunk.end + delta;
    if (regionEnd < regionStart || regionEnd > text.length) return undefined;
    const regionText = text.slice(regionStart, regionEnd);
    const fresh = splitDocuments(regionText);
    const last = fresh[fresh.length - 1];
    // A bare, comment-only stretch before an untouched document belongs to that document: split it all.
    if (j < old.length - 1 && !startsWithMarker(last.text)) return undefined;
    let oldLines = 0;
    for (let k = i; k <= j; k++) oldLines += countLines(old[k].chunk.text);
    const lineDelta = countLines(regionText) - oldLines;
    const baseLine = old[i].chunk.line;
    for (let k = i; k <= j; k++) if (this.cache.get(old[k].chunk.text) === old[k].cached) this.cache.delete(old[k].chunk.text);
    const region = fresh.map((c, n) => {
      const chunk = { start: c.start + regionStart, end: c.end + regionStart, line: c.line + baseLine, text: c.text };
      let d = this.cache.get(c.text);
      if (!d) {
        d = analyzeChunk(chunk, this.opts);
        this.cache.set(c.text, d);
      }
      return placed(i + n, chunk, d);
    });
    // The documents after the edit keep their results; only where they are changed.
    const moved = delta !== 0 || lineDelta !== 0 || fresh.length !== j - i + 1;
    const after = old.slice(j + 1);
    const shifted = moved
      ? after.map((d, n) => placed(i + fresh.length + n, { start: d.chunk.start + delta, end: d.chunk.end + delta, line: d.chunk.line + lineDelta, text: d.chunk.text }, d.cached))
      : after;
    this.documents = [...old.slice(0, i), ...region, ...shifted];
    return true;
  }
}

/** Analyses one file's text (no caching across calls). */
export function analyzeText(text: string, options: AnalyzeOptions = {}): AnalyzedFile {
  return new FileAnalyzer(options).analyze(text);
}
