/**
 * Path safety for scaffolding: a rendered path is relative, `/`-separated, with no `..`, no empty or `.`
 * segment, no backslash and no NUL; and a write never follows a symlink out of its target folder.
 */
import { lstatSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ScaffoldError } from './types';

/** The path, checked: returned as given when safe, else a ScaffoldError saying what is wrong with it. */
export function safeRelativePath(p: string): string {
  const bad = (why: string): never => {
    throw new ScaffoldError(`unsafe path ${JSON.stringify(p)}: ${why}`);
  };
  if (typeof p !== 'string' || p === '') bad('it is empty');
  if (p.includes('\0')) bad('it contains a NUL character');
  if (p.includes('\\')) bad('it contains a backslash (use /)');
  if (p.startsWith('/') || isAbsolute(p) || /^[a-zA-Z]:/.test(p)) bad('it is absolute');
  for (const s of p.split('/')) {
    if (s === '..') bad('it goes up with ..');
    if (s === '' || s === '.') bad('it has an empty segment');
  }
  return p;
}

/**
 * Whether `p` (absolute, or relative to `target`) stays inside `target` once symlinks are followed: the
 * lexical path must be inside, and so must the real path of its nearest existing ancestor (a symlinked
 * parent folder that leads elsewhere is outside). `p` itself, when it exists, must not be a symlink.
 */
export function within(target: string, p: string): boolean {
  const root = resolve(target);
  const abs = resolve(root, p);
  const lexical = relative(root, abs);
  if (lexical.startsWith('..') || isAbsolute(lexical)) return false;
  const rootReal = realOrSelf(root);
  let cur = abs;
  for (;;) {
    const st = lstatOrUndefined(cur);
    if (st) {
      if (cur === abs && cur !== root && st.isSymbolicLink()) return false;
      const real = realOrSelf(cur);
      return real === rootReal || real.startsWith(rootReal.endsWith(sep) ? rootReal : rootReal + sep);
    }
    if (cur === root || dirname(cur) === cur) return true;
    cur = dirname(cur);
  }
}

/** The absolute path of a checked relative path under `target`; throws when it is unsafe or leads outside. */
export function resolveInside(target: string, rel: string): string {
  const abs = join(resolve(target), safeRelativePath(rel));
  if (!within(target, abs)) throw new ScaffoldError(`unsafe path ${JSON.stringify(rel)}: it leads outside ${target} (a symlink)`);
  return abs;
}

function lstatOrUndefined(p: string): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
}

function realOrSelf(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}
