/**
 * Fuzz-style robustness test of the engine (deterministic: seeded PRNG, no dependency).
 *
 * Seeds are the demo workspace and the test fixtures; each case applies random mutations to one seed
 * (character and bit flips, line edits, `---`, quotes, tabs, anchors/aliases, merge keys, deep nesting,
 * lone surrogates, NUL, CRLF, BOM, long lines, truncation, ...). Fixed hostile inputs follow
 * (random bytes, a 10 MB file, alias bombs, 10,000-level nesting, ...).
 *
 * For every input: analyzeText never throws, returns within TIME_LIMIT_MS, every offset is an integer
 * inside the text with start <= end, and `valid` is exactly "no problem with severity error".
 *
 *   node --import tsx --test test/fuzz/fuzz.test.ts
 *   FUZZ_SEED=7 FUZZ_CASES=20000 node --import tsx --test test/fuzz/fuzz.test.ts   another run
 *   FUZZ_SEED=7 FUZZ_CASE=1234 node --import tsx --test test/fuzz/fuzz.test.ts     replay one case
 *
 * A failing case is also written to $TMPDIR/paved-road-fuzz/ so it can be opened or replayed as a file.
 * A true hang cannot be interrupted from inside a synchronous call, so a watchdog thread prints the
 * running case and kills the process after HANG_KILL_MS.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { analyzeText } from '../../server/src/catalog/analyze';
import type { FileAnalysis } from '../../server/src/catalog/types';
import { Rng, caseSeed, hostileInputs, mutate, SMALL_ENTITY } from './mutators';

const ROOT = resolve(__dirname, '../..');
const SEED = Number(process.env.FUZZ_SEED ?? 20240601) | 0;
const CASES = Number(process.env.FUZZ_CASES ?? 3000);
const ONLY_CASE = process.env.FUZZ_CASE === undefined ? undefined : Number(process.env.FUZZ_CASE);
const TIME_LIMIT_MS = Number(process.env.FUZZ_TIME_LIMIT_MS ?? 2000);
const HANG_KILL_MS = 15000;
const MAX_REPORTED = 10;
const SEVERITIES = new Set(['error', 'warning', 'info']);

// ---------------------------------------------------------------------------------------------
// Watchdog: the main thread publishes the running input's description into shared memory; a worker
// thread (plain JS, so it needs no TypeScript loader) kills the process if one input runs too long.

const shared = new SharedArrayBuffer(8 + 4096);
const control = new Int32Array(shared, 0, 2); // [0] = input counter, [1] = description length
const descBytes = new Uint8Array(shared, 8);
const watchdog = new Worker(
  `
  const { workerData } = require('node:worker_threads');
  const fs = require('node:fs');
  const control = new Int32Array(workerData.shared, 0, 2);
  const desc = new Uint8Array(workerData.shared, 8);
  let last = -1, since = Date.now();
  setInterval(() => {
    const now = Atomics.load(control, 0);
    if (now !== last) { last = now; since = Date.now(); return; }
    if (now % 2 === 1 && Date.now() - since > workerData.killMs) {
      const text = Buffer.from(desc.slice(0, Atomics.load(control, 1))).toString('utf8');
      fs.writeSync(2, '\\nFUZZ HANG: analyzeText did not return within ' + workerData.killMs + ' ms on input: ' + text + '\\n');
      process.kill(process.pid, 'SIGKILL');
    }
  }, 250);
  `,
  { eval: true, workerData: { shared, killMs: HANG_KILL_MS } },
);
watchdog.unref();

function running(desc: string): void {
  const bytes = Buffer.from(desc.slice(0, 1000), 'utf8');
  descBytes.set(bytes.subarray(0, descBytes.length));
  Atomics.store(control, 1, Math.min(bytes.length, descBytes.length));
  Atomics.add(control, 0, 1); // odd: an input is running
}
function finished(): void {
  Atomics.add(control, 0, 1); // even: idle
}

// ---------------------------------------------------------------------------------------------
// Checking one input.

function isInt(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n);
}

/** One broken invariant: `kind` groups similar failures, `text` says exactly what is wrong. */
interface Violation {
  kind: string;
  text: string;
}

/** Every broken invariant of `result` for `text` (empty when all is well). */
function violations(text: string, result: FileAnalysis): Violation[] {
  const bad: Violation[] = [];
  if (!result || !Array.isArray(result.documents)) return [{ kind: 'no documents array', text: `result.documents is not an array: ${String(result)}` }];
  const len = text.length;
  const inText = (s: unknown, e: unknown): boolean => isInt(s) && isInt(e) && 0 <= s && s <= e && e <= len;
  const rangeKind = (s: unknown, e: unknown): string =>
    !isInt(s) || !isInt(e) ? 'not integers' : s > e ? 'start > end' : s < 0 ? 'negative' : 'past the end of the text';
  let prevStart = -1;
  result.documents.forEach((d, i) => {
    const where = `documents[${i}]`;
    if (!isInt(d.docIndex) || d.docIndex < 0) bad.push({ kind: 'bad docIndex', text: `${where}.docIndex is ${String(d.docIndex)}` });
    if (!inText(d.start, d.end)) {
      bad.push({ kind: `document range ${rangeKind(d.start, d.end)}`, text: `${where} range ${String(d.start)}..${String(d.end)} is not inside 0..${len}` });
    } else if (d.start < prevStart) {
      bad.push({ kind: 'documents out of order', text: `${where} starts at ${d.start}, before the previous document (${prevStart})` });
    }
    if (isInt(d.start)) prevStart = d.start;
    if (typeof d.empty !== 'boolean') bad.push({ kind: 'empty not boolean', text: `${where}.empty is not a boolean` });
    if (!Array.isArray(d.problems)) {
      bad.push({ kind: 'problems not an array', text: `${where}.problems is not an array` });
      return;
    }
    d.problems.forEach((p, k) => {
      const pw = `${where}.problems[${k}] (${String(p?.code)}: ${String(p?.message).slice(0, 80)})`;
      if (!inText(p.start, p.end)) {
        bad.push({ kind: `${String(p.code)} problem range ${rangeKind(p.start, p.end)}`, text: `${pw} range ${String(p.start)}..${String(p.end)} is not inside 0..${len}` });
      }
      if (typeof p.code !== 'string' || !p.code) bad.push({ kind: 'problem without code', text: `${pw} has no code` });
      if (typeof p.message !== 'string' || !p.message) bad.push({ kind: 'problem without message', text: `${pw} has no message` });
      if (!SEVERITIES.has(p.severity)) bad.push({ kind: 'bad severity', text: `${pw} has severity ${String(p.severity)}` });
    });
    const expected = !d.problems.some((p) => p.severity === 'error');
    if (d.valid !== expected) bad.push({ kind: 'valid mismatch', text: `${where}.valid is ${String(d.valid)} but it has ${expected ? 'no' : 'an'} error problem` });
    if (d.entity !== undefined) {
      const e = d.entity;
      for (const k of ['kind', 'namespace', 'name', 'ref'] as const) {
        if (typeof e[k] !== 'string') bad.push({ kind: 'bad entity identity', text: `${where}.entity.${k} is not a string` });
      }
    }
  });
  return bad;
}

interface Outcome {
  result?: FileAnalysis;
  ms: number;
  /** What went wrong, for people. */
  failure?: string;
  /** What kind of thing went wrong, to group similar failures. */
  kind?: string;
}

/** Runs the engine on one input and checks everything; `failure` says what went wrong. */
function runOne(desc: string, text: string, path?: string): Outcome {
  running(desc);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let result: FileAnalysis;
  try {
    result = analyzeText(text, path === undefined ? undefined : { path });
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    const lines = (e.stack ?? String(err)).split('\n');
    const frame = lines.find((l) => /^\s+at .*\.[cm]?[jt]s:\d+/.test(l)) ?? '';
    const file = /([^/\\(]+?\.[cm]?[jt]s)(?::\d+)+\)?$/.exec(frame)?.[1] ?? '?';
    return {
      ms: performance.now() - t0,
      failure: `analyzeText threw: ${lines.slice(0, 5).join('\n      ')}`,
      kind: `threw ${e.name}: ${e.message.replace(/\d+/g, '#').slice(0, 60)} (in ${file})`,
    };
  } finally {
    finished();
  }
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  const cpuMs = (c.user + c.system) / 1000;
  const bad = violations(text, result);
  // CPU time, so that a busy machine does not fail the test; a true hang is caught by the watchdog.
  if (cpuMs > TIME_LIMIT_MS) bad.unshift({ kind: 'too slow', text: `took ${cpuMs.toFixed(0)} ms of CPU time, ${ms.toFixed(0)} ms in all (limit ${TIME_LIMIT_MS} ms)` });
  if (!bad.length) return { result, ms };
  return { result, ms, failure: bad.slice(0, 8).map((b) => b.text).join('\n    '), kind: [...new Set(bad.map((b) => b.kind))].join(' + ') };
}

/** The FileAnalysis fields only (the engine may attach parsed documents and caches to its result). */
function publicPart(result: FileAnalysis | undefined): unknown {
  return result?.documents.map((d) => ({
    docIndex: d.docIndex, start: d.start, end: d.end, empty: d.empty, entity: d.entity, valid: d.valid,
    problems: d.problems.map((p) => ({ code: p.code, message: p.message, severity: p.severity, start: p.start, end: p.end })),
  }));
}

/** Where two results first differ, briefly. */
function firstDifference(a: unknown, b: unknown): string {
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  let i = 0;
  while (i < x.length && x[i] === y[i]) i++;
  return `first call …${x.slice(Math.max(0, i - 60), i + 60)}… second call …${y.slice(Math.max(0, i - 60), i + 60)}…`;
}

let dumpCount = 0;
function dump(desc: string, text: string): string {
  const dir = join(tmpdir(), 'paved-road-fuzz');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `failure-${process.pid}-${++dumpCount}.yaml`);
  writeFileSync(file, text);
  writeFileSync(file + '.txt', desc + '\n');
  return file;
}

function report(failures: string[]): void {
  if (failures.length) assert.fail(`${failures.length} failing input(s):\n\n${failures.join('\n\n')}`);
}

/**
 * Collects failures grouped by kind (the failure text with numbers and quoted details blanked out),
 * keeping the shortest input of each kind, so one engine bug does not hide the others.
 */
class FailureGroups {
  private groups = new Map<string, { count: number; desc: string; failure: string; text: string }>();
  add(kind: string, desc: string, failure: string, text: string): void {
    const g = this.groups.get(kind);
    if (!g) this.groups.set(kind, { count: 1, desc, failure, text });
    else {
      g.count++;
      if (text.length < g.text.length) Object.assign(g, { desc, failure, text });
    }
  }
  get size(): number {
    return this.groups.size;
  }
  report(): void {
    const out = [...this.groups.entries()].map(
      ([kind, g]) => `[${kind}: ${g.count} input(s); the shortest (${g.text.length} chars):]\n${g.desc}\n    ${g.failure}\n    input saved to ${dump(g.desc, g.text)}${g.text.length <= 120 ? `\n    input: ${JSON.stringify(g.text)}` : ''}`,
    );
    if (out.length) assert.fail(`${out.length} kind(s) of failure:\n\n${out.join('\n\n')}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Seeds.

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

const seedFiles = [...walk(join(ROOT, 'demo')), ...walk(join(ROOT, 'test/fixtures'))].sort();
const seeds = seedFiles.map((p) => ({ path: p, rel: relative(ROOT, p), text: readFileSync(p, 'utf8') }));
const seedTexts = seeds.map((s) => s.text);

// ---------------------------------------------------------------------------------------------

test('seed files: the clean demo is valid, every demo/broken file has an error', () => {
  assert.ok(seeds.length >= 10, `expected the demo and fixture seeds, found ${seeds.length}`);
  const failures: string[] = [];
  for (const s of seeds) {
    const o = runOne(`seed ${s.rel}`, s.text, s.path);
    if (o.failure) failures.push(`seed ${s.rel}:\n    ${o.failure}`);
    // Only catalog files are judged (API definitions, the policies file, a service's Kubernetes manifests and
    // CI workflows are YAML of other kinds).
    const catalog = s.rel.startsWith('demo/broken/') || /^apiVersion:\s*['"]?(scaffolder\.)?backstage\.io\//m.test(s.text);
    if (!o.result || !s.rel.startsWith('demo/') || !catalog || /openapi|asyncapi|\.paved-road\//.test(s.rel)) continue;
    const errors = o.result.documents.flatMap((d) => d.problems.filter((p) => p.severity === 'error'));
    if (s.rel.startsWith('demo/broken/')) {
      if (!errors.length) failures.push(`${s.rel}: expected at least one error, got none`);
    } else if (errors.length) {
      failures.push(`${s.rel}: expected no errors, got ${errors.map((p) => `${p.code} @${p.start}: ${p.message}`).join('; ')}`);
    }
  }
  report(failures);
});

test(`mutated seeds: ${ONLY_CASE === undefined ? CASES : 1} case(s), seed ${SEED}`, () => {
  const failures = new FailureGroups();
  let slowest = { ms: 0, desc: '' };
  const first = ONLY_CASE ?? 0;
  const last = ONLY_CASE ?? CASES - 1;
  for (let i = first; i <= last && failures.size < MAX_REPORTED; i++) {
    const r = new Rng(caseSeed(SEED, i));
    const s = r.pick(seeds);
    const { text, steps } = mutate(s.text, r, seedTexts);
    const path = r.chance(0.5) ? s.path : undefined;
    const desc = `FUZZ_SEED=${SEED} FUZZ_CASE=${i}: seed ${s.rel}${path ? ' (path given)' : ''}; ${steps.join('; ')}`;
    const o = runOne(desc, text, path);
    if (o.ms > slowest.ms) slowest = { ms: o.ms, desc };
    if (o.failure) failures.add(o.kind ?? '?', desc, o.failure, text);
  }
  if (ONLY_CASE === undefined) console.log(`fuzz: slowest case ${slowest.ms.toFixed(1)} ms: ${slowest.desc.slice(0, 300)}`);
  failures.report();
});

/** Files that `$text`/`$json`/`$yaml` placeholders point at, written to a temporary folder. */
function placeholderInputs(): Array<{ name: string; text: () => string; path?: string }> {
  const dir = join(tmpdir(), `paved-road-fuzz-targets-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const bomb = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let k = 1; k <= 9; k++) bomb.push(`a${k}: &a${k} [${Array(9).fill(`*a${k - 1}`).join(', ')}]`);
  const targets: Record<string, string> = {
    'bomb.yaml': bomb.join('\n') + '\n',
    'self-alias.yaml': 'a: &a [*a]\nb: &b {k: *b}\n',
    'deep-flow.yaml': '['.repeat(10000) + ']'.repeat(10000),
    'deep-compact.yaml': ': '.repeat(3000) + 'x\n y: z\n',
    'deep.json': '['.repeat(100000) + ']'.repeat(100000),
    'two-docs.yaml': 'a: 1\n---\nb: 2\n',
    'broken.yaml': 'a: "unclosed\n',
    'nul.txt': '\0'.repeat(1000),
    'surrogates.txt': '\uD800\uDC00\uDFFF',
  };
  for (const [name, content] of Object.entries(targets)) writeFileSync(join(dir, name), content);
  const out: Array<{ name: string; text: () => string; path?: string }> = [];
  for (const name of Object.keys(targets)) {
    for (const key of ['$text', '$json', '$yaml']) {
      out.push({
        name: `${key} placeholder whose target is ${name}`,
        path: join(dir, 'catalog-info.yaml'),
        text: () => `apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: ph\nspec:\n  type: openapi\n  lifecycle: production\n  owner: group:x\n  definition:\n    ${key}: ./${name}\n`,
      });
    }
  }
  return out;
}

test('fixed hostile inputs', () => {
  const failures: string[] = [];
  const times: Array<{ ms: number; name: string }> = [];
  for (const h of [...hostileInputs(), ...placeholderInputs()]) {
    const text = h.text();
    const desc = `hostile input: ${h.name}`;
    const o = runOne(desc, text, h.path);
    times.push({ ms: o.ms, name: h.name });
    if (o.failure) failures.push(`${desc}\n    ${o.failure}${text.length < 2_000_000 ? `\n    input saved to ${dump(desc, text)}` : ''}`);
  }
  times.sort((a, b) => b.ms - a.ms);
  console.log(`hostile inputs: slowest ${times.slice(0, 4).map((t) => `${t.ms.toFixed(0)} ms ${t.name}`).join('; ')}`);
  report(failures);
});

test('a 10 MB file is refused quickly with one problem that mentions the size', () => {
  let text = '';
  const doc = SMALL_ENTITY + '---\n';
  while (text.length < 10 * 1024 * 1024) text += doc;
  const o = runOne('hostile input: a 10 MB catalog file', text);
  assert.equal(o.failure, undefined, o.failure);
  const problems = o.result!.documents.flatMap((d) => d.problems);
  assert.ok(
    problems.some((p) => /size|large|big|limit|\d\s*(MB|MiB|KB|KiB|bytes)/i.test(p.message)),
    `expected a problem about the file size, got: ${JSON.stringify(problems.slice(0, 3))}`,
  );
  assert.ok(problems.length <= 3, `expected one clear problem, got ${problems.length}`);
  assert.ok(o.ms < TIME_LIMIT_MS, `took ${o.ms.toFixed(0)} ms`);
});

test('the same input gives the same answer twice (no state leaks between calls)', () => {
  const failures = new FailureGroups();
  for (let i = 0; i < 200; i++) {
    const r = new Rng(caseSeed(SEED ^ 0x51ab, i));
    const s = r.pick(seeds);
    const { text, steps } = mutate(s.text, r, seedTexts);
    const desc = `determinism case ${i} (FUZZ_SEED=${SEED}): seed ${s.rel}; ${steps.join('; ')}`;
    const a = runOne(desc, text, s.path);
    // An unrelated call in between, so that caches keyed on the path or the text are exercised.
    runOne(`${desc} (interleaved call)`, r.pick(seedTexts), s.path);
    const b = runOne(desc, text, s.path);
    if (a.failure || b.failure) continue; // reported by the other tests
    const pa = publicPart(a.result);
    const pb = publicPart(b.result);
    if (JSON.stringify(pa) !== JSON.stringify(pb)) failures.add('results differ between calls', desc, `results differ between two calls: ${firstDifference(pa, pb)}`, text);
  }
  // Deeply nested inputs, several times each with other work in between (the JIT changes stack frame
  // sizes, so anything that depends on where the stack overflows changes from call to call).
  for (const h of hostileInputs().filter((x) => /level/.test(x.name))) {
    const text = h.text();
    const desc = `determinism: hostile input ${h.name}, 4 calls`;
    const first = runOne(desc, text);
    for (let k = 0; k < 3; k++) {
      for (const s of seeds.slice(0, 8)) runOne(`${desc} (interleaved call)`, s.text, s.path);
      const again = runOne(desc, text);
      if (first.failure || again.failure) break;
      const pa = publicPart(first.result);
      const pb = publicPart(again.result);
      if (JSON.stringify(pa) !== JSON.stringify(pb)) {
        failures.add('results differ between calls', desc, `results differ between call 1 and call ${k + 2}: ${firstDifference(pa, pb)}`, text);
        break;
      }
    }
  }
  failures.report();
});
