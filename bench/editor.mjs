// What VS Code sends a YAML language server, shared by the benchmarks: the settings a Backstage user of
// the Red Hat YAML extension has (no SchemaStore, one local catalog-info schema), the client
// capabilities of VS Code 1.91, and the node that runs each server.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { SCHEMA_PATH } from './build-schema.mjs';

/**
 * The node that runs yaml-language-server: 2.x needs Node 22.13 or later. The e2e setup installs Node 24
 * in /opt/node24 (scripts/e2e-setup.sh); BENCH_THEIRS_NODE names another one.
 */
export const THEIRS_NODE = process.env.BENCH_THEIRS_NODE ?? (existsSync('/opt/node24/node_modules/node/bin/node') ? '/opt/node24/node_modules/node/bin/node' : process.execPath);

export const SCHEMA_URI = pathToFileURL(SCHEMA_PATH).href;
export function editorSettings() {
  return {
    yaml: {
      // As a Backstage user configures the Red Hat YAML extension: no SchemaStore, one local schema.
      schemaStore: { enable: false, url: '' },
      kubernetesCRDStore: { enable: false },
      schemas: { [SCHEMA_URI]: ['catalog-info.yaml', 'catalog-info.yml', '*.catalog-info.yaml'] },
      validate: true,
      hover: true,
      completion: true,
      format: { enable: true },
      customTags: [],
      disableAdditionalProperties: false,
      maxItemsComputed: 5000,
      yamlVersion: '1.2',
      style: { flowMapping: 'allow', flowSequence: 'allow' },
      keyOrdering: false,
      suggest: { parentSkeletonSelectedFirst: false },
    },
    http: { proxy: '', proxyStrictSSL: true },
    '[yaml]': {
      'editor.insertSpaces': true,
      'editor.tabSize': 2,
      'editor.autoIndent': 'keep',
      'editor.quickSuggestions': { other: true, comments: false, strings: true },
    },
    editor: { tabSize: 4, insertSpaces: true, detectIndentation: true },
    files: { associations: {} },
  };
}
export function configSection(settings, section) {
  if (!section) return settings;
  if (section in settings) return settings[section];
  let node = settings;
  for (const part of section.split('.')) {
    if (node && typeof node === 'object' && part in node) node = node[part];
    else return null;
  }
  return node;
}
export const CAPABILITIES = {
  general: { positionEncodings: ['utf-16'], markdown: { parser: 'marked', version: '1.1.0' } },
  window: { workDoneProgress: true, showMessage: { messageActionItem: { additionalPropertiesSupport: true } }, showDocument: { support: true } },
  workspace: {
    applyEdit: true,
    workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] },
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true },
    symbol: { dynamicRegistration: true },
    executeCommand: { dynamicRegistration: true },
    configuration: true,
    workspaceFolders: true,
    codeLens: { refreshSupport: true },
    diagnostics: { refreshSupport: true },
  },
  textDocument: {
    synchronization: { dynamicRegistration: true, willSave: true, willSaveWaitUntil: true, didSave: true },
    completion: {
      dynamicRegistration: true,
      contextSupport: true,
      completionItem: {
        snippetSupport: true,
        commitCharactersSupport: true,
        documentationFormat: ['markdown', 'plaintext'],
        deprecatedSupport: true,
        preselectSupport: true,
        tagSupport: { valueSet: [1] },
        insertReplaceSupport: true,
        resolveSupport: { properties: ['documentation', 'detail', 'additionalTextEdits'] },
        insertTextModeSupport: { valueSet: [1, 2] },
        labelDetailsSupport: true,
      },
      insertTextMode: 2,
      completionItemKind: { valueSet: Array.from({ length: 25 }, (_, i) => i + 1) },
      completionList: { itemDefaults: ['commitCharacters', 'editRange', 'insertTextFormat', 'insertTextMode', 'data'] },
    },
    hover: { dynamicRegistration: true, contentFormat: ['markdown', 'plaintext'] },
    publishDiagnostics: {
      relatedInformation: true,
      versionSupport: false,
      tagSupport: { valueSet: [1, 2] },
      codeDescriptionSupport: true,
      dataSupport: true,
    },
    documentSymbol: { dynamicRegistration: true, hierarchicalDocumentSymbolSupport: true, labelSupport: true },
    formatting: { dynamicRegistration: true },
    rangeFormatting: { dynamicRegistration: true },
    onTypeFormatting: { dynamicRegistration: true },
    definition: { dynamicRegistration: true, linkSupport: true },
    codeAction: { dynamicRegistration: true, isPreferredSupport: true, codeActionLiteralSupport: { codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'source'] } } },
    codeLens: { dynamicRegistration: true },
    documentLink: { dynamicRegistration: true, tooltipSupport: true },
    foldingRange: { dynamicRegistration: true, rangeLimit: 5000, lineFoldingOnly: true },
    selectionRange: { dynamicRegistration: true },
    rename: { dynamicRegistration: true, prepareSupport: true },
    diagnostic: { dynamicRegistration: true, relatedDocumentSupport: false },
  },
};
