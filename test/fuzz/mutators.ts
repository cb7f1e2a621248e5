/**
 * Deterministic input generation for the fuzz test: a seeded PRNG (no dependency), text mutations
 * that each describe what they did, and fixed hostile inputs.
 */

/** A seeded pseudo-random source (mulberry32). */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed | 0;
  }
  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = Math.imul(this.state ^ (this.state >>> 15), 1 | this.state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** An integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

/** The seed of case `index` of a run with base seed `seed` (so one case can be replayed alone). */
export function caseSeed(seed: number, index: number): number {
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b1)) | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

/** Shows a string in a description: JSON-quoted, shortened. */
export function show(s: string, max = 40): string {
  const q = JSON.stringify(s.length > max ? s.slice(0, max) : s);
  return s.length > max ? `${q}…(${s.length} chars)` : q;
}

// Characters and tokens that mean something to YAML or to the catalog.
const SPECIAL_CHARS = [
  ':', ' ', '-', '#', '"', "'", '\t', '\n', '\r', '[', ']', '{', '}', ',', '&', '*', '!', '|', '>',
  '%', '@', '`', '?', '<', '/', '\\', '.', '$', '\0', '\uFEFF', '\u2028', '\u0085', '\uD800', '\uDFFF',
  'é', '😀', 'A', 'z', '0', '_', '~',
];
const INLINE_TOKENS = [
  '---', '...', '"', "'", ': ', ':', ' #', '\t', '&a ', '*a', '*nope', '<<: ', '{', '[', '}', ']',
  '{}', '[]', ', ', '- ', '? ', '|', '>-', '!!str ', '!!binary ', '!custom ', '!<tag:x> ', '%', '\0',
  '\r', '\r\n', '\uFEFF', '\\', '"\\u', "''", '""', '${{ parameters.name }}', 'group:', 'group:default/',
  ':/', '$text', '$yaml', '$json', 'null', '~', '0x1F', '012', '1e3', '.nan', 'yes',
];
const LINE_TOKENS = [
  '---', '...', '--- |', '--- >', '---  # c', '... # end', '%YAML 1.2', '%TAG ! tag:x,2024:', '#', '',
  '"', "'", ': ', '\t', '&a', '*a', '<<: *a', '<<: {x: 1}', '<<: [*a, *b]', '{', '[', '- ', '? ',
  'status: {}', 'relations: []', 'apiVersion: backstage.io/v1alpha1', 'kind: Component', 'metadata:',
  'spec:', '  name: x', 'key: &a [1, 2]', 'ref: *a', 'a: b: c', '- - - -', 'k: "unclosed', "k: 'unclosed",
  'k: |', 'k: >', '  $text: ./nope.yaml', '  $text: .', '  $yaml: ./openapi.yaml', '!!map', '? [a, b]',
  ': x', '-', ' - x', 'x:\ty',
];
const VALUES = [
  '', '~', 'null', '[]', '{}', '0x1F', '012', '1_000', 'yes', 'true', '.inf', '2024-01-01', '"',
  "'x", '"a\\"', '!!binary aGk=', '*a', '&a', '&a x', 'ä ü ö', 'Name With Spaces', 'UPPER', '-x-',
  'a'.repeat(64), '{a: 1}', '[1, [2, [3]]]', '{ $text: ./openapi.yaml }', '{ $text: ../../../x }',
  'group:', ':', 'a:b:c', 'group:default/', '|', '>', '#x', '\uD800', '\uDFFF\uD800', '\0', '\uFEFF',
];

/** One text mutation: returns the new text and a human-readable account of what it did. */
interface Mutation {
  name: string;
  apply(text: string, r: Rng, others: readonly string[]): { text: string; what: string };
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function splitLines(text: string): string[] {
  return text.split('\n');
}

function randomCodeUnits(r: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(r.int(0x10000));
  return s;
}

/** A random string with lone surrogates, astral characters, controls and YAML specials. */
function randomUnicode(r: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    switch (r.int(7)) {
      case 0: s += String.fromCharCode(0xd800 + r.int(0x400)); break; // lone high surrogate
      case 1: s += String.fromCharCode(0xdc00 + r.int(0x400)); break; // lone low surrogate
      case 2: s += String.fromCodePoint(0x10000 + r.int(0xfffff)); break; // astral
      case 3: s += String.fromCharCode(r.int(0x20)); break; // C0 control
      case 4: s += String.fromCharCode(0x80 + r.int(0x80)); break; // C1 control / Latin-1
      case 5: s += r.pick(SPECIAL_CHARS); break;
      default: s += String.fromCharCode(r.int(0x10000)); break;
    }
  }
  return s;
}

function insertAt(text: string, pos: number, s: string): string {
  return text.slice(0, pos) + s + text.slice(pos);
}

const MUTATIONS: Mutation[] = [
  {
    name: 'charFlip',
    apply(text, r) {
      if (!text.length) return { text: r.pick(SPECIAL_CHARS), what: 'charFlip on empty text' };
      const pos = r.int(text.length);
      const c = r.chance(0.6) ? r.pick(SPECIAL_CHARS) : String.fromCharCode(r.int(0x10000));
      return { text: text.slice(0, pos) + c + text.slice(pos + 1), what: `charFlip@${pos} ${show(text[pos])}->${show(c)}` };
    },
  },
  {
    name: 'bitFlip',
    apply(text, r) {
      if (!text.length) return { text: '\u0001', what: 'bitFlip on empty text' };
      const pos = r.int(text.length);
      const bit = r.int(16);
      const c = String.fromCharCode(text.charCodeAt(pos) ^ (1 << bit));
      return { text: text.slice(0, pos) + c + text.slice(pos + 1), what: `bitFlip@${pos} bit ${bit} ${show(text[pos])}->${show(c)}` };
    },
  },
  {
    name: 'insertToken',
    apply(text, r) {
      const pos = r.int(text.length + 1);
      const t = r.pick(INLINE_TOKENS);
      return { text: insertAt(text, pos, t), what: `insertToken@${pos} ${show(t)}` };
    },
  },
  {
    name: 'deleteRange',
    apply(text, r) {
      const pos = r.int(text.length + 1);
      const n = r.range(1, r.chance(0.8) ? 8 : 200);
      return { text: text.slice(0, pos) + text.slice(pos + n), what: `deleteRange@${pos} len ${n}` };
    },
  },
  {
    name: 'deleteLine',
    apply(text, r) {
      const lines = splitLines(text);
      const i = r.int(lines.length);
      const [gone] = lines.splice(i, 1);
      return { text: lines.join('\n'), what: `deleteLine ${i + 1} ${show(gone)}` };
    },
  },
  {
    name: 'duplicateLine',
    apply(text, r) {
      const lines = splitLines(text);
      const i = r.int(lines.length);
      const times = r.range(1, 3);
      lines.splice(i, 0, ...Array<string>(times).fill(lines[i]));
      return { text: lines.join('\n'), what: `duplicateLine ${i + 1} x${times} ${show(lines[i])}` };
    },
  },
  {
    name: 'swapLines',
    apply(text, r) {
      const lines = splitLines(text);
      const i = r.int(lines.length);
      const j = r.int(lines.length);
      [lines[i], lines[j]] = [lines[j], lines[i]];
      return { text: lines.join('\n'), what: `swapLines ${i + 1}<->${j + 1}` };
    },
  },
  {
    name: 'insertLine',
    apply(text, r) {
      const lines = splitLines(text);
      const i = r.int(lines.length + 1);
      const indent = r.chance(0.5) ? (/^[ \t]*/.exec(lines[Math.min(i, lines.length - 1)] ?? '')?.[0] ?? '') : '';
      const t = indent + r.pick(LINE_TOKENS);
      lines.splice(i, 0, t);
      return { text: lines.join('\n'), what: `insertLine before ${i + 1} ${show(t)}` };
    },
  },
  {
    name: 'anchorAlias',
    apply(text, r) {
      // Put an anchor on some value and use it (or an undefined alias) somewhere else.
      const lines = splitLines(text);
      const withValue = lines.map((l, i) => [l, i] as const).filter(([l]) => /^\s*[^#\s][^:]*: \S/.test(l));
      if (!withValue.length) return { text: '&a ' + text, what: 'anchorAlias: anchor at start' };
      const [line, i] = r.pick(withValue);
      const colon = line.indexOf(': ');
      const name = r.pick(['a', 'b', 'x1', '123', 'ä']);
      lines[i] = line.slice(0, colon + 2) + `&${name} ` + line.slice(colon + 2);
      const j = r.int(lines.length + 1);
      const indent = /^[ \t]*/.exec(lines[Math.min(j, lines.length - 1)] ?? '')?.[0] ?? '';
      const use = r.pick([`${indent}alias${r.int(9)}: *${name}`, `${indent}- *${name}`, `${indent}*${name}: x`, `${indent}k: *nope`, `${indent}k: [*${name}, *${name}]`]);
      lines.splice(j, 0, use);
      return { text: lines.join('\n'), what: `anchorAlias &${name} on line ${i + 1}, ${show(use)} before line ${j + 1}` };
    },
  },
  {
    name: 'mergeKey',
    apply(text, r) {
      const lines = splitLines(text);
      const j = r.int(lines.length + 1);
      const indent = /^[ \t]*/.exec(lines[Math.min(j, lines.length - 1)] ?? '')?.[0] ?? '';
      const m = r.pick(['<<: *a', '<<: {type: service, owner: x}', '<<: [*a, *b]', '<<: ', '<<:', '? <<\n: *a', '<<: &a {k: v}']);
      lines.splice(j, 0, indent + m);
      return { text: lines.join('\n'), what: `mergeKey before line ${j + 1} ${show(indent + m)}` };
    },
  },
  {
    name: 'nesting',
    apply(text, r) {
      const pos = r.int(text.length + 1);
      const depth = r.range(10, r.chance(0.7) ? 200 : 2000);
      let s: string;
      let kind: string;
      switch (r.int(5)) {
        case 0: s = '['.repeat(depth) + ']'.repeat(depth); kind = 'balanced ['; break;
        case 1: s = '{a: '.repeat(depth) + '1' + '}'.repeat(depth); kind = 'balanced {a:'; break;
        case 2: s = '['.repeat(depth); kind = 'unbalanced ['; break;
        case 3: s = '- '.repeat(depth) + 'x'; kind = 'block sequence'; break;
        default: {
          const d = Math.min(depth, 300);
          s = '\n' + Array.from({ length: d }, (_, k) => ' '.repeat(k) + `k${k}:`).join('\n') + ' v\n';
          kind = 'block mapping';
          break;
        }
      }
      return { text: insertAt(text, pos, s), what: `nesting@${pos} ${kind} depth ${depth}` };
    },
  },
  {
    name: 'unicode',
    apply(text, r) {
      const pos = r.int(text.length + 1);
      const s = randomUnicode(r, r.range(1, 12));
      return { text: insertAt(text, pos, s), what: `unicode@${pos} ${show(s)}` };
    },
  },
  {
    name: 'nul',
    apply(text, r) {
      const n = r.range(1, 5);
      const at: number[] = [];
      for (let k = 0; k < n; k++) {
        const pos = r.int(text.length + 1);
        at.push(pos);
        text = insertAt(text, pos, '\0');
      }
      return { text, what: `nul at ${at.join(',')}` };
    },
  },
  {
    name: 'lineEndings',
    apply(text, r) {
      switch (r.int(4)) {
        case 0: return { text: text.replace(/\r?\n/g, '\r\n'), what: 'lineEndings all CRLF' };
        case 1: return { text: text.replace(/\n/g, '\r'), what: 'lineEndings all CR' };
        case 2: {
          const p = r.next();
          const rr = new Rng(r.int(1 << 30));
          return { text: text.replace(/\n/g, () => (rr.chance(p) ? '\r\n' : '\n')), what: `lineEndings mixed CRLF p=${p.toFixed(2)}` };
        }
        default: {
          const pos = r.int(text.length + 1);
          return { text: insertAt(text, pos, '\r'), what: `lineEndings lone CR@${pos}` };
        }
      }
    },
  },
  {
    name: 'bom',
    apply(text, r) {
      if (r.chance(0.6)) return { text: '\uFEFF' + text, what: 'bom at start' };
      const starts = lineStarts(text);
      const pos = r.pick(starts);
      return { text: insertAt(text, pos, '\uFEFF'), what: `bom@${pos} (line start)` };
    },
  },
  {
    name: 'longLine',
    apply(text, r) {
      const pos = r.int(text.length + 1);
      const n = r.range(1000, r.chance(0.8) ? 20000 : 200000);
      const c = r.pick(['x', ' ', 'a-', '[', '"', ': ', 'é', '😀']);
      const s = c.repeat(Math.ceil(n / c.length));
      return { text: insertAt(text, pos, s), what: `longLine@${pos} ${show(c)} x${Math.ceil(n / c.length)}` };
    },
  },
  {
    name: 'truncate',
    apply(text, r) {
      const pos = r.int(text.length + 1);
      return { text: text.slice(0, pos), what: `truncate@${pos}` };
    },
  },
  {
    name: 'indent',
    apply(text, r) {
      const lines = splitLines(text);
      const i = r.int(lines.length);
      const op = r.int(3);
      if (op === 0) lines[i] = r.pick([' ', '  ', '\t', ' \t', '    ']) + lines[i];
      else if (op === 1) lines[i] = lines[i].replace(/^[ \t]{1,2}/, '');
      else lines[i] = lines[i].replace(/^ +/, (m) => '\t'.repeat(Math.max(1, m.length >> 1)));
      return { text: lines.join('\n'), what: `indent line ${i + 1} op ${['add', 'remove', 'tabs'][op]}` };
    },
  },
  {
    name: 'splice',
    apply(text, r, others) {
      const other = splitLines(r.pick(others));
      const a = r.int(other.length);
      const b = Math.min(other.length, a + r.range(1, 30));
      const lines = splitLines(text);
      const at = r.int(lines.length + 1);
      lines.splice(at, 0, ...other.slice(a, b));
      return { text: lines.join('\n'), what: `splice ${b - a} lines of another seed before line ${at + 1}` };
    },
  },
  {
    name: 'valueSwap',
    apply(text, r) {
      const lines = splitLines(text);
      const withValue = lines.map((l, i) => [l, i] as const).filter(([l]) => /: \S/.test(l) || /^\s*- \S/.test(l));
      if (!withValue.length) return { text: text + '\nk: ' + r.pick(VALUES), what: 'valueSwap appended' };
      const [line, i] = r.pick(withValue);
      const v = r.pick(VALUES);
      const m = /^(.*?(?:: |- ))/.exec(line);
      lines[i] = (m ? m[1] : line + ': ') + v;
      return { text: lines.join('\n'), what: `valueSwap line ${i + 1} ${show(line)} -> ${show(lines[i])}` };
    },
  },
  {
    name: 'randomCodeUnits',
    apply(text, r) {
      const pos = r.int(text.length + 1);
      const s = randomCodeUnits(r, r.range(1, 64));
      return { text: insertAt(text, pos, s), what: `randomCodeUnits@${pos} ${show(s, 20)}` };
    },
  },
];

/** Applies 1-4 (sometimes up to 15) random mutations to `text`. */
export function mutate(text: string, r: Rng, others: readonly string[]): { text: string; steps: string[] } {
  const count = r.chance(0.1) ? r.range(5, 15) : r.range(1, 4);
  const steps: string[] = [];
  for (let k = 0; k < count; k++) {
    const m = r.pick(MUTATIONS);
    const out = m.apply(text, r, others);
    text = out.text;
    steps.push(out.what);
  }
  return { text, steps };
}

export const MUTATION_NAMES = MUTATIONS.map((m) => m.name);

/** A catalog entity document used to build large or hostile files. */
export const SMALL_ENTITY = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: bulk-service
  tags: [bulk]
spec:
  type: service
  lifecycle: production
  owner: group:bulk-team
`;

/** Fixed hostile inputs: name -> text (built lazily, some are large). */
export function hostileInputs(): Array<{ name: string; text: () => string; path?: string }> {
  const r = new Rng(0x5eed);
  const out: Array<{ name: string; text: () => string; path?: string }> = [];
  const tiny = [
    '', '\uFEFF', '\uFEFF\uFEFF', '---', '---\n', '...', '---\n---\n...\n---', '\0', '\0\0\0', '\r', '\r\n', '\n\n\n',
    '#', '# only a comment', 'a', ':', ': :', '- ', '-', '"', "'", '[', '{', ']', '}', '*a', '&a', '&a *a', '<<: *a',
    '? ', '!', '!!', '%', '%YAML', '%YAML 1.2\n---', '|', '>', '\t', '\t\t:', '\uD800', '\uDC00', '\uD800\uD800',
    'a: \uD800', '\uDBFF\uDFFF', 'key: "\\uD800"', 'key: "\\x00"', 'k: !!binary "%%%"', 'k: !!int x', 'k: !!float x',
    'k: !!timestamp x', 'k: !!null x', 'k: !!bool x', 'k: !!seq x', 'k: !!map x', 'k: !!set {a}', 'k: !!omap [a]',
    '? [a]\n: b', '? {a: b}\n: c', '[a]: b', '{a: b}: c', 'a: b\na: c', 'apiVersion: 1\nkind: 2\nmetadata: 3',
    'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: []\nspec: []',
    'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: x\n  annotations: 5\nspec: {}',
    'apiVersion: [backstage.io/v1alpha1]\nkind: {Component: 1}\nmetadata:\n  name: [x]',
    '- apiVersion: backstage.io/v1alpha1\n  kind: Component', '"apiVersion": "backstage.io/v1alpha1"',
    '{"apiVersion":"backstage.io/v1alpha1","kind":"Component","metadata":{"name":"x"},"spec":{}}',
  ];
  tiny.forEach((t, i) => out.push({ name: `tiny #${i} ${show(t)}`, text: () => t }));

  for (let i = 0; i < 12; i++) {
    const size = r.pick([1, 7, 100, 1000, 10000, 65536]);
    const kind = i % 3;
    const seed = r.int(1 << 30);
    out.push({
      name: `random ${['latin1 bytes', 'utf8-decoded bytes', 'UTF-16 code units'][kind]} size ${size} seed ${seed}`,
      text: () => {
        const rr = new Rng(seed);
        if (kind === 2) return randomCodeUnits(rr, size);
        const bytes = Buffer.alloc(size);
        for (let k = 0; k < size; k++) bytes[k] = rr.int(256);
        return bytes.toString(kind === 0 ? 'latin1' : 'utf8');
      },
    });
  }

  out.push({
    name: 'billion laughs (alias bomb, 9 levels of 9)',
    text: () => {
      const lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
      for (let k = 1; k <= 9; k++) lines.push(`a${k}: &a${k} [${Array(9).fill(`*a${k - 1}`).join(',')}]`);
      return lines.join('\n') + '\n';
    },
  });
  out.push({
    name: 'billion laughs inside a catalog entity (metadata.annotations and spec)',
    text: () => {
      const lines = ['apiVersion: backstage.io/v1alpha1', 'kind: Component', 'metadata:', '  name: bomb', '  x0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
      for (let k = 1; k <= 9; k++) lines.push(`  x${k}: &a${k} [${Array(9).fill(`*a${k - 1}`).join(',')}]`);
      lines.push('  annotations: *a9', 'spec:', '  type: service', '  lifecycle: production', '  owner: *a9', '  dependsOn: *a9');
      return lines.join('\n') + '\n';
    },
  });
  out.push({
    name: 'alias bomb with merge keys (<<: [*a, *a, ...])',
    text: () => {
      const lines = ['m0: &m0 {k0: v}'];
      for (let k = 1; k <= 20; k++) lines.push(`m${k}: &m${k}\n  <<: [*m${k - 1}, *m${k - 1}]\n  k${k}: v`);
      lines.push('spec:\n  <<: *m20');
      return lines.join('\n') + '\n';
    },
  });
  out.push({ name: '50,000 aliases to one anchor', text: () => `a: &a [1, 2, 3]\nb: [${Array(50000).fill('*a').join(', ')}]\n` });
  out.push({ name: 'self-referencing anchor (&a [*a])', text: () => 'a: &a [*a]\nb: &b {k: *b}\n' });

  const D = 10000;
  out.push({ name: `${D}-level flow sequence nesting`, text: () => '['.repeat(D) + ']'.repeat(D) });
  out.push({ name: `${D}-level flow mapping nesting`, text: () => '{a: '.repeat(D) + '1' + '}'.repeat(D) });
  out.push({ name: `${D}-level block sequence nesting`, text: () => '- '.repeat(D) + 'x\n' });
  out.push({ name: `${D} unclosed [`, text: () => '['.repeat(D) });
  out.push({ name: `${D} unclosed {`, text: () => '{'.repeat(D) });
  out.push({
    name: `${D}-level nesting inside a catalog entity's spec`,
    text: () => `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: deep\nspec:\n  type: service\n  lifecycle: production\n  owner: x\n  deep: ${'['.repeat(D)}${']'.repeat(D)}\n`,
  });
  out.push({
    name: `${D}-level flow mapping as metadata.annotations`,
    text: () => `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: deep\n  annotations: ${'{a: '.repeat(D)}x${'}'.repeat(D)}\nspec: {}\n`,
  });
  out.push({
    name: '1,000-level block mapping nesting (indentation grows by one space)',
    text: () => Array.from({ length: 1000 }, (_, k) => ' '.repeat(k) + `k${k}:`).join('\n') + ' v\n',
  });
  out.push({ name: '100,000 empty documents', text: () => '---\n'.repeat(100000) });
  out.push({ name: '3,000 small entity documents', text: () => Array(3000).fill(SMALL_ENTITY).join('---\n') });
  out.push({
    name: 'one entity with 5,000 tags and 15,000 annotations (a big mapping must not be quadratic)',
    text: () => {
      const tags = Array.from({ length: 5000 }, (_, k) => `    - tag-${k}`).join('\n');
      const ann = Array.from({ length: 15000 }, (_, k) => `    example.com/a${k}: v${k}`).join('\n');
      return `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: many\n  tags:\n${tags}\n  annotations:\n${ann}\nspec:\n  type: service\n  lifecycle: production\n  owner: x\n`;
    },
  });
  out.push({ name: 'a 1,000,000-character metadata.name', text: () => SMALL_ENTITY.replace('bulk-service', 'a'.repeat(1_000_000)) });
  out.push({ name: 'a 1,000,000-character line of "[" inside a quoted value', text: () => SMALL_ENTITY.replace('bulk-service', `"${'['.repeat(1_000_000)}"`) });
  out.push({ name: 'an unclosed quote followed by 2,000 documents', text: () => SMALL_ENTITY.replace('bulk-service', '"bulk') + Array(2000).fill(SMALL_ENTITY).join('---\n') });
  out.push({ name: 'every line ends with CR only', text: () => Array(50).fill(SMALL_ENTITY).join('---\n').replace(/\n/g, '\r') });
  out.push({ name: 'lone surrogates in every key and value', text: () => SMALL_ENTITY.replace(/([a-z]+)/g, '$1\uD800').replace(/: /g, ':\uDC00 ') });
  out.push({ name: 'NUL after every character', text: () => SMALL_ENTITY.split('').join('\0') });
  out.push({ name: 'a line of 100,000 tabs and spaces', text: () => SMALL_ENTITY + ' \t'.repeat(50000) + '\n' });
  // Placeholders that point at things that are not ordinary files (when the engine reads them).
  for (const target of ['/dev/zero', '/dev/stdin', '/dev/urandom', '.', '..', '/', '/proc/self/mem', 'nope/missing.yaml', '\0', 'x'.repeat(5000)]) {
    out.push({
      name: `$text placeholder pointing at ${show(target)} (path given)`,
      path: '/work/main/demo/payments-service/catalog-info.yaml',
      text: () => `apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: ph\nspec:\n  type: openapi\n  lifecycle: production\n  owner: x\n  definition:\n    $text: ${JSON.stringify(target)}\n`,
    });
  }
  return out;
}
