/**
 * Scorecards: the shapes shared by the scoring engine, the compliance queries, the language server's
 * requests, the webviews and the CLI. Scorecards are data (YAML, schemas/scorecard.schema.json); see
 * docs/scorecards.md.
 */

/** A condition on an entity, its relations, or its repository's files. Exactly one operator per object. */
export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  /** A field by its path in the entity (`metadata.annotations.pagerduty.com/service-id` is written `metadata.annotations["pagerduty.com/service-id"]`). */
  | { field: string; exists: boolean }
  | { field: string; equals: unknown }
  | { field: string; in: unknown[] }
  | { field: string; matches: string }
  /** The number of items of a list field (or of a relation) compared with min / max. */
  | { count: string; min?: number; max?: number }
  /** Relations: the owner is a Group (with the annotation, e.g. on-call); nothing depended on is deprecated. */
  | { relation: 'ownerIsGroup'; annotation?: string }
  | { relation: 'dependsOnNothingDeprecated' }
  /** Facts of the entity's repository (the folder of its catalog file, in the workspace): a file exists, a file matches. */
  | { file: string; exists: boolean }
  | { file: string; matches: string; flags?: string };

/** Which entities a scorecard applies to; every given filter must match (lists: any of). */
export interface Applicability {
  kind?: string[];
  type?: string[];
  lifecycle?: string[];
  tags?: string[];
}

/** How to fix a failing rule: a quick fix of the language server, a template to start, or a document. */
export type Fix = { quickFix: string } | { template: string } | { url: string };

export interface Rule {
  id: string;
  title: string;
  level: string;
  weight: number;
  description?: string;
  condition: Condition;
  fix?: Fix;
}

export interface Level {
  name: string;
  /** A CSS colour of the level's badge (a theme variable name is fine). */
  color?: string;
}

export interface Scorecard {
  id: string;
  title: string;
  description?: string;
  appliesTo: Applicability;
  /** Ordered from the lowest level to the highest. */
  levels: Level[];
  rules: Rule[];
  /** Where it came from: `builtin`, a file path, or a store. */
  origin: string;
}

/** The outcome of one rule on one entity. */
export interface RuleResult {
  rule: string;
  title: string;
  level: string;
  weight: number;
  outcome: 'pass' | 'fail' | 'not-applicable';
  /** Why, in words: what was found or missing. */
  why: string;
  fix?: Fix;
}

/** An entity scored by one scorecard. */
export interface EntityScore {
  ref: string;
  scorecard: string;
  /** The highest level whose rules (and all rules below) pass; undefined when not even the first. */
  level?: string;
  /** The next level and how many of its rules (and below) still fail. */
  next?: { level: string; failing: number };
  /** Weighted percentage of passing applicable rules, 0-100. */
  score: number;
  results: RuleResult[];
  /** Quarantined entities are not scored: they are listed as such. */
  quarantined?: boolean;
}
