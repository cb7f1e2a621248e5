/** A real JSON-RPC client for the protocol tests: spawns dist/server.js --stdio and speaks LSP to it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { CompletionItem, Diagnostic, DocumentSymbol, Hover, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';

export const ROOT = resolve(__dirname, '../..');
export const FIXTURES = join(ROOT, 'test/fixtures/workspace');

export const uriOf = (path: string): string => pathToFileURL(path).toString();

export class LspClient {
  readonly conn: MessageConnection;
  private readonly proc: ChildProcess;
  private readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  /** How many times the server published diagnostics for each uri. */
  readonly publications = new Map<string, number>();
  private waiters: (() => void)[] = [];
  private versions = new Map<string, number>();
  private texts = new Map<string, string>();
  stderr = '';
  /** The server's log (window/logMessage): type 1 error, 2 warning, 3 info, 4 log. */
  readonly messages: { type: number; message: string }[] = [];
  /** Work-done progress the server reported ($/progress values), when the client said it shows progress. */
  readonly progress: { kind: string; title?: string; message?: string; percentage?: number }[] = [];
  status: { indexing: boolean; entities: number } | undefined;
  /** The last pavedRoad/status notification. */
  get lastStatus(): { indexing: boolean; entities: number; stores: { label: string; entities: number; error?: string }[] } | undefined {
    return this.status as never;
  }

  uriOf(path: string): string {
    return uriOf(path);
  }
  settings: Record<string, unknown> = { files: { include: [] }, policies: {} };
  /** When set, a workspace/configuration request waits for what it returns for the request's scope (a test holds a document's settings). */
  configurationGate?: (scopeUri: string | undefined) => Promise<void> | undefined;

  constructor() {
    this.proc = spawn(process.execPath, [join(ROOT, 'dist/server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stderr!.on('data', (d) => (this.stderr += String(d)));
    this.conn = createMessageConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.diagnostics.set(p.uri, p);
      this.publications.set(p.uri, (this.publications.get(p.uri) ?? 0) + 1);
      const w = this.waiters;
      this.waiters = [];
      w.forEach((f) => f());
    });
    this.conn.onNotification('window/logMessage', (m: { type: number; message: string }) => void this.messages.push(m));
    this.conn.onNotification('pavedRoad/status', (st: { indexing: boolean; entities: number }) => {
      this.status = st;
      const w = this.waiters;
      this.waiters = [];
      w.forEach((f) => f());
    });
    // Answers like VS Code: the `pavedRoad` section is the settings object, `pavedRoad.x` its part x.
    const answer = (p: { items: { section?: string }[] }): unknown[] =>
      p.items.map((i) => (i.section ?? 'pavedRoad').split('.').slice(1).reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], this.settings) ?? null);
    this.conn.onRequest('workspace/configuration', async (p: { items: { section?: string; scopeUri?: string }[] }) => {
      await this.configurationGate?.(p.items[0]?.scopeUri);
      return answer(p);
    });
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.onRequest('window/workDoneProgress/create', () => null);
    this.conn.onNotification('$/progress', (p: { value: LspClient['progress'][number] }) => void this.progress.push(p.value));
    this.conn.listen();
  }

  /** Starts a server on a workspace folder (the fixture workspace by default), with settings. */
  static async start(root = FIXTURES, settings?: Record<string, unknown>, window?: { workDoneProgress: boolean }, initializationOptions?: Record<string, unknown>): Promise<LspClient> {
    const c = new LspClient();
    if (settings) c.settings = settings;
    await c.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: uriOf(root),
      capabilities: { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } }, textDocument: { completion: { completionItem: { snippetSupport: true } } }, window },
      workspaceFolders: [{ uri: uriOf(root), name: 'fixtures' }],
      initializationOptions,
    });
    await c.conn.sendNotification('initialized', {});
    return c;
  }

  /** Resolves when the workspace has been read into the index. */
  async waitForIndex(ms = 15000): Promise<void> {
    await this.until(() => !!this.status && !this.status.indexing && this.status.entities > 0, ms, () => `index never ready; last status ${JSON.stringify(this.status)}`);
  }

  /** Resolves when `cond` holds after some notification, or rejects after `ms`. */
  async until(cond: () => boolean, ms: number, why: () => string): Promise<void> {
    const deadline = Date.now() + ms;
    while (!cond()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${why()}\nserver stderr: ${this.stderr}`);
      await new Promise<void>((res) => {
        const t = setTimeout(res, left);
        this.waiters.push(() => {
          clearTimeout(t);
          res();
        });
      });
    }
  }

  /** Resolves when `pred` holds for the latest diagnostics of `uri`, or rejects after `ms`. */
  async waitForDiagnostics(uri: string, pred: (d: Diagnostic[], version?: number) => boolean = () => true, ms = 10000): Promise<Diagnostic[]> {
    const deadline = Date.now() + ms;
    for (;;) {
      const p = this.diagnostics.get(uri);
      if (p && pred(p.diagnostics, p.version)) return p.diagnostics;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for diagnostics of ${uri}; last: ${JSON.stringify(p?.diagnostics)}\nserver stderr: ${this.stderr}`);
      await new Promise<void>((res) => {
        const t = setTimeout(res, left);
        this.waiters.push(() => {
          clearTimeout(t);
          res();
        });
      });
    }
  }

  /** Opens a document (text from disk unless given) and waits for its diagnostics of that version. */
  async open(path: string, text = readFileSync(path, 'utf8')): Promise<{ uri: string; diagnostics: Diagnostic[] }> {
    const uri = path.includes(':') && !path.startsWith('/') ? path : uriOf(path);
    this.versions.set(uri, 1);
    this.texts.set(uri, text);
    await this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    const diagnostics = await this.waitForDiagnostics(uri, (_d, v) => v === undefined || v === 1);
    return { uri, diagnostics };
  }

  /** Replaces the whole text and waits for diagnostics of the new version. */
  async change(uri: string, text: string): Promise<Diagnostic[]> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    this.texts.set(uri, text);
    await this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    return this.waitForDiagnostics(uri, (_d, v) => v === undefined || v === version);
  }

  /** The latest diagnostics published for `uri` (with their version), without waiting. */
  lastPublished(uri: string): PublishDiagnosticsParams | undefined {
    return this.diagnostics.get(uri);
  }

  text(uri: string): string {
    return this.texts.get(uri) ?? '';
  }

  /** The completion items (of a list or a plain array). */
  async completion(uri: string, line: number, character: number): Promise<CompletionItem[] | null> {
    const r = (await this.conn.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line, character } })) as CompletionItem[] | { items: CompletionItem[] } | null;
    return r && !Array.isArray(r) ? r.items : r;
  }

  hover(uri: string, line: number, character: number): Promise<Hover | null> {
    return this.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character } });
  }

  symbols(uri: string): Promise<DocumentSymbol[]> {
    return this.conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri } });
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.conn.sendNotification('exit');
    } catch {
      /* the server may already be gone */
    }
    this.conn.dispose();
    if (this.proc.exitCode === null) this.proc.kill();
  }

  get alive(): boolean {
    return this.proc.exitCode === null;
  }
}

/** Finds the (line, character) of the n-th occurrence of `needle` in text. */
export function positionOf(text: string, needle: string, nth = 0): { line: number; character: number } {
  let idx = -1;
  for (let i = 0; i <= nth; i++) {
    idx = text.indexOf(needle, idx + 1);
    if (idx === -1) throw new Error(`'${needle}' not found`);
  }
  const before = text.slice(0, idx);
  const line = before.split('\n').length - 1;
  return { line, character: idx - (before.lastIndexOf('\n') + 1) };
}
