/**
 * A `github` entry of `pavedRoad.catalog.sources` in the real server (dist/server.js over JSON-RPC),
 * pointed at the GitHub peer: until the client has sent a token for it, its status says to sign in,
 * naming the source, and the rest of the catalog is untouched.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ServerStatus, SourceStatus } from '../../server/src/protocol';
import { generateOrg } from '../peers/github/fixtures';
import { GithubPeer } from '../peers/github/peer';
import { LspClient } from './lspClient';

describe('a github source in the server', () => {
  const root = mkdtempSync(join(tmpdir(), 'paved-road-lsp-github-'));
  const workspace = join(root, 'ws');
  let peer: GithubPeer;
  let c: LspClient;
  before(async () => {
    peer = new GithubPeer([generateOrg('acme', { repos: 5 })]);
    const base = await peer.start();
    mkdirSync(workspace, { recursive: true });
    writeFileSync(join(workspace, 'catalog-info.yaml'), 'apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-1\nspec:\n  type: team\n  children: []\n');
    const settings = { files: { include: [] }, policies: {}, catalog: { sources: [{ type: 'github', org: 'acme', url: `${base}/api/graphql` }] } };
    c = await LspClient.start(workspace, settings, undefined, { storagePath: join(root, 'storage') });
  });
  after(async () => {
    await c.stop();
    await peer.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('asks to sign in, naming the source, and keeps the workspace', async () => {
    const github = (): SourceStatus | undefined => ((c.status as unknown as ServerStatus | undefined)?.sources ?? []).find((s) => s.type === 'github');
    await c.until(() => github()?.error !== undefined, 15_000, () => JSON.stringify(c.status));
    const s = github()!;
    assert.match(s.id, /^github:127\.0\.0\.1:\d+\/acme$/);
    assert.equal(s.nextStep, 'signIn');
    assert.equal(s.state, 'empty');
    assert.equal(s.error, `no GitHub token: set one in the sign-in for ${s.id}`);
    assert.equal(peer.requests.length, 0, 'nothing is sent without a token');
    const workspaceStatus = ((c.status as unknown as ServerStatus).sources ?? []).find((x) => x.type === 'workspace')!;
    assert.equal(workspaceStatus.entities, 1);
  });
});
