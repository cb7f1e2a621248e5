/** The compliance page's view: a question (or a filter) to ask, and the answer as a table with export. */
import type { ComplianceQuestion, ComplianceResult } from '../../server/src/protocol';
import type { FromPage } from '../../client/src/webviews/messages';
import { button, h, type Doc, type El } from './dom';

/** At most this many rows are drawn; the export has them all. */
export const MAX_ROWS = 2000;

/** The expression of a question and its parameter: `depends-on:component:payments`; a filter is itself. */
export function expressionOf(question: ComplianceQuestion | undefined, value: string): string {
  const v = value.trim();
  if (!question || question.id === 'filter') return v;
  return question.params.length && v ? `${question.id}:${v}` : question.id;
}

/** The question and the parameter an expression was made of (for a restored page). */
export function splitExpression(questions: readonly ComplianceQuestion[], expression: string): { question: ComplianceQuestion | undefined; value: string } {
  const colon = expression.indexOf(':');
  const head = (colon === -1 ? expression : expression.slice(0, colon)).trim().toLowerCase();
  const q = questions.find((x) => x.id === head);
  if (q) return { question: q, value: colon === -1 ? '' : expression.slice(colon + 1).trim() };
  return { question: questions.find((x) => x.id === 'filter'), value: expression };
}

export interface AskForm {
  questions: readonly ComplianceQuestion[];
  question: ComplianceQuestion | undefined;
  value: string;
}

export function renderForm(doc: Doc, form: AskForm, changed: (f: AskForm) => void, post: (m: FromPage) => void): El {
  const ask = () => {
    const expression = expressionOf(form.question, form.value);
    if (expression) post({ type: 'ask', expression });
  };
  const param = form.question?.params[0];
  const select = h(
    doc,
    'vscode-single-select',
    { 'aria-label': 'Question' },
    form.questions.map((q) => h(doc, 'vscode-option', { value: q.id, selected: q.id === form.question?.id }, [q.title])),
    { change: (e) => changed({ ...form, question: form.questions.find((q) => q.id === (e.target as unknown as { value: string }).value), value: '' }) },
  );
  const field =
    param &&
    h(doc, 'vscode-textfield', { 'aria-label': param.title, placeholder: param.title, value: form.value, class: 'param' }, [], {
      input: (e) => (form.value = (e.target as unknown as { value: string }).value),
      keydown: (e) => {
        if ((e as unknown as { key: string }).key === 'Enter') ask();
      },
    });
  return h(doc, 'form', { class: 'ask', role: 'search' }, [select, field, button(doc, 'Ask', ask, {}, 'search')], { submit: (e) => e.preventDefault() });
}

export function renderResult(doc: Doc, expression: string, r: ComplianceResult & { error?: string }, post: (m: FromPage) => void): El {
  if (r.error) return h(doc, 'p', { class: 'error', role: 'alert' }, [r.error]);
  const shown = r.rows.slice(0, MAX_ROWS);
  return h(doc, 'section', { class: 'result', 'aria-label': r.title }, [
    h(doc, 'h2', {}, [r.title]),
    h(doc, 'p', { class: 'meta' }, [`${r.rows.length} row${r.rows.length === 1 ? '' : 's'}${r.rows.length > shown.length ? `, the first ${shown.length} shown (the export has them all)` : ''} · ${expression}`]),
    h(doc, 'div', { class: 'toolbar' }, [
      button(doc, 'Export CSV…', () => post({ type: 'export', expression, format: 'csv' }), { secondary: true }, 'export'),
      button(doc, 'Export Markdown…', () => post({ type: 'export', expression, format: 'markdown' }), { secondary: true }, 'markdown'),
    ]),
    h(doc, 'table', { class: 'grid' }, [
      h(doc, 'thead', {}, [h(doc, 'tr', {}, r.columns.map((c) => h(doc, 'th', { scope: 'col' }, [c])))]),
      h(
        doc,
        'tbody',
        {},
        shown.map((row, i) => {
          const ref = r.refs[i];
          return h(
            doc,
            'tr',
            {},
            row.map((cell, j) =>
              h(doc, 'td', { class: typeof cell === 'number' ? 'num' : undefined }, [
                j === 0 && ref ? button(doc, String(cell), () => post({ type: 'showScorecard', ref }), { secondary: true, class: 'link', title: ref, 'aria-label': `${ref.startsWith('group:') ? 'Team dashboard' : 'Scorecard'} of ${String(cell)}` }) : cell,
              ]),
            ),
          );
        }),
      ),
    ]),
  ]);
}
