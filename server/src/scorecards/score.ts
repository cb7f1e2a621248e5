/**
 * Scoring: each entity against each scorecard that applies to it. An entity is at level N when every rule
 * at N and below passes (a rule that is not applicable counts as passing for levels, and is left out of
 * the score); its score is the weighted percentage of its passing applicable rules. Quarantined entities
 * are not scored. Scores are cached per record (an unchanged document keeps its record object) and are
 * good while the records of what they looked at (the owner, the dependencies) and the repository's files
 * are the same; the index's changes need no listener for that.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { documentSpan, type CatalogIndex, type Placement } from '../catalog/catalogIndex';
import type { EntityRecord } from '../catalog/entityRecord';
import { fsPathOf } from '../catalog/files';
import { ANY_CHANGE, evaluate, type Subject } from './conditions';
import type { RepositoryFacts } from './facts';
import type { Applicability, EntityScore, RuleResult, Scorecard } from './types';

export interface ScorerOptions {
  /** The entity as plain data, for fields its record does not keep (the record's `value` when it has one). */
  entityOf?: (p: Placement) => unknown;
}

const parsedEntities = new WeakMap<EntityRecord, unknown>();

/** Part of a file's text (by uri, offsets in the text); undefined when it cannot be read. */
export type ReadSpan = (uri: string, start: number, end: number) => string | undefined;

/**
 * The entity as plain data: the record's value (a store's entity), else its document parsed from its
 * file (`span`: the editor's text of an open file, else the disk's), once per record. Only the document's
 * own text is read: an open file of 2,000 entities is not made into one string.
 */
export function entityFromText(p: Placement, span: ReadSpan): unknown {
  const r = p.record;
  if (r.value !== undefined) return r.value;
  if (parsedEntities.has(r)) return parsedEntities.get(r);
  let v: unknown;
  const { start, end } = documentSpan(p);
  const text = p.provenance.kind === 'file' ? span(p.provenance.uri, start, end) : undefined;
  if (text !== undefined) {
    try {
      v = parse(text);
    } catch {
      v = undefined;
    }
  }
  parsedEntities.set(r, v);
  return v;
}

/** Files' texts read from disk for `entityFromText`: the last `keep` files read are kept, until forgotten. */
export class DiskTexts {
  private readonly texts = new Map<string, string | undefined>();
  constructor(private readonly keep = Infinity) {}

  readonly span: ReadSpan = (uri, start, end) => {
    let text = this.texts.get(uri);
    if (!this.texts.has(uri)) {
      const path = fsPathOf(uri);
      try {
        text = path ? readFileSync(path, 'utf8') : undefined;
      } catch {
        text = undefined;
      }
      if (this.texts.size >= this.keep) this.texts.delete(this.texts.keys().next().value!);
      this.texts.set(uri, text);
    }
    return text?.slice(start, end);
  };

  /** A file changed on disk. */
  forget(uri: string): void {
    this.texts.delete(uri);
  }
}

/** `entityOf` for the CLI: each file read once, from disk. */
export function entityFromDisk(): (p: Placement) => unknown {
  const disk = new DiskTexts();
  return (p) => entityFromText(p, disk.span);
}

interface Entry {
  generation: number;
  repo: string | undefined;
  repoVersion: number;
  /** The refs looked at, with the record each had then. */
  uses: Map<string, EntityRecord | undefined>;
  /** The index's version, when the scores depend on the whole catalog (see ANY_CHANGE). */
  indexVersion?: number;
  scores: EntityScore[];
  /** The index version and facts generation it was last known fresh at: nothing changed since, nothing to compare. */
  checked: [number, number];
}

/** True when the scorecard applies to the entity: every given filter matches (lists: any of, case-insensitive). */
export function applies(a: Applicability, r: EntityRecord): boolean {
  const has = (list: string[] | undefined, v: string | undefined): boolean => !list || (v !== undefined && list.some((x) => x.toLowerCase() === v.toLowerCase()));
  return has(a.kind, r.kind) && has(a.type, r.type) && has(a.lifecycle, r.lifecycle) && (!a.tags || r.tags.some((t) => has(a.tags, t)));
}

/** One scorecard on one entity's results: level, next level, score. */
export function summarize(ref: string, card: Scorecard, results: RuleResult[]): EntityScore {
  const failingAt = card.levels.map((l) => results.filter((r) => r.level === l.name && r.outcome === 'fail').length);
  let reached = -1;
  while (reached + 1 < card.levels.length && failingAt[reached + 1] === 0) reached++;
  let weight = 0;
  let passed = 0;
  for (const r of results) {
    if (r.outcome === 'not-applicable') continue;
    weight += r.weight;
    if (r.outcome === 'pass') passed += r.weight;
  }
  const next = card.levels[reached + 1];
  return {
    ref,
    scorecard: card.id,
    ...(reached >= 0 ? { level: card.levels[reached].name } : {}),
    ...(next ? { next: { level: next.name, failing: failingAt.slice(0, reached + 2).reduce((a, b) => a + b, 0) } } : {}),
    score: weight ? Math.round((100 * passed) / weight) : 100,
    results,
  };
}

export class Scorer {
  private cache = new WeakMap<EntityRecord, Entry>();
  private applicable = new WeakMap<EntityRecord, readonly Scorecard[]>();
  private generation = 0;
  /** The refs some score looked at (owners, dependencies), and whether one looked at the whole catalog. */
  private readonly looked = new Set<string>();
  private lookedAtAll = false;

  constructor(
    private readonly index: CatalogIndex,
    private readonly facts: RepositoryFacts,
    private scorecards: Scorecard[],
    private readonly options: ScorerOptions = {},
  ) {}

  /** The scorecards in use. */
  get cards(): readonly Scorecard[] {
    return this.scorecards;
  }

  /** Puts other scorecards in use (a scorecard file changed): every score is made again on its next use. */
  setScorecards(scorecards: Scorecard[]): void {
    this.scorecards = scorecards;
    this.generation++;
    this.applicable = new WeakMap();
  }

  /** The scorecards that apply to an entity (made once per record). */
  cardsFor(record: EntityRecord): readonly Scorecard[] {
    let cards = this.applicable.get(record);
    if (!cards) this.applicable.set(record, (cards = this.scorecards.filter((c) => applies(c.appliesTo, record))));
    return cards;
  }

  /** The entity's scores, one per scorecard that applies (the definition that wins, see CatalogIndex.first). */
  score(ref: string): EntityScore[] {
    const p = this.index.first(ref);
    return p ? this.scoreRecord(p) : [];
  }

  /** The scores of one placed entity (e.g. each entity of an open catalog file, duplicates included). */
  scoreRecord(p: Placement): EntityScore[] {
    const record = p.record;
    const repo = this.facts.repoOf(p);
    const known = this.cache.get(record);
    if (known && this.fresh(known, repo)) return known.scores;
    if (repo) this.facts.watch(repo);
    const uses = new Set<string>();
    const subject: Subject = { record, index: this.index, facts: this.facts, repo, uses, entity: this.options.entityOf ? () => this.options.entityOf!(p) : undefined };
    const scores: EntityScore[] = [];
    for (const card of this.cardsFor(record)) {
      if (record.quarantine?.length) {
        scores.push({ ref: record.ref, scorecard: card.id, score: 0, results: [], quarantined: true });
        continue;
      }
      const results: RuleResult[] = card.rules.map((rule) => {
        const v = evaluate(rule.condition, subject);
        return { rule: rule.id, title: rule.title, level: rule.level, weight: rule.weight, outcome: v.pass === 'n/a' ? 'not-applicable' : v.pass ? 'pass' : 'fail', why: v.why, ...(rule.fix ? { fix: rule.fix } : {}) };
      });
      scores.push(summarize(record.ref, card, results));
    }
    const used = new Map<string, EntityRecord | undefined>();
    for (const ref of uses) {
      if (ref === ANY_CHANGE) this.lookedAtAll = true;
      else {
        used.set(ref, this.index.first(ref)?.record);
        this.looked.add(ref);
      }
    }
    const indexVersion = uses.has(ANY_CHANGE) ? this.index.version : undefined;
    this.cache.set(record, { generation: this.generation, repo, repoVersion: repo ? this.facts.version(repo) : 0, uses: used, indexVersion, scores, checked: [this.index.version, this.facts.generation] });
    return scores;
  }

  private fresh(e: Entry, repo: string | undefined): boolean {
    if (e.generation !== this.generation || e.repo !== repo) return false;
    if (e.checked[0] === this.index.version && e.checked[1] === this.facts.generation) return true;
    if (repo && this.facts.version(repo) !== e.repoVersion) return false;
    if (e.indexVersion !== undefined && e.indexVersion !== this.index.version) return false;
    for (const [ref, record] of e.uses) if (this.index.first(ref)?.record !== record) return false;
    e.checked = [this.index.version, this.facts.generation];
    return true;
  }

  /**
   * Something changed: refs need nothing (a changed entity has a new record, which every score that looked at
   * it compares); a file (a `file:` uri or an absolute path) is told to the repository facts.
   */
  invalidate(changed: Iterable<string>): void {
    for (const c of changed) if (c.startsWith('file:') || c.startsWith('/') || /^[A-Za-z]:[\\/]/.test(c)) this.facts.invalidate(c);
  }

  /**
   * Whether a change of the index (CatalogIndex.onChange) may change the score of an entity other than
   * the changed ones: a ref some score looked at changed (an owner, a dependency).
   */
  affects(changed: ReadonlySet<string>): boolean {
    if (this.lookedAtAll) return changed.size > 0;
    for (const c of changed) if (this.looked.has(c)) return true;
    return false;
  }

  /** Forgets every score (the scorecards or the settings changed). */
  clear(): void {
    this.cache = new WeakMap();
  }
}
