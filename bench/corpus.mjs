// Deterministic benchmark corpus: realistic Backstage catalog files with N entities in one file
// (multi-document YAML). Every file is valid for Backstage's own validators and for the JSON Schema
// in bench/backstage-catalog-info.schema.json. Entity number floor(N/2) (the "target", in the middle
// of the file) is always a Component; the benchmark edits it and asks for completion/hover in it.

/** mulberry32: small, fast, deterministic PRNG */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const WORDS = [
  'checkout', 'payments', 'billing', 'search', 'catalog', 'inventory', 'shipping', 'identity', 'auth',
  'ledger', 'pricing', 'orders', 'cart', 'recommendations', 'notifications', 'email', 'reports',
  'analytics', 'gateway', 'profile', 'media', 'thumbnails', 'fraud', 'risk', 'loyalty', 'reviews',
  'partners', 'warehouse', 'tracking', 'invoices', 'tax', 'refunds', 'subscriptions', 'metrics',
];
export const SUFFIX = ['service', 'api', 'worker', 'web', 'backend', 'frontend', 'processor', 'consumer'];
export const COMPONENT_TYPES = ['service', 'service', 'service', 'website', 'library'];
const LIFECYCLES = ['production', 'production', 'experimental', 'deprecated'];
export const TAGS = ['java', 'kotlin', 'go', 'python', 'typescript', 'react', 'grpc', 'rest', 'kafka', 'postgres', 'redis', 'pci', 'gdpr', 'tier-1', 'tier-2'];
const API_TYPES = ['openapi', 'grpc', 'asyncapi', 'graphql'];
const RESOURCE_TYPES = ['database', 's3-bucket', 'kafka-topic', 'redis-cluster', 'queue'];
const FIRST = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'niaj', 'olivia', 'peggy', 'rupert', 'sybil', 'trent', 'victor', 'walter', 'yara'];
const LAST = ['smith', 'jones', 'garcia', 'miller', 'davis', 'lopez', 'wilson', 'anderson', 'thomas', 'moore', 'martin', 'lee', 'walker', 'hall', 'young'];

const cap = (s) => s.replace(/(^|-)([a-z])/g, (_, d, c) => (d ? ' ' : '') + c.toUpperCase());

/**
 * Mix of kinds for a large catalog file. Domains, systems and groups come first so that the
 * references the others make point at entities of the same file.
 */
function plan(n, r) {
  if (n === 1) return ['Component'];
  const counts = {
    Domain: Math.max(1, Math.round(n * 0.01)),
    System: Math.max(1, Math.round(n * 0.04)),
    Group: Math.max(2, Math.round(n * 0.06)),
    User: Math.max(1, Math.round(n * 0.1)),
    API: Math.max(1, Math.round(n * 0.14)),
    Resource: Math.max(1, Math.round(n * 0.08)),
    Location: Math.max(1, Math.round(n * 0.01)),
  };
  const fixed = Object.values(counts).reduce((a, b) => a + b, 0);
  const components = Math.max(1, n - fixed);
  const rest = [];
  for (const k of ['User', 'API', 'Resource', 'Location']) for (let i = 0; i < counts[k]; i++) rest.push(k);
  for (let i = 0; i < components; i++) rest.push('Component');
  // deterministic shuffle of the non-structural entities
  for (let i = rest.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [rest[i], rest[j]] = [rest[j], rest[i]];
  }
  const head = [];
  for (const k of ['Domain', 'System', 'Group']) for (let i = 0; i < counts[k]; i++) head.push(k);
  const kinds = [...head, ...rest].slice(0, n);
  const t = Math.floor(n / 2);
  if (kinds[t] !== 'Component') {
    const j = kinds.indexOf('Component', t);
    const k = j >= 0 ? j : kinds.lastIndexOf('Component');
    [kinds[t], kinds[k]] = [kinds[k], kinds[t]];
  }
  return kinds;
}

/**
 * @param {number} n number of entities
 * @returns {{text: string, n: number, target: {index: number, name: string,
 *   apiVersionLine: number, lifecycleLine: number, specLine: number, lineCount: number}}}
 */
export function generateCorpus(n, seed = 20240601) {
  const r = rng(seed + n);
  const pick = (arr) => arr[Math.floor(r() * arr.length)];
  const kinds = plan(n, r);
  const ix = { Domain: 0, System: 0, Group: 0, User: 0, API: 0, Resource: 0, Location: 0, Component: 0 };
  const nOf = (k) => kinds.filter((x) => x === k).length;
  const domains = Math.max(1, nOf('Domain'));
  const systems = Math.max(1, nOf('System'));
  const groups = Math.max(1, nOf('Group'));
  const apis = Math.max(1, nOf('API'));
  const resources = Math.max(1, nOf('Resource'));
  const domainName = (i) => `${WORDS[i % WORDS.length]}-domain${i >= WORDS.length ? `-${i}` : ''}`;
  const systemName = (i) => `${WORDS[(i * 7) % WORDS.length]}-platform-${i}`;
  const groupName = (i) => `team-${WORDS[(i * 5) % WORDS.length]}-${i}`;
  const apiName = (i) => `${WORDS[(i * 3) % WORDS.length]}-api-${i}`;
  const resourceName = (i) => `${WORDS[(i * 11) % WORDS.length]}-${RESOURCE_TYPES[i % RESOURCE_TYPES.length]}-${i}`;
  const slug = (name) => `acme/${name}`;

  const docs = [];
  let target = null;
  const tIndex = Math.floor(n / 2);
  let line = 0; // 0-based line where the current document starts

  for (let e = 0; e < n; e++) {
    const kind = kinds[e];
    const i = ix[kind]++;
    const L = [];
    const owner = `group:${groupName(Math.floor(r() * groups))}`;
    if (kind === 'Component') {
      const name = `${pick(WORDS)}-${pick(SUFFIX)}-${e}`;
      const type = e === tIndex ? 'service' : pick(COMPONENT_TYPES);
      const lifecycle = e === tIndex ? 'production' : pick(LIFECYCLES);
      L.push('apiVersion: backstage.io/v1alpha1', 'kind: Component', 'metadata:', `  name: ${name}`);
      L.push(`  title: ${cap(name)}`);
      L.push(`  description: ${cap(name.split('-')[0])} ${type} owned by ${owner.slice(6)}; handles ${pick(WORDS)} and ${pick(WORDS)} requests.`);
      L.push('  annotations:');
      L.push(`    github.com/project-slug: ${slug(name)}`);
      L.push('    backstage.io/techdocs-ref: dir:.');
      L.push(`    backstage.io/source-location: url:https://github.com/${slug(name)}/tree/main/`);
      if (r() < 0.6) L.push(`    pagerduty.com/service-id: P${Math.floor(r() * 1e6).toString(36).toUpperCase().padStart(6, '0')}`);
      if (r() < 0.5) L.push(`    backstage.io/kubernetes-id: ${name}`);
      if (r() < 0.4) L.push(`    sonarqube.org/project-key: acme_${name.replace(/-/g, '_')}`);
      L.push('  tags:');
      const tags = new Set([pick(TAGS), pick(TAGS), pick(TAGS)]);
      for (const t of tags) L.push(`    - ${t}`);
      L.push('  links:');
      L.push(`    - url: https://grafana.example.com/d/${name}`, '      title: Dashboard', '      icon: dashboard');
      if (r() < 0.5) L.push(`    - url: https://runbooks.example.com/${name}`, '      title: Runbook', '      type: runbook');
      L.push('spec:');
      const specLine = L.length - 1;
      L.push(`  type: ${type}`, `  lifecycle: ${lifecycle}`, `  owner: ${owner}`);
      L.push(`  system: ${systemName(Math.floor(r() * systems))}`);
      L.push('  providesApis:', `    - ${apiName(Math.floor(r() * apis))}`);
      if (r() < 0.6) L.push('  consumesApis:', `    - ${apiName(Math.floor(r() * apis))}`, `    - ${apiName(Math.floor(r() * apis))}`);
      // The target leaves subcomponentOf/dependsOn out, so key completion in its spec has something to offer.
      if (e !== tIndex && r() < 0.5) L.push('  dependsOn:', `    - resource:${resourceName(Math.floor(r() * resources))}`);
      if (e === tIndex) {
        target = {
          index: e,
          name,
          apiVersionLine: line + 0,
          lifecycleLine: line + specLine + 2,
          specLine: line + specLine,
        };
      }
    } else if (kind === 'API') {
      const name = apiName(i);
      const type = pick(API_TYPES);
      L.push('apiVersion: backstage.io/v1alpha1', 'kind: API', 'metadata:', `  name: ${name}`);
      L.push(`  description: The ${cap(name)} (${type}).`);
      L.push('  tags:', `    - ${type === 'grpc' ? 'grpc' : 'rest'}`);
      // APIs are all in production: components consume and provide them, and a reference to a
      // deprecated API, or a production component consuming an experimental one, is a finding of its
      // own (Paved Road's default policies flag both) that a "valid" corpus should not be full of.
      L.push('spec:', `  type: ${type}`, '  lifecycle: production', `  owner: ${owner}`);
      L.push(`  system: ${systemName(Math.floor(r() * systems))}`);
      // Inline definitions only: a `$text:` placeholder is resolved by the catalog processor
      // before validation, so the raw file would not match the JSON Schema.
      L.push('  definition: |');
      L.push(`    ${type === 'grpc' ? 'syntax = "proto3";' : 'openapi: 3.0.0'}`);
      L.push(`    # ${cap(name)} (https://github.com/${slug(name)})`);
      L.push(`    ${type === 'grpc' ? `service ${cap(name).replace(/ /g, '')} {}` : `info: { title: ${name}, version: 1.0.${i} }`}`);
    } else if (kind === 'Group') {
      const name = groupName(i);
      L.push('apiVersion: backstage.io/v1alpha1', 'kind: Group', 'metadata:', `  name: ${name}`);
      L.push(`  description: The ${cap(name.slice(5))} team.`);
      L.push('spec:', '  type: team', '  profile:', `    displayName: ${cap(name.slice(5))}`, `    email: ${name}@example.com`);
      if (i > 0) L.push(`  parent: ${groupName(Math.floor(i / 4))}`);
      const kids = [];
      for (let c = i * 4 + 1; c <= i * 4 + 4 && c < groups; c++) kids.push(groupName(c));
      if (kids.length) {
        L.push('  children:');
        for (const k of kids) L.push(`    - ${k}`);
      } else L.push('  children: []');
    } else if (kind === 'User') {
      const name = `${FIRST[i % FIRST.length]}.${LAST[Math.floor(i / FIRST.length) % LAST.length]}${i >= FIRST.length * LAST.length ? i : ''}`;
      L.push('apiVersion: backstage.io/v1alpha1', 'kind: User', 'metadata:', `  name: ${name}`);
      L.push('spec:', '  profile:', `    displayName: ${cap(name.replace('.', '-'))}`, `    email: ${name}@example.com`);
      L.push('  memberOf:', `    - ${groupName(Math.floor(r() * groups))}`);
    } else if (kind === 'System') {
      const name = systemName(i);
      L.push('apiVersion: backstage.io/v1alpha1', 'kind: System', 'metadata:', `  name: ${name}`);
      L.push(`  description: Everything about ${name.split('-')[0]}.`);
      L.push('spec:', `  owner: ${owner}`, `  domain: ${domainName(Math.floor(r() * domains))}`);
    } else if (kind === 'Domain') {
      const name = domainName(i);
      L.push('apiVersion: backstage.io/v1alpha1', 'kind: Domain', 'metadata:', `  name: ${name}`);
      L.push(`  description: The ${name.split('-')[0]} business domain.`);
      L.push('spec:', `  owner: ${owner}`);
    } else if (kind === 'Resource') {
      const name = resourceName(i);
      L.push('apiVersion: backstage.io/v1alpha1', 'kind: Resource', 'metadata:', `  name: ${name}`);
      L.push(`  description: ${cap(name)}.`);
      L.push('spec:', `  type: ${RESOURCE_TYPES[i % RESOURCE_TYPES.length]}`, `  owner: ${owner}`);
      L.push(`  system: ${systemName(Math.floor(r() * systems))}`);
    } else if (kind === 'Location') {
      const name = `more-entities-${i}`;
      L.push('apiVersion: backstage.io/v1alpha1', 'kind: Location', 'metadata:', `  name: ${name}`);
      // Absolute URLs, as registered locations usually are: nothing a local check could find missing.
      L.push('spec:', '  type: url', '  targets:', `    - https://github.com/acme/team-${i}/blob/main/catalog-info.yaml`, `    - https://github.com/acme/services-${i}/blob/main/catalog-info.yaml`);
    }
    docs.push(L.join('\n'));
    line += L.length + 1; // + the '---' separator
  }
  const text = docs.join('\n---\n') + '\n';
  const lineCount = text.split('\n').length - 1;
  return { text, n, target: { ...target, lineCount } };
}

/** A one-entity document with a known schema violation (spec.owner and spec.lifecycle missing). */
export const WARMUP_INVALID = [
  'apiVersion: backstage.io/v1alpha1',
  'kind: Component',
  'metadata:',
  '  name: warmup-service',
  'spec:',
  '  type: service',
  '',
].join('\n');
