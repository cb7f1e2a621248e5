/**
 * Results of the language features, in engine terms (offsets into the file text). The LSP handlers
 * turn them into LSP types; nothing here knows about the protocol.
 */

export type CompletionKind = 'key' | 'value' | 'enum' | 'snippet' | 'kind' | 'annotation' | 'reference';

export interface CompletionEntry {
  label: string;
  kind: CompletionKind;
  /** One line shown next to the label. */
  detail?: string;
  /** Markdown shown in the details pane. */
  documentation?: string;
  /** Text to insert; a snippet (with $1, ${1:placeholder}) when `snippet` is true. */
  insertText: string;
  snippet?: boolean;
  /** The range the insert replaces (offsets); defaults to the word at the cursor. */
  replaceStart?: number;
  replaceEnd?: number;
  sortText?: string;
  filterText?: string;
}

export interface HoverResult {
  /** Markdown. */
  contents: string;
  start: number;
  end: number;
}

export type SymbolKind = 'entity' | 'key' | 'list' | 'value';

export interface SymbolEntry {
  name: string;
  detail?: string;
  kind: SymbolKind;
  /** The whole extent of the symbol. */
  start: number;
  end: number;
  /** What to select/reveal (e.g. the key, or metadata.name's value for an entity). */
  selectionStart: number;
  selectionEnd: number;
  children: SymbolEntry[];
}
