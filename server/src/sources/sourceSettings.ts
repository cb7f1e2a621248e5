/**
 * From the settings to sources: `pavedRoad.catalog.sources` (a list of SourceSetting), and the older
 * `pavedRoad.catalog.snapshot` (one snapshot path), which stays a snapshot source. A setting that cannot
 * work still becomes a source, one whose every fetch fails with what to fix: the view and the status bar
 * show it like any other source.
 */
import { isAbsolute, resolve } from 'node:path';
import type { SourceSetting } from '../protocol';
import { backstageId, BackstageSource } from './backstageSource';
import { FolderSource } from './folderSource';
import { GithubSource, githubSettingOptions, githubSourceId } from './githubSource';
import { SourceError, type CatalogSource, type FetchResult } from './source';
import type { ConfiguredSource } from './sourceManager';
import { safeUrl, SnapshotFileSource, SnapshotUrlSource } from './snapshotSource';
import { tokenFor as heldToken } from './tokens';

/** Minutes between background refreshes when neither the source nor `pavedRoad.catalog.refreshMinutes` says. */
export const DEFAULT_REFRESH_MINUTES = 30;

/** The `pavedRoad.catalog` settings section as the server reads it. */
export interface CatalogSettings {
  snapshot?: unknown;
  sources?: unknown;
  refreshMinutes?: unknown;
  backstageUrl?: unknown;
}

/** A source that cannot be read as configured: every fetch says why. */
class MisconfiguredSource implements CatalogSource {
  constructor(
    readonly id: string,
    readonly type: CatalogSource['type'],
    readonly label: string,
    private readonly problem: string,
  ) {}
  fetch(): Promise<FetchResult> {
    return Promise.reject(new SourceError(this.problem, 'fixSetting', true));
  }
}

/** http only to this machine (a local catalog, the tests); anything else must be https. */
export function allowedUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || (u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname));
  } catch {
    return false;
  }
}

const minutes = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);

/**
 * The sources the settings ask for; relative paths are relative to the first workspace folder. `tokenFor`
 * gives a live source's token by its id (by default the server's token store, tokens.ts: none until a client
 * sends them).
 */
export function configuredSources(settings: CatalogSettings | null | undefined, folder: string | undefined, tokenFor: (sourceId: string) => string | undefined = heldToken): ConfiguredSource[] {
  const out = new Map<string, ConfiguredSource>();
  const defaultMinutes = minutes(settings?.refreshMinutes) ?? DEFAULT_REFRESH_MINUTES;
  const abs = (p: string): string => (isAbsolute(p) || !folder ? p : resolve(folder, p));
  const add = (source: CatalogSource, refresh?: unknown): void => void (out.has(source.id) || out.set(source.id, { source, refreshMinutes: minutes(refresh) ?? defaultMinutes }));
  const legacy = typeof settings?.snapshot === 'string' ? settings.snapshot.trim() : '';
  if (legacy) add(/^https?:\/\//.test(legacy) ? urlSource(legacy, legacy) : new SnapshotFileSource(abs(legacy), legacy));
  const list = Array.isArray(settings?.sources) ? settings.sources : [];
  list.forEach((raw: unknown, i) => {
    const s = (raw && typeof raw === 'object' ? raw : {}) as Partial<SourceSetting>;
    const label = typeof s.label === 'string' && s.label.trim() ? s.label.trim() : undefined;
    const path = typeof s.path === 'string' && s.path.trim() ? s.path.trim() : undefined;
    const url = typeof s.url === 'string' && s.url.trim() ? s.url.trim() : undefined;
    const bad = (type: CatalogSource['type'], problem: string): void => add(new MisconfiguredSource(`${type}:setting-${i + 1}`, type, label ?? `source ${i + 1} (${String(s.type ?? 'no type')})`, problem));
    switch (s.type) {
      case 'snapshot':
        if (path) add(new SnapshotFileSource(abs(path), label ?? path), s.refreshMinutes);
        else if (url) add(urlSource(url, label ?? safeUrl(url)), s.refreshMinutes);
        else bad('snapshot', 'a snapshot source needs a path or an https url');
        break;
      case 'folder':
        if (path) add(new FolderSource(abs(path), label ?? path), s.refreshMinutes);
        else bad('folder', 'a folder source needs a path');
        break;
      case 'backstage': {
        // The entry's url, else pavedRoad.catalog.backstageUrl (the base the "Open in Backstage" links use).
        const base = url ?? (typeof settings?.backstageUrl === 'string' && settings.backstageUrl.trim() ? settings.backstageUrl.trim() : undefined);
        if (!base) bad('backstage', 'a backstage source needs a url (or pavedRoad.catalog.backstageUrl)');
        else if (!allowedUrl(base)) add(new MisconfiguredSource(backstageId(base), 'backstage', label ?? safeUrl(base), `${safeUrl(base)} is not an https URL`));
        else {
          const id = backstageId(base);
          add(new BackstageSource(base, label, { token: () => tokenFor(id) }), s.refreshMinutes);
        }
        break;
      }
      case 'github': {
        const org = typeof s.org === 'string' ? s.org.trim() : '';
        if (!/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(org)) bad('github', 'a github source needs an org (the organisation login)');
        else if (url && !allowedUrl(url)) bad('github', `${safeUrl(url)} is not an https URL`);
        else {
          const id = githubSourceId(org, url);
          add(new GithubSource({ org, url, label, ...githubSettingOptions(s), token: () => tokenFor(id) }), s.refreshMinutes);
        }
        break;
      }
      default:
        bad('snapshot', `pavedRoad.catalog.sources[${i}] needs a type: snapshot or folder`);
    }
  });
  return [...out.values()];
}

function urlSource(url: string, label: string): CatalogSource {
  return allowedUrl(url) ? new SnapshotUrlSource(url, label) : new MisconfiguredSource(`snapshot:${safeUrl(url)}`, 'snapshot', label, `${safeUrl(url)} is not an https URL`);
}
