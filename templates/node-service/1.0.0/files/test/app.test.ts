import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createApp, type App } from '../src/app';
import { createLogger } from '../src/log';
import { parseTraceparent, tracedFetch } from '../src/tracing';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';

const listen = (server: Server): Promise<string> =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
const close = (server: Server): Promise<void> => new Promise((resolve) => server.close(() => resolve()));

describe('{{name}}', () => {
  const lines: Record<string, unknown>[] = [];
  const seenByDownstream: (string | undefined)[] = [];
  const downstream = createServer((req, res) => {
    seenByDownstream.push(req.headers.traceparent as string | undefined);
    res.end('{}');
  });
  let downstreamUrl = '';
  let app: App;
  let url = '';

  before(async () => {
    downstreamUrl = await listen(downstream);
    app = createApp({
      logger: createLogger({ service: '{{name}}', level: 'debug', write: (line) => lines.push(JSON.parse(line)) }),
      routes: {
        'GET /hello': () => ({ hello: 'world' }),
        'GET /calls-downstream': async () => {
          const r = await tracedFetch(downstreamUrl);
          return { downstream: r.status };
        },
        'GET /fails': () => {
          throw new Error('boom');
        },
      },
    });
    url = await listen(app.server);
  });
  after(async () => {
    await close(app.server);
    await close(downstream);
  });

  it('answers the liveness probe', async () => {
    const r = await fetch(`${url}/healthz`);
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { status: 'ok' });
  });

  it('is not ready until told, then ready, then not ready again while stopping', async () => {
    assert.equal((await fetch(`${url}/readyz`)).status, 503);
    app.setReady(true);
    assert.equal((await fetch(`${url}/readyz`)).status, 200);
    app.setReady(false);
    assert.equal((await fetch(`${url}/readyz`)).status, 503);
    app.setReady(true);
  });

  it('serves Prometheus metrics of the requests it handled', async () => {
    await fetch(`${url}/hello`);
    await fetch(`${url}/nowhere`);
    const r = await fetch(`${url}/metrics`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await r.text();
    assert.match(text, /^# TYPE http_requests_total counter$/m);
    assert.match(text, /^http_requests_total\{method="GET",route="\/hello",status="200"\} 1$/m);
    assert.match(text, /^http_requests_total\{method="GET",route="unmatched",status="404"\} 1$/m);
    assert.match(text, /^# TYPE http_request_duration_seconds histogram$/m);
    assert.match(text, /^http_request_duration_seconds_bucket\{method="GET",route="\/hello",le="\+Inf"\} 1$/m);
    assert.match(text, /^http_request_duration_seconds_count\{method="GET",route="\/hello"\} 1$/m);
    assert.match(text, /^process_start_time_seconds \d+$/m);
  });

  it('logs each request as one JSON line with the trace id of the incoming traceparent', async () => {
    const r = await fetch(`${url}/hello`, { headers: { traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` } });
    assert.equal(r.status, 200);
    const entry = lines.findLast((l) => l.msg === 'request' && l.path === '/hello');
    assert.ok(entry, 'a request log line');
    assert.equal(entry.level, 'info');
    assert.equal(entry.service, '{{name}}');
    assert.equal(entry.status, 200);
    assert.equal(entry.trace_id, TRACE_ID);
    assert.match(String(entry.span_id), /^[0-9a-f]{16}$/);
    assert.notEqual(entry.span_id, PARENT_ID);
    assert.equal(r.headers.get('traceresponse'), `00-${TRACE_ID}-${entry.span_id}-01`);
  });

  it('forwards the trace to the services it calls, with its own span as the parent', async () => {
    const r = await fetch(`${url}/calls-downstream`, { headers: { traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` } });
    assert.deepEqual(await r.json(), { downstream: 200 });
    const forwarded = parseTraceparent(seenByDownstream.at(-1));
    assert.ok(forwarded, `a valid traceparent reached the downstream service: ${seenByDownstream.at(-1)}`);
    assert.equal(forwarded.traceId, TRACE_ID);
    const entry = lines.findLast((l) => l.msg === 'request' && l.path === '/calls-downstream');
    assert.equal(forwarded.parentSpanId, entry?.span_id);
  });

  it('starts a new trace when the incoming traceparent is missing or not valid', async () => {
    const cases: Record<string, string>[] = [{}, { traceparent: `00-${'0'.repeat(32)}-${PARENT_ID}-01` }, { traceparent: 'not a trace' }];
    for (const headers of cases) {
      await fetch(`${url}/hello`, { headers });
      const entry = lines.findLast((l) => l.msg === 'request' && l.path === '/hello');
      assert.match(String(entry?.trace_id), /^[0-9a-f]{32}$/);
      assert.notEqual(entry?.trace_id, TRACE_ID);
      assert.notEqual(entry?.trace_id, '0'.repeat(32));
    }
  });

  it('answers 500 and logs the error with its trace when a handler throws', async () => {
    const r = await fetch(`${url}/fails`, { headers: { traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` } });
    assert.equal(r.status, 500);
    const entry = lines.findLast((l) => l.msg === 'request failed');
    assert.equal(entry?.level, 'error');
    assert.equal(entry?.trace_id, TRACE_ID);
    assert.equal((entry?.error as { message: string }).message, 'boom');
  });
});
