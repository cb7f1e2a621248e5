/** The scorecard CodeLens over real JSON-RPC: one per scored entity, kept current by edits, files and scorecard changes. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeLens } from 'vscode-languageserver/node';
import { write } from '../unit/scaffolding/fixture';
import { LspClient } from './lspClient';

const root = mkdtempSync(join(tmpdir(), 'paved-road-lens-'));
const CARD = `apiVersion: paved-road.dev/v1
kind: Scorecard
id: golden-path
title: Our golden path
appliesTo: { kind: [Component], type: [service] }
rules:
  - { id: owner, title: Owned by a team, level: Bronze, condition: { relation: ownerIsGroup } }
  - { id: chat, title: Chat, level: Silver, condition: { relation: ownerIsGroup, annotation: slack.com/channel } }
  - { id: pager, title: Paged, level: Gold, condition: { field: 'metadata.annotations["pagerduty.com/service-id"]', exists: true }, fix: { quickFix: 'add-annotation:pagerduty.com/service-id' } }
  - { id: docker, title: Non-root, level: Gold, condition: { file: Dockerfile, matches: '^USER\\s+[1-9]', flags: m } }
`;
const SERVICES = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: svc
spec:
  type: service
  lifecycle: production
  owner: team-a
---
# a library: no scorecard applies
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: lib
spec:
  type: library
  lifecycle: production
  owner: team-a
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: stray
spec:
  type: service
  lifecycle: production
  owner: nobody
`;

describe('the scorecard CodeLens', () => {
  let c: LspClient;
  const path = join(root, 'svc/catalog-info.yaml');
  before(async () => {
    write(join(root, '.paved-road/scorecards/golden.yaml'), CARD);
    write(join(root, 'org.yaml'), 'apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\n  annotations:\n    slack.com/channel: team-a\nspec:\n  type: team\n  children: []\n');
    write(path, SERVICES);
    write(join(root, 'svc/Dockerfile'), 'FROM node:22.14.0\nUSER 1000\n');
    c = await LspClient.start(root);
    await c.waitForIndex();
  });
  after(async () => {
    await c.stop();
    rmSync(root, { recursive: true, force: true });
  });
  /** The lenses as the editor shows them: asked for, then each resolved. */
  const lenses = async (uri: string): Promise<CodeLens[]> => {
    const unresolved: CodeLens[] = await c.conn.sendRequest('textDocument/codeLens', { textDocument: { uri } });
    // Truthy data: vscode-languageclient leaves out a lens's data that is not (0 included).
    assert.ok(unresolved.every((l) => !l.command && typeof l.data === 'number' && l.data > 0), 'resolved on demand');
    return Promise.all(unresolved.map((l) => c.conn.sendRequest('codeLens/resolve', l) as Promise<CodeLens>));
  };
  const titles = async (uri: string) => (await lenses(uri)).map((l) => [l.range.start.line, l.command?.title]);

  it('one lens above each scored entity, with the level and what the next one needs, opening the scorecard', async () => {
    const { uri } = await c.open(path);
    const ls = await lenses(uri);
    assert.deepEqual(
      ls.map((l) => [l.range.start.line, l.command?.title]),
      [
        [0, 'Scorecard: Silver · 1 check to Gold'],
        [18, 'Scorecard: no level yet · 1 check to Bronze'],
      ],
    );
    assert.deepEqual(ls[0].command?.command, 'pavedRoad.showScorecard');
    assert.deepEqual(ls[0].command?.arguments, ['component:default/svc']);
    const group = await c.open(join(root, 'org.yaml'));
    assert.deepEqual(await lenses(group.uri), []);
  });

  it('follows the edits of the file, in the same round as the diagnostics', async () => {
    const uri = c.uriOf(path);
    await c.change(uri, SERVICES.replace('  name: svc\n', '  name: svc\n  annotations:\n    pagerduty.com/service-id: P1\n'));
    assert.deepEqual((await titles(uri))[0], [0, 'Scorecard: Gold · all checks pass']);
    await c.change(uri, SERVICES.replace('owner: nobody', 'owner: team-a'));
    assert.deepEqual(await titles(uri), [
      [0, 'Scorecard: Silver · 1 check to Gold'],
      [18, 'Scorecard: Silver · 1 check to Gold'],
    ]);
  });

  it("offers a failing rule's quick fix as a code action on its entity; applied, it changes the level", async () => {
    const uri = c.uriOf(path);
    const actions: { title: string; kind?: string; edit?: { changes: Record<string, { range: { start: { line: number; character: number } }; newText: string }[]> } }[] = await c.conn.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 3, character: 2 }, end: { line: 3, character: 2 } },
      context: { diagnostics: [] },
    });
    const fix = actions.find((a) => a.title.startsWith('Add the annotation pagerduty.com/service-id'));
    assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
    assert.equal(fix.title, 'Add the annotation pagerduty.com/service-id (scorecard: Paged, Gold)');
    assert.equal(fix.kind, 'quickfix');
    const [e] = fix.edit!.changes[uri];
    const lines = c.text(uri).split('\n');
    lines.splice(e.range.start.line, 0, ...e.newText.replace(/\n$/, '').split('\n'));
    await c.change(uri, lines.join('\n'));
    assert.deepEqual((await titles(uri))[0], [0, 'Scorecard: Gold · all checks pass']);
    assert.match(c.text(uri), /  annotations:\n    pagerduty\.com\/service-id: TODO\n  name: svc\n/);
    await c.change(uri, SERVICES.replace('owner: nobody', 'owner: team-a'));
  });

  it('follows repository files and scorecard files changed on disk', async () => {
    const uri = c.uriOf(path);
    write(join(root, 'svc/Dockerfile'), 'FROM node:22.14.0\nUSER root\n');
    await c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: c.uriOf(join(root, 'svc/Dockerfile')), type: 2 }] });
    assert.deepEqual((await titles(uri))[0], [0, 'Scorecard: Silver · 2 checks to Gold']);
    write(join(root, '.paved-road/scorecards/golden.yaml'), CARD.replace('level: Gold, condition: { file', 'level: Silver, condition: { file'));
    await c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: c.uriOf(join(root, '.paved-road/scorecards/golden.yaml')), type: 2 }] });
    assert.deepEqual((await titles(uri))[0], [0, 'Scorecard: Bronze · 1 check to Silver']);
    // A second scorecard that applies: each lens says which.
    write(join(root, '.paved-road/scorecards/prod.yaml'), CARD.replace('id: golden-path', 'id: production').replace('title: Our golden path', 'title: Production ready'));
    await c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: c.uriOf(join(root, '.paved-road/scorecards/prod.yaml')), type: 1 }] });
    assert.deepEqual((await titles(uri)).slice(0, 2), [
      [0, 'Our golden path: Bronze · 1 check to Silver'],
      [0, 'Production ready: Silver · 2 checks to Gold'],
    ]);
  });
});
