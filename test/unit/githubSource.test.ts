/**
 * The GitHub source against the local GitHub peer (test/peers/github, on 127.0.0.1), which checks every
 * query against GitHub's published schema: pages and their shrinking, incremental refresh, rate limits
 * (with an injected clock and wait: nothing sleeps), partial data, truncated blobs, 401, GitHub
 * Enterprise, archived repositories and forks, and one broken repository quarantining only its own.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { GithubSource, type GithubSourceOptions } from '../../server/src/sources/githubSource';
import { SourceError, type FetchResult, type StoreEntity } from '../../server/src/sources/source';
import { componentYaml, generateOrg, push, type FixtureOrg } from '../peers/github/fixtures';
import { GithubPeer } from '../peers/github/peer';

const nameOf = (e: StoreEntity): string => String((e.entity.metadata as { name: string }).name);
const byName = (r: FetchResult, name: string): StoreEntity | undefined => r.entities.find((e) => nameOf(e) === name);
const signal = (): AbortSignal => new AbortController().signal;

describe('github source', () => {
  let peer: GithubPeer;
  let base: string;
  let org: FixtureOrg;
  let waits: number[];

  const source = (o: Partial<GithubSourceOptions> = {}): GithubSource =>
    new GithubSource({
      org: 'acme',
      url: `${base}/graphql`,
      token: () => peer.token,
      wait: async (ms) => void waits.push(ms),
      ...o,
    });

  /** Every query the source sent was valid for GitHub's schema and rules. */
  const allValid = (): void => assert.deepEqual(peer.graphqlRequests().flatMap((r) => r.invalid ?? []), []);

  before(async () => {
    peer = new GithubPeer();
    base = await peer.start();
  });
  after(() => peer.stop());
  beforeEach(() => {
    org = generateOrg('acme', { repos: 40, specials: true });
    peer.orgs.set('acme', org);
    peer.faults.length = 0;
    peer.requests.length = 0;
    waits = [];
  });

  it('reads every repository in pages of 25, skipping archived repositories and forks', async () => {
    const r = await source().fetch(signal());
    allValid();
    // 40 repositories, one archived, one fork, one without a catalog file, one not YAML.
    assert.equal(r.entities.length, 36);
    assert.equal(byName(r, 'svc-0000'), undefined);
    assert.equal(byName(r, 'svc-0001'), undefined);
    const pages = peer.graphqlRequests();
    assert.deepEqual(pages.map((p) => p.variables?.first), [25, 25]);
    assert.ok(pages.every((p) => p.cost === 1));
    assert.deepEqual(r.usage, { requests: 3, points: 2 }, 'two pages and one REST read of the truncated file');
    assert.equal(r.judged, true);
    const ok = byName(r, 'svc-0020')!;
    assert.equal(ok.problems, undefined);
    assert.equal((ok.entity.metadata as { annotations: Record<string, string> }).annotations['backstage.io/managed-by-location'], 'url:https://github.example/acme/svc-0020/blob/main/catalog-info.yaml');
  });

  it('reads archived repositories and forks when configured', async () => {
    const r = await source({ includeArchived: true, includeForks: true }).fetch(signal());
    allValid();
    assert.ok(byName(r, 'svc-0000'));
    assert.ok(byName(r, 'svc-0001'));
    assert.ok(!peer.graphqlRequests()[0].query!.includes('isArchived: false'));
  });

  it('fills a missing owner from CODEOWNERS by GitHub\'s rules, and never overrides catalog-info.yaml', async () => {
    const r = await source().fetch(signal());
    const owner = (name: string): [string, string | undefined] => {
      const e = byName(r, name)!;
      return [(e.entity.spec as { owner: string }).owner, (e.entity.metadata as { annotations: Record<string, string> }).annotations['paved-road.dev/owner-source']];
    };
    assert.deepEqual(owner('svc-0002'), ['group:platform', 'CODEOWNERS (.github/CODEOWNERS)'], '.github/ first; its first owner');
    assert.deepEqual(owner('svc-0003'), ['user:alice', 'CODEOWNERS (CODEOWNERS)'], 'the root before docs/; the last * line');
    assert.deepEqual(owner('svc-0004'), ['group:docs-team', 'CODEOWNERS (docs/CODEOWNERS)']);
    assert.deepEqual(owner('svc-0005'), ['group:team-5', undefined], 'catalog-info.yaml wins');
    for (const n of ['svc-0002', 'svc-0003', 'svc-0004']) assert.equal(byName(r, n)!.problems, undefined, `${n} is valid once owned`);
  });

  it('never takes a truncated blob as complete: read whole through REST, or quarantined', async () => {
    const whole = await source().fetch(signal());
    const e = byName(whole, 'svc-0006')!;
    assert.equal(e.problems, undefined);
    assert.ok(String((e.entity.metadata as { description: string }).description).length > 600_000, 'the whole description, from REST');
    assert.ok(peer.requests.some((r) => r.kind === 'rest' && r.path === '/repos/acme/svc-0006/contents/catalog-info.yaml'));

    peer.faults.push({ kind: 'restDown', times: 1 });
    const cut = await source().fetch(signal());
    const q = byName(cut, 'svc-0006')!;
    assert.equal(q.problems?.[0].code, 'github-repository-unreadable');
    assert.match(q.problems![0].message, /cut short by GitHub's GraphQL API, and the REST contents API answered 500/);
    assert.equal(byName(cut, 'svc-0020')!.problems, undefined, 'the others are untouched');

    // Above the editor's 5 MB limit for a catalog file: not fetched whole, quarantined.
    org.repos[21].files.set('catalog-info.yaml', componentYaml('svc-0021', 'group:a', ` ${'y'.repeat(6 * 1024 * 1024)}`));
    peer.requests.length = 0;
    const huge = await source().fetch(signal());
    assert.match(byName(huge, 'svc-0021')!.problems![0].message, /above the 5 MB limit of a catalog file/);
    assert.ok(!peer.requests.some((r) => r.path.includes('svc-0021')));
  });

  it('a broken repository quarantines its own entities (kept from the last good read), not the organisation', async () => {
    const s = source();
    await s.fetch(signal());
    org.repos[20].files.set('catalog-info.yaml', 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: [svc-0020\n');
    push(org, 'svc-0020', 100);
    const r = await s.fetch(signal());
    allValid();
    const q = byName(r, 'svc-0020')!;
    assert.equal(q.problems?.[0].code, 'github-repository-unreadable');
    assert.match(q.problems![0].message, /^svc-0020: catalog-info.yaml line 4:/);
    assert.equal(r.entities.filter((e) => e.problems).length, 1);
    assert.ok(r.notes?.some((n) => n.startsWith('svc-0020: its entities are quarantined')));

    // A YAML error in one document of a file: the catalog rejects the whole file, so every entity of it.
    org.repos[21].files.set('catalog-info.yaml', `${componentYaml('svc-0021', 'group:a')}---\n${componentYaml('svc-0021-extra', 'group:a')}  owner: group:b\n`);
    push(org, 'svc-0021', 101);
    const two = await s.fetch(signal());
    const of21 = two.entities.filter((e) => nameOf(e).startsWith('svc-0021'));
    assert.deepEqual(of21.map((e) => [nameOf(e), e.problems?.[0].code]), [['svc-0021', 'github-repository-unreadable']], 'the valid document too');
    assert.match(of21[0].problems![0].message, /catalog-info\.yaml line 20: duplicate key 'owner'/);
  });

  it('an unchanged refresh costs one small query; a pushed repository is read again, the rest kept', async () => {
    const s = source();
    const first = await s.fetch(signal());
    peer.requests.length = 0;
    const same = await s.fetch(signal());
    assert.equal(peer.requests.length, 1);
    assert.match(peer.requests[0].query!, /PavedRoadProbe/);
    assert.deepEqual(peer.requests[0].variables, { org: 'acme', first: 1, after: null }, 'only the variables it declares');
    assert.deepEqual(same.usage, { requests: 1, points: 1 });
    assert.equal(same.entities.length, first.entities.length);

    push(org, 'svc-0010', 100);
    peer.requests.length = 0;
    const pushed = await s.fetch(signal());
    allValid();
    assert.equal(peer.graphqlRequests().length, 2, 'the probe and one page');
    assert.match(String((byName(pushed, 'svc-0010')!.entity.metadata as { description: string }).description), /^pushed at/);
    assert.equal(pushed.entities.length, first.entities.length);
    assert.ok(!peer.requests.some((r) => r.kind === 'rest'), 'the truncated file of an unpushed repository is not read again');
  });

  it('a new or removed repository makes a full read; a failed probe is retried later', async () => {
    const s = source();
    await s.fetch(signal());
    peer.faults.push({ kind: '502', times: 1 });
    await assert.rejects(s.fetch(signal()), (e: SourceError) => e.nextStep === 'retry' && /GitHub could not answer \(502/.test(e.message));
    org.repos.splice(30, 1);
    peer.requests.length = 0;
    const r = await s.fetch(signal());
    assert.equal(byName(r, 'svc-0030'), undefined);
    assert.equal(peer.graphqlRequests().length, 3, 'the probe and two pages');
  });

  it('halves the page on 502 and on RESOURCE_LIMITS_EXCEEDED', async () => {
    peer.faults.push({ kind: '502', whenFirstAbove: 12 }, { kind: 'resourceLimits', whenFirstAbove: 6 });
    const r = await source().fetch(signal());
    allValid();
    assert.equal(r.entities.length, 36);
    const sizes = peer.graphqlRequests().map((p) => p.variables?.first);
    assert.deepEqual(sizes.slice(0, 3), [25, 12, 6]);
    assert.ok(sizes.slice(2).every((n) => n === 6));
  });

  it('gives up when GitHub cannot answer one repository at a time', async () => {
    peer.faults.push({ kind: '502' });
    await assert.rejects(source().fetch(signal()), (e: SourceError) => e.nextStep === 'retry' && /even one repository/.test(e.message));
  });

  it('waits out a short secondary rate limit (retry-after) through the injected wait', async () => {
    peer.faults.push({ kind: 'secondaryRateLimit', times: 1, retryAfterSeconds: 2 });
    const r = await source({ now: () => 1_000_000 }).fetch(signal());
    assert.equal(r.entities.length, 36);
    assert.deepEqual(waits, [2000]);
  });

  it('a long rate limit fails the fetch with waitRateLimit and when to retry', async () => {
    peer.faults.push({ kind: 'secondaryRateLimit', times: 1, retryAfterSeconds: 600 });
    const now = Date.UTC(2026, 11, 3, 7, 0, 0);
    await assert.rejects(source({ now: () => now }).fetch(signal()), (e: SourceError) => e.nextStep === 'waitRateLimit' && e.retryAt === '2026-12-03T07:10:00.000Z');
    assert.deepEqual(waits, []);
  });

  it('honours the primary limit (RATE_LIMITED with x-ratelimit-reset) and a spent budget (rateLimit.remaining)', async () => {
    peer.faults.push({ kind: 'primaryRateLimit', times: 1, resetInSeconds: 3600 });
    await assert.rejects(source().fetch(signal()), (e: SourceError) => e.nextStep === 'waitRateLimit' && Date.parse(e.retryAt!) > Date.now() + 3_000_000);
    peer.remaining = 1;
    await assert.rejects(source().fetch(signal()), (e: SourceError) => e.nextStep === 'waitRateLimit' && e.retryAt === new Date(Math.ceil(Date.parse(peer.resetAt) / 1000) * 1000).toISOString());
    peer.remaining = 5000;
  });

  it('partial data confined to one repository quarantines it; anything else fails the fetch', async () => {
    const s = source();
    peer.faults.push({ kind: 'partial', repo: 'svc-0030', where: 'blob', times: 1 });
    const r = await s.fetch(signal());
    const q = byName(r, 'svc-0030');
    assert.equal(q, undefined, 'no entity known for it yet');
    assert.ok(r.notes?.some((n) => /^svc-0030: .*GitHub's answer for it has an error/.test(n)));
    assert.equal(r.entities.length, 35);
    // It may pass: the next refresh reads it again by name, though it was not pushed.
    peer.requests.length = 0;
    const again = await s.fetch(signal());
    allValid();
    assert.equal(byName(again, 'svc-0030')!.problems, undefined);
    assert.deepEqual(peer.graphqlRequests().map((q) => /query (\w+)/.exec(q.query!)![1]), ['PavedRoadProbe', 'PavedRoadRepositories', 'PavedRoadRepositoriesByName']);
    // Known before: kept, quarantined.
    push(org, 'svc-0030', 100);
    peer.faults.push({ kind: 'partial', repo: 'svc-0030', where: 'blob', times: 1 });
    const third = await s.fetch(signal());
    assert.match(byName(third, 'svc-0030')!.problems![0].message, /GitHub's answer for it has an error/);

    peer.faults.push({ kind: 'partial', repo: 'svc-0025', where: 'node', times: 1 });
    await assert.rejects(source().fetch(signal()), (e: SourceError) => e.nextStep === 'retry' && /partial data/.test(e.message));
  });

  it('401 asks to sign in and names where the token is set, never the token', async () => {
    peer.faults.push({ kind: '401', times: 1 });
    await assert.rejects(source({ tokenName: 'the environment variable GH_TOKEN' }).fetch(signal()), (e: SourceError) => {
      assert.equal(e.nextStep, 'signIn');
      assert.match(e.message, /rejected the token from the environment variable GH_TOKEN \(401 Bad credentials\)/);
      assert.ok(!e.message.includes(peer.token));
      return true;
    });
    await assert.rejects(source({ token: () => undefined }).fetch(signal()), (e: SourceError) => e.nextStep === 'signIn' && e.permanent && /no GitHub token/.test(e.message));
  });

  it('offline, no answer in time, or not GraphQL: the fetch fails, to be retried', async () => {
    peer.faults.push({ kind: 'hang', times: 1 });
    await assert.rejects(source({ timeoutMs: 300 }).fetch(signal()), (e: SourceError) => e.nextStep === 'retry' && /no answer within 0.3 s/.test(e.message));
    peer.faults.push({ kind: 'malformed', times: 1 });
    await assert.rejects(source().fetch(signal()), (e: SourceError) => e.nextStep === 'retry' && /without the organisation/.test(e.message));
    const closed = new GithubPeer();
    const gone = await closed.start();
    await closed.stop();
    await assert.rejects(source({ url: `${gone}/graphql` }).fetch(signal()), (e: SourceError) => e.nextStep === 'retry' && /cannot be reached \(ECONNREFUSED\)/.test(e.message));
  });

  it('an unknown organisation is a setting to fix', async () => {
    await assert.rejects(source({ org: 'nobody' }).fetch(signal()), (e: SourceError) => e.nextStep === 'fixSetting' && /nobody/.test(e.message));
  });

  it('GitHub Enterprise: GraphQL at /api/graphql, REST at /api/v3, the host in the id, rate limiting off', async () => {
    const s = source({ url: `${base}/api/graphql` });
    peer.rateLimitDisabled = true;
    assert.equal(s.id, `github:${new URL(base).host}/acme`);
    assert.equal(source({ url: undefined }).id, 'github:acme');
    const r = await s.fetch(signal());
    assert.equal(byName(r, 'svc-0006')!.problems, undefined);
    assert.ok(peer.graphqlRequests().every((q) => q.path === '/api/graphql'));
    assert.ok(peer.requests.some((q) => q.kind === 'rest' && q.path === '/api/v3/repos/acme/svc-0006/contents/catalog-info.yaml'));
    assert.deepEqual(r.usage, { requests: 3, points: 0 });
    peer.rateLimitDisabled = false;
  });
});
