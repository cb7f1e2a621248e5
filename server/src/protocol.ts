/**
 * Custom messages between the client and the server, each declared once here and imported by both sides.
 * Standard LSP covers diagnostics, completion, hover and symbols; these add what LSP has no word for.
 */
import { NotificationType } from 'vscode-languageserver-protocol';

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
}

export namespace ServerStatusNotification {
  export const method = 'pavedRoad/status' as const;
  export const type = new NotificationType<ServerStatus>(method);
}

/** The settings the server reads per resource (section `pavedRoad`). */
export interface PavedRoadSettings {
  files: { include: string[] };
  policies: Record<string, unknown>;
}

export const DEFAULT_SETTINGS: PavedRoadSettings = { files: { include: [] }, policies: {} };
