/** The compliance questions over a small company, with real scores (the Scorer on a scorecard of our own), and their export. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CatalogIndex } from '../../../server/src/catalog/catalogIndex';
import { toCsv, toMarkdown } from '../../../server/src/compliance/export';
import { answer, parseExpression, query, QueryError, QUESTIONS, type QueryResult } from '../../../server/src/compliance/questions';
import { parseScorecard } from '../../../server/src/scorecards/definitions';
import { RepositoryFacts } from '../../../server/src/scorecards/facts';
import { Scorer } from '../../../server/src/scorecards/score';
import { teamDashboard } from '../../../server/src/views/teamDashboard';
import { doc, entity, putFile, putStore } from '../viewsFixture';

const CARD = `apiVersion: paved-road.dev/v1
kind: Scorecard
id: basics
title: Basics
appliesTo: { kind: [Component] }
rules:
  - { id: described, title: Has a description, level: Bronze, weight: 1, condition: { field: metadata.description, exists: true } }
  - { id: oncall, title: On call, level: Silver, weight: 2, condition: { field: 'metadata.annotations["pagerduty.com/service-id"]', exists: true } }
  - { id: encryption-at-rest, title: Encrypted at rest, level: Gold, weight: 2, condition: { field: 'metadata.annotations["paved-road.dev/encryption"]', exists: true } }
`;

function company(): CatalogIndex {
  const index = new CatalogIndex();
  const svc = (name: string, owner: string, meta: string[], extra: string[] = []): string => doc('Component', name, ['type: service', 'lifecycle: production', `owner: ${owner}`, 'system: shop', ...extra], meta);
  putFile(
    index,
    'file:///w/catalog-info.yaml',
    // Gold: everything.
    svc('payments', 'team-a', ['description: Payments', 'annotations:', '  pagerduty.com/service-id: P1', '  paved-road.dev/encryption: kms', '  backstage.io/techdocs-ref: dir:.']),
    // Silver: no encryption; no techdocs.
    svc('ledger', 'team-a', ['description: Ledger', 'annotations:', '  pagerduty.com/service-id: P2'], ['dependsOn: [component:payments]']),
    // Bronze: no on-call; its system does not exist, so its entry is not valid.
    svc('fraud', 'team-b', ['description: Fraud'], ['dependsOn: [component:ledger]']).replace('system: shop', 'system: nowhere'),
    // Below Bronze: no description.
    svc('search', 'team-b', []),
    doc('Component', 'web', ['type: website', 'lifecycle: production', 'owner: team-b', 'dependsOn: [component:fraud]']),
    doc('Component', 'tool', ['type: service', 'lifecycle: experimental', 'owner: team-b']),
    doc('System', 'shop', ['owner: team-a']),
    doc('Group', 'team-a', ['type: team', 'children: []'], ['annotations:', '  pagerduty.com/service-id: PA']),
    doc('Group', 'team-b', ['type: team', 'children: []']),
    doc('Group', 'guild', ['type: community', 'children: []']),
  );
  putStore(index, 'company.json', [entity('Component', 'broken', { type: 'service', lifecycle: 'production', owner: 'team-b', system: 'shop' }, { description: 'x' })], ['broken']);
  return index;
}

function scorer(index: CatalogIndex): Scorer {
  const { scorecard, problems } = parseScorecard(CARD, 'test');
  assert.deepEqual(problems, []);
  return new Scorer(index, new RepositoryFacts(), [scorecard!]);
}

const column = (r: QueryResult, name: string): (string | number)[] => r.rows.map((row) => row[r.columns.indexOf(name)]);

describe('compliance questions', () => {
  const index = company();
  const s = scorer(index);

  it('lists every question with its parameters, and reads expressions', () => {
    assert.deepEqual(
      QUESTIONS.map((q) => q.id),
      ['teams-without-oncall', 'production-without-techdocs', 'depends-on', 'below-level', 'coverage', 'security-posture', 'filter'],
    );
    assert.deepEqual(parseExpression('depends-on:component:payments'), { question: 'depends-on', params: { ref: 'component:payments' } });
    assert.deepEqual(parseExpression(' Below-Level: Silver'), { question: 'below-level', params: { level: 'Silver' } });
    assert.deepEqual(parseExpression('kind=component,spec.lifecycle=production'), { question: 'filter', params: { filter: 'kind=component,spec.lifecycle=production' } });
    assert.deepEqual(parseExpression('filter:spec.type'), { question: 'filter', params: { filter: 'spec.type' } });
    assert.throws(() => parseExpression('coverage:x'), QueryError);
    assert.throws(() => query(index, s, 'depends-on'), /needs entity/);
    assert.throws(() => query(index, s, 'depends-on:component:nope'), /no entity component:default\/nope/);
    assert.throws(() => query(index, s, 'kind=a,=b'), QueryError);
    assert.throws(() => answer(index, s, 'nope'), /unknown question/);
    assert.throws(() => query(index, undefined, 'below-level:Gold'), /needs the scorecards/);
  });

  it('teams without on-call: teams and owning groups without an on-call annotation', () => {
    const r = query(index, s, 'teams-without-oncall');
    assert.deepEqual(r.refs, ['group:default/team-b']);
    assert.deepEqual(r.rows[0].slice(3), [5, '']);
  });

  it('production services without TechDocs', () => {
    assert.deepEqual(query(index, s, 'production-without-techdocs').refs, ['component:default/broken', 'component:default/fraud', 'component:default/ledger', 'component:default/search']);
  });

  it('what depends on an entity, transitively, nearest first', () => {
    const r = query(index, s, 'depends-on:component:payments');
    assert.deepEqual(r.refs, ['component:default/ledger', 'component:default/fraud', 'component:default/web']);
    assert.deepEqual(column(r, 'Depth'), [1, 2, 3]);
  });

  it('below a level, with what still fails for it; quarantined entities are listed as such', () => {
    const r = query(index, s, 'below-level:Silver');
    assert.deepEqual(r.refs, ['component:default/broken', 'component:default/fraud', 'component:default/search', 'component:default/tool', 'component:default/web']);
    assert.deepEqual(column(r, 'Level'), ['quarantined', 'Bronze', 'none', 'none', 'none']);
    assert.deepEqual(column(r, 'Failing for Silver'), ['', 'oncall', 'described, oncall', 'described, oncall', 'described, oncall']);
    assert.deepEqual(query(index, s, 'below-level:gold').refs.length, 6);
    assert.throws(() => query(index, s, 'below-level:Platinum'), /no scorecard has a level 'Platinum'/);
  });

  it('coverage by team: complete and valid production services', () => {
    const r = query(index, s, 'coverage');
    assert.deepEqual(r.rows, [
      ['group:default/team-b', 3, 0, 0],
      ['group:default/team-a', 2, 2, 100],
      ['All teams', 5, 2, 40],
    ]);
    assert.deepEqual(r.refs, ['group:default/team-b', 'group:default/team-a', undefined]);
  });

  it('security posture: production services failing a security rule', () => {
    const r = query(index, s, 'security-posture');
    assert.deepEqual(r.refs, ['component:default/fraud', 'component:default/ledger', 'component:default/search']);
    assert.deepEqual(column(r, 'Security rules failing'), ['Encrypted at rest', 'Encrypted at rest', 'Encrypted at rest']);
  });

  it('a filter, answered as a table of entities', () => {
    const r = query(index, s, 'kind=component,spec.lifecycle=production,spec.type=website;kind=group,spec.type=community');
    assert.deepEqual(r.refs, ['component:default/web', 'group:default/guild']);
    assert.deepEqual(r.columns, ['Entity', 'Kind', 'Type', 'Lifecycle', 'Owner']);
    assert.deepEqual(r.rows[0], ['component:default/web', 'Component', 'website', 'production', 'group:default/team-b']);
  });

  it('follows the catalog as it changes', () => {
    const i = company();
    const sc = scorer(i);
    assert.equal(query(i, sc, 'below-level:Silver').refs.includes('component:default/fraud'), true);
    i.update('file:///w/catalog-info.yaml', { kind: 'file', uri: 'file:///w/catalog-info.yaml' }, i.placementsOf('file:///w/catalog-info.yaml').filter((p) => p.record.name !== 'fraud'));
    assert.equal(query(i, sc, 'below-level:Silver').refs.includes('component:default/fraud'), false);
  });
});

describe('team dashboard', () => {
  it('lists what the team owns, worst first, with the rules failing most', () => {
    const index = company();
    const d = teamDashboard(index, scorer(index), 'Group:default/team-b');
    assert.equal(d.found, true);
    assert.equal(d.team, 'group:default/team-b');
    assert.deepEqual(
      d.entities.map((e) => [e.ref, e.level, e.score, e.failing, e.quarantined]),
      [
        ['component:default/broken', undefined, 0, [], true],
        ['component:default/search', undefined, 0, ['described', 'oncall', 'encryption-at-rest'], undefined],
        ['component:default/tool', undefined, 0, ['described', 'oncall', 'encryption-at-rest'], undefined],
        ['component:default/web', undefined, 0, ['described', 'oncall', 'encryption-at-rest'], undefined],
        ['component:default/fraud', 'Bronze', 20, ['oncall', 'encryption-at-rest'], undefined],
      ],
    );
    assert.deepEqual(d.topFailing, [
      { rule: 'encryption-at-rest', title: 'Encrypted at rest', count: 4 },
      { rule: 'oncall', title: 'On call', count: 4 },
      { rule: 'described', title: 'Has a description', count: 3 },
    ]);
    assert.equal(teamDashboard(index, undefined, 'group:default/nobody').found, false);
    assert.deepEqual(teamDashboard(index, undefined, 'team-b').entities.length, 5);
    assert.deepEqual(teamDashboard(index, undefined, 'team-b').topFailing, []);
  });
});

describe('export', () => {
  const result: QueryResult = {
    title: 'A | B <script>',
    columns: ['Entity', 'Note', 'Count'],
    rows: [
      ['component:default/a', 'says "hi", then\nleaves', 3],
      ['component:default/b', '=HYPERLINK("x")', 10],
      ['component:default/c', 'a|b\\c <b>', 0],
    ],
    refs: ['component:default/a', 'component:default/b', 'component:default/c'],
  };

  it('CSV: quoted where needed, formulas defused, CRLF', () => {
    assert.equal(toCsv(result), 'Entity,Note,Count\r\ncomponent:default/a,"says ""hi"", then\nleaves",3\r\ncomponent:default/b,"\'=HYPERLINK(""x"")",10\r\ncomponent:default/c,a|b\\c <b>,0\r\n');
  });

  it('Markdown: pipes, backslashes and HTML escaped, numbers right-aligned, one line a row', () => {
    assert.equal(
      toMarkdown(result),
      [
        '### A \\| B &lt;script&gt;',
        '',
        '| Entity | Note | Count |',
        '| --- | --- | ---: |',
        '| component:default/a | says "hi", then leaves | 3 |',
        '| component:default/b | =HYPERLINK("x") | 10 |',
        '| component:default/c | a\\|b\\\\c &lt;b&gt; | 0 |',
        '',
        '3 rows',
        '',
      ].join('\n'),
    );
  });
});
