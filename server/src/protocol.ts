/**
 * Custom messages between the client and the server, each declared once here and imported by both sides.
 * Standard LSP covers diagnostics, completion, hover and symbols; these add what LSP has no word for.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { Answers, Plan, TemplateOrigin, TemplateParameter, Violation } from './scaffolding/types';
import type { Drift, UpdatePlan, UpdateResult } from './scaffolding/update';
import type { EntityScore, Level } from './scorecards/types';

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
  /**
   * True while the workspace is being read into the index. A warm start makes it false as soon as the
   * cached files are in the index; the check against the disk that follows shows as the workspace
   * source's `state: refreshing` with `fromCache: true` (see `sources`).
   */
  indexing: boolean;
  /** The stores feeding the index beyond the workspace, and what went wrong with each. */
  stores: { label: string; entities: number; skipped: number; error?: string }[];
  /**
   * Bumped whenever the catalog index changes (an edit, a file, a source refresh): views showing the
   * catalog ask again when it moves. Optional for older servers.
   */
  catalogVersion?: number;
  /** Every catalog source (the workspace included) with its freshness; optional for older servers. */
  sources?: SourceStatus[];
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

// ---------------------------------------------------------------------------------------------
// The shared store and the catalog views (issue 9). The client holds no copy of the catalog: every
// view asks the server's index through these requests.

/** The kinds of catalog source (entries of `pavedRoad.catalog.sources`; the workspace is always one). */
export type SourceType = 'workspace' | 'snapshot' | 'folder' | 'backstage' | 'github';

/** One entry of the `pavedRoad.catalog.sources` setting, as the user writes it. */
export interface SourceSetting {
  type: Exclude<SourceType, 'workspace'>;
  /** snapshot: a file path (relative to the first workspace folder) ; folder: a folder path. */
  path?: string;
  /** snapshot: an https URL; backstage: the Backstage base URL; github: the GraphQL endpoint (GitHub Enterprise). */
  url?: string;
  /** github: the organisation. */
  org?: string;
  /** A name for messages and the view; defaults to the path, URL or organisation. */
  label?: string;
  /** Minutes between background refreshes of this source; `pavedRoad.catalog.refreshMinutes` when absent. */
  refreshMinutes?: number;
  /** github: the catalog file's path in each repository (default `catalog-info.yaml`). */
  catalogPath?: string;
  /** github: read archived repositories too (default false: skipped). */
  includeArchived?: boolean;
  /** github: read forks too (default false: skipped). */
  includeForks?: boolean;
}

/** How a source is doing, for the view, the status bar and the CLI's summary. */
export interface SourceStatus {
  /** Stable id, e.g. `workspace`, `snapshot:/abs/path.json`, `folder:/abs/dir`, `backstage:https://…`, `github:<org>` (`github:<host>/<org>` off github.com). */
  id: string;
  type: SourceType;
  label: string;
  /** Entities it gives now (its last good result), quarantined ones included. */
  entities: number;
  /** Of those, the ones that failed validation: kept with their problems, shown Degraded, not counted. */
  quarantined: number;
  /**
   * `fresh`: the last refresh worked; `refreshing`: one is under way; `stale`: the last refresh failed and
   * the last good entities stay (from memory or the cache); `empty`: it never worked yet.
   */
  state: 'fresh' | 'refreshing' | 'stale' | 'empty';
  /** When the entities shown were fetched (ISO 8601). */
  fetchedAt?: string;
  /** True when they were served from the cache in global storage (e.g. at start-up, or offline). */
  fromCache?: boolean;
  /** Why the last refresh failed, in words, with no secret in it. */
  error?: string;
  /** What to do about it: `retry`, `openLog`, `fixSetting`, `signIn`, `waitRateLimit`. */
  nextStep?: 'retry' | 'openLog' | 'fixSetting' | 'signIn' | 'waitRateLimit';
  /** For `waitRateLimit`: when the limit resets (ISO 8601). */
  retryAt?: string;
}

/** How the Catalog view groups entities. */
export type GroupBy = 'owner' | 'system' | 'domain' | 'kind';

/** A node of a catalog view: a group (an owner, a system, a domain, a kind) or an entity. */
export interface CatalogNode {
  /** Stable id: `group:<groupBy>:<key>` for a group, the entity ref for an entity. */
  id: string;
  type: 'group' | 'entity';
  label: string;
  /** Entity: `lifecycle · owner`; group: the kind of what it stands for (`Group`, `User`, `System`…). */
  description?: string;
  /** Entity: its kind (for the icon). Group: the kind of its key entity, or `Kind` when grouped by kind. */
  kind: string;
  /** Group: how many entities it holds, quarantined ones not counted. */
  count?: number;
  /** Entity: its ref; group: the ref of the owner, system or domain it stands for (none for `(no owner)`). */
  ref?: string;
  /** Entity: it failed validation in its source (quarantined). */
  degraded?: boolean;
  /** Entity: the file that defines it (a workspace or folder source), with the 0-based line of its name. */
  uri?: string;
  line?: number;
  /** Entity: the label of the source its winning definition comes from. */
  source?: string;
}

/** The children of a catalog view's node (the top level without `parent`). Direction: client → server. */
export namespace CatalogChildrenRequest {
  export const method = 'pavedRoad/catalogChildren' as const;
  export const type = new RequestType<{ groupBy: GroupBy; parent?: string }, CatalogNode[], void>(method);
}

/** The Markdown card of an entity (the hover card), for a tree tooltip. Direction: client → server. */
export namespace EntityCardRequest {
  export const method = 'pavedRoad/entityCard' as const;
  export const type = new RequestType<{ ref: string }, string | null, void>(method);
}

/** Find Entity: the best matches of a query over names, titles, descriptions, tags and owners. Direction: client → server. */
export namespace FindEntitiesRequest {
  export const method = 'pavedRoad/findEntities' as const;
  export const type = new RequestType<{ query: string; limit?: number }, { nodes: CatalogNode[]; total: number }, void>(method);
}

/** My Team: who the user is in the catalog, their teams, and what those teams own. Direction: client → server. */
export namespace MyTeamRequest {
  export const method = 'pavedRoad/myTeam' as const;
  export const type = new RequestType<
    { email?: string },
    {
      /** The email used: the one given, else git's user.email in the first workspace folder. */
      email?: string;
      /** The User entity matched by email (or by name), when one was found. */
      user?: CatalogNode;
      /** The user's teams (memberOf), each a group node whose children are what it owns. */
      teams: CatalogNode[];
    },
    void
  >(method);
}

/** The entities owned by one team, for My Team. Direction: client → server. */
export namespace OwnedEntitiesRequest {
  export const method = 'pavedRoad/ownedEntities' as const;
  export const type = new RequestType<{ ref: string }, CatalogNode[], void>(method);
}

/**
 * Refreshes the catalog sources now (one, or all). Cancel the request to stop it: the last good entities
 * stay. Refreshes of one source never overlap: asking during one waits for it. Direction: client → server.
 */
export namespace RefreshSourcesRequest {
  export const method = 'pavedRoad/refreshSources' as const;
  export const type = new RequestType<{ id?: string }, SourceStatus[], void>(method);
}

// ---------------------------------------------------------------------------------------------
// Live sources (issue 10): their tokens live in the client's SecretStorage, never in settings, logs or
// files; the server holds them in memory only, to put them in request headers.

/** The SecretStorage key of a live source's token, by the source's id (e.g. `backstage:https://…`). */
export function tokenKey(sourceId: string): string {
  return `pavedRoad.token.${sourceId}`;
}

/**
 * The tokens of the live sources, as the client has them in SecretStorage: sent after start and whenever
 * one is set or cleared (an absent id has no token). The server refreshes the sources whose token changed.
 * Direction: client → server.
 */
export namespace SourceTokensNotification {
  export const method = 'pavedRoad/sourceTokens' as const;
  export const type = new NotificationType<{ tokens: Record<string, string> }>(method);
}

// ---------------------------------------------------------------------------------------------
// Scaffolding (issue 11): golden paths from the command palette. The client asks; the engine
// (server/src/scaffolding/, the same code the CLI runs) plans, checks the policy and writes.
// Every request that plans or writes takes the user's email (`pavedRoad.identity.email`); without
// one the server asks git for user.email in the first workspace folder, as My Team does.

/** One template as the wizard lists it: its latest version's questions, and every version it has. */
export interface TemplateSummary {
  id: string;
  title: string;
  description: string;
  tags: string[];
  type: 'service' | 'addition';
  /** The latest version (highest semver). */
  version: string;
  /** Every readable version, newest first. */
  versions: string[];
  origin: TemplateOrigin;
  /** The template root it came from. */
  root: string;
  /** The latest version's questions, in order. */
  parameters: TemplateParameter[];
}

/** The templates from every root (workspace, settings, bundled), and what could not be read. Direction: client → server. */
export namespace ListTemplatesRequest {
  export const method = 'pavedRoad/templates' as const;
  export const type = new RequestType<Record<string, never>, { templates: TemplateSummary[]; problems: string[] }, void>(method);
}

/** One catalog entity a catalog-backed parameter may name. */
export interface CatalogChoice {
  ref: string;
  kind: string;
  /** Its display name (profile.displayName, title, or name). */
  label: string;
  description?: string;
}

/** The catalog's entities of some kinds (Groups, Systems…), sorted by display name. Direction: client → server. */
export namespace CatalogChoicesRequest {
  export const method = 'pavedRoad/catalogChoices' as const;
  export const type = new RequestType<{ kinds: string[] }, CatalogChoice[], void>(method);
}

/** Which template, which version (the latest when absent), and the user's email. */
export interface TemplateTarget {
  template: string;
  version?: string;
  email?: string;
}

/**
 * Checks one answer as the user types: the parameter's schema, the naming rule, a name already taken, the
 * catalog and the role. `message` is absent when the value is fine. `service`: an addition's service folder
 * (its own entities do not count as taken). Direction: client → server.
 */
export namespace ValidateParameterRequest {
  export const method = 'pavedRoad/validateParameter' as const;
  export const type = new RequestType<TemplateTarget & { name: string; value: unknown; answers: Answers; service?: string }, { message?: string }, void>(method);
}

/** A scaffold (a new service folder under `dir`, the parent) or an addition (to the service folder `dir`). */
export interface ScaffoldInputs extends TemplateTarget {
  action: 'scaffold' | 'add';
  answers: Answers;
  /** An absolute path: the parent folder of a new service, or the service folder of an addition. */
  dir: string;
}

/** Renders and checks without writing: each file new/same/changed/edit, and the policy's violations. Direction: client → server. */
export namespace PlanScaffoldRequest {
  export const method = 'pavedRoad/planScaffold' as const;
  export const type = new RequestType<ScaffoldInputs, Plan, void>(method);
}

/**
 * Plans again from the same inputs and writes, overwriting only the `overwrite` paths the user consented
 * to. Nothing is written when the plan has violations (they are returned). Direction: client → server.
 */
export namespace ApplyScaffoldRequest {
  export const method = 'pavedRoad/applyScaffold' as const;
  export const type = new RequestType<ScaffoldInputs & { overwrite: string[] }, { target: string; written: string[]; violations: Violation[] }, void>(method);
}

/** The workspace's services made from an older template version, and what changed since. Direction: client → server. */
export namespace TemplateDriftRequest {
  export const method = 'pavedRoad/templateDrift' as const;
  export const type = new RequestType<Record<string, never>, Drift[], void>(method);
}

/** A service to update: its folder, the version to go to (the latest when absent), answers to new questions. */
export interface UpdateInputs {
  dir: string;
  to?: string;
  answers?: Answers;
  email?: string;
}

/** The three-way merge of each file, planned; `missing` lists the questions to ask first. Direction: client → server. */
export namespace PlanUpdateRequest {
  export const method = 'pavedRoad/planUpdate' as const;
  export const type = new RequestType<UpdateInputs, UpdatePlan, void>(method);
}

/** Plans the update again and writes it; answers.yaml is rewritten only when every file is. Direction: client → server. */
export namespace ApplyUpdateRequest {
  export const method = 'pavedRoad/applyUpdate' as const;
  export const type = new RequestType<UpdateInputs, UpdateResult, void>(method);
}

// ---------------------------------------------------------------------------------------------
// Scorecards (issue 12): the engine (server/src/scorecards/, server/src/compliance/) scores the working
// copy; the webviews ask through these requests. Every value in them is catalog data: shown as text only.

/** A scorecard as the webviews show it: its ladder (lowest level first) and its rules' titles. */
export interface ScorecardSummary {
  id: string;
  title: string;
  description?: string;
  levels: Level[];
  origin: string;
}

/** One entity's scorecards: every scorecard that applies, scored on the working copy. */
export interface EntityScorecards {
  ref: string;
  /** False when the catalog has no such entity (then the rest is empty). */
  found: boolean;
  title?: string;
  kind?: string;
  description?: string;
  /** The file that defines it (a workspace or folder source), with the 0-based line of the entity's name. */
  uri?: string;
  line?: number;
  /** One per applicable scorecard, in the order of `scorecards`. */
  scores: EntityScore[];
  scorecards: ScorecardSummary[];
}

/** The scorecards of one entity. Direction: client → server. */
export namespace EntityScorecardRequest {
  export const method = 'pavedRoad/entityScorecard' as const;
  export const type = new RequestType<{ ref: string }, EntityScorecards, void>(method);
}

/** One entity of a team, as the team dashboard lists it. */
export interface TeamEntity {
  ref: string;
  title: string;
  kind: string;
  /** Its level on the first scorecard that applies; undefined below the first level or with none. */
  level?: string;
  score: number;
  /** The ids of its failing rules. */
  failing: string[];
  /** No scorecard applies to it (an API, a System…): it has no level, and no score. */
  unscored?: true;
}

/** Every entity a team owns, its level, and the rules failing most across the team. */
export interface TeamDashboard {
  /** The group's ref. */
  team: string;
  /** The group's display name. */
  title?: string;
  found: boolean;
  entities: TeamEntity[];
  topFailing: { rule: string; title: string; count: number }[];
}

/** The team dashboard of a Group (by ref). Direction: client → server. */
export namespace TeamDashboardRequest {
  export const method = 'pavedRoad/teamDashboard' as const;
  export const type = new RequestType<{ ref: string }, TeamDashboard, void>(method);
}

/** A compliance question: an id and the parameters it takes (e.g. `depends-on` takes the entity). */
export interface ComplianceQuestion {
  id: string;
  title: string;
  params: { name: string; title: string }[];
}

/** The compliance questions the server answers. Direction: client → server. */
export namespace ComplianceQuestionsRequest {
  export const method = 'pavedRoad/complianceQuestions' as const;
  export const type = new RequestType<Record<string, never>, ComplianceQuestion[], void>(method);
}

/** A table of answers: `refs[i]` is the entity row i stands for, when it stands for one. */
export interface ComplianceResult {
  title: string;
  columns: string[];
  rows: (string | number)[][];
  refs: (string | undefined)[];
}

/**
 * Answers a question (`teams-without-oncall`, `depends-on:component:payments`, `below-level:Silver`…) or a
 * filter in Backstage's syntax (`kind=component,spec.lifecycle=production`), as the CLI's `query` does.
 * `error` says what is wrong with the expression (then the table is empty). Direction: client → server.
 */
export namespace ComplianceQueryRequest {
  export const method = 'pavedRoad/complianceQuery' as const;
  export const type = new RequestType<{ expression: string }, ComplianceResult & { error?: string }, void>(method);
}

/** The same table as CSV or Markdown, for export. Direction: client → server. */
export namespace ComplianceExportRequest {
  export const method = 'pavedRoad/complianceExport' as const;
  export const type = new RequestType<{ expression: string; format: 'csv' | 'markdown' }, { text: string; error?: string }, void>(method);
}

/**
 * The edit of a rule's quick fix (`fix.quickFix`, e.g. `add-annotation:pagerduty.com/service-id`) on an
 * entity of a workspace file: the client applies it as a workspace edit. `error` when there is none.
 * Direction: client → server.
 */
export namespace ScorecardQuickFixRequest {
  export const method = 'pavedRoad/scorecardQuickFix' as const;
  export const type = new RequestType<
    { ref: string; quickFix: string },
    { uri?: string; edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]; error?: string },
    void
  >(method);
}
