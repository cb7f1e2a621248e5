// Scenario "backstage-source": the workspace settings name a real Backstage catalog (test/peers/backstage,
// started by the scenario on 127.0.0.1 with a static token) as a catalog source.
//   needs-token   once Backstage is up, "Refresh Catalog Sources": the source answers 401; a notification
//                 names it with a Sign In action, the status bar warns, and its details say "Sign in"
//   sign-in       "Paved Road: Set Source Token…" from the command palette, the token typed into the
//                 password box: the Catalog view fills with Backstage's teams and what they own, and the
//                 workspace's references to them resolve (no "not found" in the Problems panel)
//   backend-gone  Backstage is stopped and the catalog refreshed: the Catalog view keeps its entities and
//                 the status bar says the source is stale
// Expected values come from the fixture YAML that Backstage itself serves.
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { FIXTURES_DIR, startBackstage, type BackstagePeer } from '../../peers/backstage/peer';
import { CATALOG, show, statusItem, statusUntil, views } from '../lib/catalog-views';
import { check, until, type Scenario, type StepContext } from '../lib/harness';
import type { TreeRow } from '../lib/views';

const LABEL = 'Acme Backstage';
const TOKEN = 'e2e-backstage-token-42';
const SERVICE = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: e2e-checkout
spec:
  type: service
  lifecycle: production
  owner: group:team-1
  system: system-2
  dependsOn:
    - resource:db-3
`;

let peer: Promise<BackstagePeer> | undefined;

/** The teams Backstage serves, each with the number of sound (not quarantined) entities it owns, the workspace's included. */
function fixtureOwners(): Map<string, { title: string; owns: number }> {
  const texts = [...readdirSync(FIXTURES_DIR).filter((f) => f.endsWith('.yaml')).map((f) => readFileSync(join(FIXTURES_DIR, f), 'utf8')), SERVICE];
  const docs = texts.flatMap((t) => parseAllDocuments(t).map((d) => d.toJS() as { kind: string; metadata: { name: string; title?: string }; spec?: { owner?: string } }));
  const owners = new Map<string, { title: string; owns: number }>();
  for (const d of docs) if (d.kind === 'Group') owners.set(`group:${d.metadata.name}`, { title: d.metadata.title ?? d.metadata.name, owns: 0 });
  for (const d of docs) {
    const o = d.kind !== 'Environment' && d.spec?.owner ? owners.get(d.spec.owner) : undefined;
    if (o) o.owns++;
  }
  return owners;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}


/** The Catalog view's top level, once it lists the fixture teams with their counts. */
async function teamRows(ctx: StepContext, what: string): Promise<TreeRow[]> {
  const owners = [...fixtureOwners().values()];
  return until(
    what,
    async (seen) => {
      const rows = (await views(ctx).rows(CATALOG)).filter((r) => r.level === 1);
      seen(show(rows));
      return rows.length > 0 && owners.every((o) => rows.some((r) => r.label === o.title && r.description === String(o.owns))) ? rows : undefined;
    },
    60_000,
  );
}

async function refresh(ctx: StepContext): Promise<void> {
  await ctx.wb.runCommand('Paved Road: Refresh Catalog Sources');
}

const scenario: Scenario = {
  name: 'backstage-source',
  description: 'a real Backstage as a catalog source: sign in with the token command, the Catalog view fills, the backend goes away and the entities stay, stale',

  async prepare(info) {
    // The fixtures are copied into the run's folder: the backend's command line then names the run, and
    // the runner's clean-up finds it even if the scenario cannot stop it.
    const fixtures = join(info.runDir, 'backstage-fixtures');
    cpSync(FIXTURES_DIR, fixtures, { recursive: true });
    const port = await freePort();
    peer = startBackstage({ token: TOKEN, fixtures, port, timeoutMs: 150_000 });
    peer.catch(() => undefined); // awaited by the first step
    mkdirSync(join(info.workspace, '.vscode'), { recursive: true });
    writeFileSync(
      join(info.workspace, '.vscode/settings.json'),
      `${JSON.stringify({ 'pavedRoad.catalog.sources': [{ type: 'backstage', url: `http://127.0.0.1:${port}`, label: LABEL }] }, null, 2)}\n`,
    );
    writeFileSync(join(info.workspace, 'catalog-info.yaml'), SERVICE);
  },

  steps: [
    {
      name: 'needs-token',
      timeoutMs: 200_000,
      async run(ctx) {
        const p = await peer!;
        ctx.note(`Backstage ready on ${p.url} (pid ${p.pid}) after ${p.readyMs} ms with ${p.entities} entities`);
        await ctx.wb.openFile('catalog-info.yaml');
        await views(ctx).openContainer('Paved Road', CATALOG);
        await refresh(ctx);
        const toast = ctx.page.locator('.notifications-toasts .notification-toast').filter({ hasText: `${LABEL} needs a token` }).first();
        await toast.waitFor({ state: 'visible', timeout: 60_000 });
        const message = (await toast.innerText()).replace(/\s+/g, ' ');
        check(/401/.test(message) && !message.includes(TOKEN), 'the notification says Backstage answered 401', message);
        check((await toast.locator('.monaco-button', { hasText: 'Sign In' }).count()) === 1, 'the notification offers Sign In', message);
        ctx.note(`notification: ${message}`);
        const status = await statusUntil(ctx, 'the status bar to warn about the source', (label, warning) => warning && label.includes(LABEL), 30_000);
        ctx.note(`status bar: ${status}`);
        await ctx.shot('01-needs-token');
        await statusItem(ctx).click();
        const details = await until('the sources details', async (seen) => {
          const pick = await ctx.wb.quickPick();
          seen(pick);
          return pick?.rows.some((r) => r.label.includes(LABEL)) ? pick : undefined;
        });
        const row = details.rows.find((r) => r.label.includes(LABEL))!;
        check(/next: Sign in/.test(row.description) && /needs a token/.test(row.detail), 'the details say the source needs a token, next: sign in', row);
        ctx.note(`details: ${row.label} — ${row.description} — ${row.detail}`);
        await ctx.shot('02-source-details');
        await ctx.wb.reset();
        // Without Backstage's entities, the workspace's references to them are found nowhere.
        await ctx.wb.openProblems();
        const missing = await until('"not found" for the team, system and database Backstage defines', async (seen) => {
          const labels = (await ctx.wb.problems()).map((p) => p.label);
          seen(labels);
          return ["'group:team-1' not found", "system 'system-2' not found", "'resource:db-3' not found"].every((m) => labels.some((l) => l.includes(m))) ? labels : undefined;
        }, 30_000);
        ctx.note(`before the token: ${missing.length} problems, e.g. ${missing[0]}`);
      },
    },
    {
      name: 'sign-in',
      timeoutMs: 120_000,
      async run(ctx) {
        await ctx.wb.chooseCommand('Paved Road: Set Source Token…', 20_000);
        const input = ctx.page.locator('.quick-input-widget .quick-input-box input');
        await until(`the token box titled "Token for ${LABEL}"`, async (seen) => {
          const title = (await ctx.page.locator('.quick-input-widget .quick-input-title').first().textContent().catch(() => '')) ?? '';
          seen(title);
          return title.includes(`Token for ${LABEL}`);
        });
        check((await input.getAttribute('type')) === 'password', 'the token is typed into a password box');
        await ctx.page.keyboard.type(TOKEN);
        await ctx.page.keyboard.press('Enter');
        await ctx.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 20_000 });
        const rows = await teamRows(ctx, "the Catalog view to list Backstage's teams with what they own");
        ctx.note(`Catalog: ${show(rows).join(', ')}`);
        await ctx.shot('03-catalog-filled');
        // The workspace's references to Backstage's team, system and database resolve.
        await ctx.wb.openProblems();
        await until('no "not found" for what Backstage defines', async (seen) => {
          const problems = (await ctx.wb.problems()).map((p) => p.label);
          seen(problems);
          return !problems.some((l) => /not found/.test(l));
        }, 30_000);
        const status = await statusUntil(ctx, 'the status bar to stop warning', (label, warning) => !warning && !label.includes(LABEL), 20_000);
        ctx.note(`status bar: ${status}`);
        await ctx.shot('04-signed-in');
      },
    },
    {
      name: 'backend-gone',
      timeoutMs: 120_000,
      async run(ctx) {
        const before = await teamRows(ctx, 'the Catalog view before the backend goes');
        const p = await peer!;
        await p.stop();
        ctx.note(`Backstage (pid ${p.pid}) stopped`);
        await refresh(ctx);
        const status = await statusUntil(ctx, 'the status bar to say the source is stale', (label, warning) => /stale/.test(label) && warning);
        ctx.note(`status bar: ${status}`);
        const after = await teamRows(ctx, 'the Catalog view to keep its entities');
        check(JSON.stringify(show(after)) === JSON.stringify(show(before)), 'the catalog stays as it was', { before: show(before), after: show(after) });
        await ctx.shot('05-backend-gone');
      },
    },
  ],
};

export default scenario;
