/**
 * The demo is ready for scorecards (demo/README.md): its services stand at Gold, Silver and Bronze on the
 * built-in golden path, payments-service is "Silver · 2 checks to Gold", and product-search is one PagerDuty
 * annotation away from Silver (what the e2e scenario `scorecards` fixes through the webview).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { CatalogIndex } from '../../server/src/catalog/catalogIndex';
import { DEFAULT_POLICIES } from '../../server/src/catalog/policies';
import { loadScorecards } from '../../server/src/scorecards/definitions';
import { RepositoryFacts } from '../../server/src/scorecards/facts';
import { Scorer } from '../../server/src/scorecards/score';
import { placementsOfText } from '../../server/src/sources/fileRecords';

const DEMO = join(__dirname, '../../demo');

/** The demo's catalog files (not broken/, not the store), with one file's text replaced when asked. */
function scorer(edit?: { file: string; text: (t: string) => string }): Scorer {
  const index = new CatalogIndex();
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((n) => {
      const p = join(dir, n);
      if (n.startsWith('.') || n === 'broken' || n === 'store') return [];
      return statSync(p).isDirectory() ? walk(p) : /(^|\.)catalog-info\.yaml$|^org\.yaml$/.test(n) ? [p] : [];
    });
  for (const f of walk(DEMO)) {
    const uri = pathToFileURL(f).href;
    const text = readFileSync(f, 'utf8');
    index.update(uri, { kind: 'file', uri }, placementsOfText(edit && f === join(DEMO, edit.file) ? edit.text(text) : text, DEFAULT_POLICIES));
  }
  const { scorecards, problems } = loadScorecards([]);
  assert.deepEqual(problems, []);
  return new Scorer(index, new RepositoryFacts(), scorecards);
}

const golden = (s: Scorer, name: string) => {
  const score = s.score(`component:default/${name}`).find((x) => x.scorecard === 'golden-path');
  assert.ok(score, `${name} is scored by the golden path`);
  return score;
};
const failing = (s: ReturnType<typeof golden>) => s.results.filter((r) => r.outcome === 'fail').map((r) => r.rule);

describe('the demo on the golden path', () => {
  it('has services at Gold, Silver and Bronze', () => {
    const s = scorer();
    assert.equal(golden(s, 'ledger-worker').level, 'Gold', failing(golden(s, 'ledger-worker')).join(', '));
    const payments = golden(s, 'payments-service');
    assert.equal(payments.level, 'Silver');
    assert.deepEqual(payments.next, { level: 'Gold', failing: 2 });
    assert.deepEqual(failing(payments).sort(), ['ci-sast', 'dockerfile-non-root']);
    for (const name of ['fraud-scorer', 'legacy-cart', 'release-bot']) assert.equal(golden(s, name).level, 'Bronze', name);
  });

  it('takes product-search from Bronze to Silver with the PagerDuty annotation alone', () => {
    const before = golden(scorer(), 'product-search');
    assert.equal(before.level, 'Bronze');
    assert.deepEqual(before.next, { level: 'Silver', failing: 1 });
    const onCall = before.results.find((r) => r.rule === 'on-call');
    assert.equal(onCall?.outcome, 'fail');
    assert.deepEqual(onCall?.fix, { quickFix: 'add-annotation:pagerduty.com/service-id' });
    const after = golden(
      scorer({ file: 'product-search/catalog-info.yaml', text: (t) => t.replace('  annotations:\n', '  annotations:\n    pagerduty.com/service-id: PSRCH01\n') }),
      'product-search',
    );
    assert.equal(after.level, 'Silver');
    assert.ok(after.score > before.score);
  });
});
