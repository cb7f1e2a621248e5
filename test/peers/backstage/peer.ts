/**
 * Starts the real Backstage catalog backend (start.mjs) for a test file and stops it by its PID. Every
 * wait is bounded: the start by `timeoutMs` (Backstage takes 5-15 s with the small fixtures, much more
 * on a busy machine), the stop by 15 s (SIGTERM, then SIGKILL).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** (`__filename`, not `__dirname`: the first is right too when tsx's tsImport loads this file from a benchmark.) */
export const PEER_DIR = dirname(__filename);
export const FIXTURES_DIR = join(PEER_DIR, 'fixtures');
/** The committed fixtures: 123 entities (3 of them `Environment`, which Paved Road quarantines). */
export const FIXTURE_ENTITIES = 123;
export const FIXTURE_QUARANTINED = 3;

export interface BackstagePeer {
  url: string;
  port: number;
  pid: number;
  /** The backend's own time from launch to a settled catalog. */
  readyMs: number;
  entities: number;
  /** Its output so far (Backstage logs warnings and errors only). */
  output(): string;
  /** Stops it (SIGTERM to its PID) and resolves once it has exited. */
  stop(): Promise<void>;
  readonly alive: boolean;
}

export interface PeerOptions {
  token?: string;
  /** Generate this many entities instead of the committed fixtures. */
  generate?: number;
  /** Another folder of fixture YAML files. */
  fixtures?: string;
  /** The port to listen on (default: a free one). */
  port?: number;
  /**
   * The catalog's processing interval in seconds (default 600). A long ingest wants more: once entities
   * fall due again they wait unprocessed, and the catalog never looks settled.
   */
  intervalSeconds?: number;
  /** Wait until the catalog holds at least this many entities. */
  expect?: number;
  timeoutMs?: number;
}

export async function startBackstage(options: PeerOptions = {}): Promise<BackstagePeer> {
  if (!existsSync(join(PEER_DIR, 'node_modules/@backstage/plugin-catalog-backend'))) {
    throw new Error('the Backstage peer is not installed: run `npm ci --prefix test/peers/backstage --no-audit --no-fund` (see test/peers/backstage/README.md)');
  }
  const timeoutMs = options.timeoutMs ?? 180_000;
  const args = [join(PEER_DIR, 'start.mjs'), '--timeout', String(Math.ceil(timeoutMs / 1000))];
  if (options.token) args.push('--token', options.token);
  if (options.generate) args.push('--generate', String(options.generate));
  if (options.fixtures) args.push('--fixtures', options.fixtures);
  if (options.port) args.push('--port', String(options.port));
  if (options.intervalSeconds) args.push('--interval', String(options.intervalSeconds));
  if (options.expect) args.push('--expect', String(options.expect));
  const proc: ChildProcess = spawn(process.execPath, args, { cwd: PEER_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stderr!.on('data', (d) => (out += String(d)));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const ready = await new Promise<{ url: string; port: number; pid: number; readyMs: number; entities: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Backstage was not ready within ${timeoutMs / 1000} s:\n${out.slice(-4000)}`)), timeoutMs + 10_000);
    proc.stdout!.on('data', (d) => {
      out += String(d);
      const m = /PAVED_ROAD_BACKSTAGE_READY (\{.*\})/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(JSON.parse(m[1]));
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Backstage exited (${code}) before it was ready:\n${out.slice(-4000)}`));
    });
  }).catch(async (e: unknown) => {
    if (proc.exitCode === null && proc.pid) process.kill(proc.pid, 'SIGKILL');
    await exited;
    throw e;
  });
  return {
    ...ready,
    output: () => out,
    get alive() {
      return proc.exitCode === null && proc.signalCode === null;
    },
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      process.kill(ready.pid, 'SIGTERM');
      const killer = setTimeout(() => proc.exitCode === null && process.kill(ready.pid, 'SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
