/** Activation only: build the pieces and hand every disposable to the context. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ServerStatusNotification } from '../../server/src/protocol';
import { handOverFromRedHatYaml } from './coexistence';
import { showBlastRadius } from './commands/blastRadius';
import { SourceTokens } from './sourceTokens';
import { registerStoreDocuments } from './storeDocuments';
import { Commands, OUTPUT_CHANNEL } from './constants';
import { createLanguageClient } from './languageClient';
import { StatusBar } from './statusBar';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel(OUTPUT_CHANNEL, { log: true });
  const status = new StatusBar();
  context.subscriptions.push(output, status);
  output.info(`Paved Road ${String(context.extension.packageJSON.version)} activated in ${vscode.env.appName} ${vscode.version}`);

  client = createLanguageClient(context, output);
  const tokens = new SourceTokens(context, client, output);
  context.subscriptions.push(
    tokens,
    client.onNotification(ServerStatusNotification.type, (s) => {
      status.show(s);
      tokens.update(s);
    }),
    vscode.commands.registerCommand(Commands.showOutput, () => output.show(true)),
    vscode.commands.registerCommand(Commands.restartServer, async () => {
      status.show(undefined);
      await client?.restart();
    }),
    vscode.commands.registerCommand(Commands.showBlastRadius, (ref?: string) => (client ? showBlastRadius(client, ref) : undefined)),
    registerStoreDocuments(client),
  );
  void handOverFromRedHatYaml(output);
  try {
    await client.start();
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
