#!/usr/bin/env node
// The GitHub source's benchmark (issue 10), against the local GitHub peer (test/peers/github) on 127.0.0.1:
//   1. `paved-road ingest --from github:bench` (dist/cli.js, run `node esbuild.mjs` first) of a generated
//      organisation of 5,000 repositories: GraphQL requests (target: at most ceil(5000/25) + 10), REST
//      reads, rate-limit points, time;
//   2. the source in this process: a full read, then an unchanged refresh (target: 1 small query), then a
//      refresh after 3 pushes.
// The peer runs in this process and validates every query against GitHub's schema, so the times include
// its work (an upper bound for the client's). Run with tsx (the peer is TypeScript):
//   node --import tsx bench/github.mjs [--repos 5000] [--write]
// --write records the results in bench/RESULTS.md (section "github").
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { log, writeSection } from './measure.mjs';
import { generateOrg, push } from '../test/peers/github/fixtures.ts';
import { GithubPeer } from '../test/peers/github/peer.ts';
import { GithubSource } from '../server/src/sources/githubSource.ts';

const here = new URL('.', import.meta.url).pathname;
const CLI = join(here, '..', 'dist', 'cli.js');
const i = process.argv.indexOf('--repos');
const REPOS = i === -1 ? 5000 : Number(process.argv[i + 1]);
const LIMIT = Math.ceil(REPOS / 25) + 10;

/** Runs the CLI as a user would, without blocking this process (the peer answers it). */
function ingest(base, out, token) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(process.execPath, [CLI, 'ingest', '--from', 'github:bench', '--github-url', `${base}/graphql`, '--token-env', 'BENCH_GITHUB_TOKEN', '--out', out], { env: { PATH: process.env.PATH, BENCH_GITHUB_TOKEN: token } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => p.kill(), 600_000);
    p.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`ingest failed (${code}): ${stderr}`));
      else resolve({ ms: performance.now() - t0, stdout });
    });
  });
}

const org = generateOrg('bench', { repos: REPOS, specials: true });
const peer = new GithubPeer([org]);
peer.limit = peer.remaining = 1_000_000;
const base = await peer.start();
const work = mkdtempSync(join(tmpdir(), 'paved-road-bench-github-'));
const results = { when: new Date().toISOString(), loadBefore: loadavg()[0] };
try {
  log(`ingest of ${REPOS} repositories through the CLI…`);
  const out = join(work, 'store.json');
  const cli = await ingest(base, out, peer.token);
  const graphql = peer.graphqlRequests();
  results.cli = {
    ms: cli.ms,
    graphql: graphql.length,
    rest: peer.requests.filter((r) => r.kind === 'rest').length,
    points: graphql.reduce((n, r) => n + (r.cost ?? 0), 0),
    invalid: graphql.filter((r) => r.invalid).length,
    entities: JSON.parse(readFileSync(out, 'utf8')).entities.length,
    summary: cli.stdout.split('\n').find((l) => l.includes('/bench: ')).trim(),
  };
  log('the source in process: full read, unchanged refresh, refresh after 3 pushes…');
  const source = new GithubSource({ org: 'bench', url: `${base}/graphql`, token: () => peer.token });
  const signal = new AbortController().signal;
  const timed = async () => {
    peer.requests.length = 0;
    const t0 = performance.now();
    const r = await source.fetch(signal);
    return { ms: performance.now() - t0, graphql: peer.graphqlRequests().length, rest: peer.requests.filter((x) => x.kind === 'rest').length, points: r.usage.points, entities: r.entities.length };
  };
  results.full = await timed();
  results.unchanged = await timed();
  for (const [k, at] of [0.1, 0.5, 0.9].entries()) push(org, org.repos[Math.floor(REPOS * at)].name, REPOS + 10 + k);
  results.pushed = await timed();
  results.loadAfter = loadavg()[0];
} finally {
  await peer.stop();
  rmSync(work, { recursive: true, force: true });
}

const s = (ms) => (ms / 1000).toFixed(2);
const c = results.cli;
const lines = [
  `## The GitHub source (issue 10): ingest of a ${REPOS.toLocaleString('en')}-repository organisation, incremental refresh`,
  '',
  `Produced by \`node --import tsx bench/github.mjs\` on ${results.when}: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, load average ${results.loadBefore.toFixed(2)} before, ${results.loadAfter.toFixed(2)} after (the machine is shared: times are upper bounds). The organisation is generated (test/peers/github/fixtures.ts): ${REPOS.toLocaleString('en')} repositories, one archived and one fork (skipped), CODEOWNERS in each place, one catalog file above GitHub's 512,000-byte blob limit, one that is not YAML, one without a catalog file. The peer runs in the benchmark's process and validates every query against GitHub's published schema; its time is included.`,
  '',
  '| run | GraphQL requests | REST reads | rate-limit points | entities | time (s) |',
  '| --- | ---: | ---: | ---: | ---: | ---: |',
  `| \`paved-road ingest --from github:bench\` (CLI, pages of 25) | **${c.graphql}** | ${c.rest} | ${c.points} | ${c.entities.toLocaleString('en')} | ${s(c.ms)} |`,
  `| the source in process, as the server runs it: full read | ${results.full.graphql} | ${results.full.rest} | ${results.full.points} | ${results.full.entities.toLocaleString('en')} | ${s(results.full.ms)} |`,
  `| same, refresh with nothing pushed | **${results.unchanged.graphql}** | ${results.unchanged.rest} | ${results.unchanged.points} | ${results.unchanged.entities.toLocaleString('en')} | ${s(results.unchanged.ms)} |`,
  `| same, refresh after 3 repositories were pushed | ${results.pushed.graphql} | ${results.pushed.rest} | ${results.pushed.points} | ${results.pushed.entities.toLocaleString('en')} | ${s(results.pushed.ms)} |`,
  '',
  `CLI summary line: \`${c.summary}\`. Queries the peer rejected as invalid: ${c.invalid}.`,
  '',
  `Targets: at most ceil(${REPOS}/25) + 10 = ${LIMIT} GraphQL requests for the ingest — ${c.graphql <= LIMIT ? 'MET' : 'NOT MET'} (${c.graphql}); an unchanged refresh costs one query — ${results.unchanged.graphql === 1 ? 'MET' : 'NOT MET'} (${results.unchanged.graphql}).`,
];
process.stdout.write(`${lines.join('\n')}\n`);
if (process.argv.includes('--write')) writeSection(join(here, 'RESULTS.md'), 'github', lines.join('\n'));
