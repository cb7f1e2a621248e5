/**
 * `$text`, `$json` and `$yaml` placeholders, resolved as Backstage's PlaceholderProcessor does: an object
 * whose only key is one of them, with a string value, is replaced by the content of the file it names
 * (relative to the catalog file). Anything else with `$` keys is left alone, as Backstage leaves it.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { PathSegment } from './nodes';
import { readYamlDocuments } from './yamlDocument';

/** Reads a file: its text, or undefined when there is no such file. Throws when it cannot be read (e.g. too large). */
export type ReadFile = (absPath: string) => string | undefined;

export interface PlaceholderFinding {
  /** Path of the placeholder's value (…, '$text'). */
  path: PathSegment[];
  code: 'placeholder-missing' | 'placeholder-invalid' | 'placeholder-remote';
  message: string;
}

const RESOLVERS = new Set(['text', 'json', 'yaml']);
const isUrl = (s: string): boolean => /^[a-z][a-z0-9+.-]*:\/\//i.test(s);

/**
 * Replaces resolvable placeholders inside `root` in place and returns what could not be resolved.
 * Without `filePath` (an unsaved document), relative targets cannot be checked and become empty text.
 */
export function resolvePlaceholders(root: unknown, filePath: string | undefined, readFile: ReadFile): PlaceholderFinding[] {
  const findings: PlaceholderFinding[] = [];
  // One path, extended and shortened as the walk goes (it is copied only into a finding).
  const path: PathSegment[] = [];
  const visit = (data: unknown): unknown => {
    if (!data || typeof data !== 'object') return data;
    if (Array.isArray(data)) {
      for (let i = 0; i < data.length; i++) {
        path.push(i);
        data[i] = visit(data[i]);
        path.pop();
      }
      return data;
    }
    const obj = data as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (!keys.some((k) => k.startsWith('$'))) {
      for (const k of keys) {
        path.push(k);
        obj[k] = visit(obj[k]);
        path.pop();
      }
      return obj;
    }
    if (keys.length !== 1) return obj;
    const key = keys[0];
    const kind = key.slice(1);
    const target = obj[key];
    if (!RESOLVERS.has(kind)) return obj;
    const at = [...path, key];
    if (typeof target !== 'string') {
      findings.push({ path: at, code: 'placeholder-invalid', message: `${key} needs a string: the path or URL of the file to read` });
      return obj;
    }
    if (isUrl(target)) {
      findings.push({ path: at, code: 'placeholder-remote', message: `${key} target '${target}' is read by the catalog at ingestion; the editor does not fetch it` });
      return kind === 'text' ? target : {};
    }
    if (!filePath) return kind === 'text' ? target : {};
    // Targets are URLs relative to the file's own URL: a query or fragment is not part of the path,
    // %-escapes are decoded, and an empty target is the file itself.
    let abs: string;
    try {
      abs = fileURLToPath(new URL(target, pathToFileURL(filePath)));
    } catch (e) {
      findings.push({ path: at, code: 'placeholder-invalid', message: `${key} target '${target}' is not a valid relative URL: ${(e as Error).message}` });
      return target;
    }
    let content: string | undefined;
    try {
      content = readFile(abs);
    } catch (e) {
      findings.push({ path: at, code: 'placeholder-invalid', message: `${key} target '${target}' cannot be read: ${(e as Error).message}` });
      return target;
    }
    if (content === undefined) {
      findings.push({ path: at, code: 'placeholder-missing', message: `${key} target '${target}' does not exist (looked for ${abs}); the catalog rejects the entity when it cannot read it` });
      return target; // reported once here; the schema checks then see a string, not a cascade
    }
    if (kind === 'text') return content;
    if (kind === 'json') {
      try {
        return JSON.parse(content);
      } catch (e) {
        findings.push({ path: at, code: 'placeholder-invalid', message: `$json target '${target}' is not valid JSON: ${(e as Error).message}` });
        return target;
      }
    }
    const docs = readYamlDocuments(content);
    if ('error' in docs || docs.values.length !== 1) {
      const why = 'error' in docs ? docs.error : `it holds ${docs.values.length} documents`;
      findings.push({ path: at, code: 'placeholder-invalid', message: `$yaml target '${target}' must hold exactly one valid YAML document, but ${why}` });
      return target;
    }
    return docs.values[0];
  };
  visit(root);
  return findings;
}
