/** `paved-road scorecard`: formats, the --min-level gate's exit codes, --scorecard files, usage errors. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { write } from '../unit/scaffolding/fixture';
import { runCli } from './runCli';

const root = mkdtempSync(join(tmpdir(), 'cli-scorecard-'));
const other = mkdtempSync(join(tmpdir(), 'cli-scorecard-only-'));
after(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(other, { recursive: true, force: true });
});
write(join(root, '.git/HEAD'), 'ref: refs/heads/main\n');
write(
  join(root, 'org.yaml'),
  `apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-a
  annotations:
    slack.com/channel: team-a
spec:
  type: team
  children: []
`,
);
write(
  join(root, 'svc/catalog-info.yaml'),
  `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: svc
  description: A | tricky <b>description</b>
spec:
  type: service
  lifecycle: production
  owner: team-a
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: lonely
spec:
  type: service
  lifecycle: production
  owner: nobody
`,
);
write(join(root, 'svc/Dockerfile'), 'FROM node:22.14.0\nUSER 1000\n');
const CARD = join(root, 'card.yaml');
write(
  CARD,
  `apiVersion: paved-road.dev/v1
kind: Scorecard
id: small
title: Small card
appliesTo: { kind: [Component] }
rules:
  - { id: owner, title: Owned by a team, level: Bronze, weight: 2, condition: { relation: ownerIsGroup } }
  - { id: docs, title: Described, level: Bronze, condition: { field: metadata.description, exists: true } }
  - { id: chat, title: Chat, level: Silver, condition: { relation: ownerIsGroup, annotation: slack.com/channel }, fix: { quickFix: 'add-annotation:slack.com/channel' } }
  - { id: docker, title: Non-root, level: Gold, condition: { file: Dockerfile, matches: '^USER\\s+[1-9]', flags: m } }
  - { id: pager, title: Paged, level: Gold, condition: { field: 'metadata.annotations["pagerduty.com/service-id"]', exists: true } }
`,
);

describe('paved-road scorecard', () => {
  it('text: each entity with its level, score and failing rules; exit 0 without a gate', async () => {
    const r = await runCli(['scorecard', '--scorecard', CARD, root], { cwd: root });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /svc\/catalog-info\.yaml:4 {2}component:default\/svc {2}Small card: Silver {2}83% {2}\(1 check to Gold\)/);
    assert.match(r.stdout, /✗ \[Gold\] pager: Paged: metadata\.annotations\["pagerduty\.com\/service-id"\] is not set/);
    assert.match(r.stdout, /component:default\/lonely {2}Small card: none {2}17% {2}\(2 checks to Bronze\)/);
    assert.match(r.stdout, /2 entities scored\n$/);
    assert.doesNotMatch(r.stdout, /group:default\/team-a/, 'the card applies to Components only');
  });
  it('--min-level: exit 1 when an entity is below it, 0 when all reach it', async () => {
    const below = await runCli(['scorecard', '--scorecard', CARD, '--min-level', 'bronze', root], { cwd: root });
    assert.equal(below.code, 1);
    assert.match(below.stdout, /lonely .* below bronze/);
    assert.match(below.stdout, /2 entities scored, 1 below bronze/);
    const one = await runCli(['scorecard', '--scorecard', CARD, '--min-level', 'Silver', join(root, 'org.yaml'), join(root, 'svc/catalog-info.yaml')], { cwd: root });
    assert.equal(one.code, 1);
    write(join(other, 'only/catalog-info.yaml'), `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: only\n  description: d\nspec:\n  type: service\n  lifecycle: production\n  owner: group:team-a\n`);
    const ok = await runCli(['scorecard', '--scorecard', CARD, '--min-level', 'Silver', join(root, 'org.yaml'), join(other, 'only')], { cwd: root });
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /1 entity scored, all at Silver or above/);
  });
  it('json: one object per entity and scorecard, with its results', async () => {
    const r = await runCli(['scorecard', '--format', 'json', '--scorecard', CARD, '--min-level', 'Gold', root], { cwd: root });
    assert.equal(r.code, 1);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const svc = lines.find((l) => l.ref === 'component:default/svc');
    assert.equal(svc.level, 'Silver');
    assert.equal(svc.scorecard, 'small');
    assert.equal(svc.below, true);
    assert.deepEqual(svc.results.map((x: { outcome: string }) => x.outcome), ['pass', 'pass', 'pass', 'pass', 'fail']);
    assert.deepEqual(svc.results[2].fix, { quickFix: 'add-annotation:slack.com/channel' });
  });
  it('markdown: a pull-request comment with the verdict, a table, and catalog text escaped', async () => {
    const r = await runCli(['scorecard', '--format', 'markdown', '--scorecard', CARD, '--min-level', 'Bronze', root], { cwd: root });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^### Scorecards: ❌ 2 entities scored, 1 below Bronze\n/);
    assert.match(r.stdout, /\| ❌ `component:default\/lonely` \| Small card \| none \| 17% \| 2 checks to Bronze \|/);
    assert.match(r.stdout, /<details><summary>component:default\/svc: 1 failing<\/summary>/);
    assert.doesNotMatch(r.stdout, /<b>/);
  });
  it('the built-in golden path by default', async () => {
    const r = await runCli(['scorecard', join(root, 'svc')], { cwd: root });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /component:default\/svc {2}Scorecard|component:default\/svc {2}Golden path: /);
    assert.match(r.stdout, /dockerfile-non-root|dockerfile-pinned|ci-sast/);
  });
  it('usage errors exit 2', async () => {
    for (const args of [['scorecard'], ['scorecard', '--format', 'xml', root], ['scorecard', '--min-level', 'Platinum', root], ['scorecard', join(root, 'missing')], ['scorecard', '--bogus', root]]) {
      const r = await runCli(args, { cwd: root });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}`);
      assert.match(r.stderr, /^paved-road: /);
    }
  });
});
