/** The update tests' template: svc 1.0.0, and 2.0.0 extending it. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** svc 1.0.0, and 2.0.0 extending it: a bumped base image, a README section, a new file, a removed file, two new parameters. */
export function updateFixtureTemplates(root: string): void {
  const v1 = join(root, 'svc/1.0.0');
  write(
    join(v1, 'template.yaml'),
    `apiVersion: paved-road.dev/v1
kind: Template
id: svc
version: 1.0.0
type: service
title: Fixture service
description: A service for the update tests.
tags: [test]
verbatim: ['**/*.png']
parameters:
  type: object
  required: [name, owner]
  properties:
    name: { type: string, title: Name }
    owner: { type: string, title: Owner, x-catalog: { kinds: [Group] } }
    description: { type: string, title: Description, default: '' }
`,
  );
  write(join(v1, 'files/README.md'), '# {{name}}\n\n{{description}}\n\nOwned by {{ownerName}}.\n\n## Runbook\n\nRestart it.\n\n## On call\n\nThe owning team.\n');
  write(join(v1, 'files/Dockerfile'), 'FROM node:22.11.0-alpine AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci\n\nFROM node:22.11.0-alpine\nUSER node\nCMD ["node", "server.js"]\n');
  write(join(v1, 'files/old.txt'), 'gone in 2.0.0\n');
  writeFileSync(join(v1, 'files/logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0x00, 0x01]));
  write(join(v1, 'files/notes.md'), 'Notes of {{name}}.\n');
  write(join(v1, 'files/deploy/values.yaml'), 'name: {{name}}\nport: 8080\n');
  const v2 = join(root, 'svc/2.0.0');
  write(
    join(v2, 'template.yaml'),
    `apiVersion: paved-road.dev/v1
kind: Template
id: svc
version: 2.0.0
type: service
title: Fixture service
description: A service for the update tests.
tags: [test]
extends: 1.0.0
verbatim: ['**/*.png']
remove: [old.txt]
changes: Node 22.12 base image; replicas and tier in deploy/values.yaml; dependabot.
parameters:
  type: object
  required: [name, owner, tier]
  properties:
    name: { type: string, title: Name }
    owner: { type: string, title: Owner, x-catalog: { kinds: [Group] } }
    description: { type: string, title: Description, default: '' }
    replicas: { type: integer, title: Replicas, default: 2 }
    tier: { type: string, title: Tier, enum: [bronze, gold] }
`,
  );
  write(join(v2, 'files/README.md'), '# {{name}}\n\n{{description}}\n\nOwned by {{ownerName}}.\n\n## Runbook\n\nRestart it.\n\n## On call\n\nThe owning team, paged by the {{tier}} tier alerts.\n');
  write(join(v2, 'files/Dockerfile'), 'FROM node:22.12.0-alpine AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci\n\nFROM node:22.12.0-alpine\nUSER node\nCMD ["node", "server.js"]\n');
  write(join(v2, 'files/deploy/values.yaml'), 'name: {{name}}\nport: 8080\nreplicas: {{replicas}}\ntier: {{tier}}\n');
  writeFileSync(join(v2, 'files/logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0x00, 0x02]));
  write(join(v2, 'files/.github/dependabot.yml'), 'version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /\n    schedule: { interval: weekly }\n');
}
