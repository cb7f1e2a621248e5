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

function isManifest(doc: EditorDocument): boolean {
  return isYamlFileName(fsPathOf(doc.uri) ?? doc.uri) && isManifestText(doc.getText());
}

/** The document's problems when it is a template manifest; undefined when it is not one. */
export function manifestDiagnostics(doc: EditorDocument): Diagnostic[] | undefined {
  if (!isManifest(doc)) return undefined;
  return manifestProblems(doc.getText(), fsPathOf(doc.uri)).map((p) => toDiagnostic(doc, p));
}

export function manifestCompletion(doc: EditorDocument | undefined, position: Position): CompletionList | null {
  if (!doc || !isManifest(doc)) return null;
  const offset = doc.offsetAt(position);
  return { isIncomplete: false, items: manifestCompletions(doc.getText(), offset).map((e) => toCompletionItem(doc, offset, e)) };
}

export function manifestHoverAt(doc: EditorDocument | undefined, position: Position): Hover | null {
  if (!doc || !isManifest(doc)) return null;
  const h = manifestHover(doc.getText(), doc.offsetAt(position));
  return h ? toHover(doc, h) : null;
}
