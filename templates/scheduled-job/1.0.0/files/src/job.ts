/**
 * One run of the job: the task, timed and counted, with a JSON log line at the start and the end, all
 * in one trace (continued from TRACEPARENT when whoever started the run passed one). Liveness is a
 * heartbeat: the task calls `beat()` as it makes progress, and a run whose heartbeat stops is stuck.
 */
import type { Logger } from './log';
import { Counter, Gauge, Histogram, Registry } from './metrics';
import { continueTrace, runWithTrace, type TraceContext } from './tracing';

/** What a task gets: the logger, a heartbeat, and its metrics registry (to add its own metrics). */
export interface TaskContext {
  logger: Logger;
  registry: Registry;
  /** Says the task is making progress (liveness). */
  beat(): void;
}

/** The job's work. It throws when the run failed. */
export type Task = (ctx: TaskContext) => Promise<void>;

export interface JobMetrics {
  registry: Registry;
  runs: Counter;
  duration: Histogram;
  lastSuccess: Gauge;
}

export function jobMetrics(): JobMetrics {
  const registry = new Registry();
  return {
    registry,
    runs: registry.register(new Counter('job_runs_total', 'Runs of the job, by outcome (success or failure).')),
    duration: registry.register(new Histogram('job_duration_seconds', 'How long a run took, by outcome.', [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600])),
    lastSuccess: registry.register(new Gauge('job_last_success_timestamp_seconds', 'When the job last succeeded, in seconds since the Unix epoch.')),
  };
}

/** The state the probes report. */
export class Heartbeat {
  private last: number;
  started = false;
  constructor(private readonly now: () => number = Date.now) {
    this.last = now();
  }
  beat(): void {
    this.last = this.now();
  }
  /** Seconds since the last beat. */
  age(): number {
    return (this.now() - this.last) / 1000;
  }
}

export interface RunResult {
  outcome: 'success' | 'failure';
  trace: TraceContext;
  seconds: number;
}

export async function runJob(task: Task, options: { logger: Logger; metrics: JobMetrics; heartbeat: Heartbeat; traceparent?: string }): Promise<RunResult> {
  const { logger, metrics, heartbeat } = options;
  const trace = continueTrace(options.traceparent);
  return runWithTrace(trace, async () => {
    const started = process.hrtime.bigint();
    heartbeat.beat();
    heartbeat.started = true;
    logger.info('run started');
    let outcome: RunResult['outcome'] = 'success';
    try {
      await task({ logger, registry: metrics.registry, beat: () => heartbeat.beat() });
    } catch (err) {
      outcome = 'failure';
      logger.error('run failed', { error: err });
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    metrics.runs.inc({ outcome });
    metrics.duration.observe(seconds, { outcome });
    if (outcome === 'success') metrics.lastSuccess.set(Math.floor(Date.now() / 1000));
    logger.info('run finished', { outcome, duration_ms: Math.round(seconds * 1e6) / 1e3 });
    return { outcome, trace, seconds };
  });
}
