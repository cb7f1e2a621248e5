// A small LSP client: JSON-RPC 2.0 over a child process's stdio with Content-Length framing.
// Every wait is bounded by a timeout. Only the process this client spawned is ever signalled.
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, createWriteStream } from 'node:fs';
import { performance } from 'node:perf_hooks';

export class LspTimeout extends Error {}

export class LspClient {
  /**
   * @param {string} name label used in errors
   * @param {string} command executable
   * @param {string[]} args
   * @param {{cwd?: string, stderrLog?: string, env?: NodeJS.ProcessEnv,
   *          onRequest?: (method: string, params: any) => any}} opts
   */
  constructor(name, command, args, opts = {}) {
    this.name = name;
    this.nextId = 1;
    /** @type {Map<number, {resolve: Function, reject: Function, timer: NodeJS.Timeout, method: string}>} */
    this.pending = new Map();
    /** notification listeners: method -> Set(fn(params, tReceived)) */
    this.listeners = new Map();
    this.onRequest = opts.onRequest ?? (() => null);
    /** server -> client requests seen, by method */
    this.serverRequests = new Map();
    this.exited = false;
    this.exitInfo = null;
    this.buf = Buffer.alloc(0);
    /** server -> client traffic by method: {messages, bytes} */
    this.bytesIn = new Map();
    this.proc = spawn(command, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.pid = this.proc.pid;
    const log = opts.stderrLog ? createWriteStream(opts.stderrLog) : null;
    this.proc.stderr.on('data', (d) => log?.write(d));
    this.proc.stdout.on('data', (d) => this.#onData(d));
    this.proc.stdin.on('error', () => {});
    this.exitPromise = new Promise((resolve) => {
      this.proc.on('exit', (code, signal) => {
        this.exited = true;
        this.exitInfo = { code, signal };
        log?.end();
        for (const p of this.pending.values()) {
          clearTimeout(p.timer);
          p.reject(new Error(`${this.name}: server exited (${code ?? signal}) while waiting for ${p.method}`));
        }
        this.pending.clear();
        resolve(this.exitInfo);
      });
    });
  }

  #onData(chunk) {
    const t = performance.now();
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    for (;;) {
      const headerEnd = this.buf.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const header = this.buf.subarray(0, headerEnd).toString('ascii');
      const m = /Content-Length:\s*(\d+)/i.exec(header);
      if (!m) throw new Error(`${this.name}: bad header ${JSON.stringify(header)}`);
      const len = Number(m[1]);
      const start = headerEnd + 4;
      if (this.buf.length < start + len) return;
      const body = this.buf.subarray(start, start + len).toString('utf8');
      this.buf = this.buf.subarray(start + len);
      const msg = JSON.parse(body);
      const key = msg.method ?? '(response)';
      const b = this.bytesIn.get(key) ?? { messages: 0, bytes: 0 };
      b.messages++;
      b.bytes += len;
      this.bytesIn.set(key, b);
      this.#dispatch(msg, t);
    }
  }

  #dispatch(msg, t) {
    if (msg.id !== undefined && msg.method === undefined) {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      clearTimeout(p.timer);
      if (msg.error) p.reject(Object.assign(new Error(`${this.name}: ${p.method} failed: ${msg.error.message}`), { rpc: msg.error }));
      else p.resolve({ result: msg.result, t });
      return;
    }
    if (msg.id !== undefined && msg.method !== undefined) {
      this.serverRequests.set(msg.method, (this.serverRequests.get(msg.method) ?? 0) + 1);
      Promise.resolve()
        .then(() => this.onRequest(msg.method, msg.params))
        .then(
          (result) => this.#send({ jsonrpc: '2.0', id: msg.id, result: result ?? null }),
          (err) => this.#send({ jsonrpc: '2.0', id: msg.id, error: { code: -32603, message: String(err) } }),
        );
      return;
    }
    const set = this.listeners.get(msg.method);
    if (set) for (const fn of [...set]) fn(msg.params, t);
  }

  #send(obj) {
    if (this.exited) throw new Error(`${this.name}: server has exited`);
    const body = Buffer.from(JSON.stringify(obj), 'utf8');
    this.proc.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.proc.stdin.write(body);
  }

  /** @returns {number} performance.now() just after the message was handed to the pipe */
  notify(method, params) {
    this.#send({ jsonrpc: '2.0', method, params });
    return performance.now();
  }

  /**
   * Sends a request; resolves with {result, t0, t1, ms}. t0 is taken before sending, t1 when the
   * response bytes arrived.
   */
  request(method, params, timeoutMs = 30_000) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new LspTimeout(`${this.name}: ${method} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        method,
        timer,
        reject,
        resolve: ({ result, t }) => resolve({ result, t0, t1: t, ms: t - t0 }),
      });
      const t0 = performance.now();
      try {
        this.#send({ jsonrpc: '2.0', id, method, params });
      } catch (e) {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(e);
      }
    });
  }

  on(method, fn) {
    if (!this.listeners.has(method)) this.listeners.set(method, new Set());
    this.listeners.get(method).add(fn);
    return () => this.listeners.get(method)?.delete(fn);
  }

  /**
   * Resolves with the first notification `method` for which pred(params) is true, as {params, t}.
   * Call it BEFORE sending the message that triggers the notification.
   */
  waitFor(method, pred, timeoutMs, what = method) {
    return new Promise((resolve, reject) => {
      let off = () => {};
      const timer = setTimeout(() => {
        off();
        reject(new LspTimeout(`${this.name}: no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      off = this.on(method, (params, t) => {
        if (!pred(params)) return;
        off();
        clearTimeout(timer);
        resolve({ params, t });
      });
      this.exitPromise.then(() => {
        off();
        clearTimeout(timer);
        reject(new Error(`${this.name}: server exited while waiting for ${what}`));
      });
    });
  }

  /** utime+stime of the server process in ms (from /proc/<pid>/stat; includes exited threads). */
  cpuMs() {
    const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
    // fields after the parenthesised comm; utime and stime are fields 14 and 15 (1-based)
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(rest[11]);
    const stime = Number(rest[12]);
    return ((utime + stime) * 1000) / CLK_TCK;
  }

  /**
   * CPU time in ms at nanosecond resolution: the sum over the process's live threads of the first
   * field of /proc/<pid>/task/<tid>/schedstat (time spent on a CPU). Threads that exited are not
   * counted, so this is a cross-check of cpuMs(), not a replacement.
   */
  cpuMsFine() {
    let ns = 0;
    for (const tid of readdirSync(`/proc/${this.pid}/task`)) {
      try {
        ns += Number(readFileSync(`/proc/${this.pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        /* thread went away */
      }
    }
    return ns / 1e6;
  }

  /**
   * Scheduler counters of the server's main thread (/proc/<pid>/task/<pid>/schedstat), in ms:
   * run = time on a CPU, wait = time runnable but waiting for a CPU (contention on the machine).
   */
  mainThreadSched() {
    return schedOf(`/proc/${this.pid}/task/${this.pid}/schedstat`);
  }

  /** {hwmKiB, rssKiB} from /proc/<pid>/status */
  memory() {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kib = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { hwmKiB: kib('VmHWM'), rssKiB: kib('VmRSS') };
  }

  /** Child processes of the server (it should have none); pids only, for the report. */
  children() {
    try {
      return readFileSync(`/proc/${this.pid}/task/${this.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  }

  /** shutdown + exit, bounded; SIGKILL to this process only if it does not go. */
  async stop(timeoutMs = 5000) {
    if (this.exited) return this.exitInfo;
    try {
      await this.request('shutdown', null, timeoutMs);
      this.notify('exit', null);
    } catch {
      /* fall through to kill */
    }
    const timeout = new Promise((r) => setTimeout(() => r('timeout'), timeoutMs));
    if ((await Promise.race([this.exitPromise, timeout])) === 'timeout' && !this.exited) {
      this.proc.kill('SIGKILL');
      await Promise.race([this.exitPromise, new Promise((r) => setTimeout(r, timeoutMs))]);
    }
    return this.exitInfo;
  }
}

// Clock ticks per second for /proc/<pid>/stat (USER_HZ; 100 on practically every Linux).
export const CLK_TCK = (() => {
  try {
    const n = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8', timeout: 5000 }).trim());
    return n > 0 ? n : 100;
  } catch {
    return 100;
  }
})();

/** {run, wait} in ms from a schedstat file; NaN when unreadable */
export function schedOf(path) {
  try {
    const [run, wait] = readFileSync(path, 'utf8').split(' ').map(Number);
    return { run: run / 1e6, wait: wait / 1e6 };
  } catch {
    return { run: NaN, wait: NaN };
  }
}

/** the harness's own main thread */
export function selfSched() {
  return schedOf(`/proc/${process.pid}/task/${process.pid}/schedstat`);
}
