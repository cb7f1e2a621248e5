// A multi-step quick input (the Paved Road wizards) as a user drives it: the same widget stays open from
// step to step, so every action waits for the title of the step it leads to, never for the widget to close.
import { until, type StepContext } from './harness';
import type { QuickPick, QuickPickRow } from './workbench';

const QUICK_INPUT = '.quick-input-widget';

export interface InputState {
  title: string;
  value: string;
  /** The validation message under the input box ("" when none: the prompt shows there then). */
  message: string;
}

/** How VS Code shows an input box's prompt in the message line when there is no validation message. */
const PROMPT_SUFFIX = "(Press 'Enter' to confirm or 'Escape' to cancel)";

/** The quick input's title, input value and validation message; undefined when it is closed. */
export async function inputState(ctx: StepContext): Promise<InputState | undefined> {
  const widget = ctx.page.locator(QUICK_INPUT);
  if (!(await widget.isVisible())) return undefined;
  const title = ((await widget.locator('.quick-input-title').first().textContent().catch(() => '')) ?? '').trim();
  const value = await widget.locator('.quick-input-box input').first().inputValue().catch(() => '');
  const msg = widget.locator('.quick-input-message').first();
  const text = (await msg.isVisible().catch(() => false)) ? ((await msg.innerText().catch(() => '')) ?? '').trim() : '';
  return { title, value, message: text.endsWith(PROMPT_SUFFIX) ? '' : text };
}

/** Waits for the step whose title matches, and returns its state. */
export async function waitStep(ctx: StepContext, title: RegExp, timeoutMs = 20_000): Promise<InputState> {
  return until(
    `the wizard step titled ${title}`,
    async (seen) => {
      const s = await inputState(ctx);
      seen(s);
      return s && title.test(s.title) ? s : undefined;
    },
    timeoutMs,
  );
}

/** Waits for the quick pick titled `title` to list rows (and `want` among them, when given). */
export async function waitPick(ctx: StepContext, title: RegExp, want?: (r: QuickPickRow) => boolean, timeoutMs = 20_000): Promise<QuickPick> {
  return until(
    `the quick pick titled ${title}${want ? ' with the row wanted' : ''}`,
    async (seen) => {
      const p = await ctx.wb.quickPick();
      seen(p);
      return p && title.test(p.title) && p.rows.length > 0 && (!want || p.rows.some(want)) ? p : undefined;
    },
    timeoutMs,
  );
}

/** Types into the quick input's box (replacing what is there). */
export async function typeValue(ctx: StepContext, text: string): Promise<void> {
  await ctx.page.locator(`${QUICK_INPUT} .quick-input-box input`).first().fill(text);
}

/** Clicks the first row that `want` accepts (the widget may stay open for the next step). */
export async function clickRow(ctx: StepContext, want: (r: QuickPickRow) => boolean, timeoutMs = 15_000): Promise<QuickPickRow> {
  const rows = ctx.page.locator(`${QUICK_INPUT} .quick-input-list .monaco-list-row`);
  const found = await until(
    'the row to click',
    async (seen) => {
      const all = await rows.evaluateAll((els) =>
        els.map((e) => ({
          index: Number(e.getAttribute('data-index') ?? '0'),
          label: (e.querySelector('.label-name')?.textContent ?? '').trim(),
          description: (e.querySelector('.label-description')?.textContent ?? '').trim(),
          detail: (e.querySelector('.quick-input-list-label-meta')?.textContent ?? '').trim(),
        })),
      );
      seen(all);
      const i = all.findIndex(want);
      return i >= 0 ? { dom: i, row: all[i] } : undefined;
    },
    timeoutMs,
  );
  await rows.nth(found.dom).click({ timeout: timeoutMs });
  return found.row;
}

/** The title bar's Back button. */
export async function back(ctx: StepContext): Promise<void> {
  const button = ctx.page.locator(`${QUICK_INPUT} .quick-input-titlebar .action-label[class*="quick-input-back"], ${QUICK_INPUT} .quick-input-titlebar .action-label[aria-label^="Back"]`).first();
  await button.click({ timeout: 10_000 });
}
