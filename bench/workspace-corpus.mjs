// The large-file workspace of bench/workspace.mjs (issue 8, part 3): a catalog repository whose folder
// holds two 2,000-entity files (one clean, one with 50 injected errors), four 50-entity files, and the
// `$text` targets their APIs name. Each file's entities live in a namespace of their own, so the files
// do not define the same entities (the corpus generator names entities by their position), and every
// reference resolves inside its file. The same seed always gives the same bytes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generateCorpus, rng } from './corpus.mjs';

/** The injected errors of the broken file, each an error for Backstage and for the JSON Schema. */
const FAULTS = [
  // metadata.name with a space
  (doc) => doc.replace(/^( {2}name: )(\S+)$/m, '$1$2 copy'),
  // an upper-case tag with '_'
  (doc) => (/^ {2}tags:$/m.test(doc) ? doc.replace(/^ {2}tags:$/m, '  tags:\n    - Bad_Tag') : undefined),
  // a relative link URL
  (doc) => (/^ {4}- url: https:\/\/\S+$/m.test(doc) ? doc.replace(/^( {4}- url: )https:\/\/\S+$/m, '$1/wiki/page') : undefined),
  // an unknown root key
  (doc) => `${doc}\nstatus:\n  items: []`,
  // a Component without its lifecycle
  (doc) => (/^kind: Component$/m.test(doc) ? doc.replace(/^ {2}lifecycle: \S+\n/m, '') : undefined),
];

/** Puts every entity of a corpus text in `namespace`, and turns every tenth API definition into a `$text` target. */
function localise(text, namespace, targets, prefix) {
  let api = 0;
  return text
    .split('\n---\n')
    .map((doc) => {
      let d = doc.replace(/^metadata:\n/m, `metadata:\n  namespace: ${namespace}\n`);
      if (/^kind: API$/m.test(d) && api++ % 10 === 0) {
        const m = /^ {2}definition: \|\n((?: {4}.*\n?)+)/m.exec(d);
        const name = /^ {2}name: (\S+)$/m.exec(d)[1];
        if (m) {
          const file = `${prefix}/apis/${name}.yaml`;
          targets.set(file, m[1].replace(/^ {4}/gm, ''));
          d = d.replace(m[0], `  definition:\n    $text: ./apis/${name}.yaml${m[0].endsWith('\n') ? '\n' : ''}`);
        }
      }
      return d;
    })
    .join('\n---\n');
}

/** 0-based line of the first line matching `re` at or after `from`. */
function lineOf(lines, re, from = 0) {
  for (let i = from; i < lines.length; i++) if (re.test(lines[i])) return i;
  throw new Error(`no line matches ${re}`);
}

/** Where the benchmark edits and completes in a 2,000-entity file: in the middle Component. */
function targetIn(text, name) {
  const lines = text.split('\n');
  const nameLine = lineOf(lines, new RegExp(`^ {2}name: ${name}$`));
  const descriptionLine = lineOf(lines, /^ {2}description: /, nameLine);
  const lifecycleLine = lineOf(lines, /^ {2}lifecycle: /, nameLine);
  return { name, descriptionLine, descriptionText: lines[descriptionLine], lifecycleLine };
}

/**
 * Writes the workspace under `dir`; returns the two large files (workspace-relative) with their edit
 * targets, and the corpus's size.
 */
export function writeWorkspaceCorpus(dir, seed = 20261202) {
  const files = new Map();
  const targets = new Map();
  const big = (key, s) => {
    const c = generateCorpus(2000, s);
    return { corpus: c, text: `${localise(c.text, key, targets, 'services')}\n` };
  };
  const clean = big('clean', seed);
  const broken = big('broken', seed + 1);
  // 50 errors, spread over the file, never in the target entity.
  const docs = broken.text.split('\n---\n');
  const r = rng(seed);
  const injected = [];
  const targetDoc = docs.findIndex((d) => d.includes(`  name: ${broken.corpus.target.name}\n`));
  for (let k = 0; injected.length < 50 && k < 10_000; k++) {
    const i = Math.floor(r() * docs.length);
    if (i === targetDoc || injected.some((x) => x.doc === i)) continue;
    const fault = FAULTS[injected.length % FAULTS.length];
    const changed = fault(docs[i]);
    if (!changed || changed === docs[i]) continue;
    docs[i] = changed;
    injected.push({ doc: i, fault: injected.length % FAULTS.length });
  }
  broken.text = docs.join('\n---\n');
  files.set('services/clean.catalog-info.yaml', clean.text);
  files.set('services/broken.catalog-info.yaml', broken.text);
  for (let t = 0; t < 4; t++) files.set(`teams/team-${t}/catalog-info.yaml`, `${localise(generateCorpus(50, seed + 10 + t).text, `team-${t}`, targets, `teams/team-${t}`)}\n`);
  for (const [file, text] of targets) files.set(file, text);
  let bytes = 0;
  for (const [file, text] of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
    bytes += Buffer.byteLength(text);
  }
  return {
    clean: { file: 'services/clean.catalog-info.yaml', bytes: Buffer.byteLength(clean.text), ...targetIn(clean.text, clean.corpus.target.name) },
    broken: { file: 'services/broken.catalog-info.yaml', bytes: Buffer.byteLength(broken.text), injected: injected.length, ...targetIn(broken.text, broken.corpus.target.name) },
    files: files.size,
    textTargets: targets.size,
    bytes,
  };
}
