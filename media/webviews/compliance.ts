/** The compliance webview's script: pick a question or type a filter, see the table, export it. */
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { ComplianceQuestion } from '../../server/src/protocol';
import { boot } from './boot';
import { renderForm, renderResult, splitExpression, type AskForm } from './complianceView';
import type { El } from './dom';

let form: AskForm = { questions: [], question: undefined, value: '' };
let result: El | undefined;

const ctx = boot('compliance', (m, ctx) => {
  if (m.type === 'questions') {
    const questions: ComplianceQuestion[] = m.questions;
    const kept = ctx.state?.expression ? splitExpression(questions, ctx.state.expression) : undefined;
    form = { questions, question: kept?.question ?? form.question ?? questions[0], value: kept?.value ?? form.value };
  } else if (m.type === 'result') {
    ctx.setState({ expression: m.expression });
    form = { ...form, ...splitExpression(form.questions, m.expression) };
    result = renderResult(ctx.doc, m.expression, m.result, ctx.post);
  } else return;
  draw();
});

function draw(): void {
  const f = renderForm(ctx.doc, form, (next) => {
    form = next;
    draw();
  }, ctx.post);
  ctx.show(...(result ? [f, result] : [f]));
}
