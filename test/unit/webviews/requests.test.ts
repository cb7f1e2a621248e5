/** What the scorecard webview is sent (entityScorecards), and its quick fix's edit raising the level. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CatalogIndex, documentSpan } from '../../../server/src/catalog/catalogIndex';
import { entityScorecards } from '../../../server/src/lsp/scorecardRequests';
import { parseScorecard } from '../../../server/src/scorecards/definitions';
import { RepositoryFacts } from '../../../server/src/scorecards/facts';
import { scorecardQuickFix } from '../../../server/src/scorecards/quickFixes';
import { Scorer } from '../../../server/src/scorecards/score';
import { doc, entity, putFile, putStore } from '../viewsFixture';

const CARD = `apiVersion: paved-road.dev/v1
kind: Scorecard
id: basics
title: Basics
appliesTo: { kind: [Component] }
rules:
  - { id: described, title: Has a description, level: Bronze, weight: 1, condition: { field: metadata.description, exists: true }, fix: { url: 'https://backstage.io/docs' } }
  - { id: oncall, title: On call, level: Silver, weight: 2, condition: { field: 'metadata.annotations["pagerduty.com/service-id"]', exists: true }, fix: { quickFix: 'add-annotation:pagerduty.com/service-id' } }
  - { id: docs, title: TechDocs, level: Gold, weight: 1, condition: { field: 'metadata.annotations["backstage.io/techdocs-ref"]', exists: true }, fix: { template: node-service } }
`;
const URI = 'file:///w/catalog-info.yaml';

function setup(text: string): { index: CatalogIndex; scorer: Scorer } {
  const index = new CatalogIndex();
  index.update(URI, { kind: 'file', uri: URI }, []);
  putFile(index, URI, text);
  putStore(index, 'store.json', [entity('Component', 'remote', { type: 'service', owner: 'team-a' }, { description: 'far away' })]);
  const { scorecard, problems } = parseScorecard(CARD, 'test');
  assert.deepEqual(problems, []);
  return { index, scorer: new Scorer(index, new RepositoryFacts(), [scorecard!]) };
}

const TEXT = [doc('Group', 'team-a', ['type: team', 'children: []']), doc('Component', 'payments', ['type: service', 'owner: team-a'], ['description: <script>alert(1)</script>'])].join('---\n');

test('an entity of a file: its place, its scores and the ladders of the scorecards that apply', () => {
  const { index, scorer } = setup(TEXT);
  const s = entityScorecards(index, scorer, 'Component:default/payments');
  assert.equal(s.found, true);
  assert.equal(s.ref, 'component:default/payments');
  assert.equal(s.description, '<script>alert(1)</script>');
  assert.equal(s.uri, URI);
  assert.equal(TEXT.split('\n')[s.line!], '  name: payments');
  assert.deepEqual(s.scorecards.map((c) => [c.id, c.levels.map((l) => l.name)]), [['basics', ['Bronze', 'Silver', 'Gold']]]);
  assert.equal(s.scores[0].level, 'Bronze');
  assert.deepEqual(s.scores[0].results.map((r) => [r.rule, r.outcome]), [['described', 'pass'], ['oncall', 'fail'], ['docs', 'fail']]);
});

test('a store entity has no file; a Group has no applicable scorecard; an unknown ref is not found', () => {
  const { index, scorer } = setup(TEXT);
  const remote = entityScorecards(index, scorer, 'component:default/remote');
  assert.equal(remote.found, true);
  assert.equal(remote.uri, undefined);
  assert.equal(remote.scores.length, 1);
  assert.deepEqual(entityScorecards(index, scorer, 'group:default/team-a').scores, []);
  assert.deepEqual(entityScorecards(index, scorer, 'component:default/nope'), { ref: 'component:default/nope', found: false, scores: [], scorecards: [] });
});

test("the failing rule's quick fix, applied to the file, moves the entity up a level", () => {
  const { index, scorer } = setup(TEXT);
  const p = index.first('component:default/payments')!;
  const { start, end } = documentSpan(p);
  const edit = scorecardQuickFix(p, TEXT.slice(start, end), 'add-annotation:pagerduty.com/service-id');
  assert.ok(edit);
  const lines = TEXT.split('\n');
  const offset = (pos: { line: number; character: number }) => lines.slice(0, pos.line).reduce((n, l) => n + l.length + 1, 0) + pos.character;
  const fixed = TEXT.slice(0, offset(edit.start)) + edit.newText + TEXT.slice(offset(edit.end));
  putFile(index, URI, fixed);
  scorer.invalidate([URI]);
  const s = entityScorecards(index, scorer, 'component:default/payments');
  assert.equal(s.scores[0].level, 'Silver');
  assert.equal(s.scores[0].results.find((r) => r.rule === 'oncall')?.outcome, 'pass');
});
