/**
 * The bundled golden-path templates, rendered and written by the engine (plan, policy, write) for an
 * organisation read from test/fixtures/catalog, and the checks the rendered services share: the catalog
 * check with no problem, the Dockerfile's stages, the workflow's expressions, the Kubernetes objects.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { checkCatalog, type CatalogFile } from '../../server/src/catalog/catalogCheck';
import { CatalogIndex } from '../../server/src/catalog/catalogIndex';
import { DEFAULT_POLICIES, type Policies } from '../../server/src/catalog/policies';
import { planAddition, planScaffold } from '../../server/src/scaffolding/plan';
import { findTemplate, loadTemplates } from '../../server/src/scaffolding/templates';
import type { Answers, Plan, ScaffoldContext, TemplateVersion } from '../../server/src/scaffolding/types';
import { applyPlan } from '../../server/src/scaffolding/write';

export const ROOT = resolve(__dirname, '../..');
export const TEMPLATES = join(ROOT, 'templates');
const ORG_FILES = ['org/groups.yaml', 'org/users.yaml', 'systems/catalog-info.yaml'].map((p) => join(ROOT, 'test/fixtures/catalog', p));

/** The organisation's files are the whole catalog here: a reference that resolves nowhere is a problem too. */
const POLICIES: Policies = { ...DEFAULT_POLICIES, wholeCatalog: true };

const catalogFile = (path: string, text = readFileSync(path, 'utf8')): CatalogFile => ({ uri: pathToFileURL(path).href, path, text, policies: POLICIES });

/** Every problem the catalog check finds in `path` (its own and across the catalog), checked with the organisation's files, in words. */
export function catalogProblems(path: string): string[] {
  const checked = checkCatalog([...ORG_FILES.map((p) => catalogFile(p)), catalogFile(path)], { describeUri: (u) => u, knownWhole: true });
  const mine = checked[checked.length - 1];
  const text = mine.file.text;
  return [...mine.analysis.documents.flatMap((d) => d.problems), ...mine.cross].map((p) => {
    const line = text.slice(0, p.start).split('\n').length;
    return `${p.severity} ${p.code} line ${line}: ${p.message}`;
  });
}

/** The engine's context: the bundled templates, the organisation's catalog, and alice (payments-team) asking. */
export function context(identity = 'alice@example.com'): ScaffoldContext {
  const { templates, problems } = loadTemplates([{ path: TEMPLATES, origin: 'bundled' }]);
  assert.deepEqual(problems, [], 'the bundled templates load with no problem');
  const catalog = new CatalogIndex();
  checkCatalog(ORG_FILES.map((p) => catalogFile(p)), { describeUri: (u) => u, knownWhole: true, index: catalog });
  return { catalog, policies: DEFAULT_POLICIES, identity, templates, now: () => new Date('2026-12-03T10:00:00Z') };
}

/** A bundled template's version; its latest when no version is given. */
export function template(ctx: ScaffoldContext, id: string, version?: string): TemplateVersion {
  const v = findTemplate(ctx.templates, id, version);
  assert.ok(v, `template ${id}@${version ?? 'latest'} is bundled`);
  return v;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `paved-road-${prefix}-`));
}

/** Plans and writes a new service under `parent` (the template's latest version unless given); fails on any violation. */
export function scaffold(ctx: ScaffoldContext, id: string, answers: Answers, parent: string, version?: string): Plan {
  const plan = planScaffold(ctx, template(ctx, id, version), answers, parent);
  assert.deepEqual(plan.violations, [], `${id}: no policy violation`);
  applyPlan(ctx, plan, []);
  return plan;
}

/** Plans and writes an addition to the service in `dir`; fails on any violation. */
export function add(ctx: ScaffoldContext, id: string, answers: Answers, dir: string): Plan {
  const plan = planAddition(ctx, template(ctx, id), answers, dir);
  assert.deepEqual(plan.violations, [], `${id}: no policy violation`);
  applyPlan(ctx, plan, []);
  return plan;
}

/** Every file under `dir`, relative, `/`-separated, sorted (node_modules and .git left out). */
export function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === '.git') continue;
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(dir, rel));
    else out.push(rel);
  }
  return out.sort();
}

/** The instructions of a Dockerfile: continuation lines joined, comments and blank lines left out. */
export function dockerInstructions(text: string): { op: string; args: string }[] {
  const out: { op: string; args: string }[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!pending && (line === '' || line.startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const full = pending + line;
    pending = '';
    const m = /^(\S+)\s*(.*)$/.exec(full);
    if (m) out.push({ op: m[1].toUpperCase(), args: m[2] });
  }
  return out;
}

/** The build stages of a Dockerfile: each FROM's image and alias, with the instructions of its stage. */
export function dockerStages(text: string): { image: string; alias?: string; instructions: { op: string; args: string }[] }[] {
  const stages: { image: string; alias?: string; instructions: { op: string; args: string }[] }[] = [];
  for (const ins of dockerInstructions(text)) {
    if (ins.op === 'FROM') {
      const m = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args);
      assert.ok(m, `FROM ${ins.args}`);
      stages.push({ image: m[1], alias: m[2], instructions: [] });
    } else {
      assert.ok(stages.length || ins.op === 'ARG', `${ins.op} before the first FROM`);
      stages.at(-1)?.instructions.push(ins);
    }
  }
  return stages;
}

/** The documents of a YAML file, as plain data. */
export function yamlDocs(path: string): Record<string, any>[] {
  return parseAllDocuments(readFileSync(path, 'utf8')).map((d) => {
    assert.deepEqual(d.errors, [], `${path} is valid YAML`);
    return d.toJS() as Record<string, any>;
  });
}

/** Every `${{ … }}` GitHub Actions expression of a text, in order. */
export const actionsExpressions = (text: string): string[] => text.match(/\$\{\{[\s\S]*?\}\}/g) ?? [];
