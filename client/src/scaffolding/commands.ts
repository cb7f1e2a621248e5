/**
 * Golden paths from the command palette: Create from Template…, Add to Service…, Update from Template and
 * Check Template Drift. The server plans, checks the policy and writes (the engine the CLI runs); here the
 * user answers, previews, consents, and sees the result. Disabled in untrusted workspaces.
 */
import { execFile } from 'node:child_process';
import { basename, dirname, join, relative } from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  ApplyScaffoldRequest,
  ApplyUpdateRequest,
  ListTemplatesRequest,
  PlanScaffoldRequest,
  PlanUpdateRequest,
  TemplateDriftRequest,
  type ScaffoldInputs,
  type TemplateSummary,
} from '../../../server/src/protocol';
import type { Answers, Plan, Violation } from '../../../server/src/scaffolding/types';
import type { Drift } from '../../../server/src/scaffolding/update';
import { Commands } from '../constants';
import { parseAllDocuments } from 'yaml';
import { adoption } from '../adoption';
import { answersFromService, describeViolations, offendingParameter } from './answers';
import { MultiStepInput, outcomeOf, type Outcome, type Step } from './multiStep';
import { PreviewDocuments, previewPlan, previewUpdate, writes } from './preview';
import { identityEmail, parameterStep, templateStep, type WizardState } from './steps';

const ANSWERS_GLOB = '**/.paved-road/answers.yaml';
const CATALOG_GLOB = '**/catalog-info.{yaml,yml}';
const EXCLUDE = '**/{node_modules,.git,dist,out,build,.venv,vendor}/**';
/** How long `git` may take. */
const GIT_TIMEOUT_MS = 10_000;

export interface ScaffoldingDeps {
  client: LanguageClient;
  log: vscode.LogOutputChannel;
}

function trusted(): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showErrorMessage('Paved Road writes files from templates only in a trusted workspace: trust this workspace first (Workspaces: Manage Workspace Trust).');
  return false;
}

const rel = (path: string): string => {
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(path));
  return folder ? relative(folder.uri.fsPath, path) || basename(path) : path;
};

/** The templates of a type, or undefined (and a message) when there are none. */
async function templatesOf(deps: ScaffoldingDeps, type: TemplateSummary['type']): Promise<TemplateSummary[] | undefined> {
  const { templates, problems } = await deps.client.sendRequest(ListTemplatesRequest.type, {});
  for (const p of problems) deps.log.warn(`template: ${p}`);
  const list = templates.filter((t) => t.type === type);
  if (!list.length) {
    const action = await vscode.window.showErrorMessage(
      `No ${type === 'service' ? 'service' : 'addition'} template found${problems.length ? ` (${problems.length} could not be read: see the output)` : ''}. Templates come from .paved-road/templates/, the setting pavedRoad.templates.folders, and the extension.`,
      'Show Output',
    );
    if (action) deps.log.show(true);
    return undefined;
  }
  return list;
}

/** The policy's verdict, in an error message that lists what to change. */
async function showViolations(what: string, violations: readonly Violation[]): Promise<void> {
  await vscode.window.showErrorMessage(`${what}: change what the policy asks first.`, { modal: true, detail: describeViolations(violations) });
}

/**
 * Consent for the files that exist and differ, all at once or one by one (the engine writes nothing unless
 * each of them is consented to). Undefined: not given, back to the preview.
 */
async function consent(plan: Plan): Promise<string[] | undefined> {
  const changed = plan.files.filter((f) => f.state === 'changed').map((f) => f.path);
  if (!changed.length) return [];
  const all = 'Overwrite All';
  const each = 'Review Each…';
  const n = changed.length;
  const answer = await vscode.window.showWarningMessage(
    `${n} file${n === 1 ? '' : 's'} in ${plan.target} already exist${n === 1 ? 's' : ''} and differ${n === 1 ? 's' : ''} from the template: overwrite ${n === 1 ? 'it' : 'them'}?`,
    { modal: true, detail: `${changed.join('\n')}\n\nNothing is written unless you agree to overwrite each of them (or move them away first). Choose a file in the preview to see the template's version.` },
    all,
    ...(n > 1 ? [each] : []),
  );
  if (answer === all) return changed;
  if (answer !== each) return undefined;
  for (const [i, path] of changed.entries()) {
    const yes = await vscode.window.showWarningMessage(`Overwrite ${path} (${i + 1} of ${n}) with the template's version?`, { modal: true, detail: `${join(plan.target, path)} exists and differs.` }, 'Overwrite');
    if (!yes) return undefined;
  }
  return changed;
}

/** The steps after the template's questions: where (a scaffold), then the policy check and the preview. */
interface Flow {
  title: string;
  action: ScaffoldInputs['action'];
  templates: TemplateSummary[];
  state: WizardState;
  /** The steps before the template (Add to Service: the service). */
  before: Step[];
  /** A scaffold: the parent folder step. */
  folder?: Step;
  /** The first answers of a template just chosen (an addition: the service's). */
  prefill?: (t: TemplateSummary) => Promise<Answers>;
  dir: () => string | undefined;
}

async function runWizard(deps: ScaffoldingDeps, docs: PreviewDocuments, flow: Flow): Promise<void> {
  const { client } = deps;
  const { state } = flow;
  let questions: Step[] = [];
  const build = () => (questions = (state.template ?? flow.templates[0]).parameters.map((p) => parameterStep(client, state, p)));
  build();
  const first = templateStep(state, flow.templates, async () => {
    state.answers = flow.prefill ? await flow.prefill(state.template!) : {};
    build();
  });
  let overwrite: string[] = [];
  let planned: Plan | undefined;
  const inputs = (): ScaffoldInputs => ({ action: flow.action, template: state.template!.id, version: state.template!.version, answers: state.answers, dir: flow.dir()!, email: identityEmail() });
  const preview: Step = {
    title: 'Preview',
    async run(input): Promise<Outcome> {
      const plan = await client.sendRequest(PlanScaffoldRequest.type, inputs());
      if (plan.violations.length) {
        await showViolations(`${state.template!.title} cannot be ${flow.action === 'scaffold' ? 'created' : 'added'} as answered`, plan.violations);
        const i = offendingParameter(plan.violations, state.template!.parameters);
        return { goto: i >= 0 ? flow.before.length + 1 + i : flow.before.length };
      }
      for (;;) {
        const a = await previewPlan(input, docs, plan);
        if ('outcome' in a) return a.outcome;
        const agreed = await consent(plan);
        if (agreed) {
          overwrite = agreed;
          planned = plan;
          return 'next';
        }
      }
    },
  };
  const steps = () => [...flow.before, first, ...questions, ...(flow.folder ? [flow.folder] : []), preview];
  const input = new MultiStepInput(flow.title);
  let start = 0;
  for (;;) {
    if (!(await input.run(steps, start))) return adoption.abandoned(flow.action, state.template?.id, input.current);
    if (!planned) return;
    const plan = planned;
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Writing ${writes(plan)} files in ${rel(plan.target)}…` }, () =>
      client.sendRequest(ApplyScaffoldRequest.type, { ...inputs(), overwrite }),
    );
    if (result.violations.length) {
      // The catalog or the disk changed since the preview.
      await showViolations(`${state.template!.title} was not written`, result.violations);
      const i = offendingParameter(result.violations, state.template!.parameters);
      start = i >= 0 ? flow.before.length + 1 + i : flow.before.length;
      continue;
    }
    deps.log.info(`${flow.action === 'scaffold' ? 'Created' : 'Added'} ${state.template!.id} ${state.template!.version} in ${result.target}: ${result.written.join(', ')}`);
    await finish(deps, flow.action, result.target, result.written);
    return;
  }
}

/** After a write: open the catalog-info.yaml, say what was written, and offer `git init` for a new service. */
async function finish(deps: ScaffoldingDeps, action: ScaffoldInputs['action'], target: string, written: string[]): Promise<void> {
  const catalogFile = written.find((p) => /^catalog-info\.ya?ml$/.test(p)) ?? written.find((p) => /(^|\/)catalog-info\.ya?ml$/.test(p));
  if (catalogFile) await vscode.window.showTextDocument(vscode.Uri.file(join(target, catalogFile)), { preview: false });
  const what = `${action === 'scaffold' ? 'Created' : 'Wrote'} ${written.length} file${written.length === 1 ? '' : 's'} in ${rel(target)}.`;
  if (action !== 'scaffold' || (await insideGit(target))) {
    void vscode.window.showInformationMessage(what);
    return;
  }
  void vscode.window.showInformationMessage(`${what} Make it a git repository?`, 'Initialize Git Repository').then(async (a) => {
    if (!a) return;
    try {
      await git(target, ['init']);
      void vscode.window.showInformationMessage(`Initialized a git repository in ${rel(target)}.`);
    } catch (e) {
      deps.log.error(`git init in ${target}: ${e instanceof Error ? e.message : String(e)}`);
      void vscode.window.showErrorMessage(`git init failed in ${rel(target)}: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
}

/** Runs git with arguments, no shell. */
function git(cwd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, timeout: GIT_TIMEOUT_MS, windowsHide: true }, (err, stdout, stderr) => (err ? reject(new Error(String(stderr).trim() || err.message)) : resolve(String(stdout))));
  });
}

async function insideGit(dir: string): Promise<boolean> {
  try {
    return (await git(dir, ['rev-parse', '--is-inside-work-tree'])).trim() === 'true';
  } catch {
    return false;
  }
}

interface FolderItem extends vscode.QuickPickItem {
  path?: string;
}

/** Create from Template…: a template (preselected when given, e.g. by a scorecard's fix), its questions, the parent folder, the preview, the write. */
export async function createFromTemplate(deps: ScaffoldingDeps, docs: PreviewDocuments, templateId?: string): Promise<void> {
  if (!trusted()) return;
  const templates = await templatesOf(deps, 'service');
  if (!templates) return;
  const state: WizardState = { answers: {}, template: templates.find((t) => t.id === templateId) };
  let parent = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const folder: Step = {
    title: 'Folder',
    async run(input) {
      for (;;) {
        const name = typeof state.answers.name === 'string' ? state.answers.name : '…';
        const seen = new Set<string>();
        const items: FolderItem[] = [];
        for (const p of [parent, ...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath)]) {
          if (!p || seen.has(p)) continue;
          seen.add(p);
          items.push({ label: `$(folder) ${basename(p)}`, description: p, detail: `The new service goes in ${join(p, name)}`, path: p });
        }
        const other: FolderItem = { label: '$(folder-opened) Choose a folder…', detail: 'Any folder on this machine' };
        items.push(other);
        const a = await input.quickPick<FolderItem>({ items, active: items[0], placeholder: 'The folder the new service goes in (a new folder inside it)' });
        if ('outcome' in a) return a.outcome;
        if (a.value.path) {
          parent = a.value.path;
          return 'next';
        }
        const chosen = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Create Here', defaultUri: parent ? vscode.Uri.file(parent) : undefined });
        if (chosen?.[0]) {
          parent = chosen[0].fsPath;
          return 'next';
        }
      }
    },
  };
  await runWizard(deps, docs, { title: 'Create from Template', action: 'scaffold', templates, state, before: [], folder, dir: () => parent });
}

/** A folder with a catalog-info.yaml or a .paved-road/answers.yaml. */
interface ServiceItem extends vscode.QuickPickItem {
  dir: string;
}

async function serviceFolders(glob: string): Promise<ServiceItem[]> {
  const dirs = new Set<string>();
  for (const g of glob === ANSWERS_GLOB ? [ANSWERS_GLOB] : [ANSWERS_GLOB, CATALOG_GLOB]) {
    for (const uri of await vscode.workspace.findFiles(g, EXCLUDE, 2000)) dirs.add(g === ANSWERS_GLOB ? dirname(dirname(uri.fsPath)) : dirname(uri.fsPath));
  }
  return [...dirs].sort().map((dir) => ({ label: `$(folder) ${basename(dir)}`, description: rel(dir), dir }));
}

/** The service folder of an explorer selection: a folder, or the folder of its catalog-info.yaml. */
async function serviceOf(arg: unknown): Promise<string | undefined> {
  if (!(arg instanceof vscode.Uri) || arg.scheme !== 'file') return undefined;
  try {
    const stat = await vscode.workspace.fs.stat(arg);
    return stat.type & vscode.FileType.Directory ? arg.fsPath : dirname(arg.fsPath);
  } catch {
    return undefined;
  }
}

/** Add to Service…: a service (or the explorer's selection), an addition, its questions, the preview, the write. */
export async function addToService(deps: ScaffoldingDeps, docs: PreviewDocuments, arg?: unknown): Promise<void> {
  if (!trusted()) return;
  const templates = await templatesOf(deps, 'addition');
  if (!templates) return;
  let service = await serviceOf(arg);
  const state: WizardState = { answers: {}, service };
  const before: Step[] = [];
  if (!service) {
    const services = await serviceFolders(CATALOG_GLOB);
    if (!services.length) {
      void vscode.window.showErrorMessage('No service folder here: a service has a catalog-info.yaml. Create one with "Paved Road: Create from Template…".');
      return;
    }
    before.push({
      title: 'Service',
      async run(input) {
        const a = await input.quickPick({ items: services, active: services.find((s) => s.dir === service), placeholder: 'The service to add to', matchOnDescription: true });
        return outcomeOf(a, (item) => (service = state.service = item.dir));
      },
    });
  }
  const prefill = async (t: TemplateSummary): Promise<Answers> => {
    for (const name of ['catalog-info.yaml', 'catalog-info.yml']) {
      try {
        const text = Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.file(join(service!, name)))).toString('utf8');
        const docs = parseAllDocuments(text).map((d) => d.toJS() as { kind?: unknown; metadata?: { name?: unknown }; spec?: Record<string, unknown> } | null);
        return answersFromService(docs.find((d) => d?.kind === 'Component') ?? undefined, t.parameters);
      } catch {
        // not this name; with neither, the engine says what is wrong when it plans
      }
    }
    return {};
  };
  await runWizard(deps, docs, { title: `Add to ${service ? basename(service) : 'Service'}`, action: 'add', templates, state, before, dir: () => service, prefill });
}

/** Update from Template: plan the three-way merge, ask the new questions, show the outcome per file, apply, open conflicts. */
export async function updateFromTemplate(deps: ScaffoldingDeps, docs: PreviewDocuments, arg?: unknown): Promise<void> {
  if (!trusted()) return;
  const { client } = deps;
  let dir = typeof arg === 'string' ? arg : await serviceOf(arg);
  if (!dir) {
    const services = await serviceFolders(ANSWERS_GLOB);
    if (!services.length) {
      void vscode.window.showInformationMessage('No service here was made from a template (none has .paved-road/answers.yaml).');
      return;
    }
    const picked = services.length === 1 ? services[0] : await vscode.window.showQuickPick(services, { title: 'Update from Template', placeHolder: 'The service to update' });
    if (!picked) return;
    dir = picked.dir;
  }
  const answers: Record<string, unknown> = {};
  const plan = () => client.sendRequest(PlanUpdateRequest.type, { dir: dir!, answers, email: identityEmail() });
  let p = await plan();
  if (p.from === p.to) {
    void vscode.window.showInformationMessage(`${rel(dir)} is at ${p.template} ${p.to}, the latest version.`);
    return;
  }
  const input = new MultiStepInput(`Update ${basename(dir)} to ${p.template} ${p.to}`);
  const state: WizardState = { answers };
  // The new version's questions, asked (their answers go into `answers`), then the summary.
  while (p.missing.length) {
    const template = (await client.sendRequest(ListTemplatesRequest.type, {})).templates.find((t) => t.id === p.template);
    state.template = template && { ...template, version: p.to };
    if (!state.template) throw new Error(`the template ${p.template} is gone`);
    const missing = p.missing;
    if (!(await input.run(() => missing.map((m) => parameterStep(client, state, m))))) return;
    p = await plan();
  }
  if (p.violations.length) {
    await showViolations(`${rel(dir)} cannot be updated`, p.violations);
    return;
  }
  const summary: Step = { title: 'Summary', run: async (i) => outcomeOf(await previewUpdate(i, docs, p), () => undefined) };
  if (!(await input.run(() => [summary]))) return;
  const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Updating ${rel(dir)}…` }, () =>
    client.sendRequest(ApplyUpdateRequest.type, { dir: dir!, to: p.to, answers, email: identityEmail() }),
  );
  deps.log.info(`Updated ${dir} from ${p.template} ${p.from} to ${p.to}: wrote ${r.written.join(', ') || 'nothing'}; conflicts in ${r.conflicts.join(', ') || 'none'}`);
  for (const f of p.files.filter((x) => x.state === 'removed-by-template')) deps.log.info(`  ${f.path}: removed by the template, kept`);
  // Text conflicts open with their markers; a binary file both sides changed was kept as yours.
  const binary = new Set(p.files.filter((f) => f.binary).map((f) => f.path));
  for (const c of r.conflicts.filter((x) => !binary.has(x))) await vscode.window.showTextDocument(vscode.Uri.file(join(dir, c)), { preview: false });
  for (const b of binary) deps.log.warn(`  ${b}: a binary file you and the template both changed: yours is kept`);
  const removed = p.files.filter((x) => x.state === 'removed-by-template').length;
  const text = `Updated ${rel(dir)} to ${p.template} ${p.to}: ${r.written.length} file${r.written.length === 1 ? '' : 's'} written${removed ? `, ${removed} the template removed kept` : ''}.`;
  if (r.conflicts.length) void vscode.window.showWarningMessage(`${text} ${r.conflicts.length} with conflicts, opened: choose Accept Current, Incoming or Both at each marker, then save.`);
  else void vscode.window.showInformationMessage(text);
}

interface DriftItem extends vscode.QuickPickItem {
  drift: Drift;
}

export function describeDrift(d: Drift): string {
  const files = d.files.map((f) => `${f.path} (${f.state}${f.state === 'changed' ? ` +${f.added} −${f.removed}` : ''})`);
  return [`${d.dir}: ${d.template} ${d.version} → ${d.latest}`, ...d.changes.map((c) => `  ${c.version}: ${c.text}`), ...files.map((f) => `  ${f}`), ...(d.missing.length ? [`  asks for: ${d.missing.join(', ')}`] : [])].join('\n');
}

/** Check Template Drift: the services made from an older template version, what changed; choosing one updates it. */
export async function checkDrift(deps: ScaffoldingDeps, docs: PreviewDocuments): Promise<void> {
  if (!trusted()) return;
  const all = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Checking template drift…' }, () => deps.client.sendRequest(TemplateDriftRequest.type, {}));
  // Services that cannot be compared (an unreadable answers.yaml, a template or version gone) are said, not hidden.
  const problems = all.filter((d) => d.problem);
  for (const d of problems) deps.log.warn(`Template drift: ${rel(d.dir)} cannot be compared: ${d.problem}`);
  if (problems.length) {
    void vscode.window.showWarningMessage(`${problems.length} service${problems.length === 1 ? '' : 's'} made from a template cannot be compared: ${problems.map((d) => `${rel(d.dir)} (${d.problem})`).join('; ')}`, 'Show Output').then((a) => a && deps.log.show(true));
  }
  const drifts = all.filter((d) => !d.problem);
  if (!drifts.length) {
    void vscode.window.showInformationMessage(`No drift: every service made from a template${problems.length ? ' that can be compared' : ''} is at its latest version.`);
    return;
  }
  for (const d of drifts) deps.log.info(`Template drift: ${describeDrift(d)}`);
  const items: DriftItem[] = drifts.map((d) => {
    const changed = d.files.filter((f) => f.state === 'changed').length;
    const added = d.files.filter((f) => f.state === 'added').length;
    const removed = d.files.filter((f) => f.state === 'removed').length;
    return {
      label: `$(versions) ${rel(d.dir)}`,
      description: `${d.template} ${d.version} → ${d.latest}`,
      detail: [`${changed} changed, ${added} added, ${removed} removed`, d.changes[0]?.text].filter(Boolean).join(' · '),
      drift: d,
    };
  });
  const picked = await vscode.window.showQuickPick(items, {
    title: `Template drift: ${drifts.length} service${drifts.length === 1 ? '' : 's'} behind (details in the output)`,
    placeHolder: 'Choose a service to update it from its template',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (picked) await updateFromTemplate(deps, docs, picked.drift.dir);
}

export function registerScaffoldingCommands(deps: ScaffoldingDeps): vscode.Disposable[] {
  const docs = new PreviewDocuments();
  const table: [string, string, (arg?: unknown) => Promise<void>][] = [
    [Commands.createFromTemplate, 'create from the template', (arg) => createFromTemplate(deps, docs, typeof arg === 'string' ? arg : undefined)],
    [Commands.addToService, 'add to the service', (arg) => addToService(deps, docs, arg)],
    [Commands.updateFromTemplate, 'update from the template', (arg) => updateFromTemplate(deps, docs, arg)],
    [Commands.checkTemplateDrift, 'check template drift', () => checkDrift(deps, docs)],
  ];
  return [
    docs,
    ...table.map(([id, what, run]) =>
      vscode.commands.registerCommand(id, async (arg?: unknown) => {
        try {
          await run(arg);
        } catch (e) {
          const message = e instanceof Error ? e.message : String(e);
          deps.log.error(`Could not ${what}: ${message}`);
          const action = await vscode.window.showErrorMessage(`Paved Road could not ${what}: ${message}`, 'Show Output');
          if (action) deps.log.show(true);
        }
      }),
    ),
  ];
}
