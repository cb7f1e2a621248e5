/** Policy before anything is written: the answers, naming, names taken, catalog answers, roles, template rules. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readPolicies } from '../../../server/src/catalog/policies';
import { planScaffold } from '../../../server/src/scaffolding/plan';
import { actorOf, checkParameter, checkPolicy, coerceAnswer } from '../../../server/src/scaffolding/policy';
import { findTemplate } from '../../../server/src/scaffolding/templates';
import type { Answers, ScaffoldContext, Violation } from '../../../server/src/scaffolding/types';
import { POLICIES, context, fixtureTemplates, organisation } from './fixture';

const tmp = mkdtempSync(join(tmpdir(), 'pr-policy-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
fixtureTemplates(tmp);

const good: Answers = { name: 'orders', owner: 'group:default/payments-team', system: 'system:default/shop', lifecycle: 'experimental', tags: [], port: 8080 };

function check(ctx: ScaffoldContext, answers: Answers): Violation[] {
  return checkPolicy(ctx, findTemplate(ctx.templates, 'svc')!, answers);
}

describe('scaffolding policy', () => {
  it('passes a developer creating a service for their own team', () => {
    assert.deepEqual(check(context(tmp), good), []);
  });

  it('checks the answers against the parameters, naming the parameter and what to change', () => {
    const v = check(context(tmp), { owner: 'group:default/payments-team', lifecycle: 'beta', port: 80, tags: 'pci' });
    assert.deepEqual(
      v.map((x) => [x.rule, x.parameter, x.message]),
      [
        ['schema', 'name', 'name (Name) is required: answer it (lower-case letters, digits and dashes)'],
        ['schema', 'lifecycle', 'lifecycle (Lifecycle) must be one of "experimental", "production"'],
        ['schema', 'tags', 'tags must be an array'],
        ['schema', 'port', 'port must be >= 1024'],
      ],
    );
    const pattern = check(context(tmp), { ...good, name: 'Orders_API' });
    assert.deepEqual(pattern.map((x) => x.rule), ['schema', 'naming']);
    assert.equal(pattern[0].message, 'name (Name) must match the pattern ^[a-z][a-z0-9-]*$ (lower-case letters, digits and dashes)');
  });

  it("applies the organisation's naming rule", () => {
    const v = check(context(tmp), { ...good, name: 'ab' });
    assert.deepEqual(v, [{ rule: 'naming', parameter: 'name', message: "name 'ab' does not follow the naming rule: lower-case letters, digits and dashes, 3-32 characters, starting with a letter. Choose a name that does." }]);
  });

  it('refuses a name already taken in the catalog', () => {
    const v = check(context(tmp), { ...good, name: 'taken' });
    assert.deepEqual(v, [{ rule: 'name-taken', parameter: 'name', message: 'component:default/taken already exists (in the catalog store org.json): choose another name' }]);
  });

  it('refuses an owner or a system that is not in the catalog, or of the wrong kind', () => {
    const v = check(context(tmp), { ...good, owner: 'group:default/paymnts-team', system: 'group:default/search-team' });
    assert.deepEqual(v.map((x) => [x.rule, x.parameter]), [
      ['catalog-ref', 'owner'],
      ['catalog-ref', 'system'],
      ['own-team', 'owner'],
    ]);
    assert.equal(v[0].message, 'owner group:default/paymnts-team is not in the catalog: pick an existing Group (did you mean group:default/payments-team?)');
    assert.equal(v[1].message, 'system group:default/search-team is a Group, not a System: pick one of the Systems');
  });

  it('lets a developer create services only for their own team', () => {
    const v = check(context(tmp), { ...good, owner: 'group:default/search-team' });
    assert.deepEqual(v, [
      {
        rule: 'own-team',
        parameter: 'owner',
        message: 'your role developer may create services only for your own teams, and group:default/search-team is not one of them (your teams are group:default/payments-team): pick one of your teams as the owner, or ask a platform engineer',
      },
    ]);
  });

  it('refuses an auditor, whatever the owner', () => {
    const ctx = context(tmp, 'audrey@example.com');
    assert.deepEqual(actorOf(ctx.catalog, ctx.policies, ctx.identity).role, 'auditor');
    assert.deepEqual(check(ctx, good), [{ rule: 'role', message: 'your role auditor may not create services: ask a member of the owning team, or a platform engineer, to do it' }]);
  });

  it('allows a platform engineer any owner, and marks the plan audited', () => {
    const ctx = context(tmp, 'pat@example.com');
    assert.deepEqual(check(ctx, { ...good, owner: 'group:default/search-team' }), []);
    const plan = planScaffold(ctx, findTemplate(ctx.templates, 'svc')!, { ...good, owner: 'search-team' }, join(tmp, 'out'));
    assert.deepEqual([plan.who, plan.role, plan.audited, plan.answers.owner], ['pat@example.com', 'platform-engineer', true, 'group:default/search-team']);
  });

  it('takes the most permissive role of the user\'s groups', () => {
    const policies = readPolicies(POLICIES, { roles: { ...POLICIES.roles, auditor: { scaffold: 'none', groups: ['platform-team'] } } }).policies;
    assert.equal(actorOf(organisation(), policies, 'pat@example.com').role, 'platform-engineer');
  });

  it('needs an identity that matches a User', () => {
    assert.match(check(context(tmp, ''), good)[0].message, /who you are is not known: set pavedRoad\.identity\.email/);
    assert.deepEqual(check({ ...context(tmp), identity: 'nobody@example.com' }, good).map((x) => x.rule), ['identity']);
  });

  it("applies the template's rules", () => {
    const ctx = context(tmp);
    const v = check(ctx, { ...good, tags: ['pci-scoped'] });
    assert.deepEqual(v, [{ rule: 'pci-needs-security-review', parameter: 'securityReview', message: 'A pci-scoped service needs its security review ticket: answer securityReview with the ticket (SEC-123).' }]);
    assert.deepEqual(check(ctx, { ...good, tags: ['pci-scoped'], securityReview: 'SEC-42' }), []);
    assert.deepEqual(check(ctx, { ...good, tags: ['internal'] }), []);
  });

  it('checks one parameter as it is typed, and types typed answers', () => {
    const ctx = context(tmp);
    const v = findTemplate(ctx.templates, 'svc')!;
    assert.equal(checkParameter(ctx, v, 'name', 'taken', good), 'component:default/taken already exists (in the catalog store org.json): choose another name');
    assert.equal(checkParameter(ctx, v, 'name', 'fresh', {}), undefined);
    assert.match(checkParameter(ctx, v, 'owner', 'group:default/search-team', good)!, /only for your own teams/);
    const port = v.parameters.find((p) => p.name === 'port')!;
    assert.equal(coerceAnswer(port, '9090'), 9090);
    assert.deepEqual(coerceAnswer(v.parameters.find((p) => p.name === 'tags')!, 'a, b,'), ['a', 'b']);
    assert.equal(coerceAnswer(v.parameters.find((p) => p.name === 'securityReview')!, 16), '16');
    assert.equal(coerceAnswer(port, 'eighty'), 'eighty', 'left for the schema to refuse');
  });

  it('reads naming and roles from the policies file, and says what is wrong with them', () => {
    const { policies, issues } = readPolicies({ naming: { pattern: '[' }, roles: { x: { scaffold: 'all' } }, defaultRole: 'x' });
    assert.deepEqual(issues, [
      'naming must be { pattern: <a regular expression>, message: <what it means> }',
      'roles.x must be { scaffold: own-team | any | none, audited: true | false, groups: [group refs] }',
      'defaultRole x is not one of the roles (none): users with no role may do nothing',
    ]);
    assert.deepEqual(policies.roles, {});
    assert.equal(readPolicies({}).policies.defaultRole, 'developer');
  });
});
