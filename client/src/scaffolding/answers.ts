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
