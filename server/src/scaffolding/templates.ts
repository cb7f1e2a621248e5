/**
 * The templates of the roots: `<root>/<id>/<version>/template.yaml` and the version's `files/**`. Roots are
 * read in order and the first one wins on the same id and version. A version that `extends` an older one
 * starts from that version's files, overlaid by its own, minus `remove`. A template that cannot be used
 * (bad manifest, a symlink among its files, an `extends` that leads nowhere) is left out with a problem.
 */
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { MANIFEST_FILE, parametersOf, readManifest } from './manifest';
import { ScaffoldError, type Manifest, type Template, type TemplateRoot, type TemplateVersion } from './types';

/** Every template of the roots, newest version first, sorted by id; and what could not be read. */
export function loadTemplates(roots: TemplateRoot[]): { templates: Template[]; problems: string[] } {
  const problems: string[] = [];
  const found = new Map<string, Map<string, { manifest: Manifest; dir: string; root: TemplateRoot }>>();
  for (const root of roots) {
    for (const id of subfolders(root.path)) {
      for (const version of subfolders(join(root.path, id))) {
        const dir = join(root.path, id, version);
        if (!isFile(join(dir, MANIFEST_FILE))) continue;
        const byVersion = found.get(id) ?? new Map();
        if (byVersion.has(version)) continue; // an earlier root has it
        const { manifest, problems: p } = readManifest(dir);
        problems.push(...p);
        if (!manifest) continue;
        if (manifest.id !== id) problems.push(`${join(dir, MANIFEST_FILE)}: id is ${manifest.id}, but the folder is ${id}: they must be equal`);
        else if (manifest.version !== version) problems.push(`${join(dir, MANIFEST_FILE)}: version is ${manifest.version}, but the folder is ${version}: they must be equal`);
        else {
          byVersion.set(version, { manifest, dir, root });
          found.set(id, byVersion);
        }
      }
    }
  }
  const templates: Template[] = [];
  for (const [id, byVersion] of [...found].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const files = new Map<string, Map<string, string> | undefined>();
    const filesOf = (version: string, chain: string[]): Map<string, string> | undefined => {
      if (files.has(version)) return files.get(version);
      const e = byVersion.get(version)!;
      let result: Map<string, string> | undefined;
      try {
        const base = e.manifest.extends;
        if (base !== undefined) {
          if (chain.includes(base)) throw new ScaffoldError(`extends ${base}, which extends it back`);
          if (!byVersion.has(base)) throw new ScaffoldError(`extends ${base}, which is not a version of ${id} that can be read`);
          const inherited = filesOf(base, [...chain, version]);
          if (!inherited) throw new ScaffoldError(`extends ${base}, which cannot be used`);
          result = new Map(inherited);
          for (const r of e.manifest.remove ?? []) {
            if (!result.delete(r)) throw new ScaffoldError(`remove names ${r}, which ${base} does not have`);
          }
        } else result = new Map();
        for (const [rel, abs] of skeleton(join(e.dir, 'files'))) result.set(rel, abs);
      } catch (err) {
        problems.push(`${join(e.dir, MANIFEST_FILE)}: ${(err as Error).message}`);
        result = undefined;
      }
      files.set(version, result);
      return result;
    };
    const versions: TemplateVersion[] = [];
    for (const [version, e] of byVersion) {
      const f = filesOf(version, []);
      if (f) versions.push({ manifest: e.manifest, dir: e.dir, origin: e.root.origin, root: e.root.path, files: f, parameters: parametersOf(e.manifest) });
    }
    if (versions.length) templates.push({ id, versions: versions.sort((a, b) => compareVersions(b.manifest.version, a.manifest.version)) });
  }
  return { templates, problems };
}

/** The latest version of a template (the highest semver). */
export function latest(t: Template): TemplateVersion {
  return t.versions[0];
}

/** A template's version by id, the latest when no version is given; undefined when there is none. */
export function findTemplate(templates: readonly Template[], id: string, version?: string): TemplateVersion | undefined {
  const t = templates.find((x) => x.id === id);
  if (!t) return undefined;
  return version === undefined ? latest(t) : t.versions.find((v) => v.manifest.version === version);
}

/** Compares two semver versions (pre-releases before their release); negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string): { core: number[]; pre?: string[] } => {
    const [main, ...rest] = v.split('+')[0].split('-');
    const pre = rest.length ? rest.join('-').split('.') : undefined;
    return { core: main.split('.').map((n) => Number(n) || 0), pre };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) if ((x.core[i] ?? 0) !== (y.core[i] ?? 0)) return (x.core[i] ?? 0) - (y.core[i] ?? 0);
  if (!x.pre || !y.pre) return x.pre ? -1 : y.pre ? 1 : 0;
  for (let i = 0; i < Math.max(x.pre.length, y.pre.length); i++) {
    const p = x.pre[i];
    const q = y.pre[i];
    if (p === undefined || q === undefined) return p === undefined ? -1 : 1;
    if (p === q) continue;
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    if (pn && qn) return Number(p) - Number(q);
    if (pn !== qn) return pn ? -1 : 1;
    return p < q ? -1 : 1;
  }
  return 0;
}

/** The files of a skeleton folder by `/`-separated relative path; a symlink is refused (it could point anywhere). */
function skeleton(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (abs: string, rel: string): void => {
    for (const name of readdirSync(abs).sort()) {
      const a = join(abs, name);
      const r = rel ? `${rel}/${name}` : name;
      const st = lstatSync(a);
      if (st.isSymbolicLink()) throw new ScaffoldError(`files/${r} is a symlink: templates must hold real files`);
      if (st.isDirectory()) walk(a, r);
      else if (st.isFile()) out.set(r, a);
    }
  };
  if (isDir(dir)) walk(dir, '');
  return out;
}

function subfolders(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

function isFile(p: string): boolean {
  try {
    return lstatSync(p).isFile();
  } catch {
    return false;
  }
}

function isDir(p: string): boolean {
  try {
    return lstatSync(p).isDirectory();
  } catch {
    return false;
  }
}
