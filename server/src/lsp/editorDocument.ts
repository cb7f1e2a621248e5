/**
 * An open editor's text, kept in blocks of about 16 KB that end at line ends. A keystroke rewrites the one
 * block it lands in, so it costs in proportion to the edit, not to the file: one string for the whole text
 * would be copied on every edit (about 5 ms for a 1.3 MB file here, and as much garbage). The whole text is
 * made only when a feature asks for it, and kept until the next edit. Positions follow VS Code's rules
 * (`\n`, `\r\n` and `\r` end lines), as vscode-languageserver-textdocument's TextDocument does.
 */
import type { Position, Range, TextDocument, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';

/** A block's size once split; blocks grow with edits up to twice this before they are split again. */
const BLOCK = 16 * 1024;

const isEOL = (c: number): boolean => c === 13 || c === 10;

/** Offsets of the line starts in `text` (after the first line), each plus `base`. */
function lineStarts(text: string, base: number, out: number[] = []): number[] {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isEOL(c)) {
      if (c === 13 && i + 1 < text.length && text.charCodeAt(i + 1) === 10) i++;
      out.push(base + i + 1);
    }
  }
  return out;
}

/** Cuts text into blocks of about BLOCK characters, each ending at a line end (the last one may not). */
function toBlocks(text: string): string[] {
  const blocks: string[] = [];
  let from = 0;
  while (text.length - from > 2 * BLOCK) {
    const nl = text.indexOf('\n', from + BLOCK);
    if (nl === -1 || nl + 1 >= text.length) break;
    blocks.push(text.slice(from, nl + 1));
    from = nl + 1;
  }
  blocks.push(text.slice(from));
  return blocks;
}

export class EditorDocument implements TextDocument {
  private blocks: string[];
  /** Offset of each block's first character. */
  private starts: number[] = [];
  private lines: number[] = [];
  private whole: string | undefined;
  private size = 0;

  private constructor(
    readonly uri: string,
    readonly languageId: string,
    private ver: number,
    content: string,
  ) {
    this.blocks = toBlocks(content);
    this.whole = content;
    this.reindex();
    this.lines = [0, ...lineStarts(content, 0)];
  }

  static create(uri: string, languageId: string, version: number, content: string): EditorDocument {
    return new EditorDocument(uri, languageId, version, content);
  }

  get version(): number {
    return this.ver;
  }

  get length(): number {
    return this.size;
  }

  get lineCount(): number {
    return this.lines.length;
  }

  /** The text in [start, end), read from the blocks (the whole text is not made for it). */
  slice(start: number, end = this.size): string {
    start = Math.max(0, Math.min(start, this.size));
    end = Math.max(start, Math.min(end, this.size));
    if (this.whole !== undefined) return this.whole.slice(start, end);
    let b = this.blockAt(start);
    const first = this.blocks[b];
    const from = start - this.starts[b];
    if (end <= this.starts[b] + first.length) return first.slice(from, end - this.starts[b]);
    const parts = [first.slice(from)];
    while (++b < this.blocks.length && this.starts[b] < end) parts.push(this.blocks[b].slice(0, end - this.starts[b]));
    return parts.join('');
  }

  getText(range?: Range): string {
    if (range) return this.slice(this.offsetAt(range.start), this.offsetAt(range.end));
    this.whole ??= this.blocks.join('');
    return this.whole;
  }

  positionAt(offset: number): Position {
    offset = Math.max(Math.min(offset, this.size), 0);
    let low = 0;
    let high = this.lines.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.lines[mid] > offset) high = mid;
      else low = mid + 1;
    }
    const line = low - 1;
    return { line, character: this.beforeEOL(offset, this.lines[line]) - this.lines[line] };
  }

  offsetAt(position: Position): number {
    if (position.line >= this.lines.length) return this.size;
    if (position.line < 0) return 0;
    const lineOffset = this.lines[position.line];
    if (position.character <= 0) return lineOffset;
    const next = position.line + 1 < this.lines.length ? this.lines[position.line + 1] : this.size;
    return this.beforeEOL(Math.min(lineOffset + position.character, next), lineOffset);
  }

  getLineRange(line: number): Range {
    if (line >= this.lines.length) {
      const last = this.lines.length - 1;
      return { start: { line: last, character: 0 }, end: { line: last, character: this.size - this.lines[last] } };
    }
    if (line < 0) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const next = line + 1 < this.lines.length ? this.lines[line + 1] : this.size;
    return { start: { line, character: 0 }, end: { line, character: this.beforeEOL(next, this.lines[line]) - this.lines[line] } };
  }

  getEOLCharacters(line: number): string {
    if (line < 0 || line >= this.lines.length) return '';
    const next = line + 1 < this.lines.length ? this.lines[line + 1] : this.size;
    return this.slice(this.beforeEOL(next, this.lines[line]), next);
  }

  /** Applies the editor's changes in order (the TextDocuments `update` of this kind of document). */
  update(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    for (const change of changes) {
      if ('range' in change) this.replace(change.range, change.text);
      else {
        this.blocks = toBlocks(change.text);
        this.whole = change.text;
        this.reindex();
        this.lines = [0, ...lineStarts(change.text, 0)];
      }
    }
    this.ver = version;
  }

  private replace(range: Range, text: string): void {
    let from = this.offsetAt(range.start);
    let to = this.offsetAt(range.end);
    if (from > to) [from, to] = [to, from];
    const startLine = this.positionAt(from).line;
    const endLine = this.positionAt(to).line;
    // The blocks the edit touches; a block that no longer ends at a line end takes the next one in.
    const bi = this.blockAt(from);
    let bj = this.blockAt(Math.max(from, to - 1));
    const base = this.starts[bi];
    let region = this.blocks.slice(bi, bj + 1).join('');
    region = region.slice(0, from - base) + text + region.slice(to - base);
    while (bj + 1 < this.blocks.length && !region.endsWith('\n')) region += this.blocks[++bj];
    this.blocks.splice(bi, bj - bi + 1, ...(region.length > 2 * BLOCK ? toBlocks(region) : [region]));
    this.whole = undefined;
    this.reindex();
    // Line starts: those in the replaced range give way to those of the new text; the rest shift.
    const insertedEnd = from + text.length;
    const crlfAt = (o: number): boolean => o > 0 && o < this.size && this.slice(o - 1, o + 1) === '\r\n';
    if (crlfAt(from) || crlfAt(insertedEnd)) {
      // A CRLF pair across the edit's boundary: count the lines again.
      this.lines = [0, ...lineStarts(this.getText(), 0)];
      return;
    }
    const added = lineStarts(text, from);
    if (added.length < 10_000) this.lines.splice(startLine + 1, endLine - startLine, ...added);
    else this.lines = this.lines.slice(0, startLine + 1).concat(added, this.lines.slice(endLine + 1));
    const diff = text.length - (to - from);
    if (diff) for (let i = startLine + 1 + added.length; i < this.lines.length; i++) this.lines[i] += diff;
  }

  private reindex(): void {
    let o = 0;
    this.starts = this.blocks.map((b) => {
      const s = o;
      o += b.length;
      return s;
    });
    this.size = o;
  }

  /** The block holding `offset` (the last one for the end of the text). */
  private blockAt(offset: number): number {
    let low = 0;
    let high = this.blocks.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  private beforeEOL(offset: number, lineOffset: number): number {
    while (offset > lineOffset && isEOL(this.slice(offset - 1, offset).charCodeAt(0))) offset--;
    return offset;
  }
}
