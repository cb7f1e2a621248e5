/**
 * The three webviews: an entity's scorecard, a team's dashboard, and the compliance questions. Each is one
 * panel (shown again for another entity or team), asks the server (the same engine as the CLI), is asked
 * again when the catalog changes, and comes back after a reload from the state its page kept.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  CatalogChoicesRequest,
  ComplianceExportRequest,
  ComplianceQueryRequest,
  ComplianceQuestionsRequest,
  EntityScorecardRequest,
  ScorecardQuickFixRequest,
  TeamDashboardRequest,
  type CatalogNode,
  type EntityScorecards,
} from '../../../server/src/protocol';
import type { Fix } from '../../../server/src/scorecards/types';
import { entityAtCursor } from '../commands/blastRadius';
import { Commands } from '../constants';
import { nodeOf } from '../views/treeNode';
import { createPanel, PagePort, viewType } from './host';
import type { FromPage, Page, PageState } from './messages';

export interface WebviewDeps {
  client: LanguageClient;
  log: vscode.LogOutputChannel;
  extensionUri: vscode.Uri;
}

/** One page's panel (at most one at a time): what it shows is its `state`, asked again on `refresh`. */
abstract class PageView<P extends Page> implements vscode.Disposable {
  protected port: PagePort | undefined;
  protected state: PageState[P] | undefined;

  constructor(
    protected readonly page: P,
    protected readonly deps: WebviewDeps,
  ) {}

  /** Shows `state` in the panel, creating it when there is none (a new page asks when it is ready). */
  show(state: PageState[P]): void {
    this.state = state;
    if (!this.port) return this.attach(createPanel(this.page));
    this.port.panel.reveal(undefined, false);
    void this.refresh();
  }

  /** A panel VS Code restored after a reload, with the state its page kept. */
  revive(panel: vscode.WebviewPanel, state: unknown): void {
    this.port?.panel.dispose();
    this.state = this.restored(state);
    this.attach(panel);
  }

  private attach(panel: vscode.WebviewPanel): void {
    // Each `ready` (a new page, or a hidden one shown again) gets what is current.
    const port = new PagePort(panel, this.page, this.deps.extensionUri, (m) => (m.type === 'ready' ? this.refresh() : this.handle(m)), this.deps.log);
    this.port = port;
    panel.onDidDispose(() => {
      port.dispose();
      if (this.port === port) this.port = undefined;
    });
  }

  /** Asks the server again and posts the answer; failures go to the page and the log. */
  async refresh(): Promise<void> {
    if (!this.port) return;
    try {
      await this.load(this.port);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.deps.log.error(`${this.page}: ${message}`);
      this.port.post({ type: 'error', message });
    }
  }

  dispose(): void {
    this.port?.panel.dispose();
  }

  protected abstract restored(state: unknown): PageState[P] | undefined;
  protected abstract load(port: PagePort): Promise<void>;
  protected abstract handle(m: Exclude<FromPage, { type: 'ready' }>): Promise<void>;
}

const refOf = (state: unknown): string | undefined => {
  const ref = (state as { ref?: unknown } | undefined)?.ref;
  return typeof ref === 'string' && ref ? ref : undefined;
};

/** Opens an entity's file at its name (or its read-only store document). */
function openEntity(ref: string, uri?: string, line?: number): Thenable<unknown> {
  const node: CatalogNode = { id: ref, type: 'entity', label: ref, kind: ref.split(':')[0] ?? '', ref, uri, line };
  return vscode.commands.executeCommand(Commands.openEntity, node);
}

/** Runs a rule's fix: the language server's quick fix, the template's wizard, or the document. */
export async function runFix(client: LanguageClient, ref: string, fix: Fix): Promise<void> {
  if ('quickFix' in fix) {
    const r = await client.sendRequest(ScorecardQuickFixRequest.type, { ref, quickFix: fix.quickFix });
    if (r.error || !r.uri || !r.edits.length) throw new Error(r.error ?? `no edit for ${fix.quickFix} on ${ref}`);
    const uri = vscode.Uri.parse(r.uri);
    const edit = new vscode.WorkspaceEdit();
    for (const e of r.edits) edit.replace(uri, client.protocol2CodeConverter.asRange(e.range), e.newText);
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`the edit of ${fix.quickFix} could not be applied to ${uri.fsPath}`);
    // The user sees what was added (a placeholder value to fill in), with the cursor on it.
    const doc = await vscode.workspace.openTextDocument(uri);
    const first = client.protocol2CodeConverter.asRange(r.edits[0].range).start;
    const end = doc.positionAt(doc.offsetAt(first) + r.edits[0].newText.length);
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preserveFocus: true, selection: new vscode.Range(first, end) });
  } else if ('template' in fix) {
    await vscode.commands.executeCommand(Commands.createFromTemplate, fix.template);
  } else if ('url' in fix) {
    const uri = vscode.Uri.parse(fix.url, true);
    if (uri.scheme !== 'https' && uri.scheme !== 'http') throw new Error(`not a web address: ${fix.url}`);
    await vscode.env.openExternal(uri);
  }
}

class ScorecardView extends PageView<'scorecard'> {
  private last: EntityScorecards | undefined;

  protected restored(state: unknown) {
    const ref = refOf(state);
    return ref ? { ref } : undefined;
  }

  protected async load(port: PagePort): Promise<void> {
    if (!this.state) return;
    const asked = this.state;
    const data = await this.deps.client.sendRequest(EntityScorecardRequest.type, { ref: asked.ref });
    // Another entity was asked for meanwhile: its answer is the one to show.
    if (this.state !== asked) return;
    this.last = data;
    port.panel.title = `Scorecard: ${data.title ?? data.ref}`;
    port.post({ type: 'scorecard', data });
  }

  protected async handle(m: Exclude<FromPage, { type: 'ready' }>): Promise<void> {
    if (m.type === 'fix') {
      const fix = this.last?.ref === m.ref ? this.last.scores.find((s) => s.scorecard === m.scorecard)?.results.find((r) => r.rule === m.rule)?.fix : undefined;
      if (!fix) throw new Error(`no fix for ${m.rule}`);
      await runFix(this.deps.client, m.ref, fix);
      await this.refresh();
    } else if (m.type === 'openEntity') {
      const d = this.last?.ref === m.ref ? this.last : undefined;
      await openEntity(m.ref, d?.uri, d?.line);
    } else if (m.type === 'showScorecard') this.show({ ref: m.ref });
  }
}

class TeamDashboardView extends PageView<'teamDashboard'> {
  constructor(
    deps: WebviewDeps,
    private readonly scorecard: ScorecardView,
  ) {
    super('teamDashboard', deps);
  }

  protected restored(state: unknown) {
    const ref = refOf(state);
    return ref ? { ref } : undefined;
  }

  protected async load(port: PagePort): Promise<void> {
    if (!this.state) return;
    const asked = this.state;
    const data = await this.deps.client.sendRequest(TeamDashboardRequest.type, { ref: asked.ref });
    if (this.state !== asked) return;
    port.panel.title = `Team: ${data.title ?? data.team}`;
    port.post({ type: 'teamDashboard', data });
  }

  protected async handle(m: Exclude<FromPage, { type: 'ready' }>): Promise<void> {
    if (m.type === 'showScorecard') this.scorecard.show({ ref: m.ref });
    else if (m.type === 'openEntity') await openEntity(m.ref);
  }
}

class ComplianceView extends PageView<'compliance'> {
  constructor(
    deps: WebviewDeps,
    private readonly scorecard: ScorecardView,
    private readonly team: TeamDashboardView,
  ) {
    super('compliance', deps);
  }

  protected restored(state: unknown) {
    const expression = (state as { expression?: unknown } | undefined)?.expression;
    return { expression: typeof expression === 'string' ? expression : undefined };
  }

  protected async load(port: PagePort): Promise<void> {
    const { client } = this.deps;
    port.post({ type: 'questions', questions: await client.sendRequest(ComplianceQuestionsRequest.type, {}) });
    const expression = this.state?.expression;
    if (expression) port.post({ type: 'result', expression, result: await client.sendRequest(ComplianceQueryRequest.type, { expression }) });
  }

  protected async handle(m: Exclude<FromPage, { type: 'ready' }>): Promise<void> {
    if (m.type === 'ask') {
      this.state = { expression: m.expression };
      const result = await this.deps.client.sendRequest(ComplianceQueryRequest.type, { expression: m.expression });
      this.port?.post({ type: 'result', expression: m.expression, result });
    } else if (m.type === 'export') await this.export(m.expression, m.format);
    // A team's row opens its dashboard; any other entity's, its scorecard.
    else if (m.type === 'showScorecard') (m.ref.startsWith('group:') ? this.team : this.scorecard).show({ ref: m.ref });
    else if (m.type === 'openEntity') await openEntity(m.ref);
  }

  private async export(expression: string, format: 'csv' | 'markdown'): Promise<void> {
    const r = await this.deps.client.sendRequest(ComplianceExportRequest.type, { expression, format });
    if (r.error) throw new Error(r.error);
    const ext = format === 'csv' ? 'csv' : 'md';
    const name = `${expression.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'query'}.${ext}`;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      title: `Export as ${format === 'csv' ? 'CSV' : 'Markdown'}`,
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: format === 'csv' ? { CSV: ['csv'] } : { Markdown: ['md'] },
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, Buffer.from(r.text, 'utf8'));
    void vscode.window.showInformationMessage(`Exported to ${vscode.workspace.asRelativePath(target)}.`);
  }
}

/** The team of a command's argument: a ref, a tree node; else one picked from the catalog's Groups. */
async function teamOf(client: LanguageClient, arg: unknown): Promise<string | undefined> {
  const ref = nodeOf(arg)?.ref;
  if (ref) return ref;
  const groups = await client.sendRequest(CatalogChoicesRequest.type, { kinds: ['Group'] });
  if (!groups.length) {
    void vscode.window.showInformationMessage('The catalog has no Group: a team dashboard shows what a Group owns.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    groups.map((g) => ({ label: g.label, description: g.ref, ref: g.ref })),
    { title: 'Team Dashboard', placeHolder: 'Choose a team', matchOnDescription: true },
  );
  return picked?.ref;
}

export interface Webviews extends vscode.Disposable {
  /** The catalog changed (its version moved): the open pages ask again. */
  catalogChanged(version: number | undefined): void;
}

export function registerWebviews(deps: WebviewDeps): { webviews: Webviews; disposables: vscode.Disposable[] } {
  const scorecard = new ScorecardView('scorecard', deps);
  const team = new TeamDashboardView(deps, scorecard);
  const compliance = new ComplianceView(deps, scorecard, team);
  const views = { scorecard, teamDashboard: team, compliance } satisfies Record<Page, PageView<Page>>;
  let version: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  const webviews: Webviews = {
    catalogChanged(v) {
      if (v === undefined || v === version) return;
      version = v;
      // Edits come keystroke by keystroke: ask once they pause.
      clearTimeout(timer);
      timer = setTimeout(() => {
        for (const view of Object.values(views)) void view.refresh();
      }, 150);
    },
    dispose() {
      clearTimeout(timer);
      for (const view of Object.values(views)) view.dispose();
    },
  };
  const command = (id: string, what: string, run: (arg?: unknown) => Promise<void>) =>
    vscode.commands.registerCommand(id, async (arg?: unknown) => {
      try {
        await run(arg);
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        deps.log.error(`Could not ${what}: ${message}`);
        void vscode.window.showErrorMessage(`Paved Road could not ${what}: ${message}`);
      }
    });
  const disposables = [
    webviews,
    // A saved file may change a fact of a repository (a Dockerfile, a workflow): the open pages ask again.
    vscode.workspace.onDidSaveTextDocument(() => {
      for (const view of Object.values(views)) void view.refresh();
    }),
    command(Commands.showScorecard, 'show the scorecard', async (arg) => {
      const editor = vscode.window.activeTextEditor;
      const ref = nodeOf(arg)?.ref ?? (editor ? await entityAtCursor(editor) : undefined);
      if (ref) scorecard.show({ ref });
      else void vscode.window.showInformationMessage('Put the cursor in an entity of a catalog file to see its scorecard.');
    }),
    command(Commands.showTeamDashboard, 'show the team dashboard', async (arg) => {
      const ref = await teamOf(deps.client, arg);
      if (ref) team.show({ ref });
    }),
    command(Commands.askCatalog, 'ask the catalog', async (arg) => compliance.show({ expression: typeof arg === 'string' && arg ? arg : undefined })),
    ...Object.entries(views).map(([page, view]) =>
      vscode.window.registerWebviewPanelSerializer(viewType(page as Page), {
        async deserializeWebviewPanel(panel, state) {
          view.revive(panel, state);
        },
      }),
    ),
  ];
  return { webviews, disposables };
}
