/**
 * The run's probes and metrics over HTTP, for Kubernetes and for a scrape while it runs: GET /healthz
 * (liveness: the heartbeat is recent; a stuck run is restarted), GET /readyz (the run has started) and
 * GET /metrics (Prometheus).
 */
import { createServer, type Server } from 'node:http';
import type { Heartbeat } from './job';
import { CONTENT_TYPE, type Registry } from './metrics';

export function createProbeServer(options: { registry: Registry; heartbeat: Heartbeat; livenessTimeoutSeconds: number }): Server {
  const { registry, heartbeat, livenessTimeoutSeconds } = options;
  return createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET') return json(405, { error: 'only GET' });
    if (path === '/healthz') {
      const age = heartbeat.age();
      return age <= livenessTimeoutSeconds ? json(200, { status: 'ok', heartbeat_age_seconds: age }) : json(503, { status: 'stuck', heartbeat_age_seconds: age });
    }
    if (path === '/readyz') return heartbeat.started ? json(200, { status: 'running' }) : json(503, { status: 'starting' });
    if (path === '/metrics') {
      res.writeHead(200, { 'content-type': CONTENT_TYPE });
      return res.end(registry.render());
    }
    return json(404, { error: `no route ${path}` });
  });
}
