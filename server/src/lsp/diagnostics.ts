/**
 * Pushing diagnostics: a document's own problems plus the cross-catalog ones. The edited document is
 * checked in the next turn of the event loop after its edit; in the same flush, so are the other open
 * documents whose cross-catalog results the index change invalidated (the CrossChecker says which), and
 * only those. A document's diagnostics are not sent again when they are what was last sent for its version.
 */
import type { Connection, Diagnostic } from 'vscode-languageserver/node';
import type { TextDocuments } from 'vscode-languageserver/node';
import type { EditorDocument } from './editorDocument';
import type { CatalogIndex } from '../catalog/catalogIndex';
import { CrossChecker } from '../catalog/crossCheck';
import type { CatalogDocuments } from './catalogDocuments';
import { toDiagnostic } from './convert';
import { manifestDiagnostics } from './manifestDocuments';

export interface DiagnosticsOptions {
  connection: Connection;
  documents: TextDocuments<EditorDocument>;
  catalog: CatalogDocuments;
  index: CatalogIndex;
  describeUri(uri: string): string;
  /** True while the workspace is still being read: references cannot be judged yet. */
  indexing(): boolean;
  /** True when a catalog store is configured: the index then holds the whole catalog. */
  storeConnected(): boolean;
  /** False while a document's settings are still on their way: its problems would be judged by the defaults. */
  ready(uri: string): boolean;
  log(message: string): void;
  /** Called after a batch was published, e.g. to send the status. */
  published(): void;
}

export class DiagnosticsPublisher {
  /** Documents to check in the next flush, in the order they were asked for. */
  private readonly pending = new Set<string>();
  private scheduled = false;
  private flushing = false;
  private readonly cross: CrossChecker;
  /** What was last sent per document, by version: the same again is not sent (large files carry 100+ KB). */
  private readonly sent = new Map<string, { version: number; diagnostics: Diagnostic[] }>();

  constructor(private readonly o: DiagnosticsOptions) {
    this.cross = new CrossChecker(o.index);
    // However the index changed (an edit, a file on disk, a store), the open documents whose cached
    // cross-catalog problems it invalidated are checked again; a change during a flush joins that flush.
    this.cross.onInvalidate((sources) => {
      for (const uri of sources) if (this.o.documents.get(uri)) this.schedule(uri);
    });
    // A closed document's diagnostics are cleared; reopened, it may get the same version again.
    o.documents.onDidClose((e) => this.sent.delete(e.document.uri));
  }

  /** Checks a document in the next turn of the event loop (bursts of edits are coalesced). */
  schedule(uri: string): void {
    this.pending.add(uri);
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Checks every open document again (what they all depend on changed: the workspace was read, settings). */
  scheduleAll(): void {
    for (const d of this.o.documents.all()) this.schedule(d.uri);
  }

  /** The diagnostics of one document, computed now. */
  compute(doc: EditorDocument): Diagnostic[] {
    const analysis = this.o.catalog.analyze(doc);
    // Not a catalog file: a template manifest has problems of its own.
    if (!analysis) return manifestDiagnostics(doc) ?? [];
    const local = analysis.documents.flatMap((d) => d.problems);
    const policies = this.o.catalog.policiesFor(doc.uri).policies;
    // Until the workspace is read, "not found" would be a guess: those checks wait for the index.
    const cross = this.o.indexing() ? [] : this.cross.check(this.o.index.placementsOf(doc.uri), policies, (u) => this.o.describeUri(u), this.o.storeConnected());
    return [...local, ...cross].sort((a, b) => a.start - b.start).map((p) => toDiagnostic(doc, p));
  }

  /**
   * Checks the pending documents. Analysing one may change the index, which invalidates results of
   * others (already checked in this flush or not): they join the pending set, and the flush goes on until
   * nothing is pending. Each document's analysis changes the index at most once per version, so it ends.
   */
  private flush(): void {
    this.scheduled = false;
    this.flushing = true;
    try {
      for (let uri = first(this.pending); uri !== undefined; uri = first(this.pending)) {
        this.pending.delete(uri);
        const doc = this.o.documents.get(uri);
        if (!doc || !this.o.ready(uri)) continue;
        try {
          // Its own analysis may invalidate its own cached results: they are computed next anyway.
          this.o.catalog.analyze(doc);
          this.pending.delete(uri);
          this.send(uri, doc.version, this.compute(doc));
        } catch (e) {
          this.o.log(`diagnostics of ${uri} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        }
      }
    } finally {
      this.flushing = false;
    }
    this.o.published();
  }

  private send(uri: string, version: number, diagnostics: Diagnostic[]): void {
    const last = this.sent.get(uri);
    if (last && last.version === version && JSON.stringify(last.diagnostics) === JSON.stringify(diagnostics)) return;
    this.sent.set(uri, { version, diagnostics });
    void this.o.connection.sendDiagnostics({ uri, version, diagnostics });
  }
}

function first<T>(set: ReadonlySet<T>): T | undefined {
  for (const x of set) return x;
  return undefined;
}
