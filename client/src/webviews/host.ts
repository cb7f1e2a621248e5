/**
 * One small host for the webview pages: creates (or revives) a panel with the page's HTML, holds what the
 * host posts until the page says `ready`, and passes the page's checked messages on. Scripts run only from
 * dist/webviews (localResourceRoots), under the CSP of html.ts.
 */
import * as vscode from 'vscode';
import { pageHtml, nonce } from './html';
import { parseFromPage, type FromPage, type Page, type ToPage } from './messages';

const TITLES: Record<Page, string> = { scorecard: 'Scorecard', teamDashboard: 'Team Dashboard', compliance: 'Ask the Catalog' };

export const viewType = (page: Page): string => `pavedRoad.${page}`;

/**
 * A page in a panel: post to it, hear from it. Until the page says `ready` (at its start, and again when a
 * hidden panel is shown: its page is made anew), the last message of each type waits.
 */
export class PagePort implements vscode.Disposable {
  private ready = false;
  private queue = new Map<ToPage['type'], ToPage>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    readonly panel: vscode.WebviewPanel,
    page: Page,
    extensionUri: vscode.Uri,
    onMessage: (m: FromPage) => void | Promise<void>,
    log: vscode.LogOutputChannel,
  ) {
    const dist = vscode.Uri.joinPath(extensionUri, 'dist', 'webviews');
    const webview = panel.webview;
    webview.options = { enableScripts: true, localResourceRoots: [dist] };
    this.disposables.push(
      webview.onDidReceiveMessage(async (raw: unknown) => {
        const m = parseFromPage(raw);
        if (!m) return log.warn(`${page} webview: a message not understood was ignored`);
        if (m.type === 'ready') {
          this.ready = true;
          const queued = [...this.queue.values()];
          this.queue.clear();
          for (const q of queued) void webview.postMessage(q);
        }
        try {
          await onMessage(m);
        } catch (e) {
          const message = e instanceof Error ? e.message : String(e);
          log.error(`${page} webview, ${m.type}: ${message}`);
          this.post({ type: 'error', message });
        }
      }),
      // Hidden, the page is gone (no retainContextWhenHidden): it says `ready` again when shown.
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
    );
    webview.html = pageHtml({
      cspSource: webview.cspSource,
      nonce: nonce(),
      script: webview.asWebviewUri(vscode.Uri.joinPath(dist, `${page}.js`)).toString(),
      codicons: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'codicon.css')).toString(),
      styles: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'pages.css')).toString(),
      title: TITLES[page],
    });
  }

  post(m: ToPage): void {
    if (this.ready) void this.panel.webview.postMessage(m);
    else this.queue.set(m.type, m);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** A new panel of a page, beside the editor. */
export function createPanel(page: Page, title = TITLES[page]): vscode.WebviewPanel {
  return vscode.window.createWebviewPanel(viewType(page), title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, { enableScripts: true, retainContextWhenHidden: false });
}
