/** The team dashboard webview's script. */
import { boot } from './boot';
import { renderTeam } from './teamView';

boot('teamDashboard', (m, ctx) => {
  if (m.type !== 'teamDashboard') return;
  ctx.setState({ ref: m.data.team });
  ctx.show(renderTeam(ctx.doc, m.data, ctx.post));
});
