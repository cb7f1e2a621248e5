/**
 * Starts {{name}}: listens on PORT, turns ready once listening, and on SIGTERM (Kubernetes stopping the pod)
 * turns not-ready, lets the load balancer notice, finishes the requests in flight and exits.
 */
import { createApp } from './app';
import { createLogger, type Level } from './log';

const service = '{{name}}';
const port = Number(process.env.PORT ?? {{port}});
const shutdownDelayMs = Number(process.env.SHUTDOWN_DELAY_MS ?? 5000);
const logger = createLogger({ service, level: (process.env.LOG_LEVEL as Level | undefined) ?? 'info' });

const app = createApp({
  logger,
  routes: {
    'GET /': () => ({ service, message: 'Hello from {{name}}' }),
  },
});

app.server.listen(port, () => {
  app.setReady(true);
  logger.info('listening', { port });
});

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  app.setReady(false);
  logger.info('stopping', { signal, delay_ms: shutdownDelayMs });
  setTimeout(() => {
    app.server.close(() => {
      logger.info('stopped');
      process.exit(0);
    });
    app.server.closeIdleConnections();
    setTimeout(() => process.exit(1), 10_000).unref();
  }, shutdownDelayMs).unref();
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
