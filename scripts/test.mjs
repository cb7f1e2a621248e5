#!/usr/bin/env node
// The one test command (npm test): type-check, build, then every suite in order.
//   node scripts/test.mjs            all suites, end-to-end last
//   node scripts/test.mjs unit lsp   only the named suites (unit, cli, lsp, oracle, fuzz, templates, e2e)
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const nodeSuites = ['unit', 'cli', 'lsp', 'oracle', 'fuzz', 'templates'];
const all = [...nodeSuites, 'e2e'];
const asked = process.argv.slice(2);
const unknown = asked.filter((s) => !all.includes(s));
if (unknown.length) {
  console.error(`unknown suite(s): ${unknown.join(', ')}; expected some of: ${all.join(', ')}`);
  process.exit(2);
}
const suites = asked.length ? asked : all;

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    console.error(`\n✗ ${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}

function testFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.test.ts')) out.push(p);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}

// The live-source tests (lsp, e2e) run against a real Backstage backend with its own install; on a fresh
// machine it is installed here, after the apt packages its native module compiles with.
if ((suites.includes('lsp') || suites.includes('e2e')) && !existsSync(join(root, 'test/peers/backstage/node_modules/@backstage/plugin-catalog-backend'))) {
  run('bash', ['scripts/e2e-setup.sh']);
  run('npm', ['ci', '--prefix', 'test/peers/backstage', '--no-audit', '--no-fund']);
}
run(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', '.']);
run(process.execPath, ['esbuild.mjs']);

const files = suites.filter((s) => nodeSuites.includes(s)).flatMap((s) => testFiles(join(root, 'test', s)));
if (files.length) {
  run(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files]);
}
if (suites.includes('e2e')) {
  run('bash', ['test/e2e/run.sh']);
}
