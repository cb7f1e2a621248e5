/** Which files are catalog files: by name, by content, or by the user's globs. */
import { fileURLToPath } from 'node:url';

const CATALOG_NAME = /(^|[\\/])(catalog-info\.ya?ml|[^\\/]+\.catalog-info\.yaml)$/i;
const YAML_NAME = /\.ya?ml$/i;
const CATALOG_CONTENT = /^[ \t]*["']?apiVersion["']?[ \t]*:[ \t]*["']?(backstage\.io|scaffolder\.backstage\.io)\//m;

/** Folders never searched for catalog files. */
export const SKIPPED_FOLDERS = new Set(['node_modules', '.git', 'dist', 'out', '.vscode-test']);

export function isCatalogFileName(path: string): boolean {
  return CATALOG_NAME.test(path);
}

export function isYamlFileName(path: string): boolean {
  return YAML_NAME.test(path);
}

/** True when a document of the text declares a Backstage apiVersion. */
export function hasCatalogContent(text: string): boolean {
  return CATALOG_CONTENT.test(text);
}

/** Translates a glob (`**`, `*`, `?`, `{a,b}`) into a regular expression over `/`-separated paths. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const slash = glob[i + 2] === '/';
        re += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      const close = glob.indexOf('}', i);
      if (close === -1) re += '\\{';
      else {
        re += `(?:${glob.slice(i + 1, close).split(',').map((s) => s.replace(/[.+^${}()|[\]\\*?]/g, '\\$&')).join('|')})`;
        i = close;
      }
    } else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`(^|/)${re}$`);
}

/**
 * Decides whether a file is ours: a catalog file name, one of the user's globs, or a YAML file whose
 * documents declare a backstage.io or scaffolder.backstage.io apiVersion.
 */
export function isCatalogFile(path: string, text: string | undefined, include: readonly string[] = []): boolean {
  const p = path.replace(/\\/g, '/');
  if (isCatalogFileName(p)) return true;
  if (include.some((g) => globToRegExp(g).test(p))) return true;
  return isYamlFileName(p) && text !== undefined && hasCatalogContent(text);
}

/** The path of a `file:` uri; undefined for other uris (an editor's untitled document, a store's). */
export function fsPathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
