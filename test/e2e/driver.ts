// The Playwright driver of one scenario, started by test/e2e/run.sh once code-server is healthy:
//   node --import tsx test/e2e/driver.ts --scenario editing --port 12345 --run-dir $RUN_TMP/editing \
//     --artifacts test/e2e/artifacts/editing --mode vsix|dev --ext-path <repo> --timeout 240
// It opens the workbench in Debian's headless chromium on 127.0.0.1, runs the scenario's steps and
// writes <run-dir>/results.txt, which the runner counts. Screenshots go to the artifacts folder.
import { appendFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { cancelPendingWaits, ensureDir, Results, withTimeout, type RunInfo, type Scenario, type StepContext } from './lib/harness';
import { Workbench } from './lib/workbench';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
  '--disable-breakpad',
  '--disable-crash-reporter',
];

function args(): Record<string, string> {
  const out: Record<string, string> = {};
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i];
    const v = argv[i + 1];
    if (!k?.startsWith('--') || v === undefined) throw new Error(`bad arguments: ${argv.join(' ')}`);
    out[k.slice(2)] = v;
  }
  for (const k of ['scenario', 'port', 'run-dir', 'artifacts']) if (!out[k]) throw new Error(`missing --${k}`);
  return out;
}

const elapsed = (t0: number) => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

async function main(): Promise<number> {
  const a = args();
  const root = resolve(__dirname, '..', '..');
  const mode = a.mode === 'dev' ? 'dev' : 'vsix';
  const port = Number(a.port);
  const limitMs = Number(a.timeout ?? '240') * 1000;
  const deadline = Date.now() + limitMs;
  const runDir = a['run-dir'];
  const artifacts = ensureDir(a.artifacts);
  const info: RunInfo = { root, runDir, workspace: ensureDir(join(runDir, 'workspace')), artifacts, mode };

  const mod = require(`./scenarios/${a.scenario}`) as { default: Scenario };
  const scenario = mod.default;
  const results = new Results(runDir);
  results.plan(scenario.steps.map((s) => s.name));

  const stepsLog = join(artifacts, 'steps.log');
  writeFileSync(stepsLog, '');
  const note = (text: string) => {
    appendFileSync(stepsLog, `${new Date().toISOString()} ${text}\n`);
    console.log(`  ${text}`);
  };
  const consoleLines: string[] = [];

  let context: BrowserContext | undefined;
  const closeBrowser = async () => {
    const c = context;
    context = undefined;
    if (c) await withTimeout(c.close(), 10_000, 'closing chromium').catch(() => undefined);
  };
  let aborting = false;
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    process.once(sig, () => {
      aborting = true;
      note(`${sig}: closing chromium`);
      void closeBrowser().finally(() => process.exit(143));
    });
  }

  let page: Page | undefined;
  const shot = async (name: string, region?: Locator) => {
    const file = join(artifacts, `${name}.png`);
    const clip = region ? ((await region.boundingBox({ timeout: 5_000 })) ?? undefined) : undefined;
    if (page) await page.screenshot({ path: file, timeout: 15_000, clip });
    return file;
  };
  const saveFailure = async (what: string, error: unknown) => {
    const safe = what.replace(/[^A-Za-z0-9_.-]+/g, '-');
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    writeFileSync(join(artifacts, `FAIL-${safe}.txt`), `${text}\n`);
    await shot(`FAIL-${safe}`).catch((e) => note(`(no failure screenshot: ${(e as Error).message})`));
    writeFileSync(join(artifacts, 'browser-console.log'), consoleLines.join('\n') + '\n');
  };

  let failed = 0;
  const t0 = Date.now();
  console.log(`scenario ${scenario.name}: ${scenario.description}`);
  try {
    await withTimeout(Promise.resolve(scenario.prepare(info)), 30_000, 'preparing the workspace');
    note(`workspace prepared in ${info.workspace}`);

    context = await chromium.launchPersistentContext(ensureDir(join(runDir, 'profile')), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 800 },
      deviceScaleFactor: 1,
      timeout: 30_000,
      // chromium writes crash reports and caches under $HOME / XDG dirs: keep them in the run dir.
      env: {
        ...process.env,
        HOME: ensureDir(join(runDir, 'chromium-home')),
        XDG_CONFIG_HOME: ensureDir(join(runDir, 'chromium-home', '.config')),
        XDG_CACHE_HOME: ensureDir(join(runDir, 'chromium-home', '.cache')),
        TMPDIR: ensureDir(join(runDir, 'tmp')),
      },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.message}`));
    page.on('requestfailed', (r) => consoleLines.push(`[requestfailed] ${r.url()} ${r.failure()?.errorText ?? ''}`));

    let url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(info.workspace)}`;
    if (mode === 'dev') {
      const ext = `vscode-remote://127.0.0.1:${port}${resolve(a['ext-path'] ?? root)}`;
      url += `&payload=${encodeURIComponent(JSON.stringify([['extensionDevelopmentPath', ext]]))}`;
    }
    await page.goto(url, { timeout: 60_000, waitUntil: 'domcontentloaded' });
    const wb = new Workbench(page);
    await wb.waitReady(mode === 'dev', Math.min(90_000, deadline - Date.now()));
    if (mode === 'dev') {
      // The payload was taken: the window is an Extension Development Host.
      await page.waitForFunction('document.title.includes("Extension Development Host")', undefined, { timeout: 20_000 });
    }
    note(`workbench ready after ${elapsed(t0)}: ${await page.title()}`);
    await shot('00-workbench');

    const state: Record<string, unknown> = {};
    const ctx: StepContext = { ...info, page, wb, shot, note, state };
    for (const step of scenario.steps) {
      if (aborting) break;
      const ts = Date.now();
      const left = deadline - Date.now();
      if (left <= 0) {
        failed++;
        results.record(step.name, false, 0, 'not run: scenario time limit reached');
        console.log(`✗ ${scenario.name} › ${step.name}: not run (scenario time limit reached)`);
        continue;
      }
      try {
        await withTimeout(step.run(ctx), Math.min(step.timeoutMs ?? 60_000, left), step.name);
        results.record(step.name, true, Date.now() - ts);
        console.log(`✓ ${scenario.name} › ${step.name} (${elapsed(ts)})`);
      } catch (e) {
        cancelPendingWaits();
        if (aborting) break;
        failed++;
        results.record(step.name, false, Date.now() - ts, (e as Error).message);
        console.log(`✗ ${scenario.name} › ${step.name} (${elapsed(ts)})\n    ${String((e as Error).message).replace(/\n/g, '\n    ')}`);
        await saveFailure(step.name, e);
        await wb.reset().catch(() => undefined);
      }
    }
  } catch (e) {
    if (aborting) return 143;
    // The workbench never came up (or the workspace could not be made): every step fails.
    console.log(`✗ ${scenario.name}: setup failed after ${elapsed(t0)}: ${(e as Error).message}`);
    await saveFailure('setup', e);
    for (const step of scenario.steps) results.record(step.name, false, 0, `not run: setup failed`);
    failed = scenario.steps.length || 1;
  } finally {
    if (failed) writeFileSync(join(artifacts, 'browser-console.log'), consoleLines.join('\n') + '\n');
    await closeBrowser();
  }
  console.log(`scenario ${scenario.name}: ${scenario.steps.length - failed} passed, ${failed} failed in ${elapsed(t0)}`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
