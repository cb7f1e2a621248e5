// The scenario model of the end-to-end harness: a scenario prepares its workspace, then runs named
// steps in a real workbench. Each step is one test (counted in "N passed, N failed"), has its own
// time limit, and on failure leaves a screenshot behind; the next step still runs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { Workbench } from './workbench';

export interface RunInfo {
  /** Absolute path of the repository (for dist/cli.js). */
  root: string;
  /** The throwaway folder of this scenario ($RUN_TMP/<scenario>). */
  runDir: string;
  /** The workspace folder the workbench opens. */
  workspace: string;
  /** test/e2e/artifacts/<scenario>. */
  artifacts: string;
  mode: 'vsix' | 'dev';
}

export interface StepContext extends RunInfo {
  page: Page;
  wb: Workbench;
  /**
   * Saves a screenshot as <artifacts>/<name>.png and returns its path: the whole workbench, or only
   * the page area that `region` covers (widgets drawn over it, like hovers, included).
   */
  shot(name: string, region?: Locator): Promise<string>;
  /** A line in <artifacts>/steps.log (also printed). */
  note(text: string): void;
  /** Data shared between the steps of one scenario. */
  state: Record<string, unknown>;
}

export interface Step {
  name: string;
  /** Time limit of this step in ms (default 60 s); the scenario's own limit still applies. */
  timeoutMs?: number;
  run(ctx: StepContext): Promise<void>;
}

export interface Scenario {
  name: string;
  description: string;
  /** Writes the workspace before the workbench opens it. */
  prepare(info: RunInfo): Promise<void> | void;
  steps: Step[];
}

/** A failed expectation, with what was seen (shown in the report). */
export class AssertionFailed extends Error {
  constructor(message: string, readonly seen?: unknown) {
    super(seen === undefined ? message : `${message}\n  seen: ${JSON.stringify(seen, null, 2).replace(/\n/g, '\n  ')}`);
    this.name = 'AssertionFailed';
  }
}

export function check(cond: unknown, message: string, seen?: unknown): asserts cond {
  if (!cond) throw new AssertionFailed(message, seen);
}

let epoch = 0;
/**
 * Ends every pending `until` of the step that just ran out of time: its next poll throws, so the
 * rest of that step does not go on typing into the next one.
 */
export function cancelPendingWaits(): void {
  epoch++;
}

/**
 * Polls `probe` until it returns something other than undefined/false, or throws when `timeoutMs`
 * has passed. The last value the probe reported (via `last`) is included in the error.
 */
export async function until<T>(
  what: string,
  probe: (report: (seen: unknown) => void) => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 20_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  const mine = epoch;
  let seen: unknown;
  let lastError: unknown;
  const report = (s: unknown) => {
    seen = s;
  };
  for (;;) {
    if (epoch !== mine) throw new AssertionFailed(`stopped waiting for ${what}: the step ended`);
    try {
      const v = await probe(report);
      if (v !== undefined && v !== false) return v;
      lastError = undefined;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() >= deadline) {
      const detail = lastError ? ` (last error: ${(lastError as Error).message?.split('\n')[0]})` : '';
      throw new AssertionFailed(`timed out after ${timeoutMs} ms waiting for ${what}${detail}`, seen);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Races a promise against a time limit. */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AssertionFailed(`${what}: time limit of ${Math.round(ms / 1000)} s reached`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/** Writes the results file the runner counts: one STEP line per planned step, then PASS/FAIL lines. */
export class Results {
  private readonly file: string;
  constructor(runDir: string) {
    this.file = join(runDir, 'results.txt');
    writeFileSync(this.file, '');
  }
  plan(steps: string[]): void {
    writeFileSync(this.file, steps.map((s) => `STEP ${s}\n`).join(''), { flag: 'a' });
  }
  record(step: string, ok: boolean, ms: number, error?: string): void {
    const line = `${ok ? 'PASS' : 'FAIL'} ${step} ${ms}ms${error ? ` ${error.split('\n')[0]}` : ''}\n`;
    writeFileSync(this.file, line, { flag: 'a' });
  }
}

export function ensureDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}
