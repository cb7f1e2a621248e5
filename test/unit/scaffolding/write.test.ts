/** Planning and writing: a new service whole or nothing, consent before overwriting, answers.yaml and the audit trail, additions applied twice. */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse } from 'yaml';
import { readAnswers } from '../../../server/src/scaffolding/answers';
import { planAddition, planScaffold } from '../../../server/src/scaffolding/plan';
import { findTemplate } from '../../../server/src/scaffolding/templates';
import { ScaffoldError, type Answers, type ScaffoldContext } from '../../../server/src/scaffolding/types';
import { applyPlan } from '../../../server/src/scaffolding/write';
import { PNG, SERVICE_MANIFEST, context, fixtureTemplates, write } from './fixture';

const tmp = mkdtempSync(join(tmpdir(), 'pr-write-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const templatesRoot = join(tmp, 'templates');
fixtureTemplates(templatesRoot);

const answers: Answers = { name: 'orders', owner: 'payments-team', lifecycle: 'production' };
let n = 0;
const freshParent = (): string => join(tmp, `parent-${++n}`);

function scaffold(ctx: ScaffoldContext, parent: string, given = answers): string {
  const plan = planScaffold(ctx, findTemplate(ctx.templates, 'svc')!, given, parent);
  assert.deepEqual(plan.violations, []);
  applyPlan(ctx, plan, []);
  return plan.target;
}

describe('writing a new service', () => {
  it('writes every file, answers.yaml and one audit line', () => {
    const ctx = context(templatesRoot);
    const parent = freshParent();
    const plan = planScaffold(ctx, findTemplate(ctx.templates, 'svc')!, answers, parent);
    assert.equal(plan.target, join(parent, 'orders'));
    assert.deepEqual(plan.files.map((f) => [f.path, f.state]), [
      ['.github/workflows/ci.yml', 'new'],
      ['README.md', 'new'],
      ['bin/run.sh', 'new'],
      ['catalog-info.yaml', 'new'],
      ['logo.png', 'new'],
      ['src/orders.ts', 'new'],
      ['.paved-road/answers.yaml', 'new'],
    ]);
    const { written } = applyPlan(ctx, plan, []);
    assert.equal(written.length, 7);
    const dir = plan.target;
    assert.equal(readFileSync(join(dir, 'src/orders.ts'), 'utf8'), 'export const name = "orders";\n');
    assert.ok(readFileSync(join(dir, 'logo.png')).equals(PNG));
    assert.equal(statSync(join(dir, 'bin/run.sh')).mode & 0o777, 0o755);
    assert.equal(statSync(join(dir, 'README.md')).mode & 0o777, 0o644);
    assert.deepEqual(readdirSync(parent), ['orders']); // no temporary folder left beside it

    const text = readFileSync(join(dir, '.paved-road/answers.yaml'), 'utf8');
    assert.match(text, /^# Written by Paved Road: change answers with "Paved Road: Update from Template", not by hand\.\n/);
    const rec = readAnswers(dir)!;
    assert.deepEqual({ ...rec, files: Object.keys(rec.files) }, {
      template: 'svc',
      version: '1.0.0',
      origin: 'workspace',
      answers: { name: 'orders', owner: 'group:default/payments-team', lifecycle: 'production', tags: [], port: 8080 },
      files: ['.github/workflows/ci.yml', 'README.md', 'bin/run.sh', 'catalog-info.yaml', 'logo.png', 'src/orders.ts'],
      additions: undefined,
    });
    assert.match(rec.files['README.md'], /^sha256-[0-9a-f]{64}$/);

    const audit = readFileSync(join(dir, '.paved-road/audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(audit, [
      {
        at: '2026-12-03T10:00:00.000Z',
        who: 'alice@example.com',
        role: 'developer',
        audited: false,
        action: 'scaffold',
        template: 'svc',
        version: '1.0.0',
        answers: rec.answers,
        files: written,
      },
    ]);
  });

  it('leaves nothing behind when a write fails half-way', () => {
    // A template whose files collide once rendered: `{{name}}` is a file and `{{other}}/x` wants it as a
    // folder, so the second write fails for real (ENOTDIR) after the first one succeeded.
    const root = join(tmp, 'broken');
    write(join(root, 'clash/1.0.0/template.yaml'), SERVICE_MANIFEST.replace('id: svc', 'id: clash').replace("target: '{{name}}'", ''));
    write(join(root, 'clash/1.0.0/files/a-first.txt'), 'written first\n');
    write(join(root, 'clash/1.0.0/files/{{name}}'), 'a file\n');
    write(join(root, 'clash/1.0.0/files/{{other}}/x'), 'under a file\n');
    const ctx = context(root);
    const parent = freshParent();
    const plan = planScaffold(ctx, findTemplate(ctx.templates, 'clash')!, { ...answers, other: 'orders' }, join(parent, 'deep'));
    assert.deepEqual(plan.violations, []);
    assert.throws(() => applyPlan(ctx, plan, []), (e: unknown) => e instanceof ScaffoldError && /nothing written to .*orders/.test((e as Error).message));
    assert.equal(existsSync(parent), false, 'not even the parent folders made for it');
    // the same into an existing parent: the parent stays, empty
    mkdirSync(parent);
    const again = planScaffold(ctx, findTemplate(ctx.templates, 'clash')!, { ...answers, other: 'orders' }, parent);
    assert.throws(() => applyPlan(ctx, again, []), ScaffoldError);
    assert.deepEqual(readdirSync(parent), []);
    // and into an empty target folder made beforehand: it stays, empty
    mkdirSync(join(parent, 'orders'));
    assert.throws(() => applyPlan(ctx, again, []), ScaffoldError);
    assert.deepEqual(readdirSync(parent), ['orders']);
    assert.deepEqual(readdirSync(join(parent, 'orders')), []);
    // an empty target folder is filled whole by the rename
    const svc = context(templatesRoot);
    const ok = planScaffold(svc, findTemplate(svc.templates, 'svc')!, answers, parent);
    applyPlan(svc, ok, []);
    assert.deepEqual(readdirSync(parent), ['orders']);
    assert.ok(existsSync(join(parent, 'orders/.paved-road/answers.yaml')));
  });

  it('never overwrites a file that differs without consent, and overwrites the consented ones', () => {
    const ctx = context(templatesRoot);
    const parent = freshParent();
    const dir = join(parent, 'orders');
    write(join(dir, 'README.md'), 'my own readme\n');
    write(join(dir, 'src/orders.ts'), 'export const name = "orders";\n');
    const v = findTemplate(ctx.templates, 'svc')!;
    const plan = planScaffold(ctx, v, answers, parent);
    assert.deepEqual(plan.files.filter((f) => f.state !== 'new').map((f) => [f.path, f.state]), [
      ['README.md', 'changed'],
      ['src/orders.ts', 'same'],
    ]);
    assert.throws(() => applyPlan(ctx, plan, []), /nothing written: README\.md already exists in .* and differs: consent to overwrite it, or move it away/);
    assert.deepEqual(readdirSync(dir).sort(), ['README.md', 'src']);
    assert.equal(readFileSync(join(dir, 'README.md'), 'utf8'), 'my own readme\n');
    const { written } = applyPlan(ctx, plan, ['README.md']);
    assert.ok(written.includes('README.md') && !written.includes('src/orders.ts'));
    assert.match(readFileSync(join(dir, 'README.md'), 'utf8'), /^# orders/);
  });

  it('refuses answers that escape the target, and symlinks in the target that lead outside', () => {
    const ctx = context(templatesRoot);
    const v = findTemplate(ctx.templates, 'svc')!;
    // no pattern on the name in this manifest: only the path check stands between the answer and /etc
    const loose = { ...v, manifest: { ...v.manifest, parameters: { ...v.manifest.parameters, properties: { ...v.manifest.parameters.properties, name: { type: 'string' } } } } };
    const parent = freshParent();
    const plan = planScaffold({ ...ctx, policies: { ...ctx.policies, naming: undefined } }, loose, { ...answers, name: '../../etc' }, parent);
    assert.deepEqual(plan.violations.map((x) => x.rule), ['unsafe-path']);
    assert.match(plan.violations[0].message, /unsafe path "\.\.\/\.\.\/etc": it goes up with \.\.: change the answers/);
    assert.throws(() => applyPlan(ctx, plan, []), /nothing written/);
    assert.equal(existsSync(parent), false);

    const outside = join(tmp, 'outside');
    mkdirSync(outside, { recursive: true });
    const dir = join(freshParent(), 'orders');
    mkdirSync(dir, { recursive: true });
    symlinkSync(outside, join(dir, 'src'));
    const through = planScaffold(ctx, v, answers, join(dir, '..'));
    assert.deepEqual(through.violations.map((x) => [x.rule, x.message.split(' would')[0]]), [['unsafe-path', 'src/orders.ts']]);
    assert.throws(() => applyPlan(ctx, through, ['src/orders.ts']), ScaffoldError);
    assert.deepEqual(readdirSync(outside), []);
  });
});

describe('an addition', () => {
  const service = (): string => {
    const ctx = context(templatesRoot);
    const dir = scaffold(ctx, freshParent());
    // the service's own catalog-info.yaml, edited by hand: comments and CRLF must survive the edit
    writeFileSync(join(dir, 'catalog-info.yaml'), '# The orders service.\r\napiVersion: backstage.io/v1alpha1\r\nkind: Component\r\nmetadata:\r\n  name: orders\r\nspec:\r\n  type: service   # an HTTP API\r\n  lifecycle: production\r\n  owner: group:default/payments-team\r\n  dependsOn:\r\n    - component:billing   # invoices\r\n');
    return dir;
  };

  it('writes its files, edits catalog-info.yaml in place, records itself; applied twice, changes nothing', () => {
    const ctx = context(templatesRoot);
    const dir = service();
    const db = findTemplate(ctx.templates, 'db')!;
    const plan = planAddition(ctx, db, { name: 'orders' }, dir);
    assert.deepEqual(plan.violations, []);
    assert.deepEqual(plan.files.map((f) => [f.path, f.state]), [
      ['infrastructure/postgres-orders.tf', 'new'],
      ['catalog-info.yaml', 'edit'],
      ['.paved-road/answers.yaml', 'edit'],
    ]);
    applyPlan(ctx, plan, []);
    assert.equal(
      readFileSync(join(dir, 'catalog-info.yaml'), 'utf8'),
      '# The orders service.\r\napiVersion: backstage.io/v1alpha1\r\nkind: Component\r\nmetadata:\r\n  name: orders\r\nspec:\r\n  type: service   # an HTTP API\r\n  lifecycle: production\r\n  owner: group:default/payments-team\r\n  dependsOn:\r\n    - component:billing   # invoices\r\n    - resource:orders-db\r\n---\r\napiVersion: backstage.io/v1alpha1\r\nkind: Resource\r\nmetadata:\r\n  name: orders-db\r\nspec:\r\n  type: database\r\n  owner: group:default/payments-team\r\n',
    );
    assert.match(readFileSync(join(dir, 'infrastructure/postgres-orders.tf'), 'utf8'), /module "orders_db" \{\n/);
    const rec = readAnswers(dir)!;
    assert.deepEqual(rec.additions!.map((a) => [a.template, a.version, a.answers, Object.keys(a.files)]), [['db', '1.0.0', { owner: 'group:default/payments-team', name: 'orders', size: 'small' }, ['infrastructure/postgres-orders.tf']]]);
    const before = readdirSync(dir, { recursive: true }).map((p) => [p, statSync(join(dir, String(p))).isFile() ? readFileSync(join(dir, String(p)), 'utf8') : '']);

    const twice = planAddition(ctx, db, { name: 'orders' }, dir);
    assert.deepEqual(twice.violations, [], 'its own Resource is not a name taken');
    assert.deepEqual(twice.files.map((f) => [f.path, f.state]), [['infrastructure/postgres-orders.tf', 'same']]);
    assert.deepEqual(applyPlan(ctx, twice, []), { written: [] });
    const afterwards = readdirSync(dir, { recursive: true }).map((p) => [p, statSync(join(dir, String(p))).isFile() ? readFileSync(join(dir, String(p)), 'utf8') : '']);
    assert.deepEqual(afterwards, before);
    assert.equal(readFileSync(join(dir, '.paved-road/audit.jsonl'), 'utf8').trim().split('\n').length, 2);
    const line = JSON.parse(readFileSync(join(dir, '.paved-road/audit.jsonl'), 'utf8').trim().split('\n')[1]);
    assert.deepEqual([line.action, line.template, line.files], ['add', 'db', ['infrastructure/postgres-orders.tf', 'catalog-info.yaml', '.paved-road/answers.yaml']]);
  });

  it("checks the service's owner against the user's teams, and names taken elsewhere", () => {
    const dir = service();
    const searcher = context(templatesRoot, 'alice@example.com');
    const catalogInfo = join(dir, 'catalog-info.yaml');
    writeFileSync(catalogInfo, readFileSync(catalogInfo, 'utf8').replace('payments-team', 'search-team'));
    const db = findTemplate(searcher.templates, 'db')!;
    assert.deepEqual(planAddition(searcher, db, { name: 'orders' }, dir).violations.map((v) => v.rule), ['own-team']);
    const pat = context(templatesRoot, 'pat@example.com');
    assert.deepEqual(planAddition(pat, db, { name: 'orders' }, dir).violations, []);
    assert.deepEqual(planAddition(pat, db, { name: 'taken' }, dir).violations, []); // a Component named taken, not a Resource
    assert.throws(() => planAddition(pat, db, { name: 'x' }, join(tmp, 'nowhere')), /has no catalog-info\.yaml: apply additions to a service folder/);
    assert.equal(parse(readFileSync(catalogInfo, 'utf8').split('---')[0]).spec.owner, 'group:default/search-team');
  });
});
