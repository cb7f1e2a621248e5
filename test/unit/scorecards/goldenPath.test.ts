/**
 * The built-in golden path against the real node-service template: a service rendered by the scaffolding
 * engine is at Gold on the day it is made, and taking a part away costs the level it belongs to.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { CatalogIndex } from '../../../server/src/catalog/catalogIndex';
import { prepareAnswers } from '../../../server/src/scaffolding/plan';
import { renderTemplate } from '../../../server/src/scaffolding/render';
import { findTemplate, loadTemplates } from '../../../server/src/scaffolding/templates';
import { loadScorecards } from '../../../server/src/scorecards/definitions';
import { RepositoryFacts } from '../../../server/src/scorecards/facts';
import { entityFromText, Scorer } from '../../../server/src/scorecards/score';
import { doc, putFile } from '../viewsFixture';
import { write } from '../scaffolding/fixture';

const root = mkdtempSync(join(tmpdir(), 'golden-path-'));
after(() => rmSync(root, { recursive: true, force: true }));
const service = join(root, 'payments-api');
const catalogFile = join(service, 'catalog-info.yaml');
const uri = pathToFileURL(catalogFile).toString();
const ORG = [
  doc('Group', 'team-payments', ['type: team', 'children: []'], ['annotations:', '  pagerduty.com/service-id: PX4K9TQ', '  slack.com/channel: team-payments']),
  doc('System', 'payments', ['owner: team-payments']),
];

describe('the golden path on a service made from templates/node-service', () => {
  const { templates, problems } = loadTemplates([{ path: join(__dirname, '..', '..', '..', 'templates'), origin: 'bundled' }]);
  assert.deepEqual(problems, []);
  const v = findTemplate(templates, 'node-service')!;
  const answers = prepareAnswers(v, { name: 'payments-api', owner: 'team-payments', system: 'payments', lifecycle: 'production', description: 'Takes payments.' });
  for (const f of renderTemplate(v, answers)) write(join(service, f.path), f.encoding === 'base64' ? Buffer.from(f.content, 'base64') : f.content);
  const golden = loadScorecards([]).scorecards.filter((s) => s.id === 'golden-path');
  const index = new CatalogIndex();
  putFile(index, 'file:///org/org.yaml', ...ORG);
  const facts = new RepositoryFacts();
  const scorer = new Scorer(index, facts, golden, { entityOf: (p) => entityFromText(p, (_, start, end) => readFileSync(catalogFile, 'utf8').slice(start, end)) });
  const scoreNow = () => {
    putFile(index, uri, readFileSync(catalogFile, 'utf8'));
    return scorer.score('component:default/payments-api')[0];
  };

  it('is at Gold on day one, every rule passing', () => {
    const s = scoreNow();
    assert.deepEqual(s.results.filter((r) => r.outcome !== 'pass').map((r) => `${r.rule}: ${r.why}`), []);
    assert.equal(s.level, 'Gold');
    assert.equal(s.score, 100);
    assert.equal(s.next, undefined);
  });

  it('a container running as root costs Gold; the why names the file', () => {
    const dockerfile = join(service, 'Dockerfile');
    const before = readFileSync(dockerfile, 'utf8');
    writeFileSync(dockerfile, before.replace(/^USER .*$/m, 'USER root'));
    scorer.invalidate([dockerfile]);
    const s = scoreNow();
    const rule = s.results.find((r) => r.rule === 'dockerfile-non-root')!;
    assert.equal(rule.outcome, 'fail');
    assert.match(rule.why, /Dockerfile does not match/);
    assert.equal(s.level, 'Silver');
    assert.deepEqual(s.next, { level: 'Gold', failing: 1 });
    assert.ok(s.score < 100);
    writeFileSync(dockerfile, before.replace(/node:22\.14\.0-bookworm-slim AS runtime/, 'node:latest AS runtime'));
    scorer.invalidate([dockerfile]);
    assert.equal(scoreNow().results.find((r) => r.rule === 'dockerfile-pinned')!.outcome, 'fail');
    writeFileSync(dockerfile, before);
    scorer.invalidate([dockerfile]);
    assert.equal(scoreNow().level, 'Gold');
  });

  it('a team without on-call, and no PagerDuty annotation on the service, costs Silver until the annotation is added', () => {
    putFile(index, 'file:///org/org.yaml', ORG[0].replace('  pagerduty.com/service-id: PX4K9TQ\n', ''), ORG[1]);
    let s = scoreNow();
    assert.equal(s.results.find((r) => r.rule === 'on-call')!.outcome, 'fail');
    assert.equal(s.level, 'Bronze');
    assert.deepEqual(s.next, { level: 'Silver', failing: 1 });
    const text = readFileSync(catalogFile, 'utf8');
    writeFileSync(catalogFile, text.replace('  annotations:\n', '  annotations:\n    pagerduty.com/service-id: PQ1\n'));
    s = scoreNow();
    assert.equal(s.level, 'Gold');
    writeFileSync(catalogFile, text);
    putFile(index, 'file:///org/org.yaml', ...ORG);
  });

  it('a dependency on a database needs the encryption annotation', () => {
    const text = readFileSync(catalogFile, 'utf8');
    writeFileSync(catalogFile, `${text.trimEnd()}\n  dependsOn:\n    - resource:payments-db\n`);
    const s = scoreNow();
    assert.equal(s.results.find((r) => r.rule === 'encryption-at-rest')!.outcome, 'fail');
    assert.equal(s.level, 'Silver');
    writeFileSync(catalogFile, text);
  });
});
