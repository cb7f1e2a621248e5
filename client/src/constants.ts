/** Command, view and setting ids: declared here and in package.json; a unit test keeps them in step. */

export const EXTENSION_ID = 'paved-road.paved-road';
export const OUTPUT_CHANNEL = 'Paved Road';

export const Commands = {
  showOutput: 'pavedRoad.showOutput',
  restartServer: 'pavedRoad.restartServer',
  showBlastRadius: 'pavedRoad.showBlastRadius',
  refreshCatalog: 'pavedRoad.refreshCatalog',
  findEntity: 'pavedRoad.findEntity',
  addSource: 'pavedRoad.addSource',
  showSources: 'pavedRoad.showSources',
  groupBy: 'pavedRoad.catalog.groupBy',
  groupByOwner: 'pavedRoad.catalog.groupByOwner',
  groupBySystem: 'pavedRoad.catalog.groupBySystem',
  groupByDomain: 'pavedRoad.catalog.groupByDomain',
  groupByKind: 'pavedRoad.catalog.groupByKind',
  openEntity: 'pavedRoad.openEntity',
  copyReference: 'pavedRoad.copyReference',
  openInBackstage: 'pavedRoad.openInBackstage',
  setSourceToken: 'pavedRoad.setSourceToken',
  clearSourceToken: 'pavedRoad.clearSourceToken',
  createFromTemplate: 'pavedRoad.createFromTemplate',
  addToService: 'pavedRoad.addToService',
  updateFromTemplate: 'pavedRoad.updateFromTemplate',
  checkTemplateDrift: 'pavedRoad.checkTemplateDrift',
  showScorecard: 'pavedRoad.showScorecard',
  showTeamDashboard: 'pavedRoad.showTeamDashboard',
  askCatalog: 'pavedRoad.askCatalog',
  exportAdoptionSignals: 'pavedRoad.exportAdoptionSignals',
} as const;

export const Settings = {
  filesInclude: 'pavedRoad.files.include',
  policies: 'pavedRoad.policies',
  catalogSnapshot: 'pavedRoad.catalog.snapshot',
  catalogSources: 'pavedRoad.catalog.sources',
  catalogRefreshMinutes: 'pavedRoad.catalog.refreshMinutes',
  backstageUrl: 'pavedRoad.catalog.backstageUrl',
  identityEmail: 'pavedRoad.identity.email',
  handOverFromRedHatYaml: 'pavedRoad.redHatYaml.handOverCatalogFiles',
  traceServer: 'pavedRoad.trace.server',
  templateFolders: 'pavedRoad.templates.folders',
  scorecardFolders: 'pavedRoad.scorecards.folders',
  adoptionEnabled: 'pavedRoad.adoption.enabled',
} as const;

/** The views of the "Paved Road" activity bar container. */
export const Views = {
  container: 'pavedRoad',
  catalog: 'pavedRoad.catalog',
  myTeam: 'pavedRoad.myTeam',
} as const;

/** Context keys the manifest's `when` clauses read (viewsWelcome, menus). */
export const ContextKeys = {
  /** `loading` until the first answer, then `ready`, `empty` (no entity) or `offline` (the server did not answer). */
  catalogState: 'pavedRoad.catalog.state',
  /** `loading`, `ready`, `noUser` (no User entity matches the email) or `noTeams` (the user is in no team). */
  myTeamState: 'pavedRoad.myTeam.state',
} as const;

/** Keys of what the extension remembers per workspace. */
export const StateKeys = {
  groupBy: 'pavedRoad.catalog.groupBy',
} as const;

export const RED_HAT_YAML = 'redhat.vscode-yaml';
