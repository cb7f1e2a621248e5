/**
 * The GitHub peer itself holds queries to GitHub's rules, so the source's tests mean something: a query
 * that GitHub's schema rejects, a connection without first/last or above 100, and the cost formula.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { probeQuery, repositoriesByNameQuery, repositoriesQuery } from '../../server/src/sources/githubQueries';
import { generateOrg } from '../peers/github/fixtures';
import { GithubPeer } from '../peers/github/peer';

describe('GitHub peer', () => {
  let peer: GithubPeer;
  let base: string;
  const post = async (query: string, variables: Record<string, unknown> = {}, token = peer.token): Promise<{ status: number; body: { data?: unknown; errors?: { message: string }[] } }> => {
    const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { authorization: `bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    return { status: res.status, body: (await res.json()) as { errors?: { message: string }[] } };
  };

  before(async () => {
    peer = new GithubPeer([generateOrg('acme', { repos: 3 })]);
    base = await peer.start();
  });
  after(() => peer.stop());

  it('accepts the source\'s queries, every variant, at cost 1', async () => {
    const vars = { org: 'acme', catalog: 'HEAD:catalog-info.yaml', after: null };
    for (const [query, v] of [
      [repositoriesQuery({ includeArchived: false, includeForks: false }), { ...vars, first: 25 }],
      [repositoriesQuery({ includeArchived: true, includeForks: true }), { ...vars, first: 100 }],
      [probeQuery({ includeArchived: false, includeForks: true }), { org: 'acme', first: 1, after: null }],
      [repositoriesByNameQuery(2), { org: 'acme', catalog: 'HEAD:catalog-info.yaml', r0: 'svc-0001', r1: 'nope' }],
    ] as const) {
      const r = await post(query, v);
      assert.equal(r.body.errors, undefined, query);
      assert.equal((r.body.data as { rateLimit: { cost: number } }).rateLimit.cost, 1);
    }
  });

  it('rejects what GitHub\'s schema rejects', async () => {
    const r = await post('query { organization(login: "acme") { repositories(first: 1) { nodes { name catalog: object(expression: "HEAD:x") { text } } } } }');
    assert.match(r.body.errors![0].message, /Cannot query field "text" on type "GitObject"/);
    assert.equal(r.body.data, undefined);
    assert.ok(peer.requests.at(-1)!.invalid?.length);
  });

  it('requires first or last, 1 to 100, on every connection, and counts nested connections in the cost', async () => {
    assert.match((await post('query { organization(login: "acme") { repositories { totalCount } } }')).body.errors![0].message, /must provide a `first` or `last`/);
    assert.match((await post('query($n: Int!) { organization(login: "acme") { repositories(first: $n) { totalCount } } }', { n: 101 })).body.errors![0].message, /exceeds the `first` limit of 100/);
    // (The peer resolves only what the source asks; the cost is computed before execution.)
    await post('query { organization(login: "acme") { repositories(first: 100) { nodes { repositoryTopics(first: 50) { totalCount } } } } }');
    assert.equal(peer.requests.at(-1)!.cost, 1, '1 + 100 requests, over 100, rounded');
    await post('query { organization(login: "acme") { repositories(first: 100) { nodes { issues(first: 100) { nodes { labels(first: 10) { totalCount } } } } } } }');
    assert.equal(peer.requests.at(-1)!.cost, 101, "GitHub's example: 1 + 100 + 10,000 requests");
  });

  it('answers 401 without the right token', async () => {
    const r = await post('query { viewer { login } }', {}, 'wrong');
    assert.equal(r.status, 401);
  });
});
