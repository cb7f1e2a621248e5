/** Runs dist/cli.js without blocking the test's process (its servers on 127.0.0.1 answer the CLI meanwhile). */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

export const CLI = join(resolve(__dirname, '../..'), 'dist/cli.js');

export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  return new Promise((done, fail) => {
    const p = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, env: options.env });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += String(d)));
    p.stderr.on('data', (d) => (stderr += String(d)));
    const timer = setTimeout(() => {
      p.kill();
      fail(new Error(`paved-road ${args.join(' ')} did not end in ${timeoutMs / 1000} s`));
    }, timeoutMs);
    p.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}
