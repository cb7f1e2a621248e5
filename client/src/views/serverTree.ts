/**
 * A tree view whose every node comes from the language server. It keeps no catalog: when the server says
 * the catalog moved (ServerStatus.catalogVersion) it asks again, at once if the view is shown, else the
 * next time it is.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { CatalogNode } from '../../../server/src/protocol';
import { child, resolveCard, treeItem, type TreeNode } from './treeNode';

/**
 * While the catalog keeps moving (typing in a catalog file bumps it at every keystroke), a shown view asks
 * again at most this often: each time costs a request per expanded group.
 */
const MIN_REFRESH_MS = 1000;

export abstract class ServerTree implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<TreeNode>;
  private readonly disposables: vscode.Disposable[] = [];
  private version: number | undefined;
  private behind = false;
  private lastRefresh = 0;
  private pending: NodeJS.Timeout | undefined;

  constructor(
    viewId: string,
    protected readonly client: LanguageClient,
    protected readonly log: vscode.LogOutputChannel,
  ) {
    this.view = vscode.window.createTreeView(viewId, { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(
      this.changed,
      this.view,
      this.view.onDidChangeVisibility((e) => {
        if (e.visible && this.behind) this.refresh();
      }),
    );
  }

  /** The server's catalog version moved (or is first known). */
  catalogChanged(version: number | undefined): void {
    if (version === undefined || version === this.version) return;
    this.version = version;
    if (!this.view.visible) this.behind = true;
    else if (!this.pending) {
      const wait = this.lastRefresh + MIN_REFRESH_MS - Date.now();
      if (wait <= 0) this.refresh();
      else this.pending = setTimeout(() => this.refresh(), wait);
    }
  }

  refresh(): void {
    clearTimeout(this.pending);
    this.pending = undefined;
    this.behind = false;
    this.lastRefresh = Date.now();
    this.changed.fire(undefined);
  }

  getTreeItem(t: TreeNode): vscode.TreeItem {
    return treeItem(t, this.expanded(t));
  }

  resolveTreeItem(item: vscode.TreeItem, t: TreeNode, token: vscode.CancellationToken): Promise<vscode.TreeItem> {
    return resolveCard(this.client, item, t, token);
  }

  async getChildren(parent?: TreeNode): Promise<TreeNode[]> {
    try {
      const nodes = await this.children(parent?.node);
      return nodes.map((n) => child(parent, n));
    } catch (e) {
      // A view never raises a notification: the empty state (viewsWelcome) and the log say what happened.
      this.log.warn(`${this.view.title ?? 'Catalog view'}: the server did not answer (${e instanceof Error ? e.message : String(e)}).`);
      if (!parent) await this.failed();
      return [];
    }
  }

  /** Whether a group starts expanded. */
  protected expanded(_t: TreeNode): boolean {
    return false;
  }

  /** The top level (no parent) or a node's children, from the server. */
  protected abstract children(parent: CatalogNode | undefined): Promise<CatalogNode[]>;

  /** The top level could not be read. */
  protected abstract failed(): Promise<void>;

  dispose(): void {
    clearTimeout(this.pending);
    for (const d of this.disposables) d.dispose();
  }
}

export function setContext(key: string, value: unknown): Thenable<unknown> {
  return vscode.commands.executeCommand('setContext', key, value);
}
