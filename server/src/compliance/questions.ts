/**
 * Compliance questions answered from the catalog index (and the scores of the working copy), as tables:
 * the results webview shows them, the CLI's `query` prints them, export.ts writes them as CSV or Markdown.
 *
 * An expression is a question id with its parameter after a colon (`depends-on:component:payments`,
 * `below-level:Silver`), or a filter in Backstage's syntax (`kind=component,spec.lifecycle=production`,
 * see filter.ts), also written `filter:<filter>`.
 */
import type { CatalogIndex, Placement } from '../catalog/catalogIndex';
import type { EntityRecord } from '../catalog/entityRecord';
import { blastRadius, displayName } from '../catalog/relations';
import { parseRefString, stringifyRef } from '../catalog/refs';
import type { ComplianceQuestion } from '../protocol';
import type { EntityScore, Scorecard } from '../scorecards/types';
import { few, FilterError, parseFilter, selectEntities } from './filter';

/** A table: `refs[i]` is the entity row i stands for, when it stands for one. */
export interface QueryResult {
  title: string;
  columns: string[];
  rows: (string | number)[][];
  refs: (string | undefined)[];
}

/** What the questions need of the Scorer (server/src/scorecards/score.ts). */
export interface ScoreSource {
  /** The scores of an entity's placement (its winning one, `CatalogIndex.first`). */
  scoreRecord(p: Placement): EntityScore[];
  readonly cards: readonly Scorecard[];
}

export class QueryError extends Error {}

export const QUESTIONS: readonly ComplianceQuestion[] = [
  { id: 'teams-without-oncall', title: 'Teams without an on-call rotation', params: [] },
  { id: 'production-without-techdocs', title: 'Production services without TechDocs', params: [] },
  { id: 'depends-on', title: 'What depends on an entity, transitively', params: [{ name: 'ref', title: 'Entity (e.g. component:payments)' }] },
  { id: 'below-level', title: 'Entities below a scorecard level', params: [{ name: 'level', title: 'Level (e.g. Silver)' }] },
  { id: 'coverage', title: 'Catalog coverage: production services with a complete, valid entry, by team', params: [] },
  { id: 'security-posture', title: 'Security posture: production services failing a security rule', params: [] },
  { id: 'filter', title: 'Entities matching a filter', params: [{ name: 'filter', title: 'Filter (e.g. kind=component,spec.lifecycle=production)' }] },
];

/** Annotations that name an on-call rotation (PagerDuty, Opsgenie, Splunk On-Call). */
export const ONCALL_ANNOTATIONS = ['pagerduty.com/service-id', 'pagerduty.com/integration-key', 'opsgenie.com/team', 'splunk.com/on-call-routing-key'];
const TECHDOCS_ANNOTATIONS = ['backstage.io/techdocs-ref', 'backstage.io/techdocs-entity'];
/** Rules about security, recognised by their id: a pinned base image, SAST, encryption, non-root, least privilege. */
const SECURITY_RULE = /pin|sast|encrypt|non-root|root-user|least-privilege|service-account|secret|vulnerab|security/i;

/** Splits an expression into a question and its parameters; anything that is not a question is a filter. */
export function parseExpression(expression: string): { question: string; params: Record<string, string> } {
  const text = expression.trim();
  if (!text) throw new QueryError('an empty question: give a question id or a filter (kind=component,spec.lifecycle=production)');
  const colon = text.indexOf(':');
  const head = (colon === -1 ? text : text.slice(0, colon)).trim().toLowerCase();
  const q = QUESTIONS.find((x) => x.id === head);
  if (!q) return { question: 'filter', params: { filter: text } };
  const arg = colon === -1 ? '' : text.slice(colon + 1).trim();
  const params: Record<string, string> = {};
  if (q.params.length && arg) params[q.params[0].name] = arg;
  else if (!q.params.length && arg) throw new QueryError(`${q.id} takes no parameter, not '${arg}'`);
  return { question: q.id, params };
}

/** Answers an expression (see `parseExpression`). Throws `QueryError` when it cannot be answered. */
export function query(index: CatalogIndex, scorer: ScoreSource | undefined, expression: string): QueryResult {
  const { question, params } = parseExpression(expression);
  return answer(index, scorer, question, params);
}

/** Answers a question by id. Throws `QueryError` for an unknown id or a missing or wrong parameter. */
export function answer(index: CatalogIndex, scorer: ScoreSource | undefined, question: string, params: Record<string, string> = {}): QueryResult {
  const q = QUESTIONS.find((x) => x.id === question);
  if (!q) throw new QueryError(`unknown question '${question}': ${QUESTIONS.map((x) => x.id).join(', ')}`);
  for (const p of q.params) if (!params[p.name]?.trim()) throw new QueryError(`${q.id} needs ${p.title.toLowerCase()}: ${q.id}:VALUE`);
  const needScores = (): ScoreSource => {
    if (!scorer) throw new QueryError(`${q.id} needs the scorecards, which are not loaded`);
    return scorer;
  };
  switch (q.id) {
    case 'teams-without-oncall':
      return teamsWithoutOncall(index, q.title);
    case 'production-without-techdocs':
      return productionWithoutTechdocs(index, q.title);
    case 'depends-on':
      return dependsOn(index, params.ref.trim());
    case 'below-level':
      return belowLevel(index, needScores(), params.level.trim());
    case 'coverage':
      return coverage(index, q.title);
    case 'security-posture':
      return securityPosture(index, needScores(), q.title);
    default:
      return filtered(index, params.filter);
  }
}

// ------------------------------------------------------------------------------------------ helpers

const isQuarantined = (r: EntityRecord): boolean => !!r.quarantine?.length;
/** Lower case of a kind, type or lifecycle (made once per distinct value). */
const lower = (s: string | undefined): string => (s === undefined ? '' : few(s));
const hasAny = (r: EntityRecord, keys: readonly string[]): boolean => keys.some((k) => !!r.annotations[k]?.trim());

/** A production service: a Component of type service in production. */
export function isProductionService(r: EntityRecord): boolean {
  return lower(r.kind) === 'component' && lower(r.type) === 'service' && lower(r.lifecycle) === 'production';
}

/** The owner's ref as resolved (or as written when it cannot be). */
function ownerOf(r: EntityRecord): string {
  const o = r.refs.find((x) => x.field === 'owner');
  return o ? (o.target ?? o.written) : '';
}

function systemOf(r: EntityRecord): string {
  const o = r.refs.find((x) => x.field === 'system');
  return o ? (o.target ?? o.written) : '';
}

type Row = { ref?: string; cells: (string | number)[] };

/** Rows in ref order, so that answers do not depend on the order the catalog was read in. */
const byRef = (rows: Row[]): Row[] => rows.sort((a, b) => ((a.ref ?? '') < (b.ref ?? '') ? -1 : (a.ref ?? '') > (b.ref ?? '') ? 1 : 0));

function table(title: string, columns: string[], rows: Row[]): QueryResult {
  return { title, columns, rows: rows.map((r) => r.cells), refs: rows.map((r) => r.ref) };
}

/** How many winning definitions refer to a group as their owner. */
function ownedCount(index: CatalogIndex, ref: string): number {
  let n = 0;
  for (const count of index.referrerKinds(ref, 'owner').values()) n += count;
  return n;
}

// ------------------------------------------------------------------------------------------ the questions

/** Groups that are teams (spec.type team, or owning something) with no on-call annotation. */
function teamsWithoutOncall(index: CatalogIndex, title: string): QueryResult {
  const rows: Row[] = [];
  for (const p of index.winnersOfKind('group')) {
    const r = p.record;
    const owns = ownedCount(index, r.ref);
    if (lower(r.type) !== 'team' && !owns) continue;
    if (hasAny(r, ONCALL_ANNOTATIONS)) continue;
    const parent = r.refs.find((o) => o.field === 'parent');
    rows.push({ ref: r.ref, cells: [r.ref, displayName(p) ?? r.name, r.type ?? '', owns, parent?.target ?? parent?.written ?? ''] });
  }
  return table(title, ['Team', 'Name', 'Type', 'Owns', 'Parent'], byRef(rows));
}

function productionWithoutTechdocs(index: CatalogIndex, title: string): QueryResult {
  const rows: Row[] = [];
  for (const p of index.winnersOfKind('component')) {
    const r = p.record;
    if (!isProductionService(r) || hasAny(r, TECHDOCS_ANNOTATIONS)) continue;
    rows.push({ ref: r.ref, cells: [r.ref, displayName(p) ?? r.name, ownerOf(r), systemOf(r)] });
  }
  return table(title, ['Entity', 'Name', 'Owner', 'System'], byRef(rows));
}

function dependsOn(index: CatalogIndex, written: string): QueryResult {
  const parsed = parseRefString(written);
  if (!parsed) throw new QueryError(`'${written}' is not an entity reference (kind:namespace/name)`);
  const ref = stringifyRef(parsed.kind ?? 'component', parsed.namespace ?? 'default', parsed.name);
  if (!index.first(ref)) throw new QueryError(`no entity ${ref} in the catalog`);
  // Nearest first, then by ref (the walk meets the entities of one depth in the order they were read).
  const found = blastRadius(index, ref).sort((a, b) => a.depth - b.depth || (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
  const rows = found.map((d) => {
    const p = index.first(d.ref);
    return { ref: d.ref, cells: [d.ref, p?.record.kind ?? '', d.depth, d.via, p ? ownerOf(p.record) : ''] };
  });
  return table(`What depends on ${ref}, transitively`, ['Entity', 'Kind', 'Depth', 'Via', 'Owner'], rows);
}

function belowLevel(index: CatalogIndex, scorer: ScoreSource, level: string): QueryResult {
  /** Per scorecard with the level: its place on the ladder, and the levels up to it (what must pass). */
  const wanted = new Map<string, { card: Scorecard; target: number; upTo: Set<string> }>();
  for (const card of scorer.cards) {
    const target = card.levels.findIndex((l) => lower(l.name) === lower(level));
    if (target !== -1) wanted.set(card.id, { card, target, upTo: new Set(card.levels.slice(0, target + 1).map((l) => l.name)) });
  }
  if (!wanted.size) throw new QueryError(`no scorecard has a level '${level}'`);
  const rows: Row[] = [];
  for (const p of candidates(index, [...wanted.values()].map((w) => w.card))) {
    for (const s of scorer.scoreRecord(p)) {
      const w = wanted.get(s.scorecard);
      if (!w) continue;
      const at = s.level === undefined ? -1 : w.card.levels.findIndex((l) => l.name === s.level);
      if (!s.quarantined && at >= w.target) continue;
      rows.push({ ref: p.record.ref, cells: [p.record.ref, s.scorecard, s.quarantined ? 'quarantined' : (s.level ?? 'none'), s.quarantined ? '' : s.score, failingUpTo(s, w.target, w.upTo)] });
    }
  }
  // By ref, then in the order of the scorecards (a stable sort keeps it).
  return table(`Below ${level}`, ['Entity', 'Scorecard', 'Level', 'Score', `Failing for ${level}`], byRef(rows));
}

const failing = new WeakMap<EntityScore, { target: number; text: string }>();

/** The rules of a score that still fail at its ladder's levels up to `target` (named `upTo`), as a list kept with the cached score. */
function failingUpTo(s: EntityScore, target: number, upTo: ReadonlySet<string>): string {
  let f = failing.get(s);
  if (f?.target !== target) {
    f = { target, text: s.results.filter((x) => x.outcome === 'fail' && upTo.has(x.level)).map((x) => x.rule).join(', ') };
    failing.set(s, f);
  }
  return f.text;
}

/** The entities the scorecards may apply to: those of the kinds they name, or every entity when one names none. */
export function candidates(index: CatalogIndex, cards: readonly Scorecard[]): Iterable<Placement> {
  if (cards.some((c) => !c.appliesTo.kind?.length)) return index.allWinners();
  const kinds = new Set(cards.flatMap((c) => c.appliesTo.kind!.map((k) => k.toLowerCase())));
  return [...kinds].flatMap((k) => [...index.winnersOfKind(k)]);
}

/**
 * Per owning team, the share of its production services whose entry is complete (description, owner,
 * system, lifecycle) and valid (not quarantined, every reference found in the catalog).
 */
function coverage(index: CatalogIndex, title: string): QueryResult {
  const byTeam = new Map<string, { total: number; complete: number }>();
  let total = 0;
  let complete = 0;
  for (const p of index.winnersOfKind('component')) {
    const r = p.record;
    if (!isProductionService(r)) continue;
    const team = ownerOf(r) || '(no owner)';
    let t = byTeam.get(team);
    if (!t) byTeam.set(team, (t = { total: 0, complete: 0 }));
    t.total++;
    total++;
    if (isComplete(index, r)) {
      t.complete++;
      complete++;
    }
  }
  const pct = (n: number, of: number): number => (of ? Math.round((1000 * n) / of) / 10 : 0);
  const rows = [...byTeam]
    .map(([team, t]) => ({ ref: index.first(team) ? team : undefined, cells: [team, t.total, t.complete, pct(t.complete, t.total)] as (string | number)[] }))
    .sort((a, b) => (a.cells[3] as number) - (b.cells[3] as number) || (a.cells[0] < b.cells[0] ? -1 : 1));
  rows.push({ ref: undefined, cells: ['All teams', total, complete, pct(complete, total)] });
  return table(title, ['Team', 'Production services', 'Complete and valid', 'Coverage %'], rows);
}

export function isComplete(index: CatalogIndex, r: EntityRecord): boolean {
  if (isQuarantined(r) || !r.description?.trim() || !r.lifecycle) return false;
  if (!r.refs.some((o) => o.field === 'owner') || !r.refs.some((o) => o.field === 'system')) return false;
  return r.refs.every((o) => !!o.target && !!index.first(o.target));
}

function securityPosture(index: CatalogIndex, scorer: ScoreSource, title: string): QueryResult {
  const security = new Set(scorer.cards.flatMap((c) => c.rules.filter((r) => SECURITY_RULE.test(r.id)).map((r) => r.id)));
  const rows: Row[] = [];
  for (const p of index.winnersOfKind('component')) {
    const r = p.record;
    if (!isProductionService(r)) continue;
    const failing: string[] = [];
    for (const s of scorer.scoreRecord(p)) for (const x of s.results) if (x.outcome === 'fail' && security.has(x.rule)) failing.push(x.title);
    if (failing.length) rows.push({ ref: r.ref, cells: [r.ref, ownerOf(r), failing.length, failing.join('; ')] });
  }
  return table(title, ['Entity', 'Owner', 'Failing', 'Security rules failing'], byRef(rows));
}

function filtered(index: CatalogIndex, text: string): QueryResult {
  let filter;
  try {
    filter = parseFilter(text);
  } catch (e) {
    if (e instanceof FilterError) throw new QueryError(e.message);
    throw e;
  }
  // Rows first, then sorted by their own ref: the records are scattered over the heap, the rows are not.
  const rows = selectEntities(index, filter).map((p) => {
    const r = p.record;
    return { ref: r.ref, cells: [r.ref, r.kind, r.type ?? '', r.lifecycle ?? '', ownerOf(r)] };
  });
  rows.sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
  return table(`Entities matching ${filter.text}`, ['Entity', 'Kind', 'Type', 'Lifecycle', 'Owner'], rows);
}
