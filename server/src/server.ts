/**
 * The language server: LSP over IPC (from VS Code) or stdio (`--stdio`, other editors and tests).
 * Handlers are thin: find the document, take its analysis, call a pure feature, convert at the edge.
 */
import {
  CancellationToken,
  createConnection,
  DidChangeConfigurationNotification,
  FileChangeType,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { complete, suggestsValues, type KnownEntity } from './language/completion';
import { entityCard } from './language/cards';
import { targetAt } from './language/navigation';
import { displayName } from './catalog/relations';
import { hover } from './language/hover';
import { documentSymbols } from './language/symbols';
import { stat } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import { isCatalogFileName, isYamlFileName, SKIPPED_FOLDERS } from './catalog/files';
import { pathToFileURL } from 'node:url';
import type { AnalyzedFile } from './catalog/analyze';
import { CatalogIndex, type Placement } from './catalog/catalogIndex';
import { isWholeCatalog } from './catalog/crossCheck';
import { fsPathOf } from './catalog/files';
import { CatalogDocuments } from './lsp/catalogDocuments';
import type { EditorDocument } from './lsp/editorDocument';
import { CATALOG_CAPABILITIES, registerCatalogFeatures } from './lsp/catalogFeatures';
import { registerCatalogViews } from './lsp/catalogViews';
import { registerScaffolding } from './lsp/scaffolding';
import { SCORECARD_CAPABILITIES, ServerScorecards } from './lsp/scorecardLens';
import { registerScorecardRequests } from './lsp/scorecardRequests';
import { toCompletionItem, toDocumentSymbol, toHover } from './lsp/convert';
import { DiagnosticsPublisher } from './lsp/diagnostics';
import { manifestCompletion, manifestHoverAt } from './lsp/manifestDocuments';
import { runSafe } from './lsp/runSafe';
import { scanProgress, type ScanProgress } from './lsp/scanProgress';
import { DEFAULT_SETTINGS, RefreshSourcesRequest, ServerStatusNotification, SourceTokensNotification, type PavedRoadSettings } from './protocol';
import { WorkspaceFiles } from './sources/workspaceFiles';
import { holdParsing, ParseWorker } from './sources/parseWorker';
import { SourceManager, workspaceStatus } from './sources/sourceManager';
import { configuredSources, type CatalogSettings } from './sources/sourceSettings';
import { redactTokens, setTokens } from './sources/tokens';
import { warmStart, type WorkspaceCache } from './sources/workspaceCache';

const connection = createConnection(ProposedFeatures.all);

const log = (m: string): void => connection.console.error(redactTokens(m));

process.on('uncaughtException', (e) => log(`uncaught: ${e.stack ?? e.message}`));
process.on('unhandledRejection', (e) => log(`unhandled rejection: ${String(e)}`));

let configurationSupport = false;
const settings = new Map<string, PavedRoadSettings>();
const index = new CatalogIndex();
const catalog = new CatalogDocuments((uri) => settings.get(uri) ?? DEFAULT_SETTINGS, index);
const documents = new TextDocuments<EditorDocument>(catalog.textDocuments);
let folders: string[] = [];
/** True from the start until the workspace has been read into the index. */
let indexing = true;
/** True while the files served from the warm-start cache are checked against the disk (see indexWorkspace). */
let checking = false;
/** The sources beyond the workspace (snapshots, folders), cached in the client's global storage. */
let sources: SourceManager | undefined;
/** The client's global storage folder (initializationOptions.storagePath): the caches live there. */
let storagePath: string | undefined;
let workspaceCache: WorkspaceCache | undefined;

/** (Re)configures the catalog sources from `pavedRoad.catalog`; resolves once their caches are served. */
async function loadStores(): Promise<void> {
  let configured: CatalogSettings | null = null;
  if (configurationSupport && folders.length) {
    try {
      configured = (await connection.workspace.getConfiguration({ scopeUri: pathToFileURL(folders[0]).toString(), section: 'pavedRoad.catalog' })) as CatalogSettings | null;
    } catch (e) {
      log(`could not read pavedRoad.catalog: ${String(e)}`);
    }
  }
  await sources?.configure(configuredSources(configured, folders[0]));
}

/** A workspace-relative path for messages. */
function describeUri(uri: string): string {
  const path = fsPathOf(uri);
  if (!path) return uri;
  const folder = folders.find((f) => path.startsWith(`${f}/`));
  return folder ? relative(folder, path) : path;
}

const workspace = new WorkspaceFiles({
  index,
  // Open from didOpen on, before the first analysis: the disk must not overwrite the editor's text.
  isOpen: (uri) => documents.get(uri) !== undefined,
  policiesFor: (uri) => catalog.policiesFor(uri).policies,
  include: (uri) => (settings.get(uri) ?? DEFAULT_SETTINGS).files.include,
  log,
  // This bundle runs the parse worker when started off the main thread (main.ts).
  workerScript: __filename,
});

/** Settings are read once per document from the client, and again when they change. */
async function loadSettings(uri: string): Promise<void> {
  if (!configurationSupport || settings.has(uri)) return;
  try {
    const s = (await connection.workspace.getConfiguration({ scopeUri: uri, section: 'pavedRoad' })) as Partial<PavedRoadSettings> | null;
    settings.set(uri, {
      files: { include: Array.isArray(s?.files?.include) ? s.files.include.filter((g) => typeof g === 'string') : [] },
      policies: s?.policies && typeof s.policies === 'object' ? s.policies : {},
    });
    // A request may have analysed the document with the defaults while these were on their way.
    catalog.invalidate(uri);
  } catch (e) {
    log(`could not read settings for ${uri}: ${String(e)}`);
    settings.set(uri, DEFAULT_SETTINGS);
  }
}

/** How many catalog entities one completion offers; typing narrows the rest (the list is incomplete). */
const MAX_REFERENCE_ITEMS = 200;

/**
 * The entities of a kind for completion, labelled by display name, that match what is typed (the word
 * before the cursor, without a kind prefix), at most MAX_REFERENCE_ITEMS of them.
 */
function* knownEntities(kind: string, typed: string, counter: { n: number }): Iterable<KnownEntity> {
  const word = typed.slice(typed.lastIndexOf(':') + 1).toLowerCase();
  const offered = (p: Placement): KnownEntity | undefined => {
    const r = p.record;
    const title = displayName(p);
    if (word && !r.name.toLowerCase().includes(word) && !r.ref.includes(word) && !title?.toLowerCase().includes(word)) return undefined;
    return { kind: r.kind, namespace: r.namespace, name: r.name, ref: r.ref, title, description: r.description };
  };
  // The workspace's own entities first, then those only in a store: what is worked on here comes first.
  // One pass over the kind; the store's entities wait for the workspace's.
  const fromStore: Placement[] = [];
  for (const ref of index.refsOfKind(kind)) {
    const p = index.first(ref);
    if (!p) continue;
    if (p.provenance.kind === 'store') {
      fromStore.push(p);
      continue;
    }
    const e = offered(p);
    if (e && ++counter.n > MAX_REFERENCE_ITEMS) return;
    if (e) yield e;
  }
  for (const p of fromStore) {
    const e = offered(p);
    if (e && ++counter.n > MAX_REFERENCE_ITEMS) return;
    if (e) yield e;
  }
}

/**
 * The document in front of the user comes first: from an open or an edit until its diagnostics are out,
 * the workspace scan's parse workers wait (between two documents), so they do not take the cores.
 */
let editHold: (() => void) | undefined;
let afterFlush: (() => void)[] = [];
function published(): void {
  editHold?.();
  editHold = undefined;
  const waiting = afterFlush;
  afterFlush = [];
  for (const f of waiting) f();
  sendStatus();
}

const diagnostics = new DiagnosticsPublisher({ connection, documents, catalog, index, describeUri, log, indexing: () => indexing, storeConnected: () => !!sources?.connected, ready: (uri) => (!configurationSupport || settings.has(uri)) && !catalog.isPreparing(uri), published });
const schedule = (uri: string): void => {
  editHold ??= holdParsing();
  diagnostics.schedule(uri);
};
/** Schedules the document's diagnostics and resolves once they have been published. */
const publishedNow = (uri: string): Promise<void> =>
  new Promise<void>((resolve) => {
    afterFlush.push(resolve);
    schedule(uri);
  });
// The status counts the index's entities, whatever changed it (a file on disk may touch no open document).
index.onChange(() => sendStatus());

let statusTimer: NodeJS.Timeout | undefined;
function sendStatus(): void {
  if (statusTimer) return;
  statusTimer = setTimeout(() => {
    statusTimer = undefined;
    let files = 0;
    let errors = 0;
    let warnings = 0;
    for (const a of catalog.all()) {
      files++;
      for (const d of a.documents) for (const p of d.problems) p.severity === 'error' ? errors++ : warnings++;
    }
    const policyIssues = [...new Set(documents.all().flatMap((d) => catalog.policiesFor(d.uri).issues))];
    const stores = sources?.legacyStores() ?? [];
    const all = [workspaceStatus(index, indexing, checking), ...(sources?.statuses() ?? [])];
    void connection.sendNotification(ServerStatusNotification.type, { files, errors, warnings, policyIssues, entities: index.size, indexing, stores, catalogVersion: index.version, sources: all });
  }, 100);
}

function revalidateAll(): void {
  catalog.reset();
  for (const d of documents.all()) void loadSettings(d.uri).then(() => schedule(d.uri));
}

connection.onInitialize((params): InitializeResult => {
  configurationSupport = !!params.capabilities.workspace?.configuration;
  const roots = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  folders = roots.map((u) => fsPathOf(u)).filter((p): p is string => !!p);
  const storage = (params.initializationOptions as { storagePath?: unknown } | undefined)?.storagePath;
  storagePath = typeof storage === 'string' && storage ? storage : undefined;
  scorecards.setRefreshSupport(!!params.capabilities.workspace?.codeLens?.refreshSupport);
  sources = new SourceManager({ index, storagePath, log: (m) => connection.console.info(redactTokens(m)), changed: () => sendStatus() });
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      completionProvider: { triggerCharacters: [':', ' ', '/', '-'] },
      hoverProvider: true,
      documentSymbolProvider: true,
      ...CATALOG_CAPABILITIES,
      ...SCORECARD_CAPABILITIES,
    },
    serverInfo: { name: 'Paved Road', version: '0.1.0' },
  };
});

/** How long the check after a warm start waits for the Catalog view's first request (see indexWorkspace). */
const CHECK_WAIT_MS = 2000;
let treeWaiters: (() => void)[] = [];

function treeAnswered(): void {
  const waiting = treeWaiters;
  treeWaiters = [];
  for (const f of waiting) f();
}

/** Resolves when the next Catalog tree request has been answered, or after `ms`. */
function firstTreeAnswer(ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    treeWaiters.push(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

connection.onInitialized(() => {
  if (configurationSupport) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'pavedRoad' });
  void indexWorkspace();
  void scorecards.load();
});

/**
 * Reads the workspace's catalog files into the index, then re-checks the open documents. With a warm-start
 * cache, its files go into the index first, all at once, and the workspace counts as indexed from then on
 * (the tree, the cross-file checks and the open documents' diagnostics answer from it); the scan that follows
 * is a check in the background that reads again only what changed since the cache was written.
 */
async function indexWorkspace(): Promise<void> {
  indexing = true;
  sendStatus();
  let progress: ScanProgress | undefined;
  try {
    const cache = storagePath ? warmStart(workspace, storagePath, folders, __filename) : undefined;
    // Settled either way here; a cache that cannot be read is only no cache (warmStart logs nothing).
    void cache?.catch(() => undefined);
    await loadStores();
    if (cache) {
      workspaceCache = await cache;
      const t0 = Date.now();
      const served = workspace.serveCached(folders);
      if (served.files) {
        connection.console.info(`served ${served.files} catalog files, ${served.entities} entities from the cache in ${Date.now() - t0} ms; checking them for changes`);
        indexing = false;
        checking = true;
        diagnostics.scheduleAll();
        sendStatus();
        // The editor's first look at the served catalog comes before the check, whose listing, stats and
        // parse workers would otherwise share the main thread and the cores with it; at most CHECK_WAIT_MS.
        await firstTreeAnswer(CHECK_WAIT_MS);
      }
    }
    progress = scanProgress(connection, checking ? 'Paved Road: checking the catalog for changes' : 'Paved Road: reading the catalog');
    const report = progress;
    const r = await workspace.scan(folders, (done, total) => report.report(done, total));
    connection.console.info(`indexed ${r.files} catalog files, ${r.entities} entities in ${r.ms} ms${r.cached ? ` (${r.cached} files unchanged, from the cache)` : ''}${r.workers ? ` (parsed on ${r.workers} worker thread${r.workers > 1 ? 's' : ''})` : ''}`);
    for (const s of r.skipped) connection.console.warn(`not indexed: ${s}`);
  } catch (e) {
    log(`indexing the workspace failed: ${(e as Error).stack ?? String(e)}`);
  } finally {
    progress?.done();
    const served = checking;
    indexing = false;
    checking = false;
    // After a check, what changed reached the open documents through the index already.
    if (!served) diagnostics.scheduleAll();
    sendStatus();
    scorecards.warm();
  }
}

connection.onDidChangeConfiguration(() => {
  settings.clear();
  void scorecards.load();
  void loadStores().then(revalidateAll);
});

connection.onDidChangeWatchedFiles(async (p) => {
  scorecards.filesChanged(p.changes.map((c) => c.uri));
  // A policies file, or its folder (a folder created or deleted is reported once, for the folder).
  if (p.changes.some((c) => /\/\.paved-road(\/policies\.yaml)?$/.test(c.uri))) revalidateAll();
  for (const c of p.changes) {
    const path = fsPathOf(c.uri);
    // A snapshot or folder source inside the workspace refreshes when it changes.
    if (path) sources?.pathChanged(path);
    if (!path || documents.get(c.uri) || path.split(sep).some((part) => SKIPPED_FOLDERS.has(part))) continue;
    if (c.type === FileChangeType.Deleted) {
      // VS Code reports a deleted folder once, for the folder: its files leave with it.
      workspace.deleted(c.uri);
      for (const source of [...index.sources()]) if (source.startsWith(`${c.uri}/`) && !documents.get(source)) workspace.deleted(source);
    } else if (isYamlFileName(path) || isCatalogFileName(path)) await workspace.changed(path);
    else if (await isDirectory(path)) await workspace.scan([path]);
  }
});

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

documents.onDidOpen((e) => {
  const uri = e.document.uri;
  const release = holdParsing();
  const path = fsPathOf(uri);
  if (path) workspace.opened(path);
  void loadSettings(uri)
    .then(() => catalog.prepare(e.document, openWorker))
    .catch((err: unknown) => log(`preparing ${uri} failed, it is analysed on this thread: ${String(err)}`))
    .then(() => publishedNow(uri))
    .finally(release);
});

/** A parse worker for the open of a large file (stopped when done); none if it cannot start. */
function openWorker(): ParseWorker | undefined {
  try {
    return new ParseWorker(__filename, log);
  } catch (e) {
    log(`could not start a parse worker: ${String(e)}`);
    return undefined;
  }
}
documents.onDidChangeContent((e) => {
  if (settings.has(e.document.uri) || !configurationSupport) schedule(e.document.uri);
});
documents.onDidClose((e) => {
  const uri = e.document.uri;
  catalog.close(uri);
  settings.delete(uri);
  void connection.sendDiagnostics({ uri, diagnostics: [] });
  // The disk's version counts again (unsaved changes are gone); an untitled document leaves the index. The
  // open documents whose problems that changes are checked again (see DiagnosticsPublisher).
  const path = fsPathOf(uri);
  if (path) void workspace.reread(uri, path);
  else index.drop(uri);
  sendStatus();
});

/** The open catalog document of a request, with its current analysis. */
function analysed(uri: string): { doc: EditorDocument; analysis: AnalyzedFile } | undefined {
  const doc = documents.get(uri);
  const analysis = doc && catalog.get(doc);
  return doc && analysis ? { doc, analysis } : undefined;
}

/** Every handler runs safely, once no large file is being prepared. */
const safe = <T>(name: string, neutral: T, token: CancellationToken, fn: () => T) => catalog.whenPrepared(() => runSafe(log, name, neutral, token, fn));

connection.onCompletion((p, token) =>
  safe('completion', null, token, () => {
    const a = analysed(p.textDocument.uri);
    if (!a) return manifestCompletion(documents.get(p.textDocument.uri), p.position);
    const { doc, analysis } = a;
    const offset = doc.offsetAt(p.position);
    const policies = catalog.policiesFor(doc.uri).policies;
    const text = doc.getText();
    const typed = /[^\s'"\[,]*$/.exec(text.slice(Math.max(0, offset - 200), offset))?.[0] ?? '';
    const counter = { n: 0 };
    const entries = complete(analysis, text, offset, policies, {
      entitiesOfKind: (kind) => knownEntities(kind, typed, counter),
      tags: index.tagCounts(),
      annotationKeys: index.annotationKeyCounts(),
    });
    const items = entries.map((e) => {
      const item = toCompletionItem(doc, offset, e);
      // After `owner: ` and the like, show the values at once.
      if (suggestsValues(e)) item.command = { title: 'Suggest values', command: 'editor.action.triggerSuggest' };
      return item;
    });
    // More entities than offered: ask again as the user types.
    return { isIncomplete: counter.n > MAX_REFERENCE_ITEMS, items };
  }),
);

connection.onHover((p, token) =>
  safe('hover', null, token, () => {
    const a = analysed(p.textDocument.uri);
    if (!a) return manifestHoverAt(documents.get(p.textDocument.uri), p.position);
    const { doc, analysis } = a;
    const offset = doc.offsetAt(p.position);
    // On a reference: the card of what it points at. Elsewhere: what the key means.
    const target = targetAt(index, doc.uri, offset);
    if (target?.on === 'reference') {
      const range = target.occurrence.range;
      const whole = isWholeCatalog(catalog.policiesFor(doc.uri).policies, !!sources?.connected);
      return toHover(doc, { contents: entityCard(index, target.ref, describeUri, whole), start: target.placement.chunkStart + range.start, end: target.placement.chunkStart + range.end });
    }
    const h = hover(analysis, doc.getText(), offset, catalog.policiesFor(doc.uri).policies);
    return h ? toHover(doc, h) : null;
  }),
);

connection.onDocumentSymbol((p, token) =>
  safe('documentSymbol', [], token, () => {
    const a = analysed(p.textDocument.uri);
    return a ? documentSymbols(a.analysis, a.doc.getText()).map((s) => toDocumentSymbol(a.doc, s)) : [];
  }),
);

registerCatalogFeatures({ connection, documents, catalog, index, log, moreActions: (doc, p) => scorecards.codeActions(doc, p) });
registerCatalogViews(connection, { index, catalog, log, describeUri, folders: () => folders, answered: () => treeAnswered() });
registerScaffolding(connection, { index, catalog, log, folders: () => folders });
const scorecards = new ServerScorecards({ connection, documents, catalog, index, log, folders: () => folders });
registerScorecardRequests(connection, { index, catalog, log, scorer: () => scorecards.scorer, openSpan: (uri, start, end) => documents.get(uri)?.slice(start, end) });

connection.onRequest(RefreshSourcesRequest.type, async (p, token) => {
  const all = (await sources?.refresh(p?.id, token)) ?? [];
  return p?.id === 'workspace' || !p?.id ? [workspaceStatus(index, indexing, checking), ...all] : all;
});
// The live sources' tokens, from the client's SecretStorage: held in memory; a source whose token changed refreshes.
connection.onNotification(SourceTokensNotification.type, (p) => {
  for (const id of setTokens(p?.tokens ?? {})) void sources?.invalidate(id);
});
// The caches are written behind the work: a quick shutdown waits for their writes (bounded).
connection.onShutdown(() => Promise.race([Promise.all([sources?.dispose(), workspaceCache?.flush()]).then(() => undefined), new Promise<void>((resolve) => setTimeout(resolve, 5000).unref())]));

documents.listen(connection);
connection.listen();
