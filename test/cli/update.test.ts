/**
 * `paved-road drift` and `paved-road update` on a small repository: the bundled node-service scaffolded
 * at 1.0.0, edited, and updated to 1.1.0 (clean merges, a conflict left with markers and exit 1); and a
 * template of the repository whose new version asks for a new parameter.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { updateFixtureTemplates } from '../unit/scaffolding/updateFixture';

const ROOT = resolve(__dirname, '../..');
const CLI = join(ROOT, 'dist/cli.js');

const tmp = mkdtempSync(join(tmpdir(), 'paved-road-update-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function run(args: string[], cwd: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 30000, env: { PATH: process.env.PATH, HOME: tmp, PAVED_ROAD_USER: 'alice@example.com' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const read = (...p: string[]): string => readFileSync(join(...p), 'utf8');
const edit = (file: string, from: string | RegExp, to: string): void => {
  const text = read(file);
  const next = text.replace(from, to);
  assert.notEqual(next, text, `${file}: ${from} not found`);
  writeFileSync(file, next);
};

/** A repository: policies, the organisation in a catalog file, the update fixture's templates. */
function repository(): string {
  const repo = join(tmp, 'repo');
  const doc = (kind: string, name: string, spec: string): string => `apiVersion: backstage.io/v1alpha1\nkind: ${kind}\nmetadata:\n  name: ${name}\nspec:\n${spec}`;
  updateFixtureTemplates(join(repo, '.paved-road/templates'));
  writeFileSync(join(repo, '.paved-road/policies.yaml'), 'defaultRole: developer\nroles:\n  developer: { scaffold: own-team }\n');
  writeFileSync(
    join(repo, 'catalog-info.yaml'),
    [doc('Group', 'payments-team', '  type: team\n  children: []\n'), doc('User', 'alice', '  profile:\n    email: alice@example.com\n  memberOf: [payments-team]\n'), doc('System', 'shop', '  owner: payments-team\n')].join('---\n'),
  );
  return repo;
}

describe('paved-road drift and update: node-service 1.0.0 → 1.1.0', () => {
  let repo: string;
  before(() => {
    repo = repository();
    for (const name of ['orders', 'ledger']) {
      writeFileSync(join(repo, `${name}.yaml`), `name: ${name}\nowner: payments-team\nsystem: shop\nlifecycle: production\ndescription: The ${name} service.\n`);
      const r = run(['scaffold', 'node-service', '--version', '1.0.0', '--values', `${name}.yaml`, '--out', 'services'], repo);
      assert.equal(r.code, 0, r.stderr);
    }
  });

  it('drift lists both services behind 1.1.0, with its changes and the files it changes', () => {
    const r = run(['drift', 'services'], repo);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines[0], 'services/ledger: node-service 1.0.0 → 1.1.0');
    assert.match(lines[1], /^ {2}1\.1\.0: Node\.js 22\.14\.0 base image/);
    assert.ok(lines.includes('  changed  Dockerfile (+2 −2)'), r.stdout);
    assert.ok(lines.includes('  added    deploy/poddisruptionbudget.yaml (+14)'), r.stdout);
    assert.ok(lines.includes('services/orders: node-service 1.0.0 → 1.1.0'), r.stdout);
    assert.equal(lines.at(-1), '2 services of 2 behind their templates: paved-road update DIR');
    const json = run(['drift', '--format', 'json', 'services/orders'], repo).stdout.trim().split('\n').map((l) => JSON.parse(l) as { dir: string; latest: string; files: { path: string; state: string }[] });
    assert.deepEqual(
      json.map((d) => [d.dir, d.latest]),
      [['services/orders', '1.1.0']],
    );
    // Exactly what 1.1.0 changes: its own files are copies of 1.0.0's with these edits (a change to 1.0.0
    // that 1.1.0's copies miss shows here).
    assert.deepEqual(json[0].files, [
      { path: '.github/dependabot.yml', state: 'added', added: 22, removed: 0 },
      { path: '.nvmrc', state: 'changed', added: 1, removed: 1 },
      { path: 'Dockerfile', state: 'changed', added: 2, removed: 2 },
      { path: 'README.md', state: 'changed', added: 4, removed: 3 }, // the base image, the template version, the PodDisruptionBudget, Dependabot
      { path: 'catalog-info.yaml', state: 'changed', added: 2, removed: 2 }, // the template version
      { path: 'deploy/kustomization.yaml', state: 'changed', added: 1, removed: 0 },
      { path: 'deploy/poddisruptionbudget.yaml', state: 'added', added: 14, removed: 0 },
      { path: 'docs/adr/0001-record-architecture-decisions.md', state: 'changed', added: 1, removed: 1 }, // the template version
    ]);
  });

  it('update merges the README edit with the template change, writes the new files and the answers; exit 0', () => {
    const dir = join(repo, 'services/orders');
    edit(join(dir, 'README.md'), /^- Escalation: .*$/m, '- Escalation: https://acme.pagerduty.com/services/orders');
    edit(join(dir, 'deploy/deployment.yaml'), 'memory: 256Mi', 'memory: 512Mi');
    const r = run(['update', 'services/orders'], repo);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^updated services\/orders: node-service 1\.0\.0 → 1\.1\.0, \d+ files written\n/);
    assert.match(r.stdout, /^ {2}merged {5}README\.md$/m);
    assert.match(r.stdout, /^ {2}added {6}\.github\/dependabot\.yml$/m);
    const readme = read(dir, 'README.md');
    assert.match(readme, /^- Escalation: https:\/\/acme\.pagerduty\.com\/services\/orders$/m); // yours
    assert.match(readme, /pinned `node:22\.14\.0-bookworm-slim`/); // the template's
    assert.match(readme, /^\| Dependency updates \|/m);
    assert.doesNotMatch(readme, /<<<<<<<|>>>>>>>/);
    const deployment = read(dir, 'deploy/deployment.yaml');
    assert.match(deployment, /^ {2}replicas: 2$/m);
    assert.match(deployment, /memory: 512Mi/);
    assert.match(read(dir, 'Dockerfile'), /^FROM node:22\.14\.0-bookworm-slim AS runtime$/m);
    assert.ok(existsSync(join(dir, 'deploy/poddisruptionbudget.yaml')));
    const answers = read(dir, '.paved-road/answers.yaml');
    assert.match(answers, /^version: 1\.1\.0$/m);
    assert.match(answers, /^ {2}replicas: 2$/m);
    const audit = read(dir, '.paved-road/audit.jsonl').trim().split('\n').map((l) => JSON.parse(l) as { action: string; version: string; who: string });
    assert.deepEqual(
      audit.map((a) => [a.action, a.version, a.who]),
      [
        ['scaffold', '1.0.0', 'alice@example.com'],
        ['update', '1.1.0', 'alice@example.com'],
      ],
    );
    const again = run(['update', 'services/orders'], repo);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, 'services/orders: already at node-service 1.1.0; nothing to update\n');
  });

  it('update leaves a conflict with markers and exits 1 naming the file', () => {
    const dir = join(repo, 'services/ledger');
    edit(join(dir, 'Dockerfile'), 'FROM node:22.12.0-bookworm-slim AS runtime', 'FROM node:22.13.1-bookworm-slim AS runtime');
    const r = run(['update', 'services/ledger', '--to', '1.1.0'], repo);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^ {2}conflict {3}Dockerfile \(1 conflict\)$/m);
    assert.match(r.stderr, /1 file left with conflicts: resolve the <<<<<<< markers .*\npaved-road: {3}Dockerfile\n$/);
    const docker = read(dir, 'Dockerfile');
    assert.ok(
      docker.includes(
        '<<<<<<< yours\nFROM node:22.13.1-bookworm-slim AS runtime\n||||||| template 1.0.0\nFROM node:22.12.0-bookworm-slim AS runtime\n=======\nFROM node:22.14.0-bookworm-slim AS runtime\n>>>>>>> template 1.1.0\n',
      ),
      docker,
    );
    assert.match(docker, /^FROM node:22\.14\.0-bookworm-slim AS build$/m); // the other stage merged
    assert.match(read(dir, '.paved-road/answers.yaml'), /^version: 1\.1\.0$/m);
  });
});

describe('paved-road update: a new parameter to answer', () => {
  it('exits 1 asking for it and writes nothing; with --values it updates', () => {
    const repo = join(tmp, 'repo'); // made by the suite above
    writeFileSync(join(repo, 'svc.yaml'), 'name: billing\nowner: payments-team\n');
    assert.equal(run(['scaffold', 'svc', '--version', '1.0.0', '--values', 'svc.yaml', '--out', 'other'], repo).code, 0);
    const answers = read(repo, 'other/billing/.paved-road/answers.yaml');
    const r = run(['update', 'other/billing'], repo);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /nothing written: svc 1\.0\.0 → 2\.0\.0 asks for a new parameter; answer it in a --values file \(YAML or JSON\) and run again:\n.* {2}tier \(Tier\) One of: bronze, gold\.\n/);
    assert.equal(read(repo, 'other/billing/.paved-road/answers.yaml'), answers);
    assert.equal(read(repo, 'other/billing/Dockerfile').split('\n')[0], 'FROM node:22.11.0-alpine AS build');
    writeFileSync(join(repo, 'tier.yaml'), 'tier: gold\n');
    const ok = run(['update', 'other/billing', '--values', 'tier.yaml'], repo);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^ {2}kept {7}old\.txt \(the template no longer has it/m);
    assert.match(read(repo, 'other/billing/deploy/values.yaml'), /^tier: gold$/m);
    assert.match(read(repo, 'other/billing/.paved-road/answers.yaml'), /^ {2}tier: gold$/m);
  });
});
