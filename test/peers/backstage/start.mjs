#!/usr/bin/env node
// A real Backstage catalog backend on 127.0.0.1, for Paved Road's tests and benchmarks.
//
//   node test/peers/backstage/start.mjs [--fixtures DIR | --generate N] [--token TOKEN] [--port N]
//                                       [--expect N] [--timeout SECONDS] [--interval SECONDS]
//
// It writes an app-config into a temporary folder (in-memory SQLite, one `file` location per fixture
// YAML, the static token through backend.auth.externalAccess, or no auth policy without --token),
// starts the backend in this process, waits until the catalog has processed every location (bounded by
// --timeout, default 180 s), then prints one line on stdout:
//   PAVED_ROAD_BACKSTAGE_READY {"port":…,"url":"http://127.0.0.1:…","pid":…,"entities":…,"readyMs":…}
// Stop it by its PID (SIGTERM). It exits 1 when it is not ready in time.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateFixtures } from './fixtures.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const started = Date.now();
const token = opt('token', '');
const timeoutMs = Number(opt('timeout', '180')) * 1000;
const interval = Number(opt('interval', '600'));
const expect = Number(opt('expect', '0'));
const work = mkdtempSync(join(tmpdir(), 'paved-road-backstage-'));
const cleanup = () => rmSync(work, { recursive: true, force: true });
process.on('exit', cleanup);

let fixtures = resolve(opt('fixtures', join(here, 'fixtures')));
if (opt('generate', '')) {
  fixtures = join(work, 'fixtures');
  generateFixtures(fixtures, Number(opt('generate', '0')));
}
const files = readdirSync(fixtures).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(fixtures, f));

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}
const port = Number(opt('port', '0')) || (await freePort());
const url = `http://127.0.0.1:${port}`;

// Backstage globs `file` targets: wrap glob characters in [...] so every path matches itself.
const target = (p) => p.replace(/[*?[\]{}()!+@]/g, (c) => `[${c}]`);
const config = {
  app: { baseUrl: url },
  backend: {
    baseUrl: url,
    listen: { host: '127.0.0.1', port },
    database: { client: 'better-sqlite3', connection: ':memory:' },
    auth: token ? { externalAccess: [{ type: 'static', options: { token, subject: 'paved-road-tests' } }] } : { dangerouslyDisableDefaultAuthPolicy: true },
  },
  // The event bus would publish from inside an SQLite transaction and stall (one connection).
  events: { useEventBus: 'never' },
  catalog: {
    processingInterval: { seconds: interval },
    rules: [{ allow: ['Component', 'System', 'API', 'Resource', 'Location', 'User', 'Group', 'Domain', 'Template', 'Environment'] }],
    locations: files.map((f) => ({ type: 'file', target: target(f) })),
  },
};
const configFile = join(work, 'app-config.json');
writeFileSync(configFile, JSON.stringify(config, null, 2));
process.argv.push('--config', configFile);
process.env.LOG_LEVEL ??= 'warn';

const { createBackend } = await import('@backstage/backend-defaults');
const { createBackendModule } = await import('@backstage/backend-plugin-api');
const { catalogProcessingExtensionPoint } = await import('@backstage/plugin-catalog-node');

// An installation's own kind, as real catalogs have: Backstage accepts `Environment` here, and an editor
// without the installation's `kinds` policy does not (Paved Road quarantines these).
const customKinds = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'paved-road-custom-kinds',
  register(env) {
    env.registerInit({
      deps: { catalog: catalogProcessingExtensionPoint },
      async init({ catalog }) {
        catalog.addProcessor({
          getProcessorName: () => 'PavedRoadCustomKinds',
          validateEntityKind: async (entity) => entity.kind === 'Environment' && entity.apiVersion === 'backstage.io/v1alpha1',
        });
      },
    });
  },
});

const backend = createBackend();
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'));
backend.add(import('@backstage/plugin-catalog-backend-module-unprocessed'));
backend.add(customKinds);

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  const forced = setTimeout(() => process.exit(code), 5000);
  forced.unref();
  try {
    await backend.stop();
  } catch {
    /* exiting anyway */
  }
  process.exit(code);
}
process.on('SIGTERM', () => void stop(0));
process.on('SIGINT', () => void stop(0));

await backend.start();

/** GETs JSON from the catalog API, with the token; undefined when it does not answer yet. */
async function get(path) {
  try {
    const res = await fetch(`${url}/api/catalog${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(10_000) });
    return res.ok ? await res.json() : undefined;
  } catch {
    return undefined;
  }
}

// Ready: every configured location has its Location entity, nothing waits unprocessed without an error,
// (with --expect) at least that many entities, and the uid/etag list is the same over two polls.
let previous = '';
const deadline = started + timeoutMs;
for (;;) {
  if (Date.now() > deadline) {
    process.stderr.write(`Backstage was not ready within ${timeoutMs / 1000} s\n`);
    await stop(1);
  }
  const list = await get('/entities?fields=kind,metadata.uid,metadata.etag');
  const pending = await get('/entities/unprocessed/pending');
  if (Array.isArray(list)) {
    const locations = list.filter((e) => e.kind === 'Location').length;
    const waiting = Array.isArray(pending?.entities) ? pending.entities.filter((p) => !p.errors?.length).length : 0;
    const fingerprint = list.map((e) => `${e.metadata.uid}:${e.metadata.etag}`).sort().join(',');
    const entities = list.length - locations;
    if (locations >= files.length && waiting === 0 && entities >= expect && fingerprint === previous) {
      process.stdout.write(`PAVED_ROAD_BACKSTAGE_READY ${JSON.stringify({ port, url, pid: process.pid, entities, readyMs: Date.now() - started })}\n`);
      break;
    }
    previous = fingerprint;
  }
  await new Promise((r) => setTimeout(r, 1000));
}
