#!/usr/bin/env node
// The large-file case, ours and yaml-language-server side by side in one run: a catalog repository with
// two 2,000-entity files (one clean, one with 50 injected errors), four 50-entity files and the `$text`
// targets they name (bench/workspace-corpus.mjs). A fresh server starts on the folder and the user opens
// one of the large files at once (as VS Code restores an editor at start), then types in a description
// and asks for completion after `lifecycle: `. One session per server and file. Ours also answers the
// scorecard CodeLens of the file after each edit's diagnostics (issue 12): both within the edit budget.
//
//   node bench/workspace.mjs              run it, print the report (Markdown) to stdout
//   node bench/workspace.mjs --write      ... and write it as the `workspace` section of bench/RESULTS.md
//   node bench/workspace.mjs --only ours  one server (ours | theirs); --file clean|broken one file
//   node bench/workspace.mjs --quick      fewer samples
//   node bench/workspace.mjs --cpu-prof   one more session of ours per file under --cpu-prof: where the
//                                         CPU of the edits goes, per thread (main, parse workers)
//   node bench/workspace.mjs --ours-node-args "--require x.js"   node flags for ours (what-if runs)
//   node bench/workspace.mjs --stderr DIR  keep each server's stderr in DIR
//
// Every wait is bounded; only the servers started here are signalled; stdio pipes only.
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { LspClient } from './lsp-client.mjs';
import { CAPABILITIES, configSection, editorSettings, THEIRS_NODE } from './editor.mjs';
import { devServerBuild, gitRevision, hrUs, log, nodeArgsFrom, options, sampled, sleep, stats, waitQuiet, writeSection } from './measure.mjs';
import { writeWorkspaceCorpus } from './workspace-corpus.mjs';
import { summariseProfile } from './prof-summary.mjs';
import { execFileSync } from 'node:child_process';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const { flag, opt } = options();
const QUICK = flag('--quick');
const P = {
  edits: QUICK ? 8 : 30,
  requests: QUICK ? 15 : 50,
  warmupRequests: 2,
  /** After each edit's diagnostics: the time for the work that comes after them, inside the CPU window. */
  gapMs: 300,
  timeoutMs: 120_000,
  /** No publish for this long (and, for ours, the index ready) counts as settled. */
  settleMs: 1500,
  /** The scorecard lenses resolved after each edit: those within this many lines of the edited one (an editor window). */
  lensWindowLines: 30,
};
const SERVERS = {
  ours: { node: process.execPath, script: join(root, 'dist', 'server.js'), args: nodeArgsFrom(opt('--ours-node-args', null)) },
  theirs: { node: THEIRS_NODE, script: join(root, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server'), args: [] },
};
const live = new Set();
process.on('SIGINT', () => {
  for (const c of live) if (!c.exited) c.proc.kill('SIGKILL');
  process.exit(130);
});

/** One fresh server on the workspace; opens `target.file` at once, edits it, completes in it. */
async function session(key, work, target, { profile = false } = {}) {
  const srv = SERVERS[key];
  const settings = editorSettings();
  const wsUri = pathToFileURL(work).href;
  const profDir = profile ? mkdtempSync(join(tmpdir(), `paved-road-prof-${key}-`)) : null;
  const args = [...srv.args, ...(profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []), srv.script, '--stdio'];
  const client = new LspClient(`${key}`, srv.node, args, {
    cwd: root,
    stderrLog: opt('--stderr', null) ? join(opt('--stderr', null), `${key}-${target.file.replace(/\W+/g, '-')}.log`) : undefined,
    onRequest: (method, params) => (method === 'workspace/configuration' ? (params?.items ?? []).map((it) => configSection(settings, it.section)) : method === 'workspace/workspaceFolders' ? [{ uri: wsUri, name: 'catalog' }] : null),
  });
  live.add(client);
  const res = { server: key, file: target.file, notes: [] };
  const uri = pathToFileURL(join(work, target.file)).href;
  const publishes = [];
  client.on('textDocument/publishDiagnostics', (p, t) => p.uri === uri && publishes.push({ t, version: p.version, count: p.diagnostics.length }));
  let indexReadyAt = null;
  client.on('pavedRoad/status', (s, t) => {
    if (!s.indexing && indexReadyAt === null) indexReadyAt = t;
  });
  const T = P.timeoutMs;
  try {
    const t0 = performance.now();
    await client.request('initialize', { processId: process.pid, clientInfo: { name: 'Visual Studio Code', version: '1.91.0' }, rootUri: wsUri, rootPath: work, workspaceFolders: [{ uri: wsUri, name: 'catalog' }], capabilities: CAPABILITIES }, T);
    client.notify('initialized', {});
    client.notify('workspace/didChangeConfiguration', { settings });
    // The editor restored at start: opened right away, while the server reads the folder.
    let text = readFileSync(join(work, target.file), 'utf8');
    const first = client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri, T, 'first diagnostics');
    const openUs = hrUs();
    const tOpen = client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    const got = await first;
    res.openWindow = [openUs, hrUs()];
    res.openMs = got.t - tOpen;
    res.openDiagnostics = got.params.diagnostics.length;
    // Settled: the index is ready (ours) and no publish for a while.
    for (const deadline = performance.now() + T; ; ) {
      await sleep(100);
      const last = publishes.at(-1)?.t ?? tOpen;
      if ((key === 'theirs' || indexReadyAt !== null) && performance.now() - last > P.settleMs) break;
      if (performance.now() > deadline) throw new Error(`${key}: never settled after the open`);
    }
    const settled = publishes.at(-1);
    res.finalDiagnosticsMs = settled.t - tOpen;
    res.finalDiagnostics = settled.count;
    res.publishesAfterOpen = publishes.length;
    if (indexReadyAt !== null) res.indexReadyMs = indexReadyAt - t0;

    // Typing in the middle entity's description: a letter added at its end, then taken away.
    const lines = text.split('\n');
    const line = target.descriptionLine;
    if (lines[line] !== target.descriptionText) throw new Error(`unexpected description line: ${lines[line]}`);
    const lineStart = text.split('\n').slice(0, line).reduce((n, l) => n + l.length + 1, 0);
    const col = target.descriptionText.length;
    let version = 1;
    const samples = [];
    const contended = [];
    // Ours: the scorecard CodeLens of the whole file (every entity scored once, then per edit only the edited one).
    const lenses = key === 'ours';
    const lensSamples = [];
    const lensContended = [];
    /** Per edit: the server's main-thread CPU for the diagnostics and the lenses together (ms). */
    const lensCpu = [];
    /** Per edit: the textDocument/codeLens round trip, then the resolves (ms). */
    const lensParts = [];
    /** Resolves the lenses an editor window around the edited line shows (as VS Code resolves the visible ones). */
    const resolveShown = async (all) => {
      const shown = (all ?? []).filter((l) => Math.abs(l.range.start.line - line) <= P.lensWindowLines);
      const done = await Promise.all(shown.map((l) => client.request('codeLens/resolve', l, T)));
      return { t1: Math.max(...done.map((d) => d.t1)), lenses: done.map((d) => d.result) };
    };
    if (lenses) {
      const first = await client.request('textDocument/codeLens', { textDocument: { uri } }, T);
      const shown = await resolveShown(first.result);
      const own = shown.lenses.filter((l) => l.range.start.line <= line).pop();
      res.lensFirst = { ms: shown.t1 - first.t0, count: first.result?.length ?? 0, shown: shown.lenses.length, title: own?.command?.title };
    }
    const windowUs = [hrUs()];
    const cpu0 = client.cpuMs();
    const pubs0 = publishes.length;
    const bytes0 = client.bytesIn.get('textDocument/publishDiagnostics')?.bytes ?? 0;
    const traffic0 = structuredClone(Object.fromEntries(client.bytesIn));
    for (let i = 0; i < P.edits; i++) {
      const add = i % 2 === 0;
      const v = ++version;
      const range = add ? { start: { line, character: col }, end: { line, character: col } } : { start: { line, character: col }, end: { line, character: col + 1 } };
      text = add ? text.slice(0, lineStart + col) + 'x' + text.slice(lineStart + col) : text.slice(0, lineStart + col) + text.slice(lineStart + col + 1);
      const r = await sampled(client, async () => {
        const w = client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri && (typeof p.version !== 'number' || p.version >= v), T, `edit ${v} diagnostics`);
        const ts = client.notify('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ range, rangeLength: add ? 0 : 1, text: add ? 'x' : '' }] });
        const p = await w;
        return { ms: p.t - ts };
      });
      samples.push(r.ms);
      contended.push(r.contended);
      if (lenses) {
        // As the editor asks: the file's lenses once its diagnostics are in. Timed from the keystroke.
        const start = performance.now() - r.ms;
        const l = await sampled(client, async () => {
          const a = await client.request('textDocument/codeLens', { textDocument: { uri } }, T);
          if ((a.result?.length ?? 0) !== res.lensFirst.count) res.notes.push(`edit ${v}: ${a.result?.length} lenses, not ${res.lensFirst.count}`);
          const shown = await resolveShown(a.result);
          lensParts.push([a.t1 - a.t0, shown.t1 - a.t1]);
          return { ms: shown.t1 - start };
        });
        lensSamples.push(l.ms);
        lensContended.push(l.contended || r.contended);
        lensCpu.push(r.cpuMs + l.cpuMs);
      }
      await sleep(P.gapMs);
    }
    windowUs.push(hrUs());
    res.window = windowUs;
    res.edit = {
      ...stats(samples),
      samples,
      contended: contended.filter(Boolean).length,
      ...(lenses ? { withLens: { ...stats(lensSamples), samples: lensSamples, contended: lensContended.filter(Boolean).length, quiet: stats(lensSamples.filter((_, i) => !lensContended[i])), cpu: stats(lensCpu), list: stats(lensParts.map((x) => x[0])), resolve: stats(lensParts.map((x) => x[1])) } } : {}),
      cpuMsPerEdit: (client.cpuMs() - cpu0) / P.edits,
      publishesPerEdit: (publishes.length - pubs0) / P.edits,
      kibPerEdit: ((client.bytesIn.get('textDocument/publishDiagnostics')?.bytes ?? 0) - bytes0) / 1024 / P.edits,
      // Everything the server sent per edit, by method.
      traffic: Object.fromEntries(
        [...client.bytesIn].map(([m, v]) => [m, { messages: (v.messages - (traffic0[m]?.messages ?? 0)) / P.edits, kib: (v.bytes - (traffic0[m]?.bytes ?? 0)) / 1024 / P.edits }]).filter(([, v]) => v.messages > 0),
      ),
    };

    // Completion after `lifecycle: ` in the same entity.
    const lc = target.lifecycleLine;
    if (!text.split('\n')[lc].startsWith('  lifecycle: ')) throw new Error(`unexpected lifecycle line: ${text.split('\n')[lc]}`);
    const comp = [];
    const compContended = [];
    let labels = [];
    for (let i = 0; i < P.warmupRequests + P.requests; i++) {
      const r = await sampled(client, () => client.request('textDocument/completion', { textDocument: { uri }, position: { line: lc, character: '  lifecycle: '.length }, context: { triggerKind: 1 } }, T));
      if (i === 0) labels = (Array.isArray(r.result) ? r.result : (r.result?.items ?? [])).map((it) => it.label);
      if (i >= P.warmupRequests) {
        comp.push(r.ms);
        compContended.push(r.contended);
      }
    }
    res.completion = { ...stats(comp), samples: comp, contended: compContended.filter(Boolean).length, found: ['production', 'experimental', 'deprecated'].filter((l) => labels.includes(l)) };
    if (res.completion.found.length < 3) res.notes.push(`completion offered ${labels.slice(0, 6).join(', ')}`);
    res.peakRssMiB = client.memory().hwmKiB / 1024;
    res.totalCpuMs = client.cpuMs();
  } finally {
    await client.stop(5000);
    live.delete(client);
  }
  if (profDir) {
    // One profile per thread: the main thread's name ends in .0.N, each worker's in its thread id.
    res.threads = readdirSync(profDir)
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => {
        const prof = JSON.parse(readFileSync(join(profDir, f), 'utf8'));
        const thread = /\.\d+\.(\d+)\.\d+\.cpuprofile$/.exec(f)?.[1] === '0' ? 'main thread' : `worker ${/\.\d+\.(\d+)\.\d+\.cpuprofile$/.exec(f)?.[1]}`;
        return { thread, open: summariseProfile(prof, 10, res.openWindow), edits: summariseProfile(prof, 10, res.window) };
      });
    rmSync(profDir, { recursive: true, force: true });
  }
  return res;
}

// ---------------------------------------------------------------- report
const f1 = (x) => (Number.isFinite(x) ? (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)) : '–');
const fr = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? (a / b).toFixed(2) : '–');

function report(results, meta) {
  const get = (server, file) => results.find((r) => r.server === server && r.file === file);
  const out = [];
  out.push('## A workspace with large files: open one, type in it');
  out.push('');
  out.push(`Written by \`node bench/workspace.mjs --write\` on ${meta.date} (git ${meta.git}, ${meta.seconds.toFixed(0)} s); ${meta.machine}. yaml-language-server ${meta.yls} on Node ${meta.theirsNode}, configured as in the main benchmark; ours is dist/server.js on Node ${process.version.slice(1)}.`);
  out.push('');
  out.push(
    `Corpus (\`bench/workspace-corpus.mjs\`): ${meta.corpus.files} files, ${(meta.corpus.bytes / 1024).toFixed(0)} KiB: two 2,000-entity files (\`clean\`, ${(meta.corpus.clean.bytes / 1024).toFixed(0)} KiB; \`broken\`, ${(meta.corpus.broken.bytes / 1024).toFixed(0)} KiB with ${meta.corpus.broken.injected} injected errors), four 50-entity files, ${meta.corpus.textTargets} \`$text\` targets. ` +
      `Method: a fresh server per server × file; initialize on the folder, then at once open the large file (VS Code restores an editor at start; ours reads the folder meanwhile); *first diagnostics* is didOpen → the first publish for the file; *settled* is the last publish before ${P.settleMs / 1000} s of quiet (ours: and the folder read). Then ${P.edits} one-letter edits at the end of the middle Component's description (added, then taken away), each timed to the publish answering it, with ${P.gapMs} ms after each; *CPU per edit* is the server process's CPU over all its threads (utime+stime, so GC helpers and parse workers count) across the edits and their gaps, ÷ ${P.edits}. Ours: after each edit's diagnostics, the file's scorecard CodeLens as the editor asks for it (\`textDocument/codeLens\`, then \`codeLens/resolve\` of the lenses within ${P.lensWindowLines} lines of the edit, the ones a window shows), timed from the keystroke to the last resolved lens (*edit → diagnostics + scorecard CodeLens*). Then ${P.requests} completions after \`lifecycle: \` in the same entity.`,
  );
  out.push('');
  const targets = [];
  for (const file of ['clean', 'broken']) {
    const o = get('ours', file);
    const t = get('theirs', file);
    if (!o && !t) continue;
    const name = file === 'clean' ? 'clean 2,000-entity file' : '2,000-entity file with 50 errors';
    if (o && t) targets.push([`${name}: first diagnostics ≤ 0.5 × theirs`, `${f1(o.openMs)} ms vs ${f1(t.openMs)} ms (${fr(o.openMs, t.openMs)})`, o.openMs <= 0.5 * t.openMs]);
    if (o) targets.push([`${name}: CPU per description edit ≤ 20 ms`, `${f1(o.edit.cpuMsPerEdit)} ms`, o.edit.cpuMsPerEdit <= 20]);
    if (o) targets.push([`${name}: completion p95 after \`lifecycle: \` ≤ 10 ms`, `${f1(o.completion.p95)} ms`, o.completion.p95 <= 10]);
    if (o?.edit.withLens) targets.push([`${name}: edit → diagnostics + scorecard CodeLens p95 ≤ 10 ms`, `${f1(o.edit.withLens.p95)} ms`, o.edit.withLens.p95 <= 10]);
  }
  out.push('| target | measured | verdict |', '| --- | ---: | --- |');
  for (const [what, m, ok] of targets) out.push(`| ${what} | ${m} | **${ok ? 'MET' : 'MISSED'}** |`);
  out.push('');
  const rows = [
    ['first diagnostics after didOpen (ms)', (r) => r.openMs],
    ['settled diagnostics (ms after didOpen)', (r) => r.finalDiagnosticsMs],
    ['diagnostics when settled', (r) => r.finalDiagnostics],
    ['publishes for the file until settled', (r) => r.publishesAfterOpen],
    ['folder read (index ready), ms after start', (r) => r.indexReadyMs],
    ['edit → diagnostics p50 (ms)', (r) => r.edit?.p50],
    ['edit → diagnostics p95 (ms)', (r) => r.edit?.p95],
    ['edit → diagnostics + scorecard CodeLens p50 (ms)', (r) => r.edit?.withLens?.p50],
    ['edit → diagnostics + scorecard CodeLens p95 (ms)', (r) => r.edit?.withLens?.p95],
    ['… p95 of the samples not delayed by CPU contention (ms)', (r) => r.edit?.withLens?.quiet?.p95],
    ["server main thread's CPU for an edit's diagnostics + scorecard CodeLens, p50 (ms)", (r) => r.edit?.withLens?.cpu?.p50],
    ["server main thread's CPU for an edit's diagnostics + scorecard CodeLens, p95 (ms)", (r) => r.edit?.withLens?.cpu?.p95],
    ['first scorecard CodeLens of the file, the shown ones resolved (ms)', (r) => r.lensFirst?.ms],
    ['CPU per edit, all threads (ms)', (r) => r.edit?.cpuMsPerEdit],
    ['publishes per edit', (r) => r.edit?.publishesPerEdit],
    ['diagnostics sent per edit (KiB)', (r) => r.edit?.kibPerEdit],
    ['completion after `lifecycle: ` p50 (ms)', (r) => r.completion?.p50],
    ['completion after `lifecycle: ` p95 (ms)', (r) => r.completion?.p95],
    ['peak RSS (MiB)', (r) => r.peakRssMiB],
  ];
  for (const file of ['clean', 'broken']) {
    const o = get('ours', file);
    const t = get('theirs', file);
    if (!o && !t) continue;
    out.push('', `| ${file === 'clean' ? 'clean file' : 'file with 50 errors'} | ours | yaml-language-server | ours/theirs |`, '| --- | ---: | ---: | ---: |');
    for (const [label, fn] of rows) {
      const a = o ? fn(o) : NaN;
      const b = t ? fn(t) : NaN;
      out.push(`| ${label} | ${f1(a)} | ${f1(b)} | ${fr(a, b)} |`);
    }
    const notes = [o, t].filter(Boolean).flatMap((r) => [
      ...r.notes.map((n) => `${r.server}: ${n}`),
      ...(r.lensFirst ? [`${r.server}: ${r.lensFirst.count} scorecard lenses in the file (built-in golden path), ${r.lensFirst.shown} resolved per edit; the edited entity's: "${r.lensFirst.title}"; after the diagnostics, the lens list's round trip took ${f1(r.edit.withLens.list.p50)} / ${f1(r.edit.withLens.list.p95)} ms (p50 / p95) and the shown lenses' resolves ${f1(r.edit.withLens.resolve.p50)} / ${f1(r.edit.withLens.resolve.p95)} ms; edit + lens samples delayed by CPU contention: ${r.edit.withLens.contended}/${r.edit.withLens.n}`] : []),
      `${r.server}: samples delayed by CPU contention: edits ${r.edit.contended}/${r.edit.n}, completion ${r.completion.contended}/${r.completion.n}; sent per edit: ${Object.entries(r.edit.traffic).map(([m, v]) => `${m} ${f1(v.messages)} msg / ${f1(v.kib)} KiB`).join(', ')}`,
    ]);
    out.push('', ...notes.map((n) => `- ${n}`));
  }
  for (const r of results.filter((x) => x.threads)) {
    out.push('', `<details><summary>Profile of ours during the edits, ${r.file} file (--cpu-prof)</summary>`, '');
    for (const th of r.threads) out.push(`${th.thread}, from didOpen to the first diagnostics:`, '```', th.open, '```', `${th.thread}, during the edits:`, '```', th.edits, '```');
    out.push('</details>');
  }
  return out.join('\n');
}

async function main() {
  const t0 = performance.now();
  const work = mkdtempSync(join(tmpdir(), 'paved-road-workspace-bench-'));
  try {
    const corpus = writeWorkspaceCorpus(join(work, 'catalog'));
    const keys = opt('--only', null) ? [opt('--only', null)] : ['ours', 'theirs'];
    const files = opt('--file', null) ? [opt('--file', null)] : ['clean', 'broken'];
    const results = [];
    for (const file of files) {
      for (const key of keys) {
        const cores = await waitQuiet(QUICK ? 0 : 10_000);
        log(`${key} × ${file} (machine load before: ${cores.toFixed(2)} cores)`);
        results.push(await session(key, join(work, 'catalog'), corpus[file]));
      }
      if (flag('--cpu-prof') && keys.includes('ours')) {
        // A development build with a source map, so that profiles name our sources.
        const dev = join(work, 'dev', 'server.js');
        mkdirSync(dirname(dev), { recursive: true });
        await devServerBuild(dev);
        const script = SERVERS.ours.script;
        SERVERS.ours.script = dev;
        const r = await session('ours', join(work, 'catalog'), corpus[file], { profile: true });
        SERVERS.ours.script = script;
        results.find((x) => x.server === 'ours' && x.file === corpus[file].file).threads = r.threads;
      }
    }
    const ver = (p) => JSON.parse(readFileSync(join(root, p), 'utf8')).version;
    const meta = {
      date: new Date().toISOString(),
      git: gitRevision(['server']),
      seconds: (performance.now() - t0) / 1000,
      machine: `${cpus()[0]?.model ?? 'cpu'} × ${availableParallelism()} cores`,
      yls: ver('node_modules/yaml-language-server/package.json'),
      theirsNode: execFileSync(THEIRS_NODE, ['-v'], { encoding: 'utf8', timeout: 10_000 }).trim().slice(1),
      corpus,
    };
    for (const r of results) r.file = r.file.includes('broken') ? 'broken' : 'clean';
    const text = report(results, meta);
    process.stdout.write(`${text}\n`);
    if (flag('--write')) writeSection(join(here, 'RESULTS.md'), 'workspace', text);
    if (opt('--json', null)) (await import('node:fs')).writeFileSync(opt('--json', null), JSON.stringify({ meta, results }, null, 1));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
