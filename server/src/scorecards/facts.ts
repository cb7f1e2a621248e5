/**
 * Facts of an entity's repository: the folder of its catalog file, when that file is in the workspace.
 * Files and folder listings are read on first use, cached, and forgotten when the file watcher says a file
 * changed (`invalidate`). A path may hold globs: `*` and `?` within one segment, `**` for any depth.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, sep } from 'node:path';
import type { Placement } from '../catalog/catalogIndex';
import { fsPathOf } from '../catalog/files';

export type ReadFile = (path: string) => string | undefined;
/** The entries of a folder, folders marked with a trailing `/`; undefined when there is no such folder. */
export type ReadDir = (path: string) => string[] | undefined;

const diskRead: ReadFile = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

const diskDir: ReadDir = (path) => {
  try {
    return readdirSync(path, { withFileTypes: true }).map((d) => (d.isDirectory() ? `${d.name}/` : d.name));
  } catch {
    return undefined;
  }
};

/** Folders a `**` never enters: they are large and hold nothing a scorecard asks about. */
const SKIP = new Set(['node_modules/', '.git/', 'dist/', 'build/', 'target/', '.venv/']);
/** At most this many folders are walked for one `**` glob. */
const WALK_LIMIT = 2000;

export class RepositoryFacts {
  private readonly texts = new Map<string, string | null>();
  private readonly dirs = new Map<string, string[] | null>();
  /** repository → path or glob → the files it names. */
  private readonly globs = new Map<string, Map<string, string[]>>();
  private readonly versions = new Map<string, number>();
  /** The repository of each catalog file uri asked about. */
  private readonly repos = new Map<string, string | undefined>();

  constructor(
    private readonly readFile: ReadFile = diskRead,
    private readonly readDir: ReadDir = diskDir,
  ) {}

  /** The repository of an entity: the folder of its catalog file; undefined for an entity from a store. */
  repoOf(p: Placement): string | undefined {
    if (p.provenance.kind !== 'file') return undefined;
    const uri = p.provenance.uri;
    let repo = this.repos.get(uri);
    if (repo === undefined && !this.repos.has(uri)) {
      const path = fsPathOf(uri);
      this.repos.set(uri, (repo = path ? dirname(path) : undefined));
    }
    return repo;
  }

  /** The repository's files a path or glob names (relative paths, `/`-separated, sorted). */
  files(repo: string, pattern: string): string[] {
    let ofRepo = this.globs.get(repo);
    if (!ofRepo) this.globs.set(repo, (ofRepo = new Map()));
    let found = ofRepo.get(pattern);
    if (!found) {
      found = /[*?]/.test(pattern) ? this.walk(repo, pattern.split('/')) : this.text(repo, pattern) !== undefined ? [pattern] : [];
      ofRepo.set(pattern, found);
    }
    return found;
  }

  /** True when the repository has the file (or a file the glob names). */
  exists(repo: string, path: string): boolean {
    return this.files(repo, path).length > 0;
  }

  /** A file's text; undefined when it does not exist. */
  text(repo: string, path: string): string | undefined {
    const abs = join(repo, ...path.split('/'));
    let t = this.texts.get(abs);
    if (t === undefined) {
      t = this.listed(repo, path) ? (this.readFile(abs) ?? null) : null;
      this.texts.set(abs, t);
    }
    return t ?? undefined;
  }

  /**
   * Whether the folders above a file list it: most repositories lack most files a scorecard asks about,
   * and one listing of a folder (cached like the texts) answers for all of them without reading each.
   */
  private listed(repo: string, path: string): boolean {
    const segments = path.split('/');
    let dir = repo;
    for (let i = 0; i < segments.length; i++) {
      const last = i === segments.length - 1;
      if (!this.list(dir).includes(last ? segments[i] : `${segments[i]}/`)) return false;
      dir = join(dir, segments[i]);
    }
    return true;
  }

  /** Changes when a file of the repository changed: cached scores compare it. */
  version(repo: string): number {
    return this.versions.get(repo) ?? 0;
  }

  /** Bumped whenever anything is forgotten: what was checked at the same generation still holds. */
  generation = 0;

  /** A file changed, appeared or disappeared (a `file:` uri or a path): forget what was read of it. */
  invalidate(uri: string): void {
    this.generation++;
    const path = fsPathOf(uri) ?? uri;
    this.texts.delete(path);
    this.dirs.delete(dirname(path));
    this.dirs.delete(path);
    for (const repo of this.globs.keys()) if (path === repo || path.startsWith(repo + sep)) this.globs.delete(repo);
    for (const repo of this.versions.keys()) if (path === repo || path.startsWith(repo + sep)) this.versions.set(repo, this.version(repo) + 1);
  }

  /** Notes that scores depend on this repository (so that `invalidate` counts its versions). */
  watch(repo: string): void {
    if (!this.versions.has(repo)) this.versions.set(repo, 0);
  }

  private list(abs: string): string[] {
    let d = this.dirs.get(abs);
    if (d === undefined) {
      d = this.readDir(abs) ?? null;
      this.dirs.set(abs, d);
    }
    return d ?? [];
  }

  private walk(repo: string, segments: string[]): string[] {
    const out: string[] = [];
    let budget = WALK_LIMIT;
    const visit = (rel: string, i: number): void => {
      if (budget-- <= 0) return;
      const seg = segments[i];
      const last = i === segments.length - 1;
      const entries = this.list(rel ? join(repo, ...rel.split('/')) : repo);
      if (seg === '**') {
        visit(rel, i + 1);
        for (const e of entries) if (e.endsWith('/') && !SKIP.has(e)) visit(posix.join(rel, e.slice(0, -1)), i);
        return;
      }
      const re = globSegment(seg);
      for (const e of entries) {
        const isDir = e.endsWith('/');
        const name = isDir ? e.slice(0, -1) : e;
        if (!re.test(name)) continue;
        if (last && !isDir) out.push(posix.join(rel, name));
        else if (!last && isDir) visit(posix.join(rel, name), i + 1);
      }
    };
    visit('', 0);
    return [...new Set(out)].sort();
  }
}

const segments = new Map<string, RegExp>();

/** A glob segment as a regular expression (made once per segment). */
function globSegment(seg: string): RegExp {
  let re = segments.get(seg);
  if (!re) segments.set(seg, (re = globRegExp(seg)));
  return re;
}

function globRegExp(seg: string): RegExp {
  return new RegExp(`^${seg.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
}
