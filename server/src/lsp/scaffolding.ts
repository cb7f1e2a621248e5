/**
 * The LSP handlers of golden paths (issue 11): the templates, the catalog's choices for a parameter, a
 * parameter checked as it is typed, plan and apply of a scaffold or an addition, drift, and updates. Thin:
 * each builds a ScaffoldContext from the server's catalog index and policies, and calls the engine in
 * scaffolding/ (the same code the CLI runs).
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LSPErrorCodes, ResponseError, type CancellationToken, type Connection } from 'vscode-languageserver/node';
import type { CatalogIndex } from '../catalog/catalogIndex';
import type { Policies } from '../catalog/policies';
import { displayName } from '../catalog/relations';
import {
  ApplyScaffoldRequest,
  ApplyUpdateRequest,
  CatalogChoicesRequest,
  ListTemplatesRequest,
  PlanScaffoldRequest,
  PlanUpdateRequest,
  TemplateDriftRequest,
  ValidateParameterRequest,
  type CatalogChoice,
  type ScaffoldInputs,
  type TemplateSummary,
  type TemplateTarget,
} from '../protocol';
import { planAddition, planScaffold } from '../scaffolding/plan';
import { checkParameter } from '../scaffolding/policy';
import { findTemplate, latest, loadTemplates } from '../scaffolding/templates';
import { ScaffoldError, type Answers, type ScaffoldContext, type Template, type TemplateRoot, type TemplateVersion } from '../scaffolding/types';
import { drift, planUpdate, applyUpdate } from '../scaffolding/update';
import { applyPlan } from '../scaffolding/write';
import type { CatalogDocuments } from './catalogDocuments';
import { gitEmail } from './catalogViews';
import { runSafe, type Log } from './runSafe';

export interface ScaffoldingDeps {
  index: CatalogIndex;
  catalog: Pick<CatalogDocuments, 'whenPrepared' | 'policiesFor'>;
  log: Log;
  /** The workspace folders' paths. */
  folders: () => readonly string[];
}

/** The extension's own templates: `templates/` beside `dist/`, where this bundle runs. */
export const BUNDLED_TEMPLATES = resolve(__dirname, '..', 'templates');
/** A workspace's own templates. */
export const WORKSPACE_TEMPLATES = join('.paved-road', 'templates');
/** At most this many catalog choices for one parameter (the quick pick filters as the user types). */
const MAX_CHOICES = 5000;
/** Longer strings from the client are refused. */
const MAX_TEXT = 10_000;

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.length <= MAX_TEXT ? v : undefined);
const answersOf = (v: unknown): Answers => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Answers) : {});

/** The roots in order, first wins: each workspace folder's `.paved-road/templates/`, the setting's folders, the bundled ones. */
export function templateRoots(folders: readonly string[], configured: readonly string[], bundled = BUNDLED_TEMPLATES): TemplateRoot[] {
  const roots: TemplateRoot[] = folders.map((f) => ({ path: join(f, WORKSPACE_TEMPLATES), origin: 'workspace' }));
  for (const c of configured) {
    if (typeof c !== 'string' || !c.trim()) continue;
    const path = isAbsolute(c) || !folders[0] ? resolve(c) : resolve(folders[0], c);
    roots.push({ path, origin: 'folder' });
  }
  roots.push({ path: bundled, origin: 'bundled' });
  return roots.filter((r) => existsSync(r.path));
}

export function summaryOf(t: Template): TemplateSummary {
  const v = latest(t);
  const m = v.manifest;
  return {
    id: t.id,
    title: m.title,
    description: m.description,
    tags: m.tags ?? [],
    type: m.type,
    version: m.version,
    versions: t.versions.map((x) => x.manifest.version),
    origin: v.origin,
    root: v.root,
    parameters: v.parameters,
  };
}

/** The catalog's entities of `kinds` by display name (then ref), for a catalog-backed parameter. */
export function catalogChoices(index: CatalogIndex, kinds: readonly string[]): CatalogChoice[] {
  const out: CatalogChoice[] = [];
  for (const kind of new Set(kinds.map((k) => k.toLowerCase()))) {
    for (const ref of index.refsOfKind(kind)) {
      const p = index.first(ref);
      if (!p) continue;
      out.push({ ref, kind: p.record.kind, label: displayName(p) ?? p.record.name, description: p.record.description });
      if (out.length >= MAX_CHOICES) break;
    }
  }
  return out.sort((a, b) => a.label.localeCompare(b.label) || (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
}

export function registerScaffolding(connection: Connection, deps: ScaffoldingDeps): void {
  const { index, catalog, log } = deps;
  /** The templates as last loaded: the list request reloads them (the start of every wizard). */
  let loaded: { templates: Template[]; problems: string[] } | undefined;

  async function configuredFolders(): Promise<string[]> {
    const folder = deps.folders()[0];
    try {
      const s = (await connection.workspace.getConfiguration({ scopeUri: folder ? pathToFileURL(folder).toString() : undefined, section: 'pavedRoad.templates' })) as { folders?: unknown } | null;
      return Array.isArray(s?.folders) ? s.folders.filter((f): f is string => typeof f === 'string') : [];
    } catch (e) {
      log(`could not read pavedRoad.templates: ${String(e)}`);
      return [];
    }
  }

  async function templates(reload = false): Promise<{ templates: Template[]; problems: string[] }> {
    if (!loaded || reload) {
      loaded = loadTemplates(templateRoots(deps.folders(), await configuredFolders()));
      for (const p of loaded.problems) log(`template: ${p}`);
    }
    return loaded;
  }

  /** The organisation's policies for a folder: the setting, overlaid by the nearest .paved-road/policies.yaml. */
  const policiesAt = (dir: string): Policies => catalog.policiesFor(pathToFileURL(join(dir, 'catalog-info.yaml')).toString()).policies;

  // git's user.email of a folder, asked once: validation as the user types must not start git per keystroke.
  const gitEmails = new Map<string, Promise<string | undefined>>();
  const gitIdentity = (folder: string): Promise<string | undefined> => {
    let email = gitEmails.get(folder);
    if (!email) gitEmails.set(folder, (email = gitEmail(folder, log)));
    return email;
  };

  async function context(email: unknown): Promise<ScaffoldContext> {
    const given = text(email)?.trim();
    const folder = deps.folders()[0];
    const identity = given || (folder ? await gitIdentity(folder) : undefined);
    return { catalog: index, policies: policiesAt(folder ?? process.cwd()), identity, templates: (await templates()).templates };
  }

  function versionOf(ctx: ScaffoldContext, p: TemplateTarget): TemplateVersion {
    const id = text(p?.template);
    const version = text(p?.version);
    const v = id ? findTemplate(ctx.templates, id, version) : undefined;
    if (!v) throw new ScaffoldError(`no template ${id ?? '(none)'}${version ? ` at version ${version}` : ''}: ask for the list of templates again`);
    return v;
  }

  /** Runs an engine call once no large file is being prepared; a ScaffoldError goes back as the request's error. */
  const safe = <T>(name: string, neutral: T, token: CancellationToken, fn: () => T) =>
    catalog.whenPrepared(() =>
      runSafe(log, name, neutral, token, () => {
        try {
          return fn();
        } catch (e) {
          if (e instanceof ScaffoldError) throw new ResponseError(LSPErrorCodes.RequestFailed, e.message);
          throw e;
        }
      }),
    );

  function plan(ctx: ScaffoldContext, p: ScaffoldInputs) {
    const v = versionOf(ctx, p);
    const dir = text(p?.dir);
    if (!dir || !isAbsolute(dir)) throw new ScaffoldError('the folder must be an absolute path');
    const answers = answersOf(p?.answers);
    // The policies that apply where the files go.
    const here = { ...ctx, policies: policiesAt(p.action === 'add' ? dir : join(dir, '_')) };
    if (p.action === 'add') {
      if (v.manifest.type !== 'addition') throw new ScaffoldError(`${v.manifest.title} makes a new service; it is not an addition`);
      return { ctx: here, plan: planAddition(here, v, answers, dir) };
    }
    if (v.manifest.type !== 'service') throw new ScaffoldError(`${v.manifest.title} is an addition to an existing service: use Add to Service`);
    return { ctx: here, plan: planScaffold(here, v, answers, dir) };
  }

  connection.onRequest(ListTemplatesRequest.type, async (_p, token) => {
    const t = await templates(true);
    return safe('templates', { templates: [], problems: t.problems }, token, () => ({ templates: t.templates.map(summaryOf), problems: t.problems }));
  });

  connection.onRequest(CatalogChoicesRequest.type, (p, token) =>
    safe('catalogChoices', [], token, () => catalogChoices(index, Array.isArray(p?.kinds) ? p.kinds.filter((k): k is string => typeof k === 'string') : [])),
  );

  connection.onRequest(ValidateParameterRequest.type, async (p, token) => {
    const ctx = await context(p?.email);
    return safe('validateParameter', {}, token, () => {
      const name = text(p?.name);
      if (!name) return {};
      const service = text(p.service);
      const scope = service && isAbsolute(service) ? { serviceDir: service } : {};
      return { message: checkParameter(service ? { ...ctx, policies: policiesAt(service) } : ctx, versionOf(ctx, p), name, p.value, answersOf(p.answers), scope) };
    });
  });

  connection.onRequest(PlanScaffoldRequest.type, async (p, token) => {
    const ctx = await context(p?.email);
    return safe('planScaffold', null as never, token, () => plan(ctx, p).plan);
  });

  connection.onRequest(ApplyScaffoldRequest.type, async (p, token) => {
    const ctx = await context(p?.email);
    return safe('applyScaffold', null as never, token, () => {
      const { ctx: here, plan: planned } = plan(ctx, p);
      if (planned.violations.length) return { target: planned.target, written: [], violations: planned.violations };
      const overwrite = Array.isArray(p.overwrite) ? p.overwrite.filter((o): o is string => typeof o === 'string') : [];
      const { written } = applyPlan(here, planned, overwrite);
      log(`${planned.action} ${planned.template}@${planned.version} into ${planned.target}: ${written.length} files written`);
      return { target: planned.target, written, violations: [] };
    });
  });

  connection.onRequest(TemplateDriftRequest.type, async (_p, token) => {
    const ctx = await context(undefined);
    return safe('templateDrift', [], token, () => drift(ctx, [...deps.folders()]));
  });

  const updateArgs = (p: { dir?: unknown; to?: unknown; answers?: unknown }): [string, string | undefined, Answers] => {
    const dir = text(p?.dir);
    if (!dir || !isAbsolute(dir)) throw new ScaffoldError('the service folder must be an absolute path');
    return [dir, text(p?.to), answersOf(p?.answers)];
  };

  connection.onRequest(PlanUpdateRequest.type, async (p, token) => {
    const ctx = await context(p?.email);
    return safe('planUpdate', null as never, token, () => {
      const [dir, to, answers] = updateArgs(p);
      return planUpdate({ ...ctx, policies: policiesAt(dir) }, dir, to, answers);
    });
  });

  connection.onRequest(ApplyUpdateRequest.type, async (p, token) => {
    const ctx = await context(p?.email);
    return safe('applyUpdate', null as never, token, () => {
      const [dir, to, answers] = updateArgs(p);
      const here = { ...ctx, policies: policiesAt(dir) };
      const r = applyUpdate(here, planUpdate(here, dir, to, answers));
      log(`update of ${dir}: ${r.written.length} files written, ${r.conflicts.length} with conflicts`);
      return r;
    });
  });
}
