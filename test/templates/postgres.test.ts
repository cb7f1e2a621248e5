/**
 * The postgres-database addition applied to a service made from node-service: the Terraform module call in
 * infrastructure/, the Resource appended to catalog-info.yaml, the Component's dependsOn edge, comments and
 * formatting kept, the result passing the catalog check with no problem; applied twice, nothing changes.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readAnswers } from '../../server/src/scaffolding/answers';
import { planAddition } from '../../server/src/scaffolding/plan';
import { applyPlan } from '../../server/src/scaffolding/write';
import { add, catalogProblems, context, listFiles, scaffold, tempDir, template, yamlDocs } from './fixture';

const tmp = tempDir('postgres');
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('postgres-database@1.0.0 added to a node-service', () => {
  const ctx = context();
  const service = scaffold(ctx, 'node-service', { name: 'payments-api', owner: 'payments-team', system: 'checkout-platform', lifecycle: 'production', repository: 'acme/payments-api' }, tmp).target;
  const catalogPath = join(service, 'catalog-info.yaml');
  // A hand edit the addition must keep: a comment and the user's own formatting.
  const before = readFileSync(catalogPath, 'utf8').replace('spec:\n  type: service\n', 'spec:\n  type: service # a public API\n');
  writeFileSync(catalogPath, before);
  const filesBefore = listFiles(service);
  const plan = add(ctx, 'postgres-database', { name: 'payments-db', highAvailability: true, instanceClass: 'db.m7g.large', storageGb: 100 }, service);

  it("takes the service's name, owner and system as its defaults", () => {
    assert.equal(plan.answers.service, 'payments-api');
    assert.equal(plan.answers.owner, 'group:default/payments-team');
    assert.equal(plan.answers.system, 'system:default/checkout-platform');
    assert.equal(plan.answers.postgresVersion, '16');
  });

  it('writes the Terraform module call into infrastructure/, and only that file beside the catalog edits', () => {
    const added = listFiles(service).filter((f) => !filesBefore.includes(f));
    assert.deepEqual(added, ['infrastructure/postgres-payments-db.tf']);
    const tf = readFileSync(join(service, 'infrastructure/postgres-payments-db.tf'), 'utf8');
    assert.match(tf, /^module "postgres_payments_db" \{$/m);
    assert.match(tf, /^  source  = "terraform-aws-modules\/rds\/aws"$/m);
    assert.match(tf, /^  version = "\d+\.\d+\.\d+"$/m, 'the module version is pinned');
    assert.match(tf, /^  identifier = "payments-db"$/m);
    assert.match(tf, /^  engine_version {7}= "16"$/m);
    assert.match(tf, /^  instance_class {7}= "db\.m7g\.large"$/m);
    assert.match(tf, /^  allocated_storage {5}= 100$/m);
    assert.match(tf, /^  multi_az {15}= true$/m);
    assert.match(tf, /^  storage_encrypted {5}= true$/m);
    assert.match(tf, /^  db_name {29}= "payments_db"$/m);
    assert.match(tf, /^  deletion_protection {14}= true$/m);
    assert.match(tf, /^output "postgres_payments_db_endpoint" \{$/m);
    assert.doesNotMatch(tf, /\{\{/);
    const opens = tf.split('{').length;
    assert.equal(opens, tf.split('}').length, 'braces balance');
  });

  it('appends the Resource and adds the dependsOn edge, keeping the comment, and the catalog check passes with no problem', () => {
    const after = readFileSync(catalogPath, 'utf8');
    assert.ok(after.includes('  type: service # a public API\n'), 'the comment is kept');
    assert.ok(after.startsWith(before.slice(0, before.indexOf('spec:'))), 'the Component before spec is untouched');
    const [component, resource, ...rest] = yamlDocs(catalogPath);
    assert.deepEqual(rest, []);
    assert.deepEqual(component.spec.dependsOn, ['resource:payments-db']);
    assert.equal(resource.kind, 'Resource');
    assert.equal(resource.metadata.name, 'payments-db');
    assert.equal(resource.metadata.annotations['paved-road.dev/template'], 'postgres-database@1.0.0');
    assert.equal(resource.spec.type, 'database');
    assert.equal(resource.spec.owner, 'group:default/payments-team');
    assert.equal(resource.spec.system, 'system:default/checkout-platform');
    assert.deepEqual(catalogProblems(catalogPath), []);
  });

  it('records the addition in answers.yaml', () => {
    const record = readAnswers(service);
    assert.equal(record?.template, 'node-service');
    assert.deepEqual(record?.additions?.map((a) => [a.template, a.version, a.answers.name]), [['postgres-database', '1.0.0', 'payments-db']]);
    assert.deepEqual(Object.keys(record?.additions?.[0].files ?? {}), ['infrastructure/postgres-payments-db.tf']);
  });

  it('applied twice changes nothing', () => {
    const snapshot = new Map(listFiles(service).map((f) => [f, readFileSync(join(service, f), 'utf8')]));
    const again = planAddition(ctx, template(ctx, 'postgres-database'), { name: 'payments-db', highAvailability: true, instanceClass: 'db.m7g.large', storageGb: 100 }, service);
    assert.deepEqual(again.violations, []);
    assert.deepEqual(again.files.map((f) => [f.path, f.state]), [['infrastructure/postgres-payments-db.tf', 'same']]);
    assert.deepEqual(applyPlan(ctx, again, []).written, []);
    for (const [f, text] of snapshot) assert.equal(readFileSync(join(service, f), 'utf8'), text, `${f} unchanged`);
  });

  it('adds a second database beside the first, with its own file, Resource and edge', () => {
    add(ctx, 'postgres-database', { name: 'payments-reporting-db', postgresVersion: '17' }, service);
    const [component, ...resources] = yamlDocs(catalogPath);
    assert.deepEqual(component.spec.dependsOn, ['resource:payments-db', 'resource:payments-reporting-db']);
    assert.deepEqual(resources.map((r) => r.metadata.name), ['payments-db', 'payments-reporting-db']);
    assert.match(readFileSync(join(service, 'infrastructure/postgres-payments-reporting-db.tf'), 'utf8'), /^module "postgres_payments_reporting_db" \{$/m);
    assert.deepEqual(catalogProblems(catalogPath), []);
  });
});
