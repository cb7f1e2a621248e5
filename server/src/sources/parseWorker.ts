/**
 * Parsing catalog files on a worker thread while the workspace is read: the second core does the YAML,
 * its garbage stays in the worker's heap (gone when the scan ends), and the main thread stays free to
 * answer the editor. The main thread gets back only the index records, in the order it asked.
 */
import { parentPort, Worker, workerData } from 'node:worker_threads';
import type { EntityRecord, RefOccurrence } from '../catalog/entityRecord';
import type { Policies } from '../catalog/policies';
import { readCatalogFile, type FileOutcome } from './fileRecords';
import { prepareDocuments, type PreparedDocument } from '../catalog/analyze';

type Request =
  | { id: number; path: string; include: readonly string[]; policies: number }
  | { policiesId: number; policies: Policies }
  | { skip: string }
  /** Documents [from, to) of an editor's text, analysed in full (an open of a large file). */
  | { id: number; prepare: { path?: string; text: string; policies: number; from: number; to: number } };
type Reply = { id: number; outcome: FileOutcome } | { id: number; prepared: PreparedDocument[] | { error: string } };

/**
 * The editor comes first: while a document the user has open waits for its analysis, the parse workers
 * stop between two documents (a few hundred microseconds of parsing), so the scan does not take the cores
 * the editor needs. One flag, shared by the main thread and every worker it starts.
 */
const pauseFlag = new Int32Array(new SharedArrayBuffer(4));
/** A worker never waits longer than this for one pause: a pause that is never lifted cannot stop the scan. */
const MAX_PAUSE_MS = 3000;

let holds = 0;
let unheld: (() => void)[] = [];

/** Resolves when no hold is left (at once when none is). */
export function whenParsingFree(): Promise<void> {
  return holds === 0 ? Promise.resolve() : new Promise((resolve) => unheld.push(resolve));
}

/**
 * Asks the parse workers to stop between documents until every hold is released (main thread). Returns
 * the release, which does nothing the second time.
 */
export function holdParsing(): () => void {
  if (holds++ === 0) Atomics.store(pauseFlag, 0, 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--holds === 0) {
      Atomics.store(pauseFlag, 0, 0);
      Atomics.notify(pauseFlag, 0);
      const waiting = unheld;
      unheld = [];
      for (const f of waiting) f();
    }
  };
}

/** The worker's side: read and parse each file asked for, answer with its outcome. */
export function runParseWorker(): void {
  const port = parentPort;
  if (!port) return;
  const flag = new Int32Array((workerData as { pause: SharedArrayBuffer }).pause);
  const between = (): void => {
    for (let waited = 0; Atomics.load(flag, 0) !== 0 && waited < MAX_PAUSE_MS; waited += 50) Atomics.wait(flag, 0, 1, 50);
  };
  const policies = new Map<number, Policies>();
  // Files an editor opened after they were asked for: their text, not the disk's, counts.
  const skipped = new Set<string>();
  port.on('message', (m: Request) => {
    if ('policiesId' in m) {
      policies.set(m.policiesId, m.policies);
      return;
    }
    if ('skip' in m) {
      skipped.add(m.skip);
      return;
    }
    if ('prepare' in m) {
      const { path, text, from, to } = m.prepare;
      let prepared: PreparedDocument[] | { error: string };
      try {
        prepared = prepareDocuments(text, from, to, { path, policies: policies.get(m.prepare.policies) });
      } catch (e) {
        prepared = { error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
      }
      port.postMessage({ id: m.id, prepared } satisfies Reply);
      return;
    }
    void readCatalogFile(m.path, m.include, policies.get(m.policies)!, { skip: () => skipped.has(m.path), between }).then(
      (outcome) => port.postMessage({ id: m.id, outcome } satisfies Reply),
      (e: unknown) => port.postMessage({ id: m.id, outcome: { status: 'error', message: `indexing ${m.path} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}` } } satisfies Reply),
    );
  });
}

/** The main thread's side of one worker: answers matched to questions, strings shared again on arrival. */
export class ParseWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (answer: never) => void; fallback: () => void }>();
  private readonly policyIds = new Map<Policies, number>();
  private nextId = 0;
  /** True once the worker is gone: stopped, or failed (then the main thread parses). */
  private gone = false;
  /** True when it failed before it was stopped. */
  failed = false;

  /** Starts the worker from `script` (the server's own bundle, which runs the worker side off the main thread). */
  constructor(script: string, private readonly log: (m: string) => void) {
    // A young generation large enough that parse trees die there instead of being copied.
    this.worker = new Worker(script, { workerData: { pause: pauseFlag.buffer }, resourceLimits: { maxYoungGenerationSizeMb: 48 }, stdout: false, stderr: false });
    this.worker.on('message', (m: Reply) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (!p) return;
      if ('outcome' in m) {
        if (m.outcome.status === 'parsed') shareStrings(m.outcome.items.map((i) => i.record));
        p.resolve(m.outcome as never);
      } else if (Array.isArray(m.prepared)) {
        shareStrings(m.prepared.flatMap((d) => (d.record ? [d.record] : [])));
        p.resolve(m.prepared as never);
      } else {
        this.log(`the parse worker could not analyse a document: ${m.prepared.error}`);
        p.fallback();
      }
    });
    const fail = (why: string): void => {
      if (this.gone) return;
      this.gone = true;
      this.failed = true;
      this.log(`the parse worker stopped (${why}); reading the rest of the workspace on the main thread`);
      for (const p of this.pending.values()) p.fallback();
      this.pending.clear();
    };
    this.worker.on('error', (e) => fail(e.stack ?? e.message));
    this.worker.on('exit', (code) => fail(`exit code ${code}`));
  }

  /** The outcome of one file; `inProcess` answers instead if the worker is gone. */
  parse(path: string, include: readonly string[], policies: Policies, inProcess: () => Promise<FileOutcome>): Promise<FileOutcome> {
    if (this.gone) return inProcess();
    const pid = this.policiesId(policies);
    return this.ask((id) => ({ id, path, include, policies: pid }), inProcess);
  }

  /** Documents [from, to) of a text, analysed in full (prepareDocuments); undefined if the worker cannot. */
  prepare(path: string | undefined, text: string, policies: Policies, from: number, to: number): Promise<PreparedDocument[] | undefined> {
    if (this.gone) return Promise.resolve(undefined);
    const pid = this.policiesId(policies);
    return this.ask((id) => ({ id, prepare: { path, text, policies: pid, from, to } }), () => Promise.resolve(undefined));
  }

  private policiesId(policies: Policies): number {
    let pid = this.policyIds.get(policies);
    if (pid === undefined) {
      this.policyIds.set(policies, (pid = this.policyIds.size));
      this.worker.postMessage({ policiesId: pid, policies } satisfies Request);
    }
    return pid;
  }

  private ask<T>(request: (id: number) => Request, fallback: () => Promise<T>): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve) => {
      this.pending.set(id, { resolve: resolve as (answer: never) => void, fallback: () => void fallback().then(resolve) });
      this.worker.postMessage(request(id));
    });
  }

  /** The file is open in an editor now: if it is still to be parsed, it need not be. */
  skip(path: string): void {
    if (!this.gone) this.worker.postMessage({ skip: path } satisfies Request);
  }

  stop(): void {
    this.gone = true;
    this.worker.removeAllListeners('exit');
    void this.worker.terminate();
  }
}

const shared = new Map<string, string>();
const sharedLists = new Map<string, string[]>();

/** One string object per distinct value: a copied record would otherwise carry its own 'Component', 'owner'... */
function share(s: string): string;
function share(s: string | undefined): string | undefined;
function share(s: string | undefined): string | undefined {
  if (s === undefined || s.length > 64) return s;
  const known = shared.get(s);
  if (known !== undefined) return known;
  shared.set(s, s);
  return s;
}

function shareOccurrence(o: RefOccurrence): void {
  o.field = share(o.field);
  o.relation = share(o.relation);
  o.targetKind = share(o.targetKind);
  const key = o.allowedKinds.join(',');
  const list = sharedLists.get(key);
  if (list) o.allowedKinds = list;
  else sharedLists.set(key, o.allowedKinds);
}

function shareStrings(records: EntityRecord[]): void {
  for (const record of records) {
    record.kind = share(record.kind);
    record.namespace = share(record.namespace);
    record.lifecycle = share(record.lifecycle);
    record.type = share(record.type);
    for (const o of record.refs) shareOccurrence(o);
  }
}
