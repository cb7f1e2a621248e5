#!/usr/bin/env node
// Summarises a V8 .cpuprofile (from `node --cpu-prof`): the top functions by self time, and the
// top files by self time. Used by `node bench/run.mjs --cpu-prof`; also runnable on its own:
//   node bench/prof-summary.mjs FILE.cpuprofile [TOP]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** @param {{nodes: any[], samples: number[], timeDeltas: number[]}} prof */
export function summariseProfile(prof, top = 20) {
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map(); // node id -> µs
  for (let i = 0; i < prof.samples.length; i++) {
    const id = prof.samples[i];
    self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const fn = new Map();
  const file = new Map();
  for (const [id, us] of self) {
    const cf = byId.get(id)?.callFrame ?? {};
    const url = (cf.url || '').replace(/^file:\/\//, '').replace(/.*\/(node_modules|dist|server)\//, '$1/');
    const name = `${cf.functionName || '(anonymous)'} ${url ? `${url}:${(cf.lineNumber ?? 0) + 1}` : ''}`.trim();
    fn.set(name, (fn.get(name) ?? 0) + us);
    const f = url || `(${cf.functionName || 'native'})`;
    file.set(f, (file.get(f) ?? 0) + us);
  }
  const fmt = (m) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => `${(us / 1000).toFixed(1).padStart(9)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`)
      .join('\n');
  return `total sampled ${(total / 1000).toFixed(0)} ms\n-- by function (self)\n${fmt(fn)}\n-- by file (self)\n${fmt(file)}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node bench/prof-summary.mjs FILE.cpuprofile [TOP]');
    process.exit(2);
  }
  console.log(summariseProfile(JSON.parse(readFileSync(file, 'utf8')), Number(top) || 20));
}
