/**
 * template.yaml: read, checked against schemas/template.schema.json (its validator is compiled at build
 * time with the catalog's, see scripts/build-validators.mjs), then the checks a schema cannot make: the
 * regular expressions compile, `remove` needs `extends`, `edits` belong to additions, and the parameters
 * form a schema ajv can compile. Also the parameters as the questions the wizard and the CLI ask.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import * as compiled from '../catalog/generated/validators';
import { compileSchema } from '../catalog/schemas';
import type { Manifest, TemplateParameter } from './types';

export const MANIFEST_FILE = 'template.yaml';
export const MANIFEST_API_VERSION = 'paved-road.dev/v1';

/** The manifest schema's validator (generated from schemas/template.schema.json). */
export const validateManifest = (compiled as unknown as Record<string, ValidateFunction>).templateManifest;

/** True when a YAML text is a Paved Road template manifest (says its apiVersion and kind). */
export function isManifestText(text: string): boolean {
  return /^[ \t]*["']?apiVersion["']?[ \t]*:[ \t]*["']?paved-road\.dev\/v1["']?[ \t]*(#.*)?$/m.test(text) && /^[ \t]*["']?kind["']?[ \t]*:[ \t]*["']?Template["']?[ \t]*(#.*)?$/m.test(text);
}

/** The manifest in `dir` (a version folder), or the problems that make it unusable, in words. */
export function readManifest(dir: string): { manifest?: Manifest; problems: string[] } {
  const file = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { problems: [`${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`] };
  }
  let data: unknown;
  try {
    data = parse(text);
  } catch (e) {
    return { problems: [`${file}: not valid YAML: ${(e as Error).message.split('\n')[0]}`] };
  }
  const problems = checkManifest(data).map((p) => `${file}: ${p}`);
  return problems.length ? { problems } : { manifest: data as Manifest, problems };
}

/** The problems of a parsed manifest: the schema's, then the cross-field checks. Empty when it is usable. */
export function checkManifest(data: unknown): string[] {
  return manifestIssues(data).map((i) => i.message);
}

/** A manifest problem and where: the path of the value it is about (keys and list indexes). */
export interface ManifestIssue {
  path: (string | number)[];
  message: string;
  /** For a missing or unknown key: that key (the problem is at its parent, or at the key itself). */
  key?: string;
}

/** The problems of a parsed manifest with their paths, for the editor's diagnostics. */
export function manifestIssues(data: unknown): ManifestIssue[] {
  if (!validateManifest(data)) {
    return (validateManifest.errors ?? []).map((e) => {
      const path = e.instancePath ? e.instancePath.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).map((s) => (/^\d+$/.test(s) ? Number(s) : s)) : [];
      const p = e.params as { missingProperty?: string; additionalProperty?: string };
      return { path, message: describeError(e, ''), key: p.missingProperty ?? p.additionalProperty };
    });
  }
  const m = data as Manifest;
  const issues: ManifestIssue[] = [];
  if (m.remove && !m.extends) issues.push({ path: ['remove'], message: 'remove needs extends: it names files of the version this one extends' });
  if (m.edits && m.type !== 'addition') issues.push({ path: ['edits'], message: 'edits apply to an existing service: only a template of type addition can have them' });
  const regex = (path: (string | number)[], where: string, source: unknown): void => {
    if (typeof source !== 'string') return;
    try {
      new RegExp(source, 'u');
    } catch (e) {
      issues.push({ path, message: `${where} is not a valid regular expression: ${(e as Error).message}` });
    }
  };
  for (const [name, p] of Object.entries(m.parameters.properties)) regex(['parameters', 'properties', name, 'pattern'], `parameters.properties.${name}.pattern`, p.pattern);
  (m.rules ?? []).forEach((r, i) => {
    for (const part of ['when', 'require'] as const) for (const [k, c] of Object.entries(r[part] ?? {})) regex(['rules', i, part, k, 'pattern'], `rules ${r.id}: ${part}.${k}.pattern`, c.pattern);
  });
  (m.parameters.required ?? []).forEach((name, i) => {
    if (!(name in m.parameters.properties)) issues.push({ path: ['parameters', 'required', i], message: `parameters.required names ${name}, which is not in parameters.properties` });
  });
  if (!issues.length) {
    try {
      answersValidator(m);
    } catch (e) {
      issues.push({ path: ['parameters'], message: `parameters is not a schema ajv can compile: ${(e as Error).message}` });
    }
  }
  return issues;
}

const validators = new WeakMap<Manifest, ValidateFunction>();

/** The compiled schema of a manifest's answers (once per manifest). */
export function answersValidator(m: Manifest): ValidateFunction {
  let v = validators.get(m);
  if (!v) {
    v = compileSchema(m.parameters);
    validators.set(m, v);
  }
  return v;
}

/** The questions of a manifest, in the order of its parameters' properties. */
export function parametersOf(m: Manifest): TemplateParameter[] {
  const required = new Set(m.parameters.required ?? []);
  return Object.entries(m.parameters.properties).map(([name, s]) => {
    const p: TemplateParameter = { name, title: typeof s.title === 'string' ? s.title : name, type: (s.type as TemplateParameter['type']) ?? 'string', required: required.has(name) };
    if (typeof s.description === 'string') p.description = s.description;
    if (s.default !== undefined) p.default = s.default;
    if (Array.isArray(s.enum)) p.enum = s.enum;
    if (typeof s.pattern === 'string') p.pattern = s.pattern;
    const pick = s['x-catalog'] as { kinds?: unknown } | undefined;
    if (pick && Array.isArray(pick.kinds)) p.catalog = { kinds: pick.kinds.map(String) };
    return p;
  });
}

/** An ajv error in words: where (the path in the data, else `subject`) and what is expected. */
export function describeError(e: ErrorObject, subject: string): string {
  const at = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : subject;
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `${at ? `${at}: ` : ''}${String(p.missingProperty)} is missing`;
    case 'additionalProperties':
      return `${at ? `${at}: ` : ''}${String(p.additionalProperty)} is not a known key`;
    case 'type':
      return `${at} must be ${article(String(p.type))}`;
    case 'enum':
      return `${at} must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `${at} must be ${JSON.stringify(p.allowedValue)}`;
    case 'pattern':
      return `${at} must match the pattern ${String(p.pattern)}`;
    case 'minLength':
      return Number(p.limit) === 1 ? `${at} must not be empty` : `${at} must be at least ${String(p.limit)} characters long`;
    case 'maxLength':
      return `${at} must be at most ${String(p.limit)} characters long`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `${at} must be ${String(p.comparison)} ${String(p.limit)}`;
    case 'minItems':
      return `${at} must have at least ${String(p.limit)} item${p.limit === 1 ? '' : 's'}`;
    default:
      return `${at} ${e.message ?? 'is not valid'}`;
  }
}

function article(type: string): string {
  return type === 'integer' || type === 'array' || type === 'object' ? `an ${type}` : type === 'null' ? 'null' : `a ${type}`;
}
