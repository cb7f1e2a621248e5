/**
 * The live sources' tokens (a Backstage static token, a GitHub token), in this process's memory only: the
 * editor's client sends them from its SecretStorage (SourceTokensNotification), the CLI reads one from an
 * environment variable. A source reads its token when it builds a request (`tokenFor`); nothing here is
 * ever written to a file, a status or a log, and `redactTokens` takes them out of any text that could be.
 */

type Listener = (changed: string[]) => void;

const tokens = new Map<string, string>();
const listeners = new Set<Listener>();

/** The token of a source, by the source's id (e.g. `backstage:https://backstage.example.com`). */
export function tokenFor(sourceId: string): string | undefined {
  return tokens.get(sourceId);
}

/**
 * Replaces all tokens with `next` (an absent id has none) and tells the listeners which ids changed
 * (set, replaced or cleared). Empty values count as absent. Returns the changed ids.
 */
export function setTokens(next: Readonly<Record<string, unknown>>): string[] {
  const wanted = new Map<string, string>();
  for (const [id, value] of Object.entries(next ?? {})) if (typeof value === 'string' && value) wanted.set(id, value);
  const changed = new Set<string>();
  for (const [id, value] of tokens) if (wanted.get(id) !== value) changed.add(id);
  for (const [id, value] of wanted) if (tokens.get(id) !== value) changed.add(id);
  tokens.clear();
  for (const [id, value] of wanted) tokens.set(id, value);
  if (changed.size) for (const l of [...listeners]) l([...changed]);
  return [...changed];
}

/** Sets or clears one source's token (the CLI's `--token-env`). */
export function setToken(sourceId: string, value: string | undefined): void {
  const all: Record<string, string> = Object.fromEntries(tokens);
  if (value) all[sourceId] = value;
  else delete all[sourceId];
  setTokens(all);
}

/** Calls `listener` with the ids whose token changed; returns the unsubscribe. */
export function onTokensChanged(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** `text` with every known token (and its Basic/Bearer forms) replaced by `…`: for logs and messages. */
export function redactTokens(text: string): string {
  let out = text;
  for (const value of tokens.values()) if (value.length >= 4) out = out.split(value).join('…');
  return out;
}
