/**
 * The team dashboard: every entity a Group owns (its spec.owner, winning definitions only), each entity's
 * level and score on the first scorecard that applies to it, and the rules failing most across the team.
 * Quarantined entities are listed, not scored.
 */
import type { CatalogIndex } from '../catalog/catalogIndex';
import { parseRefString, stringifyRef } from '../catalog/refs';
import { displayName } from '../catalog/relations';
import type { ScoreSource } from '../compliance/questions';
import type { TeamDashboard, TeamEntity } from '../protocol';

/** How many of the most failing rules the dashboard lists. */
export const TOP_FAILING = 10;

/** An entity of the dashboard; a quarantined one is listed with `quarantined`, not scored. */
export type DashboardEntity = TeamEntity & { quarantined?: true };

export function teamDashboard(index: CatalogIndex, scorer: ScoreSource | undefined, groupRef: string): Omit<TeamDashboard, 'entities'> & { entities: DashboardEntity[] } {
  // A ref as written (`team-a`, `group:team-a`) or in full; the kind defaults to Group.
  const parsed = parseRefString(groupRef.trim());
  const team = parsed ? stringifyRef(parsed.kind ?? 'group', parsed.namespace ?? 'default', parsed.name) : groupRef.toLowerCase();
  const group = index.first(team);
  const entities: DashboardEntity[] = [];
  const failing = new Map<string, { rule: string; title: string; count: number }>();
  const seen = new Set<string>();
  for (const { placement: p } of index.referrers(team, 'owner')) {
    const r = p.record;
    if (index.first(r.ref) !== p || seen.has(r.ref)) continue;
    seen.add(r.ref);
    const e: DashboardEntity = { ref: r.ref, title: displayName(p) ?? r.name, kind: r.kind, score: 0, failing: [] };
    if (r.quarantine?.length) e.quarantined = true;
    else if (scorer) {
      const scores = scorer.scoreRecord(p);
      const first = scores[0];
      if (first) {
        e.level = first.level;
        e.score = first.score;
      }
      for (const s of scores) {
        for (const x of s.results) {
          if (x.outcome !== 'fail') continue;
          e.failing.push(x.rule);
          const key = `${s.scorecard}\u0000${x.rule}`;
          const f = failing.get(key);
          if (f) f.count++;
          else failing.set(key, { rule: x.rule, title: x.title, count: 1 });
        }
      }
    }
    entities.push(e);
  }
  entities.sort((a, b) => a.score - b.score || (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
  const topFailing = [...failing.values()].sort((a, b) => b.count - a.count || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0)).slice(0, TOP_FAILING);
  return { team, title: group ? displayName(group) : undefined, found: !!group, entities, topFailing };
}
