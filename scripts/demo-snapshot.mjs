#!/usr/bin/env node
// Generates the demo's shared store, demo/store/company-catalog.json: the rest of Acme's catalog as its
// Backstage would export it (a few hundred entities: domains, systems, teams with their members,
// components, APIs, resources), in the Paved Road snapshot format (docs/store.md), with a few
// entities that fail validation (quarantined). It is judged by the real engine: the entities go through
// `paved-road ingest` (dist/cli.js; run `node esbuild.mjs` first).
//
// The store is made to sit beside the demo workspace without changing what the workspace shows for its
// own entities: its teams, components and APIs are its own; it refers into the workspace only through
// parents, domains and systems (store teams under `engineering`, store systems in `commerce`, a few store
// components part of `storefront`); and it holds verbatim copies of three workspace entities
// (payments-service, payments-team, nadia.qureshi), which the workspace wins (precedence).
// The same run always writes the same bytes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

const root = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const OUT = join(root, 'demo/store/company-catalog.json');
const GENERATED_AT = '2026-12-01T08:00:00.000Z';
const SOURCE = { id: 'backstage:https://backstage.acme.example', type: 'backstage', label: 'Acme Backstage (export)' };

// A small deterministic generator (mulberry32).
let seed = 20261201;
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (list) => list[Math.floor(random() * list.length)];
const uid = () => Array.from({ length: 4 }, () => Math.floor(random() * 0x10000).toString(16).padStart(4, '0')).join('-');

const entities = [];
const add = (kind, name, spec, metadata = {}) => {
  const e = {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name, namespace: 'default', uid: uid(), etag: uid(), annotations: { 'backstage.io/managed-by-location': `url:https://git.acme.example/catalog/blob/main/${kind.toLowerCase()}s/${name}.yaml` }, ...metadata },
    spec,
  };
  entities.push(e);
  return e;
};

// Domains and systems beyond the workspace's (commerce, platform).
const DOMAINS = { identity: 'Sign-in, accounts and permissions', logistics: 'Warehouses, shipping and returns', data: 'Analytics, reporting and the data platform' };
for (const [name, description] of Object.entries(DOMAINS)) add('Domain', name, { owner: 'group:engineering' }, { description });

const TEAMS = [
  ['identity-guild', 'Identity Guild', 'identity'],
  ['access-crew', 'Access Crew', 'identity'],
  ['warehouse-ops', 'Warehouse Operations', 'logistics'],
  ['shipping-crew', 'Shipping Crew', 'logistics'],
  ['returns-desk', 'Returns Desk', 'logistics'],
  ['data-foundry', 'Data Foundry', 'data'],
  ['insights-lab', 'Insights Lab', 'data'],
  ['merchandising', 'Merchandising Engineering', 'commerce'],
];
const FIRST = ['Ada', 'Bruno', 'Chiara', 'Dmitri', 'Elif', 'Femi', 'Greta', 'Hiro', 'Ivana', 'Jamal', 'Kaia', 'Lars', 'Mei', 'Niko', 'Olu', 'Priya', 'Quinn', 'Rosa', 'Sven', 'Tariq', 'Uma', 'Viktor', 'Wen', 'Yara', 'Zeno'];
const LAST = ['Abara', 'Berg', 'Castillo', 'Dahl', 'Eze', 'Fischer', 'Gallo', 'Haddad', 'Ito', 'Jensen', 'Kowal', 'Lindqvist', 'Moreno', 'Novak', 'Okafor', 'Petrov', 'Rossi', 'Sato', 'Tan', 'Varga'];
const users = new Set();
for (const [team, displayName] of TEAMS) {
  const members = [];
  for (let i = 0; i < 7; i++) {
    let first;
    let last;
    let name;
    do {
      first = pick(FIRST);
      last = pick(LAST);
      name = `${first}.${last}`.toLowerCase();
    } while (users.has(name));
    users.add(name);
    members.push(name);
    add('User', name, { profile: { displayName: `${first} ${last}`, email: `${name}@acme.example` }, memberOf: [`group:${team}`] });
  }
  add('Group', team, { type: 'team', parent: 'group:engineering', children: [], profile: { displayName, email: `${team}@acme.example` } }, { annotations: { 'slack.com/channel': `#${team}` } });
}

const SYSTEMS = [];
const SYSTEM_NAMES = { identity: ['accounts', 'sign-in', 'permissions'], logistics: ['warehouse', 'shipping', 'returns'], data: ['analytics', 'reporting', 'data-lake'], commerce: ['catalog-management', 'pricing', 'promotions'] };
for (const [domain, names] of Object.entries(SYSTEM_NAMES)) {
  const owners = TEAMS.filter((t) => t[2] === domain).map((t) => t[0]);
  for (const name of names) {
    const owner = pick(owners);
    SYSTEMS.push({ name, owner, domain });
    add('System', name, { owner: `group:${owner}`, domain: `domain:${domain}` }, { description: `The ${name.replace(/-/g, ' ')} system.` });
  }
}

const WORDS = ['gateway', 'worker', 'scheduler', 'indexer', 'exporter', 'importer', 'notifier', 'resolver', 'tracker', 'planner', 'sync', 'auditor'];
const LANGS = ['java', 'go', 'typescript', 'python', 'kotlin'];
const LIFECYCLES = ['production', 'production', 'production', 'experimental', 'deprecated'];
for (const sys of SYSTEMS) {
  const resources = [];
  for (let i = 0; i < 2; i++) {
    const name = `${sys.name}-${i === 0 ? 'db' : 'cache'}`;
    resources.push(name);
    add('Resource', name, { type: i === 0 ? 'database' : 'cache', owner: `group:${sys.owner}`, system: sys.name });
  }
  const apis = [];
  for (let i = 0; i < 3; i++) {
    const name = `${sys.name}-${['api', 'events', 'admin-api'][i]}`;
    apis.push(name);
    add('API', name, { type: i === 1 ? 'asyncapi' : 'openapi', lifecycle: pick(LIFECYCLES), owner: `group:${sys.owner}`, system: sys.name, definition: `openapi: 3.0.0\ninfo:\n  title: ${name}\n  version: 1.0.0\npaths: {}\n` });
  }
  const words = [...WORDS].sort(() => random() - 0.5).slice(0, 11);
  for (const word of words) {
    const name = `${sys.name}-${word}`;
    add(
      'Component',
      name,
      { type: pick(['service', 'service', 'service', 'website', 'library']), lifecycle: pick(LIFECYCLES), owner: `group:${sys.owner}`, system: sys.name, providesApis: random() < 0.3 ? [`api:${pick(apis)}`] : [], consumesApis: random() < 0.4 ? [`api:${pick(apis)}`] : [], dependsOn: [`resource:${pick(resources)}`] },
      { description: `${word[0].toUpperCase()}${word.slice(1)} of the ${sys.name.replace(/-/g, ' ')} system.`, tags: [pick(LANGS)] },
    );
  }
}
// A few store components that are parts of a workspace system (a reference from the store into the workspace).
for (const name of ['storefront-recommendations', 'storefront-wishlist']) {
  add('Component', name, { type: 'service', lifecycle: 'experimental', owner: 'group:merchandising', system: 'storefront' }, { description: 'Part of the storefront, built by Merchandising Engineering.', tags: ['typescript'] });
}

// Broken on purpose: each one fails validation in its own way and is quarantined, not dropped.
add('Component', 'Inventory Sync', { type: 'service', lifecycle: 'production', owner: 'group:warehouse-ops', system: 'warehouse' }, { description: 'The name has a space: not a valid metadata.name.' });
add('Component', 'label-printer', { type: 'service', lifecycle: 2, owner: 'group:shipping-crew', system: 'shipping' }, { description: 'lifecycle is a number.' });
add('Component', 'refund-engine', { type: 'service', lifecycle: 'production', system: 'returns' }, { description: 'No owner.' });
add('API', 'pricing-feed', { type: 'openapi', lifecycle: 'production', owner: 'group:', system: 'pricing', definition: 'openapi: 3.0.0\n' }, { description: 'The owner reference has no name.' });

// Verbatim copies of workspace entities: the store has them too, the workspace wins.
const COPIES = [
  ['payments-service/catalog-info.yaml', 'payments-service'],
  ['platform-org/org.yaml', 'payments-team'],
  ['platform-org/org.yaml', 'nadia.qureshi'],
];
for (const [file, name] of COPIES) {
  const docs = parseAllDocuments(readFileSync(join(root, 'demo', file), 'utf8')).map((d) => d.toJS());
  const e = docs.find((d) => d?.metadata?.name === name);
  if (!e) throw new Error(`${name} is not in demo/${file}`);
  entities.push({ ...e, metadata: { namespace: 'default', ...e.metadata, uid: uid(), etag: uid() } });
}

// Judged by the engine: ingest writes our format with each quarantined entity's problems.
const dir = mkdtempSync(join(tmpdir(), 'paved-road-demo-store-'));
try {
  writeFileSync(join(dir, 'export.json'), JSON.stringify(entities));
  const r = spawnSync(process.execPath, [join(root, 'dist/cli.js'), 'ingest', '--from', `snapshot:${join(dir, 'export.json')}`, '--out', join(dir, 'out.json')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ingest failed: ${r.stderr}`);
  const snapshot = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'));
  // Stable bytes: the export's time and the source it stands for, not the temporary file's.
  snapshot.generatedAt = GENERATED_AT;
  snapshot.sources = snapshot.sources.map((s) => ({ ...s, ...SOURCE, fetchedAt: GENERATED_AT }));
  for (const item of snapshot.entities) item.source = SOURCE.id;
  writeFileSync(OUT, `${JSON.stringify(snapshot, null, 1)}\n`);
  process.stdout.write(r.stdout.replace(/^wrote \S+?:/, `wrote ${OUT}:`).replace(/snapshot:\S+:/, `${SOURCE.id}:`));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
