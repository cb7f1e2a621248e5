/**
 * Planning: render the files, check the policy, and compare with the disk, before anything is written.
 * Each file is `new`, `same`, `changed` (there and different: writing it needs consent) or `edit` (an
 * in-place edit an addition makes to catalog-info.yaml or answers.yaml). A path that is unsafe (an answer
 * like `../../etc`, a symlink leading out) is a violation, never a write.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ANSWERS_FILE, answersText, fileHash, readAnswers } from './answers';
import { addDependsOn, appendEntity } from './catalogEdit';
import { within } from './paths';
import { actorOf, checkPolicy, entityRef, fullRef } from './policy';
import { renderEdits, renderPath, renderTemplate, viewOf } from './render';
import { ScaffoldError, type Answers, type AnswersRecord, type Plan, type PlannedFile, type RenderedFile, type ScaffoldContext, type TemplateVersion, type Violation } from './types';

/** The answers to plan with: the given ones, the defaults of the others, and catalog answers as full refs. */
export function prepareAnswers(v: TemplateVersion, given: Answers): Answers {
  const answers: Answers = { ...given };
  for (const p of v.parameters) {
    if (answers[p.name] === undefined && p.default !== undefined) answers[p.name] = structuredClone(p.default);
    const value = answers[p.name];
    if (p.catalog && typeof value === 'string' && value) answers[p.name] = fullRef(value, p.catalog.kinds[0]) ?? value;
  }
  return answers;
}

/** The origin as answers.yaml records it: bundled, workspace, or folder:<path>. */
export function originLabel(v: TemplateVersion): string {
  return v.origin === 'folder' ? `folder:${v.root}` : v.origin;
}

/** A new service from a template of type service, in a folder (the manifest's `target`, default the name) under `parentDir`. */
export function planScaffold(ctx: ScaffoldContext, v: TemplateVersion, given: Answers, parentDir: string): Plan {
  if (v.manifest.type !== 'service') throw new ScaffoldError(`${v.manifest.id} is an addition: apply it to an existing service (add), not as a new one`);
  const answers = prepareAnswers(v, given);
  const plan = basePlan(ctx, v, answers, 'scaffold', resolve(parentDir));
  plan.violations.push(...checkPolicy(ctx, v, answers));
  const rendered = renderSafely(plan, () => {
    plan.target = join(resolve(parentDir), renderPath(v.manifest.target ?? '{{name}}', viewOf(v, answers)));
    return renderTemplate(v, answers);
  });
  if (!rendered) return plan;
  const record: AnswersRecord = { template: v.manifest.id, version: v.manifest.version, origin: originLabel(v), answers, files: hashes(rendered) };
  plan.files = compare(plan, [...rendered, { path: ANSWERS_FILE, content: answersText(record) }]);
  return plan;
}

/** An addition to the service in `serviceDir`: its files, its catalog-info.yaml edits, and its record in answers.yaml. */
export function planAddition(ctx: ScaffoldContext, v: TemplateVersion, given: Answers, serviceDir: string): Plan {
  if (v.manifest.type !== 'addition') throw new ScaffoldError(`${v.manifest.id} makes a new service: scaffold it, it is not an addition`);
  const dir = resolve(serviceDir);
  const catalogName = ['catalog-info.yaml', 'catalog-info.yml'].find((n) => existsSync(join(dir, n)));
  if (!catalogName) throw new ScaffoldError(`${dir} has no catalog-info.yaml: apply additions to a service folder`);
  const catalogText = readFileSync(join(dir, catalogName), 'utf8');
  const component = parseAllDocuments(catalogText)
    .map((d) => d.toJS() as { kind?: unknown; metadata?: { name?: unknown }; spec?: Record<string, unknown> } | null)
    .find((d) => d?.kind === 'Component');
  if (!component) throw new ScaffoldError(`${join(dir, catalogName)} has no Component: apply additions to a service`);
  const owner = typeof component.spec?.owner === 'string' ? component.spec.owner : undefined;

  // Parameters named after the service's fields default to the service's values (`service` is its name).
  const fromService: Answers = { service: component.metadata?.name, owner, system: component.spec?.system, lifecycle: component.spec?.lifecycle };
  const answers = prepareAnswers(v, { ...Object.fromEntries(v.parameters.filter((p) => typeof fromService[p.name] === 'string').map((p) => [p.name, fromService[p.name]])), ...given });
  const plan = basePlan(ctx, v, answers, 'add', dir);
  plan.violations.push(...checkPolicy(ctx, v, answers, { serviceDir: dir, owner: owner ?? '' }));
  const rendered = renderSafely(plan, () => renderTemplate(v, answers));
  const edits = renderSafely(plan, () => renderEdits(v, answers));
  if (!rendered || !edits) return plan;

  let text: string | undefined = catalogText;
  for (const ref of edits.dependsOn) text = addDependsOn(text, ref) ?? text;
  for (const e of edits.entities) {
    for (const d of parseAllDocuments(e.text)) {
      const ref = entityRef(d.toJS() as unknown);
      if (!ref) throw new ScaffoldError(`${e.path} does not render to an entity (kind and metadata.name)`);
      text = appendEntity(text, d.toString({ lineWidth: 0 }), ref) ?? text;
    }
  }
  const files = compare(plan, rendered);
  if (text !== catalogText) files.push({ path: catalogName, state: 'edit', content: text });

  const record = readAnswers(dir);
  if (record) {
    const entry = { template: v.manifest.id, version: v.manifest.version, origin: originLabel(v), answers, files: hashes(rendered) };
    const additions = (record.additions ?? []).filter((a) => !(a.template === entry.template && sameName(a.answers, answers)));
    const next: AnswersRecord = { ...record, additions: [...additions, entry] };
    const content = answersText(next);
    if (content !== readFileSync(join(dir, ANSWERS_FILE), 'utf8')) files.push({ path: ANSWERS_FILE, state: 'edit', content });
  }
  plan.files = files;
  return plan;
}

function basePlan(ctx: ScaffoldContext, v: TemplateVersion, answers: Answers, action: Plan['action'], target: string): Plan {
  const actor = actorOf(ctx.catalog, ctx.policies, ctx.identity);
  return {
    action,
    template: v.manifest.id,
    version: v.manifest.version,
    origin: v.origin,
    root: v.root,
    answers,
    target,
    files: [],
    violations: [] as Violation[],
    who: ctx.identity,
    role: actor.role,
    audited: actor.policy?.audited === true,
  };
}

/** Runs a rendering step; an unsafe path or a template that cannot render becomes a violation. */
function renderSafely<T>(plan: Plan, f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof ScaffoldError)) throw e;
    plan.violations.push({ rule: 'unsafe-path', message: `${e.message}: change the answers so that every file stays inside the target folder` });
    return undefined;
  }
}

function hashes(files: RenderedFile[]): Record<string, string> {
  return Object.fromEntries(files.map((f) => [f.path, fileHash(f.content, f.encoding)]));
}

/** Each file against the disk: new, same or changed; a path leading out of the target (a symlink) is a violation. */
function compare(plan: Plan, files: RenderedFile[]): PlannedFile[] {
  const out: PlannedFile[] = [];
  for (const f of files) {
    const abs = join(plan.target, f.path);
    if (!within(plan.target, abs)) {
      plan.violations.push({ rule: 'unsafe-path', message: `${f.path} would be written through a symlink that leads outside ${plan.target}: remove the symlink` });
      continue;
    }
    let state: PlannedFile['state'] = 'new';
    if (existsSync(abs)) {
      let same = false;
      try {
        same = readFileSync(abs).equals(f.encoding === 'base64' ? Buffer.from(f.content, 'base64') : Buffer.from(f.content, 'utf8'));
      } catch {
        same = false; // a folder where the file goes: writing it fails, and says so
      }
      state = same ? 'same' : 'changed';
    }
    out.push({ path: f.path, state, content: f.content, ...(f.executable ? { executable: true } : {}), ...(f.encoding ? { encoding: f.encoding } : {}) });
  }
  return out;
}

function sameName(a: Answers, b: Answers): boolean {
  return a.name === undefined || b.name === undefined ? JSON.stringify(a) === JSON.stringify(b) : a.name === b.name;
}
