import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFromPage, PAGES } from '../../../client/src/webviews/messages';

test('the page messages the host understands, checked field by field', () => {
  assert.deepEqual(parseFromPage({ type: 'ready' }), { type: 'ready' });
  assert.deepEqual(parseFromPage({ type: 'fix', ref: 'component:default/a', scorecard: 'golden-path', rule: 'on-call', extra: 1 }), { type: 'fix', ref: 'component:default/a', scorecard: 'golden-path', rule: 'on-call' });
  assert.deepEqual(parseFromPage({ type: 'showScorecard', ref: 'component:default/a' }), { type: 'showScorecard', ref: 'component:default/a' });
  assert.deepEqual(parseFromPage({ type: 'ask', expression: 'below-level:Silver' }), { type: 'ask', expression: 'below-level:Silver' });
  assert.deepEqual(parseFromPage({ type: 'export', expression: 'coverage', format: 'markdown' }), { type: 'export', expression: 'coverage', format: 'markdown' });
});

test('anything else is refused', () => {
  for (const m of [
    null,
    'ready',
    { type: 'eval', code: '1' },
    { type: 'fix', ref: 'component:default/a', rule: 'x' },
    { type: 'fix', ref: 1, scorecard: 's', rule: 'x' },
    { type: 'openEntity', ref: '' },
    { type: 'export', expression: 'coverage', format: 'html' },
    { type: 'ask', expression: 'x'.repeat(10_001) },
  ]) assert.equal(parseFromPage(m), undefined, JSON.stringify(m)?.slice(0, 60));
});

test('each page has its bundle entry in esbuild.mjs', async () => {
  const { readFileSync } = await import('node:fs');
  const build = readFileSync(new URL('../../../esbuild.mjs', import.meta.url), 'utf8');
  for (const p of PAGES) assert.match(build, new RegExp(`'${p}'`));
});
