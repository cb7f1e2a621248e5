// Scenario "scorecards": the golden-path scorecard on the demo, whose services are at different levels
// (demo/README.md says which and why).
//   codelens        payments-service/catalog-info.yaml shows "Scorecard: <level> · N checks to <next>" above
//                   the Component (and nothing above its API, to which no scorecard applies)
//   webview         product-search's CodeLens, clicked, opens its scorecard webview: the title, the summary
//                   line, the ladder, every rule with pass / fail and why; the failing on-call rule offers
//                   "Apply Quick Fix"
//   fix             "Apply Quick Fix" adds the PagerDuty annotation to the file (the editor shows it); the
//                   webview and the CodeLens move up a level before anything is saved; Ctrl+S writes it
//   editor-quick-fix  Ctrl+. on another service's name offers its failing rules' quick fixes; the TechDocs one
//                   adds the annotation and the CodeLens counts one check less
//   team-dashboard  the Catalog view's context menu on the owning team, "Show Team Dashboard…": every entity
//                   the team owns with its level, and the rules failing most; a click on an entity opens
//                   its scorecard
//   compliance      "Paved Road: Ask the Catalog…", the question "teams without on-call": the result table
//                   lists the demo's team with no pager
//   adoption-off    with pavedRoad.adoption.enabled on but VS Code's telemetry off: the extension says it does not
//                   record, and a Find Entity search left with no result writes nothing
// Expected levels come from the product's own engine (the scorecards, facts and Scorer the server runs),
// run here on the workspace's files as they are on disk at that moment; the rest from the demo's YAML.
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FrameLocator, Locator } from 'playwright-core';
import { CatalogIndex } from '../../../server/src/catalog/catalogIndex';
import { DEFAULT_POLICIES } from '../../../server/src/catalog/policies';
import { loadScorecards } from '../../../server/src/scorecards/definitions';
import { RepositoryFacts } from '../../../server/src/scorecards/facts';
import { quickFixTitle } from '../../../server/src/scorecards/quickFixes';
import { Scorer } from '../../../server/src/scorecards/score';
import type { EntityScore } from '../../../server/src/scorecards/types';
import { placementsOfText } from '../../../server/src/sources/fileRecords';
import { copyDemo, namesOf, readCatalog, readSettings, refOf } from '../lib/catalog-yaml';
import { CATALOG, groupBy, statusItem, views } from '../lib/catalog-views';
import { check, until, type Scenario, type StepContext } from '../lib/harness';

const GOLDEN = 'golden-path';
const SILVER_TO_GOLD = { file: 'payments-service/catalog-info.yaml', ref: 'component:default/payments-service' };
const FIXED = { file: 'product-search/catalog-info.yaml', ref: 'component:default/product-search', rule: 'on-call', annotation: 'pagerduty.com/service-id' };
const IN_EDITOR = { file: 'fraud-scorer/catalog-info.yaml', ref: 'component:default/fraud-scorer', rule: 'techdocs' };
const TEAM = 'group:default/payments-team';
const ADOPTION = 'pavedRoad.adoption.enabled';
const NOWHERE = 'zzqx-no-such-entity';
const EDITOR = '.part.editor .editor-group-container .monaco-editor';

// --- ground truth: the engine on the files as they are on disk ---------------------------------------

/** Every entity's golden-path score, computed by the engine the server runs, from the workspace's catalog files. */
function scores(workspace: string): Map<string, EntityScore> {
  const index = new CatalogIndex();
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((n) => {
      const p = join(dir, n);
      if (n.startsWith('.') || n === 'node_modules' || n === 'broken') return [];
      return statSync(p).isDirectory() ? files(p) : /\.ya?ml$/.test(n) ? [p] : [];
    });
  for (const f of files(workspace)) {
    const uri = pathToFileURL(f).href;
    index.update(uri, { kind: 'file', uri }, placementsOfText(readFileSync(f, 'utf8'), DEFAULT_POLICIES));
  }
  const { scorecards, problems } = loadScorecards([]);
  check(!problems.length && scorecards.some((s) => s.id === GOLDEN), 'the built-in golden-path scorecard loads', problems);
  const scorer = new Scorer(index, new RepositoryFacts(), scorecards);
  const out = new Map<string, EntityScore>();
  for (const e of readCatalog(workspace)) {
    const s = scorer.score(e.ref).find((x) => x.scorecard === GOLDEN);
    if (s) out.set(e.ref, s);
  }
  return out;
}

/** What the CodeLens says of a score: "Scorecard: Silver · 2 checks to Gold". */
function lensOf(s: EntityScore): RegExp {
  const level = s.level ?? 'No level';
  const next = s.next ? ` · ${s.next.failing} checks? to ${s.next.level}` : '';
  return new RegExp(`^Scorecard: ${level}${next}`);
}

const describeScore = (s: EntityScore | undefined) =>
  s ? `${s.level ?? 'none'} (${Math.round(s.score)}%)${s.next ? `, ${s.next.failing} to ${s.next.level}` : ''}; failing ${s.results.filter((r) => r.outcome === 'fail').map((r) => r.rule).join(', ')}` : 'not scored';

// --- the workbench ------------------------------------------------------------------------------------

/** The CodeLens texts of the editors on screen. */
async function lenses(ctx: StepContext): Promise<string[]> {
  return ctx.page
    .locator(`${EDITOR} .codelens-decoration a`)
    .evaluateAll((els) => els.map((e) => (e.textContent ?? '').replace(/[\ue000-\uf8ff]/g, '').replace(/\u00a0/g, ' ').trim()).filter(Boolean));
}

async function waitLens(ctx: StepContext, what: string, want: RegExp, timeoutMs = 30_000): Promise<string> {
  return until(what, async (seen) => {
    const all = await lenses(ctx);
    seen(all);
    return all.find((l) => want.test(l));
  }, timeoutMs);
}

/**
 * The page of the webview whose `h1` matches `title`: code-server draws each webview in an `iframe.webview`
 * whose document holds the extension's page in `iframe#active-frame`.
 */
async function webview(ctx: StepContext, title: RegExp, timeoutMs = 30_000): Promise<FrameLocator> {
  return until(`a webview titled ${title}`, async (seen) => {
    const frames = ctx.page.locator('iframe.webview.ready');
    const n = await frames.count();
    const titles: string[] = [];
    for (let i = 0; i < n; i++) {
      const frame = frames.nth(i);
      if (!(await frame.isVisible())) continue;
      const inner = frame.contentFrame().locator('iframe#active-frame').contentFrame();
      const h1 = (await inner.locator('h1').first().textContent({ timeout: 1_000 }).catch(() => null))?.trim() ?? '';
      titles.push(h1);
      if (title.test(h1)) return inner;
    }
    seen(titles);
    return undefined;
  }, timeoutMs);
}

const text = async (l: Locator) => ((await l.textContent({ timeout: 2_000 })) ?? '').replace(/\s+/g, ' ').trim();

/** The rules as the page lists them: "title|outcome class|why". */
async function rules(page: FrameLocator): Promise<{ title: string; outcome: string; why: string }[]> {
  return page.locator('li.rule').evaluateAll((els) =>
    els.map((e) => ({
      title: (e.querySelector('.rule-title')?.textContent ?? '').trim(),
      outcome: ['pass', 'fail', 'not-applicable'].find((c) => e.classList.contains(c)) ?? '',
      why: (e.querySelector('.why')?.textContent ?? '').trim(),
    })),
  );
}

/** The page's summary line: "Bronze · score 61% · 1 check to Silver". */
function summaryOf(s: EntityScore): RegExp {
  return new RegExp(`^${s.level ?? 'No level yet'} · score ${Math.round(s.score)}%${s.next ? ` · ${s.next.failing} checks? to ${s.next.level}` : ''}$`);
}

async function waitSummary(page: FrameLocator, want: RegExp, timeoutMs = 30_000): Promise<string> {
  return until(`the scorecard's summary to read ${want}`, async (seen) => {
    const s = await text(page.locator('p.summary').first()).catch(() => '');
    seen(s);
    return want.test(s) ? s : undefined;
  }, timeoutMs);
}

/** Hides the side bar (Ctrl+B) for a roomier screenshot; the activity bar brings it back. */
async function hideSideBar(ctx: StepContext): Promise<void> {
  const bar = ctx.page.locator('.part.sidebar');
  if (!(await bar.isVisible())) return;
  await ctx.page.keyboard.press('Control+B');
  await bar.waitFor({ state: 'hidden', timeout: 10_000 });
}

const scenario: Scenario = {
  name: 'scorecards',
  description: 'the golden-path scorecard on the demo: CodeLens, the scorecard webview and its quick fix moving a level up, the team dashboard, a compliance question',

  prepare(info) {
    copyDemo(info);
    // Adoption signals asked for in the user settings; the workbench runs with telemetry off (code-server's
    // --disable-telemetry), so the extension must still record nothing (step adoption-off).
    const user = join(info.runDir, 'user-data/User/settings.json');
    writeFileSync(user, JSON.stringify({ ...readSettings(user), [ADOPTION]: true }, null, 2));
  },

  steps: [
    {
      name: 'codelens',
      timeoutMs: 120_000,
      async run(ctx) {
        const truth = scores(ctx.workspace);
        ctx.note(`engine: ${[...truth].map(([ref, s]) => `${ref.split('/')[1]} ${describeScore(s)}`).join(' | ')}`);
        const levels = new Set([...truth.values()].map((s) => s.level));
        check(levels.size >= 3, 'the demo has services at three different levels', [...levels]);
        await until('the status bar to count the catalog', async (seen) => {
          const t = await statusItem(ctx).innerText().catch(() => '');
          seen(t);
          return /\d[\d,]* entities/.test(t);
        }, 60_000);
        const s = truth.get(SILVER_TO_GOLD.ref);
        check(s?.level && s.next, `${SILVER_TO_GOLD.ref} has a level and a next one`, describeScore(s));
        await ctx.wb.openFile(SILVER_TO_GOLD.file);
        const lens = await waitLens(ctx, `the CodeLens of ${SILVER_TO_GOLD.ref}`, lensOf(s), 60_000);
        ctx.note(`${SILVER_TO_GOLD.file}: "${lens}" (engine: ${describeScore(s)})`);
        const all = (await lenses(ctx)).filter((l) => l.startsWith('Scorecard:'));
        check(all.length === 1, 'one scorecard CodeLens: the Component (no scorecard applies to its API)', all);
        await ctx.shot('01-codelens', ctx.page.locator('.part.editor'));
      },
    },
    {
      name: 'webview',
      timeoutMs: 90_000,
      async run(ctx) {
        const s = scores(ctx.workspace).get(FIXED.ref);
        check(s, `${FIXED.ref} is scored`);
        const failing = s.results.find((r) => r.rule === FIXED.rule);
        check(failing?.outcome === 'fail' && failing.fix && 'quickFix' in failing.fix, `${FIXED.rule} fails on ${FIXED.ref} with a quick fix`, failing);
        await ctx.wb.openFile(FIXED.file);
        const lens = await waitLens(ctx, `the CodeLens of ${FIXED.ref}`, lensOf(s), 60_000);
        ctx.note(`${FIXED.file}: "${lens}" (engine: ${describeScore(s)})`);
        await ctx.page.locator(`${EDITOR} .codelens-decoration a`, { hasText: /^Scorecard:/ }).first().click();
        const entity = readCatalog(ctx.workspace).find((e) => e.ref === FIXED.ref)!;
        const page = await webview(ctx, new RegExp(`^${entity.raw.metadata.title ?? entity.name}$`), 60_000);
        const summary = await waitSummary(page, summaryOf(s));
        ctx.note(`webview summary: ${summary}`);
        const listed = await until('every rule of the scorecard listed', async (seen) => {
          const r = await rules(page);
          seen(r);
          return r.length === s.results.length ? r : undefined;
        });
        for (const r of s.results) {
          const row = listed.find((l) => l.title === r.title);
          check(row?.outcome === r.outcome && row.why.length > 0, `"${r.title}" shows ${r.outcome} with why`, { row, engine: r });
        }
        ctx.note(`rules: ${listed.map((r) => `${r.title} [${r.outcome}] ${r.why}`).join(' | ')}`);
        const ladder = await page.locator('ol.ladder li').allTextContents();
        check(ladder.map((l) => l.trim()).join(',') === 'Bronze,Silver,Gold', 'the ladder shows the levels', ladder);
        const fixes = await page.locator('vscode-button.fix').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
        check(fixes.includes(`Apply Quick Fix: ${failing.title}`), `"${failing.title}" offers Apply Quick Fix`, fixes);
        await hideSideBar(ctx);
        await page.locator('li.rule.fail').first().scrollIntoViewIfNeeded();
        await ctx.shot('02-scorecard');
      },
    },
    {
      name: 'fix',
      timeoutMs: 90_000,
      async run(ctx) {
        const before = scores(ctx.workspace).get(FIXED.ref)!;
        const failing = before.results.find((r) => r.rule === FIXED.rule)!;
        const entity = readCatalog(ctx.workspace).find((e) => e.ref === FIXED.ref)!;
        const page = await webview(ctx, new RegExp(`^${entity.raw.metadata.title ?? entity.name}$`));
        await page.locator(`vscode-button[aria-label="Apply Quick Fix: ${failing.title}"]`).click();
        // The editor shows the annotation (not saved yet); the webview and the CodeLens move up a level.
        await until(`the editor to show the ${FIXED.annotation} annotation`, async (seen) => {
          const t = await ctx.page.locator(`${EDITOR} .view-lines`).allInnerTexts();
          seen(t.join('\n').slice(0, 600));
          return t.some((x) => x.replace(/\u00a0/g, ' ').includes(`${FIXED.annotation}:`));
        });
        const onDisk = readFileSync(join(ctx.workspace, FIXED.file), 'utf8');
        check(!onDisk.includes(FIXED.annotation), 'nothing is saved yet');
        const after = await until('the webview to move up a level', async (seen) => {
          const s = await text(page.locator('p.summary').first()).catch(() => '');
          seen(s);
          return s && !summaryOf(before).test(s) ? s : undefined;
        });
        const lens = await waitLens(ctx, 'the CodeLens to move up a level', new RegExp(`^Scorecard: (?!${before.level ?? 'No level'}\\b)`));
        ctx.note(`unsaved: webview "${after}", CodeLens "${lens}"`);
        await ctx.shot('03-fixed-unsaved');
        // Save: the file on disk has the annotation, and the engine agrees with what was shown.
        // The click on the webview's button left the focus in the webview: a click in the text puts it back.
        await ctx.page.locator(`${EDITOR} .view-lines`).first().click();
        let pressed = 0;
        await until(`${FIXED.file} saved with the annotation`, async () => {
          if (readFileSync(join(ctx.workspace, FIXED.file), 'utf8').includes(FIXED.annotation)) return true;
          if (Date.now() - pressed > 3_000) {
            await ctx.page.keyboard.press('Control+S'); // again when the first press reached nothing, as a user would
            pressed = Date.now();
          }
          return false;
        });
        const saved = scores(ctx.workspace).get(FIXED.ref)!;
        ctx.note(`saved: engine ${describeScore(saved)}`);
        check(saved.results.find((r) => r.rule === FIXED.rule)?.outcome === 'pass', `${FIXED.rule} passes once the annotation is there`);
        check(saved.level !== before.level, 'the level changed', { before: before.level, after: saved.level });
        await waitSummary(page, summaryOf(saved));
        await waitLens(ctx, 'the CodeLens to say the new level', lensOf(saved));
        const edited = readFileSync(join(ctx.workspace, FIXED.file), 'utf8');
        ctx.note(`${FIXED.file} now: ${edited.split('\n').filter((l) => l.includes(FIXED.annotation)).join(' / ')}`);
      },
    },
    {
      name: 'editor-quick-fix',
      timeoutMs: 90_000,
      async run(ctx) {
        const before = scores(ctx.workspace).get(IN_EDITOR.ref);
        check(before, `${IN_EDITOR.ref} is scored`);
        const rule = before.results.find((r) => r.rule === IN_EDITOR.rule);
        check(rule?.outcome === 'fail' && rule.fix && 'quickFix' in rule.fix, `${IN_EDITOR.rule} fails on ${IN_EDITOR.ref} with a quick fix`, rule);
        const title = `${quickFixTitle(rule.fix.quickFix)} (scorecard: ${rule.title}, ${rule.level})`;
        const entity = readCatalog(ctx.workspace).find((e) => e.ref === IN_EDITOR.ref)!;
        await ctx.wb.openFile(IN_EDITOR.file);
        await waitLens(ctx, `the CodeLens of ${IN_EDITOR.ref}`, lensOf(before), 60_000);
        await ctx.wb.gotoLine(entity.nameLine, entity.nameColumn);
        const offered = await ctx.wb.codeActions(title);
        ctx.note(`Ctrl+. on ${entity.name}: ${offered.join(' | ')}`);
        await ctx.wb.applyCodeAction(title);
        const moved = await waitLens(ctx, 'the CodeLens to count one check less', new RegExp(`^Scorecard: (?!${before.level ?? 'No level'} · ${before.next?.failing} )`));
        ctx.note(`after "${title}": "${moved}"`);
        await ctx.page.keyboard.press('Control+S');
        let pressed = Date.now();
        await until(`${IN_EDITOR.file} saved`, async () => {
          if (!/backstage\.io\/techdocs-ref/.test(readFileSync(join(ctx.workspace, IN_EDITOR.file), 'utf8'))) {
            if (Date.now() - pressed > 3_000) {
              await ctx.wb.focusEditor();
              await ctx.page.keyboard.press('Control+S');
              pressed = Date.now();
            }
            return false;
          }
          return true;
        });
        const after = scores(ctx.workspace).get(IN_EDITOR.ref)!;
        ctx.note(`saved: engine ${describeScore(after)}`);
        check(after.results.find((r) => r.rule === IN_EDITOR.rule)?.outcome === 'pass', `${IN_EDITOR.rule} passes once saved`);
        await waitLens(ctx, 'the CodeLens to say what the engine says', lensOf(after));
      },
    },
    {
      name: 'team-dashboard',
      timeoutMs: 120_000,
      async run(ctx) {
        const truth = scores(ctx.workspace);
        const catalog = readCatalog(ctx.workspace);
        const team = catalog.find((e) => e.ref === TEAM);
        check(team, `the demo defines ${TEAM}`);
        const owned = catalog.filter((e) => refOf(e.raw?.spec?.owner, 'group') === TEAM);
        const services = owned.filter((e) => truth.has(e.ref));
        check(services.length >= 2, `${TEAM} owns scored services`, owned.map((e) => e.ref));
        await ctx.wb.reset();
        await views(ctx).openContainer('Paved Road', CATALOG);
        await views(ctx).expand(CATALOG);
        await groupBy(ctx, 'owner');
        const names = namesOf(team.raw, TEAM);
        const row = await views(ctx).reveal(CATALOG, `the group of ${TEAM}`, (r) => r.level === 1 && names.includes(r.label));
        const menu = await views(ctx).contextMenu(CATALOG, row);
        ctx.note(`context menu of ${row.label}: ${menu.join(' | ')}`);
        check(menu.includes('Show Team Dashboard…'), 'the team offers its dashboard', menu);
        await views(ctx).chooseMenuItem('Show Team Dashboard…');
        const title = team.raw.spec?.profile?.displayName ?? team.raw.metadata.title ?? team.name;
        const page = await webview(ctx, new RegExp(`^${title}$`), 60_000);
        const rows = await until('the dashboard to list the team\'s scored services', async (seen) => {
          const r = await page.locator('table.grid tbody tr').evaluateAll((els) => els.map((e) => [...e.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())));
          seen(r);
          return services.every((s) => r.some((x) => x[0] === (s.raw.metadata.title ?? s.name))) ? r : undefined;
        });
        ctx.note(`dashboard: ${rows.map((r) => r.join(' / ')).join(' | ')}`);
        for (const s of services) {
          const r = rows.find((x) => x[0] === (s.raw.metadata.title ?? s.name))!;
          const want = truth.get(s.ref)!;
          check(r[2] === (want.level ?? 'None') && r[3] === `${Math.round(want.score)}%`, `${s.ref} at ${want.level} with ${Math.round(want.score)}%`, r);
        }
        const top = await page.locator('ol.top-failing li').allTextContents();
        ctx.note(`failing most: ${top.join(' | ')}`);
        check(top.length > 0, 'the rules failing most are listed', top);
        await hideSideBar(ctx);
        await ctx.shot('04-team-dashboard');
        // A click through to an entity: its scorecard.
        const first = services[0];
        await page.locator(`vscode-button[aria-label="Scorecard of ${first.raw.metadata.title ?? first.name}"]`).click();
        await webview(ctx, new RegExp(`^${first.raw.metadata.title ?? first.name}$`));
      },
    },
    {
      name: 'compliance',
      timeoutMs: 90_000,
      async run(ctx) {
        const groups = readCatalog(ctx.workspace).filter((e) => e.kind === 'Group' && e.raw.spec?.type === 'team');
        const paged = (g: (typeof groups)[number]) => !!g.raw.metadata.annotations?.['pagerduty.com/service-id'];
        const without = groups.filter((g) => !paged(g));
        check(without.length > 0, 'the demo has a team with no pager', groups.map((g) => g.name));
        await ctx.wb.runCommand('View: Close All Editor Groups');
        await hideSideBar(ctx);
        await ctx.wb.runCommand('Paved Road: Ask the Catalog…', 30_000);
        const page = await until('the compliance page', async () => {
          const frames = ctx.page.locator('iframe.webview.ready');
          for (let i = (await frames.count()) - 1; i >= 0; i--) {
            const inner = frames.nth(i).contentFrame().locator('iframe#active-frame').contentFrame();
            if ((await inner.locator('form.ask').count().catch(() => 0)) > 0) return inner;
          }
          return undefined;
        }, 30_000);
        const select = page.locator('vscode-single-select');
        const options = await select.locator('vscode-option').evaluateAll((els) => els.map((e) => ({ value: e.getAttribute('value') ?? '', text: (e.textContent ?? '').trim() })));
        ctx.note(`questions: ${options.map((o) => `${o.value} (${o.text})`).join(' | ')}`);
        const q = options.find((o) => o.value === 'teams-without-oncall');
        check(q, 'the questions include teams-without-oncall', options);
        await select.click();
        await page.getByRole('option', { name: q.text }).first().click();
        await page.locator('vscode-button', { hasText: 'Ask' }).click();
        const rows = await until('the result to list the teams with no pager', async (seen) => {
          const r = await page.locator('section.result table.grid tbody tr').evaluateAll((els) => els.map((e) => (e.querySelector('td')?.textContent ?? '').trim()));
          seen(r);
          return without.every((g) => r.some((x) => namesOf(g.raw, g.ref).includes(x))) ? r : undefined;
        });
        ctx.note(`teams without on-call: ${rows.join(' | ')}`);
        const pagedShown = groups.filter(paged).filter((g) => rows.some((x) => namesOf(g.raw, g.ref).includes(x)));
        check(pagedShown.length === 0, 'no team with a pager is listed', pagedShown.map((g) => g.ref));
        await ctx.shot('05-compliance');
      },
    },
    {
      name: 'adoption-off',
      timeoutMs: 60_000,
      async run(ctx) {
        const userData = join(ctx.runDir, 'user-data');
        check(readSettings(join(userData, 'User/settings.json'))[ADOPTION] === true, `the user settings turn ${ADOPTION} on`);
        // The extension says at activation whether it records: not with VS Code's telemetry off.
        const logs = join(userData, 'logs');
        const said = await until('the Paved Road log to say whether adoption signals are recorded', () => {
          const found = (function find(dir: string): string | undefined {
            for (const n of existsSync(dir) ? readdirSync(dir) : []) {
              const p = join(dir, n);
              if (statSync(p).isDirectory()) {
                const f = find(p);
                if (f) return f;
              } else if (n === 'Paved Road.log') return p;
            }
            return undefined;
          })(logs);
          return found && /Adoption signals: .*/.exec(readFileSync(found, 'utf8'))?.[0];
        });
        ctx.note(`log: ${said}`);
        check(said === "Adoption signals: not recorded (VS Code's telemetry is off).", 'not recorded, because telemetry is off', said);
        // A Find Entity search left with no result: the hook runs, and nothing is written.
        await ctx.wb.chooseCommand('Paved Road: Find Entity…', 20_000);
        await until('the Find Entity quick pick', async () => (await ctx.wb.quickPick())?.title.startsWith('Find Entity'));
        await ctx.page.keyboard.type(NOWHERE);
        await until(`Find Entity to answer "${NOWHERE}" with nothing`, async (seen) => {
          const q = await ctx.wb.quickPick();
          seen(q);
          return q?.title === `Find Entity: 0 matches for "${NOWHERE}"`;
        });
        await ctx.page.keyboard.press('Escape');
        const storage = join(userData, 'User/globalStorage');
        const t0 = Date.now();
        const written = await until('a few seconds with no adoption signal written', () => {
          const files = existsSync(storage) ? readdirSync(storage).flatMap((d) => (statSync(join(storage, d)).isDirectory() ? readdirSync(join(storage, d)).map((f) => `${d}/${f}`) : [])) : [];
          const signals = files.filter((f) => f.endsWith('adoption-signals.jsonl'));
          return signals.length ? signals : Date.now() - t0 > 3_000 ? [] : undefined;
        }, 10_000);
        check(written.length === 0, 'no adoption signal is written while telemetry is off', written);
      },
    },
  ],
};

export default scenario;
