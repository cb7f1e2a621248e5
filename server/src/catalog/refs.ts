/** Entity references, parsed exactly as Backstage's catalog-model does (src/entity/ref.ts). */

export interface ParsedRef {
  kind?: string;
  namespace?: string;
  name: string;
}

/**
 * Splits `[kind:][namespace/]name`. The first `:` separates the kind unless a `/` comes before it;
 * the namespace ends at the first `/`; the rest is the name. Returns undefined when a written part is empty.
 */
export function parseRefString(ref: string): ParsedRef | undefined {
  let colon = ref.indexOf(':');
  const slash = ref.indexOf('/');
  if (slash !== -1 && slash < colon) colon = -1;
  const kind = colon === -1 ? undefined : ref.slice(0, colon);
  const namespace = slash === -1 ? undefined : ref.slice(colon + 1, slash);
  const name = ref.slice(Math.max(colon + 1, slash + 1));
  if (kind === '' || namespace === '' || !name) return undefined;
  return { kind, namespace, name };
}

/** Backstage's stringifyEntityRef: `kind:namespace/name`, lower-cased (identity is case-insensitive). */
export function stringifyRef(kind: string, namespace: string, name: string): string {
  return `${kind}:${namespace}/${name}`.toLowerCase();
}
