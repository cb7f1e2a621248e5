/** In-place edits of catalog-info.yaml: dependsOn added with one line, an entity appended; comments, formatting and line ends kept; idempotent. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { addDependsOn, appendEntity } from '../../../server/src/scaffolding/catalogEdit';

const head = '# The orders service: owned by payments.\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: orders  # keep me\n';

describe('addDependsOn', () => {
  it('adds one line under a block list, at its indentation, after the last item and its comment', () => {
    const text = `${head}spec:\n  type: service\n  dependsOn:\n    - component:billing   # invoices\n    # resource:cache comes later\n  providesApis: [orders-api]\n`;
    assert.equal(addDependsOn(text, 'resource:orders-db'), `${head}spec:\n  type: service\n  dependsOn:\n    - component:billing   # invoices\n    - resource:orders-db\n    # resource:cache comes later\n  providesApis: [orders-api]\n`);
    // a list written at the key's indentation stays so
    const flat = `${head}spec:\n  dependsOn:\n  - component:billing\n  owner: team\n`;
    assert.equal(addDependsOn(flat, 'resource:x'), `${head}spec:\n  dependsOn:\n  - component:billing\n  - resource:x\n  owner: team\n`);
  });

  it('adds to a flow list, empty or not', () => {
    assert.equal(addDependsOn(`${head}spec:\n  dependsOn: []   # none yet\n`, 'resource:db'), `${head}spec:\n  dependsOn: [resource:db]   # none yet\n`);
    assert.equal(addDependsOn(`${head}spec:\n  dependsOn: [component:a]\n  owner: x\n`, 'resource:db'), `${head}spec:\n  dependsOn: [component:a, resource:db]\n  owner: x\n`);
    assert.equal(addDependsOn(`${head}spec:\n  dependsOn: [ component:a , component:b ]\n`, 'resource:db'), `${head}spec:\n  dependsOn: [ component:a , component:b, resource:db ]\n`);
  });

  it('adds the key after the last entry of spec when it is absent, even a nested one, and at the end of a file without a final line end', () => {
    const text = `${head}spec:\n  type: service   # HTTP\n  owner: group:default/payments   # the team\n  links:\n    nested:\n      a: 1\n\n# trailing comment\n`;
    assert.equal(addDependsOn(text, 'resource:db'), `${head}spec:\n  type: service   # HTTP\n  owner: group:default/payments   # the team\n  links:\n    nested:\n      a: 1\n  dependsOn:\n    - resource:db\n\n# trailing comment\n`);
    assert.equal(addDependsOn(`${head}spec:\n  owner: x`, 'resource:db'), `${head}spec:\n  owner: x\n  dependsOn:\n    - resource:db\n`);
    assert.equal(addDependsOn(`${head}spec:\n    owner: x\n`, 'resource:db'), `${head}spec:\n    owner: x\n    dependsOn:\n      - resource:db\n`);
  });

  it('changes nothing when the ref is there already, however it is written', () => {
    for (const written of ['resource:db', 'resource:default/db', 'Resource:DB', "'resource:db'"]) {
      assert.equal(addDependsOn(`${head}spec:\n  dependsOn:\n    - ${written}\n`, 'resource:db'), undefined, written);
      assert.equal(addDependsOn(`${head}spec:\n  dependsOn: [${written}]\n`, 'resource:default/db'), undefined, written);
    }
  });

  it('edits the Component among several documents, and keeps CRLF line ends', () => {
    const text = 'apiVersion: backstage.io/v1alpha1\r\nkind: API\r\nmetadata:\r\n  name: orders-api\r\nspec:\r\n  type: openapi\r\n---\r\n# the service\r\napiVersion: backstage.io/v1alpha1\r\nkind: Component\r\nmetadata:\r\n  name: orders\r\nspec:\r\n  type: service\r\n---\r\nkind: Resource\r\nmetadata:\r\n  name: other\r\nspec:\r\n  type: x\r\n';
    const once = addDependsOn(text, 'resource:db')!;
    assert.equal(once, text.replace('  type: service\r\n', '  type: service\r\n  dependsOn:\r\n    - resource:db\r\n'));
    assert.equal(addDependsOn(once, 'resource:db'), undefined);
    const twice = addDependsOn(once, 'resource:cache')!;
    assert.equal(twice, once.replace('    - resource:db\r\n', '    - resource:db\r\n    - resource:cache\r\n'));
    assert.ok(!/[^\r]\n/.test(twice), 'every line end is CRLF');
    assert.deepEqual(parseAllDocuments(twice)[1].toJS().spec.dependsOn, ['resource:db', 'resource:cache']);
  });

  it('says what is wrong when it cannot edit', () => {
    assert.throws(() => addDependsOn('kind: Resource\nmetadata:\n  name: x\n', 'resource:db'), /no Component/);
    assert.throws(() => addDependsOn(`${head}spec: { type: service }\n`, 'resource:db'), /flow style/);
    assert.throws(() => addDependsOn(`${head}spec:\n  dependsOn: resource:a\n`, 'resource:db'), /not a list/);
  });

  it('fills an empty dependsOn', () => {
    assert.equal(addDependsOn(`${head}spec:\n  dependsOn:\n  owner: x\n`, 'resource:db'), `${head}spec:\n  dependsOn:\n    - resource:db\n  owner: x\n`);
    assert.equal(addDependsOn(`${head}spec:\n  dependsOn: ~\n`, 'resource:db'), `${head}spec:\n  dependsOn: [resource:db]\n`);
  });
});

describe('appendEntity', () => {
  const resource = 'apiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata:\n  name: orders-db\nspec:\n  type: database\n';

  it('appends a document after ---, once', () => {
    const text = `${head}spec:\n  type: service\n`;
    const once = appendEntity(text, resource, 'resource:default/orders-db')!;
    assert.equal(once, `${text}---\n${resource}`);
    assert.equal(appendEntity(once, resource, 'resource:default/orders-db'), undefined);
    assert.equal(appendEntity(`${head}spec:\n  type: service`, `---\n${resource}`, 'resource:default/orders-db'), `${head}spec:\n  type: service\n---\n${resource}`);
    assert.equal(appendEntity('', resource, 'resource:default/orders-db'), resource);
  });

  it('keeps CRLF line ends and the comments of the file', () => {
    const text = '# top\r\nkind: Component\r\nmetadata:\r\n  name: orders\r\n# bottom\r\n';
    assert.equal(appendEntity(text, resource, 'resource:default/orders-db'), `${text}---\r\n${resource.replace(/\n/g, '\r\n')}`);
  });
});
