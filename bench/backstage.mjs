#!/usr/bin/env node
// The Backstage source at size: a real Backstage catalog backend (test/peers/backstage) ingests N generated
// entities (default 10,000), then Paved Road fetches and indexes them through BackstageSource and the
// SourceManager (by-query pages, the editor's verdict on every entity, the index), in a fresh process
// of its own, timed, with its peak memory. Beside it: what the backend itself took to ingest them.
//
//   node bench/backstage.mjs                  run, print the report (Markdown)
//   node bench/backstage.mjs --write          ... and replace its section of bench/RESULTS.md
//   node bench/backstage.mjs --entities N     another size (default 10000)
//   node bench/backstage.mjs --page-size P    entities per request (default: BackstageSource's, 500)
//   node bench/backstage.mjs --rounds R       measured refreshes (default 3), each in a fresh process
//
// Only the backend and the measuring processes started here are signalled, by PID. Nothing leaves 127.0.0.1.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { gitRevision, loadServerModules, log, options, stats, writeSection } from './measure.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const { flag, opt } = options();
const TOKEN = 'bench-token-7d3e1a';

// ---------------------------------------------------------------- the measuring process
if (flag('--measure')) {
  const { CatalogIndex, BackstageSource, SourceManager, setToken } = await loadServerModules([
    "export { CatalogIndex } from './server/src/catalog/catalogIndex';",
    "export { BackstageSource } from './server/src/sources/backstageSource';",
    "export { SourceManager } from './server/src/sources/sourceManager';",
    "export { setToken } from './server/src/sources/tokens';",
  ]);
  const pageSize = Number(opt('--page-size', '0')) || undefined;
  const rssBefore = process.memoryUsage().rss;
  let lastPage = 0;
  const source = new BackstageSource(opt('--measure', ''), 'bench', { pageSize, onPage: () => void (lastPage = performance.now()) });
  setToken(source.id, TOKEN);
  const index = new CatalogIndex();
  const manager = new SourceManager({ index, log: () => undefined, changed: () => undefined, attempts: 1 });
  const t0 = performance.now();
  await manager.configure([{ source, refreshMinutes: 0 }]);
  const [status] = await manager.refresh(source.id);
  const t1 = performance.now();
  manager.dispose();
  const out = { totalMs: t1 - t0, fetchMs: lastPage - t0, judgeIndexMs: t1 - lastPage, requests: source.requests, state: status.state, error: status.error, entities: status.entities, quarantined: status.quarantined, indexSize: index.size, rssBeforeMiB: rssBefore / 2 ** 20, maxRssMiB: process.resourceUsage().maxRSS / 1024 };
  process.stdout.write(`${JSON.stringify(out)}\n`);
  process.exit(0);
}

// ---------------------------------------------------------------- the run
const ENTITIES = Number(opt('--entities', '10000'));
const ROUNDS = Number(opt('--rounds', '3'));
const PAGE = opt('--page-size', '');

/** VmHWM of a process, in MiB (its peak resident memory so far). */
function peakMiB(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

log(`starting Backstage with ${ENTITIES} generated entities (this takes minutes at 10,000)`);
const { startBackstage } = await tsImport('../test/peers/backstage/peer.ts', import.meta.url);
const ready = await startBackstage({ token: TOKEN, generate: ENTITIES, expect: ENTITIES, timeoutMs: 1_500_000, intervalSeconds: 7200 });
const backendPeakAtReady = peakMiB(ready.pid);
log(`Backstage ready in ${(ready.readyMs / 1000).toFixed(1)} s with ${ready.entities} entities, peak RSS ${backendPeakAtReady.toFixed(0)} MiB`);

const runs = [];
try {
  for (let i = 0; i < ROUNDS; i++) {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--measure', ready.url, ...(PAGE ? ['--page-size', PAGE] : [])], { encoding: 'utf8', timeout: 600_000 });
    if (r.status !== 0) throw new Error(`measuring run failed: ${r.stderr}`);
    const run = JSON.parse(r.stdout.trim().split('\n').pop());
    if (run.state !== 'fresh') throw new Error(`the refresh failed: ${run.error}`);
    log(`round ${i + 1}: ${run.entities} entities in ${run.totalMs.toFixed(0)} ms (fetch ${run.fetchMs.toFixed(0)} ms, ${run.requests} requests), peak RSS ${run.maxRssMiB.toFixed(0)} MiB`);
    runs.push(run);
  }
} finally {
  await ready.stop();
}

const med = (k) => stats(runs.map((r) => r[k])).p50;
const report = `## Backstage source: ${ready.entities.toLocaleString('en-US')} entities from a real Backstage

Written by \`node bench/backstage.mjs --write\` on ${new Date().toISOString()} (git ${gitRevision(['server/'])}); ${cpus().length} cores (${cpus()[0]?.model.trim()}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, a machine shared with other work.

The backend is the real Backstage catalog (test/peers/backstage: backend-defaults 0.19.0, plugin-catalog-backend 4.0.5, in-memory SQLite) with ${ENTITIES.toLocaleString('en-US')} generated entities in files of 50 (\`fixtures.mjs\`) and 3 more of the custom kind \`Environment\` (which Paved Road quarantines), and a static token. Each round is a fresh Node process that runs what the editor's server runs for a Backstage source: \`SourceManager.refresh\` over \`BackstageSource\` (by-query pages with \`fields\` trimming and the bearer token, the editor's verdict on every entity, \`CatalogIndex.update\`). Median of ${ROUNDS} rounds.

| what | measured |
| --- | ---: |
| Backstage's own ingest (launch → every location processed, settled) | ${(ready.readyMs / 1000).toFixed(1)} s |
| Backstage's peak RSS at that point | ${backendPeakAtReady.toFixed(0)} MiB |
| Paved Road: fetch, all pages (${runs[0].requests} requests${PAGE ? ` of ${PAGE}` : ' of 500'}) | ${(med('fetchMs') / 1000).toFixed(2)} s |
| Paved Road: judge every entity and index them | ${(med('judgeIndexMs') / 1000).toFixed(2)} s |
| Paved Road: the whole refresh | ${(med('totalMs') / 1000).toFixed(2)} s |
| Paved Road: peak RSS of the process (idle after loading the bundle: ${med('rssBeforeMiB').toFixed(0)} MiB) | ${med('maxRssMiB').toFixed(0)} MiB |
| entities indexed (quarantined) | ${runs[0].indexSize.toLocaleString('en-US')} (${runs[0].quarantined}) |

Rounds (total ms / fetch ms / peak MiB): ${runs.map((r) => `${r.totalMs.toFixed(0)} / ${r.fetchMs.toFixed(0)} / ${r.maxRssMiB.toFixed(0)}`).join('; ')}.`;

process.stdout.write(`\n${report}\n`);
if (flag('--write')) {
  writeSection(join(root, 'bench/RESULTS.md'), 'backstage', report);
  log('bench/RESULTS.md: section "backstage" written');
}
