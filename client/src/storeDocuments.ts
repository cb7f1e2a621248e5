/** Read-only documents for entities that exist only in a store: go to definition lands here. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { EntityYamlRequest, refOfStoreUri, STORE_SCHEME } from '../../server/src/protocol';

export function registerStoreDocuments(client: LanguageClient): vscode.Disposable {
  const provider: vscode.TextDocumentContentProvider = {
    async provideTextDocumentContent(uri) {
      const ref = refOfStoreUri(uri.path);
      const yaml = await client.sendRequest(EntityYamlRequest.type, { ref });
      return yaml ?? `# ${ref} is no longer in the catalog.\n`;
    },
  };
  return vscode.workspace.registerTextDocumentContentProvider(STORE_SCHEME, provider);
}
