/**
 * Structured logs: one JSON object per line on stdout, with the time, the level, the service and, while a
 * request is handled, its trace and span ids, so the log platform can join logs to traces.
 */
import { currentTrace } from './tracing';

export type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export interface LoggerOptions {
  service: string;
  /** The lowest level written (LOG_LEVEL); info by default. */
  level?: Level;
  /** Where each line goes; stdout by default. */
  write?: (line: string) => void;
}

export function createLogger(options: LoggerOptions): Logger {
  const min = ORDER[options.level ?? 'info'] ?? ORDER.info;
  const write = options.write ?? ((line: string) => process.stdout.write(line));
  const log = (level: Level) => (msg: string, fields: Record<string, unknown> = {}) => {
    if (ORDER[level] < min) return;
    const trace = currentTrace();
    const entry: Record<string, unknown> = { time: new Date().toISOString(), level, service: options.service, msg };
    if (trace) Object.assign(entry, { trace_id: trace.traceId, span_id: trace.spanId });
    for (const [k, v] of Object.entries(fields)) entry[k] = v instanceof Error ? { name: v.name, message: v.message, stack: v.stack } : v;
    write(`${JSON.stringify(entry)}\n`);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
