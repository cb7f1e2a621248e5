/** The catalog sources from the user's side: refresh them, see how each is doing, add one. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { RefreshSourcesRequest, type SourceSetting, type SourceStatus } from '../../../server/src/protocol';
import { Commands, Settings } from '../constants';
import { ago, isTroubled, NEXT_STEP_LABELS, sourceLine } from '../views/present';

/** Refreshes one source or all, under a notification whose Cancel cancels the request (the last good entities stay). */
export async function refreshSources(client: LanguageClient, id?: string, label = 'the catalog sources'): Promise<void> {
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Paved Road: refreshing ${label}…`, cancellable: true },
    async (_progress, token) => {
      try {
        return await client.sendRequest(RefreshSourcesRequest.type, id ? { id } : {}, token);
      } catch (e) {
        if (token.isCancellationRequested) return undefined;
        throw e;
      }
    },
  );
  const troubled = result?.filter(isTroubled) ?? [];
  if (!troubled.length) return;
  // Asked for by the user, so it is answered: which source failed and what to do next.
  const first = troubled[0];
  // One source that needs a token: the action is signing in (the set-token command, for that source).
  const signIn = troubled.length === 1 && first.nextStep === 'signIn';
  const action = await vscode.window.showWarningMessage(
    troubled.length === 1 ? `${first.label} could not be refreshed: ${first.error ?? 'unknown error'}. The last good catalog stays.` : `${troubled.length} catalog sources could not be refreshed. The last good catalog stays.`,
    signIn ? 'Sign In' : 'Show Details',
  );
  if (action) await (signIn ? vscode.commands.executeCommand(Commands.setSourceToken, first.id) : vscode.commands.executeCommand(Commands.showSources));
}

interface SourcePick extends vscode.QuickPickItem {
  run?: () => Thenable<unknown>;
}

const STATE_ICONS: Record<SourceStatus['state'], string> = { fresh: 'pass', refreshing: 'sync~spin', stale: 'warning', empty: 'circle-slash' };

const openSourcesSetting = () => vscode.commands.executeCommand('workbench.action.openSettings', Settings.catalogSources);

/** What taking a source's next step does. */
function nextStepAction(client: LanguageClient, s: SourceStatus): (() => Thenable<unknown>) | undefined {
  switch (s.nextStep) {
    case 'retry':
      return () => refreshSources(client, s.id, s.label);
    case 'openLog':
      return () => vscode.commands.executeCommand(Commands.showOutput);
    case 'fixSetting':
      return openSourcesSetting;
    case 'signIn':
      return () => vscode.commands.executeCommand(Commands.setSourceToken, s.id);
    case 'waitRateLimit':
    case undefined:
      return undefined;
  }
}

/** The details behind the status bar: each source with its state, since when, why, and the next steps. */
export async function showSources(client: LanguageClient, sources: readonly SourceStatus[] | undefined): Promise<void> {
  const now = Date.now();
  const items: SourcePick[] = [{ label: 'Sources', kind: vscode.QuickPickItemKind.Separator }];
  // The troubled first: Enter takes the first one's next step.
  const ordered = [...(sources ?? [])].sort((a, b) => Number(isTroubled(b)) - Number(isTroubled(a)));
  for (const s of ordered) {
    const step = s.nextStep ? NEXT_STEP_LABELS[s.nextStep] : undefined;
    const wait = s.nextStep === 'waitRateLimit' && s.retryAt ? ` until ${ago(s.retryAt, now) ?? s.retryAt}` : '';
    items.push({
      label: `$(${STATE_ICONS[s.state]}) ${s.label}`,
      description: `${s.type} · ${s.state}${step ? ` · next: ${step}${wait}` : ''}`,
      detail: sourceLine(s, now),
      run: nextStepAction(client, s) ?? (s.type === 'workspace' ? undefined : () => refreshSources(client, s.id, s.label)),
    });
  }
  if (!sources?.length) items.push({ label: 'No source reported yet: the language server is starting.' });
  items.push(
    { label: 'Next steps', kind: vscode.QuickPickItemKind.Separator },
    { label: '$(refresh) Retry: refresh every source', run: () => refreshSources(client) },
    { label: '$(output) Open the log', run: () => vscode.commands.executeCommand(Commands.showOutput) },
    { label: '$(settings-gear) Fix the setting', description: Settings.catalogSources, run: openSourcesSetting },
    { label: '$(add) Add a catalog source…', run: () => vscode.commands.executeCommand(Commands.addSource) },
  );
  const troubled = sources?.filter(isTroubled).length ?? 0;
  const pick = await vscode.window.showQuickPick(items, {
    title: troubled ? `Catalog sources: ${troubled} stale` : 'Catalog sources',
    placeHolder: 'Pick a source to take its next step (or refresh it), or an action',
    matchOnDetail: true,
  });
  await pick?.run?.();
}

/** Where a picked file or folder goes in the setting: relative to the first workspace folder when inside it. */
function settingPath(picked: vscode.Uri): string {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const rel = folder ? path.relative(folder, picked.fsPath) : '';
  return folder && rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : picked.fsPath;
}

/** "Add Catalog Source…": a snapshot file, a folder of catalog files or a snapshot URL, added to the workspace settings. */
export async function addSource(): Promise<void> {
  const choice = await vscode.window.showQuickPick(
    [
      { label: '$(file) Snapshot file', detail: 'A catalog snapshot (JSON or YAML), e.g. written by `paved-road ingest` or saved from Backstage', type: 'file' as const },
      { label: '$(folder) Folder of catalog files', detail: 'A checked-out catalog repository; it is watched', type: 'folder' as const },
      { label: '$(globe) Snapshot URL', detail: 'A snapshot published over https by the platform team', type: 'url' as const },
    ],
    { title: 'Add Catalog Source' },
  );
  if (!choice) return;
  let entry: SourceSetting;
  if (choice.type === 'url') {
    const url = await vscode.window.showInputBox({
      title: 'Add Catalog Source: snapshot URL',
      prompt: 'The https URL of a catalog snapshot',
      placeHolder: 'https://platform.example.com/catalog-snapshot.json',
      validateInput: (v) => (/^https:\/\/\S+$/i.test(v.trim()) ? undefined : 'An https:// URL'),
    });
    if (!url) return;
    entry = { type: 'snapshot', url: url.trim() };
  } else {
    const picked = await vscode.window.showOpenDialog({
      title: choice.type === 'file' ? 'Catalog snapshot' : 'Folder of catalog files',
      canSelectFiles: choice.type === 'file',
      canSelectFolders: choice.type === 'folder',
      canSelectMany: false,
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
      filters: choice.type === 'file' ? { 'Catalog snapshot': ['json', 'yaml', 'yml'] } : undefined,
      openLabel: 'Add Source',
    });
    if (!picked?.[0]) return;
    entry = { type: choice.type === 'file' ? 'snapshot' : 'folder', path: settingPath(picked[0]) };
  }
  const config = vscode.workspace.getConfiguration();
  const inWorkspace = !!vscode.workspace.workspaceFolders?.length;
  const inspected = config.inspect<SourceSetting[]>(Settings.catalogSources);
  const current = (inWorkspace ? inspected?.workspaceValue : inspected?.globalValue) ?? [];
  const where = entry.path ?? entry.url;
  if (current.some((s) => s.type === entry.type && (s.path ?? s.url) === where)) {
    vscode.window.setStatusBarMessage(`$(info) ${where} is already a catalog source`, 5000);
    return;
  }
  await config.update(Settings.catalogSources, [...current, entry], inWorkspace ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global);
  vscode.window.setStatusBarMessage(`$(add) Added ${entry.type} source ${where}: reading it…`, 5000);
}
