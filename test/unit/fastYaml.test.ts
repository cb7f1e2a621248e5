/**
 * The fast reader must build exactly `yaml`'s tree wherever it answers: every node's class, value, type,
 * range and spacing, the document's range and its line starts. Checked on the catalog files of the repo,
 * on the benchmark corpus, on hand-written edge cases, and on thousands of mutated documents.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { fastParseDocument, plainValue } from '../../server/src/catalog/fastYaml';
import { splitDocuments } from '../../server/src/catalog/split';
import { PARSE_OPTIONS } from '../../server/src/catalog/yamlDocument';
// @ts-expect-error the benchmark's corpus generator is plain JavaScript
import { generateCorpus } from '../../bench/corpus.mjs';
import { mutate, Rng, SMALL_ENTITY } from '../fuzz/mutators';

const ROOT = join(__dirname, '..', '..');
const corpusText = (n: number, seed: number): string => (generateCorpus(n, seed) as { text: string }).text;

/** Everything of a node that the engine or a stringifier could read. */
function shape(n: unknown): unknown {
  const common = (x: { range?: unknown; spaceBefore?: boolean; commentBefore?: unknown; comment?: unknown; anchor?: unknown; tag?: unknown }) => ({
    range: x.range,
    spaceBefore: x.spaceBefore ?? false,
    commentBefore: x.commentBefore ?? null,
    comment: x.comment ?? null,
    anchor: x.anchor ?? null,
    tag: x.tag ?? null,
  });
  if (isMap(n)) return { map: common(n), flow: !!n.flow, items: n.items.map((p) => [shape(p.key), shape(p.value)]) };
  if (isSeq(n)) return { seq: common(n), flow: !!n.flow, items: n.items.map(shape) };
  if (isScalar(n)) {
    const s = n as typeof n & { format?: string; minFractionDigits?: number };
    return { scalar: common(n), value: n.value, type: n.type, source: n.source, format: s.format ?? null, minFractionDigits: s.minFractionDigits ?? null };
  }
  return { other: n === null ? null : typeof n };
}

function docShape(d: Document.Parsed, lines: LineCounter): unknown {
  return { range: d.range, docStart: !!d.directives?.docStart, comment: d.comment ?? null, commentBefore: d.commentBefore ?? null, errors: d.errors.length, warnings: d.warnings.length, contents: shape(d.contents), lines: lines.lineStarts, js: JSON.stringify(d.toJS()) };
}

/** The path of the first difference between two plain values, with both sides; undefined when equal. */
function firstDifference(a: unknown, b: unknown, path: string): string | undefined {
  if (a === b || (Number.isNaN(a) && Number.isNaN(b))) return undefined;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  return `${path}: fast ${JSON.stringify(a)}, yaml ${JSON.stringify(b)}`;
}

/** Compares one document; true when the fast reader answered. */
function agree(text: string): boolean {
  const fastLines = new LineCounter();
  const fast = fastParseDocument(text, fastLines, PARSE_OPTIONS);
  if (!fast) return false;
  const lines = new LineCounter();
  const slow = parseDocument(text, { ...PARSE_OPTIONS, lineCounter: lines });
  const a = docShape(fast, fastLines);
  const b = docShape(slow, lines);
  assert.deepStrictEqual(plainValue(fast.contents), slow.toJS({ maxAliasCount: 100 }), `values differ on:\n${text.slice(0, 800)}`);
  const where = firstDifference(a, b, '');
  if (where !== undefined) assert.fail(`differs at ${where} on:\n${text.length > 800 ? `${text.slice(0, 800)}…` : text}`);
  return true;
}

function chunksOf(text: string): string[] {
  return splitDocuments(text).map((c) => c.text);
}

function catalogFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.git')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) catalogFiles(p, out);
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

describe('fast YAML reader', () => {
  it('builds yaml\'s tree on edge cases, and declines what it does not read', () => {
    const read = [
      'a: 1\nb:\n  c: x\n  d:\n  - p\n  - q: r\n    s: 1.50\ne: []\nf: |\n  l1\n\n   l2\n\n\ng: "q x"\n',
      '---\na: 1\n\nb: x\n\n',
      '\n\na: 1\nb: |-\n  x\n\n  y\nc: |\n  z',
      'a:\n- 1\n-  x: y\nb: end',
      '\na: 1\n\ns:\n- x\n\n- y: 1\n\n  z: 2\n\n- |\n  t\nq: "a b"\nr: \'it\'\'s\'\n',
      'a:\n  b: 1\n\n',
      'n: null\nt: true\nT: True\nf: 0x1F\no: 0o17\ne: 1e3\ni: .inf\nm: -.INF\nz: .nan\nv: 1.0.1\ns: ~\nk: 007\n1: one\ntrue: yes\n',
      'url: https://example.com/a?b=c#frag\nref: group:default/team-a\nx: a:b\ny: R&D *star* !bang\n',
      'spec:\n  owner: team\n  {}: 1\n',
      'a: {}\nb: []\n',
      'a:\n  - b: |\n      x\n    c: 2\n',
      '__proto__: x\n~: n\nnull: m\n1: a\n1.0: b\nk: 1\nk: 2\n',
    ];
    let answered = 0;
    for (const t of read) if (agree(t)) answered++;
    assert.ok(answered >= 8, `answered ${answered} of ${read.length}`);
    const declined = [
      '# comment\na: 1\n',
      'a: 1 # comment\n',
      'a: &x 1\nb: *x\n',
      'a: !!str 1\n',
      'a: [1, 2]\n',
      'a: >\n  folded\n',
      'a: |2\n  x\n',
      'a: "x\\ny"\n',
      'a: b\n  c\n',
      'a:\n',
      'a:\tb\n',
      'a: 1\r\nb: 2\r\n',
      'description: a: b\n',
      'a: 1 \n',
      '- a\n- b\n',
      '"a": 1\n',
      'a : 1\n',
      '? a\n: 1\n',
    ];
    for (const t of declined) assert.equal(fastParseDocument(t, new LineCounter(), PARSE_OPTIONS), undefined, `should decline:\n${t}`);
  });

  it('agrees with yaml on every document of the repository\'s YAML files', () => {
    let docs = 0;
    let answered = 0;
    for (const dir of ['demo', 'test/fixtures', 'schemas', 'templates'].map((d) => join(ROOT, d))) {
      let files: string[] = [];
      try {
        files = catalogFiles(dir);
      } catch {
        continue;
      }
      for (const f of files) {
        for (const chunk of chunksOf(readFileSync(f, 'utf8'))) {
          docs++;
          if (agree(chunk)) answered++;
        }
      }
    }
    assert.ok(docs > 50 && answered > docs / 3, `answered ${answered} of ${docs}`);
  });

  it('agrees with yaml on the benchmark corpus', () => {
    const text = corpusText(600, 7);
    let answered = 0;
    const chunks = chunksOf(text);
    for (const chunk of chunks) if (agree(chunk)) answered++;
    assert.ok(answered > chunks.length * 0.95, `answered ${answered} of ${chunks.length}`);
  });

  it('agrees with yaml on mutated documents', () => {
    const seeds = [SMALL_ENTITY, ...chunksOf(corpusText(40, 3))];
    let answered = 0;
    const cases = Number(process.env.FAST_YAML_CASES ?? 3000);
    for (let i = 0; i < cases; i++) {
      const r = new Rng(1000 + i);
      const { text } = mutate(seeds[i % seeds.length], r, seeds);
      for (const chunk of chunksOf(text)) if (agree(chunk)) answered++;
    }
    assert.ok(answered > cases / 10, `answered ${answered} documents of ${cases} cases`);
  });
});
