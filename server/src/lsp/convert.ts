/** Engine results (offsets) to LSP types, at the edge. */
import {
  CompletionItem,
  CompletionItemKind,
  Diagnostic,
  DiagnosticSeverity,
  DocumentSymbol,
  Hover,
  InsertTextFormat,
  MarkupKind,
  Range,
  SymbolKind,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Problem } from '../catalog/types';
import type { CompletionEntry, HoverResult, SymbolEntry } from '../language/types';

export const SOURCE = 'paved-road';

const SEVERITY: Record<Problem['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export function toRange(doc: TextDocument, start: number, end: number): Range {
  return { start: doc.positionAt(start), end: doc.positionAt(end) };
}

export function toDiagnostic(doc: TextDocument, p: Problem): Diagnostic {
  const d: Diagnostic = { range: toRange(doc, p.start, p.end), severity: SEVERITY[p.severity], code: p.code, source: SOURCE, message: p.message };
  if (p.related?.length) d.relatedInformation = p.related.map((r) => ({ location: { uri: r.uri, range: { start: r.start, end: r.end } }, message: r.message }));
  if (p.data) d.data = p.data;
  return d;
}

const ITEM_KIND: Record<CompletionEntry['kind'], CompletionItemKind> = {
  key: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  enum: CompletionItemKind.EnumMember,
  snippet: CompletionItemKind.Snippet,
  kind: CompletionItemKind.Class,
  annotation: CompletionItemKind.Property,
  reference: CompletionItemKind.Reference,
};

export function toCompletionItem(doc: TextDocument, offset: number, e: CompletionEntry): CompletionItem {
  const start = e.replaceStart ?? offset;
  const end = e.replaceEnd ?? offset;
  return {
    label: e.label,
    kind: ITEM_KIND[e.kind],
    detail: e.detail,
    documentation: e.documentation ? { kind: MarkupKind.Markdown, value: e.documentation } : undefined,
    insertTextFormat: e.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    textEdit: { range: toRange(doc, start, end), newText: e.insertText },
    sortText: e.sortText,
    filterText: e.filterText,
  };
}

export function toHover(doc: TextDocument, h: HoverResult): Hover {
  return { contents: { kind: MarkupKind.Markdown, value: h.contents }, range: toRange(doc, h.start, h.end) };
}

const SYMBOL_KIND: Record<SymbolEntry['kind'], SymbolKind> = {
  entity: SymbolKind.Class,
  key: SymbolKind.Property,
  list: SymbolKind.Array,
  value: SymbolKind.String,
};

export function toDocumentSymbol(doc: TextDocument, s: SymbolEntry): DocumentSymbol {
  return {
    name: s.name || ' ',
    detail: s.detail,
    kind: SYMBOL_KIND[s.kind],
    range: toRange(doc, s.start, s.end),
    selectionRange: toRange(doc, s.selectionStart, s.selectionEnd),
    children: s.children.map((c) => toDocumentSymbol(doc, c)),
  };
}
