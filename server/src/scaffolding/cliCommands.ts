/**
 * The CLI's golden-path commands, over the same engine as the editor:
 *   paved-road templates [--format text|json]
 *   paved-road scaffold TEMPLATE --values FILE --out DIR
 *   paved-road add TEMPLATE --values FILE DIR
 * and what they share with `update`/`drift`: the catalog the policy reads (`--catalog` folders of catalog
 * files and snapshot files, default the repository's root), the templates (the root's .paved-road/templates,
 * `--templates` folders, the bundled ones), the identity (`--user`, PAVED_ROAD_USER, git config user.email).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { CatalogIndex } from '../catalog/catalogIndex';
import { isCatalogFile } from '../catalog/files';
import { findPoliciesFile, loadPoliciesFile, type Policies } from '../catalog/policies';
import { placementsOfText } from '../sources/fileRecords';
import { listYamlFiles } from '../sources/folderSource';
import { SnapshotFileSource } from '../sources/snapshotSource';
import { judge, storeRecord } from '../sources/storeFormat';
import { planAddition, planScaffold } from './plan';
import { coerceAnswer } from './policy';
import { findTemplate, loadTemplates } from './templates';
import { ScaffoldError, type Answers, type Plan, type ScaffoldContext, type TemplateRoot } from './types';
import { applyPlan } from './write';

export class CliUsageError extends Error {}

/** The options every golden-path command takes. */
export interface CliOptions {
  values?: string;
  out?: string;
  user?: string;
  catalog: string[];
  templates: string[];
  version?: string;
  format: 'text' | 'json';
  positional: string[];
}

export function parseCliOptions(argv: string[]): CliOptions {
  const o: CliOptions = { catalog: [], templates: [], format: 'text', positional: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (!v) throw new CliUsageError(`${a.split('=')[0]} needs a value`);
      return v;
    };
    const name = a.split('=')[0];
    if (name === '--values') o.values = value();
    else if (name === '--out') o.out = value();
    else if (name === '--user') o.user = value();
    else if (name === '--catalog') o.catalog.push(value());
    else if (name === '--templates') o.templates.push(value());
    else if (name === '--version') o.version = value();
    else if (name === '--format') {
      const v = value();
      if (v !== 'text' && v !== 'json') throw new CliUsageError(`--format must be text or json, not '${v}'`);
      o.format = v;
    } else if (a === '--') {
      o.positional.push(...argv.slice(i + 1));
      break;
    } else if (a.startsWith('-')) throw new CliUsageError(`unknown option '${a}'`);
    else o.positional.push(a);
  }
  return o;
}

/**
 * The repository root of a folder: the nearest one upward with `.git`, or a `.paved-road/` of the
 * repository (policies.yaml or templates/; a service's own, with only its answers, does not count); else
 * the current directory.
 */
export function projectRoot(dir: string): string {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (['.git', '.paved-road/policies.yaml', '.paved-road/templates'].some((m) => existsSync(join(d, m)))) return d;
    if (dirname(d) === d) return process.cwd();
  }
}

/** The bundled templates: `templates/` beside dist/ (the bundle) or at the repository's top (run from source). */
export function bundledTemplatesDir(): string | undefined {
  return [join(__dirname, '..', 'templates'), join(__dirname, '..', '..', '..', 'templates')].find((d) => existsSync(d) && statSync(d).isDirectory());
}

/** The template roots, in order: the root's .paved-road/templates, the --templates folders, the bundled ones. */
export function cliTemplateRoots(root: string, folders: string[]): TemplateRoot[] {
  const roots: TemplateRoot[] = [{ path: join(root, '.paved-road', 'templates'), origin: 'workspace' }];
  for (const f of folders) roots.push({ path: resolve(f), origin: 'folder' });
  const bundled = bundledTemplatesDir();
  if (bundled) roots.push({ path: bundled, origin: 'bundled' });
  return roots;
}

/** The identity: --user, else PAVED_ROAD_USER, else `git config user.email` (in `cwd`). */
export function cliIdentity(user: string | undefined, cwd: string): string | undefined {
  if (user) return user;
  if (process.env.PAVED_ROAD_USER) return process.env.PAVED_ROAD_USER;
  try {
    return execFileSync('git', ['config', 'user.email'], { cwd, encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The catalog the policy reads: each path a folder of catalog files (indexed as the editor indexes its
 * workspace, file by file) or a snapshot file (as a store). Problems reading one are returned, not thrown.
 */
export async function loadCliCatalog(paths: string[], policies: Policies): Promise<{ catalog: CatalogIndex; problems: string[] }> {
  const catalog = new CatalogIndex();
  const problems: string[] = [];
  for (const p of paths.map((x) => resolve(x))) {
    let st;
    try {
      st = statSync(p);
    } catch {
      problems.push(`--catalog ${p}: no such file or folder`);
      continue;
    }
    if (st.isDirectory()) {
      for (const file of await listYamlFiles(p)) {
        let text: string;
        try {
          text = await fs.readFile(file, 'utf8');
        } catch (e) {
          problems.push(`${file}: ${(e as Error).message}`);
          continue;
        }
        if (!isCatalogFile(file, text)) continue;
        const uri = pathToFileURL(file).toString();
        catalog.update(uri, { kind: 'file', uri }, placementsOfText(text, policies));
      }
    } else {
      const source = new SnapshotFileSource(p, p);
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), 60_000);
      try {
        const result = await source.fetch(controller.signal);
        const entities = result.judged ? result.entities : judge(result.entities);
        const items = entities.flatMap((e) => storeRecord(e) ?? []).map((record) => ({ record, chunkStart: 0, chunkLine: 0 }));
        catalog.update(`store:${source.id}`, { kind: 'store', source: source.id, label: source.label }, items);
      } catch (e) {
        problems.push(`--catalog ${p}: ${(e as Error).message}`);
      } finally {
        clearTimeout(timer);
      }
    }
  }
  return { catalog, problems };
}

/** The engine's context for a command run on `dir`: policies, catalog, identity and templates of its root. */
export async function cliContext(dir: string, o: CliOptions, warn: (line: string) => void): Promise<ScaffoldContext & { root: string }> {
  const root = projectRoot(dir);
  const pol = loadPoliciesFile(findPoliciesFile(root));
  for (const i of pol.issues) warn(i);
  const { catalog, problems } = await loadCliCatalog(o.catalog.length ? o.catalog : [root], pol.policies);
  for (const p of problems) warn(p);
  const { templates, problems: tp } = loadTemplates(cliTemplateRoots(root, o.templates));
  for (const p of tp) warn(p);
  return { root, catalog, policies: pol.policies, identity: cliIdentity(o.user, root), templates };
}

/** The answers of a values file (YAML or JSON, a mapping). */
export function readValues(file: string): Answers {
  let data: unknown;
  try {
    data = parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ScaffoldError(`--values ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message.split('\n')[0]}`);
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) throw new ScaffoldError(`--values ${file}: must be a mapping of parameter names to answers`);
  return data as Answers;
}

/** `templates`: each template with its versions (newest first), type and title. */
export async function mainTemplates(o: CliOptions, out: (s: string) => void, warn: (s: string) => void): Promise<number> {
  const root = projectRoot(process.cwd());
  const { templates, problems } = loadTemplates(cliTemplateRoots(root, o.templates));
  for (const p of problems) warn(p);
  if (o.format === 'json') {
    for (const t of templates) {
      const v = t.versions[0];
      out(JSON.stringify({ id: t.id, versions: t.versions.map((x) => x.manifest.version), type: v.manifest.type, title: v.manifest.title, description: v.manifest.description, tags: v.manifest.tags ?? [], origin: v.origin === 'folder' ? `folder:${v.root}` : v.origin }));
    }
    return 0;
  }
  const rows = templates.map((t) => [t.id, t.versions.map((x) => x.manifest.version).join(', '), t.versions[0].manifest.type, t.versions[0].manifest.title]);
  const head = ['TEMPLATE', 'VERSIONS', 'TYPE', 'TITLE'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const r of [head, ...rows]) out(r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  '));
  if (!templates.length) out('(no templates)');
  return 0;
}

/** `scaffold TEMPLATE --values FILE --out DIR` and `add TEMPLATE --values FILE DIR`: 0 written, 1 refused (violations, a file that differs). */
export async function mainWrite(action: 'scaffold' | 'add', o: CliOptions, out: (s: string) => void, warn: (s: string) => void): Promise<number> {
  const [id, dirArg, ...extra] = o.positional;
  if (!id) throw new CliUsageError('missing TEMPLATE: name a template (paved-road templates lists them)');
  if (!o.values) throw new CliUsageError('missing --values FILE: the answers, as YAML or JSON');
  if (extra.length) throw new CliUsageError(`unexpected argument '${extra[0]}'`);
  const dir = action === 'scaffold' ? o.out : dirArg;
  if (action === 'scaffold' && dirArg) throw new CliUsageError(`unexpected argument '${dirArg}': scaffold writes under --out DIR`);
  if (!dir) throw new CliUsageError(action === 'scaffold' ? 'missing --out DIR: the folder the new service goes in' : 'missing DIR: the service folder to add to');
  const values = readValues(o.values);
  const ctx = await cliContext(dir, o, warn);
  const v = findTemplate(ctx.templates, id, o.version);
  if (!v) {
    const t = ctx.templates.find((x) => x.id === id);
    throw new ScaffoldError(t ? `${id} has no version ${o.version}: it has ${t.versions.map((x) => x.manifest.version).join(', ')}` : `no template ${id}: it is none of ${ctx.templates.map((x) => x.id).join(', ') || '(no templates)'}`);
  }
  for (const p of v.parameters) if (p.name in values) values[p.name] = coerceAnswer(p, values[p.name]);
  const plan: Plan = action === 'scaffold' ? planScaffold(ctx, v, values, dir) : planAddition(ctx, v, values, dir);
  if (plan.violations.length) {
    warn(`nothing written: ${plan.violations.length} problem${plan.violations.length === 1 ? '' : 's'} to fix first:`);
    for (const x of plan.violations) warn(`  ${x.rule}: ${x.message}`);
    return 1;
  }
  const changed = plan.files.filter((f) => f.state === 'changed');
  if (changed.length) {
    warn(`nothing written: ${changed.length === 1 ? 'a file exists' : 'files exist'} and differ${changed.length === 1 ? 's' : ''}, and the CLI never overwrites:`);
    for (const f of changed) warn(`  ${join(plan.target, f.path)}`);
    return 1;
  }
  const { written } = applyPlan(ctx, plan, []);
  const shown = relative(process.cwd(), plan.target) || '.';
  if (!written.length) out(`${shown}: already up to date with ${v.manifest.id} ${v.manifest.version}; nothing written`);
  else {
    out(`${action === 'scaffold' ? 'created' : 'added to'} ${shown}: ${v.manifest.id} ${v.manifest.version}, ${written.length} file${written.length === 1 ? '' : 's'}${plan.audited ? ` (role ${plan.role}, audited)` : ''}`);
    for (const f of written) out(`  ${f}`);
  }
  return 0;
}
