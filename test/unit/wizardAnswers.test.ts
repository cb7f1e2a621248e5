/** The wizard's answers as typed: numbers, lists, empty answers; refs in full; an addition's answers from its service. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { answersFromService, describeViolations, fullRef, offendingParameter, parseAnswer, showAnswer } from '../../client/src/scaffolding/answers';
import type { TemplateParameter } from '../../server/src/scaffolding/types';

const param = (name: string, type: TemplateParameter['type'], more: Partial<TemplateParameter> = {}): TemplateParameter => ({ name, title: name, type, required: false, ...more });

describe('wizard answers', () => {
  it('reads what is typed as the parameter\'s type', () => {
    assert.equal(parseAnswer(param('port', 'integer'), ' 8080 '), 8080);
    assert.equal(parseAnswer(param('port', 'integer'), '80a'), '80a', 'left for the schema to refuse');
    assert.deepEqual(parseAnswer(param('tags', 'array'), 'pci-scoped, payments ,'), ['pci-scoped', 'payments']);
    assert.equal(parseAnswer(param('tags', 'array'), ''), undefined);
    assert.deepEqual(parseAnswer(param('tags', 'array', { required: true }), ''), []);
    assert.equal(parseAnswer(param('description', 'string'), ''), undefined);
    assert.equal(parseAnswer(param('name', 'string', { required: true }), ''), '');
    assert.equal(parseAnswer(param('name', 'string'), ' keeps spaces '), ' keeps spaces ');
    assert.equal(showAnswer(['a', 'b']), 'a, b');
    assert.equal(showAnswer(undefined), '');
    assert.equal(showAnswer(8080), '8080');
  });

  it('writes refs in full, as the catalog choices do', () => {
    assert.equal(fullRef('payments-team', 'Group'), 'group:default/payments-team');
    assert.equal(fullRef('group:payments-team', 'Group'), 'group:default/payments-team');
    assert.equal(fullRef('System:acme/payments', 'Group'), 'system:acme/payments');
  });

  it('fills an addition\'s service, owner and system from the service\'s Component', () => {
    const params = [param('name', 'string'), param('service', 'string'), param('owner', 'string', { catalog: { kinds: ['Group'] } }), param('system', 'string', { catalog: { kinds: ['System'] } })];
    const component = { metadata: { name: 'refunds-api' }, spec: { owner: 'payments-team', system: 'system:default/payments', lifecycle: 'production' } };
    assert.deepEqual(answersFromService(component, params), { service: 'refunds-api', owner: 'group:default/payments-team', system: 'system:default/payments' });
    assert.deepEqual(answersFromService(undefined, params), {});
  });

  it('goes back to the first parameter a violation names, and lists what to change', () => {
    const params = [param('name', 'string'), param('owner', 'string')];
    const violations = [{ rule: 'identity', message: 'who you are is not known' }, { rule: 'own-team', parameter: 'owner', message: 'pick one of your teams' }];
    assert.equal(offendingParameter(violations, params), 1);
    assert.equal(offendingParameter(violations.slice(0, 1), params), -1);
    assert.equal(describeViolations(violations), '• who you are is not known\n• pick one of your teams');
  });
});
