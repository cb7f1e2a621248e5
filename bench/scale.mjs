#!/usr/bin/env node
// Scale benchmark of the Paved Road language server: a generated workspace of 100,000 entities in
// 10,000 catalog files (bench/scale-corpus.mjs), measured over real JSON-RPC (stdio) against
// dist/server.js: index build time and memory, completion / hover / find-references latency on a
// reference, and the cost of one edit (didChange → publishDiagnostics of that version).
//
//   node bench/scale.mjs                   run, print the report (Markdown) to stdout (~2 min on 2 cores)
//   node bench/scale.mjs --write           ... and rewrite bench/SCALE.md (its "Findings" section is kept)
//   node bench/scale.mjs --cpu-prof        then a second session of a development build under
//                                          `node --cpu-prof`: where the time goes, per phase (+~1.5 min)
//   node bench/scale.mjs --heap-prof       ... with `node --heap-prof` too: what the live heap holds at the end
//   node bench/scale.mjs --node-args "..." node flags for the server (default: package.json pavedRoad.serverNodeArgs)
//   node bench/scale.mjs --quick           10,000 entities / 1,000 files, fewer samples (smoke test)
//   node bench/scale.mjs --entities N --files F --samples S
//   node bench/scale.mjs --server FILE     another build of the server (default dist/server.js)
//   node bench/scale.mjs --build           bundle server/src (development build) instead of using dist/
//   node bench/scale.mjs --json FILE       also write the raw results as JSON
//   node bench/scale.mjs --keep            keep the generated workspace (its path is printed)
//   node bench/scale.mjs --wait-quiet S    wait up to S s (default 10) for the machine to be quiet first
//
// The workspace is written to a fresh directory under the OS temp dir and removed at the end. The server
// is copied there first (a snapshot: a rebuild of dist/ during the run changes nothing). Every wait is
// bounded by a timeout; only the server process started here is ever signalled.
import { performance } from 'node:perf_hooks';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, existsSync, rmSync, readdirSync, statSync, copyFileSync } from 'node:fs';
import { tmpdir, cpus, totalmem, release, loadavg } from 'node:os';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createHash } from 'node:crypto';
import { LspClient, selfSched } from './lsp-client.mjs';
import { devServerBuild, gitRevision, hrUs, log, machineJiffies, nodeArgsFrom, options, sampled, sleep, stats, waitQuiet, writeKeeping, writeSection } from './measure.mjs';
import { summariseProfile } from './prof-summary.mjs';
import { writeScaleCorpus, DANGLING_RATE } from './scale-corpus.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const tStart = performance.now();

// ---------------------------------------------------------------- options
const { argv, flag, opt } = options();
const QUICK = flag('--quick');
const WRITE = flag('--write');
const CPU_PROF = flag('--cpu-prof');
const HEAP_PROF = flag('--heap-prof');
const PROFILE = CPU_PROF || HEAP_PROF;
const KEEP = flag('--keep');
const BUILD = flag('--build');
const JSON_OUT = opt('--json', null);
const ENTITIES = Number(opt('--entities', QUICK ? '10000' : '100000'));
const FILES = Number(opt('--files', QUICK ? '1000' : '10000'));
const SAMPLES = Number(opt('--samples', QUICK ? '20' : '60'));
const SERVER = opt('--server', join(root, 'dist', 'server.js'));
// By default the server runs with the node flags the extension starts it with (package.json pavedRoad.serverNodeArgs).
const NODE_ARGS = nodeArgsFrom(opt('--node-args', null));
const P = {
  warmup: 5, // unmeasured requests/edits before each measured series
  samples: SAMPLES, // per request position (completion, hover)
  refSamples: Math.max(10, Math.round(SAMPLES / 2)), // find-references (heavier answers)
  edits: SAMPLES % 2 ? SAMPLES + 1 : SAMPLES, // even, so the file ends as it started
  worstEdits: QUICK ? 10 : 20,
  phaseBudgetMs: QUICK ? 10_000 : 25_000, // a series stops early once this is spent (min 10 samples)
  buildTimeoutMs: 240_000,
  timeoutMs: 60_000, // any other single wait
  editGapMs: 120, // idle after each edit's diagnostics (the server's status timer is 100 ms)
  quietMs: Number(opt('--wait-quiet', QUICK ? '0' : '10')) * 1000,
};
const TARGETS = { completionP95: 20, hoverP95: 20, editP95: 10, memoryMiB: 1024 };


/** the server processes started by this run and not yet stopped: the only ones ever signalled */
const live = new Set();
let work = null; // the temp directory, removed at the end
function cleanup() {
  for (const c of live) if (!c.exited) c.proc.kill('SIGKILL');
  live.clear();
  if (work && !KEEP) {
    try {
      rmSync(work, { recursive: true, force: true });
    } catch {
      /* best effort */
    }
  }
}
process.on('SIGINT', () => {
  cleanup();
  process.exit(130);
});

// ---------------------------------------------------------------- machine load (noise)
/** cores used by other processes (not the server, not this harness) between start and stop */
function loadProbe(client) {
  const j0 = machineJiffies();
  const c0 = process.cpuUsage();
  const s0 = client.cpuMs();
  const t0 = performance.now();
  return () => {
    const wallMs = performance.now() - t0;
    const busyMs = (machineJiffies().busy - j0.busy) * 10;
    const harness = process.cpuUsage(c0);
    return Math.max(0, (busyMs - (client.cpuMs() - s0) - (harness.user + harness.system) / 1000) / wallMs);
  };
}
function series(samples) {
  const all = stats(samples.map((s) => s.ms));
  const clean = stats(samples.filter((s) => !s.contended).map((s) => s.ms));
  return { ...all, contended: samples.filter((s) => s.contended).length, cleanP95: clean.p95, cleanN: clean.n, cpu: stats(samples.map((s) => s.cpuMs)) };
}

// ---------------------------------------------------------------- the editor side
const SETTINGS = { files: { include: [] }, policies: {} };
const CAPABILITIES = {
  general: { positionEncodings: ['utf-16'], markdown: { parser: 'marked', version: '1.1.0' } },
  window: { workDoneProgress: true },
  workspace: { configuration: true, workspaceFolders: true, didChangeConfiguration: { dynamicRegistration: true }, didChangeWatchedFiles: { dynamicRegistration: true } },
  textDocument: {
    synchronization: { dynamicRegistration: true, didSave: true },
    completion: { contextSupport: true, completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'], insertReplaceSupport: true, labelDetailsSupport: true } },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
    references: {},
    definition: { linkSupport: true },
  },
};

/** Line/character of the first line matching `re` at or after line `from`; character = end of `re`'s match. */
function findLine(text, re, from = 0) {
  const lines = text.split('\n');
  for (let i = from; i < lines.length; i++) {
    const m = re.exec(lines[i]);
    if (m) return { line: i, character: m.index + m[0].length, text: lines[i] };
  }
  throw new Error(`no line matching ${re}`);
}

// ---------------------------------------------------------------- one server session
/**
 * @param {{script: string, nodeArgs?: string[], corpus: any, label: string, samples?: Partial<typeof P>, windows?: boolean}} o
 */
async function session(o) {
  const P_ = { ...P, ...(o.samples ?? {}) };
  const { corpus } = o;
  const res = { label: o.label, notes: [], windows: {}, load: {} };
  const wsUri = pathToFileURL(corpus.dir).href;
  const logs = [];
  const client = new LspClient(o.label, process.execPath, [...(o.nodeArgs ?? []), o.script, '--stdio'], {
    cwd: work,
    stderrLog: join(work, `${o.label}.stderr.log`),
    onRequest(method, params) {
      if (method === 'workspace/configuration') return (params?.items ?? []).map((it) => (it.section === 'pavedRoad' ? SETTINGS : null));
      if (method === 'workspace/workspaceFolders') return [{ uri: wsUri, name: 'scale' }];
      return null; // client/registerCapability, window/workDoneProgress/create
    },
  });
  live.add(client);
  coalesceFrames(client);
  res.pid = client.pid;
  client.on('window/logMessage', (p) => logs.push(p.message));
  const publishes = [];
  client.on('textDocument/publishDiagnostics', (p, t) => publishes.push({ uri: p.uri, version: p.version, diagnostics: p.diagnostics, t }));
  const T = P_.timeoutMs;
  res.memory = {};
  res.quiet = {};
  const timed = (name, fn) => async (...a) => {
    const from = hrUs();
    try {
      return await fn(...a);
    } finally {
      res.windows[name] = [from, hrUs()];
      try {
        res.memory[name] = client.memory();
      } catch {
        /* exited */
      }
    }
  };
  /** before a series: wait (bounded) for the other load on the machine to drop */
  const quiet = async (name) => {
    if (P_.quietMs) res.quiet[name] = await waitQuiet(Math.min(5000, P_.quietMs));
  };
  const budgetLeft = () => performance.now() < o.deadline;

  try {
    // ---------------------------------------------------------- index build
    const probeBuild = loadProbe(client);
    const build = await timed('build', async () => {
      const t0 = performance.now();
      const cpu0 = client.cpuMs();
      const init = await client.request('initialize', { processId: process.pid, clientInfo: { name: 'paved-road-scale-bench' }, rootUri: wsUri, workspaceFolders: [{ uri: wsUri, name: 'scale' }], capabilities: CAPABILITIES }, T);
      const indexedLog = new Promise((resolve) => {
        const off = client.on('window/logMessage', (p, t) => {
          const m = /indexed (\d+) catalog files, (\d+) entities in (\d+) ms/.exec(p.message);
          if (m) {
            off();
            resolve({ files: +m[1], entities: +m[2], serverMs: +m[3], t });
          }
        });
      });
      const done = client.waitFor('pavedRoad/status', (s) => s.indexing === false && s.entities > 0, P_.buildTimeoutMs, 'status indexing:false (index built)');
      const tInitialized = client.notify('initialized', {});
      // RSS over the build, for the report's curve
      const curve = [];
      const timer = setInterval(() => {
        try {
          curve.push([performance.now() - t0, client.memory().rssKiB]);
        } catch {
          /* exited */
        }
      }, 500);
      let status;
      try {
        status = await done;
      } finally {
        clearInterval(timer);
      }
      const logged = await Promise.race([indexedLog, sleep(5000).then(() => null)]);
      const mem = client.memory();
      return {
        initializeMs: init.ms,
        buildMs: status.t - t0,
        scanMs: logged ? logged.t - tInitialized : NaN,
        serverMs: logged?.serverMs ?? NaN,
        files: logged?.files ?? NaN,
        entities: status.params.entities,
        cpuMs: client.cpuMs() - cpu0,
        hwmKiB: mem.hwmKiB,
        rssKiB: mem.rssKiB,
        curve,
      };
    })();
    res.build = build;
    res.load.build = probeBuild();
    log(`  index built: ${build.entities} entities, ${build.files} files in ${(build.buildMs / 1000).toFixed(1)} s; peak RSS ${(build.hwmKiB / 1024).toFixed(0)} MiB`);
    if (build.entities !== corpus.entities) res.notes.push(`the server indexed ${build.entities} entities, the corpus has ${corpus.entities}`);
    await sleep(2000);
    res.build.rssSettledKiB = client.memory().rssKiB;

    // ---------------------------------------------------------- open the files the requests go to
    let version = 1;
    const open = async (path, text) => {
      const uri = pathToFileURL(join(corpus.dir, path)).href;
      const diags = client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri && p.version === 1, T, `diagnostics of ${path}`);
      const t0 = client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
      const d = await diags;
      return { uri, ms: d.t - t0, diagnostics: d.params.diagnostics };
    };
    const target = await open(corpus.target.path, corpus.target.text);
    const group = await open(corpus.popularGroup.path, corpus.popularGroup.text);
    res.open = { targetMs: target.ms, targetDiagnostics: target.diagnostics.length, groupMs: group.ms, groupDiagnostics: group.diagnostics.length };
    res.open.targetCodes = countBy(target.diagnostics.map((d) => d.code));
    const tt = corpus.target.text;
    const owner = findLine(tt, /^  owner: /);
    const system = findLine(tt, /^  system: /);
    const dep = findLine(tt, /^    - component:/);
    const gname = findLine(corpus.popularGroup.text, new RegExp(`^  name: (?=${corpus.popularGroup.name}$)`));
    const ownerValue = owner.text.slice(owner.character);
    res.positions = { owner: `${corpus.target.path}:${owner.line + 1}`, ownerValue, system: system.text.trim(), dependsOn: dep.text.trim(), group: `${corpus.popularGroup.path}:${gname.line + 1}` };

    // ---------------------------------------------------------- requests
    const requests = async (name, method, params, n, check) => {
      await quiet(name);
      const p = { textDocument: { uri: params.uri }, position: params.position, ...(params.extra ?? {}) };
      for (let i = 0; i < P_.warmup; i++) await client.request(method, p, T);
      const out = [];
      let last;
      const t0 = performance.now();
      const probe = loadProbe(client);
      await timed(name, async () => {
        while (out.length < n && (out.length < 10 || (performance.now() - t0 < P_.phaseBudgetMs && budgetLeft()))) {
          const b0 = client.bytesIn.get('(response)')?.bytes ?? 0;
          const s = await sampled(client, () => client.request(method, p, T));
          s.bytes = (client.bytesIn.get('(response)')?.bytes ?? 0) - b0;
          last = s.result;
          out.push(s);
        }
      })();
      res.load[name] = probe();
      const st = series(out);
      st.bytes = out[out.length - 1]?.bytes ?? NaN;
      Object.assign(st, check(last));
      if (out.length < n) res.notes.push(`${name}: ${out.length} of ${n} samples (time budget)`);
      log(`  ${name}: p50 ${st.p50.toFixed(2)} ms, p95 ${st.p95.toFixed(2)} ms (${st.n} samples)`);
      return st;
    };
    const items = (r) => (Array.isArray(r) ? r : r?.items ?? []);
    const completionCheck = (kinds) => (r) => {
      const list = items(r);
      return { items: list.length, sample: list.slice(0, 3).map((x) => x.label), ok: list.length > 0 && list.every((x) => kinds.test(x.textEdit?.newText ?? x.label)) };
    };
    res.completionOwner = await requests('completion after owner:', 'textDocument/completion', { uri: target.uri, position: { line: owner.line, character: owner.character } }, P_.samples, completionCheck(/.*/));
    res.completionSystem = await requests('completion after system:', 'textDocument/completion', { uri: target.uri, position: { line: system.line, character: system.character } }, P_.samples, completionCheck(/.*/));
    res.hover = await requests('hover on owner', 'textDocument/hover', { uri: target.uri, position: { line: owner.line, character: owner.character + 3 } }, P_.samples, (r) => {
      const v = r?.contents?.value ?? '';
      return { chars: v.length, ok: /Members \(\d+\)/.test(v) && /Owns: /.test(v), owns: /Owns: ([^\n]*)/.exec(v)?.[1] ?? '' };
    });
    // A System's card counts its dependents: on this corpus their walk reaches more than ten thousand entities.
    res.hoverSystem = await requests('hover on system', 'textDocument/hover', { uri: target.uri, position: { line: system.line, character: system.character + 3 } }, P_.samples, (r) => {
      const v = r?.contents?.value ?? '';
      return { chars: v.length, ok: /· System/.test(v) && /Dependents: /.test(v), dependents: /Dependents: ([^\n]*)/.exec(v)?.[1] ?? '' };
    });
    res.refsGroup = await requests('references to the popular Group', 'textDocument/references', { uri: group.uri, position: { line: gname.line, character: gname.character + 3 }, extra: { context: { includeDeclaration: true } } }, P_.refSamples, (r) => ({ locations: r?.length ?? 0, ok: (r?.length ?? 0) > 100 }));
    res.refsSystem = await requests('references from a system: reference', 'textDocument/references', { uri: target.uri, position: { line: system.line, character: system.character + 3 }, extra: { context: { includeDeclaration: true } } }, P_.refSamples, (r) => ({ locations: r?.length ?? 0, ok: (r?.length ?? 0) > 1 }));

    // The group file is closed again: the edits below are made with one catalog file open.
    client.notify('textDocument/didClose', { textDocument: { uri: group.uri } });
    await sleep(500);

    // ---------------------------------------------------------- edits
    /**
     * Alternating one-character edits of the last character of a reference value (valid → dangling →
     * valid), each timed from didChange to the publishDiagnostics of that version.
     */
    const edits = async (name, at, n) => {
      await quiet(name);
      const line = at.line;
      const col = at.text.length - 1;
      const orig = at.text[col];
      const alt = orig === 'x' ? 'y' : 'x';
      const out = [];
      const probe = loadProbe(client);
      const cpuTicks0 = client.cpuMs();
      let checks = 0;
      let wrong = 0;
      const one = async (i, measured) => {
        const v = ++version;
        const dangling = i % 2 === 0;
        const diag = client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === target.uri && p.version === v, T, `diagnostics of version ${v}`);
        const s0 = client.mainThreadSched();
        const f0 = client.cpuMsFine();
        const h0 = selfSched();
        const t0 = client.notify('textDocument/didChange', { textDocument: { uri: target.uri, version: v }, contentChanges: [{ range: { start: { line, character: col }, end: { line, character: col + 1 } }, text: dangling ? alt : orig }] });
        const d = await diag;
        const s1 = client.mainThreadSched();
        const f1 = client.cpuMsFine();
        const h1 = selfSched();
        await sleep(P_.editGapMs); // the work an edit leaves for later (status, other documents) runs here
        const s2 = client.mainThreadSched();
        const found = d.params.diagnostics.some((x) => x.code === 'ref-not-found' && x.range.start.line === line);
        checks++;
        if (found !== dangling) wrong++;
        if (!measured) return;
        const ms = d.t - t0;
        const waitMs = s1.wait - s0.wait + (h1.wait - h0.wait);
        out.push({ ms, dangling, cpuMs: s1.run - s0.run, cpuAllThreadsMs: f1 - f0, cpuWithDeferredMs: s2.run - s0.run, waitMs, contended: waitMs >= 1 && waitMs >= 0.25 * ms, diagnostics: d.params.diagnostics.length });
      };
      for (let i = 0; i < P_.warmup + (P_.warmup % 2); i++) await one(i, false);
      const t0 = performance.now();
      await timed(name, async () => {
        for (let i = 0; i < n && (i < 10 || (performance.now() - t0 < P_.phaseBudgetMs && budgetLeft())); i++) await one(i, true);
        if (out.length % 2) await one(out.length, true); // end on the valid text
      })();
      res.load[name] = probe();
      const st = series(out);
      st.ticksPerEditMs = (client.cpuMs() - cpuTicks0) / (out.length + P_.warmup + (P_.warmup % 2));
      st.cpuAll = stats(out.map((x) => x.cpuAllThreadsMs));
      st.cpuDeferred = stats(out.map((x) => x.cpuWithDeferredMs));
      st.toDangling = stats(out.filter((x) => x.dangling).map((x) => x.ms));
      st.toValid = stats(out.filter((x) => !x.dangling).map((x) => x.ms));
      st.ok = wrong === 0;
      st.checks = `${checks - wrong}/${checks} publishes had ref-not-found exactly when the reference was dangling`;
      st.diagnostics = out[0]?.diagnostics;
      log(`  ${name}: p50 ${st.p50.toFixed(2)} ms, p95 ${st.p95.toFixed(2)} ms (${st.n} edits), main-thread CPU p50 ${st.cpu.p50.toFixed(2)} ms; ${st.checks}`);
      return st;
    };
    res.editOwner = await edits('edit of owner', owner, P_.edits);
    res.editDepends = await edits('edit of dependsOn component', dep, P_.worstEdits);

    const mem = client.memory();
    res.end = { hwmKiB: mem.hwmKiB, rssKiB: mem.rssKiB };
    await sleep(3000);
    res.end.rssIdleKiB = client.memory().rssKiB;
    const stderr = existsSync(join(work, `${o.label}.stderr.log`)) ? readFileSync(join(work, `${o.label}.stderr.log`), 'utf8') : '';
    res.serverErrors = [...logs.filter((m) => /failed|uncaught|unhandled/i.test(m)), ...stderr.split('\n').filter((l) => /Error|uncaught/i.test(l))].slice(0, 5);
  } finally {
    const exit = await client.stop(10_000);
    live.delete(client);
    res.exit = exit;
  }
  return res;
}

/**
 * bench/lsp-client.mjs appends every stdout chunk to its buffer with Buffer.concat, which is quadratic
 * for one large message (a 7 MB completion answer arrives in ~110 pipe chunks): the harness would spend
 * tens of ms copying and count them as server latency. This puts a framing-aware coalescer in front of
 * its data listener, so the client gets each message as one buffer (one copy, when its last byte arrives).
 */
function coalesceFrames(client) {
  const stdout = client.proc.stdout;
  const [deliver] = stdout.listeners('data');
  stdout.removeListener('data', deliver);
  let pending = [];
  let pendingLen = 0;
  let need = -1; // bytes of the current message, header included, once its header is read
  stdout.on('data', (d) => {
    pending.push(d);
    pendingLen += d.length;
    for (;;) {
      if (need < 0) {
        let first = pending[0];
        let end = first ? first.indexOf('\r\n\r\n') : -1;
        if (end < 0 && pending.length > 1) {
          first = Buffer.concat(pending, pendingLen);
          pending = [first];
          end = first.indexOf('\r\n\r\n');
        }
        if (end < 0) return;
        const m = /Content-Length:\s*(\d+)/i.exec(first.subarray(0, end).toString('ascii'));
        if (!m) return deliver(Buffer.concat(pending.splice(0), pendingLen)); // let the client report it
        need = end + 4 + Number(m[1]);
      }
      if (pendingLen < need) return;
      const all = pending.length === 1 ? pending[0] : Buffer.concat(pending, pendingLen);
      const rest = all.subarray(need);
      deliver(all.subarray(0, need));
      pending = rest.length ? [rest] : [];
      pendingLen = rest.length;
      need = -1;
      if (!pendingLen) return;
    }
  });
}

function countBy(list) {
  const m = {};
  for (const x of list) m[x] = (m[x] ?? 0) + 1;
  return m;
}

// ---------------------------------------------------------------- profile: inclusive time per function
/**
 * Inclusive ("total") time per function of a development bundle within a window, by function name and
 * the source module esbuild marks with a `// path` comment at each module's start.
 */
function inclusiveByFunction(prof, bundlePath, window) {
  const moduleAt = moduleMap(bundlePath);
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const bundleUrl = pathToFileURL(bundlePath).href;
  const keyOf = new Map();
  const key = (id) => {
    if (keyOf.has(id)) return keyOf.get(id);
    const cf = byId.get(id).callFrame;
    const k = cf.url === bundleUrl ? `${cf.functionName || '(anonymous)'}  ${moduleAt(cf.lineNumber)}` : null;
    keyOf.set(id, k);
    return k;
  };
  const total = new Map();
  let busy = 0;
  let t = prof.startTime;
  for (let i = 0; i < prof.samples.length; i++) {
    t += prof.timeDeltas[i] ?? 0;
    if (t < window[0] || t > window[1]) continue;
    const dt = prof.timeDeltas[i] ?? 0;
    const leaf = byId.get(prof.samples[i]);
    if (leaf?.callFrame.functionName === '(idle)' || leaf?.callFrame.functionName === '(program)') continue;
    busy += dt;
    const seen = new Set();
    for (let id = prof.samples[i]; id !== undefined; id = parent.get(id)) {
      const k = key(id);
      if (k && !seen.has(k)) {
        seen.add(k);
        total.set(k, (total.get(k) ?? 0) + dt);
      }
    }
  }
  return { busyUs: busy, total };
}

/** esbuild's `// path` module markers of a development bundle → (0-based line → module) */
function moduleMap(bundlePath) {
  const starts = [];
  readFileSync(bundlePath, 'utf8')
    .split('\n')
    .forEach((l, i) => {
      const m = /^\/\/ ((?:server|node_modules)\/\S+)$/.exec(l);
      if (m) starts.push([i, m[1].replace(/^node_modules\//, '')]);
    });
  return (line0) => {
    let lo = 0;
    let hi = starts.length - 1;
    let found = '?';
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid][0] <= line0) {
        found = starts[mid][1];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
}

/**
 * What the sampled heap profile (`node --heap-prof`, written at exit) says is still on the heap:
 * bytes by allocating function (self), by module, and inclusive for the server's own functions.
 */
function summariseHeap(prof, bundlePath) {
  const moduleAt = moduleMap(bundlePath);
  const isBundle = (url) => !!url && (url === bundlePath || url === pathToFileURL(bundlePath).href);
  const self = new Map();
  const byModule = new Map();
  const inclusive = new Map();
  let total = 0;
  const walk = (node, stack) => {
    const cf = node.callFrame;
    const mod = isBundle(cf.url) ? moduleAt(cf.lineNumber) : cf.url ? cf.url.replace(/^.*\//, '') : `(${cf.functionName || 'native'})`;
    const key = `${cf.functionName || '(anonymous)'}  ${mod}`;
    const next = isBundle(cf.url) && mod.startsWith('server/') && !stack.includes(key) ? [...stack, key] : stack;
    if (node.selfSize) {
      total += node.selfSize;
      self.set(key, (self.get(key) ?? 0) + node.selfSize);
      byModule.set(mod, (byModule.get(mod) ?? 0) + node.selfSize);
      for (const k of next) inclusive.set(k, (inclusive.get(k) ?? 0) + node.selfSize);
    }
    for (const c of node.children ?? []) walk(c, next);
  };
  walk(prof.head, []);
  const top = (m, n) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, b]) => [k, b / 2 ** 20]);
  return { totalMiB: total / 2 ** 20, self: top(self, 14), modules: top(byModule, 12), inclusive: top(inclusive, 14) };
}

// ---------------------------------------------------------------- the run
function machine() {
  const c = cpus();
  const git = gitRevision(['server']);
  return { cpu: `${c[0]?.model?.trim() ?? 'unknown'} × ${c.length} cores`, ram: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`, kernel: release(), node: process.version, git };
}
function newestMtime(dir) {
  let m = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    m = Math.max(m, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return m;
}

async function main() {
  work = mkdtempSync(join(tmpdir(), 'paved-road-scale-'));
  const meta = { started: new Date().toISOString(), machine: machine(), options: { ENTITIES, FILES, SAMPLES, QUICK, CPU_PROF, HEAP_PROF, BUILD } };
  // deadline for the optional series (each still gets ≥ 10 samples)
  const deadline = tStart + 270_000;

  // -- the server, snapshotted
  const srvDir = join(work, 'server');
  mkdirSync(srvDir);
  let script = join(srvDir, 'server.js');
  if (BUILD) {
    await devServerBuild(script);
    meta.server = `development build of server/src (esbuild, by bench/scale.mjs --build)`;
  } else {
    if (!existsSync(SERVER)) throw new Error(`${SERVER} not found: run \`node esbuild.mjs\` first`);
    copyFileSync(SERVER, script);
    const text = readFileSync(script, 'utf8');
    const ref = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(text.slice(-300))?.[1];
    if (ref && existsSync(join(dirname(SERVER), ref))) copyFileSync(join(dirname(SERVER), ref), join(srvDir, ref));
    const st = statSync(SERVER);
    const minified = !ref;
    const stale = existsSync(join(root, 'server/src')) && newestMtime(join(root, 'server/src')) > st.mtimeMs;
    meta.server = `${relative(root, SERVER) || SERVER}: ${minified ? 'production build (minified)' : 'development build'}, sha256 ${createHash('sha256').update(text).digest('hex').slice(0, 12)}, ${(st.size / 1024).toFixed(0)} KiB, built ${st.mtime.toISOString()}${stale ? ' (older than the newest file in server/src)' : ''}`;
  }

  // -- the corpus
  const g0 = performance.now();
  const corpus = writeScaleCorpus(join(work, 'workspace'), { entities: ENTITIES, files: FILES });
  meta.generateMs = performance.now() - g0;
  log(`corpus: ${corpus.entities} entities in ${corpus.files} files (${(corpus.bytes / 2 ** 20).toFixed(1)} MiB) written to ${corpus.dir} in ${(meta.generateMs / 1000).toFixed(1)} s`);

  if (P.quietMs) {
    meta.quietCores = await waitQuiet(P.quietMs);
    log(`machine: other load ${meta.quietCores.toFixed(2)} cores before the run`);
  }
  meta.loadavgStart = loadavg()[0];

  log('session: measured');
  meta.nodeArgs = NODE_ARGS;
  const measured = await session({ script, nodeArgs: NODE_ARGS, corpus, label: 'measured', deadline });

  let profiled = null;
  if (PROFILE) {
    log(`session: under node ${[CPU_PROF && '--cpu-prof', HEAP_PROF && '--heap-prof'].filter(Boolean).join(' ')} (development build)`);
    const devScript = join(srvDir, 'server-dev.js');
    await devServerBuild(devScript);
    const profDir = join(work, 'prof');
    mkdirSync(profDir);
    const profArgs = [...(CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`, '--cpu-prof-interval', '200'] : []), ...(HEAP_PROF ? ['--heap-prof', `--heap-prof-dir=${profDir}`, '--heap-prof-interval', '65536'] : [])];
    const r = await session({ script: devScript, nodeArgs: [...NODE_ARGS, ...profArgs], corpus, label: 'profiled', deadline: performance.now() + 150_000, samples: { samples: 20, refSamples: 10, edits: 20, worstEdits: 10, warmup: 2, quietMs: 0 } });
    profiled = { session: r, phases: {} };
    const hf = readdirSync(profDir).find((x) => x.endsWith('.heapprofile'));
    if (HEAP_PROF) {
      if (!hf) throw new Error('no .heapprofile written');
      profiled.heap = summariseHeap(JSON.parse(readFileSync(join(profDir, hf), 'utf8')), devScript);
    }
    // The main thread's profile (thread id 0 in the name); the parse worker writes its own.
    const f = readdirSync(profDir).find((x) => /\.\d+\.0\.\d+\.cpuprofile$/.test(x));
    if (CPU_PROF && !f) throw new Error('no .cpuprofile written');
    const prof = f ? JSON.parse(readFileSync(join(profDir, f), 'utf8')) : null;
    for (const [name, w] of Object.entries(prof ? r.windows : {})) {
      const inc = inclusiveByFunction(prof, devScript, w);
      const n = name === 'build' ? 1 : name.startsWith('edit') ? r[name === 'edit of owner' ? 'editOwner' : 'editDepends'].n : null;
      profiled.phases[name] = {
        self: summariseProfile(prof, 12, w).split('\n-- ').filter((x, i) => i === 0 || x.startsWith('by function')).join('\n-- '),
        busyMs: inc.busyUs / 1000,
        inclusive: [...inc.total].filter(([k]) => /  server\//.test(k)).sort((a, b) => b[1] - a[1]).slice(0, 14).map(([k, us]) => [k, us / 1000]),
        perEdit: n && name.startsWith('edit') ? Object.fromEntries([...inc.total].filter(([k]) => /  server\//.test(k)).map(([k, us]) => [k, us / 1000 / n])) : undefined,
      };
    }
  }

  const totalS = (performance.now() - tStart) / 1000;
  const report = renderReport(meta, corpus, measured, profiled, totalS);
  process.stdout.write(report);
  if (WRITE) {
    const path = join(here, 'SCALE.md');
    writeKeeping(path, report, ['findings']);
    log(`wrote ${relative(root, path)}`);
    if (!QUICK && ENTITIES === 100000) {
      writeSection(join(here, 'RESULTS.md'), 'scale', summarySection(meta, corpus, measured));
      log(`wrote the scale section of ${relative(root, join(here, 'RESULTS.md'))}`);
    }
  }
  if (JSON_OUT) writeFileSync(JSON_OUT, JSON.stringify({ meta, corpus: { ...corpus, target: { path: corpus.target.path }, popularGroup: { name: corpus.popularGroup.name, path: corpus.popularGroup.path } }, measured, profiled: profiled && { phases: profiled.phases } }, null, 1));
  if (KEEP) log(`kept ${work}`);
  return measured;
}

// ---------------------------------------------------------------- the report
const f2 = (x) => (Number.isFinite(x) ? (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)) : 'n/a');
const mib = (kib) => (Number.isFinite(kib) ? (kib / 1024).toFixed(0) : 'n/a');
const verdict = (ok) => (ok ? 'MET' : 'MISSED');

/** The targets of the issue, measured: the head of SCALE.md and of the scale section of RESULTS.md. */
function targetsTable(m) {
  const peak = Math.max(m.build.hwmKiB, m.end?.hwmKiB ?? 0);
  const cw = Math.max(m.completionOwner.p95, m.completionSystem.p95);
  const hw = Math.max(m.hover.p95, m.hoverSystem.p95);
  const rows = [
    ['completion p95 (worse of after `owner: ` / after `system: `)', `≤ ${TARGETS.completionP95} ms`, `${f2(cw)} ms`, cw <= TARGETS.completionP95],
    ['hover p95 (worse of the `owner:` team card / the `system:` System card)', `≤ ${TARGETS.hoverP95} ms`, `${f2(hw)} ms`, hw <= TARGETS.hoverP95],
    ['one-edit update p95 (didChange → publishDiagnostics of that version, `owner:` value)', `≤ ${TARGETS.editP95} ms`, `${f2(m.editOwner.p95)} ms`, m.editOwner.p95 <= TARGETS.editP95],
    ['server memory, peak (VmHWM over the whole session)', `≤ ${TARGETS.memoryMiB} MiB`, `${mib(peak)} MiB`, peak / 1024 <= TARGETS.memoryMiB],
  ];
  const out = ['## Targets', '', '| target | limit | measured | verdict |', '| --- | ---: | ---: | --- |'];
  for (const [what, limit, got, ok] of rows) out.push(`| ${what} | ${limit} | ${got} | **${verdict(ok)}** |`);
  out.push('');
  return out;
}

/** What RESULTS.md says of the scale run: the targets and the build, pointing to SCALE.md for the rest. */
function summarySection(meta, corpus, m) {
  const table = targetsTable(m).slice(2);
  return [
    `## Scale: ${corpus.entities.toLocaleString('en')} entities in ${corpus.files.toLocaleString('en')} files`,
    '',
    `Written by \`node bench/scale.mjs --write\` on ${meta.started} (git ${meta.machine.git}); the whole report, with the corpus, the method, every series and the findings, is [SCALE.md](SCALE.md).`,
    '',
    ...table,
    `Index build (initialize → \`indexing: false\`): ${(m.build.buildMs / 1000).toFixed(1)} s for ${m.build.entities.toLocaleString('en')} entities. Find references on the popular team (${m.refsGroup.locations.toLocaleString('en')} locations): p95 ${f2(m.refsGroup.p95)} ms. A \`dependsOn\` edit whose did-you-mean searches ${(corpus.counts.Component ?? 0).toLocaleString('en')} Components: p95 ${f2(m.editDepends.p95)} ms.`,
  ].join('\n');
}

function renderReport(meta, corpus, m, profiled, totalS) {
  const out = [];
  const cmd = `node bench/scale.mjs ${argv.join(' ')}`.trim();
  out.push(`# Scale benchmark: ${corpus.entities.toLocaleString('en')} entities in ${corpus.files.toLocaleString('en')} files`, '');
  out.push(`Produced by \`${cmd}\` (\`npm run bench:scale\` runs \`node bench/scale.mjs\`) on ${meta.started} (total ${totalS.toFixed(0)} s). \`node bench/scale.mjs --write\` rewrites this file; the Findings section is kept.`, '');
  out.push(`- Machine: ${meta.machine.cpu}, ${meta.machine.ram} RAM, Linux ${meta.machine.kernel}, Node ${meta.machine.node}. Load average at the start ${meta.loadavgStart?.toFixed(2)}${Number.isFinite(meta.quietCores) ? `; other processes used ${meta.quietCores.toFixed(2)} cores in the last second before the run` : ''}.`);
  out.push(`- Server: ${meta.server}; git ${meta.machine.git}; copied to the temp dir at the start of the run and started as \`node ${meta.nodeArgs.length ? `${meta.nodeArgs.join(' ')} ` : ''}server.js --stdio\`${meta.nodeArgs.length && !argv.includes('--node-args') ? ' (the node flags the extension starts it with, package.json `pavedRoad.serverNodeArgs`)' : ''}.`);
  const k = corpus.counts;
  out.push(`- Corpus (\`bench/scale-corpus.mjs\`, deterministic, written in ${(meta.generateMs / 1000).toFixed(1)} s to a temp dir and removed afterwards): ${corpus.entities.toLocaleString('en')} entities in ${corpus.files.toLocaleString('en')} files, ${(corpus.bytes / 2 ** 20).toFixed(1)} MiB, ${corpus.lines.toLocaleString('en')} lines — ${['Component', 'API', 'Resource', 'User', 'Group', 'System', 'Domain'].map((x) => `${(k[x] ?? 0).toLocaleString('en')} ${x}s`).join(', ')}. Groups form a tree (1 organization, ${corpus.groups.depts} departments, ${corpus.groups.divisions} divisions, ${corpus.groups.teams} teams) with profiles, Slack/PagerDuty annotations, parent/children and members (↔ User memberOf). Components carry owner, system, providesApis, consumesApis, dependsOn (\`resource:\`/\`component:\`), some subcomponentOf; APIs and Resources owner and system. ${corpus.references.toLocaleString('en')} references, ${corpus.dangling} of them (${(DANGLING_RATE * 100).toFixed(1)}%) dangling (none in the file the requests go to). One team, \`${corpus.popularGroup.name}\`, owns ~6% of everything plus every 40th system (the popular Group). Files: \`org/groups/*.yaml\` and \`org/users/*.yaml\` (found by content), \`domains/<domain>/catalog-info.yaml\`, \`systems/<system>/<component>/catalog-info.yaml\`.`);
  out.push(`- Requests go to \`${corpus.target.path}\` (${corpus.target.text.split('\n').length - 1} lines, ${corpus.target.text.split('\n---\n').length} entities; its first Component's \`${m.positions.ownerValue}\` owner is the popular Group) and \`${corpus.popularGroup.path}\` (the popular Group's definition). Both are opened with didOpen after the index is built; the Group file is closed before the edits.`);
  out.push('');

  out.push(...targetsTable(m));

  // results
  const b = m.build;
  const line = (what, s, extra = '') => `| ${what} | ${f2(s.p50)} | ${f2(s.p95)} | ${f2(s.max)} | ${s.n}${s.contended ? ` (${s.contended} contended; p95 without them ${f2(s.cleanP95)})` : ''} | ${extra} |`;
  out.push('## Results', '');
  out.push('| index build | value |', '| --- | ---: |');
  out.push(`| initialize request → response (ms) | ${f2(b.initializeMs)} |`);
  out.push(`| initialize → \`pavedRoad/status\` with \`indexing: false\` (s) — the index build as the client sees it | ${(b.buildMs / 1000).toFixed(2)} |`);
  out.push(`| initialized → log "indexed N catalog files" (s) | ${(b.scanMs / 1000).toFixed(2)} |`);
  out.push(`| the server's own figure in that log (s) | ${(b.serverMs / 1000).toFixed(2)} |`);
  out.push(`| files / entities indexed | ${b.files} / ${b.entities} |`);
  out.push(`| throughput (entities/s, by the server's figure) | ${Math.round(b.entities / (b.serverMs / 1000)).toLocaleString('en')} |`);
  out.push(`| server CPU during the build, utime+stime (s) | ${(b.cpuMs / 1000).toFixed(1)} |`);
  out.push(`| peak memory after the build, VmHWM (MiB) | ${mib(b.hwmKiB)} |`);
  out.push(`| RSS right after the build / 2 s later (MiB) | ${mib(b.rssKiB)} / ${mib(b.rssSettledKiB)} |`);
  out.push(`| peak memory over the whole session, VmHWM (MiB) | ${mib(m.end?.hwmKiB)} |`);
  out.push(`| RSS at the end of the session (MiB) | ${mib(m.end?.rssKiB)} |`);
  out.push(`| open-to-diagnostics of the component file / of the Group file (ms) | ${f2(m.open.targetMs)} / ${f2(m.open.groupMs)} |`);
  out.push('');
  const curve = b.curve.filter((_, i) => i % Math.max(1, Math.ceil(b.curve.length / 12)) === 0).map(([t, kib]) => `${(t / 1000).toFixed(t < 10_000 ? 1 : 0)} s: ${mib(kib)}`);
  out.push(`RSS during the build (MiB): ${curve.join(', ')}.`, '');
  out.push('| request (ms) | p50 | p95 | max | samples | answer |', '| --- | ---: | ---: | ---: | --- | --- |');
  const c = (s) => `${s.items.toLocaleString('en')} items, ${(s.bytes / 1024).toFixed(0)} KiB of JSON${s.ok ? '' : ' — UNEXPECTED ANSWER'}`;
  out.push(line('completion after `owner: `', m.completionOwner, c(m.completionOwner)));
  out.push(line('completion after `system: `', m.completionSystem, c(m.completionSystem)));
  out.push(line('hover on the `owner:` reference (team card)', m.hover, `${m.hover.chars} chars; Owns: ${m.hover.owns}${m.hover.ok ? '' : ' — UNEXPECTED ANSWER'}`));
  out.push(line('hover on the `system:` reference (System card)', m.hoverSystem, `${m.hoverSystem.chars} chars; Dependents: ${m.hoverSystem.dependents}${m.hoverSystem.ok ? '' : ' — UNEXPECTED ANSWER'}`));
  out.push(line('references on the popular Group\'s name (includeDeclaration)', m.refsGroup, `${m.refsGroup.locations.toLocaleString('en')} locations, ${(m.refsGroup.bytes / 1024).toFixed(0)} KiB`));
  out.push(line(`references on a \`system:\` reference (\`${m.positions.system}\`)`, m.refsSystem, `${m.refsSystem.locations} locations`));
  out.push('');
  out.push('| one-character edit of a reference value (ms) | p50 | p95 | max | edits | notes |', '| --- | ---: | ---: | ---: | --- | --- |');
  const e = (s) => `valid→dangling p50 ${f2(s.toDangling.p50)}, dangling→valid p50 ${f2(s.toValid.p50)}; ${s.checks}`;
  out.push(line('`owner:` value, didChange → publishDiagnostics', m.editOwner, e(m.editOwner)));
  out.push(line(`\`dependsOn\` item (\`${m.positions.dependsOn}\`; dangling → suggestions searched among ${(k.Component ?? 0).toLocaleString('en')} Components)`, m.editDepends, e(m.editDepends)));
  out.push('');
  out.push('| server CPU per edit (ms) | `owner:` p50 | `owner:` p95 | `dependsOn` p50 | `dependsOn` p95 |', '| --- | ---: | ---: | ---: | ---: |');
  out.push(`| main thread, didChange → publish (schedstat, ns resolution) | ${f2(m.editOwner.cpu.p50)} | ${f2(m.editOwner.cpu.p95)} | ${f2(m.editDepends.cpu.p50)} | ${f2(m.editDepends.cpu.p95)} |`);
  out.push(`| all threads (incl. GC helpers), didChange → publish | ${f2(m.editOwner.cpuAll.p50)} | ${f2(m.editOwner.cpuAll.p95)} | ${f2(m.editDepends.cpuAll.p50)} | ${f2(m.editDepends.cpuAll.p95)} |`);
  out.push(`| main thread incl. the work left for later (${P.editGapMs} ms after the publish) | ${f2(m.editOwner.cpuDeferred.p50)} | ${f2(m.editOwner.cpuDeferred.p95)} | ${f2(m.editDepends.cpuDeferred.p50)} | ${f2(m.editDepends.cpuDeferred.p95)} |`);
  out.push(`| process utime+stime over the series ÷ edits (/proc/<pid>/stat, 10 ms ticks) | ${f2(m.editOwner.ticksPerEditMs)} | | ${f2(m.editDepends.ticksPerEditMs)} | |`);
  out.push('');
  if (profiled) {
    for (const [label, key] of [['`owner:`', 'edit of owner'], ['`dependsOn`', 'edit of dependsOn component']]) {
      const pe = profiled.phases[key]?.perEdit;
      if (!pe) continue;
      // the largest inclusive time among the functions of a module (or of a function name in it)
      const get = (re) => Math.max(0, ...Object.entries(pe).filter(([kk]) => re.test(kk)).map(([, v]) => v));
      out.push(`Isolated from the CPU profile (second session, development build, \`--cpu-prof-interval 200\` µs), inclusive time per ${label} edit: the index update itself (CatalogIndex.update) ${f2(get(/^update  server\/src\/catalog\/catalogIndex/))} ms; re-analysing the edited document (FileAnalyzer.analyze) ${f2(get(/^analyze  server\/src\/catalog\/analyze/))} ms; cross-catalog checks (crossCheck.ts) ${f2(get(/  server\/src\/catalog\/crossCheck/))} ms, of it did-you-mean suggestions ${f2(get(/^suggestions  /))} ms; all diagnostics of the document (DiagnosticsPublisher.compute) ${f2(get(/^compute  server\/src\/lsp\/diagnostics/))} ms.`, '');
    }
  }
  out.push('| server memory after each phase (MiB) | VmHWM (peak so far) | VmRSS |', '| --- | ---: | ---: |');
  for (const [name, mm] of Object.entries(m.memory)) out.push(`| ${name} | ${mib(mm.hwmKiB)} | ${mib(mm.rssKiB)} |`);
  out.push(`| 3 s idle after the last phase | | ${mib(m.end?.rssIdleKiB)} |`);
  out.push('');
  const loads = Object.entries(m.load).map(([kk, v]) => `${kk} ${v.toFixed(2)}`).join(', ');
  out.push(`Other load on the machine during each phase (cores used by processes other than the server and the harness): ${loads}.${Object.values(m.load).some((v) => v > 0.3) ? ' Above 0.3 cores the latencies are likely inflated by contention; the "contended" counts above flag the samples during which the server or the harness waited ≥ 1 ms (and ≥ 25% of the latency) for a CPU.' : ''}`, '');
  if (m.notes.length || m.serverErrors?.length) out.push(`Notes: ${[...m.notes, ...(m.serverErrors ?? []).map((x) => `server said: ${x}`)].join('; ')}.`, '');
  out.push(`Diagnostics of the component file at open: ${Object.entries(m.open.targetCodes).map(([kk, v]) => `${v} ${kk}`).join(', ') || 'none'}.`, '');

  out.push('## Method', '');
  out.push(`One server process for the whole measured session, driven like an editor over stdio (\`bench/lsp-client.mjs\`): initialize with the temp workspace as the only workspace folder (capabilities incl. \`workspace.configuration\`, answered with default settings; \`publishDiagnostics.versionSupport\`), then \`initialized\`, which starts the server's scan. Build time = initialize sent → the first \`pavedRoad/status\` with \`indexing: false\` and entities > 0 (this includes the server's 100 ms status debounce; the log line's figure is the scan alone). Memory: VmHWM/VmRSS from /proc/<pid>/status. Requests: ${P.warmup} warm-up then up to ${P.samples} sequential samples per position (${P.refSamples} for references), each from sending to the response bytes arriving (JSON serialisation and pipe transfer included); completion right after \`owner: \` and \`system: \` (the value is present; the server answers every candidate, the editor filters); hover 3 characters into the owner value and into the \`system:\` value (the System card counts its transitive dependents, up to 1,000). Edits: ${P.warmup + (P.warmup % 2)} warm-up + ${P.edits} (\`owner:\`) and ${P.worstEdits} (\`dependsOn\`) measured incremental didChange edits replacing the last character of the value, alternately making the reference dangling and valid again, each timed to the publishDiagnostics carrying that version, then ${P.editGapMs} ms idle; every publish is checked for a ref-not-found on that line exactly when dangling. CPU per edit from the server's main-thread schedstat (ns). Large answers are handed to the client as one buffer per message (a coalescer in front of \`bench/lsp-client.mjs\`'s chunk-by-chunk Buffer.concat, which is quadratic for a multi-MB message and would count the harness's copying as latency). A series stops early after ${P.phaseBudgetMs / 1000} s (min 10 samples). Files were just written, so the scan reads from the page cache.`, '');

  if (profiled) {
    if (profiled.heap) {
      const h = profiled.heap;
      const tbl = (rows) => rows.map(([k, v]) => `${v.toFixed(1).padStart(9)}  ${k}`);
      out.push('## What the heap holds (heap profile)', '');
      out.push(`Sampling heap profile of the second session (\`node --heap-prof --heap-prof-interval 65536\`), written when the server exits at the end of the session: ${h.totalMiB.toFixed(0)} MiB sampled as still on the heap (live objects plus garbage not yet collected; the index is the bulk of the live part), by the function that allocated it.`, '');
      out.push('```', 'by function (self, MiB)', ...tbl(h.self), '', 'by module (self, MiB)', ...tbl(h.modules), '', 'server/src functions, inclusive (MiB allocated under them and still on the heap)', ...tbl(h.inclusive), '```', '');
    }
  }
  if (profiled && Object.keys(profiled.phases).length) {
    out.push('## Where the time goes (CPU profile)', '');
    out.push(`Second session of a development build of server/src under \`node --cpu-prof --cpu-prof-interval 200\` (same corpus; fewer samples; its latencies are not the measured ones). Per phase: inclusive time of the top server/src functions, then self time (\`bench/prof-summary.mjs\`). Build in that session: ${(profiled.session.build.buildMs / 1000).toFixed(1)} s, peak ${mib(profiled.session.build.hwmKiB)} MiB.`, '');
    for (const [name, ph] of Object.entries(profiled.phases)) {
      out.push(`### ${name} (busy ${ph.busyMs.toFixed(0)} ms)`, '', '```', 'inclusive (ms)', ...ph.inclusive.map(([kk, ms]) => `${ms.toFixed(1).padStart(9)}  ${kk}`), '', ph.self, '```', '');
    }
  }
  out.push('## Findings', '', '<!-- findings -->', '_(none recorded yet)_', '<!-- /findings -->', '');
  return out.join('\n');
}

// ---------------------------------------------------------------- go
const watchdog = setTimeout(() => {
  log('scale benchmark: overall timeout (15 min), giving up');
  cleanup();
  process.exit(3);
}, 15 * 60_000);
watchdog.unref();
try {
  await main();
  cleanup();
  clearTimeout(watchdog);
} catch (e) {
  log(`scale benchmark failed: ${e.stack ?? e}`);
  cleanup();
  process.exit(1);
}
