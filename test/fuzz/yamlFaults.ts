/**
 * The seeds and faults of the YAML-recovery mutation test (yamlRecovery.test.ts): valid Components, APIs
 * and Groups of the demo and the fixtures, and single-line faults, each with the problems it must give.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { analyzeText } from '../../server/src/catalog/analyze';
import { splitDocuments } from '../../server/src/catalog/split';
import type { Severity } from '../../server/src/catalog/types';
import type { Rng } from './mutators';

const ROOT = resolve(__dirname, '../..');
/** The kinds the seeds are taken from. */
export const KINDS = new Set(['Component', 'API', 'Group']);

// ---------------------------------------------------------------------------------------------
// Seeds: one valid document each, with what its lines hold.

/** A key (or list item) line of a seed. */
export interface KeyLine {
  /** 0-based line of the key. */
  line: number;
  path: (string | number)[];
  /** `plain`: a plain scalar on the key's line; `block`: a mapping or list on the lines below. */
  value: 'plain' | 'block' | 'other';
  /** The line starts a list item (`- key: value`). */
  item: boolean;
}

/** A valid document to put faults into. */
export interface Seed {
  /** Relative to the repository, for messages. */
  file: string;
  /** Absolute, for `$text` placeholders. */
  path: string;
  kind: string;
  text: string;
  keys: KeyLine[];
  /** Lines of plain scalar list items, with their paths. */
  items: KeyLine[];
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

function describeLines(text: string): Pick<Seed, 'keys' | 'items'> {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  const lineOf = (offset: number): number => lc.linePos(offset).line - 1;
  const lines = text.split('\n');
  const keys: KeyLine[] = [];
  const items: KeyLine[] = [];
  const walk = (node: unknown, path: (string | number)[]): void => {
    if (isMap(node) && !node.flow) {
      for (const pair of node.items) {
        const k = pair.key as Node | null;
        if (!isScalar(k) || !k.range) continue;
        const v = pair.value as Node | null;
        const line = lineOf(k.range[0]);
        const p = [...path, String(k.value)];
        const plain = isScalar(v) && v.type === 'PLAIN' && !!v.range && lineOf(v.range[0]) === line && lineOf(v.range[1]) === line && !lines[line].includes(' #');
        const block = (isMap(v) || isSeq(v)) && !v.flow && !!v.range && lineOf(v.range[0]) > line;
        keys.push({ line, path: p, value: plain ? 'plain' : block ? 'block' : 'other', item: /^\s*- /.test(lines[line]) });
        walk(v, p);
      }
    } else if (isSeq(node) && !node.flow) {
      node.items.forEach((item, i) => {
        const n = item as Node | null;
        if (isScalar(n) && n.type === 'PLAIN' && n.range) items.push({ line: lineOf(n.range[0]), path: [...path, i], value: 'plain', item: true });
        walk(n, [...path, i]);
      });
    }
  };
  walk(doc.contents, []);
  return { keys, items };
}

/** The Components, APIs and Groups of the demo and the fixtures that have no problem at all on their own. */
export function loadSeeds(): Seed[] {
  const files = [...yamlFiles(join(ROOT, 'demo')), ...yamlFiles(join(ROOT, 'test/fixtures/catalog'))];
  const seeds: Seed[] = [];
  for (const file of files) {
    if (/broken|invalid/.test(file)) continue;
    for (const chunk of splitDocuments(readFileSync(file, 'utf8'))) {
      // Each document alone, without comments, so that lines are keys, items and block text only.
      const text = chunk.text.replace(/^---[^\n]*\n/, '').replace(/^\s*#.*\n/gm, '');
      const kind = /^kind: (\w+)$/m.exec(text)?.[1];
      if (!kind || !KINDS.has(kind)) continue;
      const r = analyzeText(text, { path: file });
      if (r.documents.length !== 1 || r.documents[0].problems.length) continue;
      seeds.push({ file: relative(ROOT, file), path: file, kind, text, ...describeLines(text) });
    }
  }
  return seeds;
}

// ---------------------------------------------------------------------------------------------
// Drafts: a seed's lines with stable ids, so that insertions do not move what a fault points at.

interface Line {
  id: number;
  text: string;
}

/** A seed being edited: its lines, with ids that stay put when lines are inserted or removed. */
export class Draft {
  lines: Line[];
  private nextId: number;
  constructor(readonly seed: Seed) {
    this.lines = seed.text.split('\n').map((text, id) => ({ id, text }));
    this.nextId = this.lines.length;
  }
  /** The text of the line with this id (a seed line's id is its 0-based line in the seed). */
  text(id: number): string {
    return this.lines.find((l) => l.id === id)?.text ?? '';
  }
  set(id: number, text: string): void {
    const l = this.lines.find((x) => x.id === id);
    if (l) l.text = text;
  }
  insertAfter(id: number, text: string): number {
    const i = this.lines.findIndex((l) => l.id === id);
    const line = { id: this.nextId++, text };
    this.lines.splice(i + 1, 0, line);
    return line.id;
  }
  remove(id: number): void {
    this.lines = this.lines.filter((l) => l.id !== id);
  }
  /** Adds a line at the end of the document (before its final line break). */
  append(text: string): number {
    const last = this.lines[this.lines.length - 1];
    return last.text === '' ? this.insertAfter(this.lines[this.lines.length - 2].id, text) : this.insertAfter(last.id, text);
  }
  lineOf(id: number): number {
    return this.lines.findIndex((l) => l.id === id);
  }
  toString(): string {
    return this.lines.map((l) => l.text).join('\n');
  }
}

/** A problem a fault must give: its code and severity, on the line with this id. */
export interface Expected {
  code: string;
  severity: Severity;
  line: number;
}

const key = (s: Seed, path: string): KeyLine | undefined => s.keys.find((k) => k.path.join('.') === path);
const setValue = (d: Draft, k: KeyLine, value: string): void => d.set(k.line, d.text(k.line).replace(/: .*$/, `: ${value}`));
const indentOf = (s: string): string => /^\s*/.exec(s)?.[0] ?? '';

// ---------------------------------------------------------------------------------------------
// Independent faults.

/** An independent fault: a mistake the catalog reports whatever else the document holds. */
export interface Fault {
  name: string;
  /** What the fault takes: two faults never share a slot (a slot is a key path's first two parts). */
  slots(s: Seed): string[];
  applies(s: Seed): boolean;
  /** Needs the kind's own checks (schema, policies); `false` for the envelope's checks. */
  kindChecks?: boolean;
  /** Turns the kind's own checks off. */
  noKindChecks?: boolean;
  /** The mapping whose key it removes (a `required` problem there). */
  missingIn?: string;
  apply(d: Draft, r: Rng): Expected[];
}

const err = (code: string, line: number): Expected => ({ code, severity: 'error', line });
const REQUIRED_SPEC: Record<string, string[]> = { Component: ['type', 'lifecycle', 'owner'], API: ['type', 'lifecycle', 'owner'], Group: ['type'] };

export const FAULTS: Fault[] = [
  {
    name: 'name with a space',
    slots: () => ['metadata.name'],
    applies: (s) => key(s, 'metadata.name')?.value === 'plain',
    apply(d) {
      const k = key(d.seed, 'metadata.name')!;
      setValue(d, k, 'payment service');
      return [err('name-format', k.line)];
    },
  },
  {
    name: 'bad namespace',
    slots: () => ['metadata.namespace'],
    applies: (s) => key(s, 'metadata.name')?.value === 'plain' && (!key(s, 'metadata.namespace') || key(s, 'metadata.namespace')?.value === 'plain'),
    apply(d) {
      const ns = key(d.seed, 'metadata.namespace');
      if (ns) {
        setValue(d, ns, 'Team_Payments');
        return [err('namespace-format', ns.line)];
      }
      const name = key(d.seed, 'metadata.name')!;
      return [err('namespace-format', d.insertAfter(name.line, `${indentOf(d.text(name.line))}namespace: Team_Payments`))];
    },
  },
  {
    name: 'lifecycle casing',
    slots: () => ['spec.lifecycle'],
    kindChecks: true,
    applies: (s) => s.kind !== 'Group' && key(s, 'spec.lifecycle')?.value === 'plain',
    apply(d) {
      const k = key(d.seed, 'spec.lifecycle')!;
      const v = /: (.*)$/.exec(d.text(k.line))![1];
      setValue(d, k, v[0].toUpperCase() + v.slice(1));
      return [{ code: 'policy-lifecycle', severity: 'warning', line: k.line }];
    },
  },
  {
    name: 'tags as a scalar',
    slots: () => ['metadata.tags'],
    applies: (s) => key(s, 'metadata.tags')?.value !== 'other' && !!key(s, 'metadata.name'),
    apply(d) {
      const tags = key(d.seed, 'metadata.tags');
      if (!tags) {
        const name = key(d.seed, 'metadata.name')!;
        return [err('type', d.insertAfter(name.line, `${indentOf(d.text(name.line))}tags: java`))];
      }
      d.set(tags.line, `${indentOf(d.text(tags.line))}tags: java`);
      for (const item of d.seed.items) if (item.path.slice(0, 2).join('.') === 'metadata.tags') d.remove(item.line);
      return [err('type', tags.line)];
    },
  },
  {
    name: 'bad tag',
    slots: () => ['metadata.tags'],
    applies: (s) => s.items.some((i) => i.path.slice(0, 2).join('.') === 'metadata.tags'),
    apply(d, r) {
      const item = r.pick(d.seed.items.filter((i) => i.path.slice(0, 2).join('.') === 'metadata.tags'));
      d.set(item.line, d.text(item.line).replace(/- .*$/, '- Needs_Review'));
      return [err('tag-format', item.line)];
    },
  },
  {
    name: 'missing required spec field',
    slots: (s) => ['spec.required', ...REQUIRED_SPEC[s.kind].map((f) => `spec.${f}`)],
    kindChecks: true,
    missingIn: 'spec',
    applies: (s) => REQUIRED_SPEC[s.kind].some((f) => key(s, `spec.${f}`)?.value === 'plain') && !!key(s, 'spec'),
    apply(d, r) {
      const field = r.pick(REQUIRED_SPEC[d.seed.kind].filter((f) => key(d.seed, `spec.${f}`)?.value === 'plain'));
      d.remove(key(d.seed, `spec.${field}`)!.line);
      return [err('required', key(d.seed, 'spec')!.line)];
    },
  },
  {
    name: 'empty spec.type',
    slots: () => ['spec.type'],
    kindChecks: true,
    applies: (s) => key(s, 'spec.type')?.value === 'plain',
    apply(d) {
      const k = key(d.seed, 'spec.type')!;
      setValue(d, k, '""');
      return [err('empty', k.line)];
    },
  },
  {
    name: 'relative link URL',
    slots: () => ['metadata.links'],
    applies: (s) => s.keys.some((k) => /^metadata\.links\.\d+\.url$/.test(k.path.join('.')) && k.value === 'plain'),
    apply(d, r) {
      const k = r.pick(d.seed.keys.filter((x) => /^metadata\.links\.\d+\.url$/.test(x.path.join('.')) && x.value === 'plain'));
      setValue(d, k, 'dashboards/payments');
      return [err('link-url', k.line)];
    },
  },
  {
    name: 'bad label value',
    slots: () => ['metadata.labels'],
    applies: (s) => !!key(s, 'metadata.name') && (!key(s, 'metadata.labels') || s.keys.some((k) => k.path[1] === 'labels' && k.path.length === 3 && k.value === 'plain')),
    apply(d) {
      const label = d.seed.keys.find((k) => k.path[1] === 'labels' && k.path.length === 3 && k.value === 'plain');
      if (label) {
        setValue(d, label, '-bad-');
        return [err('label-value', label.line)];
      }
      const name = key(d.seed, 'metadata.name')!;
      const indent = indentOf(d.text(name.line));
      const at = d.insertAfter(name.line, `${indent}labels:`);
      return [err('label-value', d.insertAfter(at, `${indent}  tier: -bad-`))];
    },
  },
  {
    name: 'bad annotation key',
    slots: () => ['metadata.annotations'],
    applies: (s) => !!key(s, 'metadata.name') && key(s, 'metadata.annotations')?.value !== 'other',
    apply(d) {
      const annotations = key(d.seed, 'metadata.annotations');
      const name = key(d.seed, 'metadata.name')!;
      const indent = indentOf(d.text(name.line));
      const at = annotations ? annotations.line : d.insertAfter(name.line, `${indent}annotations:`);
      return [err('annotation-key', d.insertAfter(at, `${indent}  acme.example/team/extra: x`))];
    },
  },
  {
    name: 'unknown root key',
    slots: () => ['root.extra'],
    applies: () => true,
    apply: (d) => [err('root-unknown-key', d.append('owners: group:payments-team'))],
  },
  {
    name: 'apiVersion the kind does not accept',
    slots: () => ['apiVersion'],
    noKindChecks: true,
    applies: (s) => key(s, 'apiVersion')?.value === 'plain',
    apply(d) {
      const k = key(d.seed, 'apiVersion')!;
      setValue(d, k, 'backstage.io/v1beta3');
      return [err('kind-api-version', k.line)];
    },
  },
];

// ---------------------------------------------------------------------------------------------
// YAML faults: each on one key (or list item) line.

/** A YAML fault: a mistake that makes the document unreadable YAML. */
export interface YamlFault {
  name: string;
  code: string;
  /** Lines it can go on. */
  targets(s: Seed): KeyLine[];
  /** True when it hides a key missing from `mapping` (its own line may have been that key). */
  hidesMissingIn(t: KeyLine, mapping: string): boolean;
  /** Edits the draft; returns the id of the line the YAML problems are on. */
  apply(d: Draft, t: KeyLine): number;
}

const isEnvelope = (k: KeyLine): boolean => k.path.length === 1 && (k.path[0] === 'apiVersion' || k.path[0] === 'kind');
const parentOf = (k: KeyLine): string => k.path.slice(0, -1).join('.');
const within = (inner: string, outer: string): boolean => inner === outer || inner.startsWith(`${outer}.`);

export const YAML_FAULTS: YamlFault[] = [
  {
    name: "unquoted ': ' in a plain value",
    code: 'yaml-syntax',
    targets: (s) => s.keys.filter((k) => k.value === 'plain' && !isEnvelope(k)),
    hidesMissingIn: () => false,
    apply(d, t) {
      d.set(t.line, `${d.text(t.line)}: cards, wallets and vouchers`);
      return t.line;
    },
  },
  {
    name: "key line without ': '",
    code: 'yaml-syntax',
    // Not the first key of a list item, nor the only key of a mapping: those become plain strings, valid YAML.
    targets: (s) => s.keys.filter((k) => k.value === 'plain' && !k.item && !isEnvelope(k) && s.keys.some((o) => o !== k && parentOf(o) === parentOf(k) && o.path.length === k.path.length)),
    hidesMissingIn: (t, mapping) => parentOf(t) === mapping,
    apply(d, t) {
      d.set(t.line, d.text(t.line).replace(': ', ' '));
      return t.line;
    },
  },
  {
    name: 'tab as indentation',
    code: 'yaml-syntax',
    // Not on list item lines (the parser then reports the line above), nor on a block whose first line is
    // no deeper than its key (which lines are the block is then a guess).
    targets: (s) =>
      s.keys.filter((k) => {
        if (k.item || k.path.length < 2 || k.value === 'other') return false;
        if (k.value === 'plain') return true;
        const lines = s.text.split('\n');
        return indentOf(lines[k.line + 1] ?? '').length > indentOf(lines[k.line]).length;
      }),
    // The line's depth is unknown: it may have been a key of any mapping around it.
    hidesMissingIn: (t, mapping) => within(parentOf(t), mapping),
    apply(d, t) {
      d.set(t.line, d.text(t.line).replace(/^ +/, '\t'));
      return t.line;
    },
  },
  {
    name: 'duplicate key',
    code: 'yaml-duplicate-key',
    targets: (s) => s.keys.filter((k) => k.value === 'plain' && !k.item),
    hidesMissingIn: () => false,
    apply: (d, t) => d.insertAfter(t.line, d.text(t.line)),
  },
  {
    name: 'undefined alias',
    code: 'yaml-alias',
    targets: (s) => [...s.keys.filter((k) => k.value === 'plain' && !isEnvelope(k)), ...s.items],
    hidesMissingIn: () => false,
    apply(d, t) {
      const line = d.text(t.line);
      const last = t.path[t.path.length - 1];
      const at = typeof last === 'number' ? line.indexOf('- ') + 2 : line.indexOf(`${last}: `) + `${last}: `.length;
      d.set(t.line, `${line.slice(0, at)}*nope`);
      return t.line;
    },
  },
];

/** The slot a YAML fault on this line takes. */
export const slotOf = (t: KeyLine): string => t.path.slice(0, 2).join('.');

/** The items in a random order (Fisher-Yates, from the seeded Rng). */
export function shuffled<T>(items: readonly T[], r: Rng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = r.int(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

