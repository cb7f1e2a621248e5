/**
 * Layer 1, the shape every catalog source has beyond the workspace: a snapshot file or URL, a folder of
 * catalog files, and next the live ones (a Backstage API, a GitHub organisation). A source only fetches;
 * the SourceManager (sourceManager.ts) validates, caches, retries, and puts the result into the index.
 */
import type { SourceType } from '../protocol';

/** A problem of a quarantined entity, in words (no position: the entity may have no file). */
export interface StoreProblem {
  code: string;
  message: string;
}

/** One entity as a source gives it: the plain entity data, where it comes from, and its problems once judged. */
export interface StoreEntity {
  entity: Record<string, unknown>;
  /** The id of the source it came from (in a snapshot made by `ingest`, the original source's id). */
  source: string;
  /** Its errors as the editor's engine sees them; present (non-empty) only when it is quarantined. */
  problems?: StoreProblem[];
  /** A file that defines it (a folder source), as a file:// URI, so a view can open it. */
  location?: string;
}

/** What one fetch gave: entities, and the entries that were not entities at all (counted, not kept). */
export interface FetchResult {
  entities: StoreEntity[];
  skipped: number;
  /** True when the source judged its entities itself (a folder: with each file's path and policies). */
  judged?: boolean;
  /** Problems that did not stop the fetch (a file of a folder that could not be read), for the log. */
  notes?: string[];
  /** What the fetch cost a live source: requests sent, and rate-limit points spent (GitHub). */
  usage?: { requests: number; points?: number };
}

/** Why a fetch failed, and what the user can do about it. */
export class SourceError extends Error {
  constructor(
    message: string,
    readonly nextStep: 'retry' | 'openLog' | 'fixSetting' | 'signIn' | 'waitRateLimit',
    /** A failure that will not go away by trying again now (a 404, a bad setting): no retry. */
    readonly permanent = false,
    /** For `waitRateLimit`: when the limit resets (ISO 8601). */
    readonly retryAt?: string,
  ) {
    super(message);
  }
}

/**
 * A catalog source. `fetch` honours `signal` (a cancelled refresh, a timeout) by rejecting; it never
 * touches the index. Ownership note: when two sources say who owns the same entity (catalog-info.yaml
 * and a CODEOWNERS file, with the GitHub source), `ownershipRank` decides: lower wins.
 */
export interface CatalogSource {
  readonly id: string;
  readonly type: Exclude<SourceType, 'workspace'>;
  readonly label: string;
  /** A link for cards ("From the store …"): an https URL, or a file:// URI. */
  readonly url?: string;
  /** Where this source's ownership claims rank: 0 catalog-info.yaml (every source today), 1 CODEOWNERS. */
  readonly ownershipRank?: number;
  fetch(signal: AbortSignal): Promise<FetchResult>;
  /** Calls `changed` when the source's data changed on its own (a watched folder); returns the stop. */
  watch?(changed: () => void): () => void;
}
