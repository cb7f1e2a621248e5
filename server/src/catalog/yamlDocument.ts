/**
 * Parses one document chunk with `yaml` exactly as the Backstage catalog does (YAML 1.2 core schema,
 * merge keys off, unique keys), and turns YAML errors into problems with precise ranges.
 */
import { Document, isScalar, LineCounter, parseDocument, Scalar, visit } from 'yaml';
import type { Chunk } from './split';
import { hasContent } from './split';
import type { Problem } from './types';

/** A parsed document chunk. Offsets in `doc` and `problems` are relative to the chunk. */
export interface ParsedChunk {
  doc: Document.Parsed;
  /** The plain JavaScript value (undefined when the YAML could not be turned into one). */
  value: unknown;
  empty: boolean;
  /** YAML problems, chunk-relative. */
  problems: Problem[];
  lines: LineCounter;
}

const WHOLE_FILE = 'The catalog rejects every entity of a file with a YAML error.';

function describeYamlError(code: string, message: string, source: string): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return `duplicate key${source ? ` '${source}'` : ''}: keys in a mapping must be unique`;
    case 'BLOCK_AS_IMPLICIT_KEY':
      return `a value holds ': ' but is not quoted; quote the value (e.g. "a: b") or move the mapping to its own lines`;
    case 'MULTILINE_IMPLICIT_KEY':
      return `a key must be on one line and followed by ': '; did a line lose its ': ' or a value run over two lines?`;
    case 'TAB_AS_INDENT':
      return 'tabs are not allowed for indentation in YAML; indent with spaces';
    default:
      return `YAML syntax error: ${message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`;
  }
}

/** The opening quote of a quoted scalar that is still open where the error is reported. */
function findUnclosedQuote(doc: Document.Parsed, errorOffset: number): Scalar | undefined {
  let found: Scalar | undefined;
  visit(doc, {
    Scalar(_key, node) {
      if ((node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && node.range && node.range[1] >= errorOffset - 1) {
        if (!found || (found.range && node.range[0] < found.range[0])) found = node;
      }
    },
  });
  return found;
}

function lineEndAt(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  const end = nl === -1 ? text.length : nl;
  return end > offset && text[end - 1] === '\r' ? end - 1 : end;
}

export function parseChunk(chunk: Chunk): ParsedChunk {
  const text = chunk.text;
  const lines = new LineCounter();
  const problems: Problem[] = [];
  const doc = parseDocument(text, { merge: false, uniqueKeys: true, prettyErrors: false, lineCounter: lines, keepSourceTokens: false });
  const empty = !hasContent(text.replace(/^(---|\.\.\.)/gm, ''));
  for (const err of doc.errors) {
    let [start, end] = err.pos;
    let message: string;
    let code = 'yaml-syntax';
    if (err.code === 'MISSING_CHAR' && /closing ["']/.test(err.message)) {
      const open = findUnclosedQuote(doc, start);
      if (open?.range) {
        start = open.range[0];
        end = lineEndAt(text, start);
      }
      const q = text[start] === "'" ? 'single' : 'double';
      code = 'yaml-unclosed-quote';
      message = `unclosed ${q} quote: this string runs to the end of the document; add the closing ${q === 'single' ? "'" : '"'}`;
    } else {
      let source = '';
      if (err.code === 'DUPLICATE_KEY') {
        code = 'yaml-duplicate-key';
        source = (/^[^:\n]*/.exec(text.slice(start)) ?? [''])[0].trimEnd();
        end = start + source.length;
      }
      message = describeYamlError(err.code, err.message, source);
    }
    if (end <= start) end = Math.min(text.length, start + 1);
    problems.push({ code, message: `${message}. ${WHOLE_FILE}`, severity: 'error', start, end });
  }
  let value: unknown;
  if (problems.length === 0 && !empty) {
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      const alias = /alias/i.test(msg);
      const at = alias ? firstAlias(doc) : undefined;
      problems.push({
        code: alias ? 'yaml-alias' : 'yaml-syntax',
        message: alias
          ? `${/excessive/i.test(msg) ? 'too many alias expansions (an alias bomb?)' : 'an alias refers to an anchor that is not defined before it'}: ${msg}. ${WHOLE_FILE}`
          : `YAML could not be read: ${msg}. ${WHOLE_FILE}`,
        severity: 'error',
        start: at?.[0] ?? 0,
        end: at?.[1] ?? Math.min(text.length, lineEndAt(text, 0)),
      });
    }
  }
  // A document that is just `null` or `~` is skipped by the catalog, like an empty one.
  const isNull = !empty && problems.length === 0 && value === null;
  return { doc, value, empty: empty || isNull, problems, lines };
}

function firstAlias(doc: Document.Parsed): [number, number] | undefined {
  let r: [number, number] | undefined;
  visit(doc, {
    Alias(_k, node) {
      if (!r && node.range) r = [node.range[0], node.range[1]];
      return r ? visit.BREAK : undefined;
    },
  });
  return r;
}

export { isScalar };
