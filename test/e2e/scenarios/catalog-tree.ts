// Scenario "catalog-tree": the Paved Road side bar on the demo, whose settings add a company catalog
// snapshot (a few hundred entities, some quarantined) to the workspace's own files.
//   catalog-view   the "Paved Road" activity bar entry shows the Catalog view, grouped by owner, each
//                  group with its count; the status bar counts the entities
//   group-by       the view's "Group Catalog By…" button, "Group by kind": the groups are kinds; a group
//                  opened lists exactly as many sound entities as its count
//   degraded       a quarantined entity of the snapshot is listed with the "Degraded" badge, and its
//                  tooltip card says so
//   open-file      a click on an entity defined in the workspace opens its file on its name
//   context-menu   an entity's context menu offers open, blast radius, copy reference (and open in
//                  Backstage when the settings give its URL); copy says what it copied, blast radius lists
//                  the entity's dependents
//   open-store     a click on an entity only the snapshot has opens its YAML, read-only
//   my-team        My Team finds the user by the email in the settings and lists their teams and what
//                  each owns
//   find-entity    "Paved Road: Find Entity…" finds a snapshot entity by part of its name; picking it
//                  opens it
//   stale-source   the snapshot turns unreadable (truncated) and the view's Refresh fails: the catalog
//                  stays as it was, the status bar turns to a stale warning, and its click lists the
//                  source as stale with what to do next
//   add-source     "Paved Road: Add Catalog Source…", "Snapshot file", the path of a new snapshot in the
//                  open dialog: the workspace settings list it, its entity is found, and the Catalog
//                  counts it without being asked
//   reload         "Developer: Reload Window": the Catalog is still grouped by kind
//   warm-start     ... with the same groups: the broken snapshot's last good entities come from the cache,
//                  and the status bar still says it is stale
// Expected values come from the demo's own files (its YAML, .vscode/settings.json, the snapshot).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { copyDemo, list, namesOf, readCatalog, readSettings, readStore, refOf, type Entity, type StoreEntity } from '../lib/catalog-yaml';
import { check, until, type Scenario, type StepContext } from '../lib/harness';
import { activeEditor, CATALOG, groupBy, groups, KINDS, openGroup, rowIs, show, statusItem, statusUntil, views } from '../lib/catalog-views';
import type { TreeRow } from '../lib/views';

const MY_TEAM = 'My Team';
const SERVICE = 'payments-service/catalog-info.yaml';
const ADDED_SNAPSHOT = 'added/e2e-snapshot.json';
const ADDED_NAME = 'e2e-added-service';

// --- ground truth ---------------------------------------------------------------------------------

interface Truth {
  workspace: Entity[];
  store: StoreEntity[];
  /** The snapshot file, relative to the workspace. */
  snapshot: string;
  email: string;
}

function truth(ctx: StepContext): Truth {
  if (ctx.state.truth) return ctx.state.truth as Truth;
  const settings = readSettings(join(ctx.workspace, '.vscode/settings.json'));
  const sources = list(settings['pavedRoad.catalog.sources']) as { type?: string; path?: string }[];
  const snapshot = sources.find((s) => s.type === 'snapshot' && s.path)?.path ?? (settings['pavedRoad.catalog.snapshot'] as string | undefined);
  check(snapshot && existsSync(join(ctx.workspace, snapshot)), 'the demo settings name a snapshot file that exists', settings);
  const email = settings['pavedRoad.identity.email'];
  check(typeof email === 'string' && email.includes('@'), 'the demo settings give pavedRoad.identity.email', settings);
  const store = readStore(join(ctx.workspace, snapshot));
  check(store.length >= 100 && store.some((e) => e.quarantined), 'the snapshot holds a few hundred entities, some quarantined', { entities: store.length });
  const t: Truth = { workspace: readCatalog(ctx.workspace), store, snapshot, email };
  ctx.state.truth = t;
  return t;
}

const scenario: Scenario = {
  name: 'catalog-tree',
  description: 'the Catalog and My Team views, grouping, Degraded entities, click-through, Find Entity and a stale source on the demo',

  prepare(info) {
    copyDemo(info);
    // The snapshot add-source adds, there from the start (the open dialog lists what it saw at first).
    // Backstage's own shape (the array of GET /api/catalog/entities) is a snapshot too.
    const entity = { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name: ADDED_NAME }, spec: { type: 'service', lifecycle: 'production', owner: 'group:payments-team' } };
    mkdirSync(join(info.workspace, dirname(ADDED_SNAPSHOT)), { recursive: true });
    writeFileSync(join(info.workspace, ADDED_SNAPSHOT), JSON.stringify([entity]));
  },

  steps: [
    {
      name: 'catalog-view',
      timeoutMs: 90_000,
      async run(ctx) {
        await views(ctx).openContainer('Paved Road', CATALOG);
        await views(ctx).expand(CATALOG);
        const t = truth(ctx);
        const service = t.workspace.find((e) => e.file === SERVICE && e.kind === 'Component');
        check(service, `${SERVICE} defines a Component`);
        const ownerRef = refOf(service.raw.spec.owner, 'group')!;
        const owner = [...t.workspace, ...t.store].find((e) => e.ref === ownerRef);
        const rows = await groupBy(ctx, 'owner');
        ctx.note(`Catalog by owner: ${show(rows).join(' | ')}`);
        await views(ctx).reveal(CATALOG, `the group of ${ownerRef}`, (r) => r.level === 1 && rowIs(namesOf(owner?.raw, ownerRef))(r));
        const status = await until('the status bar to count the entities', async (seen) => {
          const text = await statusItem(ctx).innerText();
          seen(text);
          return /\d[\d,]* entities/.test(text) ? text : undefined;
        });
        ctx.note(`status bar: ${status}`);
        await ctx.shot('01-catalog-by-owner');
      },
    },
    {
      name: 'group-by',
      async run(ctx) {
        const rows = await groupBy(ctx, 'kind');
        ctx.note(`Catalog by kind: ${show(rows).join(' | ')}`);
        check(rows.some((r) => r.label === 'Component') && rows.some((r) => r.label === 'API'), 'the kinds include Component and API', show(rows));
        // The smallest group: its count is the number of its sound (not Degraded) entities.
        const small = rows.filter((r) => Number(r.description) > 0).sort((a, b) => Number(a.description) - Number(b.description))[0];
        const open = await openGroup(ctx, small.label);
        const children = await until(`the entities of ${small.label}`, async (seen) => {
          const all = await views(ctx).rows(CATALOG);
          const next = all.find((r) => r.index > open.index && r.level === 1);
          const kids = all.filter((r) => r.index > open.index && r.level === 2 && (!next || r.index < next.index));
          seen(show(kids));
          return kids.filter((k) => !k.description.startsWith('Degraded')).length === Number(small.description) ? kids : undefined;
        });
        ctx.note(`${small.label} (${small.description}): ${show(children).join(' | ')}`);
        await ctx.shot('02-catalog-by-kind');
      },
    },
    {
      name: 'degraded',
      async run(ctx) {
        const t = truth(ctx);
        const workspaceRefs = new Set(t.workspace.map((e) => e.ref));
        const bad = t.store.filter((e) => e.quarantined && !workspaceRefs.has(e.ref) && KINDS.includes(e.kind));
        check(bad.length > 0, 'the snapshot has a quarantined entity of a built-in kind that the workspace does not define');
        const target = bad[0];
        await groupBy(ctx, 'kind');
        await openGroup(ctx, target.kind);
        const row = await views(ctx).reveal(CATALOG, `${target.ref} marked Degraded`, (r) => r.level === 2 && rowIs(namesOf(target.raw, target.ref))(r));
        check(row.description.startsWith('Degraded'), `${target.ref} reads "Degraded"`, row);
        ctx.note(`Degraded: ${row.label} [${row.description}]`);
        await views(ctx).row(CATALOG, row.index).hover();
        const tip = await until('the tooltip card of the Degraded entity', async (seen) => {
          const hover = ctx.page.locator('.workbench-hover, .monaco-hover:not(.hidden)').last();
          const text = (await hover.isVisible()) ? await hover.innerText() : '';
          seen(text);
          return /Degraded/.test(text) ? text : undefined;
        });
        ctx.note(`tooltip: ${tip.replace(/\s+/g, ' ').slice(0, 300)}`);
        await ctx.shot('03-degraded');
        await ctx.page.mouse.move(900, 400); // away from the row: the tooltip goes
        await ctx.page.locator('.workbench-hover').first().waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => ctx.page.keyboard.press('Escape'));
      },
    },
    {
      name: 'open-file',
      async run(ctx) {
        const t = truth(ctx);
        const service = t.workspace.find((e) => e.file === SERVICE && e.kind === 'Component')!;
        await groupBy(ctx, 'kind');
        await openGroup(ctx, 'Component');
        const row = await views(ctx).reveal(CATALOG, service.ref, (r) => r.level === 2 && rowIs(namesOf(service.raw, service.ref))(r));
        await views(ctx).click(CATALOG, row);
        await activeEditor(ctx, 'catalog-info.yaml');
        const cursor = await until(`the cursor on line ${service.nameLine}`, async (seen) => {
          const [crumbs, c] = [await ctx.wb.breadcrumbs(), await ctx.wb.cursor()];
          seen({ crumbs, c });
          return crumbs.startsWith(SERVICE) && c?.line === service.nameLine ? c : undefined;
        });
        ctx.note(`clicked ${row.label}: ${SERVICE} at Ln ${cursor.line}, Col ${cursor.column}`);
      },
    },
    {
      name: 'context-menu',
      async run(ctx) {
        const t = truth(ctx);
        const service = t.workspace.find((e) => e.file === SERVICE && e.kind === 'Component')!;
        const settings = readSettings(join(ctx.workspace, '.vscode/settings.json'));
        await groupBy(ctx, 'kind');
        await openGroup(ctx, 'Component');
        const find = () => views(ctx).reveal(CATALOG, service.ref, (r) => r.level === 2 && rowIs(namesOf(service.raw, service.ref))(r));
        const titles = await views(ctx).contextMenu(CATALOG, await find());
        ctx.note(`context menu of ${service.ref}: ${titles.join(' | ')}`);
        const expected = ['Open Entity Source', 'Show Blast Radius', 'Copy Entity Reference'];
        check(expected.every((x) => titles.includes(x)), 'the context menu offers open, blast radius and copy', titles);
        const backstage = typeof settings['pavedRoad.catalog.backstageUrl'] === 'string' && settings['pavedRoad.catalog.backstageUrl'] !== '';
        check(titles.includes('Open in Backstage') === backstage, `"Open in Backstage" is offered ${backstage ? 'with' : 'only with'} a Backstage URL`, titles);
        await views(ctx).chooseMenuItem('Copy Entity Reference');
        await until(`the status bar to say it copied ${service.ref}`, async () => (await ctx.page.locator('.part.statusbar').innerText()).includes(`Copied ${service.ref}`));
        // payments-db: what depends on it (the catalog scenario checks the list itself).
        const db = t.workspace.find((e) => e.ref === 'resource:default/payments-db');
        check(db, 'the demo defines resource:default/payments-db');
        await groupBy(ctx, 'kind');
        await openGroup(ctx, 'Resource');
        const dbRow = await views(ctx).reveal(CATALOG, db.ref, (r) => r.level === 2 && rowIs(namesOf(db.raw, db.ref))(r));
        await views(ctx).contextMenu(CATALOG, dbRow);
        await views(ctx).chooseMenuItem('Show Blast Radius');
        const pick = await until('the blast radius quick pick', async (seen) => {
          const p = await ctx.wb.quickPick();
          seen(p);
          return p?.title.startsWith(`Blast radius of ${db.ref}`) && p.rows.length > 0 ? p : undefined;
        });
        ctx.note(`blast radius: ${pick.title}`);
        await ctx.wb.reset();
      },
    },
    {
      name: 'open-store',
      async run(ctx) {
        const t = truth(ctx);
        const workspaceRefs = new Set(t.workspace.map((e) => e.ref));
        const target = t.store.find((e) => e.kind === 'Component' && !e.quarantined && !workspaceRefs.has(e.ref));
        check(target, 'the snapshot has a sound Component the workspace does not define');
        await groupBy(ctx, 'kind');
        await openGroup(ctx, 'Component');
        const row = await views(ctx).reveal(CATALOG, target.ref, (r) => r.level === 2 && rowIs(namesOf(target.raw, target.ref))(r));
        await views(ctx).click(CATALOG, row);
        await activeEditor(ctx, `${target.name}.yaml`);
        await until(`the YAML of ${target.ref}`, async () => (await ctx.wb.editorText()).includes(`name: ${target.name}`));
        // Read-only: typing changes nothing and leaves no unsaved change.
        await ctx.wb.editor.click();
        const before = await ctx.wb.editorText();
        await ctx.page.keyboard.type('x');
        check((await ctx.wb.editorText()) === before, 'the store entity opens read-only');
        check((await ctx.page.locator('.tabs-container .tab.active.dirty').count()) === 0, 'no unsaved change');
        ctx.note(`clicked ${row.label}: ${target.name}.yaml, read-only`);
        await ctx.shot('04-store-entity');
      },
    },
    {
      name: 'my-team',
      async run(ctx) {
        const t = truth(ctx);
        // One definition per ref: the workspace's wins over the snapshot's copy.
        const byRef = new Map<string, { ref: string; kind: string; raw: any; quarantined: boolean }>();
        for (const e of [...t.workspace.map((w) => ({ ...w, quarantined: false })), ...t.store]) if (!byRef.has(e.ref)) byRef.set(e.ref, e);
        const all = [...byRef.values()];
        const user = all.find((e) => e.kind === 'User' && String(e.raw.spec?.profile?.email ?? '').toLowerCase() === t.email.toLowerCase());
        check(user, `a User has the email ${t.email}`);
        const teamRefs = new Set(list(user.raw.spec?.memberOf).map((g) => refOf(g, 'group', user.raw.metadata.namespace ?? 'default')));
        for (const g of all) if (g.kind === 'Group' && list(g.raw.spec?.members).some((m) => refOf(m, 'user') === user.ref)) teamRefs.add(g.ref);
        const teams = all.filter((e) => e.kind === 'Group' && teamRefs.has(e.ref));
        check(teams.length > 0, `${user.ref} is in a team`);
        const v = views(ctx);
        await v.expand(MY_TEAM);
        const rows = await until(`My Team to list ${teams.map((g) => g.ref).join(', ')}`, async (seen) => {
          const r = await v.rows(MY_TEAM);
          seen({ message: await v.message(MY_TEAM), rows: show(r) });
          const top = r.filter((x) => x.level === 1);
          return top.length === teams.length && teams.every((g) => top.some(rowIs(namesOf(g.raw, g.ref)))) ? r : undefined;
        }, 30_000);
        const message = await v.message(MY_TEAM);
        check(message.includes(t.email), `My Team says who the user is (${t.email})`, message);
        // The first team's rows (as many as the pane shows) are what it owns, from the files and the snapshot.
        const first = rows.find((r) => r.level === 1)!;
        const team = teams.find((g) => rowIs(namesOf(g.raw, g.ref))(first))!;
        const owned = all.filter((e) => refOf(e.raw.spec?.owner, 'group', e.raw.metadata?.namespace ?? 'default') === team.ref);
        check(first.description === String(owned.filter((e) => !e.quarantined).length), `${team.ref} counts the ${owned.filter((e) => !e.quarantined).length} sound entities it owns`, first);
        const kids = await until(`the entities ${team.ref} owns`, async (seen) => {
          const r = (await v.rows(MY_TEAM)).filter((x) => x.level === 2);
          seen(show(r));
          return r.length >= Math.min(5, owned.length) ? r : undefined;
        });
        const strangers = kids.filter((k) => !owned.some((o) => rowIs(namesOf(o.raw, o.ref))(k)));
        check(strangers.length === 0, `every entity listed under ${team.ref} is one it owns`, show(strangers));
        ctx.note(`My Team (${message}): ${show(rows.filter((r) => r.level === 1)).join(' | ')}; ${team.ref} owns ${owned.length}, ${kids.length} in view`);
        await ctx.shot('05-my-team');
      },
    },
    {
      name: 'find-entity',
      async run(ctx) {
        const t = truth(ctx);
        const workspaceRefs = new Set(t.workspace.map((e) => e.ref));
        const target = t.store.find((e) => !e.quarantined && !workspaceRefs.has(e.ref) && e.name.length >= 8)!;
        const query = target.name.slice(0, Math.ceil(target.name.length * 0.6));
        await ctx.wb.chooseCommand('Paved Road: Find Entity…', 20_000);
        await until('the Find Entity quick pick', async () => (await ctx.wb.quickPick())?.title.startsWith('Find Entity'));
        await ctx.page.keyboard.type(query);
        const pick = await until(`Find Entity to list ${target.ref} for "${query}"`, async (seen) => {
          const p = await ctx.wb.quickPick();
          seen(p);
          return p?.title.endsWith(`for "${query}"`) && p.rows.some((r) => r.description === target.ref) ? p : undefined;
        });
        ctx.note(`"${query}": ${pick.title}; ${pick.rows.slice(0, 5).map((r) => `${r.label} [${r.description}] ${r.detail}`).join(' | ')}`);
        await ctx.shot('06-find-entity');
        const label = pick.rows.find((r) => r.description === target.ref)!.label;
        await ctx.wb.pickQuickPickRow(label);
        await activeEditor(ctx, `${target.name}.yaml`);
      },
    },
    {
      name: 'stale-source',
      timeoutMs: 90_000,
      async run(ctx) {
        const t = truth(ctx);
        const before = await groupBy(ctx, 'kind');
        ctx.state.kinds = before;
        const file = join(ctx.workspace, t.snapshot);
        const text = readFileSync(file, 'utf8');
        writeFileSync(file, text.slice(0, Math.floor(text.length / 2))); // a truncated snapshot
        await views(ctx).action(CATALOG, 'Refresh Catalog Sources');
        const status = await statusUntil(ctx, 'the status bar to warn that the snapshot is stale', (label, warning) => /stale/.test(label) && warning);
        ctx.note(`status bar: ${status}`);
        const after = await groups(ctx, 'the Catalog after the failed refresh', () => true);
        check(JSON.stringify(show(after)) === JSON.stringify(show(before)), 'the catalog stays as it was', { before: show(before), after: show(after) });
        await ctx.shot('07-stale-source');
        await statusItem(ctx).click();
        const details = await until('the sources quick pick', async (seen) => {
          const p = await ctx.wb.quickPick();
          seen(p);
          return p && /stale/.test(p.title) ? p : undefined;
        });
        const source = details.rows.find((r) => / · stale\b/.test(r.description));
        check(source && /stale/.test(source.detail), 'the details list the snapshot as stale, with why', details.rows);
        check(details.rows.some((r) => r.label.includes('Retry')) && details.rows.some((r) => r.label.includes('Open the log')) && details.rows.some((r) => r.label.includes('Fix the setting')), 'the next steps are offered', details.rows);
        ctx.note(`details: ${details.title}; ${source.label} — ${source.detail}`);
        await ctx.shot('08-source-details');
        await ctx.wb.reset();
      },
    },
    {
      name: 'add-source',
      async run(ctx) {
        const [name, rel] = [ADDED_NAME, ADDED_SNAPSHOT];
        await ctx.wb.chooseCommand('Paved Road: Add Catalog Source…', 20_000);
        await until('the source kinds', async () => (await ctx.wb.quickPick())?.title === 'Add Catalog Source');
        // Not pickQuickPickRow: the open dialog takes over the same quick input, which never closes.
        await ctx.page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ hasText: 'Snapshot file' }).first().click();
        // VS Code for the Web asks for the file in its own dialog: a quick input that takes a path.
        const input = ctx.page.locator('.quick-input-widget .quick-input-box input');
        const target = join(ctx.workspace, rel);
        // Loaded once it lists the folder it opened on, else it resets what was typed.
        await until('the open dialog on the workspace', async () =>
          (await input.inputValue()).startsWith('/') && !!(await ctx.wb.quickPick())?.rows.some((r) => r.label === dirname(rel)));
        await input.fill(target);
        // It has gone into the folder and found the file: then Enter takes it.
        await until(`the dialog to list ${basename(rel)}`, async () =>
          (await input.inputValue()) === target && !!(await ctx.wb.quickPick())?.rows.some((r) => r.label === basename(rel)));
        await ctx.page.keyboard.press('Enter');
        const settingsFile = join(ctx.workspace, '.vscode/settings.json');
        const sources = await until(`${rel} in the workspace settings`, async (seen) => {
          const s = list(readSettings(settingsFile)['pavedRoad.catalog.sources']) as { type?: string; path?: string }[];
          seen(s);
          return s.some((x) => x.type === 'snapshot' && x.path === rel) ? s : undefined;
        });
        ctx.note(`pavedRoad.catalog.sources: ${JSON.stringify(sources)}`);
        await ctx.wb.chooseCommand('Paved Road: Find Entity…', 20_000);
        await until('the Find Entity quick pick', async () => (await ctx.wb.quickPick())?.title.startsWith('Find Entity'));
        await ctx.page.keyboard.type(name);
        await until(`Find Entity to list ${name}`, async (seen) => {
          const p = await ctx.wb.quickPick();
          seen(p);
          return p?.title.endsWith(`for "${name}"`) && p.rows.some((r) => r.description === `component:default/${name}`);
        }, 30_000);
        await ctx.wb.reset();
        // The shown view follows the catalog by itself: one more Component.
        const components = Number((ctx.state.kinds as TreeRow[]).find((r) => r.label === 'Component')?.description);
        const after = await groups(ctx, `the Catalog to count ${components + 1} Components`, (rows) => rows.some((r) => r.label === 'Component' && r.description === String(components + 1)));
        ctx.state.kinds = after;
      },
    },
    {
      name: 'reload',
      timeoutMs: 90_000,
      async run(ctx) {
        await ctx.wb.runCommand('Developer: Reload Window');
        await ctx.wb.waitReady(false, 60_000);
        await views(ctx).openContainer('Paved Road', CATALOG);
        await until('the Catalog "by kind" after the reload (remembered)', async () => (await views(ctx).description(CATALOG)) === 'by kind');
        await groups(ctx, 'the Catalog grouped by kind', (rows) => rows.every((r) => KINDS.includes(r.label)));
      },
    },
    {
      name: 'warm-start',
      timeoutMs: 90_000,
      async run(ctx) {
        // The snapshot is still unreadable: its last good entities come from the cache in global storage.
        const before = ctx.state.kinds as TreeRow[];
        const after = await groups(ctx, 'the same groups as before the reload', (rows) => JSON.stringify(show(rows)) === JSON.stringify(show(before)));
        ctx.note(`after the reload: ${show(after).join(' | ')}`);
        await until('the status bar to still say the snapshot is stale', async () => /stale/.test(await statusItem(ctx).innerText()));
      },
    },
  ],
};

export default scenario;
