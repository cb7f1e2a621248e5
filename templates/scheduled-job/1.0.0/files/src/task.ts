/**
 * The job's work: replace this with yours. As it stands it calls TARGET_URL (when set) in the run's trace,
 * so that the service it calls sees the same trace id, and fails the run when the call fails.
 * Call `beat()` as the work makes progress: a run without a beat for LIVENESS_TIMEOUT_SECONDS is restarted.
 */
import type { TaskContext } from './job';
import { tracedFetch } from './tracing';

export async function task({ logger, beat }: TaskContext): Promise<void> {
  const target = process.env.TARGET_URL;
  if (!target) {
    logger.info('nothing to do: set TARGET_URL, or put the job\'s work in src/task.ts');
    return;
  }
  const r = await tracedFetch(target, { signal: AbortSignal.timeout(30_000) });
  beat();
  if (!r.ok) throw new Error(`${target} answered ${r.status} ${r.statusText}`);
  logger.info('called the target', { target, status: r.status });
}
