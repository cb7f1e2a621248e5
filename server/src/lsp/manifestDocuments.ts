/**
 * Our own YAML formats in the editor: a YAML document that is not a catalog file but says
 * `apiVersion: paved-road.dev/v1` and `kind: Template` (a template manifest) or `kind: Scorecard` gets
 * the format's diagnostics, key and value completion, and hover (scaffolding/manifestLanguage.ts),
 * converted at this edge.
 */
import type { CompletionList, Diagnostic, Hover, Position } from 'vscode-languageserver/node';
import { isYamlFileName } from '../catalog/files';
import { isManifestText, languageCompletions, languageHover, languageProblems, TEMPLATE_LANGUAGE, type YamlLanguage } from '../scaffolding/manifestLanguage';
import { isScorecardText } from '../scorecards/definitions';
import { SCORECARD_LANGUAGE } from '../scorecards/scorecardLanguage';
import { fsPathOf } from './catalogDocuments';
import { toCompletionItem, toDiagnostic, toHover } from './convert';
import type { EditorDocument } from './editorDocument';

/** The format of a document, when it is one of ours. */
function languageOf(doc: EditorDocument | undefined): YamlLanguage | undefined {
  if (!doc || !isYamlFileName(fsPathOf(doc.uri) ?? doc.uri)) return undefined;
  const text = doc.getText();
  return isManifestText(text) ? TEMPLATE_LANGUAGE : isScorecardText(text) ? SCORECARD_LANGUAGE : undefined;
}

/** The document's problems when it is a template manifest or a scorecard; undefined when it is neither. */
export function manifestDiagnostics(doc: EditorDocument): Diagnostic[] | undefined {
  const lang = languageOf(doc);
  if (!lang) return undefined;
  return languageProblems(lang, doc.getText(), fsPathOf(doc.uri)).map((p) => toDiagnostic(doc, p));
}

export function manifestCompletion(doc: EditorDocument | undefined, position: Position): CompletionList | null {
  const lang = languageOf(doc);
  if (!doc || !lang) return null;
  const offset = doc.offsetAt(position);
  return { isIncomplete: false, items: languageCompletions(lang, doc.getText(), offset).map((e) => toCompletionItem(doc, offset, e)) };
}

export function manifestHoverAt(doc: EditorDocument | undefined, position: Position): Hover | null {
  const lang = languageOf(doc);
  if (!doc || !lang) return null;
  const h = languageHover(lang, doc.getText(), doc.offsetAt(position));
  return h ? toHover(doc, h) : null;
}
