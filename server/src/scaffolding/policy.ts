/**
 * Policy before anything is written, the same code in the editor and the CLI. In order: the answers
 * against the template's parameters schema; the organisation's naming rule; the name not taken in the
 * catalog; each catalog answer exists with one of its kinds; who is asking, their role, and whether that
 * role may act on the owner's services; then the template's own rules. Each violation says what to change.
 */
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { CatalogIndex } from '../catalog/catalogIndex';
import type { Policies, RolePolicy } from '../catalog/policies';
import { parseRefString, stringifyRef } from '../catalog/refs';
import { findUser, teamsOf } from '../views/myTeam';
import { answersValidator, describeError } from './manifest';
import { renderEdits } from './render';
import type { Answers, Condition, ScaffoldContext, TemplateParameter, TemplateVersion, Violation } from './types';

/** What the policy knows of an addition's service: its folder and its Component's owner. */
export interface PolicyScope {
  serviceDir?: string;
  owner?: string;
}

/** Who is asking and what their role lets them do. */
export interface Actor {
  who?: string;
  /** The User entity's ref, when the identity matched one. */
  user?: string;
  teams: string[];
  role: string;
  policy?: RolePolicy;
}

const PERMISSIVENESS = { none: 0, 'own-team': 1, any: 2 } as const;

/** The full ref of a written one (`payments-team` with default kind Group → `group:default/payments-team`). */
export function fullRef(written: string, defaultKind?: string): string | undefined {
  const p = parseRefString(written.trim());
  const kind = p?.kind ?? defaultKind;
  return p && kind ? stringifyRef(kind, p.namespace ?? 'default', p.name) : undefined;
}

/** The identity, its User, its teams and its role: the most permissive role any of its Groups maps to, else the default role. */
export function actorOf(catalog: CatalogIndex, policies: Policies, identity: string | undefined): Actor {
  const user = identity ? findUser(catalog, identity) : undefined;
  const teams = user ? teamsOf(catalog, user) : [];
  let role = policies.defaultRole;
  let best: RolePolicy | undefined;
  for (const [name, r] of Object.entries(policies.roles)) {
    if (!(r.groups ?? []).some((g) => teams.includes(fullRef(g, 'group') ?? ''))) continue;
    if (!best || PERMISSIVENESS[r.scaffold] > PERMISSIVENESS[best.scaffold]) {
      best = r;
      role = name;
    }
  }
  return { who: identity, user: user?.record.ref, teams, role, policy: best ?? policies.roles[policies.defaultRole] };
}

/** Every violation of the answers, in the order of the checks. `scope` is an addition's service. */
export function checkPolicy(ctx: ScaffoldContext, v: TemplateVersion, answers: Answers, scope: PolicyScope = {}): Violation[] {
  const out: Violation[] = [];
  const params = new Map(v.parameters.map((p) => [p.name, p]));
  const label = (name: string): string => {
    const t = params.get(name)?.title;
    return t && t !== name ? `${name} (${t})` : name;
  };

  // 1. The parameters schema.
  const validate = answersValidator(v.manifest);
  if (!validate(answers)) {
    for (const e of validate.errors ?? []) {
      const parameter = e.keyword === 'required' ? String((e.params as { missingProperty: string }).missingProperty) : e.instancePath.split('/')[1];
      const p = parameter ? params.get(parameter) : undefined;
      let message: string;
      if (e.keyword === 'required') message = `${label(parameter)} is required: answer it${p?.description ? ` (${p.description})` : ''}`;
      else {
        message = describeError(e, 'the answers').replace(/^[^ :]+/, (first) => (first === parameter ? label(parameter) : first));
        if (e.keyword === 'pattern' && p?.description) message += ` (${p.description})`;
        else if (e.keyword === 'additionalProperties') message += `: remove it, or answer one of ${[...params.keys()].join(', ')}`;
      }
      out.push({ rule: 'schema', parameter, message });
    }
  }

  // 2. The organisation's naming rule, on the name.
  const name = typeof answers.name === 'string' ? answers.name : undefined;
  if (name !== undefined && ctx.policies.naming && !new RegExp(ctx.policies.naming.pattern, 'u').test(name)) {
    const why = ctx.policies.naming.message ?? `it must match ${ctx.policies.naming.pattern}`;
    out.push({ rule: 'naming', parameter: 'name', message: `name '${name}' does not follow the naming rule: ${why}. Choose a name that does.` });
  }

  // 3. The name is not taken (by an entity defined elsewhere than the service an addition applies to).
  for (const ref of createdRefs(v, answers)) {
    const elsewhere = ctx.catalog.get(ref).filter((p) => !(scope.serviceDir && p.provenance.kind === 'file' && sameFile(p.provenance.uri, join(scope.serviceDir, 'catalog-info.yaml'))));
    if (elsewhere.length) {
      const where = elsewhere[0].provenance.kind === 'file' ? fileURLToPath(elsewhere[0].provenance.uri) : `the catalog store ${elsewhere[0].provenance.label}`;
      out.push({ rule: 'name-taken', parameter: 'name', message: `${ref} already exists (in ${where}): choose another name` });
    }
  }

  // 4. Catalog answers exist, with one of their kinds.
  for (const p of v.parameters) {
    const value = answers[p.name];
    if (!p.catalog || typeof value !== 'string' || !value) continue;
    const problem = catalogProblem(ctx.catalog, p, value);
    if (problem) out.push({ rule: 'catalog-ref', parameter: p.name, message: problem });
  }

  // 5. Who is asking, and whether their role may act on the owner's services.
  out.push(...roleViolations(ctx, v, answers, scope));

  // 6. The template's rules.
  for (const rule of v.manifest.rules ?? []) {
    const applies = Object.entries(rule.when ?? {}).every(([k, c]) => holds(answers[k], c));
    if (!applies) continue;
    const broken = Object.entries(rule.require).find(([k, c]) => !holds(answers[k], c));
    if (broken) out.push({ rule: rule.id, parameter: broken[0], message: rule.message });
  }
  return out;
}

/** The first violation about one parameter with this value (the others' answers as given): for validation as the user types. */
export function checkParameter(ctx: ScaffoldContext, v: TemplateVersion, name: string, value: unknown, answers: Answers, scope: PolicyScope = {}): string | undefined {
  return checkPolicy(ctx, v, { ...answers, [name]: value }, scope).find((x) => x.parameter === name)?.message;
}

/**
 * An answer as the parameter's type: text typed for a number, a boolean or a list (comma-separated); a
 * number or boolean given for a string (YAML reads `version: 16` as a number). Other values unchanged.
 */
export function coerceAnswer(p: TemplateParameter, raw: unknown): unknown {
  if (p.type === 'string' && (typeof raw === 'number' || typeof raw === 'boolean')) return String(raw);
  if (typeof raw !== 'string') return raw;
  const t = raw.trim();
  if ((p.type === 'integer' || p.type === 'number') && t !== '' && !Number.isNaN(Number(t))) return Number(t);
  if (p.type === 'boolean' && (t === 'true' || t === 'false')) return t === 'true';
  if (p.type === 'array') return t ? t.split(',').map((s) => s.trim()).filter(Boolean) : [];
  return raw;
}

/** The refs of what the template creates: a Component named after the service, or the entities an addition appends. */
function createdRefs(v: TemplateVersion, answers: Answers): string[] {
  if (v.manifest.type === 'service') return typeof answers.name === 'string' && answers.name ? [stringifyRef('component', 'default', answers.name)] : [];
  const refs: string[] = [];
  let entities: { text: string }[];
  try {
    entities = renderEdits(v, answers).entities;
  } catch {
    return refs; // a bad answer that cannot render is reported by the other checks
  }
  for (const e of entities) for (const d of parseAllDocuments(e.text)) {
    const ref = entityRef(d.toJS() as unknown);
    if (ref) refs.push(ref);
  }
  return refs;
}

/** The ref of an entity document (kind, metadata.namespace, metadata.name). */
export function entityRef(doc: unknown): string | undefined {
  const d = doc as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } } | null;
  if (!d || typeof d.kind !== 'string' || typeof d.metadata?.name !== 'string') return undefined;
  return stringifyRef(d.kind, typeof d.metadata.namespace === 'string' ? d.metadata.namespace : 'default', d.metadata.name);
}

function sameFile(uri: string, path: string): boolean {
  try {
    return resolve(fileURLToPath(uri)) === resolve(path);
  } catch {
    return false;
  }
}

function catalogProblem(catalog: CatalogIndex, p: TemplateParameter, value: string): string | undefined {
  const kinds = p.catalog!.kinds;
  const plural = kinds.map((k) => `${k}s`).join(' or ');
  const ref = fullRef(value, kinds[0]);
  if (!ref) return `${p.name} '${value}' is not an entity ref: pick one of the ${plural} (kind:namespace/name)`;
  const found = catalog.first(ref);
  if (found && kinds.some((k) => k.toLowerCase() === found.record.kind.toLowerCase())) return undefined;
  if (found) return `${p.name} ${ref} is a ${found.record.kind}, not a ${kinds.join(' or ')}: pick one of the ${plural}`;
  const parsed = parseRefString(ref)!;
  const near = kinds.flatMap((k) => catalog.namesOfKind(k).closest(parsed.namespace ?? 'default', parsed.name));
  return `${p.name} ${ref} is not in the catalog: pick an existing ${kinds.join(' or ')}${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}`;
}

function roleViolations(ctx: ScaffoldContext, v: TemplateVersion, answers: Answers, scope: PolicyScope): Violation[] {
  const actor = actorOf(ctx.catalog, ctx.policies, ctx.identity);
  const action = v.manifest.type === 'service' ? 'create services' : 'add to services';
  if (!ctx.identity) {
    return [{ rule: 'identity', message: 'who you are is not known: set pavedRoad.identity.email (editor), or --user / PAVED_ROAD_USER / git config user.email (CLI), to the email of your User entity' }];
  }
  if (!actor.user && actor.policy?.scaffold !== 'any') {
    return [{ rule: 'identity', message: `no User entity of the catalog has the email ${ctx.identity}: add your User (spec.profile.email) to the catalog, or set your identity to the email of your User entity` }];
  }
  if (!actor.policy || actor.policy.scaffold === 'none') {
    return [{ rule: 'role', message: `your role ${actor.role} may not ${action}: ask a member of the owning team, or a platform engineer, to do it` }];
  }
  if (actor.policy.scaffold === 'any') return [];
  const ownerParam = v.parameters.find((p) => p.name === 'owner') ?? v.parameters.find((p) => p.catalog?.kinds.some((k) => /^(group|user)$/i.test(k)));
  const written = scope.owner ?? (ownerParam && typeof answers[ownerParam.name] === 'string' ? (answers[ownerParam.name] as string) : undefined);
  if (!written) return scope.serviceDir ? [{ rule: 'own-team', message: `the service's Component names no owner: add spec.owner to its catalog-info.yaml` }] : [];
  const owner = fullRef(written, 'group');
  if (owner && (actor.teams.includes(owner) || owner === actor.user)) return [];
  const mine = actor.teams.length ? `your teams are ${actor.teams.join(', ')}` : 'you are in no team of the catalog';
  return [
    {
      rule: 'own-team',
      parameter: scope.owner ? undefined : ownerParam?.name,
      message: `your role ${actor.role} may ${action} only for your own teams, and ${owner ?? written} is not one of them (${mine}): ${scope.owner ? 'ask a member of the owning team' : 'pick one of your teams as the owner'}, or ask a platform engineer`,
    },
  ];
}

/** Whether an answer meets a rule's condition. */
function holds(value: unknown, c: Condition): boolean {
  if (c.equals !== undefined && JSON.stringify(value) !== JSON.stringify(c.equals)) return false;
  if (c.contains !== undefined) {
    if (Array.isArray(value) ? !value.includes(c.contains) : typeof value !== 'string' || !value.includes(c.contains)) return false;
  }
  if (c.pattern !== undefined && (typeof value !== 'string' || !new RegExp(c.pattern, 'u').test(value))) return false;
  if (c.equals === undefined && c.contains === undefined && c.pattern === undefined) return value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && !value.length);
  return true;
}
