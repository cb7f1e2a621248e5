/**
 * Writing a plan. Nothing is written when the plan has violations, or when a file that exists and differs
 * has no consent. A new service is written whole into a temporary folder beside the target (same parent,
 * so the same file system) and renamed into place: a failure half-way removes the temporary folder and
 * leaves nothing. Into an existing folder, each file is written atomically and a failure restores what
 * was there. Then the audit trail gets its line (answers.yaml is among the plan's files).
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { writeFileAtomicSync } from '../sources/atomicFile';
import { appendAudit } from './answers';
import { resolveInside, within } from './paths';
import { ScaffoldError, type Plan, type PlannedFile, type ScaffoldContext } from './types';

/** Applies a plan; `overwrite` lists the `changed` paths the user consented to overwrite. Returns the paths written. */
export function applyPlan(ctx: ScaffoldContext, plan: Plan, overwrite: string[]): { written: string[] } {
  if (plan.violations.length) throw new ScaffoldError(`nothing written: ${plan.violations.map((v) => v.message).join('; ')}`);
  const refused = plan.files.filter((f) => f.state === 'changed' && !overwrite.includes(f.path)).map((f) => f.path);
  if (refused.length) throw new ScaffoldError(`nothing written: ${refused.join(', ')} already exist${refused.length === 1 ? 's' : ''} in ${plan.target} and differ${refused.length === 1 ? 's' : ''}: consent to overwrite ${refused.length === 1 ? 'it' : 'them'}, or move ${refused.length === 1 ? 'it' : 'them'} away`);
  const files = plan.files.filter((f) => f.state !== 'same');
  if (!files.length) return { written: [] };
  const written = files.map((f) => f.path);
  const entry = {
    at: (ctx.now?.() ?? new Date()).toISOString(),
    who: plan.who ?? ctx.identity ?? 'unknown',
    role: plan.role,
    audited: plan.audited,
    action: plan.action,
    template: plan.template,
    version: plan.version,
    answers: plan.answers,
    files: written,
  };
  if (plan.action === 'scaffold' && isFresh(plan.target)) writeNewFolder(plan.target, files);
  else writeInPlace(plan.target, files);
  appendAudit(plan.target, entry);
  return { written };
}

/** A folder that is not there, or is empty: a new service goes there whole. */
function isFresh(target: string): boolean {
  try {
    return readdirSync(target).length === 0;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

/** Everything into `<parent>/.<name>.paved-road-<random>`, then one rename; on failure, nothing is left (folders made for it included). */
function writeNewFolder(target: string, files: PlannedFile[]): void {
  const parent = dirname(target);
  let made: string | undefined;
  let temp: string | undefined;
  try {
    made = mkdirSync(parent, { recursive: true });
    temp = join(parent, `.${basename(target)}.paved-road-${process.pid}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`);
    mkdirSync(temp);
    for (const f of files) writeOne(temp, f);
    if (!isFresh(target)) throw new ScaffoldError(`${target} was filled while the service was being written`);
    if (existsSync(target)) rmdirSync(target); // an empty folder made for it: the rename takes its place
    renameSync(temp, target);
  } catch (e) {
    if (temp) rmSync(temp, { recursive: true, force: true });
    if (made) rmSync(made, { recursive: true, force: true });
    throw e instanceof ScaffoldError ? e : new ScaffoldError(`nothing written to ${target}: ${(e as Error).message}`);
  }
}

/** Each file atomically into an existing folder; on failure, the files written so far are put back as they were. */
function writeInPlace(target: string, files: PlannedFile[]): void {
  const undo: (() => void)[] = [];
  try {
    for (const f of files) {
      const abs = resolveInside(target, f.path);
      const before = existsSync(abs) ? readFileSync(abs) : undefined;
      const made = mkdirSync(dirname(abs), { recursive: true });
      undo.push(() => {
        if (before) writeFileAtomicSync(abs, before);
        else rmSync(abs, { force: true });
        if (made) rmSync(made, { recursive: true, force: true });
      });
      writeOne(target, f);
    }
  } catch (e) {
    for (const u of undo.reverse()) {
      try {
        u();
      } catch {
        // best effort: the error below says what failed
      }
    }
    throw e instanceof ScaffoldError ? e : new ScaffoldError(`nothing written to ${target}: ${(e as Error).message}`);
  }
}

function writeOne(root: string, f: PlannedFile): void {
  const abs = resolveInside(root, f.path);
  if (!within(root, dirname(abs))) throw new ScaffoldError(`${f.path} leads outside ${root}`);
  mkdirSync(dirname(abs), { recursive: true });
  writeFileAtomicSync(abs, f.encoding === 'base64' ? Buffer.from(f.content, 'base64') : f.content);
  chmodSync(abs, f.executable ? 0o755 : 0o644);
}
