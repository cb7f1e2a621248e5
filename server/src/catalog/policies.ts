/**
 * Organisation policies: checks on top of Backstage's rules, reported as warnings. They are data, read from
 * `.paved-road/policies.yaml` or the `pavedRoad.policies` setting, never code branches. See docs/policies.md.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { compileSchema, kindFromSchema, type KindInfo, type SchemaNode } from './schemas';
import type { Severity } from './types';

/** A custom kind of the user's Backstage installation. */
export interface CustomKind {
  kind: string;
  /** The apiVersions the installation's processor accepts; any valid apiVersion when absent. */
  apiVersions?: string[];
  /** An optional JSON Schema (draft-07) for the whole entity, e.g. `{ properties: { spec: { required: [...] } } }`. */
  schema?: object;
}

/** What a role may do with golden paths (scaffold, add, update): on its own team's services, any, or none. */
export interface RolePolicy {
  scaffold: 'own-team' | 'any' | 'none';
  /** True when the role's runs are marked `audited` in the audit trail. */
  audited?: boolean;
  /** The Groups whose members have this role (refs; `group:default/` is assumed when not written). */
  groups?: string[];
}

/** The rule for new entity names (scaffolding): a regular expression and what it means in words. */
export interface NamingPolicy {
  pattern: string;
  message?: string;
}

/** The policy data, as written in `.paved-road/policies.yaml`. */
export interface Policies {
  /** Allowed values of spec.lifecycle; an empty list turns the check off. */
  lifecycles: string[];
  /** When true, spec.owner must name its kind (`group:` or `user:`). */
  typedOwner: boolean;
  /** Annotations an entity must carry, keyed by lifecycle (`*` for every lifecycle). */
  requiredAnnotations: Record<string, string[]>;
  /** The severity of policy findings. */
  severity: Severity;
  /** The severity of findings across files: dangling or wrong-kind references, duplicates, cycles. */
  referenceSeverity: Severity;
  /** Lifecycles that must not depend on entities of other lifecycles, e.g. production → [experimental]. */
  forbiddenDependencies: Record<string, string[]>;
  /** Kinds beyond the built-in ones that the installation accepts. */
  kinds: CustomKind[];
  /**
   * True when the files checked hold the whole catalog (a catalog monorepo): a reference that resolves
   * nowhere is then a mistake. Otherwise it may live in another repository, and only a near miss is reported.
   */
  wholeCatalog: boolean;
  /** The naming rule of scaffolded names; none by default (the template's own pattern still applies). */
  naming?: NamingPolicy;
  /** The roles of golden-path workflows, by name. */
  roles: Record<string, RolePolicy>;
  /** The role of a user none of whose Groups maps to a role. */
  defaultRole: string;
}

export const DEFAULT_POLICIES: Policies = {
  lifecycles: ['experimental', 'production', 'deprecated'],
  typedOwner: true,
  requiredAnnotations: {},
  severity: 'warning',
  referenceSeverity: 'warning',
  forbiddenDependencies: { production: ['experimental'] },
  kinds: [],
  wholeCatalog: false,
  roles: { developer: { scaffold: 'own-team' } },
  defaultRole: 'developer',
};

const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/**
 * Reads policy data (an object from settings or a parsed policies.yaml) over the defaults.
 * Returns the policies and a list of what was ignored and why, for the log and the user.
 */
export function readPolicies(...layers: unknown[]): { policies: Policies; issues: string[] } {
  const p: Policies = { ...DEFAULT_POLICIES, requiredAnnotations: {}, kinds: [], forbiddenDependencies: { ...DEFAULT_POLICIES.forbiddenDependencies }, roles: { ...DEFAULT_POLICIES.roles } };
  const issues: string[] = [];
  for (const layer of layers) {
    if (layer === undefined || layer === null) continue;
    if (typeof layer !== 'object' || Array.isArray(layer)) {
      issues.push('policies must be a mapping of settings');
      continue;
    }
    const l = layer as Record<string, unknown>;
    if ('lifecycles' in l) {
      if (isStringList(l.lifecycles)) p.lifecycles = l.lifecycles;
      else if (l.lifecycles === null) p.lifecycles = [];
      else issues.push('lifecycles must be a list of strings');
    }
    if ('typedOwner' in l) {
      if (typeof l.typedOwner === 'boolean') p.typedOwner = l.typedOwner;
      else issues.push('typedOwner must be true or false');
    }
    if ('requiredAnnotations' in l) {
      const r = l.requiredAnnotations;
      if (r && typeof r === 'object' && !Array.isArray(r) && Object.values(r).every(isStringList)) {
        Object.assign(p.requiredAnnotations, r);
      } else issues.push('requiredAnnotations must map a lifecycle (or *) to a list of annotation keys');
    }
    if ('wholeCatalog' in l) {
      if (typeof l.wholeCatalog === 'boolean') p.wholeCatalog = l.wholeCatalog;
      else issues.push('wholeCatalog must be true or false');
    }
    for (const key of ['severity', 'referenceSeverity'] as const) {
      if (!(key in l)) continue;
      const v = l[key];
      if (v === 'error' || v === 'warning' || v === 'info') p[key] = v;
      else issues.push(`${key} must be error, warning or info`);
    }
    if ('forbiddenDependencies' in l) {
      const r = l.forbiddenDependencies;
      if (r === null) p.forbiddenDependencies = {};
      else if (r && typeof r === 'object' && !Array.isArray(r) && Object.values(r).every(isStringList)) p.forbiddenDependencies = { ...(r as Record<string, string[]>) };
      else issues.push('forbiddenDependencies must map a lifecycle to a list of lifecycles it must not depend on');
    }
    if ('kinds' in l) {
      if (Array.isArray(l.kinds)) {
        for (const k of l.kinds) {
          const ck = k as CustomKind;
          if (ck && typeof ck.kind === 'string' && (ck.apiVersions === undefined || isStringList(ck.apiVersions))) p.kinds.push(ck);
          else issues.push(`kinds: each entry needs a kind name and optional apiVersions list (got ${JSON.stringify(k)})`);
        }
      } else issues.push('kinds must be a list');
    }
    if ('naming' in l) {
      const n = l.naming as NamingPolicy | null;
      if (n === null) p.naming = undefined;
      else if (n && typeof n === 'object' && typeof n.pattern === 'string' && validRegExp(n.pattern) && (n.message === undefined || typeof n.message === 'string')) p.naming = { pattern: n.pattern, message: n.message };
      else issues.push('naming must be { pattern: <a regular expression>, message: <what it means> }');
    }
    if ('roles' in l) {
      const r = l.roles;
      if (r && typeof r === 'object' && !Array.isArray(r)) {
        p.roles = {};
        for (const [name, role] of Object.entries(r as Record<string, RolePolicy>)) {
          const ok =
            role &&
            typeof role === 'object' &&
            ['own-team', 'any', 'none'].includes(role.scaffold) &&
            (role.audited === undefined || typeof role.audited === 'boolean') &&
            (role.groups === undefined || isStringList(role.groups));
          if (ok) p.roles[name] = { scaffold: role.scaffold, audited: role.audited, groups: role.groups };
          else issues.push(`roles.${name} must be { scaffold: own-team | any | none, audited: true | false, groups: [group refs] }`);
        }
      } else issues.push('roles must map a role name to { scaffold, audited, groups }');
    }
    if ('defaultRole' in l) {
      if (typeof l.defaultRole === 'string') p.defaultRole = l.defaultRole;
      else issues.push('defaultRole must be the name of a role');
    }
  }
  if (!(p.defaultRole in p.roles)) {
    issues.push(`defaultRole ${p.defaultRole} is not one of the roles (${Object.keys(p.roles).join(', ') || 'none'}): users with no role may do nothing`);
  }
  return { policies: p, issues };
}

function validRegExp(source: string): boolean {
  try {
    new RegExp(source, 'u');
    return true;
  } catch {
    return false;
  }
}

const customKindCache = new WeakMap<CustomKind, KindInfo>();

/** The kind info of a custom kind (schema compiled once per declaration). */
export function customKindInfo(ck: CustomKind): KindInfo {
  let info = customKindCache.get(ck);
  if (!info) {
    const schema = (ck.schema ?? {}) as SchemaNode;
    let validate;
    try {
      validate = ck.schema ? compileSchema(ck.schema) : undefined;
    } catch {
      validate = undefined;
    }
    info = kindFromSchema({ ...schema, 'x-kind': { kind: ck.kind, apiVersions: ck.apiVersions ?? [] } }, validate, false);
    customKindCache.set(ck, info);
  }
  return info;
}

/** The policies file of a workspace folder. */
export const POLICIES_FILE = join('.paved-road', 'policies.yaml');

/** The nearest `.paved-road/policies.yaml` at or above `dir`; `known` remembers the answer for each folder on the way. */
export function findPoliciesFile(dir: string, known?: Map<string, string | undefined>): string | undefined {
  if (known?.has(dir)) return known.get(dir);
  const f = join(dir, POLICIES_FILE);
  const found = existsSync(f) ? f : dirname(dir) === dir ? undefined : findPoliciesFile(dirname(dir), known);
  known?.set(dir, found);
  return found;
}

/** Reads a policies file from disk over the defaults (and over `base`, e.g. the editor's setting). */
export function loadPoliciesFile(file: string | undefined, base?: unknown): { policies: Policies; issues: string[] } {
  if (!file) return readPolicies(base);
  try {
    const text = readFileSync(file, 'utf8');
    const doc = parse(text) as unknown;
    const r = readPolicies(base, doc);
    return { policies: r.policies, issues: r.issues.map((i) => `${file}: ${i}`) };
  } catch (e) {
    return { policies: readPolicies(base).policies, issues: [`${file}: ${(e as Error).message}`] };
  }
}
