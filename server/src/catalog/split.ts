/**
 * Splits a YAML stream into its documents by the `---` and `...` markers at the start of a line,
 * before any parsing. YAML forbids document markers inside content, so each piece can be parsed
 * alone: an unclosed quote in one document then cannot swallow the documents after it, and an edit
 * re-parses only the pieces whose text changed.
 */

/** One document's text inside the file. */
export interface Chunk {
  /** Offset of the chunk's first character (its `---` line, when it has one). */
  start: number;
  /** Offset just past the chunk's last character. */
  end: number;
  /** 0-based line of `start`. */
  line: number;
  text: string;
}

const MARKER = /^(---|\.\.\.)(?=[ \t\r\n]|$)/;

/** True when the text starts with a `---` document marker line. */
export function startsWithMarker(text: string): boolean {
  return /^---(?=[ \t\r\n]|$)/.test(text);
}

/** True when the text holds anything but blank lines and comments. */
export function hasContent(text: string): boolean {
  return /^[ \t]*[^\s#]/m.test(text);
}

/** True when the text holds anything but blank lines, comments and `%` directives. */
function hasContentBesidesDirectives(text: string): boolean {
  return /^(?!%)[ \t]*[^\s#]/m.test(text);
}

export function splitDocuments(text: string): Chunk[] {
  const chunks: Chunk[] = [];
  let chunkStart = 0;
  let chunkLine = 0;
  let pos = 0;
  let line = 0;
  const push = (end: number, nextStart: number, nextLine: number): void => {
    chunks.push({ start: chunkStart, end, line: chunkLine, text: text.slice(chunkStart, end) });
    chunkStart = nextStart;
    chunkLine = nextLine;
  };
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const lineEnd = nl === -1 ? text.length : nl + 1;
    const c = text.charCodeAt(pos);
    if (c === 45 /* - */ || c === 46 /* . */) {
      const m = MARKER.exec(text.slice(pos, Math.min(lineEnd, pos + 4)));
      if (m && m[1] === '---' && pos > chunkStart) push(pos, pos, line);
      else if (m && m[1] === '...') push(lineEnd, lineEnd, line + 1);
    }
    pos = lineEnd;
    line++;
  }
  if (chunkStart < text.length || chunks.length === 0) push(text.length, text.length, line);
  // A stretch before the first `---` (or after `...`) that holds only comments and directives is not a
  // document of its own in YAML: it belongs to the document that follows.
  const merged: Chunk[] = [];
  for (let i = 0; i < chunks.length; i++) {
    const c = chunks[i];
    const next = chunks[i + 1];
    if (next && !startsWithMarker(c.text) && !hasContentBesidesDirectives(c.text)) {
      chunks[i + 1] = { start: c.start, end: next.end, line: c.line, text: c.text + next.text };
      continue;
    }
    merged.push(c);
  }
  return merged;
}
