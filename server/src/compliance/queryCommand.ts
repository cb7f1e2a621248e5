/**
 * `paved-road query EXPRESSION [--format text|json|csv] [--scorecard FILE]... [PATH...]`: a compliance
 * question (questions.ts) answered over the catalog the other commands read: each PATH a folder of catalog
 * files (indexed as the editor indexes its workspace), a catalog file, or a snapshot file (as a store);
 * default the current folder. Scores come from the built-in scorecards, the repository's
 * `.paved-road/scorecards/` and each `--scorecard` file. Exit 0 answered, 2 usage or an expression that
 * cannot be answered; catalog files that cannot be read are warnings.
 */
import { join, resolve } from 'node:path';
import { WORKSPACE_SCORECARDS, loadScorecards } from '../scorecards/definitions';
import { RepositoryFacts } from '../scorecards/facts';
import { loadScoringCatalog } from '../scorecards/scorecardCommand';
import { entityFromDisk, Scorer } from '../scorecards/score';
import { clean } from '../views/nodes';
import { toCsv } from './export';
import { query, QueryError, type QueryResult } from './questions';

export class QueryUsageError extends Error {}

interface QueryArgs {
  expression: string;
  format: 'text' | 'json' | 'csv';
  scorecards: string[];
  paths: string[];
}

function parseQueryArgs(argv: string[]): QueryArgs {
  const a: QueryArgs = { expression: '', format: 'text', scorecards: [], paths: [] };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = arg.includes('=') && arg.startsWith('--') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (!v) throw new QueryUsageError(`${arg.split('=')[0]} needs a value`);
      return v;
    };
    const name = arg.startsWith('--') ? arg.split('=')[0] : arg;
    if (name === '--format') {
      const v = value();
      if (v !== 'text' && v !== 'json' && v !== 'csv') throw new QueryUsageError(`--format must be text, json or csv, not '${v}'`);
      a.format = v;
    } else if (name === '--scorecard') a.scorecards.push(value());
    else if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    } else if (arg.startsWith('--')) throw new QueryUsageError(`unknown option '${arg}'`);
    else positional.push(arg);
  }
  const [expression, ...paths] = positional;
  if (!expression) throw new QueryUsageError('missing EXPRESSION: a question (teams-without-oncall, below-level:Silver, ...) or a filter (kind=component,spec.lifecycle=production)');
  a.expression = expression;
  a.paths = paths.length ? paths : ['.'];
  return a;
}

/** A table for a terminal: columns padded to their widest cell, each value on one line. */
export function toText(r: QueryResult): string {
  const cells = [r.columns, ...r.rows.map((row) => row.map((c) => clean(String(c), 200)))];
  const widths = r.columns.map((_, i) => Math.max(...cells.map((row) => String(row[i] ?? '').length)));
  const line = (row: (string | number)[]): string =>
    row
      .map((c, i) => (typeof c === 'number' ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const out = [clean(r.title, 200), '', line(r.columns), line(widths.map((w) => '-'.repeat(w)))];
  for (const row of r.rows) out.push(line(row));
  out.push('', `${r.rows.length} ${r.rows.length === 1 ? 'row' : 'rows'}`);
  return `${out.join('\n')}\n`;
}

export async function mainQuery(argv: string[], out: (text: string) => void, warn: (line: string) => void): Promise<number> {
  const args = parseQueryArgs(argv);
  const { catalog, root } = await loadScoringCatalog(args.paths, args.scorecards, (m) => new QueryUsageError(m), warn);
  const cards = loadScorecards([{ path: join(root, WORKSPACE_SCORECARDS), origin: 'workspace' }, ...args.scorecards.map((s) => ({ path: resolve(s), origin: 'file' }))]);
  for (const p of cards.problems) warn(p);
  const scorer = new Scorer(catalog, new RepositoryFacts(), cards.scorecards, { entityOf: entityFromDisk() });
  let result: QueryResult;
  try {
    result = query(catalog, scorer, args.expression);
  } catch (e) {
    if (e instanceof QueryError) throw new QueryUsageError(e.message);
    throw e;
  }
  if (args.format === 'json') out(`${JSON.stringify(result)}\n`);
  else if (args.format === 'csv') out(toCsv(result));
  else out(toText(result));
  return 0;
}
