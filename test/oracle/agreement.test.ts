/**
 * "Same verdict as Backstage": for every document of the corpus, the engine's valid/invalid verdict
 * must equal the Backstage oracle's (./backstageOracle.ts, built from Backstage's released code).
 *
 * Comparison rules:
 *   - Files without a YAML error: every non-empty oracle document is compared with the engine document of
 *     the same docIndex (`valid` = no problem of severity error; warnings do not count). An engine document
 *     with an error where Backstage ignores the document (empty, comment-only, `null`) is a disagreement too.
 *   - Files with a YAML error: Backstage rejects the whole file (the location fails, no entity of it is
 *     stored), while the engine reports per document. So only the document(s) that contain the YAML error
 *     are compared: at least one engine document overlapping an oracle document with a YAML error must be
 *     invalid. The other documents of such a file are not compared (any per-document verdict is consistent
 *     with "the whole file is rejected"). Overlap rather than docIndex, because an unclosed quote makes
 *     the YAML parser swallow the following `---` separators, and the engine may split documents the way the
 *     user meant them.
 *
 * Set ORACLE_REPORT=/some/file.json to also write every disagreement as JSON.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { analyzeText } from '../../server/src/catalog/analyze';
import type { DocumentAnalysis } from '../../server/src/catalog/types';
import { judgeText, type OracleDocument, type OracleFile } from './backstageOracle';
import { buildCorpus, casePath, KINDS, type CorpusCase } from './corpus';

interface Disagreement {
  id: string;
  docIndex: number;
  description: string;
  file: string;
  text: string;
  oracle: string;
  engine: string;
}

interface Judged {
  c: CorpusCase;
  oracle: OracleFile;
  engine: DocumentAnalysis[];
}

function engineValid(d: DocumentAnalysis): boolean {
  return !d.problems.some((p) => p.severity === 'error');
}

function describeEngine(d: DocumentAnalysis | undefined, text: string): string {
  if (!d) return 'no such document';
  const verdict = d.empty ? 'EMPTY' : engineValid(d) ? 'VALID' : 'INVALID';
  const problems = d.problems.map((p) => `[${p.severity} ${p.code} @${JSON.stringify(text.slice(p.start, p.end)).slice(0, 40)}] ${p.message}`);
  return problems.length ? `${verdict}: ${problems.join(' | ')}` : verdict;
}

function describeOracle(d: OracleDocument | undefined): string {
  if (!d || d.empty) return 'EMPTY (ignored by Backstage)';
  return d.valid ? 'VALID' : `INVALID (${d.stage}): ${(d.reason ?? '').replace(/ To learn more about catalog file format.*$/s, '')}`;
}

let judged: Promise<Judged[]> | undefined;
/** Judges the whole corpus once, with both the oracle and the engine. */
function judgeAll(): Promise<Judged[]> {
  judged ??= (async () => {
    const out: Judged[] = [];
    for (const c of buildCorpus()) {
      const path = casePath(c);
      const oracle = await judgeText(c.text, { path });
      const engine = analyzeText(c.text, { path }).documents;
      out.push({ c, oracle, engine });
    }
    return out;
  })();
  return judged;
}

function overlaps(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start < b.end && b.start < a.end;
}

function compare({ c, oracle, engine }: Judged): Disagreement[] {
  const out: Disagreement[] = [];
  const base = { id: c.id, description: c.description, file: c.file ?? 'catalog-info.yaml', text: c.text };
  const yamlErrorDocs = oracle.documents.filter((d) => d.yamlError);
  if (yamlErrorDocs.length) {
    for (const od of yamlErrorDocs) {
      const near = engine.filter((ed) => overlaps(od, ed) || (od.start === od.end && ed.start <= od.start && od.start <= ed.end));
      if (!near.some((ed) => !ed.empty && !engineValid(ed))) {
        out.push({
          ...base,
          docIndex: od.docIndex,
          oracle: describeOracle(od),
          engine: near.length ? near.map((ed) => `#${ed.docIndex} ${describeEngine(ed, c.text)}`).join(' || ') : 'no overlapping document',
        });
      }
    }
    return out;
  }
  const byIndex = new Map(engine.map((d) => [d.docIndex, d]));
  for (const od of oracle.documents) {
    if (od.empty) continue;
    const ed = byIndex.get(od.docIndex);
    if (!ed || ed.empty || engineValid(ed) !== od.valid) {
      out.push({ ...base, docIndex: od.docIndex, oracle: describeOracle(od), engine: describeEngine(ed, c.text) });
    }
  }
  const oracleByIndex = new Map(oracle.documents.map((d) => [d.docIndex, d]));
  for (const ed of engine) {
    const od = oracleByIndex.get(ed.docIndex);
    if ((!od || od.empty) && !ed.empty && !engineValid(ed)) {
      out.push({ ...base, docIndex: ed.docIndex, oracle: describeOracle(od), engine: describeEngine(ed, c.text) });
    }
  }
  return out;
}

test('the corpus is large enough and covers every kind with both verdicts', async () => {
  const all = await judgeAll();
  const docs = all.flatMap((j) => j.oracle.documents.filter((d) => !d.empty));
  assert.ok(docs.length >= 500, `only ${docs.length} non-empty documents`);
  const valid = docs.filter((d) => d.valid).length;
  assert.ok(valid >= docs.length * 0.35 && valid <= docs.length * 0.65, `verdicts are unbalanced: ${valid} valid of ${docs.length}`);
  for (const kind of KINDS) {
    const ofKind = docs.filter((d) => d.kind === kind && (kind !== 'Template' || d.apiVersion === 'scaffolder.backstage.io/v1beta3'));
    assert.ok(ofKind.some((d) => d.valid), `no valid ${kind} document`);
    assert.ok(ofKind.some((d) => !d.valid), `no invalid ${kind} document`);
  }
});

test('the engine says `valid` exactly when it reports no error', async () => {
  const bad: string[] = [];
  for (const { c, engine } of await judgeAll()) {
    for (const d of engine) if (d.valid !== engineValid(d)) bad.push(`${c.id}#${d.docIndex}: valid=${d.valid} but problems=${JSON.stringify(d.problems)}`);
  }
  assert.deepEqual(bad, []);
});

test('the engine gives the same verdict as Backstage on every corpus document', async () => {
  const all = await judgeAll();
  const disagreements = all.flatMap(compare);
  if (process.env.ORACLE_REPORT) writeFileSync(process.env.ORACLE_REPORT, JSON.stringify(disagreements, null, 2));
  if (disagreements.length) {
    const compared = all.reduce((n, j) => n + j.oracle.documents.filter((d) => !d.empty).length, 0);
    const lines = [`${disagreements.length} of ${compared} documents disagree with Backstage:`];
    for (const d of disagreements) {
      lines.push(
        '',
        `● ${d.id}#${d.docIndex} — ${d.description}${d.file !== 'catalog-info.yaml' ? ` (judged as fixtures/${d.file})` : ''}`,
        `  Backstage: ${d.oracle}`,
        `  engine:    ${d.engine}`,
        ...d.text.split('\n').map((l) => `    | ${l}`),
      );
    }
    assert.fail(lines.join('\n'));
  }
});
