/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/): a request continues the caller's trace from its
 * `traceparent` header (or starts one), everything it logs carries the trace id, and every outgoing call
 * made while handling it forwards the trace with this service's span as the parent.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

export interface TraceContext {
  /** 32 lower-case hex digits, shared by every span of the trace. */
  traceId: string;
  /** 16 lower-case hex digits: this service's span. */
  spanId: string;
  /** The caller's span, when the trace came in with the request. */
  parentSpanId?: string;
  /** Bit 0: sampled. */
  flags: number;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const storage = new AsyncLocalStorage<TraceContext>();

const randomHex = (bytes: number): string => {
  let hex = randomBytes(bytes).toString('hex');
  while (/^0+$/.test(hex)) hex = randomBytes(bytes).toString('hex');
  return hex;
};

/** The parts of a `traceparent` header, or undefined when it is missing or not valid (then a new trace starts). */
export function parseTraceparent(header: string | string[] | undefined): { traceId: string; parentSpanId: string; flags: number } | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const m = value === undefined ? null : TRACEPARENT.exec(value.trim());
  if (!m) return undefined;
  const [, version, traceId, parentSpanId, flags, rest] = m;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (/^0+$/.test(traceId) || /^0+$/.test(parentSpanId)) return undefined;
  return { traceId, parentSpanId, flags: parseInt(flags, 16) };
}

/** This service's span in the trace of an incoming `traceparent` header, or the first span of a new, sampled trace. */
export function continueTrace(header: string | string[] | undefined): TraceContext {
  const parent = parseTraceparent(header);
  if (parent) return { traceId: parent.traceId, parentSpanId: parent.parentSpanId, spanId: randomHex(8), flags: parent.flags };
  return { traceId: randomHex(16), spanId: randomHex(8), flags: 1 };
}

/** The `traceparent` header value that makes `ctx`'s span the parent of the callee's. */
export function formatTraceparent(ctx: TraceContext): string {
  return `00-${ctx.traceId}-${ctx.spanId}-${ctx.flags.toString(16).padStart(2, '0')}`;
}

/** Runs `fn` with `ctx` as the current trace (it follows every await and callback made from `fn`). */
export function runWithTrace<T>(ctx: TraceContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

/** The trace of the request being handled, if any. */
export function currentTrace(): TraceContext | undefined {
  return storage.getStore();
}

/** `fetch` that forwards the current trace to the callee in a `traceparent` header. */
export async function tracedFetch(input: string | URL, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const ctx = currentTrace();
  if (ctx) headers.set('traceparent', formatTraceparent(ctx));
  return fetch(input, { ...init, headers });
}
