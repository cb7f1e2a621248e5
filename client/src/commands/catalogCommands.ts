/** Every command of the catalog views, registered from one table. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { GroupBy } from '../../../server/src/protocol';
import { Commands } from '../constants';
import type { StatusBar } from '../statusBar';
import type { CatalogTree } from '../views/catalogTree';
import { GROUP_BYS } from '../views/present';
import { nodeOf } from '../views/treeNode';
import { showBlastRadius } from './blastRadius';
import { copyReference, openEntity, openInBackstage } from './entityCommands';
import { findEntity } from './findEntity';
import { addSource, refreshSources, showSources } from './sources';

export interface CatalogCommandDeps {
  client: LanguageClient;
  log: vscode.LogOutputChannel;
  catalog: CatalogTree;
  status: StatusBar;
}

async function pickGroupBy(catalog: CatalogTree): Promise<void> {
  const picked = await vscode.window.showQuickPick(
    GROUP_BYS.map((g) => ({ label: `Group by ${g}`, description: g === catalog.groupBy ? 'current' : undefined, groupBy: g })),
    { title: 'Group the Catalog view' },
  );
  if (picked) await catalog.setGroupBy(picked.groupBy);
}

const GROUP_BY_COMMANDS: Record<GroupBy, string> = {
  owner: Commands.groupByOwner,
  system: Commands.groupBySystem,
  domain: Commands.groupByDomain,
  kind: Commands.groupByKind,
};

export function registerCatalogCommands({ client, log, catalog, status }: CatalogCommandDeps): vscode.Disposable[] {
  const table: [string, string, (arg?: unknown) => Promise<unknown>][] = [
    [Commands.refreshCatalog, 'refresh the catalog', () => refreshSources(client)],
    [Commands.findEntity, 'Find Entity', () => findEntity(client, log)],
    [Commands.addSource, 'add a catalog source', () => addSource()],
    [Commands.showSources, 'show the catalog sources', () => showSources(client, status.current?.sources)],
    [Commands.groupBy, 'group the catalog', () => pickGroupBy(catalog)],
    ...GROUP_BYS.map((g): [string, string, () => Promise<void>] => [GROUP_BY_COMMANDS[g], `group by ${g}`, () => catalog.setGroupBy(g)]),
    [Commands.openEntity, 'open the entity', (arg) => openEntity(nodeOf(arg))],
    [Commands.copyReference, 'copy the reference', (arg) => copyReference(nodeOf(arg))],
    [Commands.openInBackstage, 'open the entity in Backstage', (arg) => openInBackstage(nodeOf(arg))],
    // From the editor without an argument (the entity at the cursor), from a view with its node.
    [Commands.showBlastRadius, 'show the blast radius', (arg) => showBlastRadius(client, nodeOf(arg)?.ref)],
  ];
  return table.map(([id, what, run]) =>
    vscode.commands.registerCommand(id, async (arg?: unknown) => {
      try {
        await run(arg);
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        log.error(`Could not ${what}: ${message}`);
        const action = await vscode.window.showErrorMessage(`Paved Road could not ${what}: ${message}`, 'Show Output');
        if (action) log.show(true);
      }
    }),
  );
}
