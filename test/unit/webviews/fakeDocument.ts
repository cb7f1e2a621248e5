/** A document just big enough for the pages' `h()`: elements, text nodes, attributes and listeners. */
import type { Doc, El } from '../../../media/webviews/dom';

export class FakeText {
  constructor(readonly text: string) {}
}

export class FakeElement implements El {
  readonly attributes = new Map<string, string>();
  readonly children: (FakeElement | FakeText)[] = [];
  readonly listeners = new Map<string, ((e: Event) => void)[]>();
  constructor(readonly tag: string) {}
  setAttribute(name: string, value: string): void {
    this.attributes.set(name, value);
  }
  append(...nodes: object[]): void {
    for (const n of nodes) {
      if (!(n instanceof FakeElement || n instanceof FakeText)) throw new Error('append: not a node of this document');
      this.children.push(n);
    }
  }
  replaceChildren(...nodes: object[]): void {
    this.children.length = 0;
    this.append(...nodes);
  }
  addEventListener(type: string, listener: (e: Event) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  get textContent(): string {
    return this.children.map((c) => (c instanceof FakeText ? c.text : c.textContent)).join('');
  }
  /** Every element below (and this one), depth first. */
  *all(): Iterable<FakeElement> {
    yield this;
    for (const c of this.children) if (c instanceof FakeElement) yield* c.all();
  }
  /** Fires a listener as the browser would (a click, a key). */
  fire(type: string, event: object = {}): void {
    for (const l of this.listeners.get(type) ?? []) l({ type, preventDefault() {}, ...event } as unknown as Event);
  }
}

export const fakeDocument: Doc & { createElement(tag: string): FakeElement } = {
  createElement: (tag) => new FakeElement(tag),
  createTextNode: (text) => new FakeText(text),
};
