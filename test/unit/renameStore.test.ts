/** Renaming next to a store: only a workspace definition takes a name away. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { CatalogIndex } from '../../server/src/catalog/catalogIndex';
import { planRename } from '../../server/src/language/navigation';
import { doc, entity, putFile, putStore } from './viewsFixture';

describe('rename beside a store', () => {
  it('takes a name only the store has (the store still holds the old copy of a renamed entity), not a workspace one', () => {
    const index = new CatalogIndex();
    putFile(index, 'file:///ws/org.yaml', doc('Group', 'payments-team-renamed', ['type: team', 'children: []']), doc('Group', 'web-team', ['type: team', 'children: []']));
    putStore(index, 'company', [entity('Group', 'payments-team', { type: 'team', children: [] })]);
    const plan = planRename(index, 'group:default/payments-team-renamed', 'payments-team');
    assert.ok(typeof plan !== 'string', String(plan));
    assert.deepEqual(plan.edits.map((e) => [e.uri, e.edits.map((x) => x.newText)]), [['file:///ws/org.yaml', ['payments-team']]]);
    assert.equal(planRename(index, 'group:default/payments-team-renamed', 'web-team'), 'group:default/web-team already exists; choose another name');
  });
});
