/** My Team: the teams of the user (found by email) and what each owns. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { MyTeamRequest, OwnedEntitiesRequest, type CatalogNode } from '../../../server/src/protocol';
import { ContextKeys, Settings, Views } from '../constants';
import { ServerTree, setContext } from './serverTree';
import type { TreeNode } from './treeNode';

export class MyTeamTree extends ServerTree {
  constructor(client: LanguageClient, log: vscode.LogOutputChannel) {
    super(Views.myTeam, client, log);
    void setContext(ContextKeys.myTeamState, 'loading');
  }

  protected override expanded(t: TreeNode): boolean {
    return !t.key.includes('>'); // the user's teams are few: show what they own at once
  }

  protected async children(parent: CatalogNode | undefined): Promise<CatalogNode[]> {
    if (parent) return parent.ref ? this.client.sendRequest(OwnedEntitiesRequest.type, { ref: parent.ref }) : [];
    const email = vscode.workspace.getConfiguration().get<string>(Settings.identityEmail)?.trim() || undefined;
    const me = await this.client.sendRequest(MyTeamRequest.type, { email });
    const who = me.email ?? 'no email (set pavedRoad.identity.email or git user.email)';
    if (!me.user) {
      this.view.message = `No User entity in the catalog has the email ${who}.`;
      await setContext(ContextKeys.myTeamState, 'noUser');
      return [];
    }
    this.view.message = me.teams.length ? `${me.user.label} (${who})` : `${me.user.label} (${who}) is in no team.`;
    await setContext(ContextKeys.myTeamState, me.teams.length ? 'ready' : 'noTeams');
    return me.teams;
  }

  protected async failed(): Promise<void> {
    this.view.message = undefined;
    await setContext(ContextKeys.myTeamState, 'offline');
  }
}
