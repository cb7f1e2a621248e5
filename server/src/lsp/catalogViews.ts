/**
 * The LSP handlers behind the sidebar views: the Catalog tree's children, an entity's card for a tooltip,
 * Find Entity, My Team and what a team owns. Thin: check the parameters, call a pure query in views/.
 */
import { execFile } from 'node:child_process';
import type { CancellationToken, Connection } from 'vscode-languageserver/node';
import type { CatalogIndex } from '../catalog/catalogIndex';
import { entityCard } from '../language/cards';
import { CatalogChildrenRequest, EntityCardRequest, FindEntitiesRequest, MyTeamRequest, OwnedEntitiesRequest, type GroupBy } from '../protocol';
import { CatalogTree, GROUP_BYS } from '../views/catalogTree';
import { DEFAULT_LIMIT, EntitySearch } from '../views/findEntities';
import { myTeam } from '../views/myTeam';
import type { CatalogDocuments } from './catalogDocuments';
import { runSafe, type Log } from './runSafe';

export interface CatalogViewDeps {
  index: CatalogIndex;
  catalog: Pick<CatalogDocuments, 'whenPrepared'>;
  log: Log;
  describeUri: (uri: string) => string;
  /** The workspace folders' paths: git's user.email is read in the first. */
  folders: () => readonly string[];
  /** Told after each Catalog tree request is answered (the warm start's check waits for the first). */
  answered?: () => void;
}

/** How long `git config user.email` may take. */
const GIT_TIMEOUT_MS = 2000;
/** Longer is no email (RFC 5321's limit). */
const MAX_EMAIL = 320;

/** git's user.email in `cwd`, or undefined (no git, no such setting, too slow). No shell is involved. */
export function gitEmail(cwd: string, log: Log): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', ['config', 'user.email'], { cwd, timeout: GIT_TIMEOUT_MS, windowsHide: true }, (err, stdout) => {
      const email = String(stdout ?? '').trim();
      // Exit status 1 only says the setting is not there.
      if (err && (err as { code?: unknown }).code !== 1) log(`git config user.email in ${cwd}: ${err.message}`);
      resolve(!err && email && email.length <= MAX_EMAIL ? email : undefined);
    });
  });
}

const text = (v: unknown, max: number): string | undefined => (typeof v === 'string' && v.length <= max ? v : undefined);

export function registerCatalogViews(connection: Connection, deps: CatalogViewDeps): void {
  const { index, catalog, log, describeUri } = deps;
  const tree = new CatalogTree(index);
  const search = new EntitySearch(index);
  const safe = <T>(name: string, neutral: T, token: CancellationToken, fn: () => T) => catalog.whenPrepared(() => runSafe(log, name, neutral, token, fn));

  const answered = (): void => {
    // After the answer is on its way, not before.
    if (deps.answered) setImmediate(deps.answered);
  };
  connection.onRequest(CatalogChildrenRequest.type, (p, token) =>
    Promise.resolve(
      safe('catalogChildren', [], token, () => {
        const groupBy = GROUP_BYS.includes(p?.groupBy) ? p.groupBy : ('owner' satisfies GroupBy);
        const parent = p?.parent === undefined || p.parent === null ? undefined : text(p.parent, 10_000);
        if (p?.parent && parent === undefined) return [];
        return tree.children(groupBy, parent);
      }),
    ).finally(answered),
  );

  connection.onRequest(EntityCardRequest.type, (p, token) =>
    safe('entityCard', null, token, () => {
      const ref = text(p?.ref, 10_000)?.toLowerCase();
      // Only entities the index has: the tree never shows a ref it does not know.
      return ref && index.first(ref) ? entityCard(index, ref, describeUri, true) : null;
    }),
  );

  connection.onRequest(FindEntitiesRequest.type, (p, token) =>
    safe('findEntities', { nodes: [], total: 0 }, token, () => search.find(text(p?.query, 10_000) ?? '', typeof p?.limit === 'number' ? p.limit : DEFAULT_LIMIT)),
  );

  connection.onRequest(MyTeamRequest.type, async (p, token) => {
    const given = text(p?.email, MAX_EMAIL)?.trim();
    const folder = deps.folders()[0];
    const email = given || (folder ? await gitEmail(folder, log) : undefined);
    return safe('myTeam', { email, teams: [] }, token, () => myTeam(index, tree, email));
  });

  connection.onRequest(OwnedEntitiesRequest.type, (p, token) =>
    safe('ownedEntities', [], token, () => {
      const ref = text(p?.ref, 10_000);
      return ref ? tree.owned(ref) : [];
    }),
  );
}
