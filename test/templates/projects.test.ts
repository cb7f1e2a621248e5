/**
 * Each generated project (the latest version of each template, as the wizard offers it) installs and passes
 * its own tests, as its CI would run them: node-service and
 * scheduled-job with `npm ci`, lint and `npm test` (the registry is needed once, then npm's cache);
 * python-service with python3's unittest (standard library only), skipped with the reason when no python3
 * 3.11 or newer is on PATH. Then each one is started as its container would start it and asked for its
 * probes, metrics, JSON logs and trace context, and stopped with SIGTERM.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Answers } from '../../server/src/scaffolding/types';
import { context, scaffold, tempDir, template } from './fixture';

const tmp = tempDir('projects');
after(() => rmSync(tmp, { recursive: true, force: true }));

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const INCOMING = `00-${TRACE_ID}-b7ad6b7169203331-01`;
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** This process's environment, less what would make a project's own `node --test` think it runs inside ours. */
function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  delete env.NODE_TEST_CONTEXT;
  delete env.NODE_OPTIONS;
  return env;
}

/** Runs a command to its end within `timeoutMs`; fails with its output when it does not succeed. */
function run(cmd: string, args: string[], cwd: string, timeoutMs: number, env: NodeJS.ProcessEnv = {}): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL', env: childEnv(env) });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  assert.equal(r.error, undefined, `${cmd} ${args.join(' ')}: ${r.error?.message}\n${out}`);
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} exited ${r.status ?? r.signal}:\n${out.slice(-4000)}`);
  return out;
}

const NPM_FLAGS = ['--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'];

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** A started process and its stdout lines, parsed as JSON where they are. */
class Started {
  readonly lines: Record<string, unknown>[] = [];
  readonly raw: string[] = [];
  readonly exited: Promise<number | null>;
  constructor(readonly child: ChildProcess) {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        this.raw.push(line);
        try {
          this.lines.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          /* a line that is not JSON fails the checks below */
        }
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => this.raw.push(chunk.toString()));
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  }
  /** Waits (bounded) for a log line with this message. */
  async line(msg: string, timeoutMs = 10_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.find((l) => l.msg === msg);
      if (found) return found;
      assert.ok(Date.now() < deadline, `no "${msg}" log line within ${timeoutMs} ms; output:\n${this.raw.join('\n')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  async exit(timeoutMs = 15_000): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`still running after ${timeoutMs} ms:\n${this.raw.join('\n')}`)), timeoutMs)));
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
  stop(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

/** Asks a started service for its probes, metrics and trace context, checks its logs, then stops it with SIGTERM. */
async function exerciseService(p: Started, port: number, name: string): Promise<void> {
  try {
    await p.line('listening');
    const base = `http://127.0.0.1:${port}`;
    const health = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(5000) });
    assert.equal(health.status, 200);
    assert.equal((await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(5000) })).status, 200);
    const hello = await fetch(`${base}/`, { headers: { traceparent: INCOMING }, signal: AbortSignal.timeout(5000) });
    assert.equal(hello.status, 200);
    assert.match(hello.headers.get('traceresponse') ?? '', new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
    const metrics = await (await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
    assert.match(metrics, /^http_requests_total\{method="GET",route="\/",status="200"\} 1$/m);
    const request = await p.line('request');
    assert.equal(request.service, name);
    assert.equal(request.trace_id, TRACE_ID);
    assert.equal(request.path, '/');
    p.child.kill('SIGTERM');
    assert.equal(await p.exit(), 0, 'a clean exit on SIGTERM');
    await p.line('stopped');
    for (const l of p.raw.filter((x) => x.trim())) assert.doesNotThrow(() => JSON.parse(l), `every log line is JSON: ${l}`);
  } finally {
    p.stop();
  }
}

/** The project a template's latest version makes with these answers. */
function project(id: string, answers: Answers): string {
  return scaffold(context(), id, answers, join(tmp, id)).target;
}

/** A generated Node project: `npm ci`, its lint, and its own tests, which must run some and fail none. */
function installAndTest(dir: string): void {
  run(NPM, ['ci', ...NPM_FLAGS], dir, 240_000);
  run(NPM, ['run', 'lint'], dir, 120_000);
  const out = run(NPM, ['test'], dir, 180_000);
  assert.match(out, /^# pass [1-9]\d*$/m, out);
  assert.match(out, /^# fail 0$/m, out);
}

const latest = (id: string): string => `${id}@${template(context(), id).manifest.version}`;

describe(`${latest('node-service')}: the generated project`, () => {
  const dir = project('node-service', { name: 'orders-api', owner: 'payments-team', system: 'checkout-platform', lifecycle: 'experimental', port: 8181 });

  it('installs, lints and passes its own tests', () => installAndTest(dir));

  it('starts, answers its probes, metrics and traces, logs JSON, and stops on SIGTERM', async () => {
    const port = await freePort();
    const p = new Started(spawn(process.execPath, ['dist/src/main.js'], { cwd: dir, env: childEnv({ PORT: String(port), SHUTDOWN_DELAY_MS: '100' }) }));
    await exerciseService(p, port, 'orders-api');
  });
});

describe(`${latest('scheduled-job')}: the generated project`, () => {
  const dir = project('scheduled-job', { name: 'nightly-export', owner: 'payments-team', system: 'checkout-platform', lifecycle: 'experimental' });

  it('installs, lints and passes its own tests', () => installAndTest(dir));

  it('runs once in the trace it is given, calls its target and pushes its metrics in that trace, and exits 0', async () => {
    const seen: { url?: string; method?: string; traceparent?: string; body: string }[] = [];
    const target: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ url: req.url, method: req.method, traceparent: req.headers.traceparent as string | undefined, body });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
    const env = childEnv({ PORT: String(await freePort()), TARGET_URL: `${url}/export`, PUSHGATEWAY_URL: url, TRACEPARENT: INCOMING });
    const p = new Started(spawn(process.execPath, ['dist/src/main.js'], { cwd: dir, env }));
    try {
      assert.equal(await p.exit(), 0, p.raw.join('\n'));
      const finished = await p.line('run finished');
      assert.equal(finished.outcome, 'success');
      assert.equal(finished.trace_id, TRACE_ID);
      assert.deepEqual(seen.map((s) => [s.method, s.url]), [['GET', '/export'], ['PUT', '/metrics/job/nightly-export']]);
      for (const s of seen) assert.match(s.traceparent ?? '', new RegExp(`^00-${TRACE_ID}-${finished.span_id}-01$`));
      assert.match(seen[1].body, /^job_runs_total\{outcome="success"\} 1$/m);
    } finally {
      p.stop();
      await new Promise((r) => target.close(r));
    }
  });
});

/** Why the Python project cannot be checked here, or undefined when python3 (3.11 or newer) is on PATH. */
function pythonMissing(): string | undefined {
  const r = spawnSync('python3', ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8', timeout: 10_000 });
  if (r.error || r.status !== 0) return 'python3 is not on PATH: the Python project is not run here';
  const [major, minor] = r.stdout.trim().split('.').map(Number);
  return major > 3 || (major === 3 && minor >= 11) ? undefined : `python3 is ${r.stdout.trim()}, older than the 3.11 the project needs`;
}

describe(`${latest('python-service')}: the generated project`, () => {
  const missing = pythonMissing();
  if (missing) console.log(`# skipped: ${missing}`);
  const dir = project('python-service', { name: 'refunds-api', owner: 'payments-team', system: 'checkout-platform', lifecycle: 'experimental', port: 8282 });
  const env = { PYTHONDONTWRITEBYTECODE: '1' };

  it('passes its own tests with the standard library alone', { skip: missing }, () => {
    const out = run('python3', ['-m', 'unittest', 'discover', '-s', 'tests', '-t', '.', '-v'], dir, 120_000, env);
    assert.match(out, /^Ran [1-9]\d* tests? in /m, out);
    assert.match(out, /^OK$/m, out);
  });

  it('starts, answers its probes, metrics and traces, logs JSON, and stops on SIGTERM', { skip: missing }, async () => {
    const port = await freePort();
    const p = new Started(spawn('python3', ['-m', 'app'], { cwd: dir, env: childEnv({ ...env, PORT: String(port), SHUTDOWN_DELAY_SECONDS: '0.1' }) }));
    await exerciseService(p, port, 'refunds-api');
  });
});
