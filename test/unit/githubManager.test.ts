/**
 * The GitHub source in the SourceManager, as the editor runs it: from the setting, into the index, and
 * through a rate limit (the status says waitRateLimit and when) and a 401 (signIn) with the last good
 * entities kept. The token never reaches a log line, a status or the cache.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CatalogIndex } from '../../server/src/catalog/catalogIndex';
import { GithubSource } from '../../server/src/sources/githubSource';
import { SourceManager } from '../../server/src/sources/sourceManager';
import { configuredSources } from '../../server/src/sources/sourceSettings';
import { generateOrg } from '../peers/github/fixtures';
import { GithubPeer } from '../peers/github/peer';

/** Resolves when `cond` holds after a status change (`on` installs the callback), or fails after `ms`. */
function until(on: (f: () => void) => void, cond: () => boolean, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('timed out')), ms);
    const check = (): void => {
      if (!cond()) return;
      clearTimeout(t);
      resolve();
    };
    on(check);
    check();
  });
}

/** Every file under a folder, as text. */
function allText(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => readFileSync(join(d.parentPath, d.name), 'utf8'))
    .join('\n');
}

describe('github source in the SourceManager', () => {
  let peer: GithubPeer;
  let base: string;
  let dir: string;
  before(async () => {
    peer = new GithubPeer([generateOrg('acme', { repos: 12, specials: true })]);
    base = await peer.start();
    dir = mkdtempSync(join(tmpdir(), 'paved-road-github-'));
  });
  after(async () => {
    await peer.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is made from the setting, with its options and the token by its id', async () => {
    const asked: string[] = [];
    const [c] = configuredSources({ sources: [{ type: 'github', org: 'acme', url: `${base}/api/graphql`, catalogPath: '/catalog/info.yaml', includeForks: true, refreshMinutes: 5 }] }, undefined, (id) => (asked.push(id), 'x'));
    assert.ok(c.source instanceof GithubSource);
    assert.equal(c.source.id, `github:${new URL(base).host}/acme`);
    assert.equal(c.refreshMinutes, 5);
    const bad = configuredSources({ sources: [{ type: 'github' }, { type: 'github', org: 'acme', url: 'http://example.com/graphql' }] }, undefined);
    assert.equal(bad.length, 2);
    await Promise.all(bad.map((b) => assert.rejects(b.source.fetch(new AbortController().signal), (e: { nextStep: string; message: string }) => e.nextStep === 'fixSetting' && /org|https/.test(e.message))));
  });

  it('fills the index; a rate limit and a 401 leave the entities, with what to do next', async () => {
    const index = new CatalogIndex();
    const logs: string[] = [];
    const manager = new SourceManager({ index, storagePath: join(dir, 'storage'), log: (m) => logs.push(m), changed: () => undefined, attempts: 2, backoffMs: 1 });
    const source = new GithubSource({ org: 'acme', url: `${base}/graphql`, token: () => peer.token, maxWaitMs: 0 });
    await manager.configure([{ source, refreshMinutes: 0 }]);
    const [fresh] = await manager.refresh(source.id);
    assert.deepEqual([fresh.state, fresh.entities, fresh.quarantined], ['fresh', 8, 0]);
    assert.equal(index.first('component:default/svc-0002')?.record.refs.find((r) => r.field === 'owner')?.target, 'group:default/platform');

    peer.faults.push({ kind: 'secondaryRateLimit', times: 1, retryAfterSeconds: 120 });
    const [limited] = await manager.refresh(source.id);
    assert.equal(limited.state, 'stale');
    assert.equal(limited.nextStep, 'waitRateLimit');
    assert.ok(Date.parse(limited.retryAt!) > Date.now() + 100_000);
    assert.equal(limited.entities, 8);
    assert.equal(peer.faults.length, 0, 'not retried at once');

    peer.faults.push({ kind: '401', times: 5 });
    const [rejected] = await manager.refresh(source.id);
    assert.deepEqual([rejected.state, rejected.nextStep, rejected.entities, rejected.retryAt], ['stale', 'signIn', 8, undefined]);
    assert.match(rejected.error!, /rejected the token from the sign-in for github:127\.0\.0\.1:\d+\/acme \(401 Bad credentials\): set a valid one/);
    peer.faults.length = 0;
    manager.dispose();

    // A rate limit that resets soon: the manager refreshes by itself at retryAt, not before.
    const again = new SourceManager({ index, storagePath: join(dir, 'storage'), log: (m) => logs.push(m), changed: () => wake?.(), attempts: 1 });
    let wake: (() => void) | undefined;
    await again.configure([{ source, refreshMinutes: 0 }]);
    assert.equal((await again.refresh(source.id))[0].state, 'fresh', 'the refresh the configuration started');
    peer.faults.push({ kind: 'secondaryRateLimit', times: 1, retryAfterSeconds: 1 });
    const [short] = await again.refresh(source.id);
    assert.equal(short.nextStep, 'waitRateLimit');
    const requests = peer.requests.length;
    await until((f) => (wake = f), () => again.statuses()[0].state === 'fresh', 20_000);
    assert.ok(peer.requests.length > requests);
    assert.equal(again.statuses()[0].nextStep, undefined);
    again.dispose();

    const everything = [allText(dir), logs.join('\n'), JSON.stringify(manager.statuses())].join('\n');
    assert.ok(everything.includes('svc-0002'), 'the cache was written');
    assert.ok(!everything.includes(peer.token), 'the token is nowhere');
  });
});
