/**
 * My Team: the User entity of an email, the teams it belongs to, and what each team owns. Membership is
 * read both ways, as Backstage relates it: the User's spec.memberOf and the Groups whose spec.members list
 * the User. Only winning definitions count (a store's stale copy of a workspace entity says nothing).
 */
import type { CatalogIndex, Placement } from '../catalog/catalogIndex';
import type { CatalogNode } from '../protocol';
import { groupId, type CatalogTree } from './catalogTree';
import { compareKeys, entityNode, kindOfRef, labelOfRef } from './nodes';

/** The User whose profile email is `email` (case-insensitive), else the one named like its local part. */
export function findUser(index: CatalogIndex, email: string): Placement | undefined {
  const e = email.trim().toLowerCase();
  const local = e.slice(0, e.includes('@') ? e.indexOf('@') : e.length);
  if (!e || !local) return undefined;
  let byEmail: Placement | undefined;
  let byName: Placement | undefined;
  // Several matches: the smallest ref, so the answer does not depend on the order entities were read.
  const better = (p: Placement, than: Placement | undefined): boolean => !than || p.record.ref < than.record.ref;
  for (const ref of index.refsOfKind('user')) {
    const p = index.first(ref);
    if (!p) continue;
    if (p.record.profile?.email?.toLowerCase() === e) {
      if (better(p, byEmail)) byEmail = p;
    } else if (p.record.name.toLowerCase() === local && better(p, byName)) byName = p;
  }
  return byEmail ?? byName;
}

/** Whether a referrer is an entity's winning definition (not a copy that lost). */
function wins(index: CatalogIndex, p: Placement): boolean {
  return index.first(p.record.ref) === p;
}

/** The Groups a User belongs to: its memberOf, and the Groups that list it as a member. */
export function teamsOf(index: CatalogIndex, user: Placement): string[] {
  const teams = new Set<string>();
  for (const o of user.record.refs) if (o.field === 'memberOf' && o.target) teams.add(o.target);
  for (const r of index.referrers(user.record.ref, 'members')) if (wins(index, r.placement)) teams.add(r.placement.record.ref);
  return [...teams];
}

/** A team (or the user) as a group node of My Team: its children are what it owns (`CatalogTree.owned`). */
export function teamNode(index: CatalogIndex, tree: CatalogTree, ref: string): CatalogNode {
  const kind = kindOfRef(index, ref);
  return { id: groupId('owner', ref), type: 'group', label: labelOfRef(index, ref), description: kind, kind, count: tree.ownedCount(ref), ref };
}

/**
 * My Team for an email: the user, their teams by label, and the user themself last when they own
 * something directly.
 */
export function myTeam(index: CatalogIndex, tree: CatalogTree, email: string | undefined): { email?: string; user?: CatalogNode; teams: CatalogNode[] } {
  const user = email ? findUser(index, email) : undefined;
  if (!user) return { email, teams: [] };
  const teams = teamsOf(index, user)
    .map((ref) => teamNode(index, tree, ref))
    .sort((a, b) => compareKeys(a.label.toLowerCase(), b.label.toLowerCase()) || compareKeys(a.id, b.id));
  if (tree.owned(user.record.ref).length) teams.push(teamNode(index, tree, user.record.ref));
  return { email, user: entityNode(index, user), teams };
}
