/** The golden-path commands of the CLI on a small repository: templates, scaffold, add; exit codes, the policy's words, never overwriting. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { fixtureTemplates, write } from '../unit/scaffolding/fixture';

const ROOT = resolve(__dirname, '../..');
const CLI = join(ROOT, 'dist/cli.js');

const tmp = mkdtempSync(join(tmpdir(), 'paved-road-scaffold-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function run(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 30000, env: { PATH: process.env.PATH, HOME: tmp, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A repository: its policies, its own templates, and the organisation in a catalog file. */
function repository(name: string): string {
  const repo = join(tmp, name);
  fixtureTemplates(join(repo, '.paved-road/templates'));
  write(
    join(repo, '.paved-road/policies.yaml'),
    `naming: { pattern: '^[a-z][a-z0-9-]{1,30}[a-z0-9]$', message: 'lower-case letters, digits and dashes, 3-32 characters' }
roles:
  developer: { scaffold: own-team }
  platform-engineer: { scaffold: any, audited: true, groups: [group:default/platform-team] }
  auditor: { scaffold: none, groups: [group:default/audit] }
defaultRole: developer
`,
  );
  const group = (n: string, members = ''): string => `apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: ${n}\nspec:\n  type: team\n  children: []\n${members}`;
  const user = (n: string, team: string): string => `apiVersion: backstage.io/v1alpha1\nkind: User\nmetadata:\n  name: ${n}\nspec:\n  profile:\n    email: ${n}@example.com\n  memberOf: [${team}]\n`;
  write(join(repo, 'org/catalog-info.yaml'), [group('payments-team'), group('search-team'), group('platform-team'), group('audit'), user('alice', 'payments-team'), user('pat', 'platform-team'), user('audrey', 'audit'), 'apiVersion: backstage.io/v1alpha1\nkind: System\nmetadata:\n  name: shop\nspec:\n  owner: payments-team\n'].join('---\n'));
  mkdirSync(join(repo, 'services'));
  return repo;
}

describe('paved-road templates', () => {
  it("lists the repository's templates and the bundled ones, as text and JSON", () => {
    const repo = repository('list');
    const text = run(['templates'], repo);
    assert.equal(text.code, 0, text.stderr);
    const lines = text.stdout.trim().split('\n');
    assert.match(lines[0], /^TEMPLATE +VERSIONS +TYPE +TITLE$/);
    assert.ok(lines.some((l) => /^svc +1\.0\.0 +service +Fixture service$/.test(l)), text.stdout);
    assert.ok(lines.some((l) => /^db +1\.0\.0 +addition +Fixture database$/.test(l)), text.stdout);
    const json = run(['templates', '--format', 'json'], repo).stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(json.find((t) => t.id === 'svc'), { id: 'svc', versions: ['1.0.0'], type: 'service', title: 'Fixture service', description: "A small service for the engine's tests.", tags: ['test'], origin: 'workspace' });
    if (existsSync(join(ROOT, 'templates/node-service/1.0.0/template.yaml'))) assert.equal(json.find((t) => t.id === 'node-service')?.origin, 'bundled');
  });
});

describe('paved-road scaffold', () => {
  it('writes a service when the policy allows it, with its answers and audit line', () => {
    const repo = repository('ok');
    // port as text: answers are taken as their parameter's type
    write(join(repo, 'values.json'), JSON.stringify({ name: 'orders', owner: 'payments-team', system: 'shop', lifecycle: 'production', port: '9090' }));
    const r = run(['scaffold', 'svc', '--values', 'values.json', '--out', 'services', '--user', 'alice@example.com'], repo);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^created services\/orders: svc 1\.0\.0, 7 files\n  \.github\/workflows\/ci\.yml\n/);
    const dir = join(repo, 'services/orders');
    assert.match(readFileSync(join(dir, 'catalog-info.yaml'), 'utf8'), /owner: group:default\/payments-team\n  system: system:default\/shop\n/);
    assert.match(readFileSync(join(dir, 'README.md'), 'utf8'), /; port 9090;/);
    assert.match(readFileSync(join(dir, '.paved-road/answers.yaml'), 'utf8'), /^template: svc\nversion: 1\.0\.0\norigin: workspace\n/m);
    const audit = JSON.parse(readFileSync(join(dir, '.paved-road/audit.jsonl'), 'utf8'));
    assert.deepEqual([audit.who, audit.role, audit.audited, audit.action, audit.files.length], ['alice@example.com', 'developer', false, 'scaffold', 7]);

    // the same again: the name is now taken (the new service is in the repository's catalog)
    const again = run(['scaffold', 'svc', '--values', 'values.json', '--out', 'services', '--user', 'alice@example.com'], repo);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /name-taken: component:default\/orders already exists \(in .*services\/orders\/catalog-info\.yaml\): choose another name/);
  });

  it('exits 1 with each violation on a line, and writes nothing', () => {
    const repo = repository('refused');
    write(join(repo, 'values.yaml'), 'name: Orders\nowner: group:default/paymnts-team\nsystem: shop\ntags: [pci-scoped]\n');
    const r = run(['scaffold', 'svc', '--values', 'values.yaml', '--out', 'services'], repo, { PAVED_ROAD_USER: 'alice@example.com' });
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.deepEqual(r.stderr.trim().split('\n'), [
      'paved-road: nothing written: 5 problems to fix first:',
      'paved-road:   schema: name (Name) must match the pattern ^[a-z][a-z0-9-]*$ (lower-case letters, digits and dashes)',
      "paved-road:   naming: name 'Orders' does not follow the naming rule: lower-case letters, digits and dashes, 3-32 characters. Choose a name that does.",
      'paved-road:   catalog-ref: owner group:default/paymnts-team is not in the catalog: pick an existing Group (did you mean group:default/payments-team?)',
      'paved-road:   own-team: your role developer may create services only for your own teams, and group:default/paymnts-team is not one of them (your teams are group:default/payments-team): pick one of your teams as the owner, or ask a platform engineer',
      'paved-road:   pci-needs-security-review: A pci-scoped service needs its security review ticket: answer securityReview with the ticket (SEC-123).',
    ]);
    assert.deepEqual(readdirSync(join(repo, 'services')), []);
  });

  it('refuses an auditor, allows a platform engineer (audited), and refuses a name that climbs out', () => {
    const repo = repository('roles');
    write(join(repo, 'values.yaml'), 'name: search-api\nowner: search-team\n');
    const auditor = run(['scaffold', 'svc', '--values', 'values.yaml', '--out', 'services', '--user', 'audrey@example.com'], repo);
    assert.equal(auditor.code, 1);
    assert.match(auditor.stderr, /role: your role auditor may not create services/);
    const pat = run(['scaffold', 'svc', '--values', 'values.yaml', '--out', 'services', '--user', 'pat@example.com'], repo);
    assert.equal(pat.code, 0, pat.stderr);
    assert.match(pat.stdout, /\(role platform-engineer, audited\)/);
    assert.equal(JSON.parse(readFileSync(join(repo, 'services/search-api/.paved-road/audit.jsonl'), 'utf8')).audited, true);

    write(join(repo, 'escape.yaml'), 'name: ../../etc\nowner: search-team\n');
    const escape = run(['scaffold', 'svc', '--values', 'escape.yaml', '--out', 'services', '--user', 'pat@example.com'], repo);
    assert.equal(escape.code, 1);
    assert.match(escape.stderr, /schema: name \(Name\) must match the pattern/);
    assert.deepEqual(readdirSync(join(repo, 'services')), ['search-api']);
    assert.ok(!existsSync(join(tmp, 'etc')));
  });

  it('never overwrites: a file that exists and differs stops the run, named', () => {
    const repo = repository('exists');
    write(join(repo, 'services/orders/README.md'), 'mine\n');
    write(join(repo, 'values.yaml'), 'name: orders\nowner: payments-team\n');
    const r = run(['scaffold', 'svc', '--values', 'values.yaml', '--out', 'services', '--user', 'alice@example.com'], repo);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /nothing written: a file exists and differs, and the CLI never overwrites:\npaved-road: {2}.*services\/orders\/README\.md\n$/);
    assert.deepEqual(readdirSync(join(repo, 'services/orders')), ['README.md']);
    assert.equal(readFileSync(join(repo, 'services/orders/README.md'), 'utf8'), 'mine\n');
  });

  it('says what is wrong with the command line (exit 2) or the template (exit 1)', () => {
    const repo = repository('usage');
    write(join(repo, 'values.yaml'), 'name: orders\n');
    assert.equal(run(['scaffold', 'svc', '--out', 'services'], repo).code, 2);
    assert.match(run(['scaffold', 'svc', '--values', 'values.yaml'], repo).stderr, /missing --out DIR/);
    const unknown = run(['scaffold', 'nope', '--values', 'values.yaml', '--out', 'services'], repo);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no template nope: it is none of .*db.*svc/);
    assert.match(run(['scaffold', 'svc', '--values', 'values.yaml', '--out', 'services', '--version', '9.9.9'], repo).stderr, /svc has no version 9\.9\.9: it has 1\.0\.0/);
    assert.match(run(['scaffold', 'svc', '--values', 'missing.yaml', '--out', 'services'], repo).stderr, /--values missing\.yaml: no such file/);
  });

  it('scaffolds the bundled node-service', { skip: !existsSync(join(ROOT, 'templates/node-service/1.0.0/template.yaml')) && 'templates/node-service/1.0.0 is not there yet' }, () => {
    const repo = repository('bundled');
    write(join(repo, 'values.yaml'), 'name: payments-api\ndescription: Takes payments.\nowner: payments-team\nsystem: shop\nlifecycle: experimental\n');
    const r = run(['scaffold', 'node-service', '--version', '1.0.0', '--values', 'values.yaml', '--out', 'services', '--user', 'alice@example.com'], repo);
    assert.equal(r.code, 0, r.stderr);
    const dir = join(repo, 'services/payments-api');
    assert.match(readFileSync(join(dir, 'catalog-info.yaml'), 'utf8'), /name: payments-api/);
    assert.match(readFileSync(join(dir, '.paved-road/answers.yaml'), 'utf8'), /template: node-service\nversion: 1\.0\.0\norigin: bundled\n/);
    const check = run(['validate', 'services/payments-api'], repo);
    assert.equal(check.code, 0, check.stdout);
  });
});

describe('paved-road add', () => {
  it('applies an addition once; the second time changes nothing', () => {
    const repo = repository('add');
    write(join(repo, 'values.yaml'), 'name: orders\nowner: payments-team\n');
    assert.equal(run(['scaffold', 'svc', '--values', 'values.yaml', '--out', 'services', '--user', 'alice@example.com'], repo).code, 0);
    const dir = join(repo, 'services/orders');
    writeFileSync(join(dir, 'catalog-info.yaml'), readFileSync(join(dir, 'catalog-info.yaml'), 'utf8').replace('  type: service\n', '  type: service   # HTTP\n'));
    write(join(repo, 'db.json'), '{"name": "orders"}');
    const first = run(['add', 'db', '--values', 'db.json', 'services/orders', '--user', 'alice@example.com'], repo);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout, 'added to services/orders: db 1.0.0, 3 files\n  infrastructure/postgres-orders.tf\n  catalog-info.yaml\n  .paved-road/answers.yaml\n');
    const catalog = readFileSync(join(dir, 'catalog-info.yaml'), 'utf8');
    assert.match(catalog, /  type: service   # HTTP\n[\s\S]*  dependsOn:\n    - resource:orders-db\n---\napiVersion: backstage.io\/v1alpha1\nkind: Resource\nmetadata:\n  name: orders-db\n/);
    const second = run(['add', 'db', '--values', 'db.json', 'services/orders', '--user', 'alice@example.com'], repo);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.stdout, 'services/orders: already up to date with db 1.0.0; nothing written\n');
    assert.equal(readFileSync(join(dir, 'catalog-info.yaml'), 'utf8'), catalog);
    assert.equal(readFileSync(join(dir, '.paved-road/audit.jsonl'), 'utf8').trim().split('\n').length, 2);
  });
});
