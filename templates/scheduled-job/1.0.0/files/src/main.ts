/**
 * Runs {{name}} once (Kubernetes starts it on its schedule) and exits 0 on success, 1 on failure. While it
 * runs it serves /healthz, /readyz and /metrics on PORT; at the end it pushes its metrics to the
 * Pushgateway when PUSHGATEWAY_URL is set.
 */
import { Heartbeat, jobMetrics, runJob } from './job';
import { createLogger, type Level } from './log';
import { createProbeServer } from './probes';
import { pushMetrics } from './pushgateway';
import { runWithTrace } from './tracing';
import { task } from './task';

const job = '{{name}}';

async function main(): Promise<number> {
  const logger = createLogger({ service: job, level: (process.env.LOG_LEVEL as Level | undefined) ?? 'info' });
  const metrics = jobMetrics();
  const heartbeat = new Heartbeat();
  const probes = createProbeServer({ registry: metrics.registry, heartbeat, livenessTimeoutSeconds: Number(process.env.LIVENESS_TIMEOUT_SECONDS ?? 300) });
  await new Promise<void>((resolve) => probes.listen(Number(process.env.PORT ?? 8080), resolve));
  try {
    const result = await runJob(task, { logger, metrics, heartbeat, traceparent: process.env.TRACEPARENT });
    const pushgateway = process.env.PUSHGATEWAY_URL;
    if (pushgateway) {
      await runWithTrace(result.trace, () =>
        pushMetrics(pushgateway, job, metrics.registry).catch((err: unknown) => logger.warn('could not push the metrics', { error: err })),
      );
    }
    return result.outcome === 'success' ? 0 : 1;
  } finally {
    probes.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'error', service: job, msg: 'crashed', error: String(err) })}\n`);
    process.exit(1);
  },
);
