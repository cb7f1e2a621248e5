/**
 * `paved-road scorecard [--format text|json|markdown] [--min-level LEVEL] [--scorecard FILE]... PATH...`:
 * the CI gate. Scores every entity of the catalog files under each PATH (a folder, a catalog file, or a
 * snapshot file) with the built-in scorecards and the repository's `.paved-road/scorecards/`, or only
 * with the `--scorecard` files when given; prints each entity's level, score and failing rules. Exit 1
 * when an entity is below --min-level (a quarantined entity counts as below), 2 on usage errors.
 */
import { readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { absolute, type CatalogIndex, type Placement } from '../catalog/catalogIndex';
import { isCatalogFile, isCatalogFileName, isYamlFileName } from '../catalog/files';
import { findPoliciesFile, loadPoliciesFile } from '../catalog/policies';
import { loadCliCatalog, projectRoot } from '../scaffolding/cliCommands';
import { placementsOfText } from '../sources/fileRecords';
import { clean } from '../views/nodes';
import { loadScorecards, WORKSPACE_SCORECARDS } from './definitions';
import { RepositoryFacts } from './facts';
import { entityFromDisk, Scorer } from './score';
import type { EntityScore, Scorecard } from './types';

export class ScorecardUsageError extends Error {}

type Format = 'text' | 'json' | 'markdown';

interface Args {
  format: Format;
  minLevel?: string;
  scorecards: string[];
  paths: string[];
}

function parseArgs(argv: string[]): Args {
  const a: Args = { format: 'text', scorecards: [], paths: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const name = arg.startsWith('--') ? arg.split('=')[0] : arg;
    const value = (): string => {
      const v = arg.startsWith('--') && arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (!v) throw new ScorecardUsageError(`${name} needs a value`);
      return v;
    };
    if (name === '--format') {
      const v = value();
      if (v !== 'text' && v !== 'json' && v !== 'markdown') throw new ScorecardUsageError(`--format must be text, json or markdown, not '${v}'`);
      a.format = v;
    } else if (name === '--min-level') a.minLevel = value();
    else if (name === '--scorecard') a.scorecards.push(value());
    else if (arg === '--') {
      a.paths.push(...argv.slice(i + 1));
      break;
    } else if (arg.startsWith('--')) throw new ScorecardUsageError(`unknown option '${arg}'`);
    else a.paths.push(arg);
  }
  if (!a.paths.length) throw new ScorecardUsageError('missing PATH: a folder of catalog files, a catalog file, or a snapshot file');
  return a;
}

/** One entity's score with where it is written. */
export interface ScoredEntity {
  score: EntityScore;
  card: Scorecard;
  file?: string;
  line?: number;
  /** Below --min-level (only with --min-level, for scorecards whose ladder has that level). */
  below?: boolean;
}

/** Is the score below `level` on its scorecard's ladder? undefined when the ladder has no such level. */
export function belowLevel(s: EntityScore, card: Scorecard, level: string): boolean | undefined {
  const names = card.levels.map((l) => l.name.toLowerCase());
  const want = names.indexOf(level.toLowerCase());
  if (want === -1) return undefined;
  if (s.quarantined) return true;
  return (s.level === undefined ? -1 : names.indexOf(s.level.toLowerCase())) < want;
}

/** Scores every entity of the index with a place in a file or store, sorted by file, then document order. */
export function scoreCatalog(index: CatalogIndex, scorer: Scorer, cwd: string): ScoredEntity[] {
  const cards = new Map(scorer.cards.map((c) => [c.id, c]));
  const out: ScoredEntity[] = [];
  for (const source of [...index.sources()].sort()) {
    for (const p of index.placementsOf(source)) {
      if (index.first(p.record.ref) !== p) continue; // a duplicate: the catalog keeps the first
      for (const score of scorer.scoreRecord(p)) out.push({ score, card: cards.get(score.scorecard)!, ...where(p, cwd) });
    }
  }
  return out;
}

function where(p: Placement, cwd: string): { file?: string; line?: number } {
  if (p.provenance.kind !== 'file') return { file: p.provenance.label };
  const path = fileURLToPath(p.provenance.uri);
  return { file: relative(cwd, path) || path, line: absolute(p, p.record.nameRange ?? p.record.range).start.line + 1 };
}

const failing = (s: EntityScore) => s.results.filter((r) => r.outcome === 'fail');
const levelText = (s: EntityScore): string => (s.quarantined ? 'quarantined' : (s.level ?? 'none'));
const nextText = (s: EntityScore): string => (s.quarantined ? 'not scored' : s.next ? `${s.next.failing} check${s.next.failing === 1 ? '' : 's'} to ${s.next.level}` : 'all checks pass');

export function toText(entities: ScoredEntity[], minLevel?: string): string {
  const lines: string[] = [];
  for (const e of entities) {
    const s = e.score;
    const at = e.file ? `${e.file}${e.line ? `:${e.line}` : ''}  ` : '';
    lines.push(`${at}${s.ref}  ${e.card.title}: ${levelText(s)}${s.quarantined ? '' : `  ${s.score}%`}  (${nextText(s)})${e.below ? `  below ${minLevel}` : ''}`);
    for (const r of failing(s)) lines.push(`  ✗ [${r.level}] ${r.rule}: ${clean(r.title, 200)}: ${clean(r.why, 400)}`);
  }
  lines.push('', summary(entities, minLevel));
  return `${lines.join('\n')}\n`;
}

function summary(entities: ScoredEntity[], minLevel?: string): string {
  const n = new Set(entities.map((e) => e.score.ref)).size;
  const head = `${n} ${n === 1 ? 'entity' : 'entities'} scored`;
  if (!minLevel) return head;
  const below = new Set(entities.filter((e) => e.below).map((e) => e.score.ref)).size;
  return below ? `${head}, ${below} below ${minLevel}` : `${head}, all at ${minLevel} or above`;
}

/** Text in a Markdown table cell: one line, pipes and HTML escaped. */
function cell(s: string): string {
  return clean(s, 300).replace(/[\\|*_`[\]<>]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : `\\${c}`));
}

/** A pull-request comment: the verdict, a table, and each entity's failing rules folded. */
export function toMarkdown(entities: ScoredEntity[], minLevel?: string): string {
  const below = entities.some((e) => e.below);
  const out = [`### Scorecards: ${minLevel ? (below ? '❌ ' : '✅ ') : ''}${cell(summary(entities, minLevel))}`, ''];
  if (!entities.length) return `${out.join('\n')}\n`;
  out.push('| Entity | Scorecard | Level | Score | Next |', '| --- | --- | --- | ---: | --- |');
  for (const e of entities) {
    const s = e.score;
    out.push(`| ${e.below ? '❌ ' : ''}\`${s.ref.replace(/`/g, '')}\` | ${cell(e.card.title)} | ${cell(levelText(s))} | ${s.quarantined ? '' : `${s.score}%`} | ${cell(nextText(s))} |`);
  }
  for (const e of entities) {
    const f = failing(e.score);
    if (!f.length) continue;
    out.push('', `<details><summary>${cell(e.score.ref)}: ${f.length} failing</summary>`, '');
    for (const r of f) out.push(`- **${cell(r.level)}** ${cell(r.title)}: ${cell(r.why)}${r.fix && 'url' in r.fix ? ` ([how](${r.fix.url.replace(/[()\s]/g, encodeURIComponent)}))` : ''}`);
    out.push('', '</details>');
  }
  return `${out.join('\n')}\n`;
}

/**
 * The catalog the scoring commands (`scorecard`, `query`) read, from the project of the first path: catalog
 * files named one by one as files (their entities get repository facts), folders and snapshot files as the
 * other commands read them, with the project's policies. A path that does not exist is a usage error.
 */
export async function loadScoringCatalog(paths: string[], scorecards: string[], usage: (message: string) => Error, warn: (line: string) => void): Promise<{ catalog: CatalogIndex; root: string }> {
  for (const p of [...paths, ...scorecards]) {
    try {
      statSync(p);
    } catch {
      throw usage(`no such file or folder: ${p}`);
    }
  }
  const first = resolve(paths[0]);
  const root = projectRoot(statSync(first).isDirectory() ? first : resolve(first, '..'));
  const pol = loadPoliciesFile(findPoliciesFile(root));
  for (const i of pol.issues) warn(i);
  const files: string[] = [];
  const others: string[] = [];
  for (const p of paths.map((x) => resolve(x))) {
    if (!statSync(p).isDirectory() && (isCatalogFileName(p) || isYamlFileName(p)) && isCatalogFile(p, readFileSync(p, 'utf8'))) files.push(p);
    else others.push(p);
  }
  const { catalog, problems } = await loadCliCatalog(others, pol.policies);
  for (const p of problems) warn(p);
  for (const f of files) {
    const uri = pathToFileURL(f).toString();
    catalog.update(uri, { kind: 'file', uri }, placementsOfText(readFileSync(f, 'utf8'), pol.policies));
  }
  return { catalog, root };
}

export async function mainScorecard(argv: string[], out: (text: string) => void, warn: (line: string) => void): Promise<number> {
  const args = parseArgs(argv);
  const { catalog, root } = await loadScoringCatalog(args.paths, args.scorecards, (m) => new ScorecardUsageError(m), warn);
  const sources = args.scorecards.length ? args.scorecards.map((s) => ({ path: resolve(s), origin: 'file' })) : [{ path: join(root, WORKSPACE_SCORECARDS), origin: 'workspace' }];
  const cards = loadScorecards(sources, { builtin: !args.scorecards.length });
  for (const p of cards.problems) warn(p);
  if (args.scorecards.length && !cards.scorecards.length) throw new ScorecardUsageError('no usable scorecard in the --scorecard files');
  if (args.minLevel && !cards.scorecards.some((c) => c.levels.some((l) => l.name.toLowerCase() === args.minLevel!.toLowerCase()))) {
    throw new ScorecardUsageError(`--min-level ${args.minLevel}: no scorecard has that level (${[...new Set(cards.scorecards.flatMap((c) => c.levels.map((l) => l.name)))].join(', ')})`);
  }
  const scorer = new Scorer(catalog, new RepositoryFacts(), cards.scorecards, { entityOf: entityFromDisk() });
  const entities = scoreCatalog(catalog, scorer, process.cwd());
  if (args.minLevel) for (const e of entities) e.below = belowLevel(e.score, e.card, args.minLevel) ?? false;
  if (args.format === 'json') {
    for (const e of entities) out(`${JSON.stringify({ ...e.score, title: e.card.title, file: e.file, line: e.line, ...(args.minLevel ? { below: e.below } : {}) })}\n`);
  } else out(args.format === 'markdown' ? toMarkdown(entities, args.minLevel) : toText(entities, args.minLevel));
  return entities.some((e) => e.below) ? 1 : 0;
}
