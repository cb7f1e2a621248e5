/** The live sources' settings and tokens: the backstage entries of pavedRoad.catalog.sources, the in-memory tokens. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BackstageSource } from '../../server/src/sources/backstageSource';
import { configuredSources } from '../../server/src/sources/sourceSettings';
import { onTokensChanged, redactTokens, setToken, setTokens, tokenFor } from '../../server/src/sources/tokens';

describe('backstage sources from the settings', () => {
  it('takes the entry url, else pavedRoad.catalog.backstageUrl; the id is the URL without credentials', () => {
    const [a, b] = configuredSources({ backstageUrl: 'https://backstage.example.com/', sources: [{ type: 'backstage', url: 'https://bot:pw@catalog.example.com/portal/', label: 'Portal', refreshMinutes: 5 }, { type: 'backstage' }] }, '/ws');
    assert.ok(a.source instanceof BackstageSource && b.source instanceof BackstageSource);
    assert.deepEqual([a.source.id, a.source.label, a.refreshMinutes], ['backstage:https://catalog.example.com/portal', 'Portal', 5]);
    assert.deepEqual([b.source.id, b.source.label], ['backstage:https://backstage.example.com', 'https://backstage.example.com']);
    assert.ok(!JSON.stringify(a.source.url).includes('pw'));
  });
  it('refuses what cannot work with a message saying what to fix', async () => {
    const [none, plain] = configuredSources({ sources: [{ type: 'backstage' }, { type: 'backstage', url: 'http://backstage.example.com' }] }, '/ws');
    for (const s of [none, plain]) {
      await assert.rejects(s.source.fetch(new AbortController().signal), (e: Error & { nextStep?: string }) => e.nextStep === 'fixSetting');
    }
    await assert.rejects(none.source.fetch(new AbortController().signal), /needs a url/);
    await assert.rejects(plain.source.fetch(new AbortController().signal), /not an https URL/);
    const [local] = configuredSources({ sources: [{ type: 'backstage', url: 'http://127.0.0.1:7007' }] }, '/ws');
    assert.ok(local.source instanceof BackstageSource);
  });
});

describe('tokens', () => {
  it('are held by source id, tell which ids changed, and are redacted from text', () => {
    const seen: string[][] = [];
    const off = onTokensChanged((ids) => seen.push(ids.sort()));
    try {
      assert.deepEqual(setTokens({ 'backstage:https://a': 'token-aaaa', 'github:org': 'token-bbbb' }).sort(), ['backstage:https://a', 'github:org']);
      assert.equal(tokenFor('backstage:https://a'), 'token-aaaa');
      assert.deepEqual(setTokens({ 'backstage:https://a': 'token-aaaa', 'github:org': 'token-cccc' }), ['github:org']);
      assert.deepEqual(setTokens({ 'backstage:https://a': 'token-aaaa', 'github:org': 'token-cccc' }), [], 'the same tokens again change nothing');
      assert.equal(redactTokens('Bearer token-aaaa and token-cccc'), 'Bearer … and …');
      setToken('github:org', undefined);
      assert.equal(tokenFor('github:org'), undefined);
      assert.deepEqual(setTokens({ 'backstage:https://a': '' }), ['backstage:https://a'], 'an empty token is none');
      assert.equal(tokenFor('backstage:https://a'), undefined);
      assert.deepEqual(seen, [['backstage:https://a', 'github:org'], ['github:org'], ['github:org'], ['backstage:https://a']]);
    } finally {
      off();
      setTokens({});
    }
  });
});
