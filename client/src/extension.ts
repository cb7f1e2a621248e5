/** Activation only: build the pieces and hand every disposable to the context. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ServerStatusNotification } from '../../server/src/protocol';
import { registerAdoption } from './adoptionCommands';
import { handOverFromRedHatYaml } from './coexistence';
import { registerCatalogCommands } from './commands/catalogCommands';
import { registerScaffoldingCommands } from './scaffolding/commands';
import { SourceTokens } from './sourceTokens';
import { registerStoreDocuments } from './storeDocuments';
import { Commands, OUTPUT_CHANNEL, Settings } from './constants';
import { createLanguageClient } from './languageClient';
import { StatusBar } from './statusBar';
import { CatalogTree } from './views/catalogTree';
import { MyTeamTree } from './views/myTeamTree';
import { registerWebviews } from './webviews/panels';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel(OUTPUT_CHANNEL, { log: true });
  const status = new StatusBar();
  context.subscriptions.push(output, status);
  output.info(`Paved Road ${String(context.extension.packageJSON.version)} activated in ${vscode.env.appName} ${vscode.version}`);

  const lc = createLanguageClient(context, output);
  client = lc;
  const catalog = new CatalogTree(lc, output, context.workspaceState);
  const myTeam = new MyTeamTree(lc, output);
  const tokens = new SourceTokens(context, lc, output);
  const { webviews, disposables: webviewDisposables } = registerWebviews({ client: lc, log: output, extensionUri: context.extensionUri });
  context.subscriptions.push(
    catalog,
    myTeam,
    tokens,
    lc.onNotification(ServerStatusNotification.type, (s) => {
      status.show(s);
      tokens.update(s);
      catalog.setIndexing(s.indexing);
      catalog.catalogChanged(s.catalogVersion);
      myTeam.catalogChanged(s.catalogVersion);
      webviews.catalogChanged(s.catalogVersion);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(Settings.identityEmail)) myTeam.refresh();
    }),
    vscode.commands.registerCommand(Commands.showOutput, () => output.show(true)),
    vscode.commands.registerCommand(Commands.restartServer, async () => {
      status.show(undefined);
      await lc.restart();
    }),
    ...registerCatalogCommands({ client: lc, log: output, catalog, status }),
    ...registerScaffoldingCommands({ client: lc, log: output }),
    ...registerAdoption(context, lc, output),
    registerStoreDocuments(lc),
    ...webviewDisposables,
  );
  void handOverFromRedHatYaml(output);
  try {
    await lc.start();
    output.info('Language server started.');
  } catch (e) {
    void vscode.window.showErrorMessage(`Paved Road's language server did not start: ${String(e)}. See the "Paved Road" output for details.`, 'Show Output').then((a) => {
      if (a) output.show(true);
    });
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
