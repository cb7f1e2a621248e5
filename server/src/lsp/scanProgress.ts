/**
 * A long workspace scan as LSP work-done progress, which VS Code shows in its status bar. It is asked of
 * the client only once the scan proves long (100 files or more, or half a second): a short scan shows
 * nothing, and the progress token's UUID would load node's crypto module, about 7 MB, for no one to see.
 */
import type { Connection, WorkDoneProgressServerReporter } from 'vscode-languageserver/node';

const LONG_FILES = 100;
const LONG_MS = 500;
/** How often the message is updated. */
const EVERY_MS = 250;

export interface ScanProgress {
  /** `done` of `total` files read. */
  report(done: number, total: number): void;
  done(): void;
}

export function scanProgress(connection: Connection, title: string): ScanProgress {
  const started = Date.now();
  let reporter: Promise<WorkDoneProgressServerReporter | undefined> | undefined;
  let reported = 0;
  return {
    report(done, total) {
      const now = Date.now();
      if (!reporter) {
        if (total < LONG_FILES && now - started < LONG_MS) return;
        // A client that does not answer within a second does not hold anything up; the scan goes on either way.
        const timeout = new Promise<undefined>((r) => setTimeout(() => r(undefined), 1000));
        reporter = Promise.race([connection.window.createWorkDoneProgress().catch(() => undefined), timeout]).then((p) => {
          p?.begin(title, 0, undefined, false);
          return p;
        });
      }
      if (now - reported < EVERY_MS && done < total) return;
      reported = now;
      const percentage = Math.floor((done / total) * 100);
      const message = `${done.toLocaleString('en')} of ${total.toLocaleString('en')} files`;
      void reporter.then((p) => p?.report(percentage, message));
    },
    done() {
      void reporter?.then((p) => p?.done());
    },
  };
}
