/** `paved-road ingest`: sources into one snapshot, judged, written atomically; one-line failures. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from './runCli';

/** Runs the CLI in `cwd`. */
const run = (args: string[], cwd: string) => runCli(args, { cwd });

const yaml = (kind: string, name: string, spec: string) => `apiVersion: backstage.io/v1alpha1\nkind: ${kind}\nmetadata:\n  name: ${name}\nspec:\n${spec}`;
const component = (name: string, lifecycle: unknown = 'production') => ({ apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name, uid: 'u', etag: 'e' }, spec: { type: 'service', lifecycle, owner: 'group:team-a' }, relations: [{ type: 'ownedBy', targetRef: 'group:default/team-a' }] });

describe('paved-road ingest', () => {
  let dir: string;
  let server: ReturnType<typeof createServer>;
  let base: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'paved-road-ingest-'));
    mkdirSync(join(dir, 'repo/team'), { recursive: true });
    writeFileSync(join(dir, 'repo/team/catalog-info.yaml'), `${yaml('Group', 'team-a', '  type: team\n  children: []\n')}---\n${yaml('Component', 'repo-service', '  type: service\n  lifecycle: production\n  owner: group:team-a\n')}---\n${yaml('Component', 'no-owner', '  type: service\n  lifecycle: production\n')}`);
    writeFileSync(join(dir, 'export.json'), JSON.stringify([component('exported'), component('repo-service'), component('numeric', 3), 'junk']));
    server = createServer((req, res) => (req.url === '/items' ? res.end(JSON.stringify({ items: [component('remote')], totalItems: 1 })) : res.writeHead(500).end()));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('judges every entity, keeps the quarantined ones with their problems, and prints a summary', async () => {
    const r = await run(['ingest', '--from', 'folder:repo', '--from', 'snapshot:export.json', '--from', `snapshot:${base}/items`, '--out', 'out/store.json'], dir);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.deepEqual(lines.slice(0, 5), [
      'wrote out/store.json: 6 entities, 2 quarantined',
      '  by kind: Component 5, Group 1',
      `  folder:${join(dir, 'repo')}: 3 entities, 1 quarantined`,
      `  snapshot:${join(dir, 'export.json')}: 2 entities, 1 quarantined, 1 skipped (not entities), 1 duplicates dropped (an earlier source has them)`,
      `  snapshot:${base}/items: 1 entities, 0 quarantined`,
    ]);
    assert.match(lines[5], /^ {2}quarantined component:default\/no-owner: required spec\.owner is required/);
    assert.match(lines[6], /^ {2}quarantined component:default\/numeric: type spec\.lifecycle must be a string/);
    const out = JSON.parse(readFileSync(join(dir, 'out/store.json'), 'utf8'));
    assert.equal(out.version, 1);
    assert.deepEqual(out.sources.map((s: { type: string; entities: number; quarantined: number }) => [s.type, s.entities, s.quarantined]), [['folder', 3, 1], ['snapshot', 2, 1], ['snapshot', 1, 0]]);
    const byName = new Map(out.entities.map((e: { entity: { metadata: { name: string } } }) => [e.entity.metadata.name, e]));
    assert.deepEqual((byName.get('numeric') as { problems: { code: string }[] }).problems.map((p) => p.code), ['type']);
    assert.equal((byName.get('exported') as { problems?: unknown }).problems, undefined);
    // The folder's copy came first: it is the one kept.
    assert.equal((byName.get('repo-service') as { source: string }).source, `folder:${join(dir, 'repo')}`);
    assert.deepEqual(readdirSync(join(dir, 'out')), ['store.json']);

    // Its own output reads back to the same entities and verdicts.
    const again = await run(['ingest', '--from', 'snapshot:out/store.json', '--out', 'out/again.json'], dir);
    assert.equal(again.code, 0, again.stderr);
    const second = JSON.parse(readFileSync(join(dir, 'out/again.json'), 'utf8'));
    assert.deepEqual(second.entities.map((e: { entity: unknown; problems?: unknown }) => [e.entity, e.problems]), out.entities.map((e: { entity: unknown; problems?: unknown }) => [e.entity, e.problems]));
  });

  it('a source that cannot be read: exit 1, one line, no stack, the previous output untouched', async () => {
    writeFileSync(join(dir, 'kept.json'), 'previous');
    for (const [from, reason] of [
      ['snapshot:missing.json', /^paved-road: cannot read snapshot:missing\.json: .*missing\.json does not exist\n$/],
      ['folder:nowhere', /^paved-road: cannot read folder:nowhere: .*nowhere does not exist\n$/],
      [`snapshot:${base}/broken`, /^paved-road: cannot read snapshot:http:\/\/127\.0\.0\.1:\d+\/broken: .* answered 500 Internal Server Error\n$/],
    ] as const) {
      const r = await run(['ingest', '--from', 'folder:repo', '--from', from, '--out', 'kept.json'], dir);
      assert.equal(r.code, 1, from);
      assert.match(r.stderr, reason);
      assert.equal(readFileSync(join(dir, 'kept.json'), 'utf8'), 'previous');
    }
  });

  it('usage errors exit 2', async () => {
    for (const args of [['ingest', '--out', 'x.json'], ['ingest', '--from', 'folder:repo'], ['ingest', '--from', 'ftp:x', '--out', 'x.json'], ['ingest', '--from']]) {
      const r = await run(args, dir);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, /^paved-road: .*\n\nusage: paved-road validate/);
    }
  });
});
