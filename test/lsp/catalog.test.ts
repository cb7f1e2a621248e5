/**
 * Protocol tests of catalog intelligence: dist/server.js over real JSON-RPC on stdio, on a copy of
 * test/fixtures/catalog (see its README for what each file is for). Cross-file diagnostics, reference
 * completion, hover cards, definition, references, rename, document links, quick fixes, blast radius,
 * and the index following the workspace (watched files, unsaved editor text).
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type {
  CodeAction,
  CompletionItem,
  Diagnostic,
  DocumentLink,
  Hover,
  Location,
  MarkupContent,
  PrepareRenameResult,
  Range,
  TextDocumentEdit,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { Trace } from 'vscode-jsonrpc/node';
import { LspClient, ROOT, uriOf } from './lspClient';

const FIXTURE = join(ROOT, 'test/fixtures/catalog');
/** Entities (distinct refs) of the fixture: 27 documents, `component:default/inventory` twice. */
const FIXTURE_ENTITIES = 26;
const WAIT_MS = 4000;

// ---------------------------------------------------------------------------------------------
// A client on our own workspace root, with versions we control.

let versionCounter = 100;

class CatalogClient extends LspClient {
  private readonly docs = new Map<string, { version: number; text: string }>();
  /** The server's errors and warnings, shown when a wait times out. */
  get log(): string[] {
    return this.messages.filter((m) => m.type <= 2).map((m) => m.message);
  }

  /** Documents whose workspace/configuration answers are held back (a slow client). */
  private readonly held = new Map<string, Promise<void>>();

  constructor() {
    super();
    // As the harness answers, but an answer about a held document waits for its release.
    this.conn.onRequest('workspace/configuration', async (p: { items: { scopeUri?: string }[] }) => {
      for (const item of p.items) {
        const hold = item.scopeUri ? this.held.get(item.scopeUri) : undefined;
        if (hold) await hold;
      }
      return p.items.map(() => this.settings);
    });
  }

  /** Holds back the answers to the server's configuration requests about `uri` until the returned function is called. */
  holdConfiguration(uri: string): () => void {
    let release = (): void => undefined;
    this.held.set(uri, new Promise<void>((r) => (release = r)));
    return () => {
      this.held.delete(uri);
      release();
    };
  }

  /** Sends didOpen without waiting for anything. */
  async openNoWait(path: string, text: string): Promise<{ uri: string; version: number }> {
    const uri = uriOf(path);
    const version = ++versionCounter;
    this.docs.set(uri, { version, text });
    await this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text } });
    return { uri, version };
  }

  override async waitForDiagnostics(uri: string, pred?: (d: Diagnostic[], version?: number) => boolean, ms?: number): Promise<Diagnostic[]> {
    try {
      return await super.waitForDiagnostics(uri, pred, ms);
    } catch (e) {
      throw new Error(`${(e as Error).message}\nserver log (errors and warnings): ${this.log.join('\n') || '(empty)'}`);
    }
  }

  static async startIn(root: string): Promise<CatalogClient> {
    const c = new CatalogClient();
    // LSP_TRACE=1 prints every message, for debugging a failure.
    if (process.env.LSP_TRACE) {
      const t0 = Date.now();
      void c.conn.trace(Trace.Messages, { log: (m: string, d?: string) => process.stderr.write(`${Date.now() - t0} ${m} ${(d ?? '').replace(/\s+/g, ' ').slice(0, 300)}\n`) });
    }
    await c.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: uriOf(root),
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, didChangeWatchedFiles: { dynamicRegistration: false } },
        textDocument: { completion: { completionItem: { snippetSupport: true } }, rename: { prepareSupport: true } },
      },
      workspaceFolders: [{ uri: uriOf(root), name: 'catalog' }],
    });
    await c.conn.sendNotification('initialized', {});
    return c;
  }

  /**
   * Opens a document (its disk text unless given) and waits for the diagnostics of that version. Every
   * open gets a version never used before, so an earlier publication for the same uri cannot satisfy it.
   */
  async openDoc(path: string, text = readFileSync(path, 'utf8')): Promise<{ uri: string; diagnostics: Diagnostic[] }> {
    const { uri, version } = await this.openNoWait(path, text);
    const diagnostics = await this.waitForDiagnostics(uri, (_d, v) => v === version, WAIT_MS);
    return { uri, diagnostics };
  }

  /**
   * Opens a document and sends a request about it before the server has its settings (as VS Code asks
   * for documentSymbol right after didOpen, while the configuration request is still on its way); then
   * lets the settings through and waits for the diagnostics of that version.
   */
  async openThenRequest(path: string, text: string, method: string): Promise<{ uri: string; diagnostics: Diagnostic[] }> {
    const release = this.holdConfiguration(uriOf(path));
    let opened: { uri: string; version: number };
    try {
      opened = await this.openNoWait(path, text);
      await this.conn.sendRequest(method, { textDocument: { uri: opened.uri } });
    } finally {
      release();
    }
    return { uri: opened.uri, diagnostics: await this.waitForDiagnostics(opened.uri, (_d, v) => v === opened.version, WAIT_MS) };
  }

  /** Replaces the whole text and waits for the diagnostics of the new version. */
  async edit(uri: string, text: string): Promise<Diagnostic[]> {
    const version = ++versionCounter;
    this.docs.set(uri, { version, text });
    await this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    return this.waitForDiagnostics(uri, (_d, v) => v === version, WAIT_MS);
  }

  /** Closes a document; with `entities`, waits until the index is back to that many entities. */
  async closeDoc(uri: string, entities?: number): Promise<void> {
    this.docs.delete(uri);
    if (entities !== undefined) this.status = undefined;
    await this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
    if (entities !== undefined) await this.until(() => this.status?.entities === entities, WAIT_MS, () => `index never back to ${entities} entities; last status ${JSON.stringify(this.status)}`);
  }

  isOpen(uri: string): boolean {
    return this.docs.has(uri);
  }

  versionOf(uri: string): number | null {
    return this.docs.get(uri)?.version ?? null;
  }

  textOf(uri: string): string {
    const t = this.docs.get(uri)?.text;
    assert.ok(t !== undefined, `${uri} is not open`);
    return t;
  }

  latest(uri: string): Promise<Diagnostic[]> {
    return this.waitForDiagnostics(uri, () => true, WAIT_MS);
  }

  /** Sends workspace/didChangeWatchedFiles as VS Code does (1 created, 2 changed, 3 deleted). */
  watched(...changes: [string, 1 | 2 | 3][]): Promise<void> {
    return this.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: changes.map(([uri, type]) => ({ uri, type })) });
  }
}

// ---------------------------------------------------------------------------------------------
// Positions in the fixture.

let root = '';
const pathOf = (rel: string): string => join(root, rel);
const uriAt = (rel: string): string => uriOf(pathOf(rel));

function indexesOf(text: string, needle: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + 1)) out.push(i);
  return out;
}

/**
 * The range of `sub` inside the one line of `text` that contains `line` (which must occur exactly once),
 * e.g. rangeIn(text, '  system: checkout-platfrom', 'checkout-platfrom').
 */
function rangeIn(text: string, line: string, sub = line.trim()): Range {
  const hits = indexesOf(text, line);
  assert.equal(hits.length, 1, `'${line}' must occur once, found ${hits.length}`);
  const i = line.indexOf(sub);
  assert.ok(i !== -1 && !line.includes('\n'), `'${sub}' not in '${line}'`);
  const before = text.slice(0, hits[0] + i);
  const l = before.split('\n').length - 1;
  const ch = before.length - (before.lastIndexOf('\n') + 1);
  return { start: { line: l, character: ch }, end: { line: l, character: ch + sub.length } };
}

/** The same in a fixture file as it is on disk. */
const at = (rel: string, line: string, sub?: string): Range => rangeIn(readFileSync(pathOf(rel), 'utf8'), line, sub);
const inside = (r: Range, n = 1): { line: number; character: number } => ({ line: r.start.line, character: r.start.character + n });
const emptyAt = (line: number, character: number): Range => ({ start: { line, character }, end: { line, character } });

const warning = (code: string, range: Range, message: string, extra: Partial<Diagnostic> = {}): Diagnostic => ({ range, severity: 2, code, source: 'paved-road', message, ...extra });
const markdown = (h: Hover | null): string => {
  assert.ok(h, 'a hover');
  return (h.contents as MarkupContent).value;
};
const byPlace = (a: Location, b: Location): number => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
const byRange = (a: TextEdit, b: TextEdit): number => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;

/** A WorkspaceEdit's documentChanges, files by uri and edits by position (their order carries no meaning). */
function normalizeEdit(e: WorkspaceEdit | null): { uri: string; version: number | null; edits: TextEdit[] }[] {
  assert.ok(e?.documentChanges, `a WorkspaceEdit with documentChanges, got ${JSON.stringify(e)}`);
  return (e.documentChanges as TextDocumentEdit[])
    .map((d) => ({ uri: d.textDocument.uri, version: d.textDocument.version, edits: [...(d.edits as TextEdit[])].sort(byRange) }))
    .sort((a, b) => (a.uri < b.uri ? -1 : 1));
}

/** [label, detail, inserted text] of completion items, sorted (entities come in index order). */
type Offer = [string, string | undefined, string];
const offers = (items: CompletionItem[] | null): Offer[] =>
  (items ?? []).map((i): Offer => [i.label, i.detail, (i.textEdit as TextEdit).newText]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
const sorted = (list: Offer[]): Offer[] => [...list].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
const same = (written: string, label = written): Offer => [label, written, written];

async function expectError(p: Promise<unknown>, code: number, message: string): Promise<void> {
  await assert.rejects(p, (e: { code?: number; message?: string }) => {
    assert.equal(e.message, message);
    assert.equal(e.code, code);
    return true;
  });
}

// ---------------------------------------------------------------------------------------------

describe('catalog intelligence over stdio', () => {
  let c: CatalogClient;
  /** Opens a fixture file once (its disk text) and returns its uri. */
  const ensureOpen = async (rel: string): Promise<string> => {
    const uri = uriAt(rel);
    if (!c.isOpen(uri)) await c.openDoc(pathOf(rel));
    return uri;
  };
  const request = <T>(method: string, params: object): Promise<T> => c.conn.sendRequest(method, params);

  before(async () => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'paved-road-catalog-')));
    cpSync(FIXTURE, root, { recursive: true });
    c = await CatalogClient.startIn(root);
    await c.waitForIndex();
  });
  after(async () => {
    await c?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('indexes every entity of the workspace before checking open documents', () => {
    assert.equal(c.status?.indexing, false);
    assert.equal(c.status?.entities, FIXTURE_ENTITIES);
  });

  describe('cross-file diagnostics', () => {
    it('ref-not-found with did-you-mean and data.replacements; ref-wrong-kind for owner → Component, system → Group, dependsOn → API', async () => {
      const f = 'services/cart/catalog-info.yaml';
      const { diagnostics } = await c.openDoc(pathOf(f));
      assert.deepEqual(diagnostics, [
        warning('ref-not-found', at(f, '  system: checkout-platfrom', 'checkout-platfrom'), "system 'checkout-platfrom' not found; did you mean 'checkout-platform'?", { data: { replacements: ['checkout-platform'] } }),
        warning('ref-wrong-kind', at(f, '  owner: component:cart-service', 'component:cart-service'), "spec.owner must refer to a Group or a User, but 'component:cart-service' is a Component"),
        warning('ref-wrong-kind', at(f, '  system: group:web-team', 'group:web-team'), "spec.system must refer to a System, but 'group:web-team' is a Group"),
        warning('ref-wrong-kind', at(f, '  dependsOn: [api:payments-events]', 'api:payments-events'), "spec.dependsOn must refer to a Component or a Resource, but 'api:payments-events' is an API"),
      ]);
    });

    it('ref-wrong-kind for members → Group; group-cycle on each Group of a parent/children loop', async () => {
      const f = 'org/groups.yaml';
      const { diagnostics } = await c.openDoc(pathOf(f));
      const loop = (from: string): string => {
        const names = ['guild-a', 'guild-b', 'guild-c'];
        const i = names.indexOf(from);
        const around = [...names.slice(i), ...names.slice(0, i), from];
        return `groups form a loop through parent/children: ${around.map((n) => `default/${n}`).join(' → ')}`;
      };
      assert.deepEqual(diagnostics, [
        warning('ref-wrong-kind', at(f, '    - group:payments-team', 'group:payments-team'), "spec.members must refer to a User, but 'group:payments-team' is a Group"),
        // On the parent reference when there is one, else on the name.
        warning('group-cycle', at(f, '  parent: guild-b', 'guild-b'), loop('guild-a')),
        warning('group-cycle', at(f, '  parent: guild-c', 'guild-c'), loop('guild-b')),
        warning('group-cycle', at(f, '  name: guild-c', 'guild-c'), loop('guild-c')),
      ]);
    });

    it('entity-duplicate on both definitions, each with relatedInformation pointing at the other', async () => {
      const first = 'duplicates/first.catalog-info.yaml';
      const second = 'duplicates/second.catalog-info.yaml';
      const a = await c.openDoc(pathOf(first));
      const b = await c.openDoc(pathOf(second));
      const dup = (other: string): Diagnostic =>
        warning('entity-duplicate', at(first, '  name: inventory', 'inventory'), `component:default/inventory is defined more than once (also in ${other}); the catalog keeps the first definition it reads and drops the others`, {
          relatedInformation: [{ location: { uri: uriAt(other), range: at(other, '  name: inventory', 'inventory') }, message: 'the other definition of component:default/inventory' }],
        });
      assert.deepEqual(a.diagnostics, [dup(second)]);
      assert.deepEqual(b.diagnostics, [dup(first)]);
    });

    it('ref-deprecated and policy-lifecycle-dependency on the dependsOn of a production Component', async () => {
      const f = 'services/payments/catalog-info.yaml';
      const { diagnostics } = await c.openDoc(pathOf(f));
      assert.deepEqual(diagnostics, [
        warning('policy-lifecycle-dependency', at(f, '    - component:fraud-scorer', 'component:fraud-scorer'), "a production Component should not depend on experimental 'component:fraud-scorer' (policy forbiddenDependencies)"),
        warning('ref-deprecated', at(f, '    - component:legacy-ledger', 'component:legacy-ledger'), "'component:legacy-ledger' is deprecated; plan a move away from it"),
      ]);
    });

    it("namespace resolution: references resolve in the entity's own namespace; one that exists only in default gets 'default/…'", async () => {
      const f = 'shop/catalog-info.yaml';
      const { uri, diagnostics } = await c.openDoc(pathOf(f));
      // owner: group:storefront-team, dependsOn: [component:cart-service] and memberOf: [storefront-team] are found in shop.
      assert.deepEqual(diagnostics, [
        warning('ref-not-found', at(f, '  system: checkout-platform', 'checkout-platform'), "system 'checkout-platform' not found; did you mean 'default/checkout-platform'?", { data: { replacements: ['default/checkout-platform'] } }),
      ]);
      // component:cart-service from shop is shop's cart-service, not the default one.
      const def = await request<Location>('textDocument/definition', { textDocument: { uri }, position: inside(at(f, '  dependsOn: [component:cart-service]', 'cart-service')) });
      assert.deepEqual(def, { uri, range: at(f, '  name: cart-service', 'cart-service') });
    });

    it('files whose references all resolve get no diagnostics (Location targets exist)', async () => {
      for (const f of ['catalog-info.yaml', 'org/users.yaml', 'systems/catalog-info.yaml', 'services/legacy/catalog-info.yaml']) {
        const { diagnostics } = await c.openDoc(pathOf(f));
        assert.deepEqual(diagnostics, [], f);
      }
    });

    it("an edit in one open document updates the cross-file diagnostics of another", async () => {
      const payments = await ensureOpen('services/payments/catalog-info.yaml');
      const legacy = await ensureOpen('services/legacy/catalog-info.yaml');
      const disk = readFileSync(pathOf('services/legacy/catalog-info.yaml'), 'utf8');
      await c.edit(legacy, disk.replace('lifecycle: deprecated', 'lifecycle: production'));
      const without = await c.waitForDiagnostics(payments, (d) => !d.some((x) => x.code === 'ref-deprecated'), WAIT_MS);
      assert.deepEqual(without.map((d) => d.code), ['policy-lifecycle-dependency']);
      await c.edit(legacy, disk);
      const back = await c.waitForDiagnostics(payments, (d) => d.some((x) => x.code === 'ref-deprecated'), WAIT_MS);
      assert.deepEqual(back.map((d) => d.code), ['policy-lifecycle-dependency', 'ref-deprecated']);
    });
  });

  describe('completion of reference values', () => {
    const text = [
      'apiVersion: backstage.io/v1alpha1',
      'kind: Component',
      'metadata:',
      '  name: scratch',
      '  tags:',
      '    - ',
      '  annotations:',
      '    ',
      'spec:',
      '  type: service',
      '  lifecycle: experimental',
      '  owner: ',
      '  system: ',
      '  dependsOn:',
      '    - ',
      '  providesApis:',
      '    - ',
      '  consumesApis:',
      '    - ',
      '---',
      'apiVersion: backstage.io/v1alpha1',
      'kind: System',
      'metadata:',
      '  name: scratch-system',
      'spec:',
      '  owner: group:web-team',
      '  domain: ',
      '---',
      'apiVersion: backstage.io/v1alpha1',
      'kind: Group',
      'metadata:',
      '  name: scratch-group',
      'spec:',
      '  type: team',
      '  parent: ',
      '  children:',
      '    - ',
      '  members:',
      '    - ',
      '---',
      'apiVersion: backstage.io/v1alpha1',
      'kind: User',
      'metadata:',
      '  name: scratch-user',
      'spec:',
      '  memberOf:',
      '    - ',
      '',
    ].join('\n');
    const lines = text.split('\n');
    /** The 0-based line of the n-th line equal to `s`. */
    const lineOf = (s: string, nth = 0): number => lines.map((l, i) => (l === s ? i : -1)).filter((i) => i !== -1)[nth];
    /** The line after the n-th line equal to `key` (a list item `    - `). */
    const itemAfter = (key: string): number => lineOf(key) + 1;
    let uri = '';
    const complete = async (line: number): Promise<CompletionItem[]> => {
      const items = (await c.completion(uri, line, lines[line].length)) ?? [];
      for (const i of items) assert.deepEqual((i.textEdit as TextEdit).range, emptyAt(line, lines[line].length), `${i.label}: inserted at the cursor`);
      return items;
    };
    /** True when every item of the first kind sorts before every item of the second. */
    const ranksFirst = (items: CompletionItem[], first: (i: CompletionItem) => boolean): boolean => {
      const a = items.filter(first).map((i) => i.sortText ?? '');
      const b = items.filter((i) => !first(i)).map((i) => i.sortText ?? '');
      return a.length > 0 && b.length > 0 && a.every((x) => b.every((y) => x < y));
    };

    const GROUPS_FROM_DEFAULT: Offer[] = [
      ['Engineering', 'engineering', 'engineering'],
      ['Payments Team', 'payments-team', 'payments-team'],
      ['Web Team', 'web-team', 'web-team'],
      same('guild-a'),
      same('guild-b'),
      same('guild-c'),
      ['Storefront Team', 'shop/storefront-team', 'shop/storefront-team'],
    ];

    before(async () => {
      ({ uri } = await c.openDoc(pathOf('scratch/completion.catalog-info.yaml'), text));
    });
    after(async () => {
      await c.closeDoc(uri, FIXTURE_ENTITIES);
    });

    it('owner: Groups then Users, labelled by display name, inserting the shortest correct reference (typed, as the default policy asks)', async () => {
      const items = await complete(lineOf('  owner: '));
      assert.deepEqual(
        offers(items),
        sorted([
          ['Engineering', 'group:engineering', 'group:engineering'],
          ['Payments Team', 'group:payments-team', 'group:payments-team'],
          ['Web Team', 'group:web-team', 'group:web-team'],
          same('group:guild-a'),
          same('group:guild-b'),
          same('group:guild-c'),
          ['Storefront Team', 'group:shop/storefront-team', 'group:shop/storefront-team'],
          same('group:scratch-group'),
          ['Alice Andersen', 'user:alice', 'user:alice'],
          ['Bob Brown', 'user:bob', 'user:bob'],
          same('user:carol'),
          same('user:shop/dave'),
          same('user:scratch-user'),
        ]),
      );
      assert.ok(ranksFirst(items, (i) => i.detail!.startsWith('group:')), 'Groups (the default kind) come first');
      assert.ok(items.every((i) => i.kind === 18), 'CompletionItemKind.Reference');
      assert.equal(items.find((i) => i.label === 'Payments Team')?.filterText, 'group:payments-team Payments Team', 'found by name or display name');
    });

    it('system → Systems; domain → Domains; a typed prefix is replaced', async () => {
      assert.deepEqual(offers(await complete(lineOf('  system: '))), sorted([['Checkout Platform', 'checkout-platform', 'checkout-platform'], same('identity'), same('scratch-system')]));
      assert.deepEqual(offers(await complete(lineOf('  domain: '))), [['Commerce', 'commerce', 'commerce']]);
      const line = lineOf('  system: ');
      const typed = text.replace('  system: \n', '  system: check\n');
      await c.edit(uri, typed);
      const items = (await c.completion(uri, line, '  system: check'.length)) ?? [];
      const item = items.find((i) => i.label === 'Checkout Platform');
      assert.deepEqual(item?.textEdit, { range: { start: { line, character: 10 }, end: { line, character: 15 } }, newText: 'checkout-platform' });
      assert.equal(item?.filterText, 'checkout-platform Checkout Platform');
      await c.edit(uri, text);
    });

    it('dependsOn → Components and Resources, with their kind (the field has no default kind)', async () => {
      const items = await complete(itemAfter('  dependsOn:'));
      assert.deepEqual(
        offers(items),
        sorted([
          ['Payments API', 'component:payments-api', 'component:payments-api'],
          same('component:legacy-ledger'),
          same('component:fraud-scorer'),
          same('component:cart-service'),
          same('component:cart-worker'),
          same('component:inventory'),
          same('component:shop/storefront'),
          same('component:shop/cart-service'),
          same('resource:payments-db'),
        ]),
      );
      assert.ok(ranksFirst(items, (i) => i.detail!.startsWith('component:')), 'Components before Resources');
    });

    it('providesApis / consumesApis → APIs', async () => {
      const apis = sorted([same('payments-rest'), same('payments-events')]);
      assert.deepEqual(offers(await complete(itemAfter('  providesApis:'))), apis);
      assert.deepEqual(offers(await complete(itemAfter('  consumesApis:'))), apis);
    });

    it('memberOf / parent / children → Groups; members → Users', async () => {
      // In the Group scratch-group: itself is not offered as its own parent or child.
      assert.deepEqual(offers(await complete(lineOf('  parent: '))), sorted(GROUPS_FROM_DEFAULT));
      assert.deepEqual(offers(await complete(itemAfter('  children:'))), sorted(GROUPS_FROM_DEFAULT));
      assert.deepEqual(offers(await complete(itemAfter('  members:'))), sorted([['Alice Andersen', 'alice', 'alice'], ['Bob Brown', 'bob', 'bob'], same('carol'), same('shop/dave'), same('scratch-user')]));
      assert.deepEqual(offers(await complete(itemAfter('  memberOf:'))), sorted([...GROUPS_FROM_DEFAULT, same('scratch-group')]));
    });

    it('tags from the catalog with their counts, most used first', async () => {
      const items = await complete(itemAfter('  tags:'));
      assert.deepEqual(
        items.map((i) => [i.label, i.detail, (i.textEdit as TextEdit).newText]),
        [
          ['payments', '3 entities', 'payments'],
          ['java', '2 entities', 'java'],
          ['legacy', '1 entity', 'legacy'],
          ['ml', '1 entity', 'ml'],
        ],
      );
    });

    it('annotation keys seen in the catalog (beyond the well-known ones), most used first', async () => {
      const items = await complete(itemAfter('  annotations:'));
      const seen = items.filter((i) => /in the catalog$/.test(i.detail ?? ''));
      assert.deepEqual(
        seen.map((i) => [i.label, i.detail, (i.textEdit as TextEdit).newText]),
        [
          ['acme.com/cost-center', 'used by 2 entities in the catalog', 'acme.com/cost-center: '],
          ['slack.com/channel', 'used by 1 entity in the catalog', 'slack.com/channel: '],
        ],
      );
      // Well-known keys (e.g. pagerduty.com/service-id, also used here) are offered once, as well-known.
      assert.equal(items.filter((i) => i.label === 'pagerduty.com/service-id').length, 1);
      assert.ok(items.indexOf(seen[0]) > items.findIndex((i) => i.label === 'pagerduty.com/service-id'));
    });
  });

  describe('completion of owner across namespaces and policies', () => {
    const text = [
      'apiVersion: backstage.io/v1alpha1',
      'kind: Component',
      'metadata:',
      '  name: scratch-shop',
      '  namespace: shop',
      'spec:',
      '  type: service',
      '  lifecycle: production',
      '  owner: ',
      '---',
      'apiVersion: backstage.io/v1alpha1',
      'kind: Component',
      'metadata:',
      '  name: scratch-default',
      'spec:',
      '  type: service',
      '  lifecycle: production',
      '  owner: alice',
      '',
    ].join('\n');
    const line = 8;
    const codes = (d: Diagnostic[]): string[] => d.map((x) => String(x.code));

    it('from another namespace, a reference to default names it; typed (the default policy)', async () => {
      assert.equal(text.split('\n')[line], '  owner: ');
      const { uri, diagnostics } = await c.openDoc(pathOf('scratch/owner.catalog-info.yaml'), text);
      try {
        // `owner: alice` means group:alice: the typed-owner warning, and a Group alice is not found.
        assert.deepEqual(codes(diagnostics), ['type', 'policy-owner-typed', 'ref-not-found']);
        assert.deepEqual(
          offers(await c.completion(uri, line, 9)),
          sorted([
            ['Storefront Team', 'group:storefront-team', 'group:storefront-team'],
            ['Engineering', 'group:default/engineering', 'group:default/engineering'],
            ['Payments Team', 'group:default/payments-team', 'group:default/payments-team'],
            ['Web Team', 'group:default/web-team', 'group:default/web-team'],
            same('group:default/guild-a'),
            same('group:default/guild-b'),
            same('group:default/guild-c'),
            same('user:dave'),
            ['Alice Andersen', 'user:default/alice', 'user:default/alice'],
            ['Bob Brown', 'user:default/bob', 'user:default/bob'],
            same('user:default/carol'),
          ]),
        );
      } finally {
        await c.closeDoc(uri, FIXTURE_ENTITIES);
      }
    });

    it('with typedOwner off (.paved-road/policies.yaml), a Group needs no kind and a User still does', async () => {
      mkdirSync(pathOf('untyped/.paved-road'), { recursive: true });
      writeFileSync(pathOf('untyped/.paved-road/policies.yaml'), 'typedOwner: false\nwholeCatalog: true\n');
      const { uri, diagnostics } = await c.openDoc(pathOf('untyped/owner.catalog-info.yaml'), text);
      try {
        assert.deepEqual(codes(diagnostics), ['type', 'ref-not-found']);
        assert.deepEqual(
          offers(await c.completion(uri, line, 9)),
          sorted([
            ['Storefront Team', 'storefront-team', 'storefront-team'],
            ['Engineering', 'default/engineering', 'default/engineering'],
            ['Payments Team', 'default/payments-team', 'default/payments-team'],
            ['Web Team', 'default/web-team', 'default/web-team'],
            same('default/guild-a'),
            same('default/guild-b'),
            same('default/guild-c'),
            same('user:dave'),
            ['Alice Andersen', 'user:default/alice', 'user:default/alice'],
            ['Bob Brown', 'user:default/bob', 'user:default/bob'],
            same('user:default/carol'),
          ]),
        );
      } finally {
        await c.closeDoc(uri, FIXTURE_ENTITIES);
      }
    });
  });

  describe('settings', () => {
    it('pavedRoad.policies apply to a document that gets a request before its settings arrive (VS Code asks for symbols right after didOpen)', async () => {
      const text = ['apiVersion: backstage.io/v1alpha1', 'kind: Component', 'metadata:', '  name: early-bird', 'spec:', '  type: service', '  lifecycle: production', '  owner: web-team', ''].join('\n');
      c.settings = { files: { include: [] }, policies: { typedOwner: false } };
      let uri = '';
      try {
        const r = await c.openThenRequest(pathOf('scratch/early.catalog-info.yaml'), text, 'textDocument/documentSymbol');
        uri = r.uri;
        // typedOwner is off for this document: no policy-owner-typed on `owner: web-team`.
        assert.deepEqual(r.diagnostics, []);
      } finally {
        c.settings = { files: { include: [] }, policies: {} };
        if (uri) await c.closeDoc(uri, FIXTURE_ENTITIES);
      }
    });
  });

  describe('hover cards on references', () => {
    it('the Group card: display name, email, Slack, on-call, parent, members with count, owned entities by kind, where it is defined', async () => {
      const f = 'services/cart/catalog-info.yaml';
      const uri = await ensureOpen(f);
      const ref = at(f, '  owner: "group:default/payments-team"', '"group:default/payments-team"');
      const h = await c.hover(uri, ref.start.line, ref.start.character + 20);
      assert.equal(
        markdown(h),
        [
          '**Payments Team** · Group · team',
          '',
          '`group:default/payments-team`',
          '',
          'Takes the money\\.',
          '',
          '- Email: payments@example\\.com',
          '- Chat: payments\\-oncall _(slack\\.com/channel)_',
          '- On-call: PX1234 _(pagerduty\\.com/service\\-id)_',
          '- Parent: Engineering (`group:default/engineering`)',
          '- Members (3): Alice Andersen (`user:default/alice`), Bob Brown (`user:default/bob`), dave (`user:shop/dave`)',
          '- Owns: 3 Components, 2 APIs, 1 Resource',
          '',
          `Defined in [org/groups\\.yaml:15](${uriAt('org/groups.yaml')}#L15,9)`,
        ].join('\n'),
      );
      assert.deepEqual(h?.range, ref, 'the range of the reference, quotes included');
    });

    it('a Group card with teams and no members', async () => {
      const f = 'systems/catalog-info.yaml';
      const uri = await ensureOpen(f);
      // Two such owners in this file: the Domain's (first) and the System's.
      const owner = rangeIn(c.textOf(uri).slice(0, c.textOf(uri).indexOf('kind: System')), '  owner: group:engineering', 'group:engineering');
      const h = await c.hover(uri, owner.start.line, owner.start.character + 8);
      assert.equal(
        markdown(h),
        [
          '**Engineering** · Group · department',
          '',
          '`group:default/engineering`',
          '',
          '- Email: engineering@example\\.com',
          '- Teams: Payments Team (`group:default/payments-team`), Web Team (`group:default/web-team`)',
          '- Members: none listed',
          '- Owns: 1 Domain, 1 System',
          '',
          `Defined in [org/groups\\.yaml:4](${uriAt('org/groups.yaml')}#L4,9)`,
        ].join('\n'),
      );
      assert.deepEqual(h?.range, owner);
    });

    it('the Component card: description, lifecycle, owner, system, dependents', async () => {
      const f = 'services/payments/catalog-info.yaml';
      const uri = await ensureOpen(f);
      const ref = at(f, '    - component:legacy-ledger', 'component:legacy-ledger');
      const h = await c.hover(uri, ref.start.line, ref.end.character - 1);
      assert.equal(
        markdown(h),
        [
          '**legacy\\-ledger** · Component · service · deprecated',
          '',
          '`component:default/legacy-ledger`',
          '',
          'The old ledger, being retired\\.',
          '',
          '- Owner: Payments Team (`group:default/payments-team`)',
          '- System: Checkout Platform (`system:default/checkout-platform`)',
          // payments-api directly; fraud-scorer, cart-service and shop/storefront through payments-api's API.
          '- Dependents: 1 direct, 4 in all',
          '',
          `Defined in [services/legacy/catalog\\-info\\.yaml:4](${uriAt('services/legacy/catalog-info.yaml')}#L4,9)`,
        ].join('\n'),
      );
      assert.deepEqual(h?.range, ref);
    });

    it('a reference to nothing says so', async () => {
      const f = 'services/cart/catalog-info.yaml';
      const uri = await ensureOpen(f);
      const ref = at(f, '  system: checkout-platfrom', 'checkout-platfrom');
      const h = await c.hover(uri, ref.start.line, ref.start.character);
      assert.equal(markdown(h), '`system:default/checkout-platfrom` is not in the catalog (neither in this workspace nor in a configured store).');
      assert.deepEqual(h?.range, ref);
    });
  });

  describe('go to definition', () => {
    it('from a reference to the range of the target’s metadata.name value, in another file', async () => {
      const f = 'services/cart/catalog-info.yaml';
      const uri = await ensureOpen(f);
      const def = await request<Location>('textDocument/definition', { textDocument: { uri }, position: inside(at(f, '  owner: "group:default/payments-team"', 'payments-team')) });
      assert.deepEqual(def, { uri: uriAt('org/groups.yaml'), range: at('org/groups.yaml', '  name: payments-team', 'payments-team') });
      // component:cart-service from the default namespace: the default one, in this file.
      const own = await request<Location>('textDocument/definition', { textDocument: { uri }, position: inside(at(f, '  owner: component:cart-service', 'component')) });
      assert.deepEqual(own, { uri, range: at(f, '  name: cart-service', 'cart-service') });
    });

    it('nothing for a reference to nothing or a position that is no reference', async () => {
      const f = 'services/cart/catalog-info.yaml';
      const uri = await ensureOpen(f);
      assert.equal(await request('textDocument/definition', { textDocument: { uri }, position: inside(at(f, '  system: checkout-platfrom', 'checkout-platfrom')) }), null);
      assert.equal(await request('textDocument/definition', { textDocument: { uri }, position: inside(at(f, '  lifecycle: production', 'production'), 0) }), null);
    });
  });

  describe('find references', () => {
    // Every reference to group:default/payments-team, written in six different ways across seven files.
    const referencesToPaymentsTeam = (): Location[] =>
      [
        ['org/groups.yaml', '  children: [payments-team, web-team]', 'payments-team'],
        ['org/groups.yaml', '    - group:payments-team', 'group:payments-team'],
        ['org/users.yaml', '  memberOf: [payments-team]', 'payments-team'],
        ['org/users.yaml', '  memberOf: [group:payments-team]', 'group:payments-team'],
        ['services/cart/catalog-info.yaml', '  owner: "group:default/payments-team"', '"group:default/payments-team"'],
        ['services/legacy/catalog-info.yaml', '  name: legacy-ledger', undefined],
        ['services/payments/catalog-info.yaml', '  name: payments-api', undefined],
        ['services/payments/catalog-info.yaml', '  name: payments-rest', undefined],
        ['services/payments/catalog-info.yaml', '  name: payments-events', undefined],
        ['services/payments/catalog-info.yaml', '  name: payments-db', undefined],
        ['shop/catalog-info.yaml', "  memberOf: [storefront-team, 'default/payments-team']", "'default/payments-team'"],
      ].map(([f, line, sub]): Location => {
        if (sub) return { uri: uriAt(f!), range: at(f!, line!, sub) };
        // The typed owner of the entity named on `line`: the first `owner:` after it.
        const text = readFileSync(pathOf(f!), 'utf8');
        const from = text.indexOf(line!);
        const rest = text.slice(from);
        const rel = rangeIn(rest.slice(0, rest.indexOf('---') === -1 ? undefined : rest.indexOf('---')), '  owner: group:payments-team', 'group:payments-team');
        const offsetLine = text.slice(0, from).split('\n').length - 1;
        return { uri: uriAt(f!), range: { start: { line: rel.start.line + offsetLine, character: rel.start.character }, end: { line: rel.end.line + offsetLine, character: rel.end.character } } };
      });
    const declaration = (): Location => ({ uri: uriAt('org/groups.yaml'), range: at('org/groups.yaml', '  name: payments-team', 'payments-team') });

    it('from metadata.name, with and without the declaration', async () => {
      const uri = await ensureOpen('org/groups.yaml');
      const position = inside(at('org/groups.yaml', '  name: payments-team', 'payments-team'), 3);
      const withDecl = await request<Location[]>('textDocument/references', { textDocument: { uri }, position, context: { includeDeclaration: true } });
      assert.deepEqual([...withDecl].sort(byPlace), [...referencesToPaymentsTeam(), declaration()].sort(byPlace));
      const without = await request<Location[]>('textDocument/references', { textDocument: { uri }, position, context: { includeDeclaration: false } });
      assert.deepEqual([...without].sort(byPlace), referencesToPaymentsTeam().sort(byPlace));
    });

    it('from a reference, with and without the declaration', async () => {
      const f = 'services/payments/catalog-info.yaml';
      const uri = await ensureOpen(f);
      const position = inside(referencesToPaymentsTeam()[7].range, 8);
      const without = await request<Location[]>('textDocument/references', { textDocument: { uri }, position, context: { includeDeclaration: false } });
      assert.deepEqual([...without].sort(byPlace), referencesToPaymentsTeam().sort(byPlace));
      const withDecl = await request<Location[]>('textDocument/references', { textDocument: { uri }, position, context: { includeDeclaration: true } });
      assert.deepEqual([...withDecl].sort(byPlace), [...referencesToPaymentsTeam(), declaration()].sort(byPlace));
    });
  });

  describe('rename', () => {
    it('prepareRename gives the name part: of metadata.name, and of a reference with kind and namespace prefixes', async () => {
      const groups = await ensureOpen('org/groups.yaml');
      const name = at('org/groups.yaml', '  name: payments-team', 'payments-team');
      assert.deepEqual(await request<PrepareRenameResult>('textDocument/prepareRename', { textDocument: { uri: groups }, position: inside(name, 2) }), { range: name, placeholder: 'payments-team' });
      const cart = await ensureOpen('services/cart/catalog-info.yaml');
      const ref = at('services/cart/catalog-info.yaml', '  owner: "group:default/payments-team"', 'payments-team');
      assert.deepEqual(await request<PrepareRenameResult>('textDocument/prepareRename', { textDocument: { uri: cart }, position: inside(ref, 2) }), { range: ref, placeholder: 'payments-team' });
    });

    it('updates metadata.name and every reference in every file, keeping quotes and kind/namespace prefixes', async () => {
      const uri = await ensureOpen('org/groups.yaml');
      const position = inside(at('org/groups.yaml', '  name: payments-team', 'payments-team'), 2);
      const edit = await request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri }, position, newName: 'billing-team' });
      // The name part of each reference (and of the declaration), nothing around it.
      const byFile = new Map<string, TextEdit[]>();
      for (const l of [...referencesToPaymentsTeamNames(), { uri, range: at('org/groups.yaml', '  name: payments-team', 'payments-team') }]) {
        byFile.set(l.uri, [...(byFile.get(l.uri) ?? []), { range: l.range, newText: 'billing-team' }]);
      }
      const expected = [...byFile].map(([u, edits]) => ({ uri: u, version: c.versionOf(u), edits: edits.sort(byRange) })).sort((a, b) => (a.uri < b.uri ? -1 : 1));
      assert.deepEqual(normalizeEdit(edit), expected);
      assert.equal(expected.length, 6, 'six files refer to payments-team');
    });

    it('renames only the entity in its namespace (shop/cart-service, not default/cart-service)', async () => {
      const f = 'shop/catalog-info.yaml';
      const uri = await ensureOpen(f);
      const edit = await request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri }, position: inside(at(f, '  dependsOn: [component:cart-service]', 'cart-service')), newName: 'basket-service' });
      assert.deepEqual(normalizeEdit(edit), [
        {
          uri,
          version: c.versionOf(uri),
          edits: [
            { range: at(f, '  dependsOn: [component:cart-service]', 'cart-service'), newText: 'basket-service' },
            { range: at(f, '  name: cart-service', 'cart-service'), newText: 'basket-service' },
          ],
        },
      ]);
    });

    it('refuses an invalid new name, a taken one, and an entity the catalog does not have, with a clear error', async () => {
      const uri = await ensureOpen('org/groups.yaml');
      const position = inside(at('org/groups.yaml', '  name: payments-team', 'payments-team'), 2);
      const rename = (newName: string): Promise<unknown> => request('textDocument/rename', { textDocument: { uri }, position, newName });
      await expectError(rename('Billing Team'), -32600, "'Billing Team' is not a valid name: it must be 1-63 characters of letters, digits, '-', '_' or '.', starting and ending with a letter or digit");
      await expectError(rename('web-team'), -32600, 'group:default/web-team already exists; choose another name');
      await expectError(rename('Web-Team'), -32600, 'group:default/web-team already exists; choose another name');
      const cart = await ensureOpen('services/cart/catalog-info.yaml');
      await expectError(
        request('textDocument/prepareRename', { textDocument: { uri: cart }, position: inside(at('services/cart/catalog-info.yaml', '  system: checkout-platfrom', 'checkout-platfrom')) }),
        -32600,
        'system:default/checkout-platfrom is not defined in the catalog, so it cannot be renamed',
      );
    });

    /** The references of the find-references test, narrowed to their name part (what a rename replaces). */
    function referencesToPaymentsTeamNames(): Location[] {
      return [
        ['org/groups.yaml', '  children: [payments-team, web-team]'],
        ['org/groups.yaml', '    - group:payments-team'],
        ['org/users.yaml', '  memberOf: [payments-team]'],
        ['org/users.yaml', '  memberOf: [group:payments-team]'],
        ['services/cart/catalog-info.yaml', '  owner: "group:default/payments-team"'],
        ['shop/catalog-info.yaml', "  memberOf: [storefront-team, 'default/payments-team']"],
      ]
        .map(([f, line]): Location => ({ uri: uriAt(f), range: at(f, line, 'payments-team') }))
        .concat(
          (
            [
              ['services/legacy/catalog-info.yaml', 0],
              ['services/payments/catalog-info.yaml', 0],
              ['services/payments/catalog-info.yaml', 1],
              ['services/payments/catalog-info.yaml', 2],
              ['services/payments/catalog-info.yaml', 3],
            ] as const
          ).map(([f, nth]) => {
            const text = readFileSync(pathOf(f), 'utf8');
            const i = indexesOf(text, '  owner: group:payments-team')[nth] + '  owner: group:'.length;
            const before = text.slice(0, i);
            const line = before.split('\n').length - 1;
            const character = before.length - (before.lastIndexOf('\n') + 1);
            return { uri: uriAt(f), range: { start: { line, character }, end: { line, character: character + 'payments-team'.length } } };
          }),
        );
    }
  });

  describe('document links', () => {
    it('links[].url, techdocs dir:, a $text target and github.com/project-slug', async () => {
      const f = 'services/payments/catalog-info.yaml';
      const uri = await ensureOpen(f);
      const links = await request<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri } });
      assert.deepEqual(links, [
        { range: at(f, '    - url: https://dashboards.example.com/payments', 'https://dashboards.example.com/payments'), target: 'https://dashboards.example.com/payments', tooltip: 'Open the link' },
        // The target part of `dir:.`.
        { range: { ...at(f, '    backstage.io/techdocs-ref: dir:.', 'dir:.'), start: inside(at(f, '    backstage.io/techdocs-ref: dir:.', 'dir:.'), 4) }, target: uriAt('services/payments/'), tooltip: 'Open the TechDocs folder' },
        { range: at(f, '    github.com/project-slug: example/payments-api', 'example/payments-api'), target: 'https://github.com/example/payments-api', tooltip: 'Open the repository' },
        { range: at(f, '    $text: ./openapi.yaml', './openapi.yaml'), target: uriAt('services/payments/openapi.yaml'), tooltip: 'Open the $text target' },
      ]);
      assert.ok(uriAt('services/payments/').endsWith('/services/payments/'));
    });

    it('Location targets, to the files they name', async () => {
      const f = 'catalog-info.yaml';
      const uri = await ensureOpen(f);
      const links = await request<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri } });
      const targets = ['org/groups.yaml', 'org/users.yaml', 'systems/catalog-info.yaml', 'services/payments/catalog-info.yaml', 'services/legacy/catalog-info.yaml', 'services/cart/catalog-info.yaml', 'shop/catalog-info.yaml', 'duplicates/first.catalog-info.yaml', 'duplicates/second.catalog-info.yaml'];
      assert.deepEqual(
        links,
        targets.map((t) => ({ range: at(f, `    - ./${t}`, `./${t}`), target: uriAt(t), tooltip: 'Open the target' })),
      );
    });
  });

  describe('quick fixes', () => {
    const quickFix = (uri: string, d: Diagnostic, title: string, newText: string, isPreferred: boolean, range: Range = d.range): CodeAction => ({
      title,
      kind: 'quickfix',
      isPreferred,
      diagnostics: [d],
      edit: { changes: { [uri]: [{ range, newText }] } },
    });
    const actionsFor = (uri: string, d: Diagnostic): Promise<CodeAction[]> => request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d], only: ['quickfix'] } });

    it('the did-you-mean fix replaces the reference (also across namespaces)', async () => {
      const cart = await ensureOpen('services/cart/catalog-info.yaml');
      const typo = (await c.latest(cart)).find((d) => d.code === 'ref-not-found')!;
      assert.deepEqual(await actionsFor(cart, typo), [quickFix(cart, typo, "Change to 'checkout-platform'", 'checkout-platform', true, at('services/cart/catalog-info.yaml', '  system: checkout-platfrom', 'checkout-platfrom'))]);
      const shop = await ensureOpen('shop/catalog-info.yaml');
      const other = (await c.latest(shop)).find((d) => d.code === 'ref-not-found')!;
      assert.deepEqual(await actionsFor(shop, other), [quickFix(shop, other, "Change to 'default/checkout-platform'", 'default/checkout-platform', true, at('shop/catalog-info.yaml', '  system: checkout-platform', 'checkout-platform'))]);
    });

    it('a missing required field, the explicit kind dependsOn needs and a typed owner: the fix naming an existing entity is preferred', async () => {
      const text = [
        'apiVersion: backstage.io/v1alpha1',
        'kind: Component',
        'metadata:',
        '  name: fix-me',
        'spec:',
        '  type: service',
        '  owner: payments-team',
        '  dependsOn: [payments-db, legacy-ledger]',
        '---',
        'apiVersion: backstage.io/v1alpha1',
        'kind: Component',
        'metadata:',
        '  name: fix-me-too',
        '  namespace: shop',
        'spec:',
        '  type: service',
        '  lifecycle: production',
        '  owner: alice',
        '---',
        'apiVersion: backstage.io/v1alpha1',
        'kind: Component',
        'metadata:',
        '  name: fix-me-three',
        'spec:',
        '  type: service',
        '  lifecycle: production',
        '  owner: alice',
        '',
      ].join('\n');
      const { uri, diagnostics } = await c.openDoc(pathOf('scratch/fix.catalog-info.yaml'), text);
      try {
        /** The range of `sub` in the n-th line starting with `line`. */
        const r = (line: string, sub: string, nth = 0): Range => {
          const l = text.slice(0, indexesOf(text, `\n${line}`)[nth] + 1).split('\n').length - 1;
          const ch = line.indexOf(sub);
          return { start: { line: l, character: ch }, end: { line: l, character: ch + sub.length } };
        };
        const find = (code: string, range: Range): Diagnostic => {
          const d = diagnostics.find((x) => x.code === code && JSON.stringify(x.range) === JSON.stringify(range));
          assert.ok(d, `${code} at ${JSON.stringify(range)} in ${JSON.stringify(diagnostics)}`);
          return d;
        };
        // spec.lifecycle is missing: insert the line under spec:, indented like its keys.
        const missing = find('required', { start: { line: 4, character: 0 }, end: { line: 4, character: 4 } });
        assert.deepEqual(missing.data, { insertLineAfter: '  lifecycle: experimental\n' });
        assert.deepEqual(await actionsFor(uri, missing), [quickFix(uri, missing, "Add 'lifecycle: experimental'", '  lifecycle: experimental\n', true, emptyAt(5, 0))]);
        // dependsOn has no default kind: the kind that exists in the catalog is preferred.
        const db = find('ref-kind-required', r('  dependsOn: [payments-db, legacy-ledger]', 'payments-db'));
        assert.deepEqual(await actionsFor(uri, db), [
          quickFix(uri, db, "Write 'component:payments-db' (not in the catalog)", 'component:payments-db', false),
          quickFix(uri, db, "Write 'resource:payments-db'", 'resource:payments-db', true),
        ]);
        const ledger = find('ref-kind-required', r('  dependsOn: [payments-db, legacy-ledger]', 'legacy-ledger'));
        assert.deepEqual(await actionsFor(uri, ledger), [
          quickFix(uri, ledger, "Write 'component:legacy-ledger'", 'component:legacy-ledger', true),
          quickFix(uri, ledger, "Write 'resource:legacy-ledger' (not in the catalog)", 'resource:legacy-ledger', false),
        ]);
        // Typed owner: group: for a Group, user: for a User; in shop, default's alice is not there.
        const team = find('policy-owner-typed', r('  owner: payments-team', 'payments-team'));
        assert.deepEqual(await actionsFor(uri, team), [
          quickFix(uri, team, "Write 'group:payments-team'", 'group:payments-team', true),
          quickFix(uri, team, "Write 'user:payments-team' (not in the catalog)", 'user:payments-team', false),
        ]);
        const aliceInDefault = find('policy-owner-typed', r('  owner: alice', 'alice', 1));
        assert.deepEqual(await actionsFor(uri, aliceInDefault), [
          quickFix(uri, aliceInDefault, "Write 'group:alice' (not in the catalog)", 'group:alice', false),
          quickFix(uri, aliceInDefault, "Write 'user:alice'", 'user:alice', true),
        ]);
        const aliceInShop = find('policy-owner-typed', r('  owner: alice', 'alice', 0));
        assert.deepEqual(await actionsFor(uri, aliceInShop), [
          quickFix(uri, aliceInShop, "Write 'group:alice' (not in the catalog)", 'group:alice', false),
          quickFix(uri, aliceInShop, "Write 'user:alice' (not in the catalog)", 'user:alice', false),
        ]);
      } finally {
        await c.closeDoc(uri, FIXTURE_ENTITIES);
      }
    });
  });

  describe('blast radius (pavedRoad/blastRadius)', () => {
    type Dependent = { ref: string; depth: number; via: string; title: string; kind: string; uri?: string };
    const blast = (ref: string): Promise<{ ref: string; found: boolean; dependents: Dependent[] }> => request('pavedRoad/blastRadius', { ref });
    const order = (list: Dependent[]): Dependent[] => [...list].sort((a, b) => a.depth - b.depth || (a.ref < b.ref ? -1 : 1));
    const dep = (ref: string, depth: number, via: string, title: string, kind: string, file: string): Dependent => ({ ref, depth, via, title, kind, uri: uriAt(file) });

    it('the transitive dependents of an entity, with depth and via (consumers of the APIs a dependent provides are one step further)', async () => {
      const r = await blast('Component:default/Legacy-Ledger');
      assert.equal(r.ref, 'component:default/legacy-ledger');
      assert.equal(r.found, true);
      assert.deepEqual(
        order(r.dependents),
        order([
          dep('component:default/payments-api', 1, 'dependencyOf', 'Payments API', 'Component', 'services/payments/catalog-info.yaml'),
          // They consume payments-rest, which payments-api provides: they depend on payments-api, so on legacy-ledger at depth 2.
          dep('component:default/fraud-scorer', 2, 'consumesProvidedApi', 'fraud-scorer', 'Component', 'services/legacy/catalog-info.yaml'),
          dep('component:default/cart-service', 2, 'consumesProvidedApi', 'cart-service', 'Component', 'services/cart/catalog-info.yaml'),
          dep('component:shop/storefront', 2, 'consumesProvidedApi', 'storefront', 'Component', 'shop/catalog-info.yaml'),
        ]),
      );
    });

    it('of a System: all its parts, then what depends on them', async () => {
      const r = await blast('system:default/checkout-platform');
      assert.equal(r.found, true);
      assert.deepEqual(
        order(r.dependents),
        order([
          dep('component:default/payments-api', 1, 'hasPart', 'Payments API', 'Component', 'services/payments/catalog-info.yaml'),
          dep('api:default/payments-rest', 1, 'hasPart', 'payments-rest', 'API', 'services/payments/catalog-info.yaml'),
          dep('api:default/payments-events', 1, 'hasPart', 'payments-events', 'API', 'services/payments/catalog-info.yaml'),
          dep('resource:default/payments-db', 1, 'hasPart', 'payments-db', 'Resource', 'services/payments/catalog-info.yaml'),
          dep('component:default/legacy-ledger', 1, 'hasPart', 'legacy-ledger', 'Component', 'services/legacy/catalog-info.yaml'),
          // Consumers of payments-rest, reached first through payments-api (which provides it; it comes first in its file).
          dep('component:default/fraud-scorer', 2, 'consumesProvidedApi', 'fraud-scorer', 'Component', 'services/legacy/catalog-info.yaml'),
          dep('component:default/cart-service', 2, 'consumesProvidedApi', 'cart-service', 'Component', 'services/cart/catalog-info.yaml'),
          dep('component:shop/storefront', 2, 'consumesProvidedApi', 'storefront', 'Component', 'shop/catalog-info.yaml'),
          // dependsOn: [api:payments-events] is the wrong kind, but the catalog still records the relation.
          dep('component:default/cart-worker', 2, 'dependencyOf', 'cart-worker', 'Component', 'services/cart/catalog-info.yaml'),
        ]),
      );
    });

    it('an entity the catalog does not have', async () => {
      assert.deepEqual(await blast('component:default/nope'), { ref: 'component:default/nope', found: false, dependents: [] });
    });
  });

  describe('the index follows the workspace', () => {
    const consumer = (name: string, dependsOn: string): string =>
      ['apiVersion: backstage.io/v1alpha1', 'kind: Component', 'metadata:', `  name: ${name}`, 'spec:', '  type: service', '  lifecycle: experimental', '  owner: group:web-team', `  dependsOn: [${dependsOn}]`, ''].join('\n');
    const resource = (name: string, description = 'A queue.'): string =>
      ['apiVersion: backstage.io/v1alpha1', 'kind: Resource', 'metadata:', `  name: ${name}`, `  description: ${description}`, 'spec:', '  type: queue', '  owner: group:web-team', ''].join('\n');
    const write = (rel: string, text: string): string => {
      mkdirSync(dirname(pathOf(rel)), { recursive: true });
      writeFileSync(pathOf(rel), text);
      return uriAt(rel);
    };
    const notFound = (ref: string, range: Range, replacements: string[] = []): Diagnostic =>
      warning('ref-not-found', range, `'${ref}' not found${replacements.length ? `; did you mean ${replacements.map((x) => `'${x}'`).join(' or ')}?` : ' in the catalog'}`, { data: { replacements } });
    const refRange = (text: string, ref: string): Range => rangeIn(text, `  dependsOn: [${ref}]`, ref);

    it('a file created, changed and deleted on disk: the diagnostics of an open document referring to it follow', async () => {
      const text = consumer('watch-consumer', 'resource:watched-queue');
      const { uri, diagnostics } = await c.openDoc(pathOf('watch/consumer.catalog-info.yaml'), text);
      const range = refRange(text, 'resource:watched-queue');
      assert.deepEqual(diagnostics, [notFound('resource:watched-queue', range)]);
      try {
        const queue = write('watch/queue.yaml', resource('watched-queue'));
        await c.watched([queue, 1]);
        assert.deepEqual(await c.waitForDiagnostics(uri, (d) => d.length === 0, WAIT_MS), []);
        write('watch/queue.yaml', resource('watched-queue-v2'));
        await c.watched([queue, 2]);
        assert.deepEqual(await c.waitForDiagnostics(uri, (d) => d.length > 0, WAIT_MS), [notFound('resource:watched-queue', range, ['resource:watched-queue-v2'])]);
        unlinkSync(pathOf('watch/queue.yaml'));
        await c.watched([queue, 3]);
        assert.deepEqual(await c.waitForDiagnostics(uri, (d) => d.length === 1 && d[0].data?.replacements?.length === 0, WAIT_MS), [notFound('resource:watched-queue', range)]);
      } finally {
        await c.closeDoc(uri, FIXTURE_ENTITIES);
      }
    });

    it('a deleted folder (VS Code sends one Deleted event, for the folder) takes its entities out of the index', async () => {
      const text = consumer('watch-folder-consumer', 'resource:folder-queue');
      const { uri } = await c.openDoc(pathOf('watch/folder-consumer.catalog-info.yaml'), text);
      try {
        const file = write('watch/gone/queue.yaml', resource('folder-queue'));
        await c.watched([file, 1]);
        await c.waitForDiagnostics(uri, (d) => d.length === 0, WAIT_MS);
        rmSync(pathOf('watch/gone'), { recursive: true });
        await c.watched([uriAt('watch/gone'), 3]);
        assert.deepEqual(await c.waitForDiagnostics(uri, (d) => d.length > 0, WAIT_MS), [notFound('resource:folder-queue', refRange(text, 'resource:folder-queue'))]);
      } finally {
        await c.closeDoc(uri);
      }
    });

    it('a folder moved into the workspace (one Created event, for the folder) has its files indexed', async () => {
      const text = consumer('watch-moved-consumer', 'resource:moved-queue');
      const { uri, diagnostics } = await c.openDoc(pathOf('watch/moved-consumer.catalog-info.yaml'), text);
      assert.deepEqual(diagnostics, [notFound('resource:moved-queue', refRange(text, 'resource:moved-queue'))]);
      try {
        write('watch/moved/deep/queue.yaml', resource('moved-queue'));
        await c.watched([uriAt('watch/moved'), 1]);
        assert.deepEqual(await c.waitForDiagnostics(uri, (d) => d.length === 0, WAIT_MS), []);
      } finally {
        await c.closeDoc(uri);
      }
    });

    it('opening a document re-checks the other open documents, also when its settings arrive after a re-check of all of them', async () => {
      const f = 'services/legacy/catalog-info.yaml';
      const payments = await ensureOpen('services/payments/catalog-info.yaml');
      if (c.isOpen(uriAt(f))) await c.closeDoc(uriAt(f));
      await c.waitForDiagnostics(payments, (d) => d.some((x) => x.code === 'ref-deprecated'), WAIT_MS);
      const disk = readFileSync(pathOf(f), 'utf8');
      const release = c.holdConfiguration(uriAt(f));
      let trigger = '';
      try {
        // The editor says production; the server is still asking for the document's settings.
        const opened = await c.openNoWait(pathOf(f), disk.replace('lifecycle: deprecated', 'lifecycle: production'));
        // A change to the index re-checks every open document shortly after: a new document makes one.
        trigger = (await c.openDoc(pathOf('scratch/trigger.catalog-info.yaml'), resource('re-check-trigger'))).uri;
        // That re-check reaches legacy too (a server that leaves documents alone until their settings are in does not: then this wait just ends).
        await c.waitForDiagnostics(opened.uri, (_d, v) => v === opened.version, 1000).catch(() => undefined);
        release();
        assert.deepEqual(await c.waitForDiagnostics(opened.uri, (_d, v) => v === opened.version, WAIT_MS), []);
        // payments-api depends on a production legacy-ledger now: no ref-deprecated.
        assert.deepEqual((await c.waitForDiagnostics(payments, (d) => !d.some((x) => x.code === 'ref-deprecated'), WAIT_MS)).map((d) => d.code), ['policy-lifecycle-dependency']);
      } finally {
        release();
        if (trigger) await c.closeDoc(trigger);
        await c.closeDoc(uriAt(f));
      }
    });

    it('unsaved contents win over disk; closing the document reverts to the disk', async () => {
      const f = 'services/legacy/catalog-info.yaml';
      const paymentsFile = 'services/payments/catalog-info.yaml';
      const ledgerRef = at(paymentsFile, '    - component:legacy-ledger', 'component:legacy-ledger');
      for (const rel of [f, paymentsFile]) if (c.isOpen(uriAt(rel))) await c.closeDoc(uriAt(rel));
      const disk = readFileSync(pathOf(f), 'utf8');
      // The editor says production; the disk still says deprecated. payments-api, opened next, sees the editor's text.
      const { uri } = await c.openDoc(pathOf(f), disk.replace('lifecycle: deprecated', 'lifecycle: production'));
      const { uri: payments, diagnostics } = await c.openDoc(pathOf(paymentsFile));
      assert.deepEqual(diagnostics.map((d) => d.code), ['policy-lifecycle-dependency']);
      const card = async (): Promise<string> => markdown(await c.hover(payments, ledgerRef.start.line, ledgerRef.start.character + 3));
      assert.equal((await card()).split('\n')[0], '**legacy\\-ledger** · Component · service · production');
      // The file changes on disk while open (still deprecated): the editor's text still counts. The marker
      // file in the same notification shows when the server has handled it.
      writeFileSync(pathOf(f), disk.replace('The old ledger, being retired.', 'The old ledger, edited on disk.'));
      const m = await c.openDoc(pathOf('watch/marker-consumer.catalog-info.yaml'), consumer('watch-marker-consumer', 'resource:unsaved-marker'));
      assert.equal(m.diagnostics.length, 1);
      const markerFile = write('watch/marker.yaml', resource('unsaved-marker'));
      await c.watched([uri, 2], [markerFile, 1]);
      await c.waitForDiagnostics(m.uri, (d) => d.length === 0, WAIT_MS);
      assert.equal((await card()).split('\n')[0], '**legacy\\-ledger** · Component · service · production');
      assert.deepEqual((await c.latest(payments)).map((d) => d.code), ['policy-lifecycle-dependency']);
      // Closed: the disk's version (with the change made meanwhile) is back.
      await c.closeDoc(uri);
      assert.deepEqual((await c.waitForDiagnostics(payments, (d) => d.some((x) => x.code === 'ref-deprecated'), WAIT_MS)).map((d) => d.code), ['policy-lifecycle-dependency', 'ref-deprecated']);
      const h = await card();
      assert.equal(h.split('\n')[0], '**legacy\\-ledger** · Component · service · deprecated');
      assert.ok(h.includes('The old ledger, edited on disk\\.'), h);
      await c.closeDoc(m.uri);
    });
  });
});
