/** The Catalog view: the whole catalog grouped by owner, system, domain or kind; groups open lazily. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CatalogChildrenRequest, type CatalogNode, type GroupBy } from '../../../server/src/protocol';
import { ContextKeys, StateKeys, Views } from '../constants';
import { GROUP_BYS } from './present';
import { ServerTree, setContext } from './serverTree';

export class CatalogTree extends ServerTree {
  private groupByNow: GroupBy;
  /** True while the server reads the workspace: an empty answer then means "not yet", not "nothing". */
  private indexing = true;

  constructor(
    client: LanguageClient,
    log: vscode.LogOutputChannel,
    private readonly memento: vscode.Memento,
  ) {
    super(Views.catalog, client, log);
    const saved = memento.get<string>(StateKeys.groupBy);
    this.groupByNow = GROUP_BYS.find((g) => g === saved) ?? 'owner';
    this.view.description = `by ${this.groupByNow}`;
    void setContext(ContextKeys.catalogState, 'loading');
  }

  get groupBy(): GroupBy {
    return this.groupByNow;
  }

  async setGroupBy(groupBy: GroupBy): Promise<void> {
    if (groupBy === this.groupByNow) return;
    this.groupByNow = groupBy;
    this.view.description = `by ${groupBy}`;
    await this.memento.update(StateKeys.groupBy, groupBy);
    this.refresh();
  }

  /** Whether the server is still reading the workspace (from its status). */
  setIndexing(indexing: boolean): void {
    this.indexing = indexing;
  }

  protected async children(parent: CatalogNode | undefined): Promise<CatalogNode[]> {
    const nodes = await this.client.sendRequest(CatalogChildrenRequest.type, { groupBy: this.groupByNow, parent: parent?.id });
    if (!parent) await setContext(ContextKeys.catalogState, nodes.length ? 'ready' : this.indexing ? 'loading' : 'empty');
    return nodes;
  }

  protected async failed(): Promise<void> {
    await setContext(ContextKeys.catalogState, 'offline');
  }
}
