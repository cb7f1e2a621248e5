/**
 * A run ends before Prometheus would scrape it, so its metrics are pushed to a Prometheus Pushgateway
 * (PUT replaces the job's group), in the run's trace.
 */
import type { Registry } from './metrics';
import { CONTENT_TYPE } from './metrics';
import { tracedFetch } from './tracing';

export async function pushMetrics(pushgatewayUrl: string, job: string, registry: Registry, timeoutMs = 10_000): Promise<void> {
  const url = new URL(`metrics/job/${encodeURIComponent(job)}`, pushgatewayUrl.endsWith('/') ? pushgatewayUrl : `${pushgatewayUrl}/`);
  const r = await tracedFetch(url, { method: 'PUT', headers: { 'content-type': CONTENT_TYPE }, body: registry.render(), signal: AbortSignal.timeout(timeoutMs) });
  if (!r.ok) throw new Error(`the Pushgateway answered ${r.status} ${r.statusText} to ${url}`);
}
