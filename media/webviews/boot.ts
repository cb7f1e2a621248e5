/** What every page does at start: the VS Code API, typed messages, the `ready` handshake, the kept state. */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import type { FromPage, PageState, ToPage, Page } from '../../client/src/webviews/messages';
import { h, type Doc, type El } from './dom';

interface VsCodeApi<S> {
  postMessage(m: FromPage): void;
  getState(): S | undefined;
  setState(s: S): void;
}
declare function acquireVsCodeApi<S>(): VsCodeApi<S>;

export interface PageContext<P extends Page> {
  doc: Doc;
  post: (m: FromPage) => void;
  state: PageState[P] | undefined;
  setState: (s: PageState[P]) => void;
  /** Replaces what the page shows. */
  show: (...nodes: El[]) => void;
}

/** The same control in the page drawn again: its tag and its label. */
const focusKey = (e: HTMLElement): string => `${e.tagName}\u0000${e.getAttribute('aria-label') ?? e.textContent ?? ''}`;

export function boot<P extends Page>(page: P, onMessage: (m: ToPage, ctx: PageContext<P>) => void): PageContext<P> {
  const api = acquireVsCodeApi<PageState[P]>();
  const root = document.getElementById('root')!;
  const status = document.createElement('div');
  status.setAttribute('role', 'alert');
  status.className = 'error';
  const content = document.createElement('div');
  root.append(status, content);
  const ctx: PageContext<P> = {
    doc: document as unknown as Doc,
    post: (m) => api.postMessage(m),
    state: api.getState(),
    setState: (s) => {
      ctx.state = s;
      api.setState(s);
    },
    show: (...nodes) => {
      // What had the focus keeps it when the page is drawn again (an answer after a fix, a catalog change).
      const active = document.activeElement;
      const key = active instanceof HTMLElement && content.contains(active) ? focusKey(active) : undefined;
      content.replaceChildren(...(nodes as unknown as Node[]));
      const again = key ? [...content.querySelectorAll<HTMLElement>(active!.tagName)].find((e) => focusKey(e) === key) : undefined;
      // Once the component has drawn itself (it takes the focus only then).
      if (again) requestAnimationFrame(() => again.focus());
    },
  };
  window.addEventListener('message', (e: MessageEvent<ToPage>) => {
    const m = e.data;
    if (m.type === 'error') {
      status.textContent = m.message;
      return;
    }
    status.textContent = '';
    onMessage(m, ctx);
  });
  if (!ctx.state) ctx.show(h(ctx.doc, 'p', { class: 'note' }, [`Loading the ${page === 'teamDashboard' ? 'team dashboard' : page}…`]));
  api.postMessage({ type: 'ready' });
  return ctx;
}
