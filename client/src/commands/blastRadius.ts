/** "Show Blast Radius": what depends, directly or through others, on the entity at the cursor. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { BlastRadiusRequest } from '../../../server/src/protocol';

/** How a dependent depends on the entity before it in the chain, in words. */
const VIA: Record<string, string> = {
  dependencyOf: 'depends on it',
  apiConsumedBy: 'consumes it',
  consumesProvidedApi: 'consumes an API it provides',
  hasPart: 'part of it',
};

/** The ref of the entity whose document holds the cursor, from the outline (`kind:namespace/name`). */
export async function entityAtCursor(editor: vscode.TextEditor): Promise<string | undefined> {
  const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[] | undefined>('vscode.executeDocumentSymbolProvider', editor.document.uri);
  const pos = editor.selection.active;
  return symbols?.find((s) => s.range.contains(pos) && /^[^:\s]+:[^/\s]+\/./.test(s.name))?.name;
}

export async function showBlastRadius(client: LanguageClient, ref?: string): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const target = ref ?? (editor ? await entityAtCursor(editor) : undefined);
  if (!target) {
    void vscode.window.showInformationMessage('Put the cursor in an entity of a catalog file to see what depends on it.');
    return;
  }
  const result = await client.sendRequest(BlastRadiusRequest.type, { ref: target });
  if (!result.found) {
    void vscode.window.showWarningMessage(`${target} is not in the catalog index yet. Save the file, or check the "Paved Road" output.`);
    return;
  }
  if (!result.dependents.length) {
    void vscode.window.showInformationMessage(`Nothing in the catalog depends on ${target}.`);
    return;
  }
  const picked = await vscode.window.showQuickPick(
    result.dependents.map((d) => ({
      label: d.title,
      description: d.ref,
      detail: `${d.depth === 1 ? 'direct' : `${d.depth} steps away`} · ${VIA[d.via] ?? 'depends on it'}`,
      uri: d.uri,
    })),
    { title: `Blast radius of ${target}: ${result.dependents.length} dependent${result.dependents.length === 1 ? '' : 's'}`, matchOnDescription: true },
  );
  if (picked?.uri) await vscode.window.showTextDocument(vscode.Uri.parse(picked.uri));
}
