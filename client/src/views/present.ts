/**
 * How catalog nodes and sources read in the views, the quick picks and the status bar. Pure (no VS Code
 * import), so the unit tests hold the wording and the rules without a workbench.
 */
import type { CatalogNode, GroupBy, SourceStatus } from '../../../server/src/protocol';

export const GROUP_BYS: readonly GroupBy[] = ['owner', 'system', 'domain', 'kind'];

/** The codicon of each kind (lower case); `symbol-misc` for a kind of the installation's own. */
const KIND_ICONS: Record<string, string> = {
  component: 'package',
  api: 'plug',
  resource: 'database',
  system: 'server-environment',
  domain: 'globe',
  group: 'organization',
  user: 'person',
  location: 'location',
  template: 'file-code',
};

/** The codicon of a node: a Degraded entity's warning, its kind's, or (grouped by kind) the kind it groups. */
export function iconOf(node: CatalogNode): string {
  if (node.degraded) return 'warning';
  const kind = node.type === 'group' && node.kind === 'Kind' ? node.label : node.kind;
  return KIND_ICONS[kind.toLowerCase()] ?? 'symbol-misc';
}

/** The grey text after the label: `Degraded · lifecycle · owner` for an entity, the count for a group. */
export function descriptionOf(node: CatalogNode): string {
  if (node.type === 'group') return node.count === undefined ? (node.description ?? '') : String(node.count);
  const parts = [node.degraded ? 'Degraded' : '', node.description ?? ''].filter(Boolean);
  return parts.join(' · ');
}

/** kind, namespace and name of a ref written `kind:namespace/name`. */
export function parseRef(ref: string): { kind: string; namespace: string; name: string } | undefined {
  const m = /^([^:/]+):([^:/]+)\/([^:/]+)$/.exec(ref);
  return m ? { kind: m[1], namespace: m[2], name: m[3] } : undefined;
}

/** The entity's page in Backstage: `<base>/catalog/<namespace>/<kind>/<name>` (Backstage routes use a lower-case kind). */
export function backstageEntityUrl(base: string, ref: string): string | undefined {
  const r = parseRef(ref);
  const root = base.trim().replace(/\/+$/, '');
  if (!r || !/^https?:\/\//i.test(root)) return undefined;
  const seg = (s: string) => encodeURIComponent(s);
  return `${root}/catalog/${seg(r.namespace)}/${seg(r.kind.toLowerCase())}/${seg(r.name)}`;
}

/** "just now", "5 min ago", "3 h ago", "2 days ago" from an ISO time. */
export function ago(iso: string | undefined, now = Date.now()): string | undefined {
  const t = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(t)) return undefined;
  const min = Math.max(0, Math.round((now - t) / 60_000));
  if (min < 1) return 'just now';
  if (min < 60) return `${min} min ago`;
  const h = Math.round(min / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(h / 24)} days ago`;
}

/** A source needs the user: it failed, or it never worked and says why. */
export function isTroubled(s: SourceStatus): boolean {
  return s.state === 'stale' || (s.state === 'empty' && !!s.error);
}

/** One line per source for the status bar tooltip and the details: state, entities, since when, why. */
export function sourceLine(s: SourceStatus, now = Date.now()): string {
  const when = ago(s.fetchedAt, now);
  const count = `${s.entities} entit${s.entities === 1 ? 'y' : 'ies'}${s.quarantined ? ` (${s.quarantined} Degraded)` : ''}`;
  switch (s.state) {
    case 'fresh':
      return `${s.label}: ${count}${when ? `, fetched ${when}` : ''}${s.fromCache ? ' (from the cache)' : ''}`;
    case 'refreshing':
      return `${s.label}: refreshing… (${count} meanwhile)`;
    case 'stale':
      // Why first: the quick pick cuts a long line at its end.
      return `${s.label}: stale${s.error ? `: ${s.error}` : ''}. The last good ${count}${when ? `, from ${when},` : ''} stay`;
    case 'empty':
      return `${s.label}: nothing yet${s.error ? `; ${s.error}` : ''}`;
  }
}

/** What a next step means, as the label of the action that takes it. */
export const NEXT_STEP_LABELS: Record<NonNullable<SourceStatus['nextStep']>, string> = {
  retry: 'Retry',
  openLog: 'Open the log',
  fixSetting: 'Fix the setting',
  signIn: 'Sign in',
  waitRateLimit: 'Wait for the rate limit',
};

/** The status bar's words about the sources: entity count, freshness of the oldest, and which are stale. */
export function sourcesSummary(entities: number, sources: readonly SourceStatus[], now = Date.now()): { text: string; warning: boolean; stale: string[] } {
  const troubled = sources.filter(isTroubled);
  const refreshing = sources.some((s) => s.state === 'refreshing');
  const fetched = sources
    .filter((s) => s.type !== 'workspace' && s.fetchedAt)
    .map((s) => Date.parse(s.fetchedAt!))
    .filter((t) => !Number.isNaN(t));
  const oldest = fetched.length ? ago(new Date(Math.min(...fetched)).toISOString(), now) : undefined;
  let text = `${entities.toLocaleString('en-US')} entities`;
  if (troubled.length) text += ` (${troubled.length === 1 ? `${troubled[0].label} stale` : `${troubled.length} sources stale`})`;
  else if (refreshing) text += ' (refreshing)';
  else if (oldest) text += ` (${oldest})`;
  return { text, warning: troubled.length > 0, stale: troubled.map((s) => s.label) };
}
