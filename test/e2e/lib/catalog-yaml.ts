// The demo workspace of the scenarios, and ground truth about it: its catalog as the yaml package reads
// it, with no help from the product.
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { LineCounter, parse, parseAllDocuments, type Document } from 'yaml';

export interface Entity {
  ref: string; // kind:namespace/name, lower-case kind
  kind: string;
  name: string;
  file: string; // workspace-relative
  nameLine: number; // 1-based line of metadata.name's value
  nameColumn: number; // 1-based column where that value starts
  raw: any;
}

/** kind:namespace/name of a reference as written, or undefined when it has no kind and none is implied. */
export function refOf(written: unknown, defaultKind?: string, namespace = 'default'): string | undefined {
  if (typeof written !== 'string' || !written) return undefined;
  const m = /^(?:([^:/]+):)?(?:([^:/]+)\/)?([^:/]+)$/.exec(written);
  if (!m) return undefined;
  const kind = (m[1] ?? defaultKind)?.toLowerCase();
  return kind ? `${kind}:${(m[2] ?? namespace).toLowerCase()}/${m[3].toLowerCase()}` : undefined;
}

export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);

export function yamlFiles(dir: string, root = dir): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...yamlFiles(p, root));
    else if (/\.ya?ml$/.test(e.name)) out.push(relative(root, p));
  }
  return out.sort();
}

/** Every entity of the workspace's catalog files, as YAML reads them (files that do not parse are skipped). */
export function readCatalog(workspace: string): Entity[] {
  const out: Entity[] = [];
  for (const file of yamlFiles(workspace)) {
    const text = readFileSync(join(workspace, file), 'utf8');
    const lineCounter = new LineCounter();
    const docs = parseAllDocuments(text, { lineCounter }) as Document[];
    if (!Array.isArray(docs) || docs.some((d) => d.errors.length > 0)) continue;
    for (const doc of docs) {
      const raw = doc.toJS() as any;
      if (typeof raw?.apiVersion !== 'string' || !/^(scaffolder\.)?backstage\.io\//.test(raw.apiVersion)) continue;
      if (typeof raw.kind !== 'string' || typeof raw.metadata?.name !== 'string') continue;
      const node = doc.getIn(['metadata', 'name'], true) as { range?: [number, number, number] } | undefined;
      const namePos = node?.range ? lineCounter.linePos(node.range[0]) : { line: 0, col: 0 };
      out.push({
        ref: `${raw.kind.toLowerCase()}:${(raw.metadata.namespace ?? 'default').toLowerCase()}/${raw.metadata.name.toLowerCase()}`,
        kind: raw.kind,
        name: raw.metadata.name,
        file,
        nameLine: namePos.line,
        nameColumn: namePos.col,
        raw,
      });
    }
  }
  return out;
}

/** Copies the repository's demo/ (its .vscode settings included) into the scenario's workspace. */
export function copyDemo(info: { root: string; workspace: string }): void {
  const demo = join(info.root, 'demo');
  if (!existsSync(demo)) throw new Error(`${demo} is missing`);
  cpSync(demo, info.workspace, { recursive: true, filter: (src) => !/[\\/](node_modules|\.git)([\\/]|$)/.test(src) });
}

/** An entity of a catalog snapshot, and whether it was quarantined (kept with its problems). */
export interface StoreEntity {
  ref: string;
  kind: string;
  name: string;
  title?: string;
  raw: any;
  quarantined: boolean;
}

/** The entities of a snapshot: ours (`{version, entities: [{entity, problems}]}`), or Backstage's array or `{items}`. */
export function readStore(file: string): StoreEntity[] {
  const doc = parse(readFileSync(file, 'utf8')) as any;
  const items: any[] = Array.isArray(doc) ? doc : (doc?.entities ?? doc?.items ?? []);
  return items
    .map((item): StoreEntity | undefined => {
      const raw = item?.entity ?? item;
      if (typeof raw?.kind !== 'string' || typeof raw?.metadata?.name !== 'string') return undefined;
      const ns = String(raw.metadata.namespace ?? 'default').toLowerCase();
      const quarantined = Array.isArray(item.problems) && item.problems.length > 0;
      return { ref: `${raw.kind.toLowerCase()}:${ns}/${raw.metadata.name.toLowerCase()}`, kind: raw.kind, name: raw.metadata.name, title: raw.metadata.title, raw, quarantined };
    })
    .filter((e): e is StoreEntity => !!e);
}

/** A settings.json, which may carry comments (JSONC): whole-line ones are dropped. */
export const readSettings = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(file, 'utf8').replace(/^\s*\/\/.*$/gm, '')) as Record<string, unknown>;

/** What a row may be labelled for an entity or a group standing for one: its name, title or display name. */
export const namesOf = (raw: any, ref: string): string[] =>
  [raw?.metadata?.name, raw?.metadata?.title, raw?.spec?.profile?.displayName, ref].filter((n): n is string => typeof n === 'string');
