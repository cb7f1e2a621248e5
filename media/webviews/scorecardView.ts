/** The scorecard page's view: the entity, then per scorecard the ladder and every rule with why and its fix. */
import type { EntityScorecards } from '../../server/src/protocol';
import type { EntityScore, Fix, RuleResult, ScorecardSummary } from './types';
import type { FromPage } from '../../client/src/webviews/messages';
import { button, h, icon, type Doc, type El } from './dom';

const OUTCOME: Record<RuleResult['outcome'], { icon: string; label: string }> = {
  pass: { icon: 'pass', label: 'Passes' },
  fail: { icon: 'error', label: 'Fails' },
  'not-applicable': { icon: 'circle-slash', label: 'Not applicable' },
};

export function fixLabel(fix: Fix): { label: string; icon: string } {
  if ('quickFix' in fix) return { label: 'Apply Quick Fix', icon: 'lightbulb' };
  if ('template' in fix) return { label: `Start Template ${fix.template}`, icon: 'new-file' };
  return { label: 'Open Documentation', icon: 'link-external' };
}

function ladder(doc: Doc, card: ScorecardSummary | undefined, s: EntityScore): El {
  const levels = card?.levels ?? [];
  const reached = s.level ? levels.findIndex((l) => l.name === s.level) : -1;
  return h(
    doc,
    'ol',
    { class: 'ladder', 'aria-label': 'Levels' },
    levels.map((l, i) =>
      h(doc, 'li', { class: i <= reached ? 'level reached' : l.name === s.next?.level ? 'level next' : 'level', 'aria-current': i === reached ? 'step' : undefined }, [
        icon(doc, i <= reached ? 'star-full' : 'star-empty'),
        ` ${l.name}`,
      ]),
    ),
  );
}

function rule(doc: Doc, ref: string, scorecard: string, r: RuleResult, post: (m: FromPage) => void): El {
  const o = OUTCOME[r.outcome];
  const fix = r.outcome === 'fail' && r.fix ? fixLabel(r.fix) : undefined;
  return h(doc, 'li', { class: `rule ${r.outcome}` }, [
    h(doc, 'div', { class: 'rule-head' }, [icon(doc, o.icon, o.label), h(doc, 'span', { class: 'rule-title' }, [r.title]), h(doc, 'span', { class: 'rule-meta' }, [`${o.label} · weight ${r.weight}`])]),
    h(doc, 'div', { class: 'why' }, [r.why]),
    fix && button(doc, fix.label, () => post({ type: 'fix', ref, scorecard, rule: r.rule }), { class: 'fix', 'aria-label': `${fix.label}: ${r.title}` }, fix.icon),
  ]);
}

function scorecard(doc: Doc, data: EntityScorecards, s: EntityScore, post: (m: FromPage) => void): El {
  const card = data.scorecards.find((c) => c.id === s.scorecard);
  const title = card?.title ?? s.scorecard;
  if (s.quarantined) return h(doc, 'section', { class: 'card' }, [h(doc, 'h2', {}, [title]), h(doc, 'p', { class: 'note' }, ['Quarantined: this entity failed validation in its source, so it is not scored.'])]);
  const summary = `${s.level ?? 'No level yet'} · score ${Math.round(s.score)}%${s.next ? ` · ${s.next.failing} check${s.next.failing === 1 ? '' : 's'} to ${s.next.level}` : ''}`;
  const byLevel = (card?.levels ?? []).map((l) => ({ level: l.name, rules: s.results.filter((r) => r.level === l.name) }));
  const known = new Set(byLevel.map((b) => b.level));
  const other = s.results.filter((r) => !known.has(r.level));
  if (other.length) byLevel.push({ level: 'Other', rules: other });
  return h(doc, 'section', { class: 'card', 'aria-label': title }, [
    h(doc, 'h2', {}, [title]),
    h(doc, 'p', { class: 'summary' }, [summary]),
    ladder(doc, card, s),
    ...byLevel.filter((b) => b.rules.length).map((b) => h(doc, 'div', { class: 'level-rules' }, [h(doc, 'h3', {}, [b.level]), h(doc, 'ul', { class: 'rules' }, b.rules.map((r) => rule(doc, data.ref, s.scorecard, r, post)))])),
  ]);
}

export function renderScorecard(doc: Doc, data: EntityScorecards, post: (m: FromPage) => void): El {
  if (!data.found) return h(doc, 'p', { class: 'note' }, [`${data.ref} is not in the catalog.`]);
  return h(doc, 'div', { class: 'page' }, [
    h(doc, 'header', {}, [
      h(doc, 'h1', {}, [data.title ?? data.ref]),
      h(doc, 'p', { class: 'meta' }, [`${data.kind ?? ''} · ${data.ref}`]),
      data.description && h(doc, 'p', { class: 'description' }, [data.description]),
      button(doc, 'Open Source', () => post({ type: 'openEntity', ref: data.ref }), { secondary: true }, 'go-to-file'),
    ]),
    ...(data.scores.length ? data.scores.map((s) => scorecard(doc, data, s, post)) : [h(doc, 'p', { class: 'note' }, ['No scorecard applies to this entity.'])]),
  ]);
}
