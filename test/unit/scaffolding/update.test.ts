/**
 * Template updates on a real scaffold: a service made from a small fixture template's 1.0.0 by the
 * engine, edited as a user would, then checked for drift and updated to 2.0.0.
 */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_POLICIES } from '../../../server/src/catalog/policies';
import { CatalogIndex } from '../../../server/src/catalog/catalogIndex';
import { planScaffold } from '../../../server/src/scaffolding/plan';
import { loadTemplates } from '../../../server/src/scaffolding/templates';
import type { ScaffoldContext } from '../../../server/src/scaffolding/types';
import { drift, findServices, planUpdate, applyUpdate } from '../../../server/src/scaffolding/update';
import { applyPlan } from '../../../server/src/scaffolding/write';
import { entity, putStore } from '../viewsFixture';
import { updateFixtureTemplates } from './updateFixture';

const tmp = mkdtempSync(join(tmpdir(), 'paved-road-update-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function context(templatesRoot: string): ScaffoldContext {
  const catalog = new CatalogIndex();
  putStore(catalog, 'org.json', [
    entity('Group', 'payments-team', { type: 'team', children: [] }, { title: 'Payments' }),
    entity('User', 'alice', { profile: { email: 'alice@example.com' }, memberOf: ['payments-team'] }),
  ]);
  const { templates, problems } = loadTemplates([{ path: templatesRoot, origin: 'workspace' }]);
  assert.deepEqual(problems, []);
  return { catalog, policies: DEFAULT_POLICIES, identity: 'alice@example.com', templates, now: () => new Date('2026-12-03T10:00:00Z') };
}

/** A fresh service from svc 1.0.0 under its own parent folder. */
function scaffold(ctx: ScaffoldContext, parent: string): string {
  const v1 = ctx.templates.find((t) => t.id === 'svc')!.versions.find((v) => v.manifest.version === '1.0.0')!;
  const plan = planScaffold(ctx, v1, { name: 'orders', owner: 'group:default/payments-team', description: 'Takes orders.' }, parent);
  assert.deepEqual(plan.violations, []);
  applyPlan(ctx, plan, []);
  return plan.target;
}

const read = (dir: string, path: string): string => readFileSync(join(dir, path), 'utf8');

/** The conflict blocks as VS Code's merge-conflict parser finds them: a line starting `<<<<<<<`, optionally `|||||||`, then `=======`, then `>>>>>>>`. */
function conflictBlocks(text: string): { ours: string[]; base: string[]; theirs: string[] }[] {
  const blocks: { ours: string[]; base: string[]; theirs: string[] }[] = [];
  let cur: { ours: string[]; base: string[]; theirs: string[] } | undefined;
  let part: 'ours' | 'base' | 'theirs' = 'ours';
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('<<<<<<<')) (cur = { ours: [], base: [], theirs: [] }), (part = 'ours');
    else if (cur && line.startsWith('|||||||') && part === 'ours') part = 'base';
    else if (cur && line.startsWith('=======')) part = 'theirs';
    else if (cur && line.startsWith('>>>>>>>') && part === 'theirs') blocks.push(cur), (cur = undefined);
    else if (cur) cur[part].push(line);
  }
  assert.equal(cur, undefined, 'an unterminated conflict block');
  return blocks;
}

describe('template updates', () => {
  let ctx: ScaffoldContext;
  before(() => {
    updateFixtureTemplates(join(tmp, 'templates'));
    ctx = context(join(tmp, 'templates'));
  });

  it('finds the services and their drift: files added, removed and changed with line counts, and the changes text', () => {
    const dir = scaffold(ctx, join(tmp, 'drift'));
    mkdirSync(join(tmp, 'drift/node_modules/x/.paved-road'), { recursive: true });
    writeFileSync(join(tmp, 'drift/node_modules/x/.paved-road/answers.yaml'), readFileSync(join(dir, '.paved-road/answers.yaml')));
    assert.deepEqual(
      findServices([join(tmp, 'drift')]).map((s) => [s.dir, s.record.template, s.record.version]),
      [[dir, 'svc', '1.0.0']],
    );
    const [d, ...rest] = drift(ctx, [join(tmp, 'drift')]);
    assert.equal(rest.length, 0);
    assert.equal(d.dir, dir);
    assert.equal(d.version, '1.0.0');
    assert.equal(d.latest, '2.0.0');
    assert.deepEqual(d.changes, [{ version: '2.0.0', text: 'Node 22.12 base image; replicas and tier in deploy/values.yaml; dependabot.' }]);
    assert.deepEqual(d.missing, ['tier']);
    assert.deepEqual(d.files, [
      { path: '.github/dependabot.yml', state: 'added', added: 5, removed: 0 },
      { path: 'Dockerfile', state: 'changed', added: 2, removed: 2 },
      { path: 'README.md', state: 'changed', added: 1, removed: 1 },
      { path: 'deploy/values.yaml', state: 'changed', added: 2, removed: 0 },
      { path: 'logo.png', state: 'changed', added: 1, removed: 1 },
      { path: 'old.txt', state: 'removed', added: 0, removed: 1 },
    ]);
  });

  it('asks for a new required parameter, and leaves the answers file alone until the update is complete', () => {
    const dir = scaffold(ctx, join(tmp, 'missing'));
    const answersBefore = read(dir, '.paved-road/answers.yaml');
    const first = planUpdate(ctx, dir);
    assert.deepEqual(
      first.missing.map((p) => p.name),
      ['tier'],
    );
    assert.deepEqual(first.files, []);
    assert.throws(() => applyUpdate(ctx, first), /tier/);
    assert.equal(read(dir, '.paved-road/answers.yaml'), answersBefore);
    const second = planUpdate(ctx, dir, undefined, { tier: 'gold' });
    assert.deepEqual(second.missing, []);
    assert.deepEqual(second.violations, []);
    assert.equal(second.answers.replicas, 2); // the new parameter's default
    assert.equal(read(dir, '.paved-road/answers.yaml'), answersBefore); // planning writes nothing
    // A file changed after the plan: nothing is written, the answers stay.
    writeFileSync(join(dir, 'README.md'), `<!-- edited meanwhile -->\n${read(dir, 'README.md')}`);
    const dockerfile = read(dir, 'Dockerfile');
    assert.throws(() => applyUpdate(ctx, second), /README\.md changed since the update was planned/);
    assert.equal(read(dir, 'Dockerfile'), dockerfile);
    assert.ok(!existsSync(join(dir, '.github')));
    assert.equal(read(dir, '.paved-road/answers.yaml'), answersBefore);
    // A folder of the update replaced by a symlink: refused, nothing written.
    const third = planUpdate(ctx, dir, undefined, { tier: 'gold' });
    mkdirSync(join(tmp, 'elsewhere'), { recursive: true });
    symlinkSync(join(tmp, 'elsewhere'), join(dir, '.github'));
    assert.throws(() => applyUpdate(ctx, third), /\.github/);
    assert.equal(read(dir, 'Dockerfile'), dockerfile);
    assert.equal(read(dir, '.paved-road/answers.yaml'), answersBefore);
    unlinkSync(join(dir, '.github'));
    assert.deepEqual(applyUpdate(ctx, planUpdate(ctx, dir, '2.0.0', { tier: 'gold' })).conflicts, []);
    assert.match(read(dir, '.paved-road/answers.yaml'), /version: 2\.0\.0/);
  });

  it('merges a user edit and a template change: clean in different places, conflict markers in the same place; adds, reports, keeps deletions', () => {
    const dir = scaffold(ctx, join(tmp, 'merge'));
    // The user's edits: the README's top (the template changes its bottom), the Dockerfile's final stage
    // base image (the template bumps it too), a deleted file.
    writeFileSync(join(dir, 'README.md'), read(dir, 'README.md').replace('Takes orders.', 'Takes orders from the shop and the app.'));
    writeFileSync(join(dir, 'Dockerfile'), read(dir, 'Dockerfile').replace('FROM node:22.11.0-alpine\n', 'FROM node:22.11.0-alpine3.20\n'));
    unlinkSync(join(dir, 'notes.md'));
    const plan = planUpdate(ctx, dir, undefined, { tier: 'gold' });
    const state = Object.fromEntries(plan.files.map((f) => [f.path, f.state]));
    assert.deepEqual(state, {
      '.github/dependabot.yml': 'added',
      'Dockerfile': 'conflict',
      'README.md': 'clean',
      'deploy/values.yaml': 'clean',
      'logo.png': 'clean', // bytes you left as they were: the template's new ones
      'notes.md': 'deleted-by-you',
      'old.txt': 'removed-by-template',
    });
    const result = applyUpdate(ctx, plan);
    assert.deepEqual(result.conflicts, ['Dockerfile']);
    assert.equal(
      read(dir, 'README.md'),
      '# orders\n\nTakes orders from the shop and the app.\n\nOwned by payments-team.\n\n## Runbook\n\nRestart it.\n\n## On call\n\nThe owning team, paged by the gold tier alerts.\n',
    );
    const docker = read(dir, 'Dockerfile');
    assert.ok(docker.startsWith('FROM node:22.12.0-alpine AS build\n'), docker); // the template's change where the user made none
    assert.deepEqual(conflictBlocks(docker), [{ ours: ['FROM node:22.11.0-alpine3.20'], base: ['FROM node:22.11.0-alpine'], theirs: ['FROM node:22.12.0-alpine'] }]);
    assert.match(docker, /^<<<<<<< yours$/m);
    assert.match(docker, /^\|\|\|\|\|\|\| template 1\.0\.0$/m);
    assert.match(docker, /^>>>>>>> template 2\.0\.0$/m);
    assert.equal(read(dir, 'deploy/values.yaml'), 'name: orders\nport: 8080\nreplicas: 2\ntier: gold\n');
    assert.ok(read(dir, '.github/dependabot.yml').startsWith('version: 2\n'));
    assert.equal(read(dir, 'old.txt'), 'gone in 2.0.0\n'); // reported, kept
    assert.ok(!existsSync(join(dir, 'notes.md'))); // reported, not recreated
    const answers = read(dir, '.paved-road/answers.yaml');
    assert.match(answers, /version: 2\.0\.0/);
    assert.match(answers, /tier: gold/);
    assert.match(answers, /replicas: 2/);
    assert.doesNotMatch(answers, /old\.txt/);
    const audit = read(dir, '.paved-road/audit.jsonl').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(
      audit.map((a) => a.action),
      ['scaffold', 'update'],
    );
    assert.equal(audit[1].version, '2.0.0');
    assert.equal(audit[1].who, 'alice@example.com');
    assert.deepEqual(audit[1].files, ['.github/dependabot.yml', 'Dockerfile', 'README.md', 'deploy/values.yaml', 'logo.png']);
    assert.deepEqual([...readFileSync(join(dir, 'logo.png'))], [0x89, 0x50, 0x4e, 0x47, 0xff, 0x00, 0x02]);
    // Up to date now: no drift, and an update changes nothing.
    assert.deepEqual(drift(ctx, [join(tmp, 'merge')]), []);
  });

  it('merges a new template file that is already there with an empty base', () => {
    const dir = scaffold(ctx, join(tmp, 'both-added'));
    mkdirSync(join(dir, '.github'));
    writeFileSync(join(dir, '.github/dependabot.yml'), 'version: 2\nupdates:\n  - package-ecosystem: docker\n    directory: /\n    schedule: { interval: weekly }\n');
    const plan = planUpdate(ctx, dir, undefined, { tier: 'bronze' });
    const f = plan.files.find((x) => x.path === '.github/dependabot.yml')!;
    assert.equal(f.state, 'conflict');
    assert.deepEqual(conflictBlocks(f.content!), [{ ours: ['  - package-ecosystem: docker'], base: [], theirs: ['  - package-ecosystem: npm'] }]);
  });

  it('keeps a binary file both sides changed, reported as a conflict without markers', () => {
    const dir = scaffold(ctx, join(tmp, 'binary'));
    writeFileSync(join(dir, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0x00, 0x09]));
    const plan = planUpdate(ctx, dir, undefined, { tier: 'gold' });
    assert.deepEqual(
      plan.files.find((f) => f.path === 'logo.png'),
      { path: 'logo.png', state: 'conflict', binary: true, oursHash: plan.files.find((f) => f.path === 'logo.png')!.oursHash },
    );
    const result = applyUpdate(ctx, plan);
    assert.deepEqual(result.conflicts, ['logo.png']);
    assert.ok(!result.written.includes('logo.png'));
    assert.deepEqual([...readFileSync(join(dir, 'logo.png'))], [0x89, 0x50, 0x4e, 0x47, 0xff, 0x00, 0x09]);
  });

  it('changes answers at the same version (re-rendered and merged), and drops answers the new version no longer asks', () => {
    const dir = scaffold(ctx, join(tmp, 'answers'));
    writeFileSync(join(dir, 'notes.md'), `${read(dir, 'notes.md')}Mine.\n`);
    const same = planUpdate(ctx, dir, '1.0.0', { description: 'Takes and tracks orders.' });
    assert.equal(same.to, '1.0.0');
    assert.deepEqual(same.dropped, []);
    assert.deepEqual(
      same.files.filter((f) => f.state !== 'unchanged').map((f) => [f.path, f.state]),
      [['README.md', 'clean']],
    );
    applyUpdate(ctx, same);
    assert.match(read(dir, 'README.md'), /^Takes and tracks orders\.$/m);
    assert.match(read(dir, '.paved-road/answers.yaml'), /^ {2}description: Takes and tracks orders\.$/m);
    // An answer to a parameter 2.0.0 does not have: dropped, and said so.
    writeFileSync(join(dir, '.paved-road/answers.yaml'), read(dir, '.paved-road/answers.yaml').replace('answers:\n', 'answers:\n  legacy: yes\n'));
    const next = planUpdate(ctx, dir, undefined, { tier: 'bronze' });
    assert.deepEqual(next.dropped, ['legacy']);
    assert.equal(next.answers.legacy, undefined);
    assert.deepEqual(next.violations, []);
  });

  it('reports the services it cannot compare: a version no longer there, an unknown template, an unreadable answers file', () => {
    const root = join(tmp, 'problems');
    const dir = scaffold(ctx, root);
    const answers = read(dir, '.paved-road/answers.yaml');
    const service = (name: string, text: string): void => {
      mkdirSync(join(root, name, '.paved-road'), { recursive: true });
      writeFileSync(join(root, name, '.paved-road/answers.yaml'), text);
    };
    service('gone-version', answers.replace('version: 1.0.0', 'version: 0.9.0'));
    service('gone-template', answers.replace('template: svc', 'template: nothing'));
    service('broken', 'template: [\n');
    const problems = drift(ctx, [root]).filter((d) => d.problem).map((d) => [d.dir.slice(root.length + 1), d.problem]);
    assert.equal(problems.length, 3);
    assert.match(problems[0][1]!, /answers\.yaml: not valid YAML/);
    assert.equal(problems[1][1], 'the template nothing is not among the templates');
    assert.match(problems[2][1]!, /^version 0\.9\.0 of svc is no longer there \(it has 2\.0\.0, 1\.0\.0\)/);
    assert.throws(() => planUpdate(ctx, join(root, 'gone-version')), /version 0\.9\.0 of the template svc .* is not among its versions: 2\.0\.0, 1\.0\.0/);
  });

  it("keeps a CRLF file CRLF and a file's mode", () => {
    const dir = scaffold(ctx, join(tmp, 'crlf'));
    writeFileSync(join(dir, 'README.md'), read(dir, 'README.md').replace('Takes orders.', 'Takes orders, on Windows.').replaceAll('\n', '\r\n'));
    chmodSync(join(dir, 'Dockerfile'), 0o600);
    const result = applyUpdate(ctx, planUpdate(ctx, dir, undefined, { tier: 'gold' }));
    assert.deepEqual(result.conflicts, []);
    const readme = read(dir, 'README.md');
    assert.ok(readme.includes('Takes orders, on Windows.\r\n') && readme.includes('paged by the gold tier alerts.\r\n'), readme);
    assert.doesNotMatch(readme, /[^\r]\n/);
    assert.equal(statSync(join(dir, 'Dockerfile')).mode & 0o777, 0o600);
  });
});
