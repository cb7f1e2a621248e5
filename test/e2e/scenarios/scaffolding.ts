// Scenario "scaffolding": golden paths from the command palette, in the demo workspace (its Groups and
// Systems, its user's email in the settings, and a naming rule added to its policies).
//   wizard          "Paved Road: Create from Template…", "Node.js service"; a bad name gets the validation
//                   message while typing (and Enter does not go on); fixed; Back once and forward again (the
//                   name is kept); the owner and the system picked from the catalog by display name; the
//                   defaults of the rest; the workspace folder
//   preview         the preview lists the files as new; choosing the Dockerfile shows its rendered content
//                   read-only; "Create N files in …" writes them
//   written         the new catalog-info.yaml is open, the server read it (its Outline), the Problems panel
//                   lists nothing for it; the files, answers.yaml and the audit line are on disk
//   add-to-service  "Paved Road: Add to Service…", the new service, "PostgreSQL database", its defaults, the
//                   preview of the catalog-info.yaml edit, write: the .tf module call, the Resource and the
//                   dependsOn edge are in the files, and the Problems panel lists nothing for catalog-info.yaml
//   drift-update    a service the CLI made from the template's oldest version, with a local edit where the
//                   newer version changed too: "Paved Road: Check Template Drift" lists it with its versions;
//                   choosing it shows the update's summary (the conflict among the files); confirming merges:
//                   the conflicted file opens with standard conflict markers, the others are merged
// Expected values come from the workspace's files and the templates' manifests.
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, writeFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { copyDemo, readSettings } from '../lib/catalog-yaml';
import { check, until, type Scenario, type StepContext } from '../lib/harness';
import { statusItem } from '../lib/catalog-views';
import { back, clickRow, inputState, typeValue, waitPick, waitStep } from '../lib/wizard';

const NAME = 'refunds-api';
const BAD_NAME = 'Refunds API';
const DB = 'refunds-db';
const OWNER = { ref: 'group:default/payments-team', label: 'Payments Team' };
const SYSTEM = { ref: 'system:default/payments', label: 'Payments' };
const OLD = 'chargeback-api';
const CREATE = 'Paved Road: Create from Template…';
const DRIFT = 'Paved Road: Check Template Drift';
const ADD = 'Paved Road: Add to Service…';
/** The organisation's naming rule, added to the demo's policies. */
const NAMING = `
naming:
  pattern: '^[a-z][a-z0-9-]{1,61}[a-z0-9]$'
  message: lower-case letters, digits and dashes, 3-63 characters, starting with a letter
roles:
  developer: { scaffold: own-team }
  platform-engineer: { scaffold: any, audited: true, groups: [group:default/platform-team] }
defaultRole: developer
`;

/** A template's versions, oldest first. */
function versionsOf(root: string, id: string): string[] {
  const dir = join(root, 'templates', id);
  check(existsSync(dir), `the template ${id} ships in templates/`);
  return readdirSync(dir).sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
}

/** The latest manifest of a template. */
function manifest(ctx: StepContext, id: string): { title: string; version: string; parameters: { properties: Record<string, { title?: string }> } } {
  const versions = versionsOf(ctx.root, id);
  return parse(readFileSync(join(ctx.root, 'templates', id, versions[versions.length - 1], 'template.yaml'), 'utf8'));
}

/** Every file under a folder, relative, `/`-separated. */
function walk(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`])).sort();
}

/** Enter on each step until the title matches `until`: the defaults of the questions left. */
async function acceptDefaults(ctx: StepContext, stop: RegExp): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < 20; i++) {
    const s = await inputState(ctx);
    check(s, 'the wizard is open', seen);
    if (stop.test(s.title)) return seen;
    seen.push(s.title);
    await ctx.page.keyboard.press('Enter');
    await until(`the wizard to go past "${s.title}"`, async (report) => {
      const now = await inputState(ctx);
      report(now);
      check(!now?.message, `"${s.title}" accepted its default`, now);
      return now && now.title !== s.title ? now : undefined;
    });
  }
  throw new Error(`the wizard never reached ${stop}: ${seen.join(' | ')}`);
}

/** The Problems panel's rows for a file, watched for a few seconds after the server read it (bounded). */
async function problemsOf(ctx: StepContext, file: string, folder: string): Promise<string[]> {
  await ctx.wb.openProblems();
  const mine = async () => (await ctx.wb.problems()).filter((p) => p.file.includes(`file ${file} of folder ${folder}`)).map((p) => p.label);
  const t0 = Date.now();
  let rows: string[] = [];
  // Diagnostics arrive with the analysis the Outline proved: a few seconds of quiet is enough.
  await until('the Problems panel to stay quiet for the file', async () => {
    rows = await mine();
    return rows.length > 0 || Date.now() - t0 > 3_000;
  }, 10_000);
  return rows;
}

const scenario: Scenario = {
  name: 'scaffolding',
  description: 'Create from Template (validation, back, catalog picks, preview, write), Add to Service, and drift and update with a conflict, on the demo',

  prepare(info) {
    copyDemo(info);
    mkdirSync(join(info.workspace, '.paved-road'), { recursive: true });
    appendFileSync(join(info.workspace, '.paved-road', 'policies.yaml'), NAMING);
    // A service made months ago by the CLI from the oldest version, with a local edit of .nvmrc.
    const email = readSettings(join(info.workspace, '.vscode/settings.json'))['pavedRoad.identity.email'] as string;
    const values = join(info.runDir, 'old-service.json');
    writeFileSync(values, JSON.stringify({ name: OLD, owner: OWNER.ref, system: SYSTEM.ref, lifecycle: 'production' }));
    const oldest = versionsOf(info.root, 'node-service')[0];
    execFileSync(process.execPath, [join(info.root, 'dist/cli.js'), 'scaffold', 'node-service', '--version', oldest, '--values', values, '--out', info.workspace, '--user', email, '--catalog', info.workspace], { cwd: info.workspace, timeout: 30_000, stdio: 'pipe' });
    writeFileSync(join(info.workspace, OLD, '.nvmrc'), '22.13.1\n');
  },

  steps: [
    {
      name: 'wizard',
      timeoutMs: 120_000,
      async run(ctx) {
        const settings = readSettings(join(ctx.workspace, '.vscode/settings.json'));
        check(typeof settings['pavedRoad.identity.email'] === 'string', 'the demo settings give pavedRoad.identity.email', settings);
        const node = manifest(ctx, 'node-service');
        // The palette lists what was contributed when it opened: wait for the extension and its server first.
        const status = await until('the status bar to count the catalog', async (seen) => {
          const text = await statusItem(ctx).innerText().catch(() => '');
          seen(text);
          return /\d[\d,]* entities/.test(text) ? text : undefined;
        }, 60_000);
        ctx.note(`status bar: ${status}`);
        const picked = await ctx.wb.runCommandToQuickPick(CREATE, /^Create from Template: Template \(Step 1 of \d+\)$/, 60_000);
        ctx.note(`templates: ${picked.rows.map((r) => `${r.label} [${r.description}]`).join(' | ')}`);
        check(picked.rows.some((r) => r.label === node.title), `the templates include ${node.title}`, picked.rows);
        await clickRow(ctx, (r) => r.label === node.title);

        const name = await waitStep(ctx, /^Create from Template: Name \(Step 2 of (\d+)\)$/);
        const total = Number(/of (\d+)/.exec(name.title)![1]);
        check(total === Object.keys(node.parameters.properties).length + 3, 'one step per parameter, plus template, folder and preview', { title: name.title, parameters: Object.keys(node.parameters.properties) });
        await typeValue(ctx, BAD_NAME);
        const bad = await until('a validation message on the bad name', async (seen) => {
          const s = await inputState(ctx);
          seen(s);
          return s?.value === BAD_NAME && s.message ? s : undefined;
        });
        ctx.note(`"${BAD_NAME}": ${bad.message}`);
        check(/name/i.test(bad.message), 'the message is about the name', bad);
        await ctx.shot('01-bad-name');
        await ctx.page.keyboard.press('Enter');
        // Enter on a bad value does not go on.
        await until('the name step to stay, with its message', async (seen) => {
          const s = await inputState(ctx);
          seen(s);
          return s && /Name \(Step 2/.test(s.title) && s.message ? s : undefined;
        });

        await typeValue(ctx, NAME);
        await until('the message to go once the name is fixed', async (seen) => {
          const s = await inputState(ctx);
          seen(s);
          return s?.value === NAME && !s.message;
        });
        await ctx.page.keyboard.press('Enter');
        await waitStep(ctx, /: Description \(optional\) \(Step 3 of|: Description \(Step 3 of/);
        await back(ctx);
        const again = await waitStep(ctx, /: Name \(Step 2 of/);
        check(again.value === NAME, 'Back shows the name given', again);
        ctx.note(`Back: "${again.title}" with "${again.value}"`);
        await ctx.page.keyboard.press('Enter');
        await waitStep(ctx, /: Description/);
        await ctx.page.keyboard.press('Enter');

        // The owner, by display name; its ref is the detail.
        const owners = await waitPick(ctx, /: Owner \(Step 4 of/, (r) => r.detail === OWNER.ref);
        ctx.note(`owners: ${owners.rows.slice(0, 8).map((r) => `${r.label} (${r.detail})`).join(' | ')}`);
        check(owners.rows.every((r) => r.detail.startsWith('group:')), 'the owner step offers Groups', owners.rows);
        await ctx.shot('02-owner-by-display-name');
        await typeValue(ctx, OWNER.label);
        await waitPick(ctx, /: Owner/, (r) => r.label === OWNER.label && r.detail === OWNER.ref);
        await clickRow(ctx, (r) => r.label === OWNER.label && r.detail === OWNER.ref);
        await waitPick(ctx, /: System \(Step 5 of/, (r) => r.detail === SYSTEM.ref);
        await typeValue(ctx, SYSTEM.label);
        await clickRow(ctx, (r) => r.label === SYSTEM.label && r.detail === SYSTEM.ref);
        await waitStep(ctx, /: Lifecycle \(Step 6 of/);
        const defaults = await acceptDefaults(ctx, /: Folder \(Step/);
        ctx.note(`defaults taken: ${defaults.join(' | ')}`);
        const folders = await waitPick(ctx, /: Folder \(Step/, (r) => r.description === ctx.workspace);
        ctx.note(`folders: ${folders.rows.map((r) => `${r.label} [${r.description}] ${r.detail}`).join(' | ')}`);
        await clickRow(ctx, (r) => r.description === ctx.workspace);
      },
    },
    {
      name: 'preview',
      timeoutMs: 90_000,
      async run(ctx) {
        const target = join(ctx.workspace, NAME);
        const pick = await waitPick(ctx, /: Preview \(Step (\d+) of \1\)$/, (r) => r.label.startsWith('Create '), 30_000);
        const confirm = pick.rows.find((r) => r.label.startsWith('Create '))!;
        ctx.note(`preview: ${pick.rows.map((r) => `${r.label} [${r.description}]`).join(' | ')}`);
        // The list is virtual: the rows in view, and the count the confirm line gives.
        const count = Number(new RegExp(`^Create (\\d+) files in ${target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`).exec(confirm.label)?.[1]);
        check(count > 10, 'the confirm line counts the files and names the folder', confirm);
        const files = pick.rows.filter((r) => r !== confirm);
        check(files.every((f) => f.description === 'new'), 'every file is new', files);
        ctx.state.count = count;

        await typeValue(ctx, 'Dockerfile');
        await clickRow(ctx, (r) => r.label === 'Dockerfile');
        await until('the Dockerfile preview in the editor', async (seen) => {
          const [tab, text] = [await ctx.wb.activeTab(), await ctx.wb.editorText()];
          seen({ tab, text: text.slice(0, 200) });
          return tab === 'Dockerfile' && /FROM /.test(text);
        });
        check(!existsSync(target), 'nothing is written by the preview');
        // The whole list again, the Dockerfile behind it.
        await typeValue(ctx, '');
        await waitPick(ctx, /: Preview/, (r) => r.label === '.dockerignore');
        await ctx.shot('03-preview');
        await clickRow(ctx, (r) => r.label === confirm.label);
        await ctx.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 20_000 });
      },
    },
    {
      name: 'written',
      timeoutMs: 90_000,
      async run(ctx) {
        const target = join(ctx.workspace, NAME);
        await until(`${NAME}/catalog-info.yaml open in the editor`, async (seen) => {
          const crumbs = await ctx.wb.breadcrumbs();
          seen(crumbs);
          return crumbs.startsWith(`${NAME}/catalog-info.yaml`);
        }, 30_000);
        const onDisk = walk(target).filter((f) => f !== '.paved-road/audit.jsonl');
        ctx.note(`on disk: ${onDisk.join(', ')}`);
        check(onDisk.length === ctx.state.count, 'the files of the preview are on disk', { onDisk, planned: ctx.state.count });
        for (const f of ['catalog-info.yaml', 'Dockerfile', '.paved-road/answers.yaml']) check(onDisk.includes(f), `${f} is on disk`);
        const answers = parse(readFileSync(join(target, '.paved-road/answers.yaml'), 'utf8'));
        check(answers.template === 'node-service' && answers.answers.name === NAME && answers.answers.owner === OWNER.ref && answers.answers.system === SYSTEM.ref, 'answers.yaml records the template and the answers', answers);
        const audit = readFileSync(join(target, '.paved-road/audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
        check(audit.length === 1 && audit[0].action === 'scaffold' && audit[0].who === readSettings(join(ctx.workspace, '.vscode/settings.json'))['pavedRoad.identity.email'], 'one audit line, by the user', audit);
        const outline = await ctx.wb.outline(`component:default/${NAME}`);
        ctx.note(`outline: ${outline.join(' | ')}`);
        const problems = await problemsOf(ctx, 'catalog-info.yaml', NAME);
        check(problems.length === 0, `no problem in ${NAME}/catalog-info.yaml`, problems);
        await ctx.shot('04-written');
      },
    },
    {
      name: 'add-to-service',
      timeoutMs: 120_000,
      async run(ctx) {
        const target = join(ctx.workspace, NAME);
        const pg = manifest(ctx, 'postgres-database');
        const services = await ctx.wb.runCommandToQuickPick(ADD, /^Add to Service: Service \(Step 1 of \d+\)$/, 60_000);
        ctx.note(`services: ${services.rows.map((r) => `${r.label} [${r.description}]`).join(' | ')}`);
        await typeValue(ctx, NAME);
        await clickRow(ctx, (r) => r.label === NAME && r.description === NAME);
        await waitPick(ctx, /: Template \(Step 2 of/, (r) => r.label === pg.title);
        await clickRow(ctx, (r) => r.label === pg.title);
        await waitStep(ctx, /: Name \(Step 3 of/);
        await typeValue(ctx, DB);
        await until('the database name accepted', async (seen) => {
          const s = await inputState(ctx);
          seen(s);
          return s?.value === DB && !s.message;
        });
        await ctx.page.keyboard.press('Enter');
        // The service, its owner and its system come from the service's catalog-info.yaml.
        const service = await waitStep(ctx, /: Service \(Step 4 of/);
        check(service.value === NAME, 'the service is filled in', service);
        await ctx.page.keyboard.press('Enter');
        const owner = await waitPick(ctx, /: Owner \(Step 5 of/);
        ctx.note(`owner step: ${JSON.stringify(owner.rows.slice(0, 3))}`);
        const defaults = await acceptDefaults(ctx, /: Preview \(Step/);
        ctx.note(`defaults taken: ${defaults.join(' | ')}`);
        const pick = await waitPick(ctx, /: Preview \(Step/, (r) => r.label.startsWith('Write '), 30_000);
        ctx.note(`preview: ${pick.rows.map((r) => `${r.label} [${r.description}]`).join(' | ')}`);
        await typeValue(ctx, 'infrastructure/');
        const tfs = await waitPick(ctx, /: Preview/, (r) => /^infrastructure\/.*\.tf$/.test(r.label));
        const tf = tfs.rows.find((r) => /^infrastructure\/.*\.tf$/.test(r.label))!;
        check(tf.description === 'new', 'the preview lists a new .tf file in infrastructure/', tfs.rows);
        await typeValue(ctx, 'catalog-info.yaml');
        const cat = await waitPick(ctx, /: Preview/, (r) => r.label === 'catalog-info.yaml');
        check(cat.rows.some((r) => r.label === 'catalog-info.yaml' && r.description === 'edited in place'), 'catalog-info.yaml is edited in place', cat.rows);
        await clickRow(ctx, (r) => r.label === 'catalog-info.yaml');
        await until('the edited catalog-info.yaml in a preview editor', async (seen) => {
          const text = await ctx.wb.editorText();
          seen(text.slice(0, 300));
          return /kind: Resource|dependsOn/.test(text);
        });
        await typeValue(ctx, '');
        await waitPick(ctx, /: Preview/, (r) => r.label === tf.label);
        await ctx.shot('05-add-preview');
        await clickRow(ctx, (r) => r.label.startsWith('Write '));
        await ctx.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 20_000 });

        await until('the .tf file on disk', () => existsSync(join(target, tf.label)), 20_000);
        const tfText = readFileSync(join(target, tf.label), 'utf8');
        check(/module\s+"/.test(tfText), 'the .tf file calls a Terraform module', tfText.slice(0, 300));
        const docs = parseAllDocuments(readFileSync(join(target, 'catalog-info.yaml'), 'utf8')).map((d) => d.toJS());
        const component = docs.find((d) => d?.kind === 'Component');
        const resource = docs.find((d) => d?.kind === 'Resource');
        check(resource?.metadata?.name === DB && resource.spec?.owner && resource.spec.owner.includes('payments-team'), `catalog-info.yaml has the Resource ${DB}, owned by the service's team`, docs);
        const ref = `resource:default/${resource.metadata.name}`;
        const deps: string[] = (component?.spec?.dependsOn ?? []).map((d: string) => (d.includes('/') ? d : d.replace(':', ':default/')));
        check(deps.includes(ref), `the Component depends on ${ref}`, component?.spec);
        ctx.note(`Resource ${ref}; dependsOn ${JSON.stringify(component.spec.dependsOn)}; ${tf.label}`);
        await until('catalog-info.yaml in the editor', async () => (await ctx.wb.breadcrumbs()).startsWith(`${NAME}/catalog-info.yaml`), 20_000);
        await ctx.wb.outline(ref);
        const problems = await problemsOf(ctx, 'catalog-info.yaml', NAME);
        check(problems.length === 0, `no problem in ${NAME}/catalog-info.yaml after the addition`, problems);
        await ctx.shot('06-added');
      },
    },
    {
      name: 'drift-update',
      timeoutMs: 90_000,
      async run(ctx) {
        const dir = join(ctx.workspace, OLD);
        const [oldest] = versionsOf(ctx.root, 'node-service');
        const latest = manifest(ctx, 'node-service').version;
        check(oldest !== latest, 'node-service has an older version to update from', { oldest, latest });
        const drift = await ctx.wb.runCommandToQuickPick(DRIFT, /^Template drift: 1 service behind/, 30_000);
        ctx.note(`drift: ${drift.title} · ${drift.rows.map((r) => `${r.label} [${r.description}] ${r.detail}`).join(' | ')}`);
        check(drift.rows.length === 1 && drift.rows[0].label === OLD && drift.rows[0].description === `node-service ${oldest} → ${latest}`, `the drift lists ${OLD} with its versions`, drift.rows);
        await clickRow(ctx, (r) => r.label === OLD);
        const summary = await waitPick(ctx, new RegExp(`^Update ${OLD} to node-service ${latest.replace(/\./g, '\\.')}: Summary`), (r) => r.label.startsWith('Update '), 30_000);
        ctx.note(`summary: ${summary.rows.map((r) => `${r.label} [${r.description}]`).join(' | ')}`);
        await typeValue(ctx, '.nvmrc');
        const nvmrc = await waitPick(ctx, /: Summary/, (r) => r.label === '.nvmrc');
        check(nvmrc.rows.some((r) => r.label === '.nvmrc' && r.description.startsWith('conflicts')), '.nvmrc is listed with conflicts', nvmrc.rows);
        await typeValue(ctx, '');
        await ctx.shot('07-update-summary');
        await clickRow(ctx, (r) => r.label.startsWith('Update '));
        await ctx.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 20_000 });
        await until('the conflicted .nvmrc open with its markers', async (seen) => {
          const [tab, text] = [await ctx.wb.activeTab(), await ctx.wb.editorText()];
          seen({ tab, text });
          return tab === '.nvmrc' && text.includes('<<<<<<< yours') && text.includes('22.13.1') && text.includes(`>>>>>>> template ${latest}`);
        }, 30_000);
        const onDisk = readFileSync(join(dir, '.nvmrc'), 'utf8');
        check(onDisk.includes('=======') && onDisk.includes('22.13.1'), '.nvmrc on disk has the conflict, with the local edit', onDisk);
        await ctx.shot('08-conflict');
      },
    },
  ],
};

export default scenario;
