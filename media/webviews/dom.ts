/**
 * The pages' only way to make DOM: `h()` builds elements whose text is always a text node (never parsed as
 * HTML) and refuses `on…` attributes (no inline handler: the CSP forbids them, and listeners are given as
 * functions). It needs only this small part of a document, so tests run it against a fake one.
 */
export interface El {
  setAttribute(name: string, value: string): void;
  append(...nodes: (El | Txt)[]): void;
  replaceChildren(...nodes: (El | Txt)[]): void;
  addEventListener(type: string, listener: (e: Event) => void): void;
}
export type Txt = object;
export interface Doc {
  createElement(tag: string): El;
  createTextNode(text: string): Txt;
}

export type Child = El | string | number | false | null | undefined;
export type Attrs = Record<string, string | number | boolean | undefined>;

export function h(doc: Doc, tag: string, attrs: Attrs = {}, children: Child[] = [], on: Record<string, (e: Event) => void> = {}): El {
  const el = doc.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (/^on/i.test(name)) throw new Error(`inline handler ${name}: give a listener instead`);
    if (value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    el.append(typeof c === 'string' || typeof c === 'number' ? doc.createTextNode(String(c)) : c);
  }
  for (const [type, listener] of Object.entries(on)) el.addEventListener(type, listener);
  return el;
}

/** A button that acts on click, Enter and Space (vscode-button is focusable and does so itself). */
export function button(doc: Doc, label: string, act: () => void, attrs: Attrs = {}, icon?: string): El {
  return h(doc, 'vscode-button', { ...attrs, ...(icon ? { icon } : {}) }, [label], { click: () => act() });
}

/** A codicon with a text alternative (or hidden when the text beside it says it). */
export function icon(doc: Doc, name: string, label?: string): El {
  return h(doc, 'vscode-icon', { name, ...(label ? { label, role: 'img', 'aria-label': label } : { 'aria-hidden': 'true' }) });
}
