/** Scorecard files: parsed, checked, completed with defaults; sources in order; the built-in golden path. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isScorecardText, loadScorecards, parseScorecard, scorecardIssues } from '../../../server/src/scorecards/definitions';
import { write } from '../scaffolding/fixture';

const dir = mkdtempSync(join(tmpdir(), 'scorecard-defs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const MINIMAL = `apiVersion: paved-road.dev/v1
kind: Scorecard
id: docs
title: Documented
rules:
  - id: description
    title: Has a description
    level: Bronze
    condition: { field: metadata.description, exists: true }
`;

describe('parseScorecard', () => {
  it('completes a minimal scorecard: default ladder, weight 1, applies to every entity', () => {
    const { scorecard, problems } = parseScorecard(MINIMAL, 'test.yaml');
    assert.deepEqual(problems, []);
    assert.deepEqual(scorecard?.levels.map((l) => l.name), ['Bronze', 'Silver', 'Gold']);
    assert.equal(scorecard?.rules[0].weight, 1);
    assert.deepEqual(scorecard?.appliesTo, {});
    assert.equal(scorecard?.origin, 'test.yaml');
    assert.equal(isScorecardText(MINIMAL), true);
    assert.equal(isScorecardText(MINIMAL.replace('Scorecard', 'Template')), false);
  });
  it('says what is wrong, in words, with the origin', () => {
    const bad = (text: string): string[] => parseScorecard(text, 'x.yaml').problems;
    assert.deepEqual(bad('a: [\n'), [bad('a: [\n')[0]]);
    assert.match(bad('a: [\n')[0], /^x\.yaml: not valid YAML/);
    assert.ok(bad(MINIMAL.replace('title: Documented\n', '')).some((p) => /title is missing/.test(p)));
    assert.ok(bad(MINIMAL.replace('level: Bronze', 'level: Platinum')).some((p) => /level Platinum is not on the ladder/.test(p)));
    assert.ok(bad(MINIMAL.replace('exists: true', 'exists: true, equals: 1')).some((p) => /exactly one operator/.test(p)), 'two operators');
    assert.ok(bad(MINIMAL.replace('{ field: metadata.description, exists: true }', '{ file: Dockerfile, matches: "(" }')).some((p) => /not a regular expression/.test(p)));
    assert.ok(bad(MINIMAL.replace('{ field: metadata.description, exists: true }', '{ relation: ownsEverything }')).some((p) => /must be one of/.test(p)));
    assert.ok(bad(MINIMAL.replace('{ field: metadata.description, exists: true }', '{ file: ../secrets, exists: true }')).some((p) => /pattern/.test(p)));
    assert.ok(bad(MINIMAL + '  - id: description\n    title: Again\n    level: Bronze\n    condition: { field: metadata.title, exists: true }\n').some((p) => /defined twice/.test(p)));
    assert.ok(bad(MINIMAL.replace('kind: Scorecard', 'kind: Scorecards')).length > 0);
  });
  it('issues carry the path of what they are about', () => {
    const issues = scorecardIssues({ apiVersion: 'paved-road.dev/v1', kind: 'Scorecard', id: 'a', title: 'A', rules: [{ id: 'r', title: 'R', level: 'Bronze', condition: { fild: 'x' } }] });
    assert.ok(issues.some((i) => i.path.join('.') === 'rules.0.condition' && i.key === 'fild'));
  });
});

describe('loadScorecards', () => {
  it('the built-in golden path, then the sources; a later scorecard replaces one with the same id; broken files are problems', () => {
    write(join(dir, 'org/docs.yaml'), MINIMAL);
    write(join(dir, 'ws/docs.yaml'), MINIMAL.replace('title: Documented', 'title: Documented here'));
    write(join(dir, 'ws/broken.yaml'), MINIMAL.replace('id: docs', 'id: Not An Id'));
    write(join(dir, 'ws/notes.txt'), 'not a scorecard');
    const { scorecards, problems } = loadScorecards([
      { path: join(dir, 'org'), origin: 'folder' },
      { path: join(dir, 'ws'), origin: 'workspace' },
      { path: join(dir, 'missing'), origin: 'workspace' },
    ]);
    assert.deepEqual(scorecards.map((s) => [s.id, s.origin === 'builtin' ? 'builtin' : s.title]), [['golden-path', 'builtin'], ['docs', 'Documented here']]);
    assert.equal(problems.length, 1);
    assert.match(problems[0], /broken\.yaml: id must match/);
    assert.deepEqual(loadScorecards([], { builtin: false }).scorecards, []);
  });
  it('the built-in golden path covers the template parts and the catalog checks', () => {
    const golden = loadScorecards([]).scorecards.find((s) => s.id === 'golden-path')!;
    assert.deepEqual(golden.appliesTo, { kind: ['Component'], type: ['service'] });
    const ids = golden.rules.map((r) => r.id);
    for (const id of ['owner-is-group', 'description', 'lifecycle', 'system', 'on-call', 'chat-channel', 'techdocs', 'catalog-entry', 'runbook', 'metrics', 'probes', 'dockerfile-pinned', 'dockerfile-non-root', 'ci-sast', 'least-privilege-service-account', 'encryption-at-rest', 'adrs']) assert.ok(ids.includes(id), id);
    for (const r of golden.rules) assert.ok(r.fix, `${r.id} has a fix`);
  });
});
