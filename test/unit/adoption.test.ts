/** Adoption signals: recorded only while enabled, as JSON lines with their time; levels only when they change; the hooks never throw. */
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, existsSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { adoption, AdoptionRecorder, stepTitle } from '../../client/src/adoption';

const dir = mkdtempSync(join(tmpdir(), 'adoption-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
/** A recorder in a fresh (not yet created) storage folder, with a clock that ticks a minute per call. */
function recorder(on: { value: boolean } = { value: true }) {
  let t = Date.UTC(2026, 11, 3, 9, 0);
  const file = join(dir, `g${n++}`, 'signals.jsonl');
  return { file, on, r: new AdoptionRecorder(file, () => on.value, () => new Date((t += 60_000))) };
}

describe('adoption signals', () => {
  it('records nothing, not even the file, while disabled', () => {
    const { r, file } = recorder({ value: false });
    assert.equal(r.record({ type: 'find-entity-no-result', query: 'paymnts' }), false);
    assert.equal(r.level({ ref: 'component:default/a', scorecard: 'golden-path', level: 'Bronze', score: 40 }), false);
    assert.equal(existsSync(file), false);
    assert.deepEqual(r.read(), []);
    assert.equal(r.exportText().count, 0);
  });

  it('keeps each signal as one JSON line with its time, and stops the moment it is disabled', () => {
    const { r, file, on } = recorder();
    assert.ok(r.record({ type: 'find-entity-no-result', query: 'ledgr' }));
    assert.ok(r.record({ type: 'wizard-abandoned', wizard: 'scaffold', template: 'node-service', step: 4, of: 9, stepTitle: 'Owner' }));
    on.value = false; // the setting, or VS Code's telemetry, turned off
    assert.equal(r.record({ type: 'find-entity-no-result', query: 'after' }), false);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    assert.equal(lines.length, 2);
    assert.deepEqual(JSON.parse(lines[0]), { type: 'find-entity-no-result', query: 'ledgr', at: '2026-12-03T09:01:00.000Z' });
    assert.deepEqual(JSON.parse(lines[1]), { type: 'wizard-abandoned', wizard: 'scaffold', template: 'node-service', step: 4, of: 9, stepTitle: 'Owner', at: '2026-12-03T09:02:00.000Z' });
    // The export is the user's data: still there when recording is off.
    const out = r.exportText();
    assert.equal(out.count, 2);
    assert.equal(out.text, `${lines.join('\n')}\n`);
  });

  it('records a scorecard level only when the level or the score changed, also across restarts', () => {
    const { r, file } = recorder();
    const a = { ref: 'component:default/payments-service', scorecard: 'golden-path' };
    assert.ok(r.level({ ...a, level: 'Bronze', score: 55 }));
    assert.equal(r.level({ ...a, level: 'Bronze', score: 55 }), false, 'unchanged');
    assert.ok(r.level({ ref: 'component:default/ledger-worker', scorecard: 'golden-path', level: null, score: 10 }), 'another entity');
    assert.ok(r.level({ ...a, scorecard: 'security', level: 'Bronze', score: 55 }), 'another scorecard');
    assert.ok(r.level({ ...a, level: 'Silver', score: 75 }), 'up a level');
    // A new session (a restart) reads what was recorded last.
    const again = new AdoptionRecorder(file, () => true, () => new Date(Date.UTC(2026, 11, 4)));
    assert.equal(again.level({ ...a, level: 'Silver', score: 75 }), false);
    assert.equal(again.level({ ref: 'component:default/ledger-worker', scorecard: 'golden-path', level: null, score: 10 }), false);
    assert.ok(again.level({ ...a, level: 'Silver', score: 80 }), 'the score moved');
    const levels = again.read().filter((s) => s.type === 'scorecard-level').map((s) => (s.type === 'scorecard-level' ? `${s.ref.split('/')[1]} ${s.scorecard} ${s.level} ${s.score}` : ''));
    assert.deepEqual(levels, [
      'payments-service golden-path Bronze 55',
      'ledger-worker golden-path null 10',
      'payments-service security Bronze 55',
      'payments-service golden-path Silver 75',
      'payments-service golden-path Silver 80',
    ]);
  });

  it('skips a line cut short (a crash while writing) and goes on after it', () => {
    const { r, file } = recorder();
    r.record({ type: 'find-entity-no-result', query: 'one' });
    appendFileSync(file, '{"type":"find-entity-no-re');
    appendFileSync(file, '\n');
    r.record({ type: 'find-entity-no-result', query: 'two' });
    assert.deepEqual(r.read().map((s) => (s.type === 'find-entity-no-result' ? s.query : '')), ['one', 'two']);
  });

  it('the hooks are no-ops without a recorder and never throw when the storage cannot be written', () => {
    adoption.use(undefined);
    adoption.record({ type: 'find-entity-no-result', query: 'x' });
    const { r, file } = recorder();
    adoption.use(r);
    try {
      adoption.abandoned('scaffold', 'node-service', { title: 'Create from Template: Description (optional) (Step 3 of 9)', step: 3, total: 9 });
      const [s] = r.read();
      assert.deepEqual(s, { type: 'wizard-abandoned', wizard: 'scaffold', template: 'node-service', step: 3, of: 9, stepTitle: 'Description (optional)', at: s.at });
      if (process.getuid?.() !== 0) {
        chmodSync(file, 0o400);
        assert.doesNotThrow(() => adoption.record({ type: 'find-entity-no-result', query: 'read-only' }));
        chmodSync(file, 0o600);
      }
      rmSync(file);
      rmSync(join(file, '..'), { recursive: true });
      appendFileSync(join(file, '..', '..', 'blocker'), ''); // a file where the folder should be created
      const blocked = new AdoptionRecorder(join(file, '..', '..', 'blocker', 'x', 'signals.jsonl'), () => true);
      adoption.use(blocked);
      assert.doesNotThrow(() => adoption.record({ type: 'find-entity-no-result', query: 'no folder' }));
    } finally {
      adoption.use(undefined);
    }
  });

  it('names a step by its own title', () => {
    assert.equal(stepTitle('Create from Template: Owner (Step 4 of 9)'), 'Owner');
    assert.equal(stepTitle('Add to Service: Template (Step 2 of 7)'), 'Template');
    assert.equal(stepTitle('Preview'), 'Preview');
  });
});
