/** The compliance webview's script: pick a question or type a filter, see the table, export it. */
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { boot } from './boot';
import { renderForm, renderResult, splitExpression, type AskForm } from './complianceView';
import type { El } from './dom';

let form: AskForm = { questions: [], question: undefined, value: '' };
let formEl: El | undefined;
let result: El | undefined;

const ctx = boot('compliance', (m, ctx) => {
  if (m.type === 'questions') {
    // Asked again on each catalog change: the form stays as it is (what is typed, the focus) when they are the same.
    if (formEl && JSON.stringify(m.questions) === JSON.stringify(form.questions)) return;
    const kept = ctx.state?.expression ? splitExpression(m.questions, ctx.state.expression) : undefined;
    form = { questions: m.questions, question: kept?.question ?? form.question ?? m.questions[0], value: kept?.value ?? form.value };
    formEl = undefined;
  } else if (m.type === 'result') {
    ctx.setState({ expression: m.expression });
    result = renderResult(ctx.doc, m.expression, m.result, ctx.post);
  } else return;
  draw();
});

/** Shows the form (made again only when the question changes, so focus stays where it was) and the result. */
function draw(focusQuestion = false): void {
  formEl ??= renderForm(ctx.doc, form, (next) => {
    form = next;
    formEl = undefined;
    draw(true);
  }, ctx.post);
  ctx.show(...(result ? [formEl, result] : [formEl]));
  if (focusQuestion) (document.querySelector('vscode-single-select') as HTMLElement | null)?.focus();
}
