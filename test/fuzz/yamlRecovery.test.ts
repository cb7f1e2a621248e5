/**
 * Mutation test: a YAML error does not hide a document's other problems (issue 8).
 *
 * Seeds are the valid Components, APIs and Groups of the demo and the test fixtures. Faults are edits of
 * one line (or the insertion of one), each with the problems it must give, written down in yamlFaults.ts
 * from what the fault is (code, severity, line), never computed by the engine:
 *   - independent faults: a name with a space, a bad namespace, lifecycle casing against the policy, tags
 *     as a scalar, a bad tag, a missing required spec field, an empty spec.type, a relative link URL, a bad
 *     label value, a bad annotation key, an unknown root key, an apiVersion the kind does not accept;
 *   - YAML faults: an unquoted `: ` in a plain value, a key line that lost its `: `, a tab as indentation,
 *     a duplicate key, an undefined alias. Their problems are today's YAML problems: all with the fault's
 *     code, the first on the fault's line, and exactly what the YAML layer (`parseChunk`) reports.
 *
 * Checked: (1) every fault alone gives exactly its problems; (2) a YAML fault plus N random independent
 * faults on other lines gives exactly the YAML problems plus the N faults' problems, and the document is
 * invalid. Faults that one blanked line may legitimately hide are never combined: a key missing from the
 * mapping a lost key line belongs to, kind-dependent checks with an apiVersion the kind does not accept.
 * A failure shows the seed, the case, the faults and the numbered document.
 *
 *   node --import tsx --test test/fuzz/yamlRecovery.test.ts
 *   RECOVERY_SEED=7 RECOVERY_CASES=3000 node --import tsx --test test/fuzz/yamlRecovery.test.ts   another run
 *   RECOVERY_SEED=7 RECOVERY_CASE=123 node --import tsx --test test/fuzz/yamlRecovery.test.ts     replay one case
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeText } from '../../server/src/catalog/analyze';
import type { Problem, Severity } from '../../server/src/catalog/types';
import { parseChunk } from '../../server/src/catalog/yamlDocument';
import { caseSeed, Rng } from './mutators';
import { Draft, FAULTS, KINDS, loadSeeds, shuffled, slotOf, YAML_FAULTS, type Expected, type Fault } from './yamlFaults';

const SEED = Number(process.env.RECOVERY_SEED ?? 20240817) | 0;
const CASES = Number(process.env.RECOVERY_CASES ?? 800);

// ---------------------------------------------------------------------------------------------
// Checking.

/** `line code severity` per problem, sorted, for comparison and for the failure message. */
const summary = (items: { line: number; code: string; severity: Severity }[]): string[] => items.map((p) => `${p.line + 1} ${p.code} ${p.severity}`).sort();

function lineAt(text: string, offset: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

interface Case {
  title: string;
  draft: Draft;
  expected: Expected[];
  /** The YAML fault's code and the id of its line. */
  yaml?: { code: string; line: number };
}

function check(c: Case): void {
  const text = c.draft.toString();
  const fail = (why: string, got: Problem[]): never => {
    const shown = got.map((p) => `  ${lineAt(text, p.start) + 1} ${p.code} ${p.severity} ${JSON.stringify(text.slice(p.start, p.end))}: ${p.message}`).join('\n');
    const numbered = text.split('\n').map((l, i) => `${String(i + 1).padStart(3)}| ${l}`).join('\n');
    assert.fail(`${c.title}\n${why}\nexpected:\n  ${summary(c.expected.map((e) => ({ ...e, line: c.draft.lineOf(e.line) }))).join('\n  ')}\ngot:\n${shown}\ndocument (${c.draft.seed.file}):\n${numbered}`);
  };
  const docs = analyzeText(text, { path: c.draft.seed.path }).documents;
  if (docs.length !== 1) fail(`${docs.length} documents`, []);
  const { problems, valid } = docs[0];
  for (let i = 1; i < problems.length; i++) if (problems[i].start < problems[i - 1].start) fail('problems are not in offset order', problems);
  const yaml = problems.filter((p) => p.code.startsWith('yaml-'));
  const rest = problems.filter((p) => !p.code.startsWith('yaml-'));
  if (c.yaml) {
    const line = c.draft.lineOf(c.yaml.line);
    // A tab can make the parser misread the lines after it too, so only the first is on the fault's line.
    if (!yaml.length || lineAt(text, yaml[0].start) !== line || yaml.some((p) => p.code !== c.yaml?.code)) fail(`the YAML problems must be ${c.yaml.code}, from line ${line + 1}`, problems);
    // Exactly as the YAML layer reports them, which this change leaves alone.
    assert.deepEqual(yaml, parseChunk({ start: 0, end: text.length, line: 0, text }).problems, c.title);
    if (valid) fail('a document with a YAML error must be invalid', problems);
  } else if (yaml.length) {
    fail('no YAML problem expected', problems);
  }
  const want = summary(c.expected.map((e) => ({ ...e, line: c.draft.lineOf(e.line) })));
  const got = summary(rest.map((p) => ({ line: lineAt(text, p.start), code: p.code, severity: p.severity })));
  if (JSON.stringify(want) !== JSON.stringify(got)) fail('other problems differ', problems);
  if (!c.yaml && valid !== !c.expected.some((e) => e.severity === 'error')) fail(`valid is ${valid}`, problems);
}

const seeds = loadSeeds();

describe('a YAML error does not hide the other problems', () => {
  it('has seeds of every kind', () => {
    for (const kind of KINDS) assert.ok(seeds.filter((s) => s.kind === kind).length >= 3, `seeds of kind ${kind}: ${seeds.filter((s) => s.kind === kind).length}`);
  });

  it('every independent fault alone gives exactly its problems', () => {
    const rng = new Rng(SEED);
    for (const seed of seeds) {
      for (const f of FAULTS) {
        if (!f.applies(seed)) continue;
        const draft = new Draft(seed);
        check({ title: `seed ${SEED}: ${f.name} in ${seed.file}`, draft, expected: f.apply(draft, rng) });
      }
    }
  });

  it('every YAML fault alone gives exactly the YAML problems of today', () => {
    for (const seed of seeds) {
      for (const y of YAML_FAULTS) {
        for (const t of y.targets(seed)) {
          const draft = new Draft(seed);
          const line = y.apply(draft, t);
          check({ title: `${y.name} on ${t.path.join('.')} in ${seed.file}`, draft, expected: [], yaml: { code: y.code, line } });
        }
      }
    }
  });

  it('a YAML fault plus N independent faults gives all N + 1', () => {
    const only = process.env.RECOVERY_CASE === undefined ? undefined : Number(process.env.RECOVERY_CASE);
    /** Cases with two or more independent faults, per YAML fault: each class must be exercised. */
    const covered = new Map<string, number>();
    for (let i = only ?? 0; i < (only === undefined ? CASES : only + 1); i++) {
      const r = new Rng(caseSeed(SEED, i));
      const seed = r.pick(seeds);
      const y = r.pick(YAML_FAULTS);
      const targets = y.targets(seed);
      if (!targets.length) continue;
      const t = r.pick(targets);
      const taken = new Set([slotOf(t)]);
      const chosen: Fault[] = [];
      const want = r.range(1, 4);
      for (const f of shuffled(FAULTS, r)) {
        if (chosen.length === want) break;
        if (!f.applies(seed) || f.slots(seed).some((s) => taken.has(s))) continue;
        if (f.missingIn && y.hidesMissingIn(t, f.missingIn)) continue;
        if ((f.kindChecks && chosen.some((g) => g.noKindChecks)) || (f.noKindChecks && chosen.some((g) => g.kindChecks))) continue;
        chosen.push(f);
        for (const s of f.slots(seed)) taken.add(s);
      }
      const draft = new Draft(seed);
      const expected = chosen.flatMap((f) => f.apply(draft, r));
      const line = y.apply(draft, t);
      const title = `seed ${SEED}, case ${i} (RECOVERY_SEED=${SEED} RECOVERY_CASE=${i}): ${y.name} on ${t.path.join('.')} + ${chosen.map((f) => f.name).join(', ')}`;
      check({ title, draft, expected, yaml: { code: y.code, line } });
      if (chosen.length >= 2) covered.set(y.name, (covered.get(y.name) ?? 0) + 1);
    }
    if (only === undefined && CASES >= 200) for (const y of YAML_FAULTS) assert.ok((covered.get(y.name) ?? 0) >= 10, `${y.name}: ${covered.get(y.name) ?? 0} cases with 2+ faults`);
  });
});
