/**
 * Differential fuzz test of the language server: after any sequence of edits, the problems it publishes
 * are those of a fresh read of the same texts.
 *
 * A copy of the demo workspace in a temp folder; the real server (dist/server.js --stdio, over JSON-RPC)
 * with several multi-document files open: the org file, three service files, and a people file that
 * exists only in the editor (a copy of the org file's last documents). Seeded random edit streams (the
 * project's `Rng`) go over them as VS Code sends them (incremental didChange with ranges, sometimes two
 * changes in one notification): typing and deleting characters, renaming to another entity's name (or a
 * near miss), pasting a slice of the same or another file, cutting a slice to another file, inserting and
 * removing `---` lines, breaking and fixing quotes, breaking and mending apiVersions (a file with none
 * left is no catalog file for a while), duplicating and deleting documents, and undoing (an earlier text
 * restored by one edit). Now and then a file is closed (the disk's text counts again) and reopened, and
 * the policies file changes on disk.
 *
 * After each burst the test waits, without sleeping, for the publication of every edited document's
 * latest version, then for the answer to a request sent after it: the server re-checks the other open
 * documents in the same flush and answers requests in order, so by then everything is published. Then
 * every open document's published diagnostics (range, severity, code, message, data, related places, in
 * order) must equal a fresh read: a new CatalogIndex over the workspace's files as the server reads closed
 * files, the open documents' texts in place of the disk, each open document checked as the CLI checks it
 * (catalog/catalogCheck.ts), with the workspace's policies and workspace-relative paths in messages.
 * After a close or a policies change the server reads the disk on its own time: the test waits (with a
 * timeout) for its publications to agree.
 *
 *   node --import tsx --test test/fuzz/drift.test.ts                                   3,000 edits
 *   DRIFT_SEED=7 DRIFT_EDITS=20000 node --import tsx --test test/fuzz/drift.test.ts   another, longer run
 *   DRIFT_GRACE_MS=2000 ...    compare a server that re-checks other documents later (waits for agreement)
 *
 * A failure prints its seed, burst and edits (the same seed replays the same stream), and writes the
 * open documents' texts and both sets of diagnostics to $TMPDIR/paved-road-drift/.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { analyzeText, type AnalyzedFile } from '../../server/src/catalog/analyze';
import { checkCatalog, type CatalogFile } from '../../server/src/catalog/catalogCheck';
import { CatalogIndex, type PlacementInput } from '../../server/src/catalog/catalogIndex';
import { isCatalogFile, isCatalogFileName, isYamlFileName, SKIPPED_FOLDERS } from '../../server/src/catalog/files';
import { loadPoliciesFile, type Policies } from '../../server/src/catalog/policies';
import { splitDocuments } from '../../server/src/catalog/split';
import { toDiagnostic } from '../../server/src/lsp/convert';
import { readCatalogFile } from '../../server/src/sources/fileRecords';
import { LspClient, ROOT, uriOf } from '../lsp/lspClient';
import { Rng, show } from './mutators';

const SEED = Number(process.env.DRIFT_SEED ?? 20250301) | 0;
const EDITS = Number(process.env.DRIFT_EDITS ?? 3000);
/** How long the server may take to publish after a burst (a busy CI machine), not a sleep. */
const WAIT_MS = Number(process.env.DRIFT_WAIT_MS ?? 20000);
/** Publications to wait for after a burst before comparing (0: the server must agree at once). */
const GRACE_MS = Number(process.env.DRIFT_GRACE_MS ?? 0);

/** The files open in the editor, relative to the workspace; the last one exists only in the editor. */
const OPEN = ['platform-org/org.yaml', 'payments-service/catalog-info.yaml', 'platform-tools/catalog-info.yaml', 'infrastructure/catalog-info.yaml', 'platform-org/people.yaml'];

/** Names that make edits meet the catalog: existing entities, near misses, and new ones. */
const NAMES = [
  'storefront-team', 'payments-team', 'platform-team', 'engineering', 'acme', 'search-squad', 'jonah.whitfield',
  'nadia.qureshi', 'amara.nwosu', 'felix.moreau', 'payments-service', 'payments-api', 'payments-db', 'fraud-scorer',
  'storefront-teem', 'payment-team', 'nadia.qureshy', 'group:storefront-team', 'user:amara.nwosu', 'group:acme',
  'component:fraud-scorer', 'resource:payments-db', 'new-team', 'default/engineering', 'other/engineering', 'Storefront-Team',
  'Payments-Team', 'Nadia.Qureshi',
];
const TYPED = ['a', 'e', 'x', '-', '.', ' ', ' ', '\n', '\n  ', ': ', ':', '"', "'", '#', '/', 'group:', '- ', '0'];

let root = '';
let client: LspClient;
let policies: Policies;
/** The index entries of every catalog file on disk, read as the server reads closed files. */
const disk = new Map<string, PlacementInput[]>();
const diskTexts = new Map<string, string>();

interface Open {
  rel: string;
  uri: string;
  text: string;
  version: number;
  /** Earlier texts, for undo. */
  history: string[];
}
const open = new Map<string, Open>();
let version = 0;

// ---------------------------------------------------------------------------------------------
// Edits, as offsets into the text before them.

interface Edit {
  start: number;
  end: number;
  text: string;
}
interface Planned {
  what: string;
  /** Edits of one document; a second one applies to the text after the first (one notification). */
  edits: Edit[];
  /** A second document changed by the same step (a cut here, a paste there). */
  other?: { doc: Open; edit: Edit };
}

const apply = (text: string, e: Edit): string => text.slice(0, e.start) + e.text + text.slice(e.end);

function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) if (i + 1 < text.length) out.push(i + 1);
  return out;
}

/** A place to edit: most often a line start, sometimes anywhere. */
function somewhere(r: Rng, text: string, lineBias = 0.6): number {
  return r.chance(lineBias) ? r.pick(lineStarts(text)) : r.int(text.length + 1);
}

/** A slice of whole lines (sometimes of any characters), at most `max` characters. */
function slice(r: Rng, text: string, max = 600): [number, number] {
  if (!text.length) return [0, 0];
  if (r.chance(0.3)) {
    const a = r.int(text.length);
    return [a, Math.min(text.length, a + r.range(1, 80))];
  }
  const starts = [...lineStarts(text), text.length];
  const i = r.int(starts.length - 1);
  let j = i + r.range(1, 25);
  if (j >= starts.length) j = starts.length - 1;
  const a = starts[i];
  return [a, Math.min(starts[j], a + max)];
}

function plan(r: Rng, doc: Open, others: readonly Open[]): Planned {
  const t = doc.text;
  const big = t.length > 9000;
  const kind = big && r.chance(0.6) ? r.pick(['deleteDocument', 'deleteChars', 'undo']) : r.pick(OPS);
  switch (kind) {
    case 'type': {
      const at = somewhere(r, t, 0.2);
      const s = Array.from({ length: r.range(1, 3) }, () => r.pick(TYPED)).join('');
      return { what: `type ${show(s)} at ${at}`, edits: [{ start: at, end: at, text: s }] };
    }
    case 'deleteChars': {
      const at = r.int(t.length + 1);
      const n = r.range(1, r.chance(0.8) ? 6 : 120);
      return { what: `delete ${n} at ${at}`, edits: [{ start: at, end: Math.min(t.length, at + n), text: '' }] };
    }
    case 'rename': {
      // Replace a name or a reference with another entity's name: duplicates, dangling refs, near misses.
      const lines = [...t.matchAll(/^( *(?:- |name: |owner: |parent: |system: |memberOf: |- group:|- user:))(.*)$/gm)];
      if (!lines.length) return { what: 'type "x" at 0', edits: [{ start: 0, end: 0, text: 'x' }] };
      const m = r.pick(lines);
      const start = m.index + m[1].length;
      const name = r.pick(NAMES);
      return { what: `rename ${show(m[2])} to ${show(name)} at ${start}`, edits: [{ start, end: start + m[2].length, text: name }] };
    }
    case 'pasteSelf': {
      const [a, b] = slice(r, t);
      const at = somewhere(r, t);
      return { what: `paste [${a}, ${b}) at ${at}`, edits: [{ start: at, end: at, text: t.slice(a, b) }] };
    }
    case 'pasteOther': {
      const from = r.pick(others);
      const [a, b] = slice(r, from.text);
      const at = somewhere(r, t);
      return { what: `paste ${from.rel} [${a}, ${b}) at ${at}`, edits: [{ start: at, end: at, text: from.text.slice(a, b) }] };
    }
    case 'cutTo': {
      // Moves entities between files in one burst.
      const to = r.pick(others);
      const [a, b] = slice(r, t);
      const at = somewhere(r, to.text, 0.9);
      return { what: `cut [${a}, ${b}) to ${to.rel} at ${at}`, edits: [{ start: a, end: b, text: '' }], other: { doc: to, edit: { start: at, end: at, text: t.slice(a, b) } } };
    }
    case 'insertMarker': {
      const at = somewhere(r, t, 0.9);
      return { what: `insert --- at ${at}`, edits: [{ start: at, end: at, text: '---\n' }] };
    }
    case 'removeMarker': {
      const markers = [...t.matchAll(/^---[^\n]*\n?/gm)];
      if (!markers.length) return { what: 'insert --- at 0', edits: [{ start: 0, end: 0, text: '---\n' }] };
      const m = r.pick(markers);
      return { what: `remove --- at ${m.index}`, edits: [{ start: m.index, end: m.index + m[0].length, text: '' }] };
    }
    case 'apiVersion': {
      // Breaks or mends an apiVersion (same length): a file with none left is no catalog file for a while.
      const lines = [...t.matchAll(/^apiVersion: backstage\.i(o|q)\//gm)];
      if (!lines.length) return { what: 'type "x" at 0', edits: [{ start: 0, end: 0, text: 'x' }] };
      const m = r.pick(lines);
      const at = m.index + 'apiVersion: backstage.i'.length;
      const to = m[1] === 'o' ? 'q' : 'o';
      return { what: `apiVersion backstage.i${to} at ${m.index}`, edits: [{ start: at, end: at + 1, text: to }] };
    }
    case 'breakQuote': {
      const values = [...t.matchAll(/: (?=\S)/g)];
      const at = values.length && r.chance(0.8) ? r.pick(values).index + 2 : r.int(t.length + 1);
      const q = r.pick(['"', "'"]);
      return { what: `quote ${q} at ${at}`, edits: [{ start: at, end: at, text: q }] };
    }
    case 'fixQuote': {
      const quotes = [...t.matchAll(/["']/g)];
      if (!quotes.length) return { what: 'type "\'" at 0', edits: [{ start: 0, end: 0, text: "'" }] };
      const m = r.pick(quotes);
      return { what: `remove quote at ${m.index}`, edits: [{ start: m.index, end: m.index + 1, text: '' }] };
    }
    case 'duplicateDocument': {
      // A copy right after the document, with a marker of its own.
      const c = r.pick(splitDocuments(t));
      const body = c.text.startsWith('---') ? c.text : `---\n${c.text}`;
      const sep = c.text.endsWith('\n') || !c.text ? '' : '\n';
      return { what: `duplicate document [${c.start}, ${c.end})`, edits: [{ start: c.end, end: c.end, text: sep + body + (body.endsWith('\n') ? '' : sep ? '' : '\n') }] };
    }
    case 'deleteDocument': {
      const c = r.pick(splitDocuments(t));
      return { what: `delete document [${c.start}, ${c.end})`, edits: [{ start: c.start, end: c.end, text: '' }] };
    }
    case 'undo': {
      if (!doc.history.length) return { what: 'type "x" at 0', edits: [{ start: 0, end: 0, text: 'x' }] };
      const back = r.range(1, Math.min(doc.history.length, 30));
      const earlier = doc.history[doc.history.length - back];
      return { what: `undo ${back} step(s)`, edits: [diff(t, earlier)] };
    }
    default: {
      // Two changes in one notification (as a multi-cursor edit sends them).
      const first = plan(r, doc, others);
      if (first.other || first.edits.length > 1) return first;
      const second = plan(r, { ...doc, text: apply(t, first.edits[0]) }, others);
      if (second.other || second.edits.length > 1) return first;
      return { what: `${first.what}; then ${second.what}`, edits: [first.edits[0], second.edits[0]] };
    }
  }
}
const OPS = [
  ...Array<string>(6).fill('type'), ...Array<string>(4).fill('deleteChars'), ...Array<string>(3).fill('rename'), ...Array<string>(2).fill('pasteSelf'),
  'pasteOther', 'cutTo', 'insertMarker', 'insertMarker', 'removeMarker', 'breakQuote', 'breakQuote', 'fixQuote', 'fixQuote',
  'duplicateDocument', 'duplicateDocument', 'deleteDocument', 'undo', 'undo', 'apiVersion', 'apiVersion', 'apiVersion', 'apiVersion', 'two',
];

/** The one edit that turns `a` into `b` (their common start and end kept). */
function diff(a: string, b: string): Edit {
  let s = 0;
  while (s < a.length && s < b.length && a[s] === b[s]) s++;
  let e = 0;
  while (e < a.length - s && e < b.length - s && a[a.length - 1 - e] === b[b.length - 1 - e]) e++;
  return { start: s, end: a.length - e, text: b.slice(s, b.length - e) };
}

// ---------------------------------------------------------------------------------------------
// The server side.

async function send(doc: Open, edits: Edit[]): Promise<void> {
  const contentChanges = [];
  for (const e of edits) {
    const before = TextDocument.create(doc.uri, 'yaml', 0, doc.text);
    contentChanges.push({ range: { start: before.positionAt(e.start), end: before.positionAt(e.end) }, rangeLength: e.end - e.start, text: e.text });
    doc.history.push(doc.text);
    if (doc.history.length > 60) doc.history.shift();
    doc.text = apply(doc.text, e);
  }
  doc.version = ++version;
  await client.conn.sendNotification('textDocument/didChange', { textDocument: { uri: doc.uri, version: doc.version }, contentChanges });
}

async function openDoc(rel: string, text: string): Promise<Open> {
  const doc: Open = { rel, uri: uriOf(join(root, rel)), text, version: ++version, history: [] };
  open.set(rel, doc);
  await client.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: doc.uri, languageId: 'yaml', version: doc.version, text } });
  return doc;
}

async function closeDoc(doc: Open): Promise<void> {
  open.delete(doc.rel);
  await client.conn.sendNotification('textDocument/didClose', { textDocument: { uri: doc.uri } });
}

// ---------------------------------------------------------------------------------------------
// The fresh read.

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(e.name)) walk(p, out);
    } else if (isYamlFileName(p) || isCatalogFileName(p)) out.push(p);
  }
  return out;
}

const describeUri = (uri: string): string => relative(root, new URL(uri).pathname);

/** Fresh analyses by file and text: analyzeText is a pure function of them, and most files did not change. */
const analyses = new Map<string, { text: string; analysis: AnalyzedFile }>();
function analyzeFresh(file: CatalogFile): AnalyzedFile {
  const known = analyses.get(file.uri);
  if (known?.text === file.text) return known.analysis;
  const analysis = analyzeText(file.text, { path: file.path, policies: file.policies });
  analyses.set(file.uri, { text: file.text, analysis });
  return analysis;
}

/** What a fresh read of the current texts says about each open document. */
function expected(): Map<string, Diagnostic[]> {
  const index = new CatalogIndex();
  const openUris = new Set([...open.values()].map((d) => d.uri));
  for (const [uri, items] of disk) if (!openUris.has(uri)) index.update(uri, { kind: 'file', uri }, items);
  const files: CatalogFile[] = [];
  const out = new Map<string, Diagnostic[]>();
  for (const doc of open.values()) {
    const path = join(root, doc.rel);
    if (isCatalogFile(path, doc.text, [])) files.push({ uri: doc.uri, path, text: doc.text, policies });
    else out.set(doc.uri, []);
  }
  for (const { file, analysis, cross } of checkCatalog(files, { describeUri, knownWhole: false, index, analyze: analyzeFresh })) {
    const td = TextDocument.create(file.uri, 'yaml', 0, file.text);
    const local = analysis.documents.flatMap((d) => d.problems);
    out.set(file.uri, [...local, ...cross].sort((a, b) => a.start - b.start).map((p) => toDiagnostic(td, p)));
  }
  return out;
}

const line = (d: Diagnostic): string => `${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1} ${d.severity} ${String(d.code)} ${d.message}${d.relatedInformation ? ` related ${JSON.stringify(d.relatedInformation.map((x) => [relative(root, new URL(x.location.uri).pathname), x.location.range.start.line, x.location.range.start.character]))}` : ''}${d.data ? ` data ${JSON.stringify(d.data)}` : ''}`;

/** Where the server and the fresh read differ, for people; empty when they agree. */
function differences(want: Map<string, Diagnostic[]>): string[] {
  const out: string[] = [];
  for (const doc of open.values()) {
    const got = client.lastPublished(doc.uri)?.diagnostics ?? [];
    const exp = want.get(doc.uri) ?? [];
    if (JSON.stringify(got) === JSON.stringify(exp)) continue;
    const g = got.map(line);
    const e = exp.map(line);
    const onlyServer = g.filter((x) => !e.includes(x));
    const onlyFresh = e.filter((x) => !g.includes(x));
    out.push(`${doc.rel} (version ${doc.version}):${onlyServer.map((x) => `\n    server only: ${x}`).join('')}${onlyFresh.map((x) => `\n    fresh only:  ${x}`).join('')}${!onlyServer.length && !onlyFresh.length ? `\n    same problems in another order:\n      server ${g.join('\n             ')}\n      fresh  ${e.join('\n             ')}` : ''}`);
  }
  return out;
}

/** Saves the open texts and both answers, so a failure can be looked at and replayed as files. */
function dump(burst: number, want: Map<string, Diagnostic[]>, got: Map<string, Diagnostic[] | undefined>): string {
  const dir = join(tmpdir(), 'paved-road-drift', `seed-${SEED}-burst-${burst}-${process.pid}`);
  for (const doc of open.values()) {
    const p = join(dir, doc.rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, doc.text);
    writeFileSync(`${p}.server.json`, JSON.stringify(got.get(doc.uri) ?? null, null, 1));
    writeFileSync(`${p}.fresh.json`, JSON.stringify(want.get(doc.uri) ?? null, null, 1));
  }
  return dir;
}

// ---------------------------------------------------------------------------------------------

/** Reads the policies and every catalog file on disk as the server does. */
async function readDisk(): Promise<void> {
  policies = loadPoliciesFile(join(root, '.paved-road/policies.yaml'), {}).policies;
  disk.clear();
  for (const path of walk(root)) {
    const outcome = await readCatalogFile(path, [], policies);
    if (outcome.status === 'parsed') disk.set(uriOf(path), outcome.items);
    diskTexts.set(path, readFileSync(path, 'utf8'));
  }
}

/** Policies the edit stream switches between (the demo's first). */
const POLICY_VARIANTS = ['wholeCatalog: true\n', 'wholeCatalog: false\n', 'wholeCatalog: true\nreferenceSeverity: error\n', 'wholeCatalog: true\ntypedOwner: false\n'];

/** Writes the policies file and tells the server, as VS Code's file watcher does. */
async function setPolicies(text: string): Promise<void> {
  const file = join(root, '.paved-road/policies.yaml');
  writeFileSync(file, text);
  await readDisk();
  await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(file), type: 2 }] });
}

before(async () => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'paved-road-drift-')));
  cpSync(join(ROOT, 'demo'), root, { recursive: true });
  await readDisk();
  assert.equal(policies.wholeCatalog, true, "the demo's policies say the catalog is whole");
  client = await LspClient.start(root);
  await client.waitForIndex(WAIT_MS);
  const org = readFileSync(join(root, 'platform-org/org.yaml'), 'utf8');
  for (const rel of OPEN) {
    // The people file starts as a copy of the org file's last three documents: duplicates from the start.
    const text = rel === 'platform-org/people.yaml' ? splitDocuments(org).slice(-3).map((c) => c.text).join('') : readFileSync(join(root, rel), 'utf8');
    const doc = await openDoc(rel, text);
    await client.waitForDiagnostics(doc.uri, (_d, v) => v === doc.version, WAIT_MS);
  }
});

after(async () => {
  await client?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

test(`after ${EDITS} random edits in bursts, the server's problems are a fresh read's (seed ${SEED})`, async () => {
  const r = new Rng(SEED);
  let edits = 0;
  let burst = 0;
  let last: Open = open.get(OPEN[0])!;
  while (edits < EDITS) {
    burst++;
    const steps: string[] = [];
    const edited = new Set<Open>();
    // Now and then the policies change on disk: every open document is judged by the new ones.
    if (r.chance(0.015)) {
      const text = r.pick(POLICY_VARIANTS);
      await setPolicies(text);
      steps.push(`policies ${show(text)}`);
      await settle(burst, steps, WAIT_MS);
    }
    // Now and then a file is closed (its disk text counts again), checked, and opened again.
    if (r.chance(0.03)) {
      const doc = r.pick([...open.values()]);
      const reopenWith = r.chance(0.6) ? doc.text : (diskTexts.get(join(root, doc.rel)) ?? '');
      await closeDoc(doc);
      steps.push(`close ${doc.rel}`);
      // The server reads the disk again on its own time: wait until it agrees (or time out with the difference).
      await settle(burst, steps, WAIT_MS);
      const again = await openDoc(doc.rel, reopenWith);
      again.history = doc.history;
      steps.push(`reopen ${doc.rel} with ${reopenWith === doc.text ? 'its editor text' : 'the disk text'}`);
      edited.add(again);
      last = again;
    }
    for (let n = r.range(1, 12); n > 0 && edits < EDITS; n--) {
      const docs = [...open.values()];
      const doc = r.chance(0.7) && open.has(last.rel) ? last : r.pick(docs);
      const p = plan(r, doc, docs.filter((d) => d !== doc));
      steps.push(`${doc.rel}: ${p.what}`);
      await send(doc, p.edits);
      edited.add(doc);
      if (p.other) {
        await send(p.other.doc, [p.other.edit]);
        edited.add(p.other.doc);
      }
      last = doc;
      edits++;
    }
    // Every edited document's latest version, then a request answered after the server's re-checks.
    for (const doc of edited) await client.waitForDiagnostics(doc.uri, (_d, v) => v === doc.version, WAIT_MS);
    await client.conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri: last.uri } });
    await settle(burst, steps, GRACE_MS);
  }
});

/** Fails with the difference unless the server agrees with a fresh read now, or within `ms` of publications. */
async function settle(burst: number, steps: string[], ms: number): Promise<void> {
  const want = expected();
  if (ms > 0) await client.until(() => !differences(want).length, ms, () => 'never agreed').catch(() => undefined);
  const diff = differences(want);
  if (!diff.length) return;
  const got = new Map<string, Diagnostic[] | undefined>();
  for (const doc of open.values()) got.set(doc.uri, client.lastPublished(doc.uri)?.diagnostics);
  assert.fail(
    `the server drifted from a fresh read after burst ${burst} (DRIFT_SEED=${SEED} DRIFT_EDITS=${EDITS}):\n  ${diff.join('\n  ')}\nthe burst:\n  ${steps.join('\n  ')}\ntexts and diagnostics saved to ${dump(burst, want, got)}`,
  );
}
