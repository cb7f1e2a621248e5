/** The CLI as CI uses it: formats, exit codes, folders, policies. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';

const ROOT = resolve(__dirname, '../..');
const CLI = join(ROOT, 'dist/cli.js');
const FIXTURES = join(ROOT, 'test/fixtures/workspace');

function run(args: string[], cwd = ROOT): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 30000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tmp = mkdtempSync(join(tmpdir(), 'paved-road-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('paved-road validate', () => {
  it('text format: one line per problem at file:line:col, and a summary; exit 1 on errors', () => {
    const r = run(['validate', '--whole-catalog', 'test/fixtures/workspace/invalid/catalog-info.yaml']);
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 12);
    assert.equal(
      lines[0],
      "test/fixtures/workspace/invalid/catalog-info.yaml:5:9 error name-format metadata.name 'Billing Gateway' must be 1-63 characters of letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
    );
    assert.match(lines[1], /:6:14 error namespace-format /);
    assert.match(lines[6], /:17:10 warning ref-not-found 'group:fixture-team' not found in the catalog$/);
    assert.match(lines[8], /:20:1 error root-unknown-key status is computed by the catalog/);
    assert.equal(lines[11], '1 file, 3 entities: 10 errors, 1 warning');
  });

  it('github format: one annotation per problem on its range (1-based), with runner escapes, then the summary', () => {
    const dir = join(tmp, 'odd, name: here');
    mkdirSync(dir, { recursive: true });
    // A message with '%' (from the value) and a path with ',' and ':' that the runner must not split on.
    writeFileSync(join(dir, 'catalog-info.yaml'), 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: "50%-off"\nspec:\n  type: service\n  lifecycle: production\n  owner: group:nobody\n');
    const r = run(['validate', '--format', 'github', '--whole-catalog', 'catalog-info.yaml'], dir);
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.deepEqual(lines, [
      "::error file=catalog-info.yaml,line=4,col=9,endLine=4,endColumn=17,title=paved-road name-format::metadata.name '50%25-off' must be 1-63 characters of letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
      "::warning file=catalog-info.yaml,line=8,col=10,endLine=8,endColumn=21,title=paved-road ref-not-found::'group:nobody' not found in the catalog",
      '1 file, 1 entity: 1 error, 1 warning',
    ]);
    const outside = run(['validate', '--format', 'github', join(dir, 'catalog-info.yaml')], tmp);
    assert.match(outside.stdout, /^::error file=odd%2C name%3A here\/catalog-info\.yaml,line=4,/);
  });

  it('json format: one line per document with 0-based ranges and a verdict', () => {
    const r = run(['validate', '--format', 'json', 'test/fixtures/workspace/invalid/catalog-info.yaml']);
    assert.equal(r.code, 1);
    const docs = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(docs.length, 3);
    assert.deepEqual(Object.keys(docs[0]), ['file', 'docIndex', 'kind', 'namespace', 'name', 'ref', 'valid', 'errors']);
    assert.equal(docs[0].ref, 'component:finance/billing gateway');
    assert.equal(docs[0].valid, false);
    assert.deepEqual(docs[0].errors[0], {
      code: 'name-format',
      message: "metadata.name 'Billing Gateway' must be 1-63 characters of letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
      severity: 'error',
      range: { start: { line: 4, character: 8 }, end: { line: 4, character: 23 } },
    });
    assert.deepEqual(
      docs.map((d) => [d.docIndex, d.kind, d.name]),
      [
        [0, 'Component', 'Billing Gateway'],
        [1, 'Group', 'billing-team'],
        [2, 'Resource', 'billing-db'],
      ],
    );
  });

  it('checks references across every file it is given, as the editor does', () => {
    const alone = run(['validate', '--whole-catalog', 'test/fixtures/workspace/worker']);
    assert.equal(alone.code, 0);
    assert.match(alone.stdout, /warning ref-not-found 'group:fixture-team' not found in the catalog/);
    const together = run(['validate', '--format', 'json', 'test/fixtures/workspace']);
    const docs = together.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const invalid = docs.find((d) => d.ref === 'component:finance/billing gateway');
    assert.deepEqual(
      invalid.errors.filter((e: { severity: string }) => e.severity === 'warning').map((e: { code: string; message: string }) => [e.code, e.message]),
      [['ref-not-found', "'group:fixture-team' not found; did you mean 'group:default/fixture-team'?"]],
    );
    assert.equal(invalid.valid, false);
  });

  it('folders are searched recursively; non-catalog YAML is skipped; valid files exit 0', () => {
    const r = run(['validate', 'test/fixtures/workspace/worker', 'test/fixtures/workspace/services.yaml', 'test/fixtures/workspace/catalog-info.yaml']);
    assert.equal(r.code, 0, r.stdout);
    assert.equal(r.stdout.trim(), '3 files, 8 entities: 0 errors, 0 warnings');
    const all = run(['validate', '--format=json', FIXTURES]);
    const files = new Set(all.stdout.trim().split('\n').map((l) => JSON.parse(l).file));
    assert.ok(![...files].some((f) => /docker-compose|workflows/.test(f)), [...files].join(', '));
    assert.ok([...files].some((f) => f.endsWith('services.yaml')));
  });

  it('warnings alone exit 0, and policies come from the nearest .paved-road/policies.yaml', () => {
    const dir = join(tmp, 'repo');
    mkdirSync(join(dir, '.paved-road'), { recursive: true });
    mkdirSync(join(dir, 'svc'), { recursive: true });
    writeFileSync(
      join(dir, 'svc/catalog-info.yaml'),
      'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc\nspec:\n  type: service\n  lifecycle: beta\n  owner: team-a\n',
    );
    let r = run(['validate', 'svc'], dir);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /svc\/catalog-info.yaml:7:14 warning policy-lifecycle lifecycle 'beta' is not one of/);
    assert.match(r.stdout, /:8:10 warning policy-owner-typed owner 'team-a' should name its kind/);
    writeFileSync(join(dir, '.paved-road/policies.yaml'), 'lifecycles: [alpha, beta, ga]\ntypedOwner: false\nrequiredAnnotations:\n  beta: [pagerduty.com/service-id]\n');
    r = run(['validate', 'svc'], dir);
    assert.equal(r.code, 0);
    assert.doesNotMatch(r.stdout, /policy-lifecycle|policy-owner-typed/);
    assert.match(r.stdout, /warning policy-annotation-required annotation 'pagerduty.com\/service-id' is required for lifecycle 'beta'/);
    writeFileSync(join(dir, '.paved-road/policies.yaml'), 'severity: error\nlifecycles: [ga]\n');
    assert.equal(run(['validate', 'svc'], dir).code, 1);
  });

  it('in a service repository, references defined elsewhere are quiet; a near miss is still reported; the whole catalog is said by a flag or the policies', () => {
    const dir = join(tmp, 'service-repo');
    mkdirSync(dir, { recursive: true });
    const component = (owner: string, system: string): string =>
      `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: payments\nspec:\n  type: service\n  lifecycle: production\n  owner: ${owner}\n  system: ${system}\n  dependsOn: [resource:payments-db]\n---\napiVersion: backstage.io/v1alpha1\nkind: System\nmetadata:\n  name: payments-core\nspec:\n  owner: ${owner}\n`;
    writeFileSync(join(dir, 'catalog-info.yaml'), component('group:payments-team', 'payments'));
    let r = run(['validate', '.'], dir);
    assert.equal(r.code, 0, r.stdout);
    assert.equal(r.stdout.trim(), '1 file, 2 entities: 0 errors, 0 warnings');
    // A typo of what the repository does define is a typo, complete catalog or not.
    writeFileSync(join(dir, 'catalog-info.yaml'), component('group:payments-team', 'payments-cor'));
    r = run(['validate', '.'], dir);
    assert.deepEqual(r.stdout.trim().split('\n'), ["catalog-info.yaml:9:11 warning ref-not-found system 'payments-cor' not found; did you mean 'payments-core'?", '1 file, 2 entities: 0 errors, 1 warning']);
    writeFileSync(join(dir, 'catalog-info.yaml'), component('group:payments-team', 'payments'));
    const whole = [
      "catalog-info.yaml:8:10 warning ref-not-found 'group:payments-team' not found in the catalog",
      "catalog-info.yaml:9:11 warning ref-not-found system 'payments' not found in the catalog",
      "catalog-info.yaml:10:15 warning ref-not-found 'resource:payments-db' not found in the catalog",
      "catalog-info.yaml:17:10 warning ref-not-found 'group:payments-team' not found in the catalog",
      '1 file, 2 entities: 0 errors, 4 warnings',
    ];
    assert.deepEqual(run(['validate', '--whole-catalog', '.'], dir).stdout.trim().split('\n'), whole);
    mkdirSync(join(dir, '.paved-road'), { recursive: true });
    writeFileSync(join(dir, '.paved-road/policies.yaml'), 'wholeCatalog: true\n');
    assert.deepEqual(run(['validate', '.'], dir).stdout.trim().split('\n'), whole);
    writeFileSync(join(dir, '.paved-road/policies.yaml'), 'wholeCatalog: yes please\n');
    r = run(['validate', '.'], dir);
    assert.match(r.stderr, /wholeCatalog must be true or false/);
  });

  it('usage errors exit 2 with a clear message on stderr', () => {
    for (const [args, msg] of [
      [['validate'], /missing PATH/],
      [['validate', '--bogus', '.'], /unknown option '--bogus'/],
      [['validate', '--format', 'xml', '.'], /--format must be text, json or github/],
      [['validate', 'does/not/exist.yaml'], /no such file or folder: does\/not\/exist.yaml/],
      [['frobnicate'], /unknown command 'frobnicate'/],
    ] as const) {
      const r = run([...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}`);
      assert.match(r.stderr, msg);
      assert.equal(r.stdout, '');
    }
  });
});
