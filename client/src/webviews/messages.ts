/**
 * The messages between the extension (the host) and each webview page, typed once here and imported by
 * both sides (media/webviews/*.ts is bundled with this file). A page says `ready` when its script runs;
 * the host sends nothing before that (see host.ts). Everything shown comes from the catalog: text only.
 */
import type { ComplianceQuestion, ComplianceResult, EntityScorecards, TeamDashboard } from '../../../server/src/protocol';

/** The pages, by the panel's view type (`pavedRoad.<page>`), each with its bundle `dist/webviews/<page>.js`. */
export const PAGES = ['scorecard', 'teamDashboard', 'compliance'] as const;
export type Page = (typeof PAGES)[number];

/** What a page keeps with setState, so the panel comes back after a reload. */
export interface PageState {
  scorecard: { ref: string };
  teamDashboard: { ref: string };
  compliance: { expression?: string };
}

/** Host → page. */
export type ToPage =
  | { type: 'scorecard'; data: EntityScorecards }
  | { type: 'teamDashboard'; data: TeamDashboard }
  | { type: 'questions'; questions: ComplianceQuestion[] }
  | { type: 'result'; expression: string; result: ComplianceResult & { error?: string } }
  /** A failed action (a fix, an export), in words. */
  | { type: 'error'; message: string };

/** Page → host. */
export type FromPage =
  | { type: 'ready' }
  /** Apply the fix of a rule (the host looks the fix up in what it sent: the page only names it). */
  | { type: 'fix'; ref: string; scorecard: string; rule: string }
  /** Open the file defining an entity. */
  | { type: 'openEntity'; ref: string }
  | { type: 'showScorecard'; ref: string }
  | { type: 'ask'; expression: string }
  | { type: 'export'; expression: string; format: 'csv' | 'markdown' };

const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 10_000;

/** A page's message checked field by field (a webview is another process: nothing is taken on trust). */
export function parseFromPage(m: unknown): FromPage | undefined {
  if (!m || typeof m !== 'object') return undefined;
  const o = m as Record<string, unknown>;
  switch (o.type) {
    case 'ready':
      return { type: 'ready' };
    case 'fix':
      return str(o.ref) && str(o.scorecard) && str(o.rule) ? { type: 'fix', ref: o.ref, scorecard: o.scorecard, rule: o.rule } : undefined;
    case 'openEntity':
    case 'showScorecard':
      return str(o.ref) ? { type: o.type, ref: o.ref } : undefined;
    case 'ask':
      return str(o.expression) ? { type: 'ask', expression: o.expression } : undefined;
    case 'export':
      return str(o.expression) && (o.format === 'csv' || o.format === 'markdown') ? { type: 'export', expression: o.expression, format: o.format } : undefined;
    default:
      return undefined;
  }
}
