// Helpers shared by the benchmarks: options, percentiles, machine load, contention per sample, reports.
import { alias } from '../scripts/bundle-options.mjs';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { selfSched } from './lsp-client.mjs';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const log = (...a) => process.stderr.write(a.join(' ') + '\n');
/** CLOCK_MONOTONIC in µs: the clock of V8's .cpuprofile timestamps */
export const hrUs = () => Number(process.hrtime.bigint() / 1000n);

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The command line: `flag('--x')` is true when given, `opt('--x', dflt)` is the word after it. */
export function options(argv = process.argv.slice(2)) {
  const flag = (name) => argv.includes(name);
  const opt = (name, dflt) => {
    const i = argv.indexOf(name);
    return i >= 0 && i + 1 < argv.length ? argv[i + 1] : dflt;
  };
  return { argv, flag, opt };
}

/** The node flags the extension starts the server with (package.json pavedRoad.serverNodeArgs). */
export const SHIPPED_NODE_ARGS = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).pavedRoad?.serverNodeArgs ?? [];

/** Node flags from a `--...-node-args "..."` option, the shipped ones when it is not given. */
export const nodeArgsFrom = (value) => (value ?? SHIPPED_NODE_ARGS.join(' ')).split(/\s+/).filter(Boolean);

/** The checkout's short commit, marked when `paths` have uncommitted changes ('unknown' outside git). */
export function gitRevision(paths) {
  try {
    const git = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8', timeout: 5000 }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', ...paths], { cwd: root, encoding: 'utf8', timeout: 5000 }).trim();
    return dirty ? `${git} + uncommitted changes in server/` : git;
  } catch {
    return 'unknown';
  }
}

/** The p-th percentile of sorted numbers (nearest rank). */
export function pct(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function stats(samples) {
  const s = samples.filter(Number.isFinite).sort((a, b) => a - b);
  return {
    n: s.length,
    p50: pct(s, 50),
    p95: pct(s, 95),
    min: s[0] ?? NaN,
    max: s[s.length - 1] ?? NaN,
    mean: s.length ? s.reduce((a, b) => a + b, 0) / s.length : NaN,
  };
}

/** Jiffies of all CPUs: {busy, total} from the first line of /proc/stat (USER_HZ = 100 ticks a second). */
export function machineJiffies() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = (f[3] ?? 0) + (f[4] ?? 0); // idle + iowait
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0); // user..steal
  return { busy: total - idle, total };
}

/**
 * Waits (bounded) for the machine to be quiet: other processes using < 0.3 cores over 1 s.
 * Returns the load seen last, in cores.
 */
export async function waitQuiet(maxMs) {
  const t0 = performance.now();
  let cores = NaN;
  do {
    const j0 = machineJiffies();
    await sleep(1000);
    cores = (machineJiffies().busy - j0.busy) / 100; // ticks over 1 s -> cores (nothing of ours runs meanwhile)
    if (cores < 0.3) break;
  } while (performance.now() - t0 < maxMs);
  return cores;
}

/**
 * One timed sample, and whether CPU contention delayed it: the time the server's and this harness's
 * main threads were runnable but waiting for a CPU (schedstat) is ≥ 1 ms and ≥ 25% of the latency.
 */
export async function sampled(client, fn) {
  const s0 = client.mainThreadSched();
  const h0 = selfSched();
  const r = await fn();
  const s1 = client.mainThreadSched();
  const h1 = selfSched();
  const waitMs = s1.wait - s0.wait + (h1.wait - h0.wait);
  return { ...r, waitMs, contended: Number.isFinite(waitMs) && waitMs >= 1 && waitMs >= 0.25 * r.ms, cpuMs: s1.run - s0.run };
}

/** A development bundle of the current server sources (with a source map, for profiles), as `npm run build` makes it. */
export async function devServerBuild(outfile) {
  const esbuild = await import('esbuild');
  await esbuild.build({ entryPoints: [join(root, 'server', 'src', 'main.ts')], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: true, sourcesContent: false, logLevel: 'warning', alias });
}

/**
 * Bundles the named exports of server modules (lines like "export { X } from './server/src/…'") into one
 * CommonJS file with esbuild, loads it and removes it: in-process benchmarks measure the current source
 * as one bundle, as the server ships.
 */
export async function loadServerModules(exportLines) {
  const dir = mkdtempSync(join(tmpdir(), 'paved-road-bench-bundle-'));
  const outfile = join(dir, 'modules.cjs');
  try {
    const esbuild = await import('esbuild');
    await esbuild.build({ stdin: { contents: exportLines.join('\n'), resolveDir: root, loader: 'ts' }, outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning', alias });
    return createRequire(import.meta.url)(outfile);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The `<!-- name -->…<!-- /name -->` section of a report, markers included, if it has one. */
export function section(text, name) {
  return new RegExp(`<!-- ${name} -->[\\s\\S]*?<!-- /${name} -->`).exec(text)?.[0];
}

/**
 * Writes `text` to `path`, keeping the named sections of the file it replaces (put back in place, or at the
 * end); without names, every section the old file has (each benchmark writes its own).
 */
export function writeKeeping(path, text, names) {
  const old = existsSync(path) ? readFileSync(path, 'utf8') : '';
  for (const name of names ?? [...old.matchAll(/^<!-- ([\w-]+) -->$/gm)].map((m) => m[1])) {
    const kept = section(old, name);
    if (!kept) continue;
    text = section(text, name) ? text.replace(section(text, name), () => kept) : `${text.trimEnd()}\n\n${kept}\n`;
  }
  writeFileSync(path, text);
}

/** Replaces the named section of the file at `path` (or appends it), leaving the rest as it is. */
export function writeSection(path, name, body) {
  const old = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const block = `<!-- ${name} -->\n${body.trim()}\n<!-- /${name} -->`;
  writeFileSync(path, section(old, name) ? old.replace(section(old, name), () => block) : `${old.trimEnd()}\n\n${block}\n`);
}
