/** The elements of the catalog views: a server's CatalogNode and where it sits in its view. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { EntityCardRequest, type CatalogNode } from '../../../server/src/protocol';
import { Commands } from '../constants';
import { descriptionOf, iconOf } from './present';

export interface TreeNode {
  node: CatalogNode;
  /** Unique in its view (the path of ids from the top), so an expanded group stays expanded on refresh. */
  key: string;
}

export function child(parent: TreeNode | undefined, node: CatalogNode): TreeNode {
  return { node, key: parent ? `${parent.key}>${node.id}` : node.id };
}

/** The node a command was given: a tree element (menus, clicks), a bare CatalogNode, or a ref. */
export function nodeOf(arg: unknown): CatalogNode | undefined {
  if (typeof arg === 'string') return arg ? { id: arg, type: 'entity', label: arg, kind: arg.split(':')[0] ?? '', ref: arg } : undefined;
  if (!arg || typeof arg !== 'object') return undefined;
  if ('node' in arg) return nodeOf((arg as TreeNode).node);
  const n = arg as Partial<CatalogNode>;
  return typeof n.id === 'string' && (n.type === 'group' || n.type === 'entity') ? (n as CatalogNode) : undefined;
}

export function treeItem(t: TreeNode, expanded = false): vscode.TreeItem {
  const { node } = t;
  const item = new vscode.TreeItem(
    node.label,
    node.type === 'group' ? (expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed) : vscode.TreeItemCollapsibleState.None,
  );
  item.id = t.key;
  item.description = descriptionOf(node);
  item.iconPath = new vscode.ThemeIcon(iconOf(node), node.degraded ? new vscode.ThemeColor('list.warningForeground') : undefined);
  // Space-separated tokens the menus match: what it is, whether it names an entity, and of which kind (`kind:group`).
  item.contextValue = [node.type, node.ref ? 'ref' : '', node.degraded ? 'degraded' : '', node.ref && node.kind ? `kind:${node.kind.toLowerCase()}` : ''].filter(Boolean).join(' ');
  if (node.type === 'entity') {
    item.command = { command: Commands.openEntity, title: 'Open Entity Source', arguments: [t] };
  }
  if (node.type === 'group' && node.description) item.tooltip = `${node.label} (${node.description}): ${node.count ?? 0} entities`;
  return item;
}

/** Fills an entity's tooltip with its card from the server, only when the user hovers it. */
export async function resolveCard(client: LanguageClient, item: vscode.TreeItem, t: TreeNode, token: vscode.CancellationToken): Promise<vscode.TreeItem> {
  const ref = t.node.type === 'entity' ? t.node.ref : undefined;
  if (!ref || item.tooltip) return item;
  const card = await client.sendRequest(EntityCardRequest.type, { ref }, token).catch(() => null);
  if (!card || token.isCancellationRequested) return item;
  // The card carries catalog data (a store's too): no command links, no HTML. It says itself when the
  // entity is Degraded, with the problems.
  const md = new vscode.MarkdownString(card);
  md.isTrusted = false;
  md.supportHtml = false;
  item.tooltip = md;
  return item;
}
