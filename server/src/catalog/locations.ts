/**
 * A Location's targets, read as the catalog reads them when it processes the Location: a required target
 * that cannot be read, or one whose YAML is broken or whose entities fail the envelope, rejects the Location.
 * Targets are URLs relative to the file; absolute URLs are fetched by the catalog, not by the editor.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { PathSegment } from './nodes';
import type { ReadFile } from './placeholders';
import { validateEnvelope } from './schemas';
import { readYamlDocuments } from './yamlDocument';

export interface LocationFinding {
  path: PathSegment[];
  code: 'location-target-missing' | 'location-target-invalid' | 'location-type';
  message: string;
}

const READ_TYPES = new Set(['url', 'file']);
const isAbsoluteUrl = (s: string): boolean => {
  try {
    new URL(s);
    return true;
  } catch {
    return false;
  }
};

/** What is wrong with the target file's content, as the Location processor sees it; undefined when fine. */
function targetContentProblem(content: string): string | undefined {
  const docs = readYamlDocuments(content);
  if ('error' in docs) return docs.error;
  for (const v of docs.values) {
    if (v === null || v === undefined) continue;
    if (typeof v !== 'object' || Array.isArray(v)) return `a document in it is ${Array.isArray(v) ? 'a list' : `a ${typeof v}`}, not an entity`;
    if (!validateEnvelope(v)) {
      const e = validateEnvelope.errors?.[0];
      return `an entity in it fails the envelope check (${e?.instancePath || '/'} ${e?.message ?? ''})`;
    }
    const ann = (v as { metadata?: { annotations?: unknown } }).metadata?.annotations;
    if (ann && (typeof ann !== 'object' || Array.isArray(ann))) return 'an entity in it has metadata.annotations that is not a mapping';
  }
  return undefined;
}

export function checkLocationTargets(spec: Record<string, unknown>, filePath: string | undefined, readFile: ReadFile): LocationFinding[] {
  const findings: LocationFinding[] = [];
  const type = typeof spec.type === 'string' ? spec.type : undefined;
  const optional = spec.presence === 'optional';
  const targets: [string, PathSegment[]][] = [];
  if (typeof spec.target === 'string' && spec.target) targets.push([spec.target, ['spec', 'target']]);
  if (Array.isArray(spec.targets)) spec.targets.forEach((t, i) => typeof t === 'string' && t && targets.push([t, ['spec', 'targets', i]]));
  if (!targets.length) return findings;
  if (type !== undefined && !READ_TYPES.has(type)) {
    findings.push({ path: ['spec', 'type'], code: 'location-type', message: `location type '${type}' is not read by the default catalog (it reads url and file); it needs a processor of your installation` });
    return findings;
  }
  if (!filePath) return findings;
  for (const [target, path] of targets) {
    if (isAbsoluteUrl(target) || target.startsWith('/') || /[*[\]{}]/.test(target)) continue;
    let abs: string;
    try {
      abs = fileURLToPath(new URL(target, pathToFileURL(filePath)));
    } catch (e) {
      findings.push({ path, code: 'location-target-invalid', message: `target '${target}' is not a valid relative URL: ${(e as Error).message}` });
      continue;
    }
    let content: string | undefined;
    try {
      content = readFile(abs);
    } catch (e) {
      findings.push({ path, code: 'location-target-invalid', message: `target '${target}' cannot be read: ${(e as Error).message}` });
      continue;
    }
    if (content === undefined) {
      if (!optional) findings.push({ path, code: 'location-target-missing', message: `target '${target}' does not exist or is not a file (looked for ${abs}); the catalog rejects this Location unless presence is optional` });
      continue;
    }
    const problem = targetContentProblem(content);
    if (problem) findings.push({ path, code: 'location-target-invalid', message: `target '${target}' is rejected by the catalog: ${problem}` });
  }
  return findings;
}
