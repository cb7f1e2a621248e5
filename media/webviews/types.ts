/** The engine's shapes the pages show (types only: nothing of the server is bundled into a page). */
export type { EntityScore, Fix, RuleResult } from '../../server/src/scorecards/types';
export type { ScorecardSummary } from '../../server/src/protocol';
