/**
 * Template manifests in the editor: a YAML document that is not a catalog file but says
 * `apiVersion: paved-road.dev/v1` and `kind: Template` gets the manifest's diagnostics, key and value
 * completion, and hover (scaffolding/manifestLanguage.ts), converted at this edge.
 */
import type { CompletionList, Diagnostic, Hover, Position } from 'vscode-languageserver/node';
import { isYamlFileName } from '../catalog/files';
import { isManifestText, manifestCompletions, manifestHover, manifestProblems } from '../scaffolding/manifestLanguage';
import { fsPathOf } from './catalogDocuments';
import { toCompletionItem, toDiagnostic, toHover } from './convert';
import type { EditorDocument } from './editorDocument';

/** The document's text when it is a template manifest (read once per request: an open text is kept in blocks). */
function manifestText(doc: EditorDocument | undefined): string | undefined {
  if (!doc || !isYamlFileName(fsPathOf(doc.uri) ?? doc.uri)) return undefined;
  const text = doc.getText();
  return isManifestText(text) ? text : undefined;
}

/** The document's problems when it is a template manifest; undefined when it is not one. */
export function manifestDiagnostics(doc: EditorDocument): Diagnostic[] | undefined {
  const text = manifestText(doc);
  return text === undefined ? undefined : manifestProblems(text, fsPathOf(doc.uri)).map((p) => toDiagnostic(doc, p));
}

export function manifestCompletion(doc: EditorDocument | undefined, position: Position): CompletionList | null {
  const text = manifestText(doc);
  if (text === undefined) return null;
  const offset = doc!.offsetAt(position);
  return { isIncomplete: false, items: manifestCompletions(text, offset).map((e) => toCompletionItem(doc!, offset, e)) };
}

export function manifestHoverAt(doc: EditorDocument | undefined, position: Position): Hover | null {
  const text = manifestText(doc);
  if (text === undefined) return null;
  const h = manifestHover(text, doc!.offsetAt(position));
  return h ? toHover(doc!, h) : null;
}
