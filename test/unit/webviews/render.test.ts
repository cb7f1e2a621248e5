import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FromPage } from '../../../client/src/webviews/messages';
import { expressionOf, MAX_ROWS, renderForm, renderResult, splitExpression } from '../../../media/webviews/complianceView';
import { h } from '../../../media/webviews/dom';
import { renderScorecard } from '../../../media/webviews/scorecardView';
import { renderTeam, ROWS_PER_PAGE } from '../../../media/webviews/teamView';
import type { ComplianceQuestion, EntityScorecards } from '../../../server/src/protocol';
import { fakeDocument as doc, FakeElement } from './fakeDocument';

const SCRIPT = '<script>alert(1)</script><img src=x onerror=alert(2)>';

const data: EntityScorecards = {
  ref: 'component:default/payments',
  found: true,
  title: `Payments ${SCRIPT}`,
  kind: 'Component',
  description: `Takes money. ${SCRIPT}`,
  uri: 'file:///w/catalog-info.yaml',
  line: 3,
  scorecards: [{ id: 'golden-path', title: 'Golden path', levels: [{ name: 'Bronze' }, { name: 'Silver' }, { name: 'Gold' }], origin: 'builtin' }],
  scores: [
    {
      ref: 'component:default/payments',
      scorecard: 'golden-path',
      level: 'Bronze',
      next: { level: 'Silver', failing: 1 },
      score: 62.5,
      results: [
        { rule: 'owner-is-group', title: 'Owned by a team', level: 'Bronze', weight: 3, outcome: 'pass', why: 'group:default/team-a is a Group' },
        { rule: 'on-call', title: 'On-call rotation', level: 'Silver', weight: 2, outcome: 'fail', why: `no annotation pagerduty.com/service-id ${SCRIPT}`, fix: { quickFix: 'add-annotation:pagerduty.com/service-id' } },
        { rule: 'dockerfile-non-root', title: 'Container runs as non-root', level: 'Gold', weight: 2, outcome: 'not-applicable', why: 'the repository is not in the workspace', fix: { template: 'node-service' } },
        { rule: 'techdocs', title: 'TechDocs', level: 'Gold', weight: 1, outcome: 'fail', why: 'no backstage.io/techdocs-ref', fix: { url: 'https://backstage.io/docs/features/techdocs/' } },
      ],
    },
  ],
};

const elements = (root: unknown) => [...(root as FakeElement).all()];
const byText = (root: unknown, tag: string, text: string) => elements(root).find((e) => e.tag === tag && e.textContent.includes(text));

test('catalog values with markup stay text: no script or img element is made, the text shows as written', () => {
  const root = renderScorecard(doc, data, () => {});
  const tags = new Set(elements(root).map((e) => e.tag));
  assert.ok(!tags.has('script') && !tags.has('img'), [...tags].join(','));
  const text = (root as FakeElement).textContent;
  assert.ok(text.includes(`Takes money. ${SCRIPT}`));
  assert.ok(text.includes(`Payments ${SCRIPT}`));
  for (const e of elements(root)) for (const name of e.attributes.keys()) assert.doesNotMatch(name, /^on/i);
});

test('the scorecard: the ladder, every rule with its outcome and why, a fix button only for failing rules', () => {
  const posted: FromPage[] = [];
  const root = renderScorecard(doc, data, (m) => posted.push(m));
  const ladder = elements(root).find((e) => e.tag === 'ol' && e.attributes.get('class') === 'ladder')!;
  assert.deepEqual(
    ladder.children.map((li) => [(li as FakeElement).textContent.trim(), (li as FakeElement).attributes.get('class')]),
    [['Bronze', 'level reached'], ['Silver', 'level next'], ['Gold', 'level']],
  );
  assert.match((root as FakeElement).textContent, /Bronze · score 63% · 1 check to Silver/);
  const rules = elements(root).filter((e) => e.tag === 'li' && e.attributes.get('class')?.startsWith('rule '));
  assert.deepEqual(rules.map((r) => r.attributes.get('class')), ['rule pass', 'rule fail', 'rule not-applicable', 'rule fail']);
  const icons = rules.map((r) => elements(r).find((e) => e.tag === 'vscode-icon')!.attributes.get('aria-label'));
  assert.deepEqual(icons, ['Passes', 'Fails', 'Not applicable', 'Fails']);
  const fixes = elements(root).filter((e) => e.attributes.get('class') === 'fix');
  assert.deepEqual(fixes.map((f) => f.textContent), ['Apply Quick Fix', 'Open Documentation']);
  for (const f of fixes) f.fire('click');
  assert.deepEqual(posted, [
    { type: 'fix', ref: data.ref, scorecard: 'golden-path', rule: 'on-call' },
    { type: 'fix', ref: data.ref, scorecard: 'golden-path', rule: 'techdocs' },
  ]);
  byText(root, 'vscode-button', 'Open Source')!.fire('click');
  assert.deepEqual(posted.at(-1), { type: 'openEntity', ref: data.ref });
});

test('a quarantined entity is listed as such, not scored; an unknown one says so', () => {
  const q = renderScorecard(doc, { ...data, scores: [{ ...data.scores[0], quarantined: true, results: [] }] }, () => {});
  assert.match((q as FakeElement).textContent, /Quarantined/);
  assert.match((renderScorecard(doc, { ref: 'component:default/x', found: false, scores: [], scorecards: [] }, () => {}) as FakeElement).textContent, /not in the catalog/);
});

test('the team dashboard: levels at a glance, the rules failing most, a click through to each entity', () => {
  const posted: FromPage[] = [];
  const root = renderTeam(
    doc,
    {
      team: 'group:default/team-a',
      title: 'Team A',
      found: true,
      entities: [
        { ref: 'component:default/a', title: SCRIPT, kind: 'Component', level: 'Silver', score: 80, failing: ['techdocs'] },
        { ref: 'component:default/b', title: 'B', kind: 'Component', level: 'Silver', score: 90, failing: [] },
        { ref: 'api:default/c-api', title: 'C API', kind: 'API', score: 0, failing: [], unscored: true },
        { ref: 'component:default/c', title: 'C', kind: 'Component', score: 10, failing: ['on-call', 'techdocs'] },
      ],
      topFailing: [{ rule: 'techdocs', title: 'TechDocs', count: 2 }, { rule: 'on-call', title: 'On-call rotation', count: 1 }],
    },
    (m) => posted.push(m),
  );
  const glance = elements(root).find((e) => e.attributes.get('class') === 'glance')!;
  assert.deepEqual(glance.children.map((c) => (c as FakeElement).textContent), ['2 Silver', '1 Not scored', '1 No level']);
  // What no scorecard applies to comes last, without a level or a score.
  const rows = elements(root).filter((e) => e.tag === 'tr').slice(1).map((r) => r.children.map((c) => (c as FakeElement).textContent));
  assert.deepEqual(rows.map((r) => r.slice(1)), [
    ['Component', 'Silver', '80%', '1'],
    ['Component', 'Silver', '90%', '0'],
    ['Component', 'None', '10%', '2'],
    ['API', 'Not scored', '—', '—'],
  ]);
  assert.deepEqual(elements(root).find((e) => e.attributes.get('class') === 'top-failing')!.children.map((c) => (c as FakeElement).textContent), ['TechDocs — 2 entities', 'On-call rotation — 1 entity']);
  assert.ok(!elements(root).some((e) => e.tag === 'script'));
  byText(root, 'vscode-button', SCRIPT)!.fire('click');
  assert.deepEqual(posted, [{ type: 'showScorecard', ref: 'component:default/a' }]);
});

test('team dashboard: thousands of entities come in pages of rows, the next page a button away', () => {
  const entities = Array.from({ length: 450 }, (_, i) => ({ ref: `component:default/s${i}`, title: `S${i}`, kind: 'Component', level: 'Bronze', score: i / 5, failing: [] }));
  const root = renderTeam(doc, { team: 'group:default/big', title: 'Big', found: true, entities, topFailing: [] }, () => {});
  const rowCount = (): number => elements(root).filter((e) => e.tag === 'tr').length - 1;
  assert.equal(rowCount(), ROWS_PER_PAGE);
  byText(root, 'vscode-button', `Show ${ROWS_PER_PAGE} more`)!.fire('click');
  assert.equal(rowCount(), 2 * ROWS_PER_PAGE);
  byText(root, 'vscode-button', 'Show 50 more')!.fire('click');
  assert.equal(rowCount(), 450);
  assert.ok(!elements(root).some((e) => e.tag === 'vscode-button' && /^Show \d+ more$/.test(e.textContent)));
});

const QUESTIONS: ComplianceQuestion[] = [
  { id: 'coverage', title: 'Coverage', params: [] },
  { id: 'depends-on', title: 'What depends on', params: [{ name: 'ref', title: 'Entity' }] },
  { id: 'filter', title: 'Filter', params: [{ name: 'filter', title: 'Filter' }] },
];

test('compliance: a question and its parameter make the expression the CLI takes, and back', () => {
  assert.equal(expressionOf(QUESTIONS[0], ''), 'coverage');
  assert.equal(expressionOf(QUESTIONS[1], ' component:payments '), 'depends-on:component:payments');
  assert.equal(expressionOf(QUESTIONS[2], 'kind=component,spec.lifecycle=production'), 'kind=component,spec.lifecycle=production');
  assert.deepEqual(splitExpression(QUESTIONS, 'depends-on:component:payments'), { question: QUESTIONS[1], value: 'component:payments' });
  assert.deepEqual(splitExpression(QUESTIONS, 'kind=api'), { question: QUESTIONS[2], value: 'kind=api' });
});

test('compliance: the form asks on Enter and with the button; the result exports and clicks through', () => {
  const posted: FromPage[] = [];
  const form = renderForm(doc, { questions: QUESTIONS, question: QUESTIONS[1], value: '' }, () => {}, (m) => posted.push(m));
  const field = elements(form).find((e) => e.tag === 'vscode-textfield')!;
  field.fire('input', { target: { value: 'component:payments' } });
  field.fire('keydown', { key: 'Enter' });
  byText(form, 'vscode-button', 'Ask')!.fire('click');
  assert.deepEqual(posted, [
    { type: 'ask', expression: 'depends-on:component:payments' },
    { type: 'ask', expression: 'depends-on:component:payments' },
  ]);
  posted.length = 0;
  const rows = Array.from({ length: MAX_ROWS + 5 }, (_, i) => [`e${i} ${SCRIPT}`, i]);
  const refs = rows.map((_, i) => (i % 2 ? undefined : `component:default/e${i}`));
  const result = renderResult(doc, 'coverage', { title: 'Coverage', columns: ['Entity', 'N'], rows, refs }, (m) => posted.push(m));
  assert.equal(elements(result).filter((e) => e.tag === 'tr').length, MAX_ROWS + 1);
  assert.match((result as FakeElement).textContent, new RegExp(`${MAX_ROWS + 5} rows, the first ${MAX_ROWS} shown`));
  assert.ok(!elements(result).some((e) => e.tag === 'script' || e.tag === 'img'));
  byText(result, 'vscode-button', 'Export CSV')!.fire('click');
  byText(result, 'vscode-button', 'Export Markdown')!.fire('click');
  byText(result, 'vscode-button', 'e0 ')!.fire('click');
  assert.deepEqual(posted, [
    { type: 'export', expression: 'coverage', format: 'csv' },
    { type: 'export', expression: 'coverage', format: 'markdown' },
    { type: 'showScorecard', ref: 'component:default/e0' },
  ]);
  assert.match((renderResult(doc, 'x', { title: 'x', columns: [], rows: [], refs: [], error: 'bad <b>filter</b>' }, () => {}) as FakeElement).textContent, /bad <b>filter<\/b>/);
});

test('h() refuses inline handlers', () => {
  assert.throws(() => h(doc, 'div', { onclick: 'alert(1)' }), /inline handler/);
  assert.throws(() => h(doc, 'div', { ONload: 'x' }), /inline handler/);
});
