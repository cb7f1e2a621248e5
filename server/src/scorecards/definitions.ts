/**
 * Scorecard definitions: YAML files read, checked against schemas/scorecard.schema.json, then the checks a
 * schema cannot make (rule ids unique, each rule's level on the ladder, regular expressions compile).
 * Sources in order: the built-in golden path, then the given ones (the store or a configured folder, then
 * the workspace); a later scorecard with the same id replaces an earlier one.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import * as compiled from '../catalog/generated/validators';
import { describeError } from '../scaffolding/manifest';
import type { Condition, Level, Scorecard } from './types';

export const SCORECARD_API_VERSION = 'paved-road.dev/v1';
export const DEFAULT_LEVELS: readonly Level[] = Object.freeze([{ name: 'Bronze' }, { name: 'Silver' }, { name: 'Gold' }]);
/** The workspace's scorecards: `.paved-road/scorecards/*.yaml` under a workspace folder. */
export const BUILTIN_FILE = 'golden-path.yaml';
export const WORKSPACE_SCORECARDS = join('.paved-road', 'scorecards');

/** The built-in scorecards folder (`scorecards/` at the top of the extension, next to dist/ and templates/). */
export function builtinScorecardsFolder(): string | undefined {
  // From dist/server.js (and dist/cli.js), or from server/src/scorecards/ when run from source.
  return [join(__dirname, '..', 'scorecards'), join(__dirname, '..', '..', '..', 'scorecards')].find((d) => existsSync(join(d, BUILTIN_FILE)));
}

/** The scorecard schema's validator (generated from schemas/scorecard.schema.json at build time). */
const validator = (compiled as unknown as Record<string, ValidateFunction>).scorecard;

/** A scorecard issue and where: the path of the value it is about (keys and list indexes). */
export interface ScorecardIssue {
  path: (string | number)[];
  message: string;
  key?: string;
}

/** True when a YAML text says it is a Paved Road scorecard. */
export function isScorecardText(text: string): boolean {
  return /^[ \t]*["']?apiVersion["']?[ \t]*:[ \t]*["']?paved-road\.dev\/v1["']?[ \t]*(#.*)?$/m.test(text) && /^[ \t]*["']?kind["']?[ \t]*:[ \t]*["']?Scorecard["']?[ \t]*(#.*)?$/m.test(text);
}

/** The problems of a parsed scorecard with their paths: the schema's, then the cross-field checks. */
export function scorecardIssues(data: unknown): ScorecardIssue[] {
  if (!validator(data)) return schemaIssues(validator.errors ?? []);
  const d = data as { levels?: Level[]; rules: { id: string; level: string; condition: Condition }[] };
  const issues: ScorecardIssue[] = [];
  const levels = new Set<string>();
  (d.levels ?? DEFAULT_LEVELS).forEach((l, i) => {
    if (levels.has(l.name)) issues.push({ path: ['levels', i, 'name'], message: `level ${l.name} is on the ladder twice` });
    levels.add(l.name);
  });
  const ids = new Set<string>();
  d.rules.forEach((r, i) => {
    if (ids.has(r.id)) issues.push({ path: ['rules', i, 'id'], message: `rule ${r.id} is defined twice` });
    ids.add(r.id);
    if (!levels.has(r.level)) issues.push({ path: ['rules', i, 'level'], message: `level ${r.level} is not on the ladder (${[...levels].join(', ')})` });
    checkPatterns(r.condition, ['rules', i, 'condition'], issues);
  });
  return issues;
}

function checkPatterns(c: Condition, path: (string | number)[], issues: ScorecardIssue[]): void {
  if ('all' in c) c.all.forEach((x, i) => checkPatterns(x, [...path, 'all', i], issues));
  else if ('any' in c) c.any.forEach((x, i) => checkPatterns(x, [...path, 'any', i], issues));
  else if ('not' in c) checkPatterns(c.not, [...path, 'not'], issues);
  else if ('matches' in c) {
    try {
      new RegExp(c.matches, 'flags' in c ? c.flags : undefined);
    } catch (e) {
      issues.push({ path: [...path, 'matches'], message: `matches is not a regular expression: ${(e as Error).message}` });
    }
  }
}

/** ajv's errors in words; of a `oneOf` over the condition's operators, only the most telling. */
function schemaIssues(errors: ErrorObject[]): ScorecardIssue[] {
  const issues: ScorecardIssue[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    // The branches of the operator oneOf fail in ways that say little; their parent's error says it.
    if (/\/oneOf\/\d+\//.test(e.schemaPath) || (e.keyword === 'not' && e.schemaPath.includes('oneOf'))) continue;
    const path = e.instancePath.split('/').slice(1).map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')));
    const message =
      e.keyword === 'oneOf'
        ? `${e.instancePath.slice(1).replace(/\//g, '.')}: a condition needs exactly one operator (field with exists / equals / in / matches, count with min / max, relation, file with exists / matches, all, any, not)`
        : describeError(e, 'scorecard');
    if (seen.has(message)) continue;
    seen.add(message);
    const p = e.params as Record<string, unknown>;
    const key = e.keyword === 'required' ? String(p.missingProperty) : e.keyword === 'additionalProperties' ? String(p.additionalProperty) : undefined;
    issues.push({ path, message, ...(key ? { key } : {}) });
  }
  return issues;
}

/** A scorecard from YAML text, completed (default levels, weight 1, appliesTo {}), or its problems. */
export function parseScorecard(text: string, origin: string): { scorecard?: Scorecard; problems: string[] } {
  let data: unknown;
  try {
    data = parse(text, { prettyErrors: false });
  } catch (e) {
    return { problems: [`${origin}: not valid YAML: ${(e as Error).message.split('\n')[0]}`] };
  }
  const issues = scorecardIssues(data);
  if (issues.length) return { problems: issues.map((i) => `${origin}: ${i.message}`) };
  const d = data as Omit<Scorecard, 'origin'> & { apiVersion?: string; kind?: string };
  const scorecard: Scorecard = {
    id: d.id,
    title: d.title,
    ...(d.description ? { description: d.description } : {}),
    appliesTo: d.appliesTo ?? {},
    levels: d.levels ?? DEFAULT_LEVELS.map((l) => ({ ...l })),
    rules: d.rules.map((r) => ({ ...r, weight: r.weight ?? 1 })),
    origin,
  };
  return { scorecard, problems: [] };
}

/** The YAML files of a folder (not recursive), sorted; a file path stands for itself. */
function filesOf(path: string): string[] {
  try {
    if (!statSync(path).isDirectory()) return [path];
    return readdirSync(path)
      .filter((f) => /\.ya?ml$/i.test(f))
      .sort()
      .map((f) => join(path, f));
  } catch {
    return [];
  }
}

/**
 * The built-in scorecards, then those of each source (a file or a folder of `*.yaml`; a missing folder is
 * none), later ones replacing earlier ones with the same id. Broken files are problems, not scorecards.
 */
export function loadScorecards(sources: { path: string; origin: string }[], options: { builtin?: boolean } = {}): { scorecards: Scorecard[]; problems: string[] } {
  const byId = new Map<string, Scorecard>();
  const problems: string[] = [];
  const builtin = options.builtin === false ? undefined : builtinScorecardsFolder();
  const all = [...(builtin ? [{ path: builtin, origin: 'builtin' }] : []), ...sources];
  for (const s of all) {
    const files = filesOf(s.path);
    for (const file of files) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        problems.push(`${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
        continue;
      }
      const r = parseScorecard(text, s.origin === 'builtin' ? 'builtin' : file);
      problems.push(...r.problems);
      if (r.scorecard) {
        byId.delete(r.scorecard.id);
        byId.set(r.scorecard.id, r.scorecard);
      }
    }
  }
  return { scorecards: [...byId.values()], problems };
}
