/**
 * The HTTP service: its routes, plus what every golden-path service has: GET /healthz (liveness: the process
 * answers), GET /readyz (readiness: it should get traffic), GET /metrics (Prometheus), a JSON log line and
 * metrics for each request, and the caller's trace continued (see tracing.ts).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from './log';
import { CONTENT_TYPE, Counter, Gauge, Histogram, Registry } from './metrics';
import { continueTrace, formatTraceparent, runWithTrace } from './tracing';

/** A route's handler: it writes the response (or returns a value sent as JSON with status 200). */
export type Handler = (req: IncomingMessage, res: ServerResponse) => unknown | Promise<unknown>;

export interface AppOptions {
  logger: Logger;
  /** Routes by `METHOD /path`, e.g. `GET /hello`. */
  routes?: Record<string, Handler>;
}

export interface App {
  server: Server;
  registry: Registry;
  /** Readiness as /readyz reports it: false until the service can serve, and again while it shuts down. */
  setReady(ready: boolean): void;
}

const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function createApp(options: AppOptions): App {
  const { logger } = options;
  const registry = new Registry();
  const requests = registry.register(new Counter('http_requests_total', 'HTTP requests handled, by method, route and status code.'));
  const durations = registry.register(new Histogram('http_request_duration_seconds', 'Time to handle an HTTP request, by method and route.'));
  registry.register(new Gauge('process_start_time_seconds', 'When the process started, in seconds since the Unix epoch.')).set(Math.round(Date.now() / 1000 - process.uptime()));
  let ready = false;

  const routes: Record<string, Handler> = {
    'GET /healthz': (_req, res) => sendJson(res, 200, { status: 'ok' }),
    'GET /readyz': (_req, res) => sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready' }),
    'GET /metrics': (_req, res) => {
      res.writeHead(200, { 'content-type': CONTENT_TYPE });
      res.end(registry.render());
    },
    ...options.routes,
  };

  const server = createServer((req, res) => {
    const started = process.hrtime.bigint();
    const trace = continueTrace(req.headers.traceparent);
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const method = req.method ?? 'GET';
    const key = `${method} ${path}`;
    const handler = Object.hasOwn(routes, key) ? routes[key] : undefined;
    const route = handler ? path : 'unmatched';
    res.setHeader('traceresponse', formatTraceparent(trace));
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      requests.inc({ method, route, status: String(res.statusCode) });
      durations.observe(seconds, { method, route });
      runWithTrace(trace, () => {
        const fields = { method, path, status: res.statusCode, duration_ms: Math.round(seconds * 1e6) / 1e3 };
        if (PROBES.has(path)) logger.debug('request', fields);
        else logger.info('request', fields);
      });
    });
    runWithTrace(trace, async () => {
      try {
        if (!handler) return sendJson(res, 404, { error: `no route ${key}` });
        const result = await handler(req, res);
        if (!res.headersSent && !res.writableEnded) sendJson(res, 200, result ?? {});
      } catch (err) {
        logger.error('request failed', { method, path, error: err });
        if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
        else res.destroy();
      }
    });
  });

  return { server, registry, setReady: (r) => (ready = r) };
}
