/** The editor's help with template.yaml, offsets in and out: problems on their place, completion by level, hover. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { manifestCompletions, manifestHover, manifestProblems } from '../../../server/src/scaffolding/manifestLanguage';

const base = `apiVersion: paved-road.dev/v1
kind: Template
id: db
version: 1.0.0
type: addition
title: Database
description: A database.
parameters:
  type: object
  properties:
    name: { type: string, pattern: '[a-z' }
`;

const at = (text: string, marker: string): number => text.indexOf(marker) + marker.length;
const labels = (text: string, offset: number): string[] => manifestCompletions(text, offset).map((e) => e.label);

describe('template.yaml in the editor', () => {
  it('puts the checks the schema cannot make on the value (or the key of a list) they are about', () => {
    const text = `${base}remove: [a.txt]\n`;
    const problems = manifestProblems(text).map((p) => [p.message.split(':')[0], text.slice(p.start, p.end)]);
    assert.deepEqual(problems, [
      ['parameters.properties.name.pattern is not a valid regular expression', "'[a-z'"],
      ['remove needs extends', 'remove'],
    ]);
    assert.ok(manifestProblems(`${base}  - oops\n`).every((p) => p.code === 'yaml-syntax'));
    assert.deepEqual(manifestProblems(base.replace("'[a-z'", () => "'^[a-z]+$'"), '/t/db/1.0.0/template.yaml'), []);
  });

  it('offers the keys of the level the cursor is on, in a list item too', () => {
    const rules = `${base}rules:\n  - id: r\n    \n`;
    assert.deepEqual(labels(rules, at(rules, '- id: r\n    ')).sort(), ['message', 'require', 'when']);
    const newItem = `${base}rules:\n  - id: r\n    message: m\n  - `;
    assert.deepEqual(labels(newItem, newItem.length).sort(), ['id', 'message', 'require', 'when']);
    const edits = `${base}edits:\n  dependsOn: []\n  app`;
    const e = manifestCompletions(edits, edits.length);
    assert.deepEqual(e.map((x) => x.label), ['appendEntities']);
    assert.equal(edits.slice(0, e[0].replaceStart) + e[0].insertText, `${base}edits:\n  dependsOn: []\n  appendEntities: `);
    const condition = `${base}rules:\n  - id: r\n    when:\n      tags:\n        `;
    assert.deepEqual(labels(condition, condition.length), ['equals', 'contains', 'pattern']);
    assert.deepEqual(labels(`${base}parameters2:\n  `, base.length + 16), [], 'an unknown key has no schema');
  });

  it('offers the values of enums and constants', () => {
    const text = base.replace('type: addition', 'type: ');
    assert.deepEqual(labels(text, at(text, 'type: ')), ['service', 'addition']);
    assert.deepEqual(labels(base, at(base, 'kind: ')), ['Template']);
  });

  it('explains a key on hover', () => {
    const h = manifestHover(base, at(base, 'param'))!;
    assert.match(h.contents, /^\*\*parameters\*\*\n\nThe questions/);
    assert.equal(base.slice(h.start, h.end), 'parameters');
    assert.match(manifestHover(base, at(base, 'versi'))!.contents, /semver/);
    assert.equal(manifestHover(base, at(base, 'description: A da')), undefined);
  });
});
