/**
 * The webviews' requests over real JSON-RPC against dist/server.js: an entity's scorecards, its quick fix
 * applied as the client applies it (the level moves before anything is saved), the team dashboard, the
 * compliance questions, a query, a bad filter, and the export.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  ComplianceExportRequest,
  ComplianceQueryRequest,
  ComplianceQuestionsRequest,
  EntityScorecardRequest,
  ScorecardQuickFixRequest,
  TeamDashboardRequest,
} from '../../server/src/protocol';
import { LspClient } from './lspClient';

const root = mkdtempSync(join(tmpdir(), 'paved-road-scorecard-requests-'));
const CARD = `apiVersion: paved-road.dev/v1
kind: Scorecard
id: basics
title: Basics
appliesTo: { kind: [Component] }
rules:
  - { id: described, title: Has a description, level: Bronze, weight: 1, condition: { field: metadata.description, exists: true } }
  - { id: oncall, title: On call, level: Silver, weight: 2, condition: { field: 'metadata.annotations["pagerduty.com/service-id"]', exists: true }, fix: { quickFix: 'add-annotation:pagerduty.com/service-id' } }
  - { id: docs, title: TechDocs, level: Gold, weight: 1, condition: { field: 'metadata.annotations["backstage.io/techdocs-ref"]', exists: true }, fix: { url: 'https://backstage.io/docs/features/techdocs/' } }
`;
const CATALOG = `apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-a
spec:
  type: team
  children: []
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: payments-api
spec:
  type: openapi
  lifecycle: production
  owner: team-a
  definition: 'openapi: 3.0.0'
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: payments
  description: Takes the money
spec:
  type: service
  lifecycle: production
  owner: team-a
`;

describe('the scorecard requests over JSON-RPC', () => {
  let c: LspClient;
  const file = join(root, 'catalog-info.yaml');
  before(async () => {
    mkdirSync(join(root, '.paved-road/scorecards'), { recursive: true });
    writeFileSync(join(root, '.paved-road/scorecards/basics.yaml'), CARD);
    writeFileSync(file, CATALOG);
    c = await LspClient.start(root);
    await c.waitForIndex();
  });
  after(async () => {
    await c.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const scorecard = () => c.conn.sendRequest(EntityScorecardRequest.type, { ref: 'component:default/payments' });

  it("answers an entity's scorecards, with where it is defined", async () => {
    let s = await scorecard();
    // The scorecards are read after the start: wait for ours (bounded).
    for (let i = 0; i < 50 && !s.scores.some((x) => x.scorecard === 'basics'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      s = await scorecard();
    }
    assert.equal(s.found, true);
    assert.equal(s.uri, c.uriOf(file));
    assert.equal(s.line, 21);
    const basics = s.scores.find((x) => x.scorecard === 'basics')!;
    assert.equal(basics.level, 'Bronze');
    assert.deepEqual(basics.next, { level: 'Silver', failing: 1 });
    assert.deepEqual(s.scorecards.find((x) => x.id === 'basics')?.levels.map((l) => l.name), ['Bronze', 'Silver', 'Gold']);
    assert.equal((await c.conn.sendRequest(EntityScorecardRequest.type, { ref: 'component:default/nope' })).found, false);
  });

  it("applies the failing rule's quick fix as an edit of the open file: the level moves before saving", async () => {
    const { uri } = await c.open(file);
    const r = await c.conn.sendRequest(ScorecardQuickFixRequest.type, { ref: 'component:default/payments', quickFix: 'add-annotation:pagerduty.com/service-id' });
    assert.equal(r.error, undefined);
    assert.equal(r.uri, uri);
    assert.equal(r.edits.length, 1);
    const lines = c.text(uri).split('\n');
    const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
    const text = c.text(uri);
    const e = r.edits[0];
    const fixed = text.slice(0, offset(e.range.start)) + e.newText + text.slice(offset(e.range.end));
    assert.match(fixed, /annotations:\n\s+pagerduty\.com\/service-id: /);
    await c.change(uri, fixed);
    const basics = (await scorecard()).scores.find((x) => x.scorecard === 'basics')!;
    assert.equal(basics.level, 'Silver');
    assert.equal(basics.results.find((x) => x.rule === 'oncall')?.outcome, 'pass');
    const unknown = await c.conn.sendRequest(ScorecardQuickFixRequest.type, { ref: 'component:default/payments', quickFix: 'make-coffee' });
    assert.ok(unknown.error);
    assert.deepEqual(unknown.edits, []);
  });

  it('answers the team dashboard, the questions, a query, a bad filter and the export', async () => {
    const team = await c.conn.sendRequest(TeamDashboardRequest.type, { ref: 'group:default/team-a' });
    assert.equal(team.found, true);
    assert.deepEqual(team.entities.map((x) => [x.ref, x.unscored]).sort(), [['api:default/payments-api', true], ['component:default/payments', undefined]]);
    // The built-in golden path applies too: its failing rules count with ours.
    assert.ok(team.topFailing.some((x) => x.rule === 'docs' && x.count === 1));
    const payments = team.entities.find((x) => x.ref === 'component:default/payments')!;
    assert.ok(payments.failing.includes('docs') && !payments.failing.includes('oncall'));
    const questions = await c.conn.sendRequest(ComplianceQuestionsRequest.type, {});
    assert.ok(questions.some((q) => q.id === 'below-level' && q.params.length === 1));
    const below = await c.conn.sendRequest(ComplianceQueryRequest.type, { expression: 'below-level:Gold' });
    assert.equal(below.error, undefined);
    // A row per scorecard it is below Gold on (ours and the built-in golden path).
    assert.deepEqual([...new Set(below.refs)], ['component:default/payments']);
    const bad = await c.conn.sendRequest(ComplianceQueryRequest.type, { expression: 'below-level' });
    assert.ok(bad.error);
    const csv = await c.conn.sendRequest(ComplianceExportRequest.type, { expression: 'kind=component', format: 'csv' });
    assert.equal(csv.error, undefined);
    assert.match(csv.text, /payments/);
    const md = await c.conn.sendRequest(ComplianceExportRequest.type, { expression: 'kind=component', format: 'markdown' });
    assert.match(md.text, /^\|/m);
  });
});
