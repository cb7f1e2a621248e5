/**
 * Our own YAML formats in the editor: a YAML document that is not a catalog file but says
 * `apiVersion: paved-road.dev/v1` and `kind: Template` (a template manifest) or `kind: Scorecard` gets
 * the format's diagnostics, key and value completion, and hover (scaffolding/manifestLanguage.ts),
 * converted at this edge.
 */
import type { CompletionList, Diagnostic, Hover, Position } from 'vscode-languageserver/node';
import { fsPathOf, isYamlFileName } from '../catalog/files';
import { isManifestText, languageCompletions, languageHover, languageProblems, TEMPLATE_LANGUAGE, type YamlLanguage } from '../scaffolding/manifestLanguage';
import { isScorecardText } from '../scorecards/definitions';
import { SCORECARD_LANGUAGE } from '../scorecards/scorecardLanguage';
import { toCompletionItem, toDiagnostic, toHover } from './convert';
import type { EditorDocument } from './editorDocument';

/** The document's format and text when it is one of ours (the text read once per request: an open text is kept in blocks). */
function ownFormat(doc: EditorDocument | undefined): { lang: YamlLanguage; text: string } | undefined {
  if (!doc || !isYamlFileName(fsPathOf(doc.uri) ?? doc.uri)) return undefined;
  const text = doc.getText();
  const lang = isManifestText(text) ? TEMPLATE_LANGUAGE : isScorecardText(text) ? SCORECARD_LANGUAGE : undefined;
  return lang && { lang, text };
}

/** The document's problems when it is a template manifest or a scorecard; undefined when it is neither. */
export function manifestDiagnostics(doc: EditorDocument): Diagnostic[] | undefined {
  const own = ownFormat(doc);
  return own && languageProblems(own.lang, own.text, fsPathOf(doc.uri)).map((p) => toDiagnostic(doc, p));
}

export function manifestCompletion(doc: EditorDocument | undefined, position: Position): CompletionList | null {
  const own = ownFormat(doc);
  if (!own) return null;
  const offset = doc!.offsetAt(position);
  return { isIncomplete: false, items: languageCompletions(own.lang, own.text, offset).map((e) => toCompletionItem(doc!, offset, e)) };
}

export function manifestHoverAt(doc: EditorDocument | undefined, position: Position): Hover | null {
  const own = ownFormat(doc);
  if (!own) return null;
  const h = languageHover(own.lang, own.text, doc!.offsetAt(position));
  return h ? toHover(doc!, h) : null;
}
