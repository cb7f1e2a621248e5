#!/usr/bin/env node
// Summarises a V8 .cpuprofile (from `node --cpu-prof`): top functions and top source files by self
// time, idle left out. When the profiled script has a source map next to it (esbuild's
// dist/server.js.map), bundle positions are mapped back to the original sources, so the answer is
// "server/src/catalog/validate.ts" or "node_modules/yaml/..." rather than "dist/server.js:26875".
// Used by `node bench/run.mjs --cpu-prof`; also runnable on its own:
//   node bench/prof-summary.mjs FILE.cpuprofile [TOP]
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { relative, resolve, dirname } from 'node:path';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64I = new Map([...B64].map((c, i) => [c, i]));

/** Decodes a v3 source map into per-generated-line sorted segments [genCol, srcIndex, srcLine]. */
function decodeMap(map) {
  const lines = [];
  let src = 0;
  let srcLine = 0;
  let srcCol = 0;
  for (const lineStr of map.mappings.split(';')) {
    const segs = [];
    let genCol = 0;
    for (const seg of lineStr.split(',')) {
      if (!seg) continue;
      const vals = [];
      let shift = 0;
      let value = 0;
      for (const ch of seg) {
        const d = B64I.get(ch);
        value += (d & 31) << shift;
        if (d & 32) shift += 5;
        else {
          vals.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      genCol += vals[0];
      if (vals.length >= 4) {
        src += vals[1];
        srcLine += vals[2];
        srcCol += vals[3];
        segs.push([genCol, src, srcLine]);
      }
    }
    lines.push(segs);
  }
  return lines;
}

function mapperFor(scriptPath) {
  // Only a map the script itself points at: a production build (minified, no map) can sit next to
  // a stale map from an earlier development build.
  let tail = '';
  try {
    tail = readFileSync(scriptPath, 'utf8').slice(-300);
  } catch {
    return null;
  }
  const ref = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(tail)?.[1];
  if (!ref || ref.startsWith('data:')) return null;
  const mapPath = resolve(dirname(scriptPath), ref);
  if (!existsSync(mapPath)) return null;
  const map = JSON.parse(readFileSync(mapPath, 'utf8'));
  const lines = decodeMap(map);
  const base = dirname(mapPath);
  const cwd = process.cwd();
  const sources = map.sources.map((s) => relative(cwd, resolve(base, map.sourceRoot ?? '', s)));
  return (line0, col0) => {
    const segs = lines[line0];
    if (!segs || !segs.length) return null;
    let lo = 0;
    let hi = segs.length - 1;
    let best = segs[0];
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (segs[mid][0] <= col0) {
        best = segs[mid];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return { source: sources[best[1]], line: best[2] + 1 };
  };
}

/**
 * @param {{nodes: any[], samples: number[], timeDeltas: number[]}} prof
 * @param {number} top
 */
export function summariseProfile(prof, top = 20, window = null) {
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map(); // node id -> µs
  // Sample i is taken at startTime + Σ timeDeltas[0..i] (µs, CLOCK_MONOTONIC like process.hrtime),
  // and stands for the time since the previous sample. `window` = [fromUs, toUs] keeps only those in it.
  let t = prof.startTime;
  for (let i = 0; i < prof.samples.length; i++) {
    t += prof.timeDeltas[i] ?? 0;
    if (window && (t < window[0] || t > window[1])) continue;
    const id = prof.samples[i];
    self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0));
  }
  const mappers = new Map();
  const mapped = (url) => {
    if (!url.startsWith('file://')) return null;
    const p = fileURLToPath(url);
    if (!mappers.has(p)) mappers.set(p, mapperFor(p));
    return mappers.get(p);
  };
  let idle = 0;
  const fn = new Map();
  const file = new Map();
  const pkg = new Map();
  for (const [id, us] of self) {
    const cf = byId.get(id)?.callFrame ?? {};
    if (cf.functionName === '(idle)') {
      idle += us;
      continue;
    }
    let where = cf.url ? cf.url.replace(/^file:\/\//, '') : '';
    let line = (cf.lineNumber ?? 0) + 1;
    const m = cf.url ? mapped(cf.url) : null;
    if (m) {
      const o = m(cf.lineNumber ?? 0, cf.columnNumber ?? 0);
      if (o) {
        where = o.source;
        line = o.line;
      } else {
        // No source for it: the bundler's own runtime (__require, __toESM, ...), where module
        // top-level code and lazy compilation of the bundle get attributed.
        where = `${where.split('/').pop()} (bundler runtime: module loading/init)`;
      }
    }
    where = where.replace(/^.*?\/node_modules\//, 'node_modules/');
    const name = `${cf.functionName || '(anonymous)'}${where ? `  ${where}:${line}` : ''}`;
    fn.set(name, (fn.get(name) ?? 0) + us);
    const f = where || `(${cf.functionName || 'native'})`;
    file.set(f, (file.get(f) ?? 0) + us);
    const group = /^node_modules\/((@[^/]+\/)?[^/]+)/.exec(f)?.[1] ?? (/^(server|client)\/src\//.test(f) ? f.split('/').slice(0, 3).join('/') : f.startsWith('node:') ? 'node internals' : f);
    pkg.set(group, (pkg.get(group) ?? 0) + us);
  }
  const total = [...fn.values()].reduce((a, b) => a + b, 0);
  const fmt = (m) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => `${(us / 1000).toFixed(1).padStart(9)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`)
      .join('\n');
  return (
    `busy ${(total / 1000).toFixed(0)} ms (idle ${(idle / 1000).toFixed(0)} ms left out); percentages are of busy time\n` +
    `-- by package / source folder (self)\n${fmt(pkg)}\n-- by function (self)\n${fmt(fn)}\n-- by file (self)\n${fmt(file)}`
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [f, top] = process.argv.slice(2);
  if (!f) {
    console.error('usage: node bench/prof-summary.mjs FILE.cpuprofile [TOP]');
    process.exit(2);
  }
  console.log(summariseProfile(JSON.parse(readFileSync(f, 'utf8')), Number(top) || 20));
}
