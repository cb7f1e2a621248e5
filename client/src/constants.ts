/** Command, view and setting ids: declared here and in package.json; a unit test keeps them in step. */

export const EXTENSION_ID = 'paved-road.paved-road';
export const OUTPUT_CHANNEL = 'Paved Road';

export const Commands = {
  showOutput: 'pavedRoad.showOutput',
  restartServer: 'pavedRoad.restartServer',
  showBlastRadius: 'pavedRoad.showBlastRadius',
  setSourceToken: 'pavedRoad.setSourceToken',
  clearSourceToken: 'pavedRoad.clearSourceToken',
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
} as const;

export const RED_HAT_YAML = 'redhat.vscode-yaml';
