/** The three-way merge of template updates: clean merges, diff3 conflict hunks, line ends, and random edits. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchLines, merge3 } from '../../../server/src/scaffolding/merge';
import { Rng } from '../../fuzz/mutators';

const LABELS = { ours: 'yours', base: 'template 1.0.0', theirs: 'template 1.1.0' };
const text = (...lines: string[]): string => lines.map((l) => `${l}\n`).join('');
const merge = (base: string, ours: string, theirs: string): { text: string; conflicts: number } => merge3(base, ours, theirs, LABELS);

describe('merge3', () => {
  const base = text('FROM node:22.11.0-alpine AS build', 'WORKDIR /app', 'COPY . .', 'RUN npm ci', '', 'FROM node:22.11.0-alpine', 'USER node', 'CMD ["node", "dist/server.js"]');

  it('merges a user edit and a template change in different places cleanly', () => {
    const ours = base.replace('RUN npm ci', 'RUN npm ci --omit=optional');
    const theirs = base.replace('USER node', 'USER 10001');
    assert.deepEqual(merge(base, ours, theirs), { text: base.replace('RUN npm ci', 'RUN npm ci --omit=optional').replace('USER node', 'USER 10001'), conflicts: 0 });
  });

  it('leaves different changes of the same lines as a diff3 conflict hunk with the labels', () => {
    const ours = base.replace('USER node', 'USER app');
    const theirs = base.replace('USER node', 'USER 10001');
    const r = merge(base, ours, theirs);
    assert.equal(r.conflicts, 1);
    assert.equal(
      r.text,
      text(
        'FROM node:22.11.0-alpine AS build',
        'WORKDIR /app',
        'COPY . .',
        'RUN npm ci',
        '',
        'FROM node:22.11.0-alpine',
        '<<<<<<< yours',
        'USER app',
        '||||||| template 1.0.0',
        'USER node',
        '=======',
        'USER 10001',
        '>>>>>>> template 1.1.0',
        'CMD ["node", "dist/server.js"]',
      ),
    );
  });

  it('takes the same change made on both sides once', () => {
    const both = base.replaceAll('22.11.0', '22.12.0');
    assert.deepEqual(merge(base, both, both), { text: both, conflicts: 0 });
    // The same change plus a change of one side elsewhere.
    const ours = both.replace('RUN npm ci', 'RUN npm ci --omit=dev');
    assert.deepEqual(merge(base, ours, both), { text: ours, conflicts: 0 });
  });

  it('takes insertions at the start and at the end', () => {
    const ours = `# syntax=docker/dockerfile:1\n${base}`;
    const theirs = `${base}HEALTHCHECK NONE\n`;
    assert.deepEqual(merge(base, ours, theirs), { text: `# syntax=docker/dockerfile:1\n${base}HEALTHCHECK NONE\n`, conflicts: 0 });
    // Both insert at the end, differently: a conflict with an empty base part.
    const r = merge(base, `${base}EXPOSE 8080\n`, `${base}EXPOSE 9090\n`);
    assert.equal(r.conflicts, 1);
    assert.ok(r.text.endsWith(text('<<<<<<< yours', 'EXPOSE 8080', '||||||| template 1.0.0', '=======', 'EXPOSE 9090', '>>>>>>> template 1.1.0')));
  });

  it('takes deletions, and conflicts when one side deletes what the other changed', () => {
    const ours = base.replace('COPY . .\n', '');
    const theirs = base.replace('\nUSER node', '');
    assert.deepEqual(merge(base, ours, theirs), { text: base.replace('COPY . .\n', '').replace('\nUSER node', ''), conflicts: 0 });
    const r = merge(base, base.replace('USER node\n', ''), base.replace('USER node', 'USER 10001'));
    assert.equal(r.conflicts, 1);
    assert.match(r.text, /<<<<<<< yours\n\|\|\|\|\|\|\| template 1\.0\.0\nUSER node\n=======\nUSER 10001\n>>>>>>> template 1\.1\.0\n/);
  });

  it('merges from an empty base: both added the file', () => {
    assert.deepEqual(merge('', 'a\n', 'a\n'), { text: 'a\n', conflicts: 0 });
    assert.deepEqual(merge('', 'a\n', ''), { text: 'a\n', conflicts: 0 });
    const r = merge('', text('x', 'same'), text('y', 'same'));
    assert.equal(r.text, text('<<<<<<< yours', 'x', '||||||| template 1.0.0', '=======', 'y', '>>>>>>> template 1.1.0', 'same'));
    assert.equal(r.conflicts, 1);
  });

  it('keeps CRLF line ends of ours, comparing lines without them', () => {
    const crlf = (s: string): string => s.replaceAll('\n', '\r\n');
    const ours = crlf(base.replace('RUN npm ci', 'RUN npm ci --omit=optional'));
    const theirs = base.replace('USER node', 'USER 10001');
    assert.deepEqual(merge(base, ours, theirs), { text: crlf(base.replace('RUN npm ci', 'RUN npm ci --omit=optional').replace('USER node', 'USER 10001')), conflicts: 0 });
    const r = merge(base, crlf(base.replace('USER node', 'USER app')), theirs);
    assert.equal(r.conflicts, 1);
    assert.ok(r.text.includes('\r\n=======\r\n') && !/[^\r]\n/.test(r.text));
  });

  it('keeps whether the text ends with a newline, merging that like any change', () => {
    assert.equal(merge('a\nb\nc', 'A\nb\nc', 'a\nb\nC').text, 'A\nb\nC');
    assert.equal(merge('a\nb\nc\n', 'A\nb\nc', 'a\nb\nC\n').text, 'A\nb\nC');
    assert.equal(merge('a\nb\nc', 'A\nb\nc', 'a\nb\nC\n').text, 'A\nb\nC\n');
    assert.equal(merge('a\nb\nc\n', 'b\nc\n', 'a\nb\n').text, 'b\n');
    assert.equal(merge('a\n', '', 'a\n').text, '');
    assert.equal(merge('a\n', 'b\n', '').text, text('<<<<<<< yours', 'b', '||||||| template 1.0.0', 'a', '=======', '>>>>>>> template 1.1.0'));
  });
});

/** Random edits: a region [at, at + del) replaced by `ins` new lines. */
interface Edit {
  at: number;
  del: number;
  ins: string[];
}

function applyEdits(lines: readonly string[], edits: readonly Edit[]): string[] {
  const out = [...lines];
  for (const e of [...edits].sort((x, y) => y.at - x.at)) out.splice(e.at, e.del, ...e.ins);
  return out;
}

/** Non-overlapping edits over [from, to) with at least one kept line between two of them. */
function randomEdits(rng: Rng, from: number, to: number, fresh: () => string): Edit[] {
  const edits: Edit[] = [];
  let at = from + rng.int(3);
  while (at <= to) {
    const del = Math.min(rng.int(3), to - at);
    const ins = Array.from({ length: rng.int(3) + (del === 0 ? 1 : 0) }, fresh);
    edits.push({ at, del, ins });
    at += del + 1 + rng.int(4);
  }
  return edits;
}

const join = (lines: readonly string[], eol = '\n'): string => lines.map((l) => l + eol).join('');

describe('merge3 on random edits', () => {
  it('finds a shortest edit script (as long as the textbook LCS table) in linear space, with increasing matches', () => {
    const rng = new Rng(3);
    for (let n = 0; n < 700; n++) {
      // Short ones over three letters, and longer ones: two letters (many equal lines) or near copies.
      const len = n < 500 ? 25 : 150;
      const letters = n < 600 ? 'abc'.slice(0, n < 500 ? 3 : 2) : 'abcdefghij';
      const a = Array.from({ length: rng.int(len) }, () => letters[rng.int(letters.length)]);
      const b = n < 600 ? Array.from({ length: rng.int(len) }, () => letters[rng.int(letters.length)]) : a.filter(() => rng.next() < 0.9).map((l) => (rng.next() < 0.1 ? 'z' : l));
      const m = matchLines(a, b);
      let kept = 0;
      let last = -1;
      m.forEach((j, i) => {
        if (j < 0) return;
        assert.equal(a[i], b[j]);
        assert.ok(j > last);
        last = j;
        kept++;
      });
      const lcs = Array.from({ length: a.length + 1 }, () => Array<number>(b.length + 1).fill(0));
      for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      assert.equal(kept, lcs[0][0], `${a.join('')} → ${b.join('')}`);
    }
  });

  it('when only one side changes, the result is that side (also when ours only changed its line ends)', () => {
    const rng = new Rng(11);
    for (let n = 0; n < 1000; n++) {
      const lines = Array.from({ length: rng.int(30) }, () => ['x', 'y', '', '}', `l${rng.int(50)}`][rng.int(5)]);
      let fresh = 0;
      const edited = applyEdits(lines, randomEdits(rng, 0, lines.length, () => `new ${fresh++} ${['x', 'y'][rng.int(2)]}`));
      const b = join(lines);
      const t = join(edited);
      assert.deepEqual(merge3(b, b, t, LABELS), { text: t, conflicts: 0 });
      assert.deepEqual(merge3(b, t, b, LABELS), { text: t, conflicts: 0 });
      if (lines.length === 0) continue; // no line ends to keep
      // Through the whole diff3 walk: the same lines with other line ends.
      assert.deepEqual(merge3(b, join(lines, '\r\n'), t, LABELS), { text: join(edited, '\r\n'), conflicts: 0 }, JSON.stringify({ lines, edited }));
      assert.deepEqual(merge3(join(lines, '\r\n'), t, join(lines, '\r\n'), LABELS), { text: t, conflicts: 0 });
    }
  });

  it('merges edits of the two sides in separate places into both, and conflicts in overlapping ones', () => {
    const rng = new Rng(29);
    for (let n = 0; n < 1000; n++) {
      const lines = Array.from({ length: 2 + rng.int(40) }, (_, i) => `line ${i}`);
      const split = 1 + rng.int(lines.length - 1); // ours edits before `split`, theirs after it: the line at split stays
      let fresh = 0;
      const mine = randomEdits(rng, 0, split - 1, () => `ours ${fresh++}`);
      const yours = randomEdits(rng, split + 1, lines.length, () => `theirs ${fresh++}`);
      const [o, t] = rng.int(2) ? [mine, yours] : [yours, mine];
      const want = join(applyEdits(lines, [...o, ...t]));
      assert.deepEqual(merge3(join(lines), join(applyEdits(lines, o)), join(applyEdits(lines, t)), LABELS), { text: want, conflicts: 0 });
      // Both sides replace the same line differently: one conflict hunk, the rest merged.
      const at = rng.int(lines.length);
      const r = merge3(join(lines), join(applyEdits(lines, [{ at, del: 1, ins: ['mine'] }])), join(applyEdits(lines, [{ at, del: 1, ins: ['theirs'] }])), LABELS);
      assert.equal(r.conflicts, 1);
      assert.equal(r.text, join(applyEdits(lines, [{ at, del: 1, ins: ['<<<<<<< yours', 'mine', '||||||| template 1.0.0', lines[at], '=======', 'theirs', '>>>>>>> template 1.1.0'] }])));
    }
  });
});
