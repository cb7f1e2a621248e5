// The side bar's tree views of an extension, as a user reaches them: the activity bar entry, a view's
// header and toolbar, its rows (scrolled into view when the list is longer than the pane).
import type { Locator, Page } from 'playwright-core';
import { until } from './harness';

export interface TreeRow {
  /** Position in the whole list (the list is virtualised: only rows in view are in the DOM). */
  index: number;
  /** 1 for the top level. */
  level: number;
  label: string;
  description: string;
  /** true/false for a collapsible row, undefined for a leaf. */
  expanded?: boolean;
}

export class SideBarViews {
  constructor(readonly page: Page) {}

  /** Clicks the activity bar entry whose title starts with `title` and waits for its side bar. */
  async openContainer(title: string, firstView: string, timeoutMs = 30_000): Promise<void> {
    const entry = this.page.locator(`.part.activitybar a.action-label[aria-label^="${title}"]`).first();
    await entry.waitFor({ state: 'visible', timeout: timeoutMs });
    if (!(await this.header(firstView).isVisible())) await entry.click();
    await this.header(firstView).waitFor({ state: 'visible', timeout: timeoutMs });
  }

  header(view: string): Locator {
    return this.page.locator(`.part.sidebar .pane-header[aria-label^="${view}"]`).first();
  }

  pane(view: string): Locator {
    return this.page.locator(`.part.sidebar .pane:has(> .pane-header[aria-label^="${view}"])`).first();
  }

  /** Expands the view's pane when it is collapsed. */
  async expand(view: string, timeoutMs = 15_000): Promise<void> {
    const header = this.header(view);
    if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
    await until(`the ${view} view to expand`, async () => (await header.getAttribute('aria-expanded')) === 'true', timeoutMs);
  }

  /** The view's description next to its title (TreeView.description), e.g. "by owner". */
  async description(view: string): Promise<string> {
    const d = this.header(view).locator('.description');
    return (await d.count()) ? ((await d.first().textContent()) ?? '').trim() : '';
  }

  /** The view's message above its rows (TreeView.message). */
  async message(view: string): Promise<string> {
    const m = this.pane(view).locator('.message');
    return (await m.count()) && (await m.first().isVisible()) ? ((await m.first().innerText()) ?? '').trim() : '';
  }

  /** The text of the view's empty state (viewsWelcome), '' when it shows rows. */
  async welcome(view: string): Promise<string> {
    const w = this.pane(view).locator('.welcome-view-content');
    return (await w.count()) && (await w.first().isVisible()) ? (await w.first().innerText()).trim() : '';
  }

  /** Clicks a toolbar action of the view (they show when the header is hovered). */
  async action(view: string, label: string, timeoutMs = 10_000): Promise<void> {
    const header = this.header(view);
    await header.hover();
    await header.locator(`.actions a.action-label[aria-label^="${label}"]`).first().click({ timeout: timeoutMs });
  }

  /** The rows in the DOM, in list order (not the sticky copies of the groups scrolled past, drawn over the top). */
  async rows(view: string): Promise<TreeRow[]> {
    const rows = await this.pane(view)
      .locator('.monaco-list-rows > .monaco-list-row')
      .evaluateAll((els) =>
        els.map((e) => ({
          index: Number(e.getAttribute('data-index') ?? '0'),
          level: Number(e.getAttribute('aria-level') ?? '0'),
          label: (e.querySelector('.label-name')?.textContent ?? '').trim(),
          description: (e.querySelector('.label-description')?.textContent ?? '').trim(),
          expanded: e.hasAttribute('aria-expanded') ? e.getAttribute('aria-expanded') === 'true' : undefined,
        })),
      );
    return rows.sort((a, b) => a.index - b.index);
  }

  row(view: string, index: number): Locator {
    return this.pane(view).locator(`.monaco-list-rows > .monaco-list-row[data-index="${index}"]`);
  }

  /**
   * Scrolls the view to its top, then down, until a row matching `match` is rendered, and returns it;
   * fails when the time is up. (One huge wheel step does not scroll a VS Code list: small steps do.)
   */
  async reveal(view: string, what: string, match: (r: TreeRow) => boolean, timeoutMs = 30_000): Promise<TreeRow> {
    await this.page.keyboard.press('Escape'); // a tooltip over the list would take the wheel
    await this.pane(view).locator('.monaco-list').first().hover({ timeout: 10_000 });
    let up = true;
    let lastSeen = -1;
    return until(
      `the ${view} view to show ${what}`,
      async (seen) => {
        const rows = await this.rows(view);
        seen(rows.map((r) => `${'  '.repeat(Math.max(0, r.level - 1))}${r.label} [${r.description}]`));
        const found = rows.find(match);
        if (found) return found;
        const first = rows[0]?.index ?? 0;
        const last = rows[rows.length - 1]?.index ?? -1;
        if (up && first > 0) {
          await this.page.mouse.wheel(0, -1000);
        } else if (!up && last === lastSeen) {
          up = true; // at the end without it: start over (rows may still be arriving)
        } else {
          up = false;
          lastSeen = last;
          await this.page.mouse.wheel(0, 300);
        }
        return undefined;
      },
      timeoutMs,
    );
  }

  /** Right-clicks a row (reveal it first) and returns the titles of its context menu, which stays open. */
  async contextMenu(view: string, row: TreeRow, timeoutMs = 10_000): Promise<string[]> {
    await this.row(view, row.index).click({ button: 'right' });
    const items = this.page.locator('.context-view .monaco-menu .action-item:not(.disabled) .action-label');
    await items.first().waitFor({ state: 'visible', timeout: timeoutMs });
    return items.evaluateAll((els) => els.map((e) => (e.getAttribute('aria-label') ?? e.textContent ?? '').trim()).filter(Boolean));
  }

  /** Chooses `title` in the open context menu. */
  async chooseMenuItem(title: string, timeoutMs = 10_000): Promise<void> {
    const item = this.page.locator(`.context-view .monaco-menu .action-item .action-label[aria-label="${title}"]`).first();
    const menu = this.page.locator('.context-view .monaco-menu').first();
    await item.click({ timeout: timeoutMs });
    // A menu ignores a click that comes too soon after it opened (so the right button's release picks
    // nothing); on a busy machine that can be ours. Then the item is chosen as a keyboard user would.
    const closed = await menu.waitFor({ state: 'hidden', timeout: 3_000 }).then(() => true, () => false);
    if (closed) return;
    await item.hover({ timeout: timeoutMs });
    await this.page.keyboard.press('Enter');
    await menu.waitFor({ state: 'hidden', timeout: timeoutMs });
  }

  /** Clicks a row (reveal it first). */
  async click(view: string, row: TreeRow): Promise<void> {
    await this.row(view, row.index).click();
  }
}
