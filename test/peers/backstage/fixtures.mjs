#!/usr/bin/env node
// The Backstage peer's catalog: a company of teams, systems, APIs, components and resources, `count`
// entities in all (at least 20), 50 per file, plus three `Environment` entities (an installation's own
// kind: Backstage here accepts it, Paved Road quarantines it). Deterministic: the same count, the same files.
//   node test/peers/backstage/fixtures.mjs DIR COUNT     writes DIR/*.yaml (the committed set: fixtures/ 120)
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const PER_FILE = 50;
const doc = (kind, name, spec, extra = {}) =>
  ['apiVersion: backstage.io/v1alpha1', `kind: ${kind}`, 'metadata:', `  name: ${name}`, ...Object.entries(extra).map(([k, v]) => `  ${k}: ${v}`), 'spec:', ...Object.entries(spec).map(([k, v]) => `  ${k}: ${v}`)].join('\n');

/** The entities' YAML documents, in a fixed order. */
export function fixtureDocuments(count) {
  const teams = Math.max(3, Math.round(count / 40));
  const systems = Math.max(2, Math.round(count / 30));
  const docs = [doc('Domain', 'commerce', { owner: 'group:team-0' }, { title: 'Commerce' })];
  for (let t = 0; t < teams; t++) docs.push(doc('Group', `team-${t}`, { type: 'team', children: '[]' }, { title: `Team ${t}` }));
  for (let s = 0; s < systems; s++) docs.push(doc('System', `system-${s}`, { owner: `group:team-${s % teams}`, domain: 'commerce' }));
  const rest = Math.max(0, count - docs.length);
  const apis = Math.round(rest / 6);
  const resources = Math.round(rest / 10);
  for (let a = 0; a < apis; a++) docs.push(doc('API', `api-${a}`, { type: 'openapi', lifecycle: 'production', owner: `group:team-${a % teams}`, system: `system-${a % systems}`, definition: `"openapi: 3.0.0"` }));
  for (let r = 0; r < resources; r++) docs.push(doc('Resource', `db-${r}`, { type: 'database', owner: `group:team-${r % teams}`, system: `system-${r % systems}` }));
  for (let c = 0; docs.length < count; c++) {
    const deps = c % 3 === 0 && resources ? `[resource:db-${c % resources}]` : '[]';
    const provides = apis && c < apis ? `[api-${c}]` : '[]';
    docs.push(doc('Component', `service-${c}`, { type: 'service', lifecycle: c % 4 ? 'production' : 'experimental', owner: `group:team-${c % teams}`, system: `system-${c % systems}`, dependsOn: deps, providesApis: provides }, { description: `"Service ${c} of the commerce domain"`, tags: '[java, backend]' }));
  }
  return docs;
}

/** The three entities only the installation knows how to read. */
export const CUSTOM_KIND_DOCUMENTS = ['dev', 'staging', 'production'].map((n) => doc('Environment', n, { owner: 'group:team-0', type: 'kubernetes' }));

/** Writes `count` entities into `dir` (emptied first), 50 per file, and the custom kinds in a file of their own. */
export function generateFixtures(dir, count) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const docs = fixtureDocuments(count);
  for (let i = 0; i < docs.length; i += PER_FILE) {
    writeFileSync(join(dir, `catalog-${String(i / PER_FILE).padStart(3, '0')}.yaml`), `${docs.slice(i, i + PER_FILE).join('\n---\n')}\n`);
  }
  writeFileSync(join(dir, 'environments.yaml'), `${CUSTOM_KIND_DOCUMENTS.join('\n---\n')}\n`);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()) && process.argv[2]) {
  generateFixtures(process.argv[2], Number(process.argv[3] ?? 120));
}
