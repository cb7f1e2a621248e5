/**
 * Protocol test of a workspace large enough to be read on the parse worker (dist/server.js over stdio):
 * the records that come back from the worker thread must serve every feature exactly as records parsed on
 * the main thread do (counts, positions in multi-document files, did-you-mean, hover cards), and the
 * files a scan must leave out are left out with a word in the log.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Location, MarkupContent } from 'vscode-languageserver-protocol';
import { LspClient, positionOf, uriOf } from './lspClient';

const SERVICES = 140;

const component = (n: number): string =>
  ['apiVersion: backstage.io/v1alpha1', 'kind: Component', 'metadata:', `  name: svc-${n}`, `  description: Service number ${n}.`, 'spec:', '  type: service', '  lifecycle: production', `  owner: group:${n % 2 ? 'team-b' : 'team-a'}`, `  dependsOn: [resource:db-${n}]`].join('\n');
const resource = (n: number): string => ['apiVersion: backstage.io/v1alpha1', 'kind: Resource', 'metadata:', `  name: db-${n}`, 'spec:', '  type: database', '  owner: group:team-b'].join('\n');
const group = (name: string, displayName: string): string =>
  ['apiVersion: backstage.io/v1alpha1', 'kind: Group', 'metadata:', `  name: ${name}`, 'spec:', '  type: team', `  profile: { displayName: ${displayName} }`, '  children: []'].join('\n');

describe('a workspace read on the parse worker', () => {
  let root: string;
  let c: LspClient;
  const write = (rel: string, text: string): void => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  };

  before(async () => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'paved-road-scan-')));
    write('teams/teams.yaml', [group('team-a', 'Team A'), group('team-b', 'Team B')].join('\n---\n'));
    for (let n = 0; n < SERVICES; n++) write(`services/svc-${n}/catalog-info.yaml`, `${component(n)}\n---\n${resource(n)}\n`);
    // Not catalog files, and one too large to index.
    for (let n = 0; n < 5; n++) write(`config/settings-${n}.yaml`, `retries: ${n}\nendpoints: [a, b]\n`);
    write('big/huge.catalog-info.yaml', `${component(9999)}\n# ${'x'.repeat(5.5 * 1024 * 1024)}\n`);
    c = await LspClient.start(root, undefined, { workDoneProgress: true });
    await c.waitForIndex(30000);
  });
  after(async () => {
    await c?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('indexes every entity, on the worker, and says what it left out', () => {
    assert.equal(c.lastStatus?.entities, 2 + 2 * SERVICES);
    const log = c.messages.map((m) => m.message);
    assert.ok(log.some((m) => new RegExp(`^indexed ${1 + SERVICES} catalog files, ${2 + 2 * SERVICES} entities in \\d+ ms \\(parsed on \\d+ worker threads?\\)$`).test(m)), log.join('\n'));
    assert.ok(log.some((m) => m.startsWith('not indexed: ') && m.includes('huge.catalog-info.yaml: larger than 5 MB')), log.join('\n'));
    assert.ok(!log.some((m) => /parse worker|failed/.test(m)), log.join('\n'));
  });

  it('shows the scan as work in progress, file by file, to the end', () => {
    const files = 1 + SERVICES + 5 + 1; // every YAML file found, the ones left out included
    const [begin, ...rest] = c.progress;
    assert.deepEqual(begin, { kind: 'begin', title: 'Paved Road: reading the catalog', percentage: 0, cancellable: false });
    assert.deepEqual(rest.at(-1), { kind: 'end' });
    const reports = rest.slice(0, -1);
    assert.ok(reports.length >= 1 && reports.every((r) => r.kind === 'report'), JSON.stringify(c.progress));
    assert.ok(reports.every((r, i) => i === 0 || r.percentage! >= reports[i - 1].percentage!), JSON.stringify(reports));
    assert.deepEqual(reports.at(-1), { kind: 'report', percentage: 100, message: `${files} of ${files} files` });
  });

  it('resolves references to worker-parsed entities, suggests their names, and goes to their exact ranges', async () => {
    const text = ['apiVersion: backstage.io/v1alpha1', 'kind: Component', 'metadata:', '  name: consumer', 'spec:', '  type: service', '  lifecycle: production', '  owner: group:team-b', '  dependsOn: [component:svc-117, resource:db-117, resource:db-11x]', ''].join('\n');
    const { uri, diagnostics } = await c.open(join(root, 'consumer/catalog-info.yaml'), text);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.range.start, (d.data as { replacements: string[] }).replacements[0]]),
      [['ref-not-found', positionOf(text, 'resource:db-11x'), 'resource:db-11']],
    );
    const target = readFileSync(join(root, 'services/svc-117/catalog-info.yaml'), 'utf8');
    const definition = async (needle: string): Promise<Location> => {
      const at = positionOf(text, needle);
      const r = (await c.conn.sendRequest('textDocument/definition', { textDocument: { uri }, position: { line: at.line, character: at.character + needle.length - 1 } })) as Location | Location[];
      return Array.isArray(r) ? r[0] : r;
    };
    // The Resource is the file's second document: its range counts the lines of the first.
    for (const [ref, name] of [['component:svc-117', 'svc-117'], ['resource:db-117', 'db-117']]) {
      const start = positionOf(target, `name: ${name}`);
      start.character += 'name: '.length;
      assert.deepEqual(await definition(ref), { uri: uriOf(join(root, 'services/svc-117/catalog-info.yaml')), range: { start, end: { line: start.line, character: start.character + name.length } } });
    }
  });

  it('answers the team card from counts kept for worker-parsed records', async () => {
    const text = ['apiVersion: backstage.io/v1alpha1', 'kind: Resource', 'metadata:', '  name: cache', 'spec:', '  type: cache', '  owner: group:team-a', ''].join('\n');
    const { uri } = await c.open(join(root, 'cache/catalog-info.yaml'), text);
    const at = positionOf(text, 'team-a');
    const h = await c.hover(uri, at.line, at.character + 2);
    const card = (h?.contents as MarkupContent).value;
    assert.match(card, /^\*\*Team A\*\* · Group · team/);
    // 70 Components (the even-numbered services) and the Resource being edited here.
    assert.ok(card.includes('- Owns: 70 Components, 1 Resource'), card);
  });
});
