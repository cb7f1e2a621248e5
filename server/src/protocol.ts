/**
 * Custom messages between the client and the server, each declared once here and imported by both sides.
 * Standard LSP covers diagnostics, completion, hover and symbols; these add what LSP has no word for.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';

/** What the server reports about itself, for the status bar. Direction: server → client. */
export interface ServerStatus {
  /** Catalog files open and checked. */
  files: number;
  errors: number;
  warnings: number;
  /** Problems with the policy data (unknown keys, bad values), shown so the user can fix them. */
  policyIssues: string[];
  /** Entities in the catalog index (workspace files and stores). */
  entities: number;
  /** True while the workspace is being read into the index. */
  indexing: boolean;
  /** The stores feeding the index beyond the workspace, and what went wrong with each. */
  stores: { label: string; entities: number; skipped: number; error?: string }[];
}

export namespace ServerStatusNotification {
  export const method = 'pavedRoad/status' as const;
  export const type = new NotificationType<ServerStatus>(method);
}

/** The settings the server reads per resource (section `pavedRoad`). */
export interface PavedRoadSettings {
  files: { include: string[] };
  policies: Record<string, unknown>;
  /** A catalog snapshot file (JSON or YAML entities), relative to the workspace folder; '' for none. */
  catalog?: { snapshot?: string };
}

export const DEFAULT_SETTINGS: PavedRoadSettings = { files: { include: [] }, policies: {} };

/** One entity that depends on another, directly or through others. */
export interface Dependent {
  ref: string;
  /** 1 for a direct dependent. */
  depth: number;
  /** What makes it a dependent: dependencyOf, apiConsumedBy, consumesProvidedApi (an API the entity provides), hasPart. */
  via: string;
  title: string;
  kind: string;
  /** The file that defines it, when it is in the workspace. */
  uri?: string;
}

/** The transitive dependents of an entity, or of all the parts of a System. Direction: client → server. */
export namespace BlastRadiusRequest {
  export const method = 'pavedRoad/blastRadius' as const;
  export const type = new RequestType<{ ref: string }, { ref: string; found: boolean; dependents: Dependent[] }, void>(method);
}

/** The YAML of an entity that exists only in a store, for a read-only editor. Direction: client → server. */
export namespace EntityYamlRequest {
  export const method = 'pavedRoad/entityYaml' as const;
  export const type = new RequestType<{ ref: string }, string | null, void>(method);
}

/** The URI scheme of read-only documents showing store entities: `paved-road-store:/kind/namespace/name.yaml`. */
export const STORE_SCHEME = 'paved-road-store';

export function storeUri(ref: string): string {
  const m = /^([^:]+):([^/]+)\/(.+)$/.exec(ref);
  return m ? `${STORE_SCHEME}:/${encodeURIComponent(m[1])}/${encodeURIComponent(m[2])}/${encodeURIComponent(m[3])}.yaml` : `${STORE_SCHEME}:/${encodeURIComponent(ref)}.yaml`;
}

export function refOfStoreUri(path: string): string {
  const parts = path.replace(/^\//, '').replace(/\.yaml$/, '').split('/').map(decodeURIComponent);
  return parts.length === 3 ? `${parts[0]}:${parts[1]}/${parts[2]}` : parts.join('/');
}
