// esbuild options every bundle of the server code shares: `npm run build` (esbuild.mjs) and the benchmarks'
// own bundles (bench/measure.mjs), so that what is measured is built as what ships.
import { fileURLToPath } from 'node:url';

/**
 * yaml's ES module build, bundled as such: its Node build is CommonJS, which esbuild imports through a
 * getter per export, and the engine calls isScalar, isMap, ... on every node of every document.
 */
export const alias = { yaml: fileURLToPath(new URL('../node_modules/yaml/browser/index.js', import.meta.url)) };
