/** Starts the language server (dist/server.js over IPC) and connects it to VS Code. */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

export function createLanguageClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  // Node flags for the server, kept in package.json (pavedRoad.serverNodeArgs) so the benchmarks start it the same way.
  // None today: on a large catalog V8's default young generation halves the cost of an edit (bench/SCALE.md).
  const execArgv: string[] = (context.extension.packageJSON as { pavedRoad?: { serverNodeArgs?: string[] } }).pavedRoad?.serverNodeArgs ?? [];
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: [...execArgv, '--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
    ],
    outputChannel: output,
    // The server caches each source's last good result and the workspace's records here.
    initializationOptions: { storagePath: context.globalStorageUri.fsPath },
    synchronize: {
      configurationSection: 'pavedRoad',
      // Catalog files anywhere in the workspace keep the server's index current; policies re-check everything.
      // Every path, not only *.yaml: VS Code reports a deleted or moved folder once, for the folder.
      fileEvents: [vscode.workspace.createFileSystemWatcher('**/*')],
    },
  };
  return new LanguageClient('pavedRoad', 'Paved Road', serverOptions, clientOptions);
}
