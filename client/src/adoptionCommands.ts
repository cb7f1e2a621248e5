/**
 * Adoption signals in the extension: the recorder (adoption.ts) in global storage, on only while the setting
 * `pavedRoad.adoption.enabled` is on AND VS Code's telemetry is (it stops the moment either turns off); the
 * scorecard levels of a catalog file's entities recorded when it is saved (the scorecard request, for the
 * entities its outline names); "Export Adoption Signals…" to a file the user picks. Nothing is sent.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { EntityScorecardRequest } from '../../server/src/protocol';
import { adoption, AdoptionRecorder } from './adoption';
import { Commands, Settings } from './constants';

const FILE = 'adoption-signals.jsonl';

export function recordingAllowed(): boolean {
  return vscode.workspace.getConfiguration().get<boolean>(Settings.adoptionEnabled, false) && vscode.env.isTelemetryEnabled;
}

function whyOff(): string {
  return vscode.workspace.getConfiguration().get<boolean>(Settings.adoptionEnabled, false) ? "VS Code's telemetry is off" : `${Settings.adoptionEnabled} is off`;
}

export function registerAdoption(context: vscode.ExtensionContext, client: LanguageClient, log: vscode.LogOutputChannel): vscode.Disposable[] {
  const recorder = new AdoptionRecorder(vscode.Uri.joinPath(context.globalStorageUri, FILE).fsPath, recordingAllowed);
  adoption.use(recorder);
  const say = () => log.info(`Adoption signals: ${recordingAllowed() ? `recorded locally in ${recorder.file}` : `not recorded (${whyOff()})`}.`);
  say();
  return [
    { dispose: () => adoption.use(undefined) },
    vscode.env.onDidChangeTelemetryEnabled(say),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(Settings.adoptionEnabled)) say();
    }),
    vscode.workspace.onDidSaveTextDocument((doc) => {
      if (doc.languageId === 'yaml' && recordingAllowed()) void recordLevels(client, recorder, doc).catch((e) => log.warn(`Adoption signals: levels of ${doc.uri.fsPath} not recorded (${String(e)}).`));
    }),
    vscode.commands.registerCommand(Commands.exportAdoptionSignals, () => exportSignals(recorder, log)),
  ];
}

/** At most this many entities of a saved file are asked about (a service's file holds a few; a generated one thousands). */
const MAX_ENTITIES_PER_SAVE = 50;
const REF = /^[^:\s]+:[^/\s]+\/\S+$/;

/** The levels of a saved file's entities (its outline's top level names them by ref), each recorded when it moved. */
async function recordLevels(client: LanguageClient, recorder: AdoptionRecorder, doc: vscode.TextDocument): Promise<void> {
  const symbols = (await vscode.commands.executeCommand<vscode.DocumentSymbol[] | undefined>('vscode.executeDocumentSymbolProvider', doc.uri)) ?? [];
  const refs = [...new Set(symbols.map((s) => s.name).filter((n) => REF.test(n)))].slice(0, MAX_ENTITIES_PER_SAVE);
  for (const ref of refs) {
    if (!recordingAllowed()) return; // turned off meanwhile
    const { scores } = await client.sendRequest(EntityScorecardRequest.type, { ref });
    for (const s of scores) if (!s.quarantined) recorder.level({ ref, scorecard: s.scorecard, level: s.level ?? null, score: s.score });
  }
}

async function exportSignals(recorder: AdoptionRecorder, log: vscode.LogOutputChannel): Promise<void> {
  const { text, count } = recorder.exportText();
  if (!count) {
    const why = recordingAllowed() ? 'none recorded yet' : `recording is off (${whyOff()})`;
    void vscode.window.showInformationMessage(`No adoption signals to export: ${why}.`);
    return;
  }
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    title: 'Export Adoption Signals',
    saveLabel: 'Export',
    defaultUri: folder ? vscode.Uri.joinPath(folder, FILE) : undefined,
    filters: { 'JSON Lines': ['jsonl'] },
  });
  if (!target) return;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
  log.info(`Adoption signals: ${count} exported to ${target.toString(true)}.`);
  void vscode.window.showInformationMessage(`Exported ${count} adoption signal${count === 1 ? '' : 's'} to ${vscode.workspace.asRelativePath(target)}.`);
}
