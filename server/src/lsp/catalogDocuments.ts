/**
 * The open catalog documents: which ones are ours, their settings and policies, and their latest analysis.
 * Analysis is incremental per document (FileAnalyzer keeps the previous version's per-entity results).
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { TextDocumentsConfiguration } from 'vscode-languageserver/node';
import { composeEdits, FileAnalyzer, type AnalyzedFile, type EditHint } from '../catalog/analyze';
import type { CatalogIndex } from '../catalog/catalogIndex';
import { placementsOfAnalysis } from '../catalog/catalogCheck';
import { hasCatalogContent, isCatalogFile, isYamlFileName } from '../catalog/files';
import { EditorDocument } from './editorDocument';
import { findPoliciesFile, loadPoliciesFile, type Policies } from '../catalog/policies';
import type { PavedRoadSettings } from '../protocol';

interface Entry {
  version: number;
  /** Settings or policies changed: make a new analyzer. */
  stale?: boolean;
  analyzer: FileAnalyzer;
  /**
   * The analyzer has not seen the latest versions (the document was no catalog file then), so where the
   * next edit happened says nothing about what changed since its last text: that analysis is a full one.
   */
  behind?: boolean;
  analysis: AnalyzedFile | undefined;
  ours: boolean;
}

export function fsPathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export class CatalogDocuments {
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

  /** Analyses the document if it is a catalog file and changed since last time; its entities go to the index. */
  analyze(doc: EditorDocument): AnalyzedFile | undefined {
    let e = this.entries.get(doc.uri);
    if (e && e.version === doc.version && !e.stale) return e.analysis;
    const path = fsPathOf(doc.uri);
    const include = this.settingsFor(doc.uri)?.files.include ?? [];
    // By name first: the content is read only for a file that is a catalog file by its content.
    const ours = isCatalogFile(path ?? doc.uri, undefined, include) || (isYamlFileName(path ?? doc.uri) && hasCatalogContent(doc.getText()));
    if (!e || e.stale) {
      e = { version: doc.version, analyzer: new FileAnalyzer({ path, policies: this.policiesFor(doc.uri).policies }), analysis: undefined, ours };
      this.entries.set(doc.uri, e);
    }
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
