/**
 * The three bundled service templates (node-service, python-service, scheduled-job), every version of
 * each rendered with sample answers and written by the engine: a complete golden path on day one. The catalog-info.yaml
 * passes the catalog check with no problem; the Dockerfile is multi-stage on pinned images, runs as a
 * non-root user and never ADDs; the workflow keeps every `${{ }}` byte for byte and has each stage of the
 * pipeline; the Kubernetes objects run with least privilege and wire the probes the code implements.
 * Whether each generated project installs and passes its own tests: projects.test.ts.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readAnswers } from '../../server/src/scaffolding/answers';
import { planScaffold } from '../../server/src/scaffolding/plan';
import type { Answers } from '../../server/src/scaffolding/types';
import { actionsExpressions, catalogProblems, context, dockerStages, listFiles, scaffold, tempDir, template, yamlDocs } from './fixture';

const tmp = tempDir('templates');
after(() => rmSync(tmp, { recursive: true, force: true }));

interface Case {
  id: string;
  answers: Answers;
  /** The workload object in deploy/ and where its pod spec is. */
  workload: { kind: 'Deployment' | 'CronJob'; pod: (o: Record<string, any>) => Record<string, any> };
  /** Source files that must implement the probe routes. */
  probeSources: string[];
}

const CASES: Case[] = [
  {
    id: 'node-service',
    answers: { name: 'payments-api', description: 'Takes the money: cards, wallets & refunds, "fast" <always>.', owner: 'payments-team', system: 'checkout-platform', lifecycle: 'production', tags: ['pci-scoped', 'payments'], port: 8443, repository: 'acme/payments-api', securityReview: 'SEC-1234' },
    workload: { kind: 'Deployment', pod: (o) => o.spec.template.spec },
    probeSources: ['src/app.ts'],
  },
  {
    id: 'python-service',
    answers: { name: 'ledger-api', owner: 'group:default/payments-team', system: 'system:default/checkout-platform', lifecycle: 'experimental' },
    workload: { kind: 'Deployment', pod: (o) => o.spec.template.spec },
    probeSources: ['app/server.py'],
  },
  {
    id: 'scheduled-job',
    answers: { name: 'nightly-settlement', description: 'Settles the day: payouts # and fees', owner: 'payments-team', system: 'checkout-platform', lifecycle: 'production', schedule: '30 2 * * 1-5', tags: ['batch'] },
    workload: { kind: 'CronJob', pod: (o) => o.spec.jobTemplate.spec.template.spec },
    probeSources: ['src/probes.ts'],
  },
];

/** Every bundled version of a template, newest first: older versions must stay renderable and complete too. */
function versionsOf(id: string): string[] {
  const versions = context().templates.find((t) => t.id === id)?.versions.map((v) => v.manifest.version) ?? [];
  assert.ok(versions.includes('1.0.0'), `${id}@1.0.0 is bundled (found ${versions.join(', ') || 'none'})`);
  return versions;
}

for (const c of CASES) for (const version of versionsOf(c.id)) {
  describe(`${c.id}@${version} rendered with sample answers`, () => {
    const ctx = context();
    const v = template(ctx, c.id, version);
    const plan = scaffold(ctx, c.id, c.answers, join(tmp, `${c.id}-${version}`), version);
    const dir = plan.target;
    const name = c.answers.name as string;
    const read = (p: string): string => readFileSync(join(dir, p), 'utf8');

    it('is written whole, with its answers recorded, and nothing left unrendered', () => {
      assert.equal(dir, join(tmp, `${c.id}-${version}`, name));
      const files = listFiles(dir);
      for (const f of ['catalog-info.yaml', 'Dockerfile', '.dockerignore', '.github/workflows/ci.yml', 'README.md', 'docs/adr/0001-record-architecture-decisions.md', 'docs/runbook.md', 'deploy/serviceaccount.yaml', '.paved-road/answers.yaml', '.paved-road/audit.jsonl']) {
        assert.ok(files.includes(f), `${f} is written (got ${files.join(', ')})`);
      }
      const record = readAnswers(dir);
      assert.equal(record?.template, c.id);
      assert.equal(record?.version, version);
      for (const f of files.filter((x) => !x.startsWith('.paved-road/'))) {
        const text = read(f).replace(/\$\{\{[\s\S]*?\}\}/g, '');
        assert.ok(!text.includes('{{'), `${f} has no mustache tag left`);
        assert.ok(!text.includes('&#x') && !text.includes('&quot;') && !text.includes('&amp;') && !text.includes('&lt;'), `${f} is not HTML-escaped`);
        if (/\.ya?ml$/.test(f)) yamlDocs(join(dir, f));
        if (f.endsWith('.json')) assert.doesNotThrow(() => JSON.parse(read(f)), `${f} is valid JSON`);
      }
      if (c.answers.description) assert.ok(read('README.md').includes(`\n${c.answers.description}\n`), 'the description, as written, in the README');
    });

    it('has a catalog-info.yaml filled from the answers that the catalog check passes with no problem', () => {
      assert.deepEqual(catalogProblems(join(dir, 'catalog-info.yaml')), []);
      const [component, ...rest] = yamlDocs(join(dir, 'catalog-info.yaml'));
      assert.deepEqual(rest, []);
      assert.equal(component.kind, 'Component');
      assert.equal(component.metadata.name, name);
      assert.equal(component.metadata.description, c.answers.description);
      assert.equal(component.spec.owner, 'group:default/payments-team');
      assert.equal(component.spec.system, 'system:default/checkout-platform');
      assert.equal(component.spec.lifecycle, c.answers.lifecycle);
      assert.equal(component.metadata.annotations['paved-road.dev/template'], `${c.id}@${version}`);
      assert.equal(component.metadata.annotations['github.com/project-slug'], c.answers.repository);
      assert.equal(component.metadata.annotations['security.acme.io/review'], c.answers.securityReview);
      for (const tag of (c.answers.tags as string[] | undefined) ?? []) assert.ok(component.metadata.tags.includes(tag), `tag ${tag}`);
    });

    it('has a multi-stage Dockerfile on pinned base images, running as a non-root user, with COPY and no ADD', () => {
      const stages = dockerStages(read('Dockerfile'));
      assert.ok(stages.length >= 2, `multi-stage: ${stages.length} stage(s)`);
      const aliases = new Set<string>();
      for (const s of stages) {
        if (!aliases.has(s.image)) {
          assert.match(s.image, /^[a-z0-9./-]+(:\d+\.\d+\.\d+[\w.-]*)(@sha256:[0-9a-f]{64})?$|^[a-z0-9./-]+@sha256:[0-9a-f]{64}$/, `base image ${s.image} is pinned to an exact version or digest`);
          assert.doesNotMatch(s.image, /:latest\b/);
        }
        if (s.alias) aliases.add(s.alias);
        for (const i of s.instructions) assert.notEqual(i.op, 'ADD', `ADD ${i.args}: use COPY`);
      }
      const last = stages.at(-1)!;
      assert.ok(last.instructions.some((i) => i.op === 'COPY' && /--from=\S+/.test(i.args)), 'the final stage copies the build from an earlier one');
      const users = last.instructions.filter((i) => i.op === 'USER');
      assert.ok(users.length, 'the final stage sets a USER');
      const user = users.at(-1)!.args.split(':')[0];
      assert.ok(user !== 'root' && user !== '0' && /^[1-9]\d*$/.test(user), `the final stage runs as a numeric non-root user (USER ${user}), so runAsNonRoot can check it`);
      const pod = c.workload.pod(yamlDocs(join(dir, `deploy/${c.workload.kind === 'CronJob' ? 'cronjob' : 'deployment'}.yaml`))[0]);
      assert.equal(String(pod.securityContext.runAsUser), user, 'Kubernetes runs the image as its own USER');
    });

    it('has a workflow that keeps every ${{ }} byte for byte, with lint, test, SAST, image build, push and deploy', () => {
      const source = readFileSync(v.files.get('.github/workflows/ci.yml')!, 'utf8');
      const text = read('.github/workflows/ci.yml');
      const kept = actionsExpressions(text);
      assert.deepEqual(kept, actionsExpressions(source));
      assert.ok(kept.includes('${{ github.repository }}') && kept.includes('${{ secrets.GITHUB_TOKEN }}'), kept.join(' '));
      assert.ok(text.includes('images: ghcr.io/${{ github.repository }}'));
      const [wf] = yamlDocs(join(dir, '.github/workflows/ci.yml'));
      const steps = (job: string): Record<string, any>[] => wf.jobs[job]?.steps ?? [];
      const runs = (job: string): string => steps(job).map((s) => s.run ?? '').join('\n');
      const uses = (job: string): string[] => steps(job).map((s) => s.uses ?? '');
      assert.match(runs('lint-and-test'), /lint|ruff/i, 'lint');
      assert.match(runs('lint-and-test'), /npm test|unittest/, 'test');
      assert.ok(uses('sast').some((u) => u.startsWith('github/codeql-action/analyze@')), 'SAST');
      assert.equal(wf.jobs.sast.permissions['security-events'], 'write');
      const build = steps('image').find((s) => String(s.uses).startsWith('docker/build-push-action@'));
      assert.ok(build, 'image build');
      assert.equal(build.with.push, "${{ github.event_name == 'push' }}", 'push on push events');
      const login = steps('image').find((s) => String(s.uses).startsWith('docker/login-action@'));
      assert.deepEqual([login?.with.registry, login?.with.password], ['ghcr.io', '${{ secrets.GITHUB_TOKEN }}']);
      assert.equal(wf.jobs.image.permissions.packages, 'write');
      assert.deepEqual(wf.jobs.deploy.needs, 'image');
      assert.match(runs('deploy'), /kubectl apply -k deploy\//, 'deploy');
      assert.equal(wf.permissions.contents, 'read', 'least privilege by default');
      for (const job of Object.keys(wf.jobs)) for (const u of uses(job)) if (u) assert.match(u, /@v\d+$/, `${u} is pinned to a major version`);
    });

    it('runs in Kubernetes with least privilege, resources, and probes wired to the routes it implements', () => {
      const [sa] = yamlDocs(join(dir, 'deploy/serviceaccount.yaml'));
      assert.equal(sa.kind, 'ServiceAccount');
      assert.equal(sa.metadata.name, name);
      assert.equal(sa.automountServiceAccountToken, false);
      const [workload] = yamlDocs(join(dir, `deploy/${c.workload.kind === 'CronJob' ? 'cronjob' : 'deployment'}.yaml`));
      assert.equal(workload.kind, c.workload.kind);
      if (c.workload.kind === 'CronJob') {
        assert.equal(workload.spec.schedule, c.answers.schedule);
        assert.equal(workload.spec.concurrencyPolicy, 'Forbid');
      }
      const pod = c.workload.pod(workload);
      assert.equal(pod.serviceAccountName, name);
      assert.equal(pod.automountServiceAccountToken, false);
      assert.equal(pod.securityContext.runAsNonRoot, true);
      const sources = c.probeSources.map((p) => read(p)).join('\n');
      for (const container of pod.containers) {
        const sc = container.securityContext;
        assert.equal(sc.runAsNonRoot, true);
        assert.equal(sc.readOnlyRootFilesystem, true);
        assert.equal(sc.allowPrivilegeEscalation, false);
        assert.deepEqual(sc.capabilities.drop, ['ALL']);
        assert.ok(container.resources.requests.cpu && container.resources.requests.memory && container.resources.limits.memory, 'resources');
        const ports = new Set(container.ports.map((p: { name: string }) => p.name));
        for (const [probe, path] of [['livenessProbe', '/healthz'], ['readinessProbe', '/readyz']]) {
          assert.equal(container[probe].httpGet.path, path, `${probe} on ${path}`);
          assert.ok(ports.has(container[probe].httpGet.port), `${probe} on a declared port`);
          assert.ok(sources.includes(`'${path}'`) || sources.includes(`"${path}"`) || sources.includes(` ${path}'`) || sources.includes(` ${path}"`), `${path} is implemented in ${c.probeSources.join(', ')}`);
        }
      }
      if (c.workload.kind === 'Deployment') {
        const [svc] = yamlDocs(join(dir, 'deploy/service.yaml'));
        assert.deepEqual(svc.spec.selector, workload.spec.selector.matchLabels);
        assert.equal(String(pod.containers[0].ports[0].containerPort), String(c.answers.port ?? 8080));
      }
      const [kustomization] = yamlDocs(join(dir, 'deploy/kustomization.yaml'));
      for (const r of kustomization.resources) assert.ok(existsSync(join(dir, 'deploy', r)), `deploy/${r}`);
    });

    it('has a README with an ADR placeholder, a runbook stub and an on-call section, and a .dockerignore', () => {
      const readme = read('README.md');
      assert.match(readme, new RegExp(`^# ${name}$`, 'm'));
      assert.match(readme, /^## Architecture decisions$/m);
      assert.ok(readme.includes('docs/adr/0001-record-architecture-decisions.md'));
      assert.match(readme, /^## Runbook$/m);
      assert.ok(readme.includes('docs/runbook.md'));
      assert.match(readme, /^## On-call$/m);
      assert.ok(readme.includes('group:default/payments-team'));
      assert.match(read('docs/adr/0001-record-architecture-decisions.md'), /^## Decision$/m);
      const ignored = read('.dockerignore').split('\n');
      for (const p of ['.git', '.env']) assert.ok(ignored.includes(p), `.dockerignore leaves out ${p}`);
    });

    it('refuses a pci-scoped service without a security review, with what to change', () => {
      const bad = planScaffold(ctx, v, { ...c.answers, name: `${name}-2`, tags: ['pci-scoped'], securityReview: '' }, join(tmp, 'refused'));
      assert.deepEqual(
        bad.violations.map((x) => [x.rule, x.parameter]),
        [['pci-needs-security-review', 'securityReview']],
      );
      assert.match(bad.violations[0].message, /answer securityReview with the ticket \(SEC-123\)/);
      assert.ok(!existsSync(join(tmp, 'refused')));
    });
  });
}

describe('the catalog check these tests rely on', () => {
  it('does report a problem in a rendered catalog-info.yaml (a dangling owner, a missing lifecycle)', () => {
    const ctx = context();
    const plan = scaffold(ctx, 'node-service', { name: 'control', owner: 'payments-team', system: 'checkout-platform', lifecycle: 'experimental' }, join(tmp, 'control'));
    const path = join(plan.target, 'catalog-info.yaml');
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.replace('owner: group:default/payments-team', 'owner: group:default/nobody').replace(/^  lifecycle: .*\n/m, ''));
    const problems = catalogProblems(path);
    assert.ok(problems.some((p) => p.includes('nobody')), problems.join('\n'));
    assert.ok(problems.some((p) => p.includes('lifecycle')), problems.join('\n'));
  });
});
