#!/usr/bin/env node
// Builds bench/backstage-catalog-info.schema.json: ONE self-contained draft-07 JSON Schema for
// catalog-info.yaml, made from the JSON schemas that @backstage/catalog-model ships (they are JSON
// data compiled into dist/schema/**/*.schema.json.cjs.js). Every cross-file $ref ("Entity",
// "EntityMeta", "common#relation", "#statusItem", ...) is rewritten to a local "#/definitions/..."
// pointer and the root is an anyOf over the kinds of Backstage's default entity model, the shape
// SchemaStore's catalog-info schema has. This is the schema yaml-language-server gets in the
// benchmark (as a VS Code user would configure it through `yaml.schemas`).
//
//   node bench/build-schema.mjs           write the file
//   node bench/build-schema.mjs --check   exit 1 if the file on disk differs from a fresh build
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const require = createRequire(join(root, 'package.json'));
export const SCHEMA_PATH = join(here, 'backstage-catalog-info.schema.json');

const PKG = '@backstage/catalog-model';
const pkgJson = JSON.parse(readFileSync(require.resolve(`${PKG}/package.json`), 'utf8'));
const dist = join(dirname(require.resolve(`${PKG}/package.json`)), 'dist', 'schema');

// The kinds that catalog-model's defaultCatalogEntityModel registers (dist/model/defaultCatalogEntityModel).
// The alpha-only schemas the package also ships (AiResource*, API mcp-server) are not part of the
// default model and are left out, as the stable catalog does.
const KIND_FILES = [
  'kinds/API.v1alpha1.schema.json.cjs.js',
  'kinds/Component.v1alpha1.schema.json.cjs.js',
  'kinds/Domain.v1alpha1.schema.json.cjs.js',
  'kinds/Group.v1alpha1.schema.json.cjs.js',
  'kinds/Location.v1alpha1.schema.json.cjs.js',
  'kinds/Resource.v1alpha1.schema.json.cjs.js',
  'kinds/System.v1alpha1.schema.json.cjs.js',
  'kinds/User.v1alpha1.schema.json.cjs.js',
];
const SHARED_FILES = ['Entity.schema.json.cjs.js', 'EntityMeta.schema.json.cjs.js', 'shared/common.schema.json.cjs.js'];

function load(rel) {
  const mod = require(join(dist, rel));
  return structuredClone(mod.default ?? mod);
}

export function buildSchema() {
  /** $id of each source document -> its JSON */
  const docs = new Map();
  for (const rel of [...SHARED_FILES, ...KIND_FILES]) {
    const s = load(rel);
    if (typeof s.$id !== 'string') throw new Error(`${rel}: no $id`);
    docs.set(s.$id, s);
  }
  const definitions = {};
  /** definition key for a reference target: document id + optional plain-name fragment */
  const keyOf = (docId, frag) => (frag ? `${docId}_${frag}` : docId);

  // A document with "definitions" whose members carry plain-name $ids ("#reference") is split into
  // one definition per member (that is the only way its fragments are referenced).
  const fragmentsOf = new Map(); // docId -> Set(plain names)
  for (const [id, s] of docs) {
    const names = new Set();
    for (const [k, d] of Object.entries(s.definitions ?? {})) {
      if (typeof d.$id === 'string' && d.$id.startsWith('#')) names.add(d.$id.slice(1));
      else names.add(k);
    }
    fragmentsOf.set(id, names);
  }

  const rewrite = (node, docId) => {
    if (Array.isArray(node)) return node.map((n) => rewrite(n, docId));
    if (!node || typeof node !== 'object') return node;
    const out = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === '$id' || k === '$schema') continue; // base-URI changes would break local pointers
      if (k === '$ref' && typeof v === 'string') {
        const hash = v.indexOf('#');
        const base = hash < 0 ? v : v.slice(0, hash);
        const frag = hash < 0 ? '' : v.slice(hash + 1);
        const target = base === '' ? docId : base;
        if (!docs.has(target)) throw new Error(`unresolved $ref ${v} in ${docId}`);
        if (frag.startsWith('/')) throw new Error(`JSON-pointer $ref not handled: ${v} in ${docId}`);
        if (frag && !fragmentsOf.get(target).has(frag)) throw new Error(`unknown fragment ${v} in ${docId}`);
        out.$ref = `#/definitions/${keyOf(target, frag)}`;
        continue;
      }
      out[k] = rewrite(v, docId);
    }
    return out;
  };

  for (const [id, s] of docs) {
    if (s.definitions) {
      for (const [k, d] of Object.entries(s.definitions)) {
        const name = typeof d.$id === 'string' && d.$id.startsWith('#') ? d.$id.slice(1) : k;
        definitions[keyOf(id, name)] = rewrite(d, id);
      }
      const rest = { ...s };
      delete rest.definitions;
      // "common" itself is only a container; keep nothing else of it.
      if (Object.keys(rest).some((k) => !['$schema', '$id', 'type', 'description'].includes(k))) {
        definitions[id] = rewrite(rest, id);
      }
    } else {
      definitions[id] = rewrite(s, id);
    }
  }

  const kindIds = KIND_FILES.map((rel) => load(rel).$id);
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Backstage catalog entity (catalog-info.yaml)',
    description:
      `Generated by bench/build-schema.mjs from the JSON schemas shipped in ${PKG} ${pkgJson.version} ` +
      '(Entity, EntityMeta, shared/common and the kinds of the default entity model), all $refs resolved ' +
      'into local definitions. Used only to configure yaml-language-server in the benchmark.',
    anyOf: kindIds.map((id) => ({ $ref: `#/definitions/${id}` })),
    definitions,
  };
}

export function schemaText() {
  return JSON.stringify(buildSchema(), null, 2) + '\n';
}

export const CATALOG_MODEL_VERSION = pkgJson.version;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = schemaText();
  if (process.argv.includes('--check')) {
    const same = existsSync(SCHEMA_PATH) && readFileSync(SCHEMA_PATH, 'utf8') === text;
    console.log(same ? 'schema up to date' : 'schema differs from a fresh build');
    process.exit(same ? 0 : 1);
  }
  writeFileSync(SCHEMA_PATH, text);
  console.log(`wrote ${SCHEMA_PATH} (${text.length} bytes, ${PKG} ${pkgJson.version})`);
}
