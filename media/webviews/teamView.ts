/** The team dashboard's view: levels at a glance, every entity the team owns, the rules failing most. */
import type { TeamDashboard, TeamEntity } from '../../server/src/protocol';
import type { FromPage } from '../../client/src/webviews/messages';
import { button, h, type Doc, type El } from './dom';

/** How many entity rows are drawn at a time. */
export const ROWS_PER_PAGE = 200;

export function renderTeam(doc: Doc, data: TeamDashboard, post: (m: FromPage) => void): El {
  const title = data.title ?? data.team;
  if (!data.found) return h(doc, 'p', { class: 'note' }, [`${data.team} is not in the catalog.`]);
  const quarantined = (e: TeamEntity) => (e as { quarantined?: boolean }).quarantined === true;
  const scored = (e: TeamEntity): boolean => !e.unscored && !quarantined(e);
  const status = (e: TeamEntity): string => (quarantined(e) ? 'Quarantined' : e.unscored ? 'Not scored' : (e.level ?? 'No level'));
  const counts = new Map<string, number>();
  for (const e of data.entities) {
    const s = status(e);
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  // The scored ones first (in the server's order: the lowest scores first), then what is not scored.
  const entities = [...data.entities.filter(scored), ...data.entities.filter((e) => !scored(e))];
  // A team may own thousands of entities: the rows come in pages (the lowest scores first), so the page
  // opens at once and the rest is a keypress away.
  const row = (e: TeamEntity): El =>
    h(doc, 'tr', {}, [
      h(doc, 'td', {}, [button(doc, e.title, () => post({ type: 'showScorecard', ref: e.ref }), { secondary: true, class: 'link', title: e.ref, 'aria-label': `Scorecard of ${e.title}` })]),
      h(doc, 'td', {}, [e.kind]),
      h(doc, 'td', {}, [status(e) === 'No level' ? 'None' : status(e)]),
      h(doc, 'td', { class: 'num' }, [scored(e) ? `${Math.round(e.score)}%` : '—']),
      h(doc, 'td', { class: 'num' }, [scored(e) ? e.failing.length : '—']),
    ]);
  const tbody = h(doc, 'tbody', {}, entities.slice(0, ROWS_PER_PAGE).map(row));
  const table = h(doc, 'table', { class: 'grid' }, [
    h(doc, 'thead', {}, [h(doc, 'tr', {}, ['Entity', 'Kind', 'Level', 'Score', 'Failing checks'].map((c) => h(doc, 'th', { scope: 'col' }, [c])))]),
    tbody,
  ]);
  let shown = Math.min(ROWS_PER_PAGE, entities.length);
  const more = h(doc, 'p', { class: 'note' });
  const showMore = (): void => {
    const next = entities.slice(shown, shown + ROWS_PER_PAGE);
    tbody.append(...next.map(row));
    shown += next.length;
    drawMore();
  };
  const drawMore = (): void => {
    const left = entities.length - shown;
    more.replaceChildren(...(left > 0 ? [doc.createTextNode(`${shown} of ${entities.length} shown. `), button(doc, `Show ${Math.min(left, ROWS_PER_PAGE)} more`, showMore, { secondary: true })] : []));
  };
  drawMore();
  return h(doc, 'div', { class: 'page' }, [
    h(doc, 'header', {}, [h(doc, 'h1', {}, [title]), h(doc, 'p', { class: 'meta' }, [`${data.team} · ${data.entities.length} entit${data.entities.length === 1 ? 'y' : 'ies'} owned`])]),
    h(doc, 'ul', { class: 'glance', 'aria-label': 'Levels at a glance' }, [...counts].map(([level, n]) => h(doc, 'li', {}, [h(doc, 'vscode-badge', { variant: 'counter' }, [n]), ` ${level}`]))),
    h(doc, 'h2', {}, ['Rules failing most']),
    data.topFailing.length
      ? h(doc, 'ol', { class: 'top-failing' }, data.topFailing.map((f) => h(doc, 'li', {}, [h(doc, 'span', { class: 'rule-title' }, [f.title]), ` — ${f.count} entit${f.count === 1 ? 'y' : 'ies'}`])))
      : h(doc, 'p', { class: 'note' }, ['No rule fails.']),
    h(doc, 'h2', {}, ['Entities']),
    table,
    more,
  ]);
}
