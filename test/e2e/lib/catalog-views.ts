// The Paved Road side bar as the scenarios drive it: the Catalog view's groups, its grouping, the status
// bar item.
import { until, type StepContext } from './harness';
import { SideBarViews, type TreeRow } from './views';

export const CATALOG = 'Catalog';
export const KINDS = ['Component', 'API', 'Resource', 'System', 'Domain', 'Group', 'User', 'Location', 'Template'];

/** A row stands for an entity when it is labelled with one of its names. */
export const rowIs = (names: string[]) => (r: TreeRow) => names.includes(r.label);
/** Rows as text for the report, indented by level. */
export const show = (rows: TreeRow[]) => rows.map((r) => `${'  '.repeat(Math.max(0, r.level - 1))}${r.label} [${r.description}]`);

export const views = (ctx: StepContext) => (ctx.state.views ??= new SideBarViews(ctx.page)) as SideBarViews;

/** The top-level rows once they are groups with counts. */
export async function groups(ctx: StepContext, what: string, expect: (rows: TreeRow[]) => boolean): Promise<TreeRow[]> {
  return until(what, async (seen) => {
    const rows = (await views(ctx).rows(CATALOG)).filter((r) => r.level === 1);
    seen(show(rows));
    return rows.length > 0 && rows.every((r) => /^\d+$/.test(r.description)) && expect(rows) ? rows : undefined;
  }, 60_000);
}

/** Groups the Catalog by `by`, with every group closed (the top level all in view), and returns the groups. */
export async function groupBy(ctx: StepContext, by: string): Promise<TreeRow[]> {
  const v = views(ctx);
  await v.action(CATALOG, 'Collapse All');
  if ((await v.description(CATALOG)) === `by ${by}`) return groups(ctx, `the Catalog grouped by ${by}`, () => true);
  await v.action(CATALOG, 'Group Catalog By');
  await until('the group-by quick pick', async () => (await ctx.wb.quickPick())?.title === 'Group the Catalog view');
  await ctx.wb.pickQuickPickRow(`Group by ${by}`);
  await until(`the view to say "by ${by}"`, async () => (await v.description(CATALOG)) === `by ${by}`);
  return groups(ctx, `the Catalog grouped by ${by}`, by === 'kind' ? (rows) => rows.every((r) => KINDS.includes(r.label)) : () => true);
}

/** Opens the top-level group `label` and returns its row. */
export async function openGroup(ctx: StepContext, label: string): Promise<TreeRow> {
  const v = views(ctx);
  const row = await v.reveal(CATALOG, `the group ${label}`, (r) => r.level === 1 && r.label === label);
  if (!row.expanded) await v.click(CATALOG, row);
  await until(`${label} to open`, async () => (await v.rows(CATALOG)).some((r) => r.index === row.index + 1 && r.level === 2));
  return row;
}

/** The status bar item of Paved Road. */
export const statusItem = (ctx: StepContext) => ctx.page.locator('.part.statusbar .statusbar-item').filter({ hasText: 'Paved Road' }).first();

/** Waits until the status bar item's text and warning state satisfy `ok`, and returns its text. */
export async function statusUntil(ctx: StepContext, what: string, ok: (label: string, warning: boolean) => boolean, timeoutMs = 60_000): Promise<string> {
  return until(what, async (seen) => {
    const item = statusItem(ctx);
    const [label, cls] = [await item.innerText(), (await item.getAttribute('class')) ?? ''];
    seen({ label, cls });
    return ok(label, cls.includes('warning')) ? label : undefined;
  }, timeoutMs);
}

export async function activeEditor(ctx: StepContext, tab: string): Promise<void> {
  await until(`the editor to show ${tab}`, async (seen) => {
    const active = await ctx.wb.activeTab();
    seen(active);
    return active === tab;
  }, 20_000);
}
