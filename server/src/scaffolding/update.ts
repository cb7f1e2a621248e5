/**
 * Template updates: which services were made from an older template version (drift), and the update
 * of one service to a newer version by a three-way merge of each file (merge.ts): base = the recorded
 * version rendered with the recorded answers, theirs = the new version rendered with the answers and
 * the new ones, ours = the service on disk. Clean merges are written, conflicts are written with
 * markers, new template files are added, files the template removed and files the user deleted are
 * reported and left as they are. `.paved-road/answers.yaml` is rewritten last, only when every file
 * was written; then one audit line.
 */
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { dirname, join } from 'node:path';
import { SKIPPED_FOLDERS } from '../catalog/files';
import { tempBeside } from '../sources/atomicFile';
import { ANSWERS_FILE, appendAudit, fileHash, readAnswers, writeAnswers } from './answers';
import { matchLines, merge3 } from './merge';
import { resolveInside } from './paths';
import { originLabel, prepareAnswers } from './plan';
import { actorOf, checkPolicy } from './policy';
import { renderTemplate } from './render';
import { compareVersions, findTemplate } from './templates';
import { ScaffoldError, type Answers, type AnswersRecord, type RenderedFile, type ScaffoldContext, type TemplateParameter, type TemplateVersion, type Violation } from './types';

/** A service made from a template: its folder and its answers file. */
export interface ServiceRecord {
  dir: string;
  record: AnswersRecord;
}

/** How one file of a service's template differs between the recorded version and a newer one. */
export interface FileDrift {
  path: string;
  state: 'added' | 'removed' | 'changed';
  /** Lines added and removed (+n −m). */
  added: number;
  removed: number;
}

/** A service whose template has a newer version. */
export interface Drift {
  dir: string;
  template: string;
  version: string;
  latest: string;
  files: FileDrift[];
  /** The `changes` text of each version after the recorded one, newest first. */
  changes: { version: string; text: string }[];
  /** New required parameters with no default: the update asks for them. */
  missing: string[];
  /** Why the service cannot be compared or updated (its answers file, its template or version is not there, ...); then latest is ''. */
  problem?: string;
}

/** What an update does to one file. */
export interface UpdateFile {
  path: string;
  /**
   * `unchanged`: nothing to write; `clean`: merged without conflicts; `conflict`: merged with conflict
   * markers; `added`: a new template file; `removed-by-template`: the new version has no such file (kept);
   * `deleted-by-you`: the template still has it, you deleted it (not recreated).
   */
  state: 'unchanged' | 'clean' | 'conflict' | 'added' | 'removed-by-template' | 'deleted-by-you';
  /** What is written (clean, conflict, added); none for a conflict of a binary file (yours kept). */
  content?: string;
  /** As RenderedFile.encoding: base64 bytes that are not text. */
  encoding?: 'base64';
  /** The hash of the file on disk when planned (undefined: no file), to refuse a file changed since. */
  oursHash?: string;
  /** The conflict hunks left in the text. */
  conflicts?: number;
  /** A binary file both you and the template changed: yours is kept, the template's is not merged. */
  binary?: boolean;
  executable?: boolean;
}

export interface UpdatePlan {
  dir: string;
  template: string;
  from: string;
  to: string;
  origin: string;
  /** The recorded answers, the new parameters' defaults, and the answers given now. */
  answers: Answers;
  /** Recorded answers to parameters the new version no longer has: not kept. */
  dropped: string[];
  /** New required parameters without an answer or a default: ask, then plan again with them. */
  missing: TemplateParameter[];
  violations: Violation[];
  files: UpdateFile[];
  /** The new version's rendered files and their hashes, for the answers file. */
  hashes: Record<string, string>;
  /** The `changes` text of each version after the recorded one up to the target, newest first. */
  changes: { version: string; text: string }[];
}

export interface UpdateResult {
  written: string[];
  /** Files left with conflict markers (and binary files both sides changed, yours kept). */
  conflicts: string[];
}

/** Every `.paved-road/answers.yaml` under the roots (skipping node_modules, .git, …), in path order; those that cannot be read go to `unreadable`. */
export function findServices(roots: string[], unreadable: { dir: string; problem: string }[] = []): ServiceRecord[] {
  const out: ServiceRecord[] = [];
  const seen = new Set<string>();
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    if (entries.some((e) => e.name === '.paved-road' && e.isDirectory()) && !seen.has(dir)) {
      seen.add(dir);
      try {
        const record = readAnswers(dir);
        if (record) out.push({ dir, record });
      } catch (e) {
        unreadable.push({ dir, problem: (e as Error).message });
      }
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.isDirectory() && !SKIPPED_FOLDERS.has(e.name) && e.name !== '.paved-road') walk(join(dir, e.name));
    }
  };
  for (const root of roots) walk(root);
  return out;
}

/**
 * The services under the roots whose template has a version newer than the recorded one, with what
 * changed; and, with a `problem`, those that cannot be compared (nothing is left out silently).
 */
export function drift(ctx: ScaffoldContext, roots: string[]): Drift[] {
  const out: Drift[] = [];
  const unreadable: { dir: string; problem: string }[] = [];
  for (const { dir, record } of findServices(roots, unreadable)) {
    const { template: id, version } = record;
    const template = ctx.templates.find((t) => t.id === id);
    const old = template?.versions.find((v) => v.manifest.version === version);
    const newest = template?.versions[0];
    const d: Drift = { dir, template: id, version, latest: '', files: [], changes: [], missing: [] };
    if (!template || !newest) d.problem = `the template ${id} is not among the templates`;
    else if (compareVersions(newest.manifest.version, version) <= 0) continue;
    else if (!old) d.problem = `version ${version} of ${id} is no longer there (it has ${template.versions.map((v) => v.manifest.version).join(', ')}), so the update cannot tell your changes from the template's`;
    else {
      try {
        const { answers, missing } = answersFor(newest, record.answers);
        const before = byPath(renderTemplate(old, record.answers));
        const after = byPath(renderTemplate(newest, answers));
        for (const path of [...new Set([...before.keys(), ...after.keys()])].sort()) {
          const a = before.get(path);
          const b = after.get(path);
          if (a?.content === b?.content) continue;
          d.files.push({ path, state: !a ? 'added' : !b ? 'removed' : 'changed', ...lineCounts(a?.content ?? '', b?.content ?? '') });
        }
        d.latest = newest.manifest.version;
        d.changes = changesBetween(template.versions, version, d.latest);
        d.missing = missing.map((p) => p.name);
      } catch (e) {
        d.files = [];
        d.problem = (e as Error).message;
      }
    }
    out.push(d);
  }
  for (const u of unreadable) out.push({ dir: u.dir, template: '', version: '', latest: '', files: [], changes: [], missing: [], problem: u.problem });
  return out.sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
}

/**
 * Plans the update of the service in `dir` to `to` (default: the latest version). Nothing is written.
 * With `missing` parameters the plan has no files: ask for them and plan again with `extraAnswers`.
 */
export function planUpdate(ctx: ScaffoldContext, dir: string, to?: string, extraAnswers: Answers = {}): UpdatePlan {
  const record = readAnswers(dir);
  if (!record) throw new ScaffoldError(`${dir} has no ${ANSWERS_FILE}: it was not made from a template`);
  const template = ctx.templates.find((t) => t.id === record.template);
  if (!template) throw new ScaffoldError(`the template ${record.template} of ${dir} is not among the templates`);
  const old = findTemplate(ctx.templates, record.template, record.version);
  if (!old) throw new ScaffoldError(`version ${record.version} of the template ${record.template} (recorded in ${ANSWERS_FILE}) is not among its versions: ${template.versions.map((v) => v.manifest.version).join(', ')}`);
  const target = to ? findTemplate(ctx.templates, record.template, to) : template.versions[0];
  if (!target) throw new ScaffoldError(`the template ${record.template} has no version ${to}: it has ${template.versions.map((v) => v.manifest.version).join(', ')}`);
  const toVersion = target.manifest.version;
  if (compareVersions(toVersion, record.version) < 0) throw new ScaffoldError(`${dir} is at version ${record.version} of ${record.template}; ${toVersion} is older`);
  // Recorded answers to parameters the version no longer has are dropped (and listed); answers given now are kept, to be checked.
  const names = new Set(target.parameters.map((p) => p.name));
  const dropped = Object.keys(record.answers).filter((k) => !names.has(k) && !(k in extraAnswers));
  const kept = Object.fromEntries(Object.entries(record.answers).filter(([k]) => !dropped.includes(k)));
  const { answers, missing } = answersFor(target, { ...kept, ...extraAnswers });
  const plan: UpdatePlan = { dir, template: record.template, from: record.version, to: toVersion, origin: originLabel(target), answers, dropped, missing, violations: [], files: [], hashes: {}, changes: changesBetween(template.versions, record.version, toVersion) };
  if (missing.length) return plan;
  // The service itself is in the catalog under its name: that is not a name taken by another.
  plan.violations = checkPolicy(ctx, target, answers).filter((v) => v.rule !== 'name-taken');
  const base = byPath(renderTemplate(old, record.answers));
  const theirs = byPath(renderTemplate(target, answers));
  for (const [path, f] of theirs) plan.hashes[path] = fileHash(f.content, f.encoding);
  const labels = { ours: 'yours', base: `template ${record.version}`, theirs: `template ${toVersion}` };
  for (const path of [...new Set([...base.keys(), ...theirs.keys()])].sort()) {
    const b = base.get(path);
    const t = theirs.get(path);
    const bytes = readOurs(dir, path);
    const oursHash = bytes && fileHash(bytes.toString('base64'), 'base64');
    if (!t) {
      // Removed by the template: reported when the file is still there, never deleted.
      if (bytes) plan.files.push({ path, state: 'removed-by-template', oursHash });
      continue;
    }
    if (!bytes) {
      plan.files.push(b ? { path, state: 'deleted-by-you' } : { path, state: 'added', content: t.content, encoding: t.encoding, executable: t.executable });
      continue;
    }
    if (t.encoding || b?.encoding || !isUtf8(bytes)) {
      // Bytes that are not text (the template's or yours): taken when you left yours as the template made it, else yours kept and reported.
      const same = (f: RenderedFile | undefined): boolean => !!f && bytesOf(f).equals(bytes);
      if (same(t) || (b && bytesOf(b).equals(bytesOf(t)))) plan.files.push({ path, state: 'unchanged', oursHash });
      else if (same(b)) plan.files.push({ path, state: 'clean', content: t.content, encoding: t.encoding, oursHash });
      else plan.files.push({ path, state: 'conflict', binary: true, oursHash });
      continue;
    }
    const ours = bytes.toString('utf8');
    const merged = merge3(b?.content ?? '', ours, t.content, labels);
    if (merged.text === ours) plan.files.push({ path, state: 'unchanged', oursHash });
    else plan.files.push({ path, state: merged.conflicts ? 'conflict' : 'clean', content: merged.text, oursHash, conflicts: merged.conflicts || undefined });
  }
  return plan;
}

/**
 * Writes a plan: every file first (each to a temporary file beside it, then all renamed into place),
 * then the answers file with the new version, answers and hashes, then the audit line. A file that
 * cannot be written, or that changed since the plan, stops the update with nothing written.
 */
export function applyUpdate(ctx: ScaffoldContext, plan: UpdatePlan): UpdateResult {
  if (plan.missing.length) throw new ScaffoldError(`answer ${plan.missing.map((p) => p.name).join(', ')} first: the new version asks for them`);
  if (plan.violations.length) throw new ScaffoldError(plan.violations.map((v) => v.message).join('\n'));
  const previous = readAnswers(plan.dir);
  if (!previous || previous.template !== plan.template || previous.version !== plan.from) throw new ScaffoldError(`${join(plan.dir, ANSWERS_FILE)} changed since the update was planned: plan it again`);
  const writes = plan.files
    .filter((f) => f.content !== undefined)
    .map((f) => {
      const abs = resolveInside(plan.dir, f.path);
      const before = readOurs(plan.dir, f.path);
      if ((before && fileHash(before.toString('base64'), 'base64')) !== f.oursHash) throw new ScaffoldError(`${f.path} changed since the update was planned: plan it again`);
      return { f, abs, before, temp: tempBeside(abs) };
    });
  const created: string[] = [];
  const undo = (renamed: number): void => {
    for (const w of writes.slice(0, renamed)) {
      if (w.before) writeFileSync(w.abs, w.before);
      else rmSync(w.abs, { force: true });
    }
    for (const w of writes) rmSync(w.temp, { force: true });
    for (const d of created.reverse()) {
      try {
        rmdirSync(d);
      } catch {
        // not empty: something else is there now
      }
    }
  };
  let renamed = 0;
  try {
    for (const w of writes) {
      mkdirFor(plan.dir, w.abs, created);
      writeFileSync(w.temp, w.f.encoding === 'base64' ? Buffer.from(w.f.content!, 'base64') : w.f.content!, { flag: 'wx' });
      chmodSync(w.temp, w.before ? statSync(w.abs).mode & 0o777 : w.f.executable ? 0o755 : 0o644);
    }
    for (const w of writes) {
      renameSync(w.temp, w.abs);
      renamed++;
    }
  } catch (e) {
    undo(renamed);
    throw e instanceof ScaffoldError ? e : new ScaffoldError(`cannot write the update of ${plan.dir}, so nothing was: ${(e as Error).message}`);
  }
  writeAnswers(plan.dir, { ...previous, version: plan.to, origin: plan.origin, answers: plan.answers, files: plan.hashes });
  const written = writes.map((w) => w.f.path);
  const actor = actorOf(ctx.catalog, ctx.policies, ctx.identity);
  appendAudit(plan.dir, {
    at: (ctx.now?.() ?? new Date()).toISOString(),
    who: ctx.identity ?? 'unknown',
    role: actor.role,
    audited: actor.policy?.audited === true,
    action: 'update',
    template: plan.template,
    version: plan.to,
    answers: plan.answers,
    files: written,
  });
  return { written, conflicts: plan.files.filter((f) => f.state === 'conflict').map((f) => f.path) };
}

/** The answers for a version (plan.ts's prepareAnswers: the given ones, the defaults, catalog refs in full); and the required parameters still unanswered. */
function answersFor(v: TemplateVersion, given: Answers): { answers: Answers; missing: TemplateParameter[] } {
  const answers = prepareAnswers(v, given);
  return { answers, missing: v.parameters.filter((p) => p.required && (answers[p.name] === undefined || answers[p.name] === '')) };
}

/** The `changes` of the versions after `from` up to `to`, newest first (versions are newest first). */
function changesBetween(versions: TemplateVersion[], from: string, to: string): { version: string; text: string }[] {
  return versions
    .filter((v) => compareVersions(v.manifest.version, from) > 0 && compareVersions(v.manifest.version, to) <= 0)
    .map((v) => ({ version: v.manifest.version, text: v.manifest.changes ?? '' }));
}

function byPath(files: RenderedFile[]): Map<string, RenderedFile> {
  return new Map(files.map((f) => [f.path, f]));
}

function lineCounts(before: string, after: string): { added: number; removed: number } {
  const a = before === '' ? [] : before.replace(/\r?\n$/, '').split(/\r?\n/);
  const b = after === '' ? [] : after.replace(/\r?\n$/, '').split(/\r?\n/);
  const kept = matchLines(a, b).reduce((n, j) => n + (j >= 0 ? 1 : 0), 0);
  return { added: b.length - kept, removed: a.length - kept };
}

function bytesOf(f: RenderedFile): Buffer {
  return Buffer.from(f.content, f.encoding === 'base64' ? 'base64' : 'utf8');
}

/** The service's file as it is (undefined: no such file); a symlink or a folder in its place is refused. */
function readOurs(dir: string, path: string): Buffer | undefined {
  const abs = resolveInside(dir, path);
  let st;
  try {
    st = lstatSync(abs);
  } catch {
    return undefined;
  }
  if (!st.isFile()) throw new ScaffoldError(`${path} in ${dir} is not a plain file (a symlink or a folder): the update leaves it to you`);
  return readFileSync(abs);
}

/** Creates the folders of `abs` under `dir` (listed in `created`), refusing a symlink or a file on the way. */
function mkdirFor(dir: string, abs: string, created: string[]): void {
  let p = dir;
  for (const part of dirname(abs).slice(dir.length).split(/[\\/]/).filter(Boolean)) {
    p = join(p, part);
    let st;
    try {
      st = lstatSync(p);
    } catch {
      mkdirSync(p);
      created.push(p);
      continue;
    }
    if (!st.isDirectory()) throw new ScaffoldError(`${p} is not a folder (a symlink or a file): the update does not write through it`);
  }
}
