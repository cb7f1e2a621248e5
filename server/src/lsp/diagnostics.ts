/**
 * Pushing diagnostics: a document's own problems plus the cross-catalog ones. The edited document is
 * checked in the same turn of the event loop as its edit; the other open documents, whose cross-catalog
 * problems may have changed with the index, shortly after.
 */
import type { Connection, Diagnostic } from 'vscode-languageserver/node';
import type { TextDocuments } from 'vscode-languageserver/node';
import type { EditorDocument } from './editorDocument';
import type { CatalogIndex } from '../catalog/catalogIndex';
import { CrossChecker } from '../catalog/crossCheck';
import type { CatalogDocuments } from './catalogDocuments';
import { toDiagnostic } from './convert';

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
  private readonly now = new Set<string>();
  private scheduled = false;
  private othersTimer: NodeJS.Timeout | undefined;
  private indexVersionSeen = -1;
  private readonly cross: CrossChecker;

  constructor(private readonly o: DiagnosticsOptions) {
    this.cross = new CrossChecker(o.index);
  }

  /** Checks a document in the next turn of the event loop (bursts of edits are coalesced). */
  schedule(uri: string): void {
    this.now.add(uri);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Checks every open document again soon (the index changed under them). */
  scheduleAll(delayMs = 100): void {
    if (this.othersTimer) return;
    this.othersTimer = setTimeout(() => {
      this.othersTimer = undefined;
      for (const d of this.o.documents.all()) this.now.add(d.uri);
      this.flush();
    }, delayMs);
  }

  /** The diagnostics of one document, computed now. */
  compute(doc: EditorDocument): Diagnostic[] {
    const analysis = this.o.catalog.analyze(doc);
    if (!analysis) return [];
    const local = analysis.documents.flatMap((d) => d.problems);
    const policies = this.o.catalog.policiesFor(doc.uri).policies;
    // Until the workspace is read, "not found" would be a guess: those checks wait for the index.
    const cross = this.o.indexing() ? [] : this.cross.check(this.o.index.placementsOf(doc.uri), policies, (u) => this.o.describeUri(u), this.o.storeConnected());
    return [...local, ...cross].sort((a, b) => a.start - b.start).map((p) => toDiagnostic(doc, p));
  }

  private flush(): void {
    this.scheduled = false;
    const uris = [...this.now];
    this.now.clear();
    let stale = false;
    for (const uri of uris) {
      const doc = this.o.documents.get(uri);
      if (!doc || !this.o.ready(uri)) continue;
      try {
        const before = this.o.index.version;
        const diagnostics = this.compute(doc);
        // This document changed the index: those checked before it in this batch may be out of date.
        if (this.o.index.version !== before && uri !== uris[0]) stale = true;
        void this.o.connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
      } catch (e) {
        this.o.log(`diagnostics of ${uri} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      }
    }
    // An edit may have changed what other open documents refer to.
    if (this.o.index.version !== this.indexVersionSeen) {
      this.indexVersionSeen = this.o.index.version;
      if (stale || this.o.documents.all().length > uris.length) this.scheduleAll();
    }
    this.o.published();
  }
}
