/** EditorDocument against vscode-languageserver-textdocument's TextDocument: the same text and positions after every edit. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { EditorDocument } from '../../server/src/lsp/editorDocument';
import { Rng } from '../fuzz/mutators';

const ROOT = join(__dirname, '../..');
const PIECES = ['x', 'ab', '\n', '\r\n', '\r', '---\n', '  name: a\n', 'é', '😀', ''];

/** Random text of about `n` characters: lines of words, with every kind of line end. */
function randomText(rng: Rng, n: number): string {
  let s = '';
  while (s.length < n) s += rng.chance(0.1) ? rng.pick(PIECES) : `${'k'.repeat(rng.int(30))}: v${rng.int(100)}${rng.pick(['\n', '\n', '\n', '\r\n', '\r'])}`;
  return s;
}

function sameAs(ours: EditorDocument, theirs: TextDocument, rng: Rng, what: string): void {
  const text = theirs.getText();
  assert.equal(ours.length, text.length, `${what}: length`);
  assert.equal(ours.lineCount, theirs.lineCount, `${what}: lineCount`);
  for (let k = 0; k < 20; k++) {
    const a = rng.int(text.length + 2);
    const b = a + rng.int(40000);
    assert.equal(ours.slice(a, b), text.slice(a, b), `${what}: slice(${a}, ${b})`);
    assert.deepEqual(ours.positionAt(a), theirs.positionAt(a), `${what}: positionAt(${a})`);
    const pos = { line: rng.int(theirs.lineCount + 1), character: rng.int(60) };
    assert.equal(ours.offsetAt(pos), theirs.offsetAt(pos), `${what}: offsetAt(${JSON.stringify(pos)})`);
    assert.deepEqual(ours.getLineRange(pos.line), theirs.getLineRange(pos.line), `${what}: getLineRange(${pos.line})`);
    assert.equal(ours.getEOLCharacters(pos.line), theirs.getEOLCharacters(pos.line), `${what}: getEOLCharacters(${pos.line})`);
  }
  if (rng.chance(0.1)) assert.equal(ours.getText(), text, `${what}: getText`);
}

describe('EditorDocument', () => {
  it('keeps the same text, lines and positions as TextDocument over random edits of large and small texts', () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const rng = new Rng(seed);
      const initial = seed === 1 ? readFileSync(join(ROOT, 'demo/platform-org/org.yaml'), 'utf8').repeat(40) : randomText(rng, seed % 2 ? 100 : 120_000);
      const ours = EditorDocument.create('file:///a.yaml', 'yaml', 1, initial);
      const theirs = TextDocument.create('file:///a.yaml', 'yaml', 1, initial);
      for (let i = 0; i < 700; i++) {
        const text = theirs.getText();
        const a = rng.int(text.length + 1);
        const b = Math.min(text.length, a + (rng.chance(0.7) ? rng.int(3) : rng.int(rng.chance(0.9) ? 200 : 60000)));
        const insert = rng.chance(0.3) ? '' : rng.chance(0.8) ? rng.pick(PIECES) : rng.chance(0.5) ? text.slice(rng.int(text.length), rng.int(text.length)) : randomText(rng, rng.int(40000));
        const [s, e] = rng.chance(0.1) ? [b, a] : [a, b];
        const range = { start: theirs.positionAt(s), end: theirs.positionAt(e) };
        const change = rng.chance(0.02) ? { text: randomText(rng, rng.int(50000)) } : { range, text: insert };
        ours.update([change], i + 2);
        TextDocument.update(theirs, [change], i + 2);
        assert.equal(ours.version, i + 2);
        sameAs(ours, theirs, rng, `seed ${seed}, edit ${i}`);
      }
      assert.equal(ours.getText(), theirs.getText());
    }
  });

  it('an edit does not make the whole text: slices come from the blocks', () => {
    const text = readFileSync(join(ROOT, 'demo/platform-org/org.yaml'), 'utf8').repeat(200);
    const doc = EditorDocument.create('file:///b.yaml', 'yaml', 1, text);
    doc.update([{ range: { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } }, text: '# a comment\n' }], 2);
    assert.equal(doc.slice(0, 200), `${text.split('\n').slice(0, 3).join('\n')}\n# a comment\n${text.split('\n').slice(3).join('\n')}`.slice(0, 200));
    // The whole text is not kept: made on demand.
    assert.equal((doc as unknown as { whole: string | undefined }).whole, undefined);
    assert.equal(doc.getText().length, text.length + 12);
  });
});
