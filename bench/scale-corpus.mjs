// Deterministic large-workspace corpus for the scale benchmark (bench/scale.mjs): by default 100,000
// Backstage entities across 10,000 catalog files, laid out like a company monorepo:
//
//   org/groups/groups-NNNN.yaml              the Group tree (organization → departments → divisions → teams),
//                                            profiles, Slack/PagerDuty annotations, parent/children/members
//   org/users/users-NNNN.yaml                Users with profiles and memberOf
//   domains/<domain>/catalog-info.yaml       a Domain and the Systems in it
//   systems/<system>/<name>/catalog-info.yaml    Components, APIs and Resources of one system, ~10 a file
//
// org/ files are recognised by content (apiVersion backstage.io/...), the rest by name. References resolve
// as Backstage resolves them (default kinds, the default namespace), both directions are written where
// Backstage data usually has both (Group.members ↔ User.memberOf, parent ↔ children), and a small share
// (DANGLING_RATE of the references, never in the target file) point at entities that do not exist.
// The same options always give the same bytes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { COMPONENT_TYPES, rng, SUFFIX, TAGS, WORDS } from './corpus.mjs';

const LIFECYCLES = ['production', 'production', 'production', 'experimental', 'deprecated'];
const API_TYPES = ['openapi', 'grpc', 'asyncapi', 'graphql'];
const RESOURCE_TYPES = ['database', 's3-bucket', 'kafka-topic', 'redis-cluster', 'queue'];
const FIRST = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'niaj', 'olivia', 'peggy', 'rupert', 'sybil', 'trent', 'victor', 'walter', 'yara'];
const LAST = ['smith', 'jones', 'garcia', 'miller', 'davis', 'lopez', 'wilson', 'anderson', 'thomas', 'moore', 'martin', 'lee', 'walker', 'hall', 'young'];

/** Share of each kind in the catalog (Components take the rest). */
const SHARE = { Domain: 0.0004, System: 0.0096, Group: 0.02, User: 0.17, API: 0.15, Resource: 0.12 };
/** Share of references (owner, system, dependsOn, consumesApis, memberOf) that point at nothing. */
export const DANGLING_RATE = 0.002;
/** Share of Components, APIs and Resources owned by the one very popular team (a platform team). */
const POPULAR_SHARE = 0.06;

const cap = (s) => s.replace(/(^|-)([a-z0-9])/g, (_, d, c) => (d ? ' ' : '') + c.toUpperCase());
const w = (i) => WORDS[((i % WORDS.length) + WORDS.length) % WORDS.length];

/**
 * Writes the corpus under `dir` and returns what the benchmark needs to know about it.
 * @param {string} dir an empty directory
 * @param {{entities?: number, files?: number, seed?: number}} o
 */
export function writeScaleCorpus(dir, o = {}) {
  const N = o.entities ?? 100_000;
  const F = o.files ?? 10_000;
  const r = rng(o.seed ?? 20250101);
  const pick = (arr) => arr[Math.floor(r() * arr.length)];
  const chance = (p) => r() < p;

  // ------------------------------------------------------------ how many of each
  const n = {};
  for (const [k, s] of Object.entries(SHARE)) n[k] = Math.max(1, Math.round(N * s));
  n.Component = N - Object.values(n).reduce((a, b) => a + b, 0);
  if (n.Component < 1) throw new Error(`too few entities (${N})`);
  const G = n.Group;
  const depts = Math.max(1, Math.round(G / 200));
  const divisions = Math.max(1, Math.round(G / 20));
  const teams = G - 1 - depts - divisions;
  if (teams < 2) throw new Error(`too few groups (${G})`);
  const groupFiles = Math.ceil(G / 10);
  const userFiles = Math.ceil(n.User / 10);
  const domainFiles = n.Domain;
  const serviceFiles = F - groupFiles - userFiles - domainFiles;
  if (serviceFiles < n.System) throw new Error(`too few files (${F}) for ${N} entities`);

  // ------------------------------------------------------------ names
  const groupName = (g) => {
    if (g === 0) return 'acme';
    if (g <= depts) return `dept-${w(g)}-${g}`;
    if (g <= depts + divisions) return `div-${w(g * 3)}-${g}`;
    return `team-${w(g * 5)}-${g}`;
  };
  const firstTeam = 1 + depts + divisions;
  const teamGroup = (t) => firstTeam + t; // t in [0, teams)
  const POPULAR = teamGroup(0);
  const userName = (u) => `${FIRST[u % FIRST.length]}-${LAST[Math.floor(u / FIRST.length) % LAST.length]}-${u}`;
  const domainName = (i) => `${w(i)}-domain-${i}`;
  const systemName = (i) => `${w(i * 7)}-platform-${i}`;
  const componentName = (i) => `${w(i * 13)}-${SUFFIX[i % SUFFIX.length]}-${i}`;
  const apiName = (i) => `${w(i * 3)}-api-${i}`;
  const resourceName = (i) => `${w(i * 11)}-${RESOURCE_TYPES[i % RESOURCE_TYPES.length]}-${i}`;
  let ghosts = 0;
  const ghost = (what) => `${what}-${w(ghosts * 7)}-removed-${ghosts++}`;

  // ------------------------------------------------------------ structure
  const parentOf = (g) => (g === 0 ? undefined : g <= depts ? 0 : g <= depts + divisions ? 1 + Math.floor(((g - 1 - depts) * depts) / divisions) : 1 + depts + Math.floor(((g - firstTeam) * divisions) / teams));
  const childrenOf = Array.from({ length: G }, () => []);
  for (let g = 1; g < G; g++) childrenOf[parentOf(g)].push(g);
  // Users: contiguous blocks per team, 10% also in a second team; department and division leads.
  const memberOf = Array.from({ length: n.User }, (_, u) => [teamGroup(Math.floor((u * teams) / n.User))]);
  for (let u = 0; u < n.User; u++) if (chance(0.1)) memberOf[u].push(teamGroup(Math.floor(r() * teams)));
  for (let g = 1; g < firstTeam; g++) memberOf[Math.floor(r() * n.User)].push(g);
  const members = Array.from({ length: G }, () => []);
  for (let u = 0; u < n.User; u++) for (const g of new Set(memberOf[u])) members[g].push(u);
  const systemOwner = Array.from({ length: n.System }, (_, s) => (s % 40 === 0 ? POPULAR : teamGroup(Math.floor(r() * teams))));
  const systemDomain = (s) => Math.floor((s * n.Domain) / n.System);

  // Service entities: kinds shuffled, spread evenly over the service files; a file belongs to one system.
  const serviceKinds = [];
  for (const k of ['Component', 'API', 'Resource']) for (let i = 0; i < n[k]; i++) serviceKinds.push(k);
  for (let i = serviceKinds.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [serviceKinds[i], serviceKinds[j]] = [serviceKinds[j], serviceKinds[i]];
  }
  const S = serviceKinds.length;
  const fileOfService = (f) => [Math.floor((f * S) / serviceFiles), Math.floor(((f + 1) * S) / serviceFiles)];
  const systemOfFile = (f) => Math.floor((f * n.System) / serviceFiles);
  const counter = { Component: 0, API: 0, Resource: 0 };
  /** per service entity: [kind, index in kind] */
  const serviceIx = serviceKinds.map((k) => counter[k]++);
  const bySystem = Array.from({ length: n.System }, () => ({ Component: [], API: [], Resource: [] }));
  for (let f = 0; f < serviceFiles; f++) {
    const [a, b] = fileOfService(f);
    for (let j = a; j < b; j++) bySystem[systemOfFile(f)][serviceKinds[j]].push(serviceIx[j]);
  }
  // The target file: the first service file past the middle that starts with a Component and holds an API.
  let targetFile = -1;
  for (let f = Math.floor(serviceFiles / 2); f < serviceFiles && targetFile < 0; f++) {
    const [a, b] = fileOfService(f);
    if (serviceKinds[a] === 'Component' && serviceKinds.slice(a, b).includes('API') && b - a >= 3) targetFile = f;
  }
  if (targetFile < 0) throw new Error('no target file');

  // ------------------------------------------------------------ writing
  const written = { files: 0, bytes: 0, lines: 0, references: 0, dangling: 0, entities: 0, byKind: {} };
  let inTarget = false;
  /** a reference, or (rarely, never in the target file) one to nothing */
  const ref = (text, ghostText) => {
    written.references++;
    if (!inTarget && chance(DANGLING_RATE)) {
      written.dangling++;
      return ghostText();
    }
    return text;
  };
  const owner = (defaultGroup, popularOk = true) => {
    if (popularOk && chance(POPULAR_SHARE)) return ref(groupName(POPULAR), () => ghost('team'));
    if (chance(0.02)) return ref(`user:${userName(Math.floor(r() * n.User))}`, () => `user:${ghost('former-employee')}`);
    if (chance(0.04)) return ref(`group:default/${groupName(teamGroup(Math.floor(r() * teams)))}`, () => ghost('team'));
    return ref(groupName(defaultGroup), () => ghost('team'));
  };
  const list = (L, key, items) => {
    if (!items.length) return;
    L.push(`  ${key}:`);
    for (const it of items) L.push(`    - ${it}`);
  };
  const files = [];
  const write = (rel, docs) => {
    const text = docs.map((d) => d.join('\n')).join('\n---\n') + '\n';
    const p = join(dir, rel);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, text);
    written.files++;
    written.bytes += Buffer.byteLength(text);
    written.lines += docs.reduce((a, d) => a + d.length + 1, 0);
    written.entities += docs.length;
    files.push(rel);
    return text;
  };
  const count = (kind) => (written.byKind[kind] = (written.byKind[kind] ?? 0) + 1);

  // Groups
  let groupFileOfPopular;
  let popularGroupText;
  for (let gf = 0; gf < groupFiles; gf++) {
    const docs = [];
    for (let g = gf * 10; g < Math.min(G, gf * 10 + 10); g++) {
      const name = groupName(g);
      const type = g === 0 ? 'organization' : g <= depts ? 'department' : g <= depts + divisions ? 'division' : 'team';
      const display = g === 0 ? 'ACME Corp' : `${cap(name.replace(/^(dept|div|team)-/, ''))} ${cap(type)}`;
      const L = ['apiVersion: backstage.io/v1alpha1', 'kind: Group', 'metadata:', `  name: ${name}`];
      L.push(`  description: ${display}, ${members[g].length} people.`);
      L.push('  annotations:', `    slack.com/channel-id: C${(g * 7919).toString(36).toUpperCase().padStart(8, '0')}`);
      if (type === 'team') L.push(`    pagerduty.com/service-id: P${(g * 104729).toString(36).toUpperCase().padStart(6, '0')}`);
      L.push('spec:', `  type: ${type}`, '  profile:', `    displayName: ${display}`, `    email: ${name}@acme.example.com`, `    picture: https://avatars.acme.example.com/groups/${name}.png`);
      if (g > 0) L.push(`  parent: ${groupName(parentOf(g))}`);
      if (childrenOf[g].length) list(L, 'children', childrenOf[g].map(groupName));
      else L.push('  children: []');
      list(L, 'members', members[g].map((u) => ref(userName(u), () => ghost('former-employee'))));
      docs.push(L);
      count('Group');
      if (g === POPULAR) groupFileOfPopular = `org/groups/groups-${String(gf).padStart(4, '0')}.yaml`;
    }
    const text = write(`org/groups/groups-${String(gf).padStart(4, '0')}.yaml`, docs);
    if (`org/groups/groups-${String(gf).padStart(4, '0')}.yaml` === groupFileOfPopular) popularGroupText = text;
  }

  // Users
  for (let uf = 0; uf < userFiles; uf++) {
    const docs = [];
    for (let u = uf * 10; u < Math.min(n.User, uf * 10 + 10); u++) {
      const name = userName(u);
      const [first, last] = name.split('-');
      const L = ['apiVersion: backstage.io/v1alpha1', 'kind: User', 'metadata:', `  name: ${name}`];
      L.push('spec:', '  profile:', `    displayName: ${cap(first)} ${cap(last)}`, `    email: ${first}.${last}.${u}@acme.example.com`, `    picture: https://avatars.acme.example.com/users/${name}.jpg`);
      list(L, 'memberOf', [...new Set(memberOf[u])].map((g) => ref(groupName(g), () => ghost('team'))));
      docs.push(L);
      count('User');
    }
    write(`org/users/users-${String(uf).padStart(4, '0')}.yaml`, docs);
  }

  // Domains and their systems
  for (let d = 0; d < n.Domain; d++) {
    const docs = [];
    const dn = domainName(d);
    docs.push(['apiVersion: backstage.io/v1alpha1', 'kind: Domain', 'metadata:', `  name: ${dn}`, `  title: ${cap(dn)}`, `  description: The ${w(d)} business domain.`, 'spec:', `  owner: ${owner(1 + (d % depts), false)}`]);
    count('Domain');
    for (let s = 0; s < n.System; s++) {
      if (systemDomain(s) !== d) continue;
      const sn = systemName(s);
      docs.push(['apiVersion: backstage.io/v1alpha1', 'kind: System', 'metadata:', `  name: ${sn}`, `  title: ${cap(sn)}`, `  description: Everything about ${w(s * 7)} (system ${s}).`, '  tags:', `    - ${pick(TAGS)}`, 'spec:', `  owner: ${ref(groupName(systemOwner[s]), () => ghost('team'))}`, `  domain: ${ref(dn, () => ghost('domain'))}`]);
      count('System');
    }
    write(`domains/${dn}/catalog-info.yaml`, docs);
  }

  // Components, APIs, Resources
  const popularApi = () => Math.floor(n.API * r() ** 3); // a few APIs are consumed by many
  let target;
  for (let f = 0; f < serviceFiles; f++) {
    const [a, b] = fileOfService(f);
    const s = systemOfFile(f);
    const sys = bySystem[s];
    const sn = systemName(s);
    inTarget = f === targetFile;
    const components = [];
    const apis = [];
    for (let j = a; j < b; j++) (serviceKinds[j] === 'Component' ? components : serviceKinds[j] === 'API' ? apis : []).push(serviceIx[j]);
    const docs = [];
    for (let j = a; j < b; j++) {
      const kind = serviceKinds[j];
      const i = serviceIx[j];
      const first = j === a;
      const L = [];
      const sysRef = () => ref(sn, () => ghost('platform'));
      if (kind === 'Component') {
        const name = componentName(i);
        const type = inTarget && first ? 'service' : pick(COMPONENT_TYPES);
        const lifecycle = inTarget ? 'production' : pick(LIFECYCLES);
        L.push('apiVersion: backstage.io/v1alpha1', 'kind: Component', 'metadata:', `  name: ${name}`, `  title: ${cap(name)}`);
        L.push(`  description: ${cap(w(i * 13))} ${type} of the ${sn} system; handles ${pick(WORDS)} and ${pick(WORDS)} requests.`);
        L.push('  annotations:', `    github.com/project-slug: acme/${name}`, '    backstage.io/techdocs-ref: dir:.');
        if (chance(0.6)) L.push(`    pagerduty.com/service-id: P${Math.floor(r() * 1e6).toString(36).toUpperCase().padStart(6, '0')}`);
        if (chance(0.5)) L.push(`    backstage.io/kubernetes-id: ${name}`);
        L.push('  tags:');
        for (const t of new Set([pick(TAGS), pick(TAGS)])) L.push(`    - ${t}`);
        L.push('  links:', `    - url: https://grafana.acme.example.com/d/${name}`, '      title: Dashboard');
        L.push('spec:', `  type: ${type}`, `  lifecycle: ${lifecycle}`);
        L.push(`  owner: ${inTarget && first ? groupName(POPULAR) : owner(systemOwner[s])}`);
        L.push(`  system: ${sysRef()}`);
        if (!inTarget && chance(0.03) && sys.Component.length > 1) L.push(`  subcomponentOf: ${componentName(pick(sys.Component.filter((c) => c !== i)))}`);
        // Each API of the file is provided by one Component of the file (round robin).
        const k = components.indexOf(i);
        list(L, 'providesApis', apis.filter((_, x) => x % components.length === k).map(apiName));
        const consumes = new Set();
        const nConsumes = inTarget && first ? 2 : Math.floor(r() * 4);
        for (let c = 0; c < nConsumes; c++) consumes.add(chance(0.5) && sys.API.length ? pick(sys.API) : popularApi());
        list(L, 'consumesApis', [...consumes].map((x) => ref(apiName(x), () => ghost('api'))));
        const deps = new Set();
        const nRes = inTarget && first ? 1 : Math.floor(r() * 3);
        for (let c = 0; c < nRes && sys.Resource.length; c++) deps.add(`resource:${resourceName(pick(sys.Resource))}`);
        const others = sys.Component.filter((c) => c !== i);
        const nComp = inTarget && first ? 1 : Math.floor(r() * 3);
        for (let c = 0; c < nComp && others.length; c++) deps.add(`component:${componentName(pick(others))}`);
        list(L, 'dependsOn', [...deps].map((x) => ref(x, () => `component:${ghost('legacy')}`)));
      } else if (kind === 'API') {
        const name = apiName(i);
        const type = pick(API_TYPES);
        L.push('apiVersion: backstage.io/v1alpha1', 'kind: API', 'metadata:', `  name: ${name}`, `  title: ${cap(name)}`);
        L.push(`  description: The ${cap(name)} (${type}) of ${sn}.`);
        L.push('  tags:', `    - ${type === 'grpc' ? 'grpc' : 'rest'}`);
        L.push('spec:', `  type: ${type}`, '  lifecycle: production', `  owner: ${owner(systemOwner[s])}`, `  system: ${sysRef()}`);
        L.push('  definition: |');
        if (type === 'grpc') L.push('    syntax = "proto3";', `    package acme.${w(i * 3)}.v1;`, `    service ${cap(name).replace(/ /g, '')} { rpc Get (GetRequest) returns (GetReply); }`);
        else L.push(`    ${type === 'openapi' ? 'openapi: 3.0.3' : type === 'asyncapi' ? 'asyncapi: 2.6.0' : '# graphql'}`, `    info: { title: ${name}, version: 1.${i % 10}.0 }`, '    paths: {}');
      } else {
        const name = resourceName(i);
        const type = RESOURCE_TYPES[i % RESOURCE_TYPES.length];
        L.push('apiVersion: backstage.io/v1alpha1', 'kind: Resource', 'metadata:', `  name: ${name}`, `  description: ${cap(name)} of ${sn}.`);
        L.push('spec:', `  type: ${type}`, `  owner: ${owner(systemOwner[s])}`, `  system: ${sysRef()}`);
        const others = sys.Resource.filter((x) => x !== i);
        if (chance(0.2) && others.length) list(L, 'dependsOn', [ref(`resource:${resourceName(pick(others))}`, () => `resource:${ghost('legacy')}`)]);
      }
      docs.push(L);
      count(kind);
    }
    const rel = `systems/${sn}/${docs[0][3].slice(8)}/catalog-info.yaml`;
    const text = write(rel, docs);
    if (inTarget) target = { path: rel, text };
  }
  inTarget = false;
  return {
    dir,
    counts: written.byKind,
    entities: written.entities,
    files: written.files,
    bytes: written.bytes,
    lines: written.lines,
    references: written.references,
    dangling: written.dangling,
    groups: { depts, divisions, teams },
    popularGroup: { name: groupName(POPULAR), path: groupFileOfPopular, text: popularGroupText },
    target,
    sample: files.filter((_, i) => i % Math.max(1, Math.floor(files.length / 3)) === 0).slice(0, 3),
  };
}
