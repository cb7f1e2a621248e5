/** `paved-road query`: questions and filters over folders, catalog files and snapshot files; formats and exit codes. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from './runCli';

const tmp = mkdtempSync(join(tmpdir(), 'paved-road-query-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const component = (name: string, spec: string[], meta: string[] = []): string =>
  ['apiVersion: backstage.io/v1alpha1', 'kind: Component', 'metadata:', `  name: ${name}`, ...meta.map((l) => `  ${l}`), 'spec:', ...spec.map((l) => `  ${l}`)].join('\n');

const SCORECARD = `apiVersion: paved-road.dev/v1
kind: Scorecard
id: mini
title: Mini
appliesTo: { kind: [Component], type: [service] }
rules:
  - { id: tier, title: Has a tier label, level: Bronze, weight: 1, condition: { field: metadata.labels.tier, exists: true } }
  - { id: dockerfile-non-root, title: Runs as non-root, level: Silver, weight: 1, condition: { file: Dockerfile, matches: '^USER\\s+(?!root\\b|0\\b)\\S+', flags: m } }
`;

before(() => {
  mkdirSync(join(tmp, '.git'));
  mkdirSync(join(tmp, 'payments'));
  mkdirSync(join(tmp, 'ledger'));
  writeFileSync(join(tmp, 'org.yaml'), 'apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\nspec:\n  type: team\n  children: []\n');
  writeFileSync(
    join(tmp, 'payments/catalog-info.yaml'),
    component('payments', ['type: service', 'lifecycle: production', 'owner: team-a', 'system: shop'], ['description: "Pays, \\"quickly\\""', 'labels:', '  tier: "1"', 'annotations:', '  backstage.io/techdocs-ref: dir:.']),
  );
  writeFileSync(join(tmp, 'payments/Dockerfile'), 'FROM node:20\nUSER node\n');
  writeFileSync(join(tmp, 'ledger/catalog-info.yaml'), component('ledger', ['type: service', 'lifecycle: production', 'owner: team-a', 'dependsOn: [component:payments]']));
  writeFileSync(join(tmp, 'ledger/Dockerfile'), 'FROM node:20\n');
  writeFileSync(join(tmp, 'mini.yaml'), SCORECARD);
  writeFileSync(
    join(tmp, 'store.json'),
    JSON.stringify([{ apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name: 'billing' }, spec: { type: 'service', lifecycle: 'production', owner: 'team-a', dependsOn: ['component:ledger'] } }]),
  );
});

describe('paved-road query', () => {
  it('a filter, as a text table', async () => {
    const r = await runCli(['query', 'kind=component,spec.lifecycle=production', tmp]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], 'Entities matching kind=component,spec.lifecycle=production');
    assert.match(lines[2], /^Entity\s+Kind\s+Type\s+Lifecycle\s+Owner$/);
    assert.match(lines[4], /^component:default\/ledger\s+Component\s+service\s+production\s+group:default\/team-a$/);
    assert.match(lines[5], /^component:default\/payments\s+Component/);
    assert.equal(lines[7], '2 rows');
  });

  it('below a level, as JSON, scored with a --scorecard file: fields read from the file, facts from the repository', async () => {
    const r = await runCli(['query', 'below-level:Silver', '--format', 'json', '--scorecard', join(tmp, 'mini.yaml'), tmp]);
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout);
    assert.deepEqual(result.columns, ['Entity', 'Scorecard', 'Level', 'Score', 'Failing for Silver']);
    // payments has the label and a non-root Dockerfile: at Silver, so not listed. ledger has neither.
    const mini = result.rows.filter((row: unknown[]) => row[1] === 'mini');
    assert.deepEqual(mini, [['component:default/ledger', 'mini', 'none', 0, 'tier, dockerfile-non-root']]);
    assert.equal(result.refs[result.rows.indexOf(mini[0])], 'component:default/ledger');
  });

  it('a snapshot file as a store beside a folder; depends-on as CSV', async () => {
    const r = await runCli(['query', 'depends-on:component:payments', '--format=csv', join(tmp, 'payments'), join(tmp, 'ledger'), join(tmp, 'store.json')]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'Entity,Kind,Depth,Via,Owner\r\ncomponent:default/ledger,Component,1,dependencyOf,group:default/team-a\r\ncomponent:default/billing,Component,2,dependencyOf,group:default/team-a\r\n');
  });

  it('a catalog file named on its own; coverage counts the entity whose system is missing as incomplete', async () => {
    const r = await runCli(['query', 'coverage', '--format', 'json', join(tmp, 'payments/catalog-info.yaml'), join(tmp, 'ledger/catalog-info.yaml'), join(tmp, 'org.yaml')]);
    assert.equal(r.code, 0, r.stderr);
    // payments names a system that is not in the catalog either: not valid.
    assert.deepEqual(JSON.parse(r.stdout).rows, [
      ['group:default/team-a', 2, 0, 0],
      ['All teams', 2, 0, 0],
    ]);
  });

  it('exit 2 on usage errors and expressions that cannot be answered, saying why', async () => {
    for (const [args, message] of [
      [['query'], /missing EXPRESSION/],
      [['query', 'kind=a,=b', tmp], /'=b' is not a condition/],
      [['query', 'depends-on:component:nope', tmp], /no entity component:default\/nope/],
      [['query', 'coverage', '--format', 'xml', tmp], /--format must be text, json or csv/],
      [['query', 'coverage', '--bogus', tmp], /unknown option '--bogus'/],
      [['query', 'coverage', join(tmp, 'missing')], /no such file or folder/],
    ] as const) {
      const r = await runCli([...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}`);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    }
  });
});
