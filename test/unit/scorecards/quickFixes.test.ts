/** The add-annotation quick fix: into a block map, a flow map, a new annotations map; the second entity of a file. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CatalogIndex, documentSpan } from '../../../server/src/catalog/catalogIndex';
import { quickFixTitle, scorecardQuickFix, type QuickFixEdit } from '../../../server/src/scorecards/quickFixes';
import { putFile } from '../viewsFixture';

function apply(text: string, e: QuickFixEdit): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return text.slice(0, offset(e.start)) + e.newText + text.slice(offset(e.end));
}

function fix(text: string, name: string, fixId: string): string | undefined {
  const index = new CatalogIndex();
  putFile(index, 'file:///w/catalog-info.yaml', text);
  const p = index.first(`component:default/${name}`)!;
  const { start, end } = documentSpan(p);
  const e = scorecardQuickFix(p, text.slice(start, end), fixId);
  return e && apply(text, e);
}

const FIRST = 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: first\nspec:\n  type: service\n';

describe('add-annotation', () => {
  it('adds to the annotations there are, at their indent', () => {
    const text = 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n    name: a\n    annotations:\n        github.com/project-slug: x/a\nspec:\n    type: service\n';
    assert.equal(fix(text, 'a', 'add-annotation:pagerduty.com/service-id'), text.replace('        github.com', '        pagerduty.com/service-id: TODO\n        github.com'));
  });
  it('makes metadata.annotations when there is none, in the second entity of a file', () => {
    const second = 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: b\n  description: B\nspec:\n  type: service\n';
    const text = `${FIRST}---\n${second}`;
    assert.equal(fix(text, 'b', 'add-annotation:backstage.io/techdocs-ref'), `${FIRST}---\n${second.replace('  name: b\n', '  annotations:\n    backstage.io/techdocs-ref: dir:.\n  name: b\n')}`);
  });
  it('fills an empty annotations key, and a flow map', () => {
    const empty = 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: c\n  annotations:\nspec:\n  type: service\n';
    assert.equal(fix(empty, 'c', 'add-annotation:slack.com/channel'), empty.replace('  annotations:\n', '  annotations:\n    slack.com/channel: TODO\n'));
    const flow = 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: d\n  annotations: { a.io/x: y }\nspec:\n  type: service\n';
    assert.equal(fix(flow, 'd', 'add-annotation:slack.com/channel'), flow.replace('{ a.io/x', '{ slack.com/channel: TODO, a.io/x'));
  });
  it('nothing when the annotation is there or the fix is unknown', () => {
    const text = 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: e\n  annotations:\n    slack.com/channel: e\nspec:\n  type: service\n';
    assert.equal(fix(text, 'e', 'add-annotation:slack.com/channel'), undefined);
    assert.equal(fix(text, 'e', 'rewrite-everything'), undefined);
    assert.equal(quickFixTitle('add-annotation:slack.com/channel'), 'Add the annotation slack.com/channel');
    assert.equal(quickFixTitle('nope'), undefined);
  });
});
