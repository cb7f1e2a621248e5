/**
 * Quick fixes for our own diagnostics: the did-you-mean replacement, the explicit kind a dependsOn entry
 * needs, a typed owner, and a missing required key with a placeholder. The fix that names an entity the
 * catalog has is preferred.
 */
import type { CatalogIndex } from '../catalog/catalogIndex';
import { parseRefString, stringifyRef } from '../catalog/refs';
import type { ProblemData } from '../catalog/types';

export interface Position {
  line: number;
  character: number;
}

/** A diagnostic as the client sends it back. */
export interface DiagnosticInput {
  code?: string | number;
  range: { start: Position; end: Position };
  data?: unknown;
}

export interface ActionEntry {
  title: string;
  edit: { start: Position; end: Position; newText: string };
  preferred: boolean;
  diagnostic: DiagnosticInput;
}

const FIXABLE = new Set(['ref-not-found', 'ref-kind-required', 'policy-owner-typed', 'required']);

/**
 * The fixes of the diagnostics in range. `namespaceAt` gives the namespace of the entity at a position
 * (references without one resolve there).
 */
export function codeActions(index: CatalogIndex, diagnostics: readonly DiagnosticInput[], namespaceAt: (p: Position) => string): ActionEntry[] {
  const out: ActionEntry[] = [];
  for (const d of diagnostics) {
    if (!FIXABLE.has(String(d.code))) continue;
    const data = (d.data ?? {}) as ProblemData;
    if (data.insertLineAfter) {
      const line = data.insertLineAfter;
      const at = { line: d.range.start.line + 1, character: 0 };
      out.push({ title: `Add '${line.trim()}'`, edit: { start: at, end: at, newText: line }, preferred: true, diagnostic: d });
    }
    const replacements = data.replacements ?? [];
    const namespace = namespaceAt(d.range.start);
    const exists = (written: string): boolean => {
      const p = parseRefString(written);
      return !!p?.kind && index.get(stringifyRef(p.kind, p.namespace ?? namespace, p.name)).length > 0;
    };
    // The first replacement that the catalog knows is the preferred one.
    const best = d.code === 'ref-not-found' ? replacements[0] : replacements.find(exists);
    for (const r of replacements) {
      out.push({
        title: d.code === 'ref-not-found' ? `Change to '${r}'` : `Write '${r}'${exists(r) ? '' : ' (not in the catalog)'}`,
        edit: { start: d.range.start, end: d.range.end, newText: r },
        preferred: r === best,
        diagnostic: d,
      });
    }
  }
  return out;
}
