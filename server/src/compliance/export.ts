/**
 * A compliance answer as CSV (RFC 4180: every field that needs it quoted, quotes doubled, CRLF between
 * records) or as a Markdown table (pipes and backslashes escaped, line breaks as spaces, HTML's `<` `>` `&`
 * as entities so that catalog data never becomes markup in a rendered comment).
 */
import type { QueryResult } from './questions';

/**
 * A cell of a spreadsheet that starts with `=`, `+`, `-`, `@`, tab or CR is read as a formula: such text
 * gets a leading apostrophe (OWASP's advice for CSV injection). Numbers are written as they are.
 */
function csvField(v: string | number): string {
  let s = typeof v === 'number' ? String(v) : v;
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(result: QueryResult): string {
  const lines = [result.columns, ...result.rows].map((row) => row.map(csvField).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

function mdCell(v: string | number): string {
  return String(v)
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\r\n]+/g, ' ');
}

export function toMarkdown(result: QueryResult): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  const numeric = result.columns.map((_, i) => result.rows.length > 0 && result.rows.every((r) => typeof r[i] === 'number'));
  const out = [`### ${mdCell(result.title)}`, '', line(result.columns.map(mdCell)), line(numeric.map((n) => (n ? '---:' : '---')))];
  for (const row of result.rows) out.push(line(row.map(mdCell)));
  out.push('', `${result.rows.length} ${result.rows.length === 1 ? 'row' : 'rows'}`);
  return `${out.join('\n')}\n`;
}
