// In-process model of the server's per-edit path on a large file: document update, incremental analysis,
// index update, cross-checks, conversion to LSP diagnostics. Prints time per edit and GC per edit.
import { readFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import { EditorDocument as TextDocument } from '/work/main/server/src/lsp/editorDocument';
import { FileAnalyzer } from '/work/main/server/src/catalog/analyze';
import { CatalogIndex } from '/work/main/server/src/catalog/catalogIndex';
import { CrossChecker } from '/work/main/server/src/catalog/crossCheck';
import { DEFAULT_POLICIES } from '/work/main/server/src/catalog/policies';
import { placementsOfAnalysis } from '/work/main/server/src/sources/workspaceFiles';
import { toDiagnostic } from '/work/main/server/src/lsp/convert';

const file = process.argv[2] ?? '/tmp/wscorp/services/broken.catalog-info.yaml';
let text = readFileSync(file, 'utf8');
const uri = 'file://' + file;
const doc = TextDocument.create(uri, 'yaml', 1, text);
const analyzer = new FileAnalyzer({ path: file, policies: DEFAULT_POLICIES });
const index = new CatalogIndex();
const cross = new CrossChecker(index);
let a = analyzer.analyze(text);
index.update(uri, { kind: 'file', uri }, placementsOfAnalysis(a));
const lines = text.split('\n');
const line = lines.findIndex((l, i) => i > lines.length / 2 && l.startsWith('  description: '));
const col = lines[line].length;
let gcMs = 0;
let gcs = 0;
new PerformanceObserver((l) => { for (const e of l.getEntries()) { gcMs += e.duration; gcs++; } }).observe({ entryTypes: ['gc'] });
const N = Number(process.argv[3] ?? 200);
let v = 1;
const phases: Record<string, number> = {};
const time = <T>(k: string, f: () => T): T => { const t = performance.now(); const r = f(); phases[k] = (phases[k] ?? 0) + performance.now() - t; return r; };
const cpu0 = process.cpuUsage();
const t0 = performance.now();
let bytes = 0;
for (let i = 0; i < N; i++) {
  const add = i % 2 === 0;
  const start = doc.offsetAt({ line, character: col });
  time('textdocument', () => doc.update([{ range: { start: { line, character: col }, end: { line, character: add ? col : col + 1 } }, text: add ? 'x' : '' }], ++v));
  const hint = { start, oldEnd: add ? start : start + 1, newEnd: add ? start + 1 : start };
  const t = doc;
  a = time('analyze', () => analyzer.analyze(doc, hint));
  time('index', () => index.update(uri, { kind: 'file', uri }, placementsOfAnalysis(a)));
  const problems = time('cross', () => [...a.documents.flatMap((d) => d.problems), ...cross.check(index.placementsOf(uri), DEFAULT_POLICIES, (u) => u, false)].sort((x, y) => x.start - y.start));
  const diags = time('convert', () => problems.map((p) => toDiagnostic(doc, p)));
  bytes += time('json', () => JSON.stringify({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri, version: v, diagnostics: diags } }).length);
}
const wall = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
setTimeout(() => {
console.log(`per edit: wall ${(wall / N).toFixed(2)} ms, cpu(all threads) ${((cpu.user + cpu.system) / 1000 / N).toFixed(2)} ms, gc ${(gcMs / N).toFixed(2)} ms (${gcs} gcs), json ${(bytes / N / 1024).toFixed(1)} KiB`);
console.log(Object.entries(phases).map(([k, ms]) => `${k} ${(ms / N).toFixed(2)}`).join(' | '));
}, 100);
