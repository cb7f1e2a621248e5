#!/usr/bin/env node
// Paved Road benchmark: our language server (dist/server.js) against yaml-language-server, in one run,
// over the same generated corpus (1, 50 and 2000 Backstage entities in one catalog-info.yaml).
//
//   npm run bench                       run everything, print the tables
//   node bench/run.mjs --write          ... and rewrite bench/RESULTS.md
//   node bench/run.mjs --only theirs    one server only (ours | theirs)
//   node bench/run.mjs --corpus 1,50    some corpus sizes only
//   node bench/run.mjs --quick          fewer samples (a smoke test, ~1 min)
//   node bench/run.mjs --cpu-prof       then one more session of our server per corpus under `node --cpu-prof`,
//                                       summarised in the report (the measured numbers are without it)
//   node bench/run.mjs --json FILE      also write the raw results as JSON
//   node bench/run.mjs --ours FILE      benchmark another build of our server (default dist/server.js)
//   node bench/run.mjs --ours-node-args "--max-semi-space-size=1"   node flags for our server (what-if runs)
//   node bench/run.mjs --wait-quiet S   before each case wait up to S s (default 10) for other load < 0.3 cores
//
// Every wait is bounded; only the server processes started here are ever signalled. No network:
// the servers talk to this process over stdio pipes and read the schema from a local file.
import { performance } from 'node:perf_hooks';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, existsSync, rmSync, readdirSync, statSync } from 'node:fs';
import { tmpdir, cpus, totalmem, release, availableParallelism } from 'node:os';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { LspClient, LspTimeout } from './lsp-client.mjs';
import { devServerBuild, gitRevision, hrUs, log, machineJiffies, nodeArgsFrom, options, sampled, sleep, stats, waitQuiet, writeKeeping } from './measure.mjs';
import { generateCorpus, WARMUP_INVALID } from './corpus.mjs';
import { SCHEMA_PATH, schemaText, CATALOG_MODEL_VERSION } from './build-schema.mjs';
import { CAPABILITIES, configSection, editorSettings, THEIRS_NODE } from './editor.mjs';
import { checkCorpus, INVALID_API_VERSION } from './check-corpus.mjs';
import { summariseProfile } from './prof-summary.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

// ---------------------------------------------------------------- options
const { argv, flag, opt } = options();
const QUICK = flag('--quick');
const WRITE = flag('--write');
const CPU_PROF = flag('--cpu-prof');
const ONLY = opt('--only', null);
const JSON_OUT = opt('--json', null);
const SIZES = opt('--corpus', '1,50,2000').split(',').map(Number);
// By default our server runs with the node flags the extension starts it with (package.json pavedRoad.serverNodeArgs).
const OURS_NODE_ARGS = nodeArgsFrom(opt('--ours-node-args', null));
const P = {
  // edits per corpus size (after the warm-up edits, which are not counted); even, so the file ends valid
  edits: { 1: QUICK ? 10 : 60, 50: QUICK ? 10 : 60, 2000: QUICK ? 6 : 40 },
  warmupEdits: QUICK ? 2 : 4,
  opens: QUICK ? 1 : 3,
  requests: QUICK ? 10 : 50, // completion / hover requests per position
  warmupRequests: 2,
  phaseBudgetMs: QUICK ? 15_000 : 40_000, // stop a request phase early once this is spent (min 10 samples)
  timeoutMs: 60_000, // any single wait
  gapMs: 50, // idle time after each edit's diagnostics before the next keystroke
  quietMs: Number(opt('--wait-quiet', QUICK ? '0' : '10')) * 1000, // wait up to this long for a quiet machine before each case
};
for (const [k, v] of Object.entries(P.edits)) if (v % 2) P.edits[k] = v + 1;

const SERVERS = {
  ours: {
    label: 'Paved Road (ours)',
    script: opt('--ours', join(root, 'dist', 'server.js')),
    args: ['--stdio'],
  },
  theirs: {
    label: 'yaml-language-server',
    script: join(root, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server'),
    args: ['--stdio'],
  },
};

/** server processes started by this run and not yet stopped: the only ones ever signalled */
const live = new Set();
function killLive() {
  for (const c of live) if (!c.exited) c.proc.kill('SIGKILL');
}
process.on('SIGINT', () => {
  killLive();
  process.exit(130);
});

// ---------------------------------------------------------------- machine load (noise check)
/** Starts a probe; stop(serverCpuMs) -> cores busy with work other than the server and this harness. */
function loadProbe() {
  const j0 = machineJiffies();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const load0 = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
  return (serverCpuMs) => {
    const j1 = machineJiffies();
    const c1 = process.cpuUsage(c0);
    const wallMs = performance.now() - t0;
    const busyMs = ((j1.busy - j0.busy) * 1000) / 100; // /proc/stat counts USER_HZ ticks
    const harnessMs = (c1.user + c1.system) / 1000;
    return {
      otherCores: Math.max(0, (busyMs - serverCpuMs - harnessMs) / wallMs),
      harnessCores: harnessMs / wallMs,
      loadavgAtStart: Number(load0),
    };
  };
}

/** an order-independent fingerprint of a diagnostics list */
function signature(diags) {
  return diags
    .map((d) => `${d.range.start.line}:${d.range.start.character}:${d.severity ?? ''}:${d.message}`)
    .sort()
    .join('\n');
}
/** stats of the samples that were not contended, plus how many were */
function cleanStats(samples, flags) {
  const clean = samples.filter((_, i) => !flags[i]);
  const st = stats(clean);
  return { contended: flags.filter(Boolean).length, p50: st.p50, p95: st.p95, n: st.n };
}

// ---------------------------------------------------------------- one server x one corpus
const CORPUS_DIR = { 1: 'one-entity', 50: 'fifty-entities', 2000: 'two-thousand-entities' };

/**
 * @param {'ours'|'theirs'} key
 * @param {{n: number, text: string, target: any}} corpus
 * @param {string} work workspace folder
 */
async function runCase(key, corpus, work, { profile = false } = {}) {
  const srv = SERVERS[key];
  const n = corpus.n;
  const res = { server: key, n, notes: [], windows: {} };
  const settings = editorSettings();
  const wsUri = pathToFileURL(work).href;
  let configRequests = 0;
  let lastConfigAt = 0;
  const nodeArgs = key === 'ours' ? [...OURS_NODE_ARGS] : [];
  let profDir = null;
  if (profile) {
    profDir = join(work, `.prof-${key}-${n}`);
    mkdirSync(profDir, { recursive: true });
    nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${profDir}`);
  }
  const client = new LspClient(`${key}/${n}`, key === 'theirs' ? THEIRS_NODE : process.execPath, [...nodeArgs, srv.script, ...srv.args], {
    cwd: root,
    stderrLog: join(work, `${key}-${n}.stderr.log`),
    onRequest(method, params) {
      switch (method) {
        case 'workspace/configuration':
          configRequests++;
          lastConfigAt = performance.now();
          return (params?.items ?? []).map((it) => configSection(settings, it.section));
        case 'workspace/workspaceFolders':
          return [{ uri: wsUri, name: 'bench' }];
        default: // client/registerCapability, window/workDoneProgress/create, ...
          return null;
      }
    },
  });
  res.pid = client.pid;
  live.add(client);
  const probe = loadProbe();
  const T = P.timeoutMs;
  const publishes = []; // {uri, version, count, t}
  client.on('textDocument/publishDiagnostics', (p, t) => publishes.push({ uri: p.uri, version: p.version, count: p.diagnostics.length, diagnostics: p.diagnostics, t }));

  try {
    // -- initialize
    const tSpawn = performance.now();
    const init = await client.request(
      'initialize',
      {
        processId: process.pid,
        clientInfo: { name: 'Visual Studio Code', version: '1.91.0' },
        locale: 'en',
        rootPath: work,
        rootUri: wsUri,
        workspaceFolders: [{ uri: wsUri, name: 'bench' }],
        capabilities: CAPABILITIES,
        trace: 'off',
      },
      T,
    );
    res.initializeMs = init.t1 - tSpawn;
    res.serverInfo = init.result?.serverInfo ?? null;
    const sync = init.result?.capabilities?.textDocumentSync;
    const syncKind = typeof sync === 'number' ? sync : (sync?.change ?? 0);
    res.syncKind = syncKind === 2 ? 'incremental' : syncKind === 1 ? 'full' : `none(${syncKind})`;
    const tInit = client.notify('initialized', {});
    client.notify('workspace/didChangeConfiguration', { settings });
    // Let a server that pulls its configuration finish doing so before the first document opens.
    for (;;) {
      await sleep(25);
      const now = performance.now();
      if (configRequests > 0 && now - lastConfigAt > 150) break;
      if (configRequests === 0 && now - tInit > 500) break;
      if (now - tInit > 5000) break;
    }

    // -- warm-up: a known-invalid document. Proves the schema/validation is active, and gives the
    //    cold "first document in a fresh server" time.
    const warmUri = pathToFileURL(join(work, 'warmup', 'catalog-info.yaml')).href;
    {
      const first = client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === warmUri, T, 'warm-up diagnostics');
      const t0 = performance.now();
      client.notify('textDocument/didOpen', { textDocument: { uri: warmUri, languageId: 'yaml', version: 1, text: WARMUP_INVALID } });
      let got = await first;
      res.coldOpenMs = got.t - t0;
      if (got.params.diagnostics.length === 0) {
        // A server may publish once before its configuration is applied; give it a moment.
        try {
          got = await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === warmUri && p.diagnostics.length > 0, 3000);
          res.notes.push('first warm-up publish was empty; schema diagnostics came later');
        } catch (e) {
          if (!(e instanceof LspTimeout)) throw e;
        }
      }
      res.warmupDiagnostics = got.params.diagnostics.map((d) => d.message);
      if (!res.warmupDiagnostics.length) throw new Error('no diagnostics for the known-invalid warm-up document: validation/schema not active');
      client.notify('textDocument/didClose', { textDocument: { uri: warmUri } });
      await sleep(100);
    }

    // -- open-to-diagnostics for the corpus document
    // Each open is of a document the server has not seen (a distinct uri): reopening the same uri at
    // version 1 lets a server answer from its parse cache (yaml-language-server does).
    const uri = pathToFileURL(join(work, CORPUS_DIR[n], 'catalog-info.yaml')).href;
    const openUris = [...Array.from({ length: P.opens - 1 }, (_, k) => pathToFileURL(join(work, CORPUS_DIR[n], `copy-${k}`, 'catalog-info.yaml')).href), uri];
    const opens = [];
    let baseline = null;
    for (const u of openUris) {
      const w = client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === u, T, 'open diagnostics');
      const t0 = performance.now();
      client.notify('textDocument/didOpen', { textDocument: { uri: u, languageId: 'yaml', version: 1, text: corpus.text } });
      const got = await w;
      opens.push(got.t - t0);
      baseline = got.params.diagnostics;
      if (u !== uri) {
        client.notify('textDocument/didClose', { textDocument: { uri: u } });
        await sleep(150);
      }
    }
    res.open = { first: opens[0], ...stats(opens), samples: opens };
    // Some servers publish again shortly after the first (e.g. a second validation pass); settle.
    await sleep(300);
    const lastPub = [...publishes].reverse().find((p) => p.uri === uri);
    res.baselineDiagnostics = lastPub ? lastPub.count : baseline.length;
    const baselineSig = signature(lastPub ? lastPub.diagnostics : baseline);
    if (res.baselineDiagnostics) {
      res.notes.push(`valid corpus has ${res.baselineDiagnostics} diagnostic(s), e.g. "${baseline[0]?.message}"`);
    }

    // -- edit-to-diagnostics: one character in the middle entity's apiVersion, invalid/valid alternately
    const lines = corpus.text.split('\n');
    const avLine = corpus.target.apiVersionLine;
    const avText = lines[avLine];
    if (avText !== 'apiVersion: backstage.io/v1alpha1') throw new Error(`unexpected target line: ${avText}`);
    const col = avText.length - 1; // the final '1'
    let version = 1;
    let text = corpus.text;
    const lineOffset = (ln) => {
      let off = 0;
      for (let i = 0; i < ln; i++) off = text.indexOf('\n', off) + 1;
      return off;
    };
    const avOffset = lineOffset(avLine) + col;
    const applyChange = (range, newText) => {
      const start = lineOffset(range.start.line) + range.start.character;
      const end = lineOffset(range.end.line) + range.end.character;
      text = text.slice(0, start) + newText + text.slice(end);
      return syncKind === 1 ? [{ text }] : [{ range, rangeLength: end - start, text: newText }];
    };
    /** sends one change; resolves with {ms, params} of the publish that answers it */
    const edit = async (range, newText, what) => {
      version++;
      const v = version;
      const w = client.waitFor(
        'textDocument/publishDiagnostics',
        (p) => p.uri === uri && (typeof p.version !== 'number' || p.version >= v),
        T,
        `${what} diagnostics (version ${v})`,
      );
      const changes = applyChange(range, newText);
      const t0 = performance.now();
      client.notify('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: changes });
      const got = await w;
      return { ms: got.t - t0, params: got.params, t0 };
    };
    const editSamples = [];
    const editContended = [];
    let correct = 0;
    let onLine = 0;
    let versioned = false;
    let publishesAfter = 0;
    const totalEdits = P.warmupEdits + P.edits[n];
    let cpu0 = 0;
    let cpuFine0 = 0;
    let traffic0 = {};
    let tEdits0 = 0;
    for (let i = 0; i < totalEdits; i++) {
      if (i === P.warmupEdits) {
        res.windows.edits = [hrUs()];
        traffic0 = structuredClone(Object.fromEntries(client.bytesIn));
        cpuFine0 = client.cpuMsFine();
        cpu0 = client.cpuMs();
        tEdits0 = performance.now();
      }
      const invalid = i % 2 === 0;
      const ch = invalid ? INVALID_API_VERSION.slice(-1) : '1';
      const r = await sampled(client, () =>
        edit({ start: { line: avLine, character: col }, end: { line: avLine, character: col + 1 } }, ch, invalid ? 'invalid-edit' : 'valid-edit'),
      );
      if (text[avOffset] !== ch) throw new Error('edit bookkeeping is off');
      const ds = r.params.diagnostics;
      versioned ||= typeof r.params.version === 'number';
      // Invalid: something is reported on the edited line. Valid: exactly the diagnostics of the
      // valid file again (by line, severity and message).
      const flagged = ds.some((d) => d.range.start.line <= avLine && d.range.end.line >= avLine);
      const ok = invalid ? flagged : signature(ds) === baselineSig;
      const pubsBefore = publishes.length;
      await sleep(P.gapMs);
      if (i >= P.warmupEdits) {
        editSamples.push(r.ms);
        editContended.push(r.contended);
        if (ok) correct++;
        if (invalid && flagged) onLine++;
        publishesAfter += publishes.slice(pubsBefore).filter((p) => p.uri === uri).length;
      }
    }
    const cpu1 = client.cpuMs();
    const cpuFine1 = client.cpuMsFine();
    res.windows.edits.push(hrUs());
    // server -> client messages during the measured edits, per edit
    res.trafficPerEdit = Object.fromEntries(
      [...client.bytesIn]
        .map(([m, v]) => [m, { messages: (v.messages - (traffic0[m]?.messages ?? 0)) / P.edits[n], bytes: (v.bytes - (traffic0[m]?.bytes ?? 0)) / P.edits[n] }])
        .filter(([, v]) => v.messages > 0),
    );
    const nEdits = P.edits[n];
    res.edit = {
      ...stats(editSamples),
      samples: editSamples,
      uncontended: cleanStats(editSamples, editContended),
      correct,
      invalidEditsFlaggedOnEditedLine: onLine,
      versionedPublishes: versioned,
      extraPublishesPerEdit: publishesAfter / nEdits,
      cpuMsPerEdit: (cpu1 - cpu0) / nEdits,
      cpuMsPerEditSchedstat: (cpuFine1 - cpuFine0) / nEdits,
      wallSeconds: (performance.now() - tEdits0) / 1000,
    };
    if (correct < nEdits) res.notes.push(`only ${correct}/${nEdits} edits produced the expected diagnostics change`);

    // -- completion at a value position: right after `lifecycle: ` in the middle entity
    const lcLine = corpus.target.lifecycleLine;
    if (!lines[lcLine].startsWith('  lifecycle: ')) throw new Error(`unexpected lifecycle line: ${lines[lcLine]}`);
    const reqPhase = async (method, params, check) => {
      const samples = [];
      const flags = [];
      let first = null;
      let items = null;
      const tPhase = performance.now();
      for (let i = 0; i < P.warmupRequests + P.requests; i++) {
        const r = await sampled(client, () => client.request(method, params, T));
        if (i === 0) {
          first = r.ms;
          items = check(r.result);
        }
        if (i >= P.warmupRequests) {
          samples.push(r.ms);
          flags.push(r.contended);
        }
        if (samples.length >= 10 && performance.now() - tPhase > P.phaseBudgetMs) break;
      }
      return { ...stats(samples), first, samples, uncontended: cleanStats(samples, flags), ...items };
    };
    const labels = (result) => {
      const list = Array.isArray(result) ? result : (result?.items ?? []);
      return list.map((it) => (typeof it.label === 'string' ? it.label : it.label?.label ?? ''));
    };
    const valueExpect = ['production', 'experimental', 'deprecated'];
    res.completionValue = await reqPhase(
      'textDocument/completion',
      { textDocument: { uri }, position: { line: lcLine, character: '  lifecycle: '.length }, context: { triggerKind: 1 } },
      (result) => {
        const l = labels(result);
        return { items: l.length, expectedFound: valueExpect.filter((x) => l.includes(x)), sample: l.slice(0, 8) };
      },
    );

    // -- hover on the `lifecycle` key
    res.hover = await reqPhase('textDocument/hover', { textDocument: { uri }, position: { line: lcLine, character: 4 } }, (result) => {
      const c = result?.contents;
      const s = typeof c === 'string' ? c : Array.isArray(c) ? c.map((x) => (typeof x === 'string' ? x : x.value)).join('\n') : (c?.value ?? '');
      return { chars: s.length, sample: s.slice(0, 120) };
    });

    // -- completion at a key position in spec: a new, indented empty line right under `spec:`
    const specLine = corpus.target.specLine;
    if (lines[specLine] !== 'spec:') throw new Error(`unexpected spec line: ${lines[specLine]}`);
    await edit({ start: { line: specLine + 1, character: 0 }, end: { line: specLine + 1, character: 0 } }, '  \n', 'blank-line');
    await sleep(P.gapMs);
    const keyExpect = ['subcomponentOf', 'dependsOn'];
    res.completionKey = await reqPhase(
      'textDocument/completion',
      { textDocument: { uri }, position: { line: specLine + 1, character: 2 }, context: { triggerKind: 1 } },
      (result) => {
        const l = labels(result);
        return { items: l.length, expectedFound: keyExpect.filter((x) => l.includes(x)), sample: l.slice(0, 8) };
      },
    );

    // -- memory and CPU of the whole session
    const mem = client.memory();
    res.peakRssMiB = mem.hwmKiB / 1024;
    res.rssMiB = mem.rssKiB / 1024;
    res.totalCpuMs = client.cpuMs();
    res.load = probe(res.totalCpuMs);
    if (res.load.otherCores > 0.25) {
      res.notes.push(`other processes kept ${res.load.otherCores.toFixed(2)} of the ${availableParallelism()} cores busy during this run: its timings are noisy`);
    }
    const kids = client.children();
    if (kids.length) res.notes.push(`server has child processes ${kids.join(',')} (not included in RSS/CPU)`);
    res.configRequests = configRequests;
    res.serverRequests = Object.fromEntries(client.serverRequests);
  } finally {
    await client.stop(5000);
    live.delete(client);
  }
  if (profDir) {
    // The main thread's profile (thread id 0 in the name); parse workers write their own.
    const files = readdirSync(profDir).filter((f) => /\.\d+\.0\.\d+\.cpuprofile$/.test(f));
    if (files.length) {
      res.cpuProfile = join(profDir, files[0]);
      const prof = JSON.parse(readFileSync(res.cpuProfile, 'utf8'));
      res.profileEdits = summariseProfile(prof, 12, res.windows.edits);
      res.profileSummary = summariseProfile(prof, 12);
    }
  }
  return res;
}

// ---------------------------------------------------------------- report
const f1 = (x) => (Number.isFinite(x) ? (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)) : '–');
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? a / b : NaN);
const fr = (r) => {
  if (!Number.isFinite(r)) return '–';
  if (r <= 0) return '0';
  const inv = 1 / r;
  return r < 1 ? `${r < 0.001 ? r.toExponential(1) : r.toFixed(3)} (1/${inv >= 10 ? inv.toFixed(0) : inv.toFixed(1)})` : `${r.toFixed(2)}`;
};

function corpusTable(n, ours, theirs) {
  const rows = [
    ['initialize (ms)', (r) => r.initializeMs],
    ['cold open, first document in a fresh server (ms)', (r) => r.coldOpenMs],
    ['open-to-diagnostics, median of opens (ms)', (r) => r.open?.p50],
    ['edit-to-diagnostics p50 (ms)', (r) => r.edit?.p50],
    ['edit-to-diagnostics p95 (ms)', (r) => r.edit?.p95],
    ['edit-to-diagnostics p50 without yaml-language-server\'s 200 ms debounce (ms)', (r) => (r.server === 'theirs' ? r.edit?.p50 - 200 : r.edit?.p50)],
    ['edit-to-diagnostics p95, samples not delayed by CPU contention (ms)', (r) => r.edit?.uncontended?.p95],
    ['CPU per edit, /proc/<pid>/stat utime+stime (ms)', (r) => r.edit?.cpuMsPerEdit],
    ['CPU per edit, Σ thread schedstat, ns resolution (ms)', (r) => r.edit?.cpuMsPerEditSchedstat],
    ['completion, value after `lifecycle: `, p50 (ms)', (r) => r.completionValue?.p50],
    ['completion, value after `lifecycle: `, p95 (ms)', (r) => r.completionValue?.p95],
    ['completion, key in `spec`, p50 (ms)', (r) => r.completionKey?.p50],
    ['completion, key in `spec`, p95 (ms)', (r) => r.completionKey?.p95],
    ['completion p95 (worse of value/key), samples not delayed by CPU contention (ms)', (r) => Math.max(r.completionValue?.uncontended?.p95, r.completionKey?.uncontended?.p95)],
    ['hover on `lifecycle`, p50 (ms)', (r) => r.hover?.p50],
    ['hover on `lifecycle`, p95 (ms)', (r) => r.hover?.p95],
    ['peak RSS, VmHWM (MiB)', (r) => r.peakRssMiB],
  ];
  const out = [];
  out.push(`| ${n} entit${n === 1 ? 'y' : 'ies'} | ours | yaml-language-server | ours/theirs |`);
  out.push('| --- | ---: | ---: | ---: |');
  for (const [label, get] of rows) {
    const a = ours && !ours.error ? get(ours) : NaN;
    const b = theirs && !theirs.error ? get(theirs) : NaN;
    out.push(`| ${label} | ${f1(a)} | ${f1(b)} | ${fr(ratio(a, b))} |`);
  }
  return out.join('\n');
}

function detailLines(r) {
  if (!r) return [];
  if (r.error) return [`- **${r.server}, ${ent(r.n)}: FAILED** — ${r.error}`];
  const L = [];
  L.push(
    `- **${r.server}, ${ent(r.n)}** (${r.serverInfo ? `${r.serverInfo.name} ${r.serverInfo.version ?? ''}`.trim() : 'no serverInfo'}; ` +
      `sync ${r.syncKind}; ${r.configRequests} workspace/configuration requests answered): ` +
      `warm-up doc flagged (${r.warmupDiagnostics.length} diagnostic(s), e.g. "${r.warmupDiagnostics[0].slice(0, 80)}"); ` +
      `valid corpus: ${r.baselineDiagnostics} diagnostic(s); ` +
      `edits answered with the expected diagnostics (invalid: one on the edited line; valid: the valid file's set again): ${r.edit.correct}/${r.edit.n}` +
      ` (invalid edits flagged on the edited line: ${r.edit.invalidEditsFlaggedOnEditedLine}/${r.edit.n / 2}); ` +
      `publishDiagnostics carries versions: ${r.edit.versionedPublishes ? 'yes' : 'no'}; ` +
      `samples delayed by CPU contention: edits ${r.edit.uncontended.contended}/${r.edit.n}, completion ${r.completionValue.uncontended.contended + r.completionKey.uncontended.contended}/${r.completionValue.n + r.completionKey.n}, hover ${r.hover.uncontended.contended}/${r.hover.n}; ` +
      `extra publishes per edit: ${r.edit.extraPublishesPerEdit.toFixed(2)}; ` +
      `completion items: value ${r.completionValue.items} (expected found: ${r.completionValue.expectedFound.join(', ') || 'none'}), ` +
      `key ${r.completionKey.items} (expected found: ${r.completionKey.expectedFound.join(', ') || 'none'}); ` +
      `hover ${r.hover.chars} chars; total CPU ${f1(r.totalCpuMs)} ms; ` +
      `server→client per edit: ${Object.entries(r.trafficPerEdit).map(([m, v]) => `${m} ${v.messages.toFixed(1)} msg / ${f1(v.bytes / 1024)} KiB`).join(', ')}; ` +
      `other load on the machine meanwhile ${r.load.otherCores.toFixed(2)} cores (loadavg at start ${r.load.loadavgAtStart}).`,
  );
  for (const note of r.notes) L.push(`  - note: ${note}`);
  return L;
}

function rawBlock(results) {
  const slim = results.map((r) => {
    if (r.error) return { server: r.server, n: r.n, error: r.error };
    const round = (a) => a.map((x) => Math.round(x * 100) / 100);
    return {
      server: r.server,
      n: r.n,
      initializeMs: round([r.initializeMs])[0],
      coldOpenMs: round([r.coldOpenMs])[0],
      openMs: round(r.open.samples),
      editMs: round(r.edit.samples),
      cpuMsPerEdit: round([r.edit.cpuMsPerEdit])[0],
      cpuMsPerEditSchedstat: round([r.edit.cpuMsPerEditSchedstat])[0],
      completionValueMs: round(r.completionValue.samples),
      completionKeyMs: round(r.completionKey.samples),
      hoverMs: round(r.hover.samples),
      peakRssMiB: round([r.peakRssMiB])[0],
      totalCpuMs: round([r.totalCpuMs])[0],
    };
  });
  return JSON.stringify(slim, null, 0).replace(/\},\{/g, '},\n{');
}

const ent = (n) => `${n} entit${n === 1 ? 'y' : 'ies'}`;

function targets(byKey, nodeFloorMiB) {
  const T = [];
  const get = (k, n) => byKey.get(`${k}/${n}`);
  const add = (name, a, b, limit, kind, detail = '') => {
    const v = kind === 'abs' ? a : ratio(a, b);
    const met = Number.isFinite(v) ? v <= limit : null;
    T.push({ name, value: v, limit, kind, met, detail });
  };
  for (const n of SIZES) {
    const o = get('ours', n);
    const t = get('theirs', n);
    if (!o || o.error) continue;
    if (n <= 50 && t && !t.error) {
      add(`${ent(n)}: edit-to-diagnostics p50, ours/theirs ≤ 1/5`, o.edit.p50, t.edit.p50, 0.2);
      add(`${ent(n)}: edit-to-diagnostics p95, ours/theirs ≤ 1/5`, o.edit.p95, t.edit.p95, 0.2);
    }
    if (n >= 2000 && t && !t.error) {
      add(`${ent(n)}: edit-to-diagnostics p50, ours/theirs ≤ 1/20`, o.edit.p50, t.edit.p50, 0.05);
      add(`${ent(n)}: edit-to-diagnostics p95, ours/theirs ≤ 1/20`, o.edit.p95, t.edit.p95, 0.05);
    }
    const cNote = (c) => (c.uncontended.contended ? ` (${c.uncontended.contended} of ${c.n} samples delayed by CPU contention; p95 without them ${f1(c.uncontended.p95)} ms)` : '');
    add(`${ent(n)}: our completion p95 (value) ≤ 10 ms`, o.completionValue.p95, null, 10, 'abs', cNote(o.completionValue));
    add(`${ent(n)}: our completion p95 (key) ≤ 10 ms`, o.completionKey.p95, null, 10, 'abs', cNote(o.completionKey));
    if (t && !t.error) {
      add(`${ent(n)}: peak RSS, ours/theirs ≤ 1/2`, o.peakRssMiB, t.peakRssMiB, 0.5, 'abs-rss',
        `; ours ${f1(o.peakRssMiB)} MiB, limit ${f1(t.peakRssMiB / 2)} MiB, an idle node process alone: ${f1(nodeFloorMiB)} MiB`);
    }
  }
  return T;
}

function machine() {
  const c = cpus();
  const git = gitRevision(['server', 'esbuild.mjs', 'package.json']);
  const ver = (p) => {
    try {
      return JSON.parse(readFileSync(join(root, p), 'utf8')).version;
    } catch {
      return 'unknown';
    }
  };
  // What an idle `node` process alone takes: the floor under any Node.js language server's RSS.
  let nodeFloorMiB = NaN;
  try {
    const script = "setTimeout(()=>{const s=require('fs').readFileSync('/proc/self/status','utf8');console.log(/VmHWM:\\s+(\\d+)/.exec(s)[1])},300)";
    nodeFloorMiB = Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 10_000 }).trim()) / 1024;
  } catch {
    /* leave NaN */
  }
  return {
    nodeFloorMiB,
    cpu: `${c[0]?.model ?? 'unknown'} × ${typeof availableParallelism === 'function' ? availableParallelism() : c.length}`,
    memGiB: (totalmem() / 2 ** 30).toFixed(1),
    kernel: release(),
    node: process.version,
    paved: ver('package.json'),
    yls: ver('node_modules/yaml-language-server/package.json'),
    theirsNode: execFileSync(THEIRS_NODE, ['-v'], { encoding: 'utf8', timeout: 10_000 }).trim(),
    catalogModel: CATALOG_MODEL_VERSION,
    git,
  };
}

function report(results, meta, profiles = []) {
  const byKey = new Map(results.map((r) => [`${r.server}/${r.n}`, r]));
  const out = [];
  out.push('# Benchmark: Paved Road language server vs yaml-language-server');
  out.push('');
  out.push(`Produced by \`${meta.command}\` on ${meta.date} (total ${meta.seconds.toFixed(0)} s). Rewritten by \`node bench/run.mjs --write\`.`);
  out.push('');
  const m = meta.machine;
  out.push(`- Machine: ${m.cpu} cores, ${m.memGiB} GiB RAM, Linux ${m.kernel}, Node ${m.node}. Both servers run one after the other (never at the same time) on the same machine. An idle \`node\` process alone peaks at ${f1(m.nodeFloorMiB)} MiB RSS here (the floor under any Node.js server's number).`);
  out.push(`- Ours: paved-road ${m.paved}, ${meta.ours} (snapshot taken at the start of the run), git ${m.git}${OURS_NODE_ARGS.length ? `, run with node ${OURS_NODE_ARGS.join(' ')}` : ''}.`);
  out.push(`- Theirs: yaml-language-server ${m.yls} (\`node_modules/yaml-language-server/bin/yaml-language-server --stdio\`, on Node ${m.theirsNode}: it needs 22.13 or later), configured as VS Code would for a Backstage user: ` +
    '`yaml.schemaStore.enable: false`, validate/hover/completion on, and `yaml.schemas` mapping `catalog-info.yaml`, `catalog-info.yml`, `*.catalog-info.yaml` to the local file ' +
    `\`bench/backstage-catalog-info.schema.json\` (draft-07, built by \`bench/build-schema.mjs\` from the JSON schemas in @backstage/catalog-model ${m.catalogModel}: Entity, EntityMeta, common and the 8 kinds of the default entity model, $refs resolved, root \`anyOf\` over the kinds). Settings are sent with workspace/didChangeConfiguration and every workspace/configuration request is answered.`);
  out.push(`- Corpus (\`bench/corpus.mjs\`, deterministic): ${meta.corpus.map((c) => `${c.n} entit${c.n === 1 ? 'y' : 'ies'} (${c.lines} lines, ${(c.bytes / 1024).toFixed(0)} KiB)`).join('; ')}, one file each, mixed kinds (Components with annotations/tags/links/spec, APIs with inline definitions, Groups, Users, Systems, Domains, Resources, Locations). Checked before the run: valid for the JSON Schema and for Backstage's own validators (\`bench/check-corpus.mjs\`). The 50- and 2000-entity files are self-contained catalogs (every reference resolves inside the file); the 1-entity file references a group, system and APIs that live elsewhere, as in a service repository: our server does not report them (no catalog store, no \`wholeCatalog\`).`);
  out.push(`- Method: fresh server process per server × corpus; initialize as VS Code 1.91 would; open a known-invalid warm-up document (proves validation with the schema is active; its time is the *cold open*), then the corpus text ${P.opens}× under distinct uris (so no parse cache helps) for open-to-diagnostics. ` +
    `Edits: ${P.warmupEdits} warm-up + N measured single-character incremental didChange edits of the middle entity's \`apiVersion\` (\`backstage.io/v1alpha1\` ↔ \`${INVALID_API_VERSION}\`, alternately invalid/valid, so the diagnostics must change), each timed from sending to the publishDiagnostics that answers it (matched on version when the server sends one, otherwise the next publish for the uri), then ${P.gapMs} ms idle. ` +
    `CPU per edit: utime+stime delta of the server process (/proc/<pid>/stat, 10 ms ticks) over the measured edits ÷ N, cross-checked with the sum of its threads' schedstat run times (ns resolution). Completion/hover: ${P.warmupRequests} warm-up + up to ${P.requests} sequential requests per position in the middle entity (value: right after \`lifecycle: \`; key: a new indented empty line under \`spec:\`; hover: the \`lifecycle\` key). Peak RSS: VmHWM of the server process at the end of its session. ` +
    `Noise: before each case the harness waits up to ${P.quietMs / 1000} s for other load on the machine to drop below 0.3 cores, and it records the load other processes put on the machine during each case (see the notes per run). ` +
    'yaml-language-server debounces validation by 200 ms (validationDelayMs), which is part of what a user waits for and is included. Only these requests are sent (VS Code would also ask for document symbols, folding ranges, links, code lenses on each edit, adding work for both).');
  out.push('');
  out.push('## Targets');
  out.push('');
  const T = targets(byKey, meta.machine.nodeFloorMiB);
  if (!T.length) out.push('No target could be checked (our server did not run).');
  for (const t of T) {
    const v = t.kind === 'abs' ? `${f1(t.value)} ms` : `ratio ${fr(t.value)} (limit ${fr(t.limit)})`;
    out.push(`- ${t.met === null ? '?' : t.met ? 'MET' : 'MISSED'} — ${t.name}: ${v}${t.detail}`);
  }
  out.push('');
  out.push('## Results');
  for (const n of SIZES) {
    out.push('');
    out.push(corpusTable(n, byKey.get(`ours/${n}`), byKey.get(`theirs/${n}`)));
    out.push('');
    out.push(
      `Samples: edits ${byKey.get(`ours/${n}`)?.edit?.n ?? byKey.get(`theirs/${n}`)?.edit?.n ?? '–'} per server, ` +
        `completion ${byKey.get(`ours/${n}`)?.completionValue?.n ?? '–'}/${byKey.get(`theirs/${n}`)?.completionValue?.n ?? '–'} (ours/theirs).`,
    );
  }
  out.push('');
  out.push('## Checks and notes per run');
  out.push('');
  for (const n of SIZES) for (const k of ['ours', 'theirs']) out.push(...detailLines(byKey.get(`${k}/${n}`)));
  const profiled = profiles.filter((r) => r.profileSummary);
  if (profiled.length) {
    out.push('');
    out.push('## Where our server spends its time (`--cpu-prof`)');
    out.push('');
    out.push('An extra session per corpus, run after the measured ones with `node --cpu-prof`, so the profiler is in none of the numbers above. Self time, idle left out, bundle positions mapped back through the source map; first the measured edit loop only (samples inside its time window), then the whole session (startup, warm-up, opens, edits, completion, hover).' + (meta.profileNote ? ` Note: ${meta.profileNote}.` : ''));
    for (const r of profiled) {
      out.push('');
      out.push(`${ent(r.n)} (profiled session: edit p50 ${f1(r.edit.p50)} ms, CPU per edit ${f1(r.edit.cpuMsPerEdit)} ms over ${r.edit.n} edits, open ${f1(r.open.p50)} ms):`);
      out.push('');
      out.push('```');
      out.push(`== edit loop only (${r.edit.n} edits)`);
      out.push(r.profileEdits);
      out.push('== whole session');
      out.push(r.profileSummary);
      out.push('```');
    }
  }
  out.push('');
  out.push('## Raw numbers (ms; MiB)');
  out.push('');
  out.push('```json');
  out.push(rawBlock(results));
  out.push('```');
  out.push('');
  return { text: out.join('\n'), targets: T };
}

/** the sourceMappingURL a bundle ends with, if any (not data: URLs) */
function sourceMapRef(buf) {
  const ref = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(buf.subarray(-300).toString('utf8'))?.[1];
  return ref && !ref.startsWith('data:') ? ref : null;
}
function hasSourceMap(script) {
  const ref = sourceMapRef(readFileSync(script));
  return !!ref && existsSync(join(dirname(script), ref));
}

/**
 * Copies our server bundle (and its source map, with sources made absolute) into the work folder
 * and points SERVERS.ours at the copy. Returns a description of the build for the report.
 */
function snapshotOurs(work) {
  const src = SERVERS.ours.script;
  if (!existsSync(src)) return 'not built';
  const dir = join(work, 'ours-build');
  mkdirSync(dir, { recursive: true });
  const buf = readFileSync(src);
  const dst = join(dir, 'server.js');
  writeFileSync(dst, buf);
  const ref = sourceMapRef(buf);
  let mapped = false;
  if (ref && existsSync(join(dirname(src), ref))) {
    const map = JSON.parse(readFileSync(join(dirname(src), ref), 'utf8'));
    const base = join(dirname(src), map.sourceRoot ?? '');
    map.sources = map.sources.map((x) => join(base, x));
    delete map.sourceRoot;
    writeFileSync(join(dir, ref), JSON.stringify(map));
    mapped = true;
  }
  SERVERS.ours.script = dst;
  return (
    `${relative(root, src)}: ${mapped ? 'development build (npm run build)' : 'production build (minified, no source map)'}, ` +
    `sha256 ${createHash('sha256').update(buf).digest('hex').slice(0, 12)}, ${(buf.length / 1024).toFixed(0)} KiB, built ${statSync(src).mtime.toISOString()}`
  );
}

/**
 * One workspace folder per session, holding just its corpus file and the warm-up file, so a server
 * that indexes its workspace sees nothing else (no duplicate entities). The extra documents opened
 * for open-to-diagnostics exist only in the editor, not on disk.
 */
function prepareCase(work, name, corpus) {
  const caseDir = join(work, name);
  mkdirSync(join(caseDir, CORPUS_DIR[corpus.n]), { recursive: true });
  mkdirSync(join(caseDir, 'warmup'), { recursive: true });
  writeFileSync(join(caseDir, CORPUS_DIR[corpus.n], 'catalog-info.yaml'), corpus.text);
  writeFileSync(join(caseDir, 'warmup', 'catalog-info.yaml'), WARMUP_INVALID);
  return caseDir;
}

// ---------------------------------------------------------------- main
async function main() {
  const t0 = performance.now();
  const deadline = setTimeout(() => {
    log('benchmark exceeded 15 minutes; giving up');
    killLive();
    process.exit(3);
  }, 15 * 60_000);
  deadline.unref();

  // Inputs: the schema must be what build-schema.mjs makes from the installed catalog-model.
  if (!existsSync(SCHEMA_PATH) || readFileSync(SCHEMA_PATH, 'utf8') !== schemaText()) {
    writeFileSync(SCHEMA_PATH, schemaText());
    log(`(re)built ${SCHEMA_PATH}`);
  }
  const { problems, summary } = await checkCorpus(SIZES);
  if (problems.length) throw new Error(`corpus check failed:\n${problems.slice(0, 10).join('\n')}`);

  const keys = ONLY ? [ONLY] : ['ours', 'theirs'];
  for (const k of keys) if (!SERVERS[k]) throw new Error(`unknown server ${k}`);
  const work = mkdtempSync(join(tmpdir(), 'paved-road-bench-'));
  const results = [];
  const profiles = [];
  let profileNote = '';
  // Run a snapshot of our server taken now, so a rebuild of dist/ during the run changes nothing.
  const oursInfo = snapshotOurs(work);
  try {
    for (const n of SIZES) {
      const corpus = generateCorpus(n);
      for (const k of keys) {
        if (!existsSync(SERVERS[k].script)) {
          results.push({ server: k, n, error: `${SERVERS[k].script} not found (run npm run build)` });
          log(`${k} ${n}: not built, skipped`);
          continue;
        }
        const caseDir = prepareCase(work, `${k}-${n}`, corpus);
        const quiet = P.quietMs > 0 ? await waitQuiet(P.quietMs) : NaN;
        const tc = performance.now();
        log(`${k} ${n} entities ...${Number.isFinite(quiet) ? ` (machine load before start: ${quiet.toFixed(2)} cores)` : ''}`);
        try {
          const r = await runCase(k, corpus, caseDir);
          results.push(r);
          log(
            `  edit p50 ${f1(r.edit.p50)} p95 ${f1(r.edit.p95)} ms, cpu/edit ${f1(r.edit.cpuMsPerEdit)} ms, ` +
              `open ${f1(r.open.p50)} ms, completion p95 ${f1(r.completionValue.p95)}/${f1(r.completionKey.p95)} ms, ` +
              `peak RSS ${f1(r.peakRssMiB)} MiB (${((performance.now() - tc) / 1000).toFixed(1)} s)`,
          );
        } catch (e) {
          let msg = String(e?.message ?? e);
          try {
            const tail = readFileSync(join(caseDir, `${k}-${n}.stderr.log`), 'utf8').trim().split('\n').slice(-3).join(' | ');
            if (tail) msg += ` (server stderr: ${tail.slice(-400)})`;
          } catch {
            /* no log */
          }
          results.push({ server: k, n, error: msg });
          log(`  FAILED: ${msg}`);
        }
      }
    }
    // Profiling is an extra session per corpus, after the measured ones, so that the profiler's
    // overhead is in none of the numbers above.
    if (CPU_PROF && keys.includes('ours') && existsSync(SERVERS.ours.script)) {
      const measured = SERVERS.ours.script;
      if (!hasSourceMap(measured) && !opt('--ours', null)) {
        // A production build has no source map, so its profile would name minified functions.
        // Profile a development bundle of the current sources instead (esbuild, as `npm run build`).
        const out = join(work, 'prof-build', 'server.js');
        await devServerBuild(out);
        SERVERS.ours.script = out;
        profileNote = 'the measured build is a production build without a source map, so the profiled sessions ran a development bundle of the current server/src made with esbuild';
      }
      for (const n of SIZES) {
        log(`ours ${n} entities under --cpu-prof ...`);
        try {
          const r = await runCase('ours', generateCorpus(n), prepareCase(work, `prof-ours-${n}`, generateCorpus(n)), { profile: true });
          profiles.push(r);
        } catch (e) {
          log(`  FAILED: ${e?.message ?? e}`);
        }
      }
    }
  } finally {
    if (!CPU_PROF) rmSync(work, { recursive: true, force: true });
    else log(`profiles and logs kept in ${work}`);
  }
  const meta = {
    command: ['node', 'bench/run.mjs', ...argv].join(' '),
    date: new Date().toISOString(),
    seconds: (performance.now() - t0) / 1000,
    machine: machine(),
    ours: oursInfo,
    corpus: summary,
  };
  meta.profileNote = profileNote;
  const { text, targets: T } = report(results, meta, profiles);
  process.stdout.write(text);
  if (WRITE) {
    // The scale section is written by bench/scale.mjs.
    writeKeeping(join(here, 'RESULTS.md'), text); // every other benchmark's section stays
    log(`wrote ${join(here, 'RESULTS.md')}`);
  }
  if (JSON_OUT) writeFileSync(JSON_OUT, JSON.stringify({ meta, params: P, results }, null, 2));
  const failed = results.filter((r) => r.error && !/not found/.test(r.error));
  log(`${T.filter((t) => t.met).length} target(s) met, ${T.filter((t) => t.met === false).length} missed; ${failed.length} run(s) failed; ${meta.seconds.toFixed(0)} s`);
  process.exitCode = failed.length ? 1 : 0;
}

main().catch((e) => {
  killLive();
  log(e?.stack ?? String(e));
  process.exit(2);
});
