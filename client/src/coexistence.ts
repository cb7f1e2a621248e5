/**
 * Red Hat YAML applies SchemaStore's catalog-info schema to catalog-info.yaml by default, so its schema
 * problems would show next to ours, twice and differently. When it is installed, we register as its schema
 * contributor for catalog files (its API ranks contributors above SchemaStore) and hand it an empty schema:
 * it keeps highlighting, folding and formatting, and Paved Road alone judges the entities.
 * Turn off with `pavedRoad.redHatYaml.handOverCatalogFiles`.
 */
import * as vscode from 'vscode';
import { isCatalogFile } from '../../server/src/catalog/files';
import { RED_HAT_YAML, Settings } from './constants';

interface YamlExtensionApi {
  registerContributor(schema: string, requestSchema: (resource: string) => string | undefined, requestSchemaContent: (uri: string) => string): boolean;
}

const SCHEME = 'paved-road';
const SCHEMA_URI = `${SCHEME}://schemas/checked-by-paved-road.json`;
const HANDED_OVER_SCHEMA = JSON.stringify({
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Backstage catalog file (checked by Paved Road)',
  description: 'Paved Road validates this file exactly as the Backstage catalog does.',
});

/** True when Red Hat YAML should leave this resource to us. */
export function claimsResource(resource: string, include: readonly string[]): boolean {
  const uri = vscode.Uri.parse(resource);
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  return isCatalogFile(uri.path, open?.getText(), include);
}

export async function handOverFromRedHatYaml(log: vscode.LogOutputChannel): Promise<void> {
  const ext = vscode.extensions.getExtension<YamlExtensionApi>(RED_HAT_YAML);
  if (!ext) return;
  const config = vscode.workspace.getConfiguration();
  if (!config.get<boolean>(Settings.handOverFromRedHatYaml, true)) {
    log.info('Red Hat YAML is installed; catalog files are not handed over (setting off), so problems may show twice.');
    return;
  }
  try {
    const api = ext.isActive ? ext.exports : await ext.activate();
    const ok = api?.registerContributor?.(
      SCHEME,
      (resource) => (config.get<boolean>(Settings.handOverFromRedHatYaml, true) && claimsResource(resource, config.get<string[]>(Settings.filesInclude, [])) ? SCHEMA_URI : undefined),
      () => HANDED_OVER_SCHEMA,
    );
    log.info(ok === false ? 'Red Hat YAML refused the schema contributor.' : 'Red Hat YAML now leaves catalog files to Paved Road.');
  } catch (e) {
    log.warn(`Could not hand catalog files over from Red Hat YAML: ${String(e)}`);
  }
}
