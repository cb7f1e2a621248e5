/**
 * `paved-road ingest --from github:ORG` (dist/cli.js, built by `npm test` first) against the GitHub peer:
 * the snapshot, the summary with requests and rate-limit points, and a missing or rejected token as one
 * line naming the variable, never the token.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateOrg } from '../peers/github/fixtures';
import { GithubPeer } from '../peers/github/peer';
import { runCli } from '../cli/runCli';

/** Runs the CLI with only these environment variables (and PATH). */
const run = (args: string[], env: Record<string, string>) => runCli(args, { env: { PATH: process.env.PATH ?? '', ...env }, timeoutMs: 60_000 });

describe('paved-road ingest --from github:ORG', () => {
  let peer: GithubPeer;
  let base: string;
  let dir: string;
  before(async () => {
    peer = new GithubPeer([generateOrg('acme', { repos: 30, specials: true })]);
    base = await peer.start();
    dir = mkdtempSync(join(tmpdir(), 'paved-road-gh-ingest-'));
  });
  after(async () => {
    await peer.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the organisation\'s snapshot and reports the requests and points', async () => {
    const out = join(dir, 'store.json');
    const r = await run(['ingest', '--from', 'github:acme', '--github-url', `${base}/api/graphql`, '--token-env', 'PEER_TOKEN', '--out', out], { PEER_TOKEN: peer.token });
    assert.equal(r.code, 0, r.stderr);
    const id = `github:${new URL(base).host}/acme`;
    assert.match(r.stdout, new RegExp(`${id.replace(/[.]/g, '\\.')}: 26 entities, 0 quarantined, 3 requests, 2 rate-limit points`));
    assert.match(r.stderr, /svc-0007: its entities are quarantined/);
    const snapshot = JSON.parse(readFileSync(out, 'utf8')) as { sources: { id: string; type: string }[]; entities: { source: string }[] };
    assert.deepEqual(snapshot.sources.map((s) => [s.id, s.type]), [[id, 'github']]);
    assert.equal(snapshot.entities.length, 26);
    for (const text of [r.stdout, r.stderr, readFileSync(out, 'utf8')]) assert.ok(!text.includes(peer.token));
  });

  it('a missing or rejected token: one line naming the variable, exit 1, never the token', async () => {
    const out = join(dir, 'none.json');
    const missing = await run(['ingest', '--from', 'github:acme', '--github-url', `${base}/graphql`, '--token-env', 'PEER_TOKEN', '--out', out], {});
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'paved-road: cannot read github:acme: no GitHub token: set one in the environment variable PEER_TOKEN\n');
    const wrong = 'ghp_wrong-token-4242';
    const rejected = await run(['ingest', '--from', 'github:acme', '--github-url', `${base}/graphql`, '--out', out], { GITHUB_TOKEN: wrong });
    assert.equal(rejected.code, 1);
    assert.match(rejected.stderr, /^paved-road: cannot read github:acme: GitHub at 127\.0\.0\.1:\d+ rejected the token from the environment variable GITHUB_TOKEN \(401 Bad credentials\): set a valid one\n$/);
    assert.ok(!rejected.stderr.includes(wrong) && !rejected.stdout.includes(wrong));
    assert.equal(existsSync(out), false);
  });

  it('refuses a plain-http GitHub URL that is not this machine', async () => {
    const r = await run(['ingest', '--from', 'github:acme', '--github-url', 'http://github.example.com/api/graphql', '--out', join(dir, 'x.json')], { GITHUB_TOKEN: 'x' });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--github-url http:\/\/github\.example\.com\/api\/graphql is not an https URL/);
  });
});
