/**
 * The preview of a plan: read-only documents of the rendered files (`paved-road-preview:` URIs, served from
 * memory), and the quick pick that lists the planned files with what writing does to each.
 */
import * as vscode from 'vscode';
import type { Plan, PlannedFile } from '../../../server/src/scaffolding/types';
import type { UpdateFile, UpdatePlan } from '../../../server/src/scaffolding/update';
import type { Answered, MultiStepInput } from './multiStep';

export const PREVIEW_SCHEME = 'paved-road-preview';

/** The rendered contents shown in preview editors, by URI; replaced on each preview. */
export class PreviewDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, this);

  /** The URI of a planned file: `paved-road-preview:/<target folder name>/<path>` (the extension picks the language). */
  uriOf(target: string, path: string): vscode.Uri {
    const folder = target.split(/[\\/]/).filter(Boolean).pop() ?? 'preview';
    return vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${folder}/${path}` });
  }

  set(uri: vscode.Uri, content: string): void {
    this.contents.set(uri.toString(), content);
    this.changed.fire(uri);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '(this preview is gone: run the command again)\n';
  }

  async open(uri: vscode.Uri): Promise<void> {
    await vscode.window.showTextDocument(uri, { preview: true, preserveFocus: true });
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}

const FILE_STATES: Record<PlannedFile['state'], { icon: string; text: string }> = {
  new: { icon: 'new-file', text: 'new' },
  changed: { icon: 'warning', text: 'changed: exists and differs, overwritten only with your consent' },
  same: { icon: 'check', text: 'same: already there, left as it is' },
  edit: { icon: 'edit', text: 'edited in place' },
};

interface PreviewItem extends vscode.QuickPickItem {
  file?: { path: string; content?: string; encoding?: 'base64' };
}

/** How many files a plan writes (new, changed, edited). */
export const writes = (plan: Plan): number => plan.files.filter((f) => f.state !== 'same').length;

/** The confirm line: "Create N files in <folder>" (a scaffold) or "Write N files in <service>" (an addition). */
export function confirmLabel(plan: Plan): string {
  const n = writes(plan);
  return `${plan.action === 'scaffold' ? 'Create' : 'Write'} ${n} file${n === 1 ? '' : 's'} in ${plan.target}`;
}

/**
 * The preview step: the files of the plan; choosing one opens its rendered content, read-only; choosing the
 * confirm line (first) answers true.
 */
export async function previewPlan(input: MultiStepInput, docs: PreviewDocuments, plan: Plan): Promise<Answered<true>> {
  const confirm: PreviewItem = { label: `$(check) ${confirmLabel(plan)}`, detail: `${plan.template} ${plan.version} · choose a file below to see it first`, alwaysShow: true };
  const items: PreviewItem[] = [confirm, { label: 'Files', kind: vscode.QuickPickItemKind.Separator }];
  for (const f of [...plan.files].sort((a, b) => a.path.localeCompare(b.path))) {
    const s = FILE_STATES[f.state];
    items.push({ label: `$(${s.icon}) ${f.path}`, description: s.text, file: f });
  }
  return showFiles(input, docs, plan.target, items, confirm);
}

const UPDATE_STATES: Record<UpdateFile['state'], { icon: string; text: string }> = {
  clean: { icon: 'git-merge', text: 'merged cleanly' },
  conflict: { icon: 'warning', text: 'conflicts: left with conflict markers for you to resolve' },
  added: { icon: 'new-file', text: 'added by the new version' },
  'removed-by-template': { icon: 'trash', text: 'removed by the template: kept, delete it if you no longer need it' },
  'deleted-by-you': { icon: 'circle-slash', text: 'deleted by you: left deleted' },
  unchanged: { icon: 'check', text: 'unchanged' },
};

/** The summary of an update: each file's outcome (unchanged ones left out), then confirm. */
export async function previewUpdate(input: MultiStepInput, docs: PreviewDocuments, plan: UpdatePlan): Promise<Answered<true>> {
  const count = (s: UpdateFile['state']) => plan.files.filter((f) => f.state === s).length;
  const summary = [`${count('clean')} merged`, `${count('conflict')} with conflicts`, `${count('added')} added`, `${count('removed-by-template')} removed by the template`, `${count('deleted-by-you')} deleted by you`];
  const confirm: PreviewItem = {
    label: `$(check) Update ${plan.dir} from ${plan.template} ${plan.from} to ${plan.to}`,
    detail: summary.join(' · '),
    alwaysShow: true,
  };
  const items: PreviewItem[] = [confirm];
  if (plan.dropped?.length) items.push({ label: `$(info) No longer asked: ${plan.dropped.join(', ')}`, detail: `${plan.to} has no such parameters: their answers are dropped from answers.yaml` });
  if (plan.changes?.length) {
    items.push({ label: 'What changed', kind: vscode.QuickPickItemKind.Separator });
    for (const c of plan.changes) items.push({ label: `$(info) ${c.version}`, detail: c.text });
  }
  items.push({ label: 'Files', kind: vscode.QuickPickItemKind.Separator });
  for (const f of plan.files.filter((x) => x.state !== 'unchanged')) {
    const s = UPDATE_STATES[f.state];
    const text = f.binary ? 'a binary file you and the template both changed: yours is kept' : f.conflicts ? `${s.text} (${f.conflicts})` : s.text;
    items.push({ label: `$(${s.icon}) ${f.path}`, description: text, file: f.content === undefined ? undefined : { path: f.path, content: f.content } });
  }
  return showFiles(input, docs, plan.dir, items, confirm);
}

async function showFiles(input: MultiStepInput, docs: PreviewDocuments, target: string, items: PreviewItem[], confirm: PreviewItem): Promise<Answered<true>> {
  const a = await input.quickPick<PreviewItem>({
    items,
    active: confirm,
    placeholder: 'Choose a file to preview it, or the first line to go ahead',
    matchOnDescription: true,
    accept: async (item) => {
      if (item === confirm) return true;
      if (item.file?.content !== undefined) {
        const uri = docs.uriOf(target, item.file.path);
        docs.set(uri, item.file.encoding === 'base64' ? `(binary file, ${Math.round((item.file.content.length * 3) / 4)} bytes)\n` : item.file.content);
        await docs.open(uri);
      }
      return false;
    },
  });
  return 'outcome' in a ? a : { value: true };
}
