/**
 * Rendering: mustache without HTML escaping, GitHub Actions `${{ … }}` kept byte for byte, file and folder
 * names rendered too and then checked safe. The view is the answers, `<param>Name` for each catalog
 * answer (the entity's name alone), `template: { id, version }`, and the case lambdas
 * `snake`, `pascal`, `upper`, `kebab` (`{{#snake}}{{name}}{{/snake}}`).
 */
import { readFileSync, statSync } from 'node:fs';
import Mustache from 'mustache';
import { globToRegExp } from '../catalog/files';
import { safeRelativePath } from './paths';
import { ScaffoldError, type Answers, type RenderedFile, type TemplateVersion } from './types';

/** GitHub Actions expressions (`${{ github.sha }}`), which mustache would otherwise take for tags. */
const ACTIONS_EXPRESSION = /\$\{\{[\s\S]*?\}\}/g;

/** Renders a text with a view: no HTML escaping, `${{ … }}` left exactly as written. */
export function renderString(text: string, view: object): string {
  const kept: string[] = [];
  let marker = 'PAVED_ROAD_KEPT_';
  while (text.includes(marker)) marker += '_';
  const guarded = text.replace(ACTIONS_EXPRESSION, (m) => `${marker}${kept.push(m) - 1}#`);
  const out = Mustache.render(guarded, view, {}, { escape: (s: unknown) => String(s) });
  return kept.length ? out.replace(new RegExp(`${marker}(\\d+)#`, 'g'), (_, i: string) => kept[Number(i)]) : out;
}

/** Splits a name into its words: `paymentsAPI v2`, `payments-api`, `payments_api` → payments, api(, v2). */
function words(s: string): string[] {
  return s
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

export const CASES: Record<'snake' | 'pascal' | 'upper' | 'kebab', (s: string) => string> = {
  snake: (s) => words(s).join('_'),
  kebab: (s) => words(s).join('-'),
  pascal: (s) => words(s).map((w) => w[0].toUpperCase() + w.slice(1)).join(''),
  upper: (s) => words(s).join('_').toUpperCase(),
};

/** The entity name of a ref (`group:default/payments-team` → `payments-team`). */
export function refName(ref: string): string {
  return ref.slice(Math.max(ref.lastIndexOf(':'), ref.lastIndexOf('/')) + 1);
}

/** The view a version's files are rendered with. */
export function viewOf(v: TemplateVersion, answers: Answers): Record<string, unknown> {
  const view: Record<string, unknown> = { ...answers };
  for (const p of v.parameters) if (p.catalog && typeof answers[p.name] === 'string') view[`${p.name}Name`] = refName(answers[p.name] as string);
  view.template = { id: v.manifest.id, version: v.manifest.version };
  for (const [name, f] of Object.entries(CASES)) view[name] = () => (text: string, render: (t: string) => string) => f(render(text));
  return view;
}

/** Renders one template file's text, naming the file when mustache cannot parse it. */
function renderText(rel: string, text: string, view: object): string {
  try {
    return renderString(text, view);
  } catch (e) {
    throw new ScaffoldError(`${rel}: ${(e as Error).message}`);
  }
}

/** A rendered relative path, checked safe (an answer such as `../../etc` is refused here). */
export function renderPath(rel: string, view: object): string {
  return safeRelativePath(renderText(rel, rel, view));
}

/**
 * The files of a version rendered with the answers, sorted by path: names and texts rendered (verbatim
 * globs copied as they are, a non-UTF-8 one as base64), line ends `\n`, the executable bit kept. The
 * files an addition appends to catalog-info.yaml (`edits.appendEntities`) are not among them: see renderEdits.
 */
export function renderTemplate(v: TemplateVersion, answers: Answers): RenderedFile[] {
  const view = viewOf(v, answers);
  const verbatim = (v.manifest.verbatim ?? []).map(globToRegExp);
  const appended = new Set(v.manifest.edits?.appendEntities ?? []);
  const out = new Map<string, RenderedFile>();
  for (const [rel, abs] of v.files) {
    if (appended.has(rel)) continue;
    const path = renderPath(rel, view);
    if (out.has(path)) throw new ScaffoldError(`${rel}: renders to ${path}, which another template file renders to too`);
    const bytes = readFileSync(abs);
    const file: RenderedFile = { path, content: '' };
    if (verbatim.some((re) => re.test(rel))) {
      const text = bytes.toString('utf8');
      if (Buffer.from(text, 'utf8').equals(bytes)) file.content = text;
      else {
        file.content = bytes.toString('base64');
        file.encoding = 'base64';
      }
    } else file.content = renderText(rel, bytes.toString('utf8').replace(/\r\n/g, '\n'), view);
    if (statSync(abs).mode & 0o111) file.executable = true;
    out.set(path, file);
  }
  return [...out.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** What an addition does to catalog-info.yaml: the refs for spec.dependsOn and the entity documents to append, rendered. */
export function renderEdits(v: TemplateVersion, answers: Answers): { dependsOn: string[]; entities: { path: string; text: string }[] } {
  const view = viewOf(v, answers);
  const dependsOn = (v.manifest.edits?.dependsOn ?? []).map((r) => renderText('edits.dependsOn', r, view).trim());
  const entities = (v.manifest.edits?.appendEntities ?? []).map((rel) => {
    const abs = v.files.get(rel);
    if (!abs) throw new ScaffoldError(`edits.appendEntities names ${rel}, which is not among the template's files`);
    return { path: rel, text: renderText(rel, readFileSync(abs, 'utf8').replace(/\r\n/g, '\n'), view) };
  });
  return { dependsOn, entities };
}
