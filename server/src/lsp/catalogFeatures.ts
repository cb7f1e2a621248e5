/**
 * The LSP handlers of catalog intelligence: definition, references, rename, links, quick fixes and the
 * blast-radius request. Thin: take the document's analysis (which keeps the index current), call a pure
 * feature, convert at the edge.
 */
import {
  CancellationToken,
  CodeActionKind,
  ErrorCodes,
  ResponseError,
  type CodeAction,
  type Connection,
  type DocumentLink,
  type Location,
  type ServerCapabilities,
  type TextDocuments,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { EditorDocument } from './editorDocument';
import { stringify } from 'yaml';
import type { CatalogIndex, Placement } from '../catalog/catalogIndex';
import { blastRadius, displayName } from '../catalog/relations';
import { codeActions } from '../language/codeActions';
import { documentLinks } from '../language/links';
import { definitionOf, placementAt, planRename, prepareRename, referencesTo, targetAt } from '../language/navigation';
import { BlastRadiusRequest, EntityYamlRequest, storeUri } from '../protocol';
import type { CatalogDocuments } from './catalogDocuments';
import { fsPathOf } from '../catalog/files';
import { toRange } from './convert';
import { runSafe, type Log } from './runSafe';

export interface CatalogFeatureDeps {
  connection: Connection;
  documents: TextDocuments<EditorDocument>;
  catalog: CatalogDocuments;
  index: CatalogIndex;
  log: Log;
  /** More code actions for the entity at the range's start (the scorecard quick fixes, lsp/scorecardLens.ts). */
  moreActions?: (doc: EditorDocument, placement: Placement | undefined) => CodeAction[];
}

export const CATALOG_CAPABILITIES: ServerCapabilities = {
  definitionProvider: true,
  referencesProvider: true,
  renameProvider: { prepareProvider: true },
  documentLinkProvider: { resolveProvider: false },
  codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
};

export function registerCatalogFeatures({ connection, documents, catalog, index, log, moreActions }: CatalogFeatureDeps): void {
  /** Every handler runs safely, once no large file is being prepared. */
  const safe = <T>(name: string, neutral: T, token: CancellationToken, fn: () => T) => catalog.whenPrepared(() => runSafe(log, name, neutral, token, fn));
  /** The open document with its analysis fresh, so the index matches what the user sees. */
  const fresh = (uri: string): EditorDocument | undefined => {
    const doc = documents.get(uri);
    if (!doc) return undefined;
    for (const d of documents.all()) catalog.analyze(d);
    return catalog.get(doc) ? doc : undefined;
  };

  connection.onDefinition((p, token) =>
    safe('definition', null, token, () => {
      const doc = fresh(p.textDocument.uri);
      const t = doc && targetAt(index, doc.uri, doc.offsetAt(p.position));
      if (!t) return null;
      const def = definitionOf(index, t.ref);
      if (def?.place) return { uri: def.place.uri, range: { start: def.place.start, end: def.place.end } } satisfies Location;
      if (def?.storeOnly) return { uri: storeUri(t.ref), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } } satisfies Location;
      return null;
    }),
  );

  connection.onReferences((p, token) =>
    safe('references', [], token, () => {
      const doc = fresh(p.textDocument.uri);
      const t = doc && targetAt(index, doc.uri, doc.offsetAt(p.position));
      if (!t) return [];
      return referencesTo(index, t.ref, p.context.includeDeclaration).map((x): Location => ({ uri: x.uri, range: { start: x.start, end: x.end } }));
    }),
  );

  connection.onPrepareRename((p, token) =>
    safe('prepareRename', null, token, () => {
      const doc = fresh(p.textDocument.uri);
      const t = doc && targetAt(index, doc.uri, doc.offsetAt(p.position));
      if (!t) return null;
      const r = prepareRename(index, t);
      if (typeof r === 'string') throw new ResponseError(ErrorCodes.InvalidRequest, r);
      return { range: { start: r.place.start, end: r.place.end }, placeholder: r.placeholder };
    }),
  );

  connection.onRenameRequest((p, token) =>
    safe('rename', null, token, () => {
      const doc = fresh(p.textDocument.uri);
      const t = doc && targetAt(index, doc.uri, doc.offsetAt(p.position));
      if (!t) return null;
      const plan = planRename(index, t.ref, p.newName);
      if (typeof plan === 'string') throw new ResponseError(ErrorCodes.InvalidRequest, plan);
      const edit: WorkspaceEdit = {
        documentChanges: plan.edits.map((f) => ({
          textDocument: { uri: f.uri, version: documents.get(f.uri)?.version ?? null },
          edits: f.edits.map((e) => ({ range: { start: e.start, end: e.end }, newText: e.newText })),
        })),
      };
      return edit;
    }),
  );

  connection.onDocumentLinks((p, token) =>
    safe('documentLinks', [], token, () => {
      const doc = documents.get(p.textDocument.uri);
      const analysis = doc && catalog.get(doc);
      if (!doc || !analysis) return [];
      return documentLinks(analysis, fsPathOf(doc.uri)).map((l): DocumentLink => ({ range: toRange(doc, l.start, l.end), target: l.target, tooltip: l.tooltip }));
    }),
  );

  connection.onCodeAction((p, token) =>
    safe('codeAction', [], token, () => {
      const doc = fresh(p.textDocument.uri);
      if (!doc) return [];
      const namespaceAt = (pos: { line: number; character: number }): string => placementAt(index, doc.uri, doc.offsetAt(pos))?.record.namespace ?? 'default';
      const ours = p.context.diagnostics.filter((d) => d.source === 'paved-road');
      // On a problem, its fixes alone; elsewhere in an entity, the scorecard's.
      const more = ours.length ? [] : (moreActions?.(doc, placementAt(index, doc.uri, doc.offsetAt(p.range.start))) ?? []);
      return codeActions(index, ours, namespaceAt).map(
        (a): CodeAction => ({
          title: a.title,
          kind: CodeActionKind.QuickFix,
          isPreferred: a.preferred,
          diagnostics: ours.filter((d) => d === a.diagnostic),
          edit: { changes: { [doc.uri]: [{ range: { start: a.edit.start, end: a.edit.end }, newText: a.edit.newText }] } },
        }),
      ).concat(more);
    }),
  );

  connection.onRequest(BlastRadiusRequest.type, (p, token) =>
    safe('blastRadius', { ref: p.ref, found: false, dependents: [] }, token, () => {
      for (const d of documents.all()) catalog.analyze(d);
      const ref = p.ref.toLowerCase();
      const dependents = blastRadius(index, ref).map((d) => {
        const placement = index.first(d.ref);
        return {
          ...d,
          title: displayName(placement) ?? d.ref,
          kind: placement?.record.kind ?? d.ref.split(':')[0],
          uri: placement?.provenance.kind === 'file' ? placement.provenance.uri : undefined,
        };
      });
      return { ref, found: index.get(ref).length > 0, dependents };
    }),
  );

  connection.onRequest(EntityYamlRequest.type, (p, token) =>
    safe('entityYaml', null, token, () => {
      const placement = index.first(p.ref.toLowerCase());
      if (!placement) return null;
      const source = placement.provenance.kind === 'store' ? placement.provenance.label : placement.provenance.uri;
      return `# ${placement.record.ref}, from ${source} (read-only)\n${stringify(placement.record.value ?? {})}`;
    }),
  );
}
