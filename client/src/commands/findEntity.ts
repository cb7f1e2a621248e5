/**
 * "Paved Road: Find Entity…": a quick pick over the whole catalog. Every keystroke asks the server (its
 * search is instant on 100,000 entities) and cancels the question before it, so answers never arrive out
 * of order.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { FindEntitiesRequest, type CatalogNode } from '../../../server/src/protocol';
import { adoption } from '../adoption';
import { iconOf } from '../views/present';
import { openEntity } from './entityCommands';

const LIMIT = 50;

interface EntityPick extends vscode.QuickPickItem {
  node: CatalogNode;
}

export function entityPick(node: CatalogNode): EntityPick {
  const detail = [node.kind, node.degraded ? 'Degraded' : '', node.description ?? '', node.source ? `from ${node.source}` : ''].filter(Boolean);
  // alwaysShow: the server matched on tags and owners too, which the quick pick's own filter cannot see.
  return { label: `$(${iconOf(node)}) ${node.label}`, description: node.ref, detail: detail.join(' · '), alwaysShow: true, node };
}

export async function findEntity(client: LanguageClient, log: vscode.LogOutputChannel): Promise<void> {
  const qp = vscode.window.createQuickPick<EntityPick>();
  qp.title = 'Find Entity';
  qp.placeholder = 'Name, title, description, tag or owner';
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  let pending: vscode.CancellationTokenSource | undefined;
  let unanswered = ''; // the last query answered with nothing (an adoption signal when the user gives up on it)

  const search = async (query: string): Promise<void> => {
    pending?.cancel();
    pending?.dispose();
    const mine = new vscode.CancellationTokenSource();
    pending = mine;
    qp.busy = true;
    try {
      const { nodes, total } = await client.sendRequest(FindEntitiesRequest.type, { query, limit: LIMIT }, mine.token);
      if (mine.token.isCancellationRequested) return;
      qp.items = nodes.map(entityPick);
      unanswered = total ? '' : query.trim();
      const count = nodes.length < total ? `the best ${nodes.length} of ${total} matches` : `${total} match${total === 1 ? '' : 'es'}`;
      // The query in the title says which keystroke the list answers.
      qp.title = query.trim() ? `Find Entity: ${count} for "${query.trim()}"` : `Find Entity: ${total} entit${total === 1 ? 'y' : 'ies'}`;
    } catch (e) {
      if (!mine.token.isCancellationRequested) log.warn(`Find Entity: the server did not answer "${query}" (${e instanceof Error ? e.message : String(e)}).`);
    } finally {
      if (pending === mine) qp.busy = false;
    }
  };

  const disposables: vscode.Disposable[] = [qp];
  const picked = new Promise<EntityPick | undefined>((resolve) => {
    disposables.push(
      qp.onDidChangeValue((value) => void search(value)),
      qp.onDidAccept(() => {
        resolve(qp.selectedItems[0] ?? qp.activeItems[0]);
        qp.hide();
      }),
      qp.onDidHide(() => resolve(undefined)),
    );
  });
  qp.show();
  void search('');
  try {
    const pick = await picked;
    if (pick) await openEntity(pick.node);
    else if (unanswered) adoption.record({ type: 'find-entity-no-result', query: unanswered });
  } finally {
    pending?.cancel();
    pending?.dispose();
    for (const d of disposables) d.dispose();
  }
}
