/** What the catalog views do with one entity: open it, copy its reference, show it in Backstage. */
import * as vscode from 'vscode';
import { storeUri, type CatalogNode } from '../../../server/src/protocol';
import { Settings } from '../constants';
import { backstageEntityUrl } from '../views/present';

/**
 * Opens the entity where it is defined: its file with the cursor on the value of its name, or, for an
 * entity only a store has, its read-only YAML (the paved-road-store scheme, see storeDocuments.ts).
 */
export async function openEntity(node: CatalogNode | undefined): Promise<void> {
  if (!node || node.type !== 'entity') return;
  if (node.uri) {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(node.uri));
    const line = Math.max(0, Math.min(node.line ?? 0, doc.lineCount - 1));
    const text = doc.lineAt(line).text;
    const column = /^\s*name:\s*/.exec(text)?.[0].length ?? doc.lineAt(line).firstNonWhitespaceCharacterIndex;
    const at = new vscode.Position(line, column);
    await vscode.window.showTextDocument(doc, { selection: new vscode.Range(at, at) });
    return;
  }
  if (!node.ref) return;
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(storeUri(node.ref)));
  await vscode.window.showTextDocument(doc);
}

export async function copyReference(node: CatalogNode | undefined): Promise<void> {
  if (!node?.ref) return;
  await vscode.env.clipboard.writeText(node.ref);
  vscode.window.setStatusBarMessage(`$(copy) Copied ${node.ref}`, 3000);
}

export async function openInBackstage(node: CatalogNode | undefined): Promise<void> {
  if (!node?.ref) return;
  const base = vscode.workspace.getConfiguration().get<string>(Settings.backstageUrl, '');
  const url = backstageEntityUrl(base, node.ref);
  if (!url) {
    const action = await vscode.window.showWarningMessage(
      base ? `"${base}" is not an http(s) URL: set ${Settings.backstageUrl} to your Backstage's address.` : `Set ${Settings.backstageUrl} to your Backstage's address to open entities there.`,
      'Open Settings',
    );
    if (action) await vscode.commands.executeCommand('workbench.action.openSettings', Settings.backstageUrl);
    return;
  }
  await vscode.env.openExternal(vscode.Uri.parse(url));
}
