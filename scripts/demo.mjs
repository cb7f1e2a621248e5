#!/usr/bin/env node
// npm run demo: builds the extension, then opens the demo workspace (demo/) in VS Code with it loaded.
//   - the desktop `code` on PATH:  code --extensionDevelopmentPath=<repo> <repo>/demo
//   - otherwise a local code-server (installed by scripts/e2e-setup.sh) on 127.0.0.1 with the VSIX
//     installed in a throwaway extensions dir; open the printed http://127.0.0.1:PORT/ URL in a browser.
// Ctrl+C (or SIGTERM) stops code-server with its whole process group (extension host, language server,
// file watcher) and removes the throwaway folder. Environment: PAVED_ROAD_DEMO_PORT (default 8765; a
// free port is used when it is taken), PAVED_ROAD_DEMO_CODE_SERVER=1 to use code-server even when
// `code` is on PATH, PAVED_ROAD_DEMO_SKIP_BUILD=1 to reuse dist/ as it is.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';

const root = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const demo = join(root, 'demo');
const NODE24_BIN = join(process.env.E2E_NODE24_DIR || '/opt/node24', 'node_modules/node/bin');
const CODE_SERVER_JS = join(process.env.E2E_CODE_SERVER_DIR || '/opt/code-server', 'node_modules/code-server/out/node/entry.js');
const log = (s) => console.error(`[demo] ${s}`);

function onPath(cmd) {
  return (process.env.PATH || '').split(delimiter).some((d) => d && existsSync(join(d, cmd)));
}

function must(cmd, args, what, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', timeout: 900_000, ...opts });
  if (r.status !== 0) {
    log(`${what} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}

function portFree(port) {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}
function anyPort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function healthy(url) {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return r.ok;
  } catch {
    return false;
  }
}

// --- 1. build ------------------------------------------------------------------------------------
if (process.env.PAVED_ROAD_DEMO_SKIP_BUILD === '1') log('PAVED_ROAD_DEMO_SKIP_BUILD=1: using dist/ as it is');
else {
  log('building: npm run package');
  must('npm', ['run', '--silent', 'package'], 'npm run package');
}
const vsix = join(root, 'dist', 'paved-road.vsix');

// --- 2a. desktop VS Code ---------------------------------------------------------------------------
if (onPath('code') && process.env.PAVED_ROAD_DEMO_CODE_SERVER !== '1') {
  log(`opening ${demo} in VS Code with the extension from ${root}`);
  const r = spawnSync('code', [`--extensionDevelopmentPath=${root}`, demo], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

// --- 2b. code-server -------------------------------------------------------------------------------
if (!existsSync(vsix)) {
  log(`no VSIX at ${vsix}`);
  process.exit(1);
}
must('bash', [join(root, 'scripts', 'e2e-setup.sh')], 'scripts/e2e-setup.sh');

const tmp = mkdtempSync('/tmp/paved-road-demo.');
const dirs = Object.fromEntries(
  ['user-data/User', 'extensions', 'xdg-config', 'xdg-data', 'xdg-cache', 'tmp', 'home'].map((d) => {
    mkdirSync(join(tmp, d), { recursive: true });
    return [d, join(tmp, d)];
  }),
);
copyFileSync(join(root, 'test', 'e2e', 'settings.json'), join(dirs['user-data/User'], 'settings.json'));
const config = join(dirs['xdg-config'], 'config.yaml');
writeFileSync(config, 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');
const env = {
  PATH: `${NODE24_BIN}:/usr/bin:/bin`,
  HOME: dirs.home,
  XDG_CONFIG_HOME: dirs['xdg-config'],
  XDG_DATA_HOME: dirs['xdg-data'],
  XDG_CACHE_HOME: dirs['xdg-cache'],
  TMPDIR: dirs.tmp,
  LANG: process.env.LANG || 'C.UTF-8',
  HTTP_PROXY: 'http://127.0.0.1:9',
  HTTPS_PROXY: 'http://127.0.0.1:9',
  NO_PROXY: '127.0.0.1,localhost',
  EXTENSIONS_GALLERY: '{"serviceUrl":""}',
};
const common = ['--config', config, '--user-data-dir', join(tmp, 'user-data'), '--extensions-dir', dirs.extensions];

let child;
let stopping = false;
function leftovers() {
  // Last resort: processes that still name our throwaway folder on their command line, by PID.
  let pids = [];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid);
  } catch {
    return;
  }
  for (const p of pids) {
    try {
      if (readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(`${tmp}/`)) process.kill(Number(p), 'SIGKILL');
    } catch {
      /* gone already */
    }
  }
}
function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}
async function stop(code) {
  if (stopping) return;
  stopping = true;
  if (child?.pid && groupAlive(child.pid)) {
    log('stopping code-server');
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    const deadline = Date.now() + 10_000;
    while (groupAlive(child.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (groupAlive(child.pid)) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }
  leftovers();
  rmSync(tmp, { recursive: true, force: true });
  log('stopped; nothing left behind');
  process.exit(code);
}
process.on('SIGINT', () => void stop(130));
process.on('SIGTERM', () => void stop(143));
process.on('SIGHUP', () => void stop(129));
// `npm run demo` stopped with a plain `kill` dies without passing the signal on, and this script is
// re-parented: notice that, and stop as if signalled.
const parentAtStart = process.ppid;
setInterval(() => {
  if (process.ppid !== parentAtStart) void stop(143);
}, 500).unref();

log('installing the VSIX into a throwaway extensions dir');
const inst = spawnSync(join(NODE24_BIN, 'node'), [CODE_SERVER_JS, ...common, '--install-extension', vsix, '--force'], {
  env,
  encoding: 'utf8',
  timeout: 120_000,
});
if (inst.status !== 0) {
  log(`installing the VSIX failed:\n${inst.stdout}${inst.stderr}`);
  await stop(1);
}

const wanted = Number(process.env.PAVED_ROAD_DEMO_PORT || 8765);
const port = (await portFree(wanted)) ? wanted : await anyPort();
child = spawn(
  join(NODE24_BIN, 'node'),
  [
    CODE_SERVER_JS,
    ...common,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--disable-proxy',
    '--ignore-last-opened',
    demo,
  ],
  { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] }, // detached: its own session and process group
);
const serverLog = join(tmp, 'code-server.log');
child.stdout.on('data', (d) => writeFileSync(serverLog, d, { flag: 'a' }));
child.stderr.on('data', (d) => writeFileSync(serverLog, d, { flag: 'a' }));
child.on('exit', (code, signal) => {
  if (!stopping) {
    log(`code-server exited (${code ?? signal}):\n${existsSync(serverLog) ? readFileSync(serverLog, 'utf8').slice(-2000) : ''}`);
    void stop(code || 1);
  }
});

const base = `http://127.0.0.1:${port}`;
const deadline = Date.now() + 60_000;
while (!(await healthy(`${base}/healthz`))) {
  if (stopping) await new Promise(() => {}); // stop() exits the process
  if (Date.now() > deadline) {
    log('code-server did not answer /healthz within 60 s');
    await stop(1);
  }
  await new Promise((r) => setTimeout(r, 200));
}
const url = `${base}/?folder=${encodeURIComponent(demo)}`;
console.log(`\nPaved Road demo: open ${url} in a browser (Ctrl+C to stop)\n`);
