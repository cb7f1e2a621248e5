/**
 * The language server: LSP over IPC (from VS Code) or stdio (`--stdio`, other editors and tests).
 * Handlers are thin: find the document, take its analysis, call a pure feature, convert at the edge.
 */
import {
  createConnection,
  DidChangeConfigurationNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { complete } from './language/completion';
import { hover } from './language/hover';
import { documentSymbols } from './language/symbols';
import { CatalogDocuments } from './lsp/catalogDocuments';
import { toCompletionItem, toDiagnostic, toDocumentSymbol, toHover } from './lsp/convert';
import { runSafe } from './lsp/runSafe';
import { DEFAULT_SETTINGS, ServerStatusNotification, type PavedRoadSettings } from './protocol';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const log = (m: string): void => connection.console.error(m);

process.on('uncaughtException', (e) => log(`uncaught: ${e.stack ?? e.message}`));
process.on('unhandledRejection', (e) => log(`unhandled rejection: ${String(e)}`));

let configurationSupport = false;
const settings = new Map<string, PavedRoadSettings>();
const catalog = new CatalogDocuments((uri) => settings.get(uri) ?? DEFAULT_SETTINGS);

/** Settings are read once per document from the client, and again when they change. */
async function loadSettings(uri: string): Promise<void> {
  if (!configurationSupport || settings.has(uri)) return;
  try {
    const s = (await connection.workspace.getConfiguration({ scopeUri: uri, section: 'pavedRoad' })) as Partial<PavedRoadSettings> | null;
    settings.set(uri, {
      files: { include: Array.isArray(s?.files?.include) ? s.files.include.filter((g) => typeof g === 'string') : [] },
      policies: s?.policies && typeof s.policies === 'object' ? s.policies : {},
    });
  } catch (e) {
    log(`could not read settings for ${uri}: ${String(e)}`);
    settings.set(uri, DEFAULT_SETTINGS);
  }
}

const pending = new Set<string>();
let flushScheduled = false;

/** Coalesces bursts of edits: validation runs once per turn of the event loop for each changed document. */
function schedule(uri: string): void {
  pending.add(uri);
  if (flushScheduled) return;
  flushScheduled = true;
  setImmediate(flush);
}

function flush(): void {
  flushScheduled = false;
  for (const uri of pending) {
    pending.delete(uri);
    const doc = documents.get(uri);
    if (!doc) continue;
    try {
      const analysis = catalog.analyze(doc);
      const diagnostics = analysis ? analysis.documents.flatMap((d) => d.problems.map((p) => toDiagnostic(doc, p))) : [];
      void connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
    } catch (e) {
      log(`validation of ${uri} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }
  sendStatus();
}

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
    void connection.sendNotification(ServerStatusNotification.type, { files, errors, warnings, policyIssues });
  }, 100);
}

function revalidateAll(): void {
  catalog.reset();
  for (const d of documents.all()) void loadSettings(d.uri).then(() => schedule(d.uri));
}

connection.onInitialize((params): InitializeResult => {
  configurationSupport = !!params.capabilities.workspace?.configuration;
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      completionProvider: { triggerCharacters: [':', ' ', '/', '-'] },
      hoverProvider: true,
      documentSymbolProvider: true,
    },
    serverInfo: { name: 'Paved Road', version: '0.1.0' },
  };
});

connection.onInitialized(() => {
  if (configurationSupport) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'pavedRoad' });
});

connection.onDidChangeConfiguration(() => {
  settings.clear();
  revalidateAll();
});

connection.onDidChangeWatchedFiles((p) => {
  if (p.changes.some((c) => c.uri.endsWith('/.paved-road/policies.yaml'))) revalidateAll();
});

documents.onDidOpen((e) => {
  void loadSettings(e.document.uri).then(() => schedule(e.document.uri));
});
documents.onDidChangeContent((e) => {
  if (settings.has(e.document.uri) || !configurationSupport) schedule(e.document.uri);
});
documents.onDidClose((e) => {
  catalog.close(e.document.uri);
  settings.delete(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  sendStatus();
});

connection.onCompletion((p, token) =>
  runSafe(log, 'completion', null, token, () => {
    const doc = documents.get(p.textDocument.uri);
    const analysis = doc && catalog.get(doc);
    if (!doc || !analysis) return null;
    const offset = doc.offsetAt(p.position);
    const policies = catalog.policiesFor(doc.uri).policies;
    return complete(analysis, doc.getText(), offset, policies).map((e) => toCompletionItem(doc, offset, e));
  }),
);

connection.onHover((p, token) =>
  runSafe(log, 'hover', null, token, () => {
    const doc = documents.get(p.textDocument.uri);
    const analysis = doc && catalog.get(doc);
    if (!doc || !analysis) return null;
    const h = hover(analysis, doc.getText(), doc.offsetAt(p.position));
    return h ? toHover(doc, h) : null;
  }),
);

connection.onDocumentSymbol((p, token) =>
  runSafe(log, 'documentSymbol', [], token, () => {
    const doc = documents.get(p.textDocument.uri);
    const analysis = doc && catalog.get(doc);
    if (!doc || !analysis) return [];
    return documentSymbols(analysis, doc.getText()).map((s) => toDocumentSymbol(doc, s));
  }),
);

documents.listen(connection);
connection.listen();
