/**
 * The open catalog documents: which ones are ours, their settings and policies, and their latest analysis.
 * Analysis is incremental per document (FileAnalyzer keeps the previous version's per-entity results).
 */
import { dirname } from 'node:path';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { TextDocumentsConfiguration } from 'vscode-languageserver/node';
import { composeEdits, FileAnalyzer, type AnalyzedFile, type EditHint } from '../catalog/analyze';
import type { CatalogIndex } from '../catalog/catalogIndex';
import { placementsOfAnalysis } from '../catalog/catalogCheck';
import { fsPathOf, hasCatalogContent, isCatalogFile, isYamlFileName } from '../catalog/files';
import { EditorDocument } from './editorDocument';
import { splitDocuments } from '../catalog/split';
import type { ParseWorker } from '../sources/parseWorker';
import { findPoliciesFile, loadPoliciesFile, type Policies } from '../catalog/policies';
import type { PavedRoadSettings } from '../protocol';

interface Entry {
  version: number;
  /** Settings or policies changed: make a new analyzer. */
  stale?: boolean;
  analyzer: FileAnalyzer;
  /** The analyzer's policies, as JSON. */
  policiesKey: string;
  /**
   * The analyzer has not seen the latest versions (the document was no catalog file then), so where the
   * next edit happened says nothing about what changed since its last text: that analysis is a full one.
   */
  behind?: boolean;
  analysis: AnalyzedFile | undefined;
  ours: boolean;
}


/** Below these, a file is analysed on this thread alone: starting a worker would cost more than it saves. */
const PREPARE_MIN_BYTES = 256 * 1024;
const PREPARE_MIN_DOCUMENTS = 200;

export class CatalogDocuments {
  private readonly preparations = new Map<string, Promise<void>>();
  private readonly entries = new Map<string, Entry>();
  /** Where each document changed since it was last analysed (null: unknown, analyse it all). */
  private readonly pendingEdits = new Map<string, EditHint | null>();

  /** The configuration for TextDocuments that records where each edit happened, for incremental analysis. */
  readonly textDocuments: TextDocumentsConfiguration<EditorDocument> = {
    create: (uri, languageId, version, content) => EditorDocument.create(uri, languageId, version, content),
    update: (doc, changes: TextDocumentContentChangeEvent[], version) => {
      let hint: EditHint | null | undefined = this.pendingEdits.has(doc.uri) ? this.pendingEdits.get(doc.uri) : undefined;
      for (const c of changes) {
        if (hint !== null && 'range' in c) {
          const start = doc.offsetAt(c.range.start);
          const h = { start, oldEnd: doc.offsetAt(c.range.end), newEnd: start + c.text.length };
          hint = hint === undefined ? h : composeEdits(hint, h);
        } else hint = null;
        doc.update([c], version);
      }
      this.pendingEdits.set(doc.uri, hint ?? null);
      return doc;
    },
  };
  private readonly policyCache = new Map<string, { policies: Policies; issues: string[] }>();
  /** The policies file of each folder asked about, until a policies file changes. */
  private readonly policiesFiles = new Map<string, string | undefined>();
  /** The answer of policiesFor per document, until its settings or a policies file change. */
  private readonly policiesByUri = new Map<string, { policies: Policies; issues: string[] }>();

  constructor(
    private readonly settingsFor: (uri: string) => PavedRoadSettings | undefined,
    private readonly index: CatalogIndex,
  ) {}

  /** True while an editor holds the document. */
  isOpen(uri: string): boolean {
    return this.entries.has(uri);
  }

  /** The policies that apply to a file: the setting, overlaid by the nearest .paved-road/policies.yaml. */
  policiesFor(uri: string): { policies: Policies; issues: string[] } {
    const known = this.policiesByUri.get(uri);
    if (known) return known;
    const path = fsPathOf(uri);
    const file = path ? findPoliciesFile(dirname(path), this.policiesFiles) : undefined;
    const key = `${file ?? ''}|${JSON.stringify(this.settingsFor(uri)?.policies ?? {})}`;
    let r = this.policyCache.get(key);
    if (!r) {
      r = loadPoliciesFile(file, this.settingsFor(uri)?.policies);
      this.policyCache.set(key, r);
    }
    this.policiesByUri.set(uri, r);
    return r;
  }

  /** True when the document is a catalog file: by name first; its content is read only when the name does not say. */
  private isOurs(doc: EditorDocument): boolean {
    const path = fsPathOf(doc.uri) ?? doc.uri;
    const include = this.settingsFor(doc.uri)?.files.include ?? [];
    return isCatalogFile(path, undefined, include) || (isYamlFileName(path) && hasCatalogContent(doc.getText()));
  }

  /** The document's entry, made (with a new analyzer) when it has none or settings or policies changed. */
  private entryOf(doc: EditorDocument, ours: boolean): Entry {
    let e = this.entries.get(doc.uri);
    if (e?.stale) {
      // Settings or a policies file changed: the analyses stay good if the policies came out the same.
      const policies = this.policiesFor(doc.uri).policies;
      if (JSON.stringify(policies) === e.policiesKey) {
        e.stale = false;
        e.version = -1;
      } else e = undefined;
    }
    if (!e) {
      const policies = this.policiesFor(doc.uri).policies;
      e = { version: -1, analyzer: new FileAnalyzer({ path: fsPathOf(doc.uri), policies }), policiesKey: JSON.stringify(policies), analysis: undefined, ours };
      this.entries.set(doc.uri, e);
    }
    return e;
  }

  /**
   * A large catalog file was just opened: half its documents are analysed on a parse worker while this
   * thread analyses the other half, so its first diagnostics come in about half the time. The next
   * `analyze` finds them all done. Requests about the document wait for it (`preparing`).
   */
  prepare(doc: EditorDocument, worker: () => ParseWorker | undefined): Promise<void> {
    if (doc.length < PREPARE_MIN_BYTES || !this.isOurs(doc)) return Promise.resolve();
    const text = doc.getText();
    const count = splitDocuments(text).length;
    if (count < PREPARE_MIN_DOCUMENTS) return Promise.resolve();
    const w = worker();
    if (!w) return Promise.resolve();
    const { analyzer } = this.entryOf(doc, true);
    const path = fsPathOf(doc.uri);
    // The worker takes the second half (it starts a little later), this thread the first.
    const mid = Math.ceil(count / 2);
    const remote = w.prepare(path, text, this.policiesFor(doc.uri).policies, mid, count);
    const done = (async () => {
      analyzer.warm(text, 0, mid);
      const prepared = await remote;
      if (prepared) analyzer.seed(prepared);
    })().finally(() => {
      w.stop();
      if (this.preparations.get(doc.uri) === done) this.preparations.delete(doc.uri);
    });
    this.preparations.set(doc.uri, done);
    return done;
  }

  /** True while the document is being prepared (its diagnostics wait for it). */
  isPreparing(uri: string): boolean {
    return this.preparations.has(uri);
  }

  /**
   * Runs `fn` once no preparation is under way (at once when none is): a request answered meanwhile would
   * analyse the documents the worker is analysing, on this thread.
   */
  whenPrepared<T>(fn: () => T): T | Promise<T> {
    if (!this.preparations.size) return fn();
    return Promise.all(this.preparations.values()).then(() => this.whenPrepared(fn));
  }

  /** Analyses the document if it is a catalog file and changed since last time; its entities go to the index. */
  analyze(doc: EditorDocument): AnalyzedFile | undefined {
    const known = this.entries.get(doc.uri);
    if (known && known.version === doc.version && !known.stale) return known.analysis;
    const ours = this.isOurs(doc);
    const e = this.entryOf(doc, ours);
    e.version = doc.version;
    e.ours = ours;
    const hint = this.pendingEdits.get(doc.uri) ?? undefined;
    this.pendingEdits.delete(doc.uri);
    e.analysis = ours ? e.analyzer.analyze(doc, e.behind ? undefined : hint) : undefined;
    e.behind = !ours;
    if (e.analysis) this.index.update(doc.uri, { kind: 'file', uri: doc.uri }, placementsOfAnalysis(e.analysis));
    else this.index.drop(doc.uri);
    return e.analysis;
  }

  /** The latest analysis, if the document is ours. */
  get(doc: EditorDocument): AnalyzedFile | undefined {
    return this.analyze(doc);
  }

  close(uri: string): void {
    this.entries.delete(uri);
    this.policiesByUri.delete(uri);
    this.pendingEdits.delete(uri);
  }

  /** The document's settings arrived or changed: analyse it again on its next use. */
  invalidate(uri: string): void {
    this.policiesByUri.delete(uri);
    const e = this.entries.get(uri);
    if (e) e.stale = true;
  }

  /** Forgets everything derived from settings and policy files (they changed); open documents stay known. */
  reset(): void {
    for (const e of this.entries.values()) e.stale = true;
    this.policyCache.clear();
    this.policiesByUri.clear();
    this.policiesFiles.clear();
  }

  /** All analyses, for the status. */
  *all(): Iterable<AnalyzedFile> {
    for (const e of this.entries.values()) if (e.analysis) yield e.analysis;
  }
}
