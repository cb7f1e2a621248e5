/** Small templates written into a temp folder, a small organisation's catalog and its policies, for the scaffolding tests. */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CatalogIndex } from '../../../server/src/catalog/catalogIndex';
import { readPolicies } from '../../../server/src/catalog/policies';
import { loadTemplates } from '../../../server/src/scaffolding/templates';
import type { ScaffoldContext } from '../../../server/src/scaffolding/types';
import { entity, putStore } from '../viewsFixture';

export function write(path: string, text: string | Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

export const SERVICE_MANIFEST = `apiVersion: paved-road.dev/v1
kind: Template
id: svc
version: 1.0.0
type: service
title: Fixture service
description: A small service for the engine's tests.
tags: [test]
parameters:
  type: object
  required: [name, owner, lifecycle]
  properties:
    name: { type: string, title: Name, description: 'lower-case letters, digits and dashes', pattern: '^[a-z][a-z0-9-]*$', maxLength: 40 }
    owner: { type: string, title: Owner, x-catalog: { kinds: [Group] } }
    system: { type: string, title: System, x-catalog: { kinds: [System] } }
    lifecycle: { type: string, title: Lifecycle, enum: [experimental, production], default: experimental }
    tags: { type: array, items: { type: string }, default: [] }
    port: { type: integer, default: 8080, minimum: 1024, maximum: 65535 }
    securityReview: { type: string, title: Security review }
rules:
  - id: pci-needs-security-review
    when: { tags: { contains: pci-scoped } }
    require: { securityReview: { pattern: '^SEC-[0-9]+$' } }
    message: 'A pci-scoped service needs its security review ticket: answer securityReview with the ticket (SEC-123).'
verbatim: ['**/*.png']
`;

export const CATALOG_INFO = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: {{name}}
spec:
  type: service
  lifecycle: {{lifecycle}}
  owner: {{owner}}
{{#system}}
  system: {{system}}
{{/system}}
`;

export const WORKFLOW = 'name: ci\non: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ github.sha }}" ${{secrets.TOKEN}} {{name}}\n      - if: ${{ github.event_name == \'push\' && contains(github.ref, \'{{x}}\') }}\n        run: echo {{#upper}}{{name}}{{/upper}}\n';

/** The PNG signature and a few bytes that are not UTF-8. */
export const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe, 0x00, 0x7b, 0x7b]);

export const ADDITION_MANIFEST = `apiVersion: paved-road.dev/v1
kind: Template
id: db
version: 1.0.0
type: addition
title: Fixture database
description: A database for a service.
parameters:
  type: object
  required: [name]
  properties:
    name: { type: string, title: Database name, pattern: '^[a-z][a-z0-9-]*$' }
    size: { type: string, enum: [small, large], default: small }
    owner: { type: string, title: Owner, x-catalog: { kinds: [Group] } }
edits:
  dependsOn: ['resource:{{name}}-db']
  appendEntities: [catalog/resource.yaml]
`;

/** Writes svc 1.0.0 (a service) and db 1.0.0 (an addition) under `root`. */
export function fixtureTemplates(root: string): void {
  const svc = join(root, 'svc/1.0.0');
  write(join(svc, 'template.yaml'), SERVICE_MANIFEST);
  write(join(svc, 'files/catalog-info.yaml'), CATALOG_INFO);
  write(join(svc, 'files/README.md'), '# {{name}}\r\n\r\nOwned by {{ownerName}} <{{owner}}> & friends; port {{port}}; {{#pascal}}{{name}}{{/pascal}}; {{#snake}}{{name}}{{/snake}}; {{#kebab}}{{name}}{{/kebab}}.\r\n');
  write(join(svc, 'files/.github/workflows/ci.yml'), WORKFLOW);
  write(join(svc, 'files/src/{{name}}.ts'), 'export const name = "{{name}}";\n');
  write(join(svc, 'files/bin/run.sh'), '#!/bin/sh\nexec node src/{{name}}.js\n');
  chmodSync(join(svc, 'files/bin/run.sh'), 0o755);
  write(join(svc, 'files/logo.png'), PNG);
  const db = join(root, 'db/1.0.0');
  write(join(db, 'template.yaml'), ADDITION_MANIFEST);
  write(join(db, 'files/infrastructure/postgres-{{name}}.tf'), 'module "{{#snake}}{{name}}{{/snake}}_db" {\n  source = "git::https://example.com/modules/postgres.git?ref=v1"\n  name   = "{{name}}-db"\n  size   = "{{size}}"\n}\n');
  write(join(db, 'files/catalog/resource.yaml'), 'apiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata:\n  name: {{name}}-db\nspec:\n  type: database\n  owner: {{owner}}\n');
}

/** An organisation: three teams, a system, a taken name, and users in each role. */
export function organisation(): CatalogIndex {
  const catalog = new CatalogIndex();
  putStore(catalog, 'org.json', [
    entity('Group', 'payments-team', { type: 'team', children: [] }, { title: 'Payments' }),
    entity('Group', 'search-team', { type: 'team', children: [] }),
    entity('Group', 'platform-team', { type: 'team', children: [] }),
    entity('Group', 'audit', { type: 'team', children: [], members: ['audrey'] }),
    entity('System', 'shop', { owner: 'payments-team' }),
    entity('Component', 'taken', { type: 'service', lifecycle: 'production', owner: 'search-team' }),
    entity('User', 'alice', { profile: { email: 'alice@example.com' }, memberOf: ['payments-team'] }),
    entity('User', 'pat', { profile: { email: 'pat@example.com' }, memberOf: ['platform-team'] }),
    entity('User', 'audrey', { profile: { email: 'audrey@example.com' }, memberOf: [] }),
  ]);
  return catalog;
}

export const POLICIES = readPolicies({
  naming: { pattern: '^[a-z][a-z0-9-]{1,30}[a-z0-9]$', message: 'lower-case letters, digits and dashes, 3-32 characters, starting with a letter' },
  roles: {
    developer: { scaffold: 'own-team' },
    'platform-engineer': { scaffold: 'any', audited: true, groups: ['group:default/platform-team'] },
    auditor: { scaffold: 'none', groups: ['audit'] },
  },
  defaultRole: 'developer',
}).policies;

export function context(templatesRoot: string, identity = 'alice@example.com', catalog = organisation()): ScaffoldContext {
  const { templates, problems } = loadTemplates([{ path: templatesRoot, origin: 'workspace' }]);
  if (problems.length) throw new Error(problems.join('\n'));
  return { catalog, policies: POLICIES, identity, templates, now: () => new Date('2026-12-03T10:00:00Z') };
}
