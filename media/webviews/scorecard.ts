/** The scorecard webview's script. */
import { boot } from './boot';
import { renderScorecard } from './scorecardView';

boot('scorecard', (m, ctx) => {
  if (m.type !== 'scorecard') return;
  ctx.setState({ ref: m.data.ref });
  ctx.show(renderScorecard(ctx.doc, m.data, ctx.post));
});
