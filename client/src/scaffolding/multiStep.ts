/**
 * A multi-step input: quick picks and input boxes in a row, each titled "… (Step n of m)", with a Back
 * button from the second step on, values kept when going back and forth, and validation while typing
 * (asked of the server; answers that arrive late for an older value are dropped).
 */
import * as vscode from 'vscode';

/** What a step answers: go on, go back one step, stop (Escape, or the input lost), or go to another step (0-based). */
export type Outcome = 'next' | 'back' | 'cancel' | { goto: number };

export interface Step {
  /** Shown in the title, after the wizard's own. */
  title: string;
  run(input: MultiStepInput): Promise<Outcome>;
}

/** Where the current step stands: its number, how many there are, the title to show. */
export interface StepFrame {
  title: string;
  step: number;
  total: number;
}

export interface InputBoxOptions {
  value: string;
  prompt?: string;
  placeholder?: string;
  password?: boolean;
  /** A message when the value is not acceptable; called on every change (the latest call wins) and on Enter. */
  validate?: (value: string, token: vscode.CancellationToken) => Promise<string | undefined> | string | undefined;
}

export interface QuickPickOptions<T extends vscode.QuickPickItem> {
  items: readonly T[];
  active?: T;
  placeholder?: string;
  matchOnDescription?: boolean;
  matchOnDetail?: boolean;
  /** Buttons on the items: a press calls this; the pick stays open. */
  onItemButton?: (e: vscode.QuickPickItemButtonEvent<T>) => void;
  /** Called on an accepted item: return false to stay (e.g. a file previewed), after `say` of why, if need be. */
  accept?: (item: T, say: (message: string) => void) => boolean | Promise<boolean>;
}

/** A value, or how the step ended without one. */
export type Answered<T> = { value: T } | { outcome: 'back' | 'cancel' };

export class MultiStepInput {
  private frame: StepFrame = { title: '', step: 1, total: 1 };

  constructor(readonly title: string) {}

  /** The title of the step being shown. */
  get current(): StepFrame {
    return this.frame;
  }

  /**
   * Runs the steps from `start` (0-based) until the last one is answered (true) or the user cancels
   * (false). Back from the first step cancels. `steps` is asked again before each step: an answer may
   * change the steps that follow (a template's questions).
   */
  async run(steps: () => readonly Step[], start = 0): Promise<boolean> {
    let i = Math.max(0, start);
    for (let all = steps(); i < all.length; all = steps()) {
      this.frame = { title: `${this.title}: ${all[i].title} (Step ${i + 1} of ${all.length})`, step: i + 1, total: all.length };
      const outcome = await all[i].run(this);
      if (outcome === 'cancel') return false;
      if (outcome === 'back') {
        if (i === 0) return false;
        i--;
      } else if (outcome === 'next') i++;
      else i = Math.max(0, outcome.goto);
    }
    return true;
  }

  async inputBox(o: InputBoxOptions): Promise<Answered<string>> {
    const box = vscode.window.createInputBox();
    box.title = this.frame.title;
    box.value = o.value;
    box.prompt = o.prompt;
    box.placeholder = o.placeholder;
    box.password = !!o.password;
    box.ignoreFocusOut = true;
    if (this.frame.step > 1) box.buttons = [vscode.QuickInputButtons.Back];
    let pending: vscode.CancellationTokenSource | undefined;
    let generation = 0;
    const check = async (value: string): Promise<string | undefined> => {
      pending?.cancel();
      const mine = new vscode.CancellationTokenSource();
      pending = mine;
      const g = ++generation;
      box.busy = true;
      try {
        const message = await o.validate?.(value, mine.token);
        if (g === generation) box.validationMessage = message;
        return message;
      } finally {
        if (g === generation) box.busy = false;
        mine.dispose();
      }
    };
    const disposables: vscode.Disposable[] = [box];
    try {
      return await new Promise<Answered<string>>((resolve) => {
        disposables.push(
          box.onDidTriggerButton((b) => {
            if (b === vscode.QuickInputButtons.Back) resolve({ outcome: 'back' });
          }),
          box.onDidChangeValue((v) => void check(v).catch(() => undefined)),
          box.onDidAccept(async () => {
            const value = box.value;
            box.enabled = false;
            try {
              const message = await check(value);
              if (!message && box.value === value) resolve({ value });
            } catch (e) {
              box.validationMessage = `Could not check this value: ${e instanceof Error ? e.message : String(e)}`;
            } finally {
              box.enabled = true;
            }
          }),
          box.onDidHide(() => resolve({ outcome: 'cancel' })),
        );
        box.show();
        // The value shown at first (a default, or the answer given before going back) is checked too.
        if (o.value) void check(o.value).catch(() => undefined);
      });
    } finally {
      pending?.cancel();
      for (const d of disposables) d.dispose();
    }
  }

  async quickPick<T extends vscode.QuickPickItem>(o: QuickPickOptions<T>): Promise<Answered<T>> {
    const qp = vscode.window.createQuickPick<T>();
    qp.title = this.frame.title;
    qp.placeholder = o.placeholder;
    qp.matchOnDescription = !!o.matchOnDescription;
    qp.matchOnDetail = !!o.matchOnDetail;
    qp.ignoreFocusOut = true;
    qp.items = o.items;
    if (o.active) qp.activeItems = [o.active];
    if (this.frame.step > 1) qp.buttons = [vscode.QuickInputButtons.Back];
    const disposables: vscode.Disposable[] = [qp];
    try {
      return await new Promise<Answered<T>>((resolve) => {
        disposables.push(
          qp.onDidTriggerButton((b) => {
            if (b === vscode.QuickInputButtons.Back) resolve({ outcome: 'back' });
          }),
          qp.onDidTriggerItemButton((e) => o.onItemButton?.(e)),
          qp.onDidAccept(async () => {
            const item = qp.selectedItems[0] ?? qp.activeItems[0];
            if (!item) return;
            // A quick pick has no validation line: the message goes where the filter's placeholder shows.
            const say = (message: string) => {
              qp.value = '';
              qp.placeholder = `⚠ ${message}`;
            };
            if (!o.accept || (await o.accept(item, say))) resolve({ value: item });
          }),
          qp.onDidHide(() => resolve({ outcome: 'cancel' })),
        );
        qp.show();
      });
    } finally {
      for (const d of disposables) d.dispose();
    }
  }
}

/** The outcome of an answered step: `next` after `use(value)`, else how it ended. */
export function outcomeOf<T>(a: Answered<T>, use: (value: T) => void): Outcome {
  if ('outcome' in a) return a.outcome;
  use(a.value);
  return 'next';
}
