import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Heartbeat, jobMetrics, runJob } from '../src/job';
import { createLogger } from '../src/log';
import { createProbeServer } from '../src/probes';
import { pushMetrics } from '../src/pushgateway';
import { parseTraceparent, runWithTrace, tracedFetch } from '../src/tracing';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';

const listen = (server: Server): Promise<string> =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
const close = (server: Server): Promise<void> => new Promise((resolve) => server.close(() => resolve()));
const bodyOf = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => resolve(text));
  });

describe('{{name}}', () => {
  const received: { method?: string; url?: string; traceparent?: string; body: string }[] = [];
  const other = createServer(async (req, res) => {
    received.push({ method: req.method, url: req.url, traceparent: req.headers.traceparent as string | undefined, body: await bodyOf(req) });
    res.end('ok');
  });
  let otherUrl = '';
  before(async () => {
    otherUrl = await listen(other);
  });
  after(() => close(other));

  const setup = () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger({ service: '{{name}}', write: (line) => lines.push(JSON.parse(line)) });
    return { lines, logger, metrics: jobMetrics(), heartbeat: new Heartbeat() };
  };

  it('runs the task in the incoming trace, logs as JSON with the trace id, and counts a success', async () => {
    const { lines, logger, metrics, heartbeat } = setup();
    const result = await runJob(
      async ({ logger: log, beat }) => {
        beat();
        const r = await tracedFetch(`${otherUrl}/work`);
        log.info('worked', { status: r.status });
      },
      { logger, metrics, heartbeat, traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` },
    );
    assert.equal(result.outcome, 'success');
    assert.equal(result.trace.traceId, TRACE_ID);
    const forwarded = parseTraceparent(received.at(-1)?.traceparent);
    assert.equal(forwarded?.traceId, TRACE_ID, 'the trace reached the called service');
    assert.equal(forwarded?.parentSpanId, result.trace.spanId);
    assert.deepEqual(lines.map((l) => l.msg), ['run started', 'worked', 'run finished']);
    for (const l of lines) {
      assert.equal(l.service, '{{name}}');
      assert.equal(l.trace_id, TRACE_ID);
      assert.equal(l.span_id, result.trace.spanId);
    }
    assert.equal(lines[2].outcome, 'success');
    assert.equal(metrics.runs.get({ outcome: 'success' }), 1);
    const text = metrics.registry.render();
    assert.match(text, /^job_runs_total\{outcome="success"\} 1$/m);
    assert.match(text, /^job_duration_seconds_count\{outcome="success"\} 1$/m);
    assert.match(text, /^job_last_success_timestamp_seconds \d{10}$/m);
  });

  it('counts a failure and logs the error when the task throws', async () => {
    const { lines, logger, metrics, heartbeat } = setup();
    const result = await runJob(
      async () => {
        throw new Error('the source is down');
      },
      { logger, metrics, heartbeat },
    );
    assert.equal(result.outcome, 'failure');
    assert.match(result.trace.traceId, /^[0-9a-f]{32}$/);
    const failed = lines.find((l) => l.msg === 'run failed');
    assert.equal(failed?.level, 'error');
    assert.equal((failed?.error as { message: string }).message, 'the source is down');
    assert.equal(metrics.runs.get({ outcome: 'failure' }), 1);
    assert.doesNotMatch(metrics.registry.render(), /^job_last_success_timestamp_seconds [1-9]/m);
  });

  it('serves probes: ready once started, live while the heartbeat is recent, and metrics', async () => {
    let now = 1_000_000;
    const heartbeat = new Heartbeat(() => now);
    const { registry, runs } = jobMetrics();
    runs.inc({ outcome: 'success' });
    const probes = createProbeServer({ registry, heartbeat, livenessTimeoutSeconds: 60 });
    const url = await listen(probes);
    try {
      assert.equal((await fetch(`${url}/readyz`)).status, 503);
      heartbeat.started = true;
      assert.equal((await fetch(`${url}/readyz`)).status, 200);
      assert.equal((await fetch(`${url}/healthz`)).status, 200);
      now += 61_000;
      const stuck = await fetch(`${url}/healthz`);
      assert.equal(stuck.status, 503);
      assert.equal(((await stuck.json()) as { status: string }).status, 'stuck');
      heartbeat.beat();
      assert.equal((await fetch(`${url}/healthz`)).status, 200);
      const m = await fetch(`${url}/metrics`);
      assert.match(m.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      assert.match(await m.text(), /^job_runs_total\{outcome="success"\} 1$/m);
    } finally {
      await close(probes);
    }
  });

  it('pushes its metrics to the Pushgateway in the run\'s trace', async () => {
    const { registry, runs } = jobMetrics();
    runs.inc({ outcome: 'success' });
    await runWithTrace({ traceId: TRACE_ID, spanId: '1111111111111111', flags: 1 }, () => pushMetrics(otherUrl, '{{name}}', registry));
    const push = received.at(-1);
    assert.equal(push?.method, 'PUT');
    assert.equal(push?.url, '/metrics/job/{{name}}');
    assert.equal(push?.traceparent, `00-${TRACE_ID}-1111111111111111-01`);
    assert.match(push?.body ?? '', /^job_runs_total\{outcome="success"\} 1$/m);
  });
});
