// One bundle per entry: the extension (client), the language server and the CLI.
// Runtime dependencies are inlined, so the VSIX needs no node_modules.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as esbuild from 'esbuild';
import { alias } from './scripts/bundle-options.mjs';
import { VALIDATORS_FILE, validatorsSource } from './scripts/build-validators.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !production,
  sourcesContent: false,
  minify: production,
  logLevel: 'warning',
  alias,
};

const entries = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { entryPoints: ['server/src/main.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // The webview pages: ES modules for the browser, with the @vscode-elements components they use.
  { entryPoints: ['scorecard', 'teamDashboard', 'compliance'].map((p) => `media/webviews/${p}.ts`), outdir: 'dist/webviews', platform: 'browser', format: 'esm', target: 'es2022' },
];

// The pages' stylesheets and the codicons' font, next to the bundles (the webviews load only from dist/webviews).
mkdirSync('dist/webviews', { recursive: true });
for (const [from, to] of [
  ['node_modules/@vscode/codicons/dist/codicon.css', 'codicon.css'],
  ['node_modules/@vscode/codicons/dist/codicon.ttf', 'codicon.ttf'],
  ['media/webviews/pages.css', 'pages.css'],
]) copyFileSync(from, `dist/webviews/${to}`);

// The schema validators are compiled ahead of time (written only when the schemas changed them).
const validators = validatorsSource();
if (!existsSync(VALIDATORS_FILE) || readFileSync(VALIDATORS_FILE, 'utf8') !== validators) writeFileSync(VALIDATORS_FILE, validators);

const contexts = await Promise.all(entries.map((e) => esbuild.context({ ...common, ...e })));
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}
