/**
 * Golden paths over real JSON-RPC (dist/server.js, the bundled templates): the templates, the catalog's
 * choices by display name, a parameter checked as it is typed, and a scaffold planned, refused by the
 * policy, then written into a temporary folder; an addition planned on it.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  ApplyScaffoldRequest,
  CatalogChoicesRequest,
  ListTemplatesRequest,
  PlanScaffoldRequest,
  ApplyUpdateRequest,
  PlanUpdateRequest,
  TemplateDriftRequest,
  ValidateParameterRequest,
  type ScaffoldInputs,
} from '../../server/src/protocol';
import { LspClient } from './lspClient';

const root = mkdtempSync(join(tmpdir(), 'paved-road-scaffold-lsp-'));
const ME = 'ada@example.com';
const org = `apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: payments-team
spec:
  type: team
  profile:
    displayName: Payments Team
  children: []
  members: [ada]
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: identity-team
  title: Identity Team
spec:
  type: team
  children: []
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: ada
spec:
  profile:
    email: ${ME}
  memberOf: []
---
apiVersion: backstage.io/v1alpha1
kind: System
metadata:
  name: payments
  title: Payments Platform
  description: Taking money.
spec:
  owner: group:payments-team
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ledger
spec:
  type: service
  lifecycle: production
  owner: group:payments-team
  system: payments
`;

describe('scaffolding over JSON-RPC', () => {
  let c: LspClient;
  const answers = (name: string, owner = 'group:default/payments-team') => ({ name, description: 'Takes refunds.', owner, system: 'system:default/payments', lifecycle: 'experimental' });
  const inputs = (name: string, owner?: string): ScaffoldInputs => ({ action: 'scaffold', template: 'node-service', answers: answers(name, owner), dir: join(root, 'services'), email: ME });

  before(async () => {
    writeFileSync(join(root, 'catalog-info.yaml'), org);
    c = await LspClient.start(root);
    await c.waitForIndex();
  });
  after(async () => {
    await c.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('lists the bundled templates with their questions', async () => {
    const { templates, problems } = await c.conn.sendRequest(ListTemplatesRequest.type, {});
    assert.deepEqual(problems, []);
    const node = templates.find((t) => t.id === 'node-service');
    assert.ok(node, `node-service among ${templates.map((t) => t.id).join(', ')}`);
    assert.equal(node.title, 'Node.js service');
    assert.equal(node.type, 'service');
    assert.equal(node.origin, 'bundled');
    assert.equal(node.version, node.versions[0]);
    assert.ok(node.versions.includes('1.0.0'));
    assert.deepEqual(node.parameters.slice(0, 5).map((p) => p.name), ['name', 'description', 'owner', 'system', 'lifecycle']);
    assert.deepEqual(node.parameters.find((p) => p.name === 'owner')?.catalog, { kinds: ['Group'] });
  });

  it('offers the catalog\'s Groups and Systems by display name', async () => {
    const groups = await c.conn.sendRequest(CatalogChoicesRequest.type, { kinds: ['Group'] });
    assert.deepEqual(groups.map((g) => [g.label, g.ref]), [
      ['Identity Team', 'group:default/identity-team'],
      ['Payments Team', 'group:default/payments-team'],
    ]);
    const systems = await c.conn.sendRequest(CatalogChoicesRequest.type, { kinds: ['System'] });
    assert.deepEqual(systems, [{ ref: 'system:default/payments', kind: 'System', label: 'Payments Platform', description: 'Taking money.' }]);
  });

  it('checks a parameter as it is typed: the pattern, a name taken, an owner not of my teams', async () => {
    const check = (name: string, value: unknown, given = {}) => c.conn.sendRequest(ValidateParameterRequest.type, { template: 'node-service', email: ME, name, value, answers: given });
    assert.match((await check('name', 'Refunds API')).message ?? '', /name/i);
    assert.match((await check('name', 'ledger')).message ?? '', /component:default\/ledger already exists/);
    assert.equal((await check('name', 'refunds')).message, undefined);
    assert.match((await check('owner', 'group:default/identity-team')).message ?? '', /own teams/);
    assert.equal((await check('owner', 'group:default/payments-team')).message, undefined);
  });

  it('plans, refuses a violation without writing, then writes the service', async () => {
    const refused = await c.conn.sendRequest(ApplyScaffoldRequest.type, { ...inputs('refunds', 'group:default/identity-team'), overwrite: [] });
    assert.deepEqual(refused.written, []);
    assert.ok(refused.violations.some((v) => v.rule === 'own-team' && v.parameter === 'owner'), JSON.stringify(refused.violations));
    assert.ok(!existsSync(join(root, 'services', 'refunds')), 'nothing written');

    const plan = await c.conn.sendRequest(PlanScaffoldRequest.type, inputs('refunds'));
    assert.deepEqual(plan.violations, []);
    assert.equal(plan.target, join(root, 'services', 'refunds'));
    assert.equal(plan.who, ME);
    const catalog = plan.files.find((f) => f.path === 'catalog-info.yaml');
    assert.equal(catalog?.state, 'new');
    assert.match(catalog.content, /name: refunds/);
    assert.ok(plan.files.every((f) => f.state === 'new'));

    const done = await c.conn.sendRequest(ApplyScaffoldRequest.type, { ...inputs('refunds'), overwrite: [] });
    assert.deepEqual(done.violations, []);
    assert.equal(done.target, plan.target);
    assert.deepEqual([...done.written].sort(), plan.files.map((f) => f.path).sort());
    for (const f of plan.files) assert.equal(readFileSync(join(plan.target, f.path), f.encoding === 'base64' ? 'base64' : 'utf8'), f.content, f.path);
    assert.match(readFileSync(join(plan.target, '.paved-road/answers.yaml'), 'utf8'), /template: node-service/);
    const audit = readFileSync(join(plan.target, '.paved-road/audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(audit.map((a) => [a.who, a.action, a.template]), [[ME, 'scaffold', 'node-service']]);

    // Planned again: every file is there as rendered.
    const again = await c.conn.sendRequest(PlanScaffoldRequest.type, inputs('refunds'));
    assert.ok(again.files.every((f) => f.state === 'same'), JSON.stringify(again.files.map((f) => [f.path, f.state])));

    // A file edited since is `changed`: never overwritten without consent, then overwritten with it.
    const readme = join(plan.target, 'README.md');
    writeFileSync(readme, 'mine\n');
    const changed = await c.conn.sendRequest(PlanScaffoldRequest.type, inputs('refunds'));
    assert.deepEqual(changed.files.filter((f) => f.state !== 'same').map((f) => [f.path, f.state]), [['README.md', 'changed']]);
    await assert.rejects(c.conn.sendRequest(ApplyScaffoldRequest.type, { ...inputs('refunds'), overwrite: [] }), /README\.md already exists/);
    assert.equal(readFileSync(readme, 'utf8'), 'mine\n');
    const consented = await c.conn.sendRequest(ApplyScaffoldRequest.type, { ...inputs('refunds'), overwrite: ['README.md'] });
    assert.deepEqual(consented.written, ['README.md']);
    assert.equal(readFileSync(readme, 'utf8'), plan.files.find((f) => f.path === 'README.md')!.content);
  });

  it('answers an unknown template with an error that says so', async () => {
    await assert.rejects(c.conn.sendRequest(PlanScaffoldRequest.type, { ...inputs('x'), template: 'cobol-service' }), /no template cobol-service/);
  });

  it('lists the drift of the workspace\'s services', async () => {
    const { templates } = await c.conn.sendRequest(ListTemplatesRequest.type, {});
    const node = templates.find((t) => t.id === 'node-service')!;
    const drift = await c.conn.sendRequest(TemplateDriftRequest.type, {});
    // The service was made from the latest version: no drift.
    assert.deepEqual(drift.map((d) => d.dir), [], `made from ${node.version}`);
  });

  it('updates a service made from an older version: drift, the plan, the merge with a local edit', async (t) => {
    const { templates } = await c.conn.sendRequest(ListTemplatesRequest.type, {});
    const node = templates.find((x) => x.id === 'node-service')!;
    if (node.versions.length < 2) return t.skip('node-service has one version only');
    const [latest, oldest] = [node.versions[0], node.versions[node.versions.length - 1]];
    const made = await c.conn.sendRequest(ApplyScaffoldRequest.type, { ...inputs('chargebacks'), version: oldest, overwrite: [] });
    assert.deepEqual(made.violations, []);
    const readme = join(made.target, 'README.md');
    writeFileSync(readme, `${readFileSync(readme, 'utf8')}\nA local note the update keeps.\n`);

    const drift = await c.conn.sendRequest(TemplateDriftRequest.type, {});
    assert.deepEqual(drift.map((d) => [d.dir, d.version, d.latest]), [[made.target, oldest, latest]]);
    assert.ok(drift[0].files.length > 0 && drift[0].changes.length > 0);

    const plan = await c.conn.sendRequest(PlanUpdateRequest.type, { dir: made.target, email: ME });
    assert.equal(plan.from, oldest);
    assert.equal(plan.to, latest);
    assert.deepEqual(plan.missing, []);
    assert.ok(plan.files.some((f) => f.state === 'added' || f.state === 'clean'), JSON.stringify(plan.files.map((f) => [f.path, f.state])));
    const r = await c.conn.sendRequest(ApplyUpdateRequest.type, { dir: made.target, email: ME });
    assert.deepEqual(r.conflicts, []);
    assert.ok(r.written.length > 0);
    assert.match(readFileSync(readme, 'utf8'), /A local note the update keeps/);
    assert.match(readFileSync(join(made.target, '.paved-road/answers.yaml'), 'utf8'), new RegExp(`version: ${latest.replace(/\./g, '\\.')}`));
    assert.deepEqual(await c.conn.sendRequest(TemplateDriftRequest.type, {}), []);
  });
});
