// Scenario "catalog": catalog intelligence as a user meets it in the Acme demo workspace.
//   owner-hover       "Show or Focus Hover" on `owner: group:payments-team` shows the team card: display
//                     name, email, Slack channel, on-call, parent, members (with their count), what the team
//                     owns by kind, and "Defined in platform-org/org.yaml:<line>"
//   owner-completion  Ctrl+Space after "owner: " lists the catalog's teams by display name; accepting one
//                     writes its reference (group:...); Ctrl+Z brings the file back to what was saved
//   go-to-definition  F12 on the owner reference opens platform-org/org.yaml on the team's metadata.name line
//   did-you-mean      a letter deleted from `system: payments` gets a warning "system '...' not found; did
//                     you mean 'payments'?" in the Problems panel; Ctrl+. "Change to 'payments'" fixes the text
//                     and the warning goes away
//   blast-radius      "Paved Road: Show Blast Radius" in the Resource payments-db lists what depends on it
//                     (directly and through others); picking one opens its file
//   find-references   Shift+F12 on the team's metadata.name peeks every reference to it in the workspace
//                     and its definition, file by file
//   rename            F2 on the team's name, a new name, Enter: its definition and every reference in every
//                     file change, and the files are saved; F2 again with the old name gives back the
//                     workspace byte for byte
// Every expected value is read from the workspace's own YAML (the demo's files), not written here.
import { readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { copyDemo, list, readCatalog, refOf, yamlFiles, type Entity } from '../lib/catalog-yaml';
import { check, until, type Scenario, type StepContext } from '../lib/harness';

const SERVICE = 'payments-service/catalog-info.yaml';
const ORG = 'platform-org/org.yaml';
const INFRA = 'infrastructure/catalog-info.yaml';
/** The Resource whose blast radius is shown: payments-service and ledger-worker depend on it. */
const RESOURCE = 'resource:default/payments-db';

// --- ground truth from the workspace's YAML ------------------------------------------------------

/** The spec fields Backstage reads as entity references, with the kind each assumes when none is written. */
const REFERENCE_FIELDS: Record<string, string | undefined> = {
  owner: 'group',
  system: 'system',
  domain: 'domain',
  subcomponentOf: 'component',
  providesApis: 'api',
  consumesApis: 'api',
  dependsOn: undefined,
  dependencyOf: undefined,
  parent: 'group',
  children: 'group',
  memberOf: 'group',
  members: 'user',
};

/** How many times the workspace's specs refer to `ref` (each item of a list counts). */
function referenceCount(catalog: Entity[], ref: string): number {
  let n = 0;
  for (const e of catalog) {
    const ns = e.raw.metadata.namespace ?? 'default';
    for (const [field, kind] of Object.entries(REFERENCE_FIELDS)) n += list(e.raw.spec?.[field]).filter((v) => refOf(v, kind, ns) === ref).length;
  }
  return n;
}

const displayNameOf = (e: Entity): string => e.raw.spec?.profile?.displayName ?? e.raw.metadata.title ?? e.name;

/** The members of a Group: its spec.members and the Users whose spec.memberOf names it. */
function membersOf(catalog: Entity[], group: Entity): Entity[] {
  const refs = new Set(list(group.raw.spec?.members).map((m) => refOf(m, 'user')));
  for (const u of catalog) {
    if (u.kind === 'User' && list(u.raw.spec?.memberOf).some((g) => refOf(g, 'group') === group.ref)) refs.add(u.ref);
  }
  return catalog.filter((e) => refs.has(e.ref));
}

/**
 * What depends on `ref`, directly or through others, as a user reads "blast radius": whoever depends
 * on it (dependsOn, or its own dependencyOf), consumes it, is part of it (subcomponentOf, system,
 * domain), or consumes an API it provides; then the same for each of those. depth 1 = direct.
 */
function dependentsOf(catalog: Entity[], ref: string): Map<string, number> {
  const byRef = new Map(catalog.map((e) => [e.ref, e]));
  const direct = (r: string): { ref: string; passThrough: boolean }[] => {
    const out: { ref: string; passThrough: boolean }[] = [];
    for (const e of catalog) {
      const s = e.raw.spec ?? {};
      if (list(s.dependsOn).some((d) => refOf(d) === r)) out.push({ ref: e.ref, passThrough: false });
      if (list(s.consumesApis).some((d) => refOf(d, 'api') === r)) out.push({ ref: e.ref, passThrough: false });
      if (refOf(s.subcomponentOf, 'component') === r) out.push({ ref: e.ref, passThrough: false });
      if (refOf(s.system, 'system') === r && e.kind !== 'System') out.push({ ref: e.ref, passThrough: false });
      if (e.kind === 'System' && refOf(s.domain, 'domain') === r) out.push({ ref: e.ref, passThrough: false });
    }
    const self = byRef.get(r);
    for (const d of list(self?.raw.spec?.dependencyOf)) {
      const t = refOf(d);
      if (t) out.push({ ref: t, passThrough: false });
    }
    // An API a component provides is not itself a dependent; its consumers are.
    for (const a of list(self?.raw.spec?.providesApis)) {
      const t = refOf(a, 'api');
      if (t) out.push({ ref: t, passThrough: true });
    }
    return out;
  };
  const result = new Map<string, number>();
  const seen = new Set([ref]);
  let frontier = [ref];
  for (let depth = 1; frontier.length; depth++) {
    const next: string[] = [];
    for (const r of frontier) {
      for (const d of direct(r)) {
        if (seen.has(d.ref)) continue;
        seen.add(d.ref);
        next.push(d.ref);
        if (!d.passThrough) result.set(d.ref, depth);
      }
    }
    frontier = next;
  }
  return result;
}

interface Truth {
  catalog: Entity[];
  service: Entity;
  team: Entity;
  serviceLines: string[];
  ownerLine: number; // 1-based, in SERVICE
  systemLine: number;
}

function truth(ctx: StepContext): Truth {
  if (ctx.state.truth) return ctx.state.truth as Truth;
  const catalog = readCatalog(ctx.workspace);
  const service = catalog.find((e) => e.file === SERVICE && e.kind === 'Component');
  check(service, `${SERVICE} defines a Component`, catalog.map((e) => `${e.file}: ${e.ref}`));
  const teamRef = refOf(service.raw.spec.owner, 'group');
  const team = catalog.find((e) => e.ref === teamRef);
  check(team && team.file === ORG, `the owner ${service.raw.spec.owner} of ${service.ref} is defined in ${ORG}`, team?.file);
  const serviceLines = readFileSync(join(ctx.workspace, SERVICE), 'utf8').split('\n');
  const lineOf = (text: string) => {
    const i = serviceLines.findIndex((l, n) => n >= service.nameLine && l === text);
    check(i >= 0, `${SERVICE} has the line "${text}" in ${service.ref}`);
    return i + 1;
  };
  const t: Truth = {
    catalog,
    service,
    team,
    serviceLines,
    ownerLine: lineOf(`  owner: ${service.raw.spec.owner}`),
    systemLine: lineOf(`  system: ${service.raw.spec.system}`),
  };
  ctx.state.truth = t;
  return t;
}

// --- helpers --------------------------------------------------------------------------------------

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

/** The Problems panel's marker rows for SERVICE (its file row reads "N problems in file <base> of folder <dir>"). */
async function serviceProblems(ctx: StepContext): Promise<string[]> {
  const fileRow = ` in file ${basename(SERVICE)} of folder ${dirname(SERVICE)}`;
  return (await ctx.wb.problems()).filter((r) => r.file.endsWith(fileRow)).map((r) => r.label);
}

/** Ctrl+Z until the active tab is no longer dirty (the file is back to what was saved). */
async function undoAll(ctx: StepContext, max = 10): Promise<void> {
  await ctx.wb.focusEditor();
  const dirty = ctx.page.locator('.part.editor .editor-group-container.active .tabs-container .tab.active.dirty');
  for (let i = 0; i < max && (await dirty.count()) > 0; i++) {
    const before = await ctx.wb.editorText();
    await ctx.page.keyboard.press('Control+Z');
    await until('Ctrl+Z to change the editor', async () => (await ctx.wb.editorText()) !== before, 5_000);
  }
  await dirty.waitFor({ state: 'detached', timeout: 10_000 });
}

const scenario: Scenario = {
  name: 'catalog',
  description: 'team card hover, owner completion, go to definition, did-you-mean quick fix, blast radius, find references and rename in the demo',

  prepare: copyDemo,

  steps: [
    {
      name: 'owner-hover',
      timeoutMs: 90_000,
      async run(ctx) {
        const t = truth(ctx);
        const team = t.team.raw;
        const members = membersOf(t.catalog, t.team);
        const parent = t.catalog.find((e) => e.ref === refOf(team.spec?.parent, 'group'));
        const owned = t.catalog.filter((e) => refOf(e.raw.spec?.owner, 'group') === t.team.ref);
        const ownsByKind = new Map<string, number>();
        for (const o of owned) ownsByKind.set(o.kind, (ownsByKind.get(o.kind) ?? 0) + 1);
        const expect = {
          displayName: team.spec.profile.displayName as string,
          email: team.spec.profile.email as string,
          slack: team.metadata.annotations['slack.com/channel'] as string,
          oncall: team.metadata.annotations['pagerduty.com/service-id'] as string,
          parent: parent ? displayNameOf(parent) : undefined,
          members: `Members (${members.length})`,
          memberNames: members.slice(0, 5).map(displayNameOf),
          owns: [...ownsByKind].map(([k, n]) => `${n} ${k}${n === 1 ? '' : 's'}`),
          definedIn: `Defined in ${ORG}:${t.team.nameLine}`,
        };
        ctx.note(`expected card (from ${ORG} and the workspace): ${JSON.stringify(expect)}`);

        await ctx.wb.openFile(SERVICE);
        const ownerText = t.serviceLines[t.ownerLine - 1];
        await ctx.wb.gotoLine(t.ownerLine, ownerText.indexOf('group:') + 1 + 'group:'.length + 2); // inside the name
        // The breadcrumbs follow the cursor into spec > owner once the document's symbols are in.
        await until('the breadcrumbs to reach spec > owner', async (seen) => {
          const crumbs = await ctx.wb.breadcrumbs();
          seen(crumbs);
          return crumbs.includes('/spec/owner');
        });
        await ctx.wb.runCommand('Show or Focus Hover');
        const text = oneLine(await ctx.wb.hoverText(/Defined in/));
        ctx.note(`hover: ${text}`);
        const wanted = [expect.displayName, expect.email, expect.slack, expect.oncall, expect.members,
          ...expect.memberNames, ...expect.owns, expect.definedIn, ...(expect.parent ? [expect.parent] : [])];
        const missing = wanted.filter((w) => !text.includes(w));
        check(missing.length === 0, 'the team card shows every expected value', { missing, text });
        const ownsShown = /Owns: ((?:\d+ [A-Za-z]+)(?:, \d+ [A-Za-z]+)*)/.exec(text)?.[1].split(', ') ?? [];
        check(ownsShown.length === expect.owns.length && expect.owns.every((o) => ownsShown.includes(o)),
          'the card lists what the team owns, by kind, as the workspace has it', { expected: expect.owns, shown: ownsShown });
        await ctx.shot('01-owner-hover');
        await ctx.shot('01-owner-hover-editor', ctx.page.locator('.part.editor'));
        await ctx.wb.reset();
      },
    },
    {
      name: 'owner-completion',
      async run(ctx) {
        const t = truth(ctx);
        const teams = t.catalog.filter((e) => e.kind === 'Group' && e.raw.spec?.type === 'team');
        const teamNames = teams.map(displayNameOf);
        check(teamNames.length >= 2, 'the workspace has teams', teamNames);
        const pick = teams.find((e) => e.ref !== t.team.ref)!; // another team, so the change shows
        const pickLabel = displayNameOf(pick);
        const pickRef = `group:${pick.name}`;

        await ctx.wb.openFile(SERVICE);
        const ownerText = t.serviceLines[t.ownerLine - 1];
        await ctx.wb.gotoLine(t.ownerLine, ownerText.indexOf(': ') + 3);
        await ctx.page.keyboard.press('Shift+End');
        await ctx.page.keyboard.press('Delete'); // the line is now "  owner: "
        await until('the owner value to be gone', async () => (await ctx.wb.editorText()).split('\n').includes('  owner: '));
        const labels = await ctx.wb.suggest(teamNames);
        ctx.note(`suggestions after "owner: ": ${labels.join(', ')}`);
        check(!labels.some((l) => /^group:/.test(l)), 'teams are labelled by display name, not by reference', labels);
        await ctx.shot('02-owner-completion');
        await ctx.shot('02-owner-completion-editor', ctx.page.locator('.part.editor'));

        const word = pickLabel.split(/\s+/)[0].toLowerCase();
        await ctx.page.keyboard.type(word); // narrow the list as a user would, then accept
        await until(`the suggest widget to focus "${pickLabel}"`, async (seen) => {
          const focused = ctx.page.locator('.editor-widget.suggest-widget.visible .monaco-list-row.focused .label-name');
          const label = (await focused.count()) > 0 ? (await focused.first().innerText()).trim() : undefined;
          seen(label);
          return label === pickLabel;
        });
        await ctx.page.keyboard.press('Enter');
        await ctx.wb.suggestHidden();
        await until(`"owner: ${pickRef}" in the editor`, async (seen) => {
          const lines = (await ctx.wb.editorText()).split('\n').filter((l) => l.includes('owner:'));
          seen(lines);
          return lines.includes(`  owner: ${pickRef}`);
        });
        ctx.note(`accepted "${pickLabel}": the line reads "owner: ${pickRef}"`);
        await undoAll(ctx);
        await until('the original owner line back', async () => (await ctx.wb.editorText()).split('\n').includes(ownerText));
      },
    },
    {
      name: 'go-to-definition',
      async run(ctx) {
        const t = truth(ctx);
        await ctx.wb.openFile(SERVICE);
        const ownerText = t.serviceLines[t.ownerLine - 1];
        await ctx.wb.gotoLine(t.ownerLine, ownerText.indexOf('group:') + 1 + 'group:'.length + 2);
        await ctx.page.keyboard.press('F12');
        await until(`the editor to show ${ORG}`, async (seen) => {
          const crumbs = await ctx.wb.breadcrumbs();
          const tab = await ctx.wb.activeTab();
          seen({ crumbs, tab });
          return tab === ORG.split('/').pop() && crumbs.startsWith(`${ORG}/`);
        });
        const want = { line: t.team.nameLine, column: t.team.nameColumn };
        const c = await until(`the cursor at Ln ${want.line}, Col ${want.column} (the value of metadata.name: ${t.team.name})`, async (seen) => {
          const cur = await ctx.wb.cursor();
          seen(cur);
          return cur?.line === want.line && cur.column === want.column ? cur : undefined;
        });
        const text = await ctx.wb.editorText();
        check(text.includes(`  name: ${t.team.name}`), `the editor shows "name: ${t.team.name}"`);
        ctx.note(`F12 on ${t.service.raw.spec.owner}: ${await ctx.wb.activeTab()} at Ln ${c.line}, Col ${c.column}; breadcrumbs ${await ctx.wb.breadcrumbs()}`);
        await ctx.shot('03-definition');
      },
    },
    {
      name: 'did-you-mean',
      timeoutMs: 90_000,
      async run(ctx) {
        const t = truth(ctx);
        const system = String(t.service.raw.spec.system);
        const sysText = t.serviceLines[t.systemLine - 1];
        // Delete the letter after the first four: "payments" becomes "paymnts".
        const cut = 4;
        const typo = system.slice(0, cut) + system.slice(cut + 1);
        const valueCol = sysText.indexOf(system) + 1;
        const message = `system '${typo}' not found; did you mean '${system}'?`;

        await ctx.wb.openFile(SERVICE);
        await ctx.wb.openProblems();
        const before = await serviceProblems(ctx);
        ctx.note(`Problems for ${SERVICE} before the typo: ${before.length ? before.join(' | ') : 'none'}`);
        check(!before.some((r) => r.includes('not found')), `no "not found" problem in ${SERVICE} before the typo`, before);
        await ctx.wb.openFile(SERVICE);
        await ctx.wb.gotoLine(t.systemLine, valueCol + cut);
        // The warning squiggle on the cursor's line (the line overlay that has the current-line highlight).
        const squiggle = ctx.wb.editor.locator('.view-overlays > div:has(> .current-line) > .squiggly-warning');
        check((await squiggle.count()) === 0, `no warning squiggle on line ${t.systemLine} before the typo`);
        await ctx.page.keyboard.press('Delete');
        await until(`"system: ${typo}" in the editor`, async () => (await ctx.wb.editorText()).split('\n').includes(`  system: ${typo}`));
        await squiggle.first().waitFor({ state: 'visible', timeout: 30_000 });
        await ctx.wb.openProblems();
        const row = await until(`the Problems panel to say "${message}"`, async (seen) => {
          const rows = await serviceProblems(ctx);
          seen(rows);
          return rows.find((r) => r.includes(message));
        }, 30_000);
        check(row.startsWith('Warning: '), 'the did-you-mean problem is a warning', row);
        check(row.includes(`at line ${t.systemLine} and character ${valueCol}.`), `it is at line ${t.systemLine}, character ${valueCol}`, row);
        check(row.endsWith('generated by paved-road'), 'it comes from paved-road', row);
        ctx.note(`problem: ${row}`);
        await ctx.shot('04-did-you-mean');

        await ctx.wb.focusEditor(); // the cursor is still in the typo
        const fix = `Change to '${system}'`;
        const titles = await ctx.wb.codeActions(fix);
        ctx.note(`quick fixes: ${titles.join(' | ')}`);
        await ctx.shot('04-quick-fix');
        await ctx.wb.applyCodeAction(fix);
        await until(`"system: ${system}" back in the editor`, async () => (await ctx.wb.editorText()).split('\n').includes(sysText));
        await until('the did-you-mean warning to leave the Problems panel (back to the problems before the typo)', async (seen) => {
          const rows = await serviceProblems(ctx);
          seen({ before, now: rows });
          return rows.length === before.length && before.every((r) => rows.includes(r));
        }, 30_000);
        await squiggle.first().waitFor({ state: 'detached', timeout: 20_000 });
        await ctx.shot('05-fixed');
        await ctx.wb.focusEditor();
        await ctx.page.keyboard.press('Control+S'); // the text equals the saved file again: leave it clean
        await ctx.page.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached', timeout: 15_000 });
      },
    },
    {
      name: 'blast-radius',
      async run(ctx) {
        const t = truth(ctx);
        const resource = t.catalog.find((e) => e.ref === RESOURCE);
        check(resource && resource.file === INFRA, `${RESOURCE} is defined in ${INFRA}`, resource?.file);
        const expected = dependentsOf(t.catalog, RESOURCE);
        const byRef = new Map(t.catalog.map((e) => [e.ref, e]));
        ctx.note(`expected dependents of ${RESOURCE}: ${[...expected].map(([r, d]) => `${r} (depth ${d})`).join(', ')}`);
        check([...expected.values()].filter((d) => d === 1).length >= 2, `at least two entities depend directly on ${RESOURCE}`, [...expected]);

        await ctx.wb.openFile(INFRA);
        await ctx.wb.gotoLine(resource.nameLine, 3);
        const pick = await ctx.wb.runCommandToQuickPick('Paved Road: Show Blast Radius', /^Blast radius of /);
        ctx.note(`quick pick "${pick.title}": ${pick.rows.map((r) => `${r.label} [${r.description}] ${r.detail}`).join(' | ')}`);
        check(pick.title === `Blast radius of ${RESOURCE}: ${expected.size} dependent${expected.size === 1 ? '' : 's'}`,
          `the quick pick's title names ${RESOURCE} and ${expected.size} dependents`, pick.title);
        const listed = new Set(pick.rows.map((r) => r.description));
        const missing = [...expected.keys()].filter((r) => !listed.has(r));
        const extra = [...listed].filter((r) => !expected.has(r));
        check(missing.length === 0 && extra.length === 0, 'the quick pick lists exactly the dependents', { missing, extra, rows: pick.rows });
        for (const r of pick.rows) {
          const e = byRef.get(r.description)!;
          check(r.label === displayNameOf(e), `${r.description} is labelled "${displayNameOf(e)}"`, r);
          const direct = expected.get(r.description) === 1;
          check(direct === r.detail.startsWith('direct'), `${r.description} is ${direct ? '' : 'not '}marked direct`, r);
        }
        await ctx.shot('06-blast-radius');

        // Picking a direct dependent opens its file.
        const target = pick.rows.find((r) => r.detail.startsWith('direct') && byRef.get(r.description)!.file !== INFRA)!;
        await ctx.wb.pickQuickPickRow(target.label);
        const file = byRef.get(target.description)!.file;
        await until(`the editor to show ${file}`, async (seen) => {
          const crumbs = await ctx.wb.breadcrumbs();
          seen(crumbs);
          return crumbs.startsWith(`${file}/`) || crumbs === file;
        });
        ctx.note(`picked "${target.label}": opened ${file}`);
      },
    },
    {
      name: 'find-references',
      async run(ctx) {
        const t = truth(ctx);
        const expected = referenceCount(t.catalog, t.team.ref) + 1; // and the definition
        const files = new Set(t.catalog.filter((e) => referenceCount([e], t.team.ref) > 0).map((e) => e.file)).add(t.team.file);
        ctx.note(`expected: ${expected} places (the definition and ${expected - 1} references) in ${files.size} files`);
        await ctx.wb.openFile(ORG);
        await ctx.wb.gotoLine(t.team.nameLine, t.team.nameColumn + 2);
        await ctx.page.keyboard.press('Shift+F12');
        const peek = ctx.page.locator('.peekview-widget .ref-tree');
        await peek.first().waitFor({ state: 'visible', timeout: 20_000 });
        const counts = await until(`the peek view to list ${files.size} files`, async (seen) => {
          // A file row: its label and the count badge of the places in it.
          const rows = await peek.locator('.monaco-list-row .reference-file').evaluateAll((els) =>
            els.map((e) => ({ file: (e.querySelector('.monaco-icon-label')?.getAttribute('aria-label') ?? e.textContent ?? '').trim(), count: Number(e.querySelector('.monaco-count-badge')?.textContent ?? 'NaN') })),
          );
          seen(rows);
          return rows.length === files.size ? rows : undefined;
        });
        const total = counts.reduce((a, r) => a + r.count, 0);
        ctx.note(`peek: ${counts.map((r) => `${r.file} (${r.count})`).join(', ')}`);
        check(total === expected, `the peek view lists ${expected} places`, counts);
        const listed = counts.map((r) => relative(ctx.workspace, r.file)).sort();
        check(JSON.stringify(listed) === JSON.stringify([...files].sort()), 'the peek view lists exactly the files that refer to the team', { listed, files: [...files] });
        await ctx.shot('07-references');
        await ctx.wb.reset();
      },
    },
    {
      name: 'rename',
      timeoutMs: 120_000,
      async run(ctx) {
        const t = truth(ctx);
        const oldName = t.team.name;
        const newName = `${oldName}-renamed`;
        const places = referenceCount(t.catalog, t.team.ref) + 1;
        const before = new Map(yamlFiles(ctx.workspace).map((f) => [f, readFileSync(join(ctx.workspace, f), 'utf8')]));
        const count = (text: string, word: string) => text.split(word).length - 1;

        const disk = (f: string) => readFileSync(join(ctx.workspace, f), 'utf8');
        /** F2 on the team's name, `to`, Enter, then File: Save All Files; waits until `saved` holds on disk. */
        const rename = async (from: string, to: string, saved: () => boolean) => {
          await ctx.wb.openFile(ORG);
          await ctx.wb.gotoLine(t.team.nameLine, t.team.nameColumn + 2);
          await ctx.page.keyboard.press('F2');
          const input = ctx.page.locator('.monaco-editor .rename-box input');
          await input.waitFor({ state: 'visible', timeout: 15_000 });
          const offered = await input.inputValue();
          check(offered === from, `F2 offers the name "${from}"`, offered);
          await input.fill(to);
          await ctx.page.keyboard.press('Enter');
          await input.waitFor({ state: 'hidden', timeout: 15_000 });
          await until(`"name: ${to}" in ${ORG}`, async () => (await ctx.wb.editorText()).split('\n').includes(`  name: ${to}`));
          await ctx.wb.runCommand('File: Save All Files');
          await until(`the rename to ${to} saved in every file`, async (seen) => {
            const dirty = await ctx.page.locator('.tabs-container .tab.dirty').count();
            seen({ dirty });
            return dirty === 0 && saved();
          }, 30_000);
        };

        await rename(oldName, newName, () => !disk(ORG).includes(`  name: ${oldName}\n`) && [...before.keys()].reduce((a, f) => a + count(disk(f), newName), 0) >= places);
        // Every file changed only where a reference to the team (or its name) was, and nowhere else.
        let renamed = 0;
        for (const [file, old] of before) {
          const now = disk(file);
          if (now === old) continue;
          const oldLines = old.split('\n');
          const newLines = now.split('\n');
          check(oldLines.length === newLines.length, `${file} keeps its lines`);
          oldLines.forEach((line, i) => {
            if (line === newLines[i]) return;
            check(newLines[i] === line.split(oldName).join(newName), `${file}:${i + 1} changes only the name`, { was: line, now: newLines[i] });
            renamed += count(newLines[i], newName);
          });
        }
        ctx.note(`renamed ${renamed} places to ${newName}`);
        check(renamed === places, `the definition and every reference are renamed (${places})`, renamed);
        await ctx.shot('08-renamed');

        await rename(newName, oldName, () => [...before].every(([f, old]) => disk(f) === old));
        for (const [file, old] of before) check(disk(file) === old, `${file} is back byte for byte`);
        ctx.note('renamed back: every file is as it was');
      },
    },
  ],
};

export default scenario;
