/**
 * The quick fixes a scorecard rule names in `fix.quickFix`, as one text edit in the entity's file:
 * `add-annotation:<key>` adds the annotation under metadata.annotations (made when missing) with a
 * placeholder value to replace. From the entity's own document text (its span of the file, see
 * `documentSpan`), 0-based positions in the file out, like language/codeActions.ts.
 */
import { isMap, isScalar, parseDocument, type YAMLMap } from 'yaml';
import type { Placement } from '../catalog/catalogIndex';
import type { Position } from '../language/codeActions';

export interface QuickFixEdit {
  start: Position;
  end: Position;
  newText: string;
}

/** Values that are right for most entities; other annotations get a placeholder to replace. */
const KNOWN_VALUES: Record<string, string> = { 'backstage.io/techdocs-ref': 'dir:.' };
const PLACEHOLDER = 'TODO';

/** The words of a quick fix, for menus and buttons; undefined for an id this server does not know. */
export function quickFixTitle(fixId: string): string | undefined {
  const key = annotationKey(fixId);
  return key ? `Add the annotation ${key}` : undefined;
}

function annotationKey(fixId: string): string | undefined {
  const m = /^add-annotation:(.+)$/.exec(fixId);
  return m?.[1].trim() || undefined;
}

/** The line and character of an offset of `text` (counted from its start). */
function positionAt(text: string, offset: number): Position {
  let line = 0;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, character: offset - start };
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The scalar key of a YAML plain or quoted key, for an annotation key that needs quotes. */
function yamlKey(key: string): string {
  return /^[A-Za-z0-9_./-]+$/.test(key) ? key : JSON.stringify(key);
}

/**
 * The edit that applies the quick fix to the entity placed at `p`, from `chunk`, the current text of its
 * document (a document starts a line, so its positions are the file's from `p.chunkLine` on); undefined
 * when the fix is unknown, already done, or the entity's YAML has no place for it.
 */
export function scorecardQuickFix(p: Placement, chunk: string, fixId: string): QuickFixEdit | undefined {
  const key = annotationKey(fixId);
  if (!key) return undefined;
  const doc = parseDocument(chunk, { uniqueKeys: false });
  if (doc.errors.length || !isMap(doc.contents)) return undefined;
  const metadata = doc.contents.get('metadata', true);
  if (!isMap(metadata)) return undefined;
  const value = KNOWN_VALUES[key] ?? PLACEHOLDER;
  const entry = `${yamlKey(key)}: ${value}`;
  const annotations = metadata.get('annotations', true);
  const insert = (offset: number, newText: string): QuickFixEdit => {
    const at = positionAt(chunk, offset);
    const pos = { line: p.chunkLine + at.line, character: at.character };
    return { start: pos, end: pos, newText };
  };
  if (isMap(annotations)) {
    if (annotations.has(key)) return undefined;
    return annotations.flow ? flowInsert(annotations, entry, insert) : blockInsert(chunk, annotations, entry, insert);
  }
  if (annotations !== undefined && !(isScalar(annotations) && annotations.value === null)) return undefined;
  if (metadata.flow) return undefined;
  // No annotations yet (or an empty `annotations:`): a new map at the indent of metadata's keys.
  const first = metadata.items[0]?.key;
  if (!isScalar(first) || !first.range) return undefined;
  const indent = chunk.slice(lineStart(chunk, first.range[0]), first.range[0]);
  if (annotations !== undefined) {
    const pair = metadata.items.find((i) => isScalar(i.key) && i.key.value === 'annotations')!;
    const k = pair.key as { range?: [number, number, number] };
    const eol = chunk.indexOf('\n', k.range![1]);
    return insert(eol === -1 ? chunk.length : eol, `\n${indent}  ${entry}`);
  }
  return insert(lineStart(chunk, first.range[0]), `${indent}annotations:\n${indent}  ${entry}\n`);
}

function blockInsert(chunk: string, map: YAMLMap, entry: string, insert: (offset: number, text: string) => QuickFixEdit): QuickFixEdit | undefined {
  const first = map.items[0]?.key;
  if (!isScalar(first) || !first.range) return undefined;
  const start = lineStart(chunk, first.range[0]);
  return insert(start, `${chunk.slice(start, first.range[0])}${entry}\n`);
}

function flowInsert(map: YAMLMap, entry: string, insert: (offset: number, text: string) => QuickFixEdit): QuickFixEdit | undefined {
  if (!map.range) return undefined;
  return insert(map.range[0] + 1, map.items.length ? ` ${entry},` : ` ${entry} `);
}
