/**
 * Answers as the wizard types them: a parameter's text in an input box and back, and violations in words.
 * Pure (no VS Code import), so unit tests can hold the rules.
 */
import type { TemplateParameter, Violation } from '../../../server/src/scaffolding/types';

/** The value typed for a parameter, as the engine checks it: numbers as numbers, a list split on commas; empty is no answer. */
export function parseAnswer(p: TemplateParameter, text: string): unknown {
  const t = text.trim();
  if (p.type === 'array') return t ? t.split(',').map((s) => s.trim()).filter(Boolean) : p.required ? [] : undefined;
  if (!t) return p.type === 'string' && p.required ? '' : undefined;
  if ((p.type === 'integer' || p.type === 'number') && /^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  return p.type === 'string' ? text : t;
}

/** An answer (or a default) as the input box shows it. */
export function showAnswer(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(String).join(', ');
  return String(value);
}

/** The first violation's parameter, for the wizard to go back to it. */
export function offendingParameter(violations: readonly Violation[], parameters: readonly TemplateParameter[]): number {
  for (const v of violations) {
    const i = parameters.findIndex((p) => p.name === v.parameter);
    if (i >= 0) return i;
  }
  return -1;
}

/** Violations as the error message lists them: one line each, what to change. */
export function describeViolations(violations: readonly Violation[]): string {
  return violations.map((v) => `• ${v.message}`).join('\n');
}

/** A written ref in full (`payments-team` as a Group → `group:default/payments-team`), as the catalog choices give them. */
export function fullRef(written: string, defaultKind: string): string {
  const m = /^(?:([^:/]+):)?(?:([^:/]+)\/)?([^:/]+)$/.exec(written.trim());
  return m ? `${(m[1] ?? defaultKind).toLowerCase()}:${m[2] ?? 'default'}/${m[3]}` : written;
}

/**
 * An addition's answers taken from its service's Component, as the engine takes them: parameters named
 * service, owner, system and lifecycle get the service's name, owner, system and lifecycle.
 */
export function answersFromService(component: { metadata?: { name?: unknown }; spec?: Record<string, unknown> } | undefined, parameters: readonly TemplateParameter[]): Record<string, unknown> {
  const fields: Record<string, unknown> = { service: component?.metadata?.name, owner: component?.spec?.owner, system: component?.spec?.system, lifecycle: component?.spec?.lifecycle };
  const out: Record<string, unknown> = {};
  for (const p of parameters) {
    const v = fields[p.name];
    if (typeof v === 'string' && v) out[p.name] = p.catalog ? fullRef(v, p.catalog.kinds[0] ?? 'group') : v;
  }
  return out;
}
