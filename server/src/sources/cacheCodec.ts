/**
 * The warm-start cache's compact form of a file's records: every string (kinds, fields, relations,
 * namespaces, names, references) once in a string table and a number everywhere else, ranges as six flat
 * numbers (four for a range on one line, two for a range within another), each record one flat array. About a sixth of the JSON of the records themselves, and read back
 * with one JSON.parse and a walk over arrays. Decoding gives records with the keys in the order a parse
 * gives them (recordFromValue, recordFromDocument), so a cached record is the same data as a fresh one.
 */
import type { PlacementInput } from '../catalog/catalogIndex';
import type { EntityRecord, Profile, RefOccurrence, RelRange } from '../catalog/entityRecord';
import { stringifyRef } from '../catalog/refs';

/** Absent (an undefined string, range or profile). */
const NONE = -1;

/** Gives each string a number, in order of first use. */
export class StringTable {
  readonly strings: string[] = [];
  private readonly ids = new Map<string, number>();

  id(s: string | undefined): number {
    if (s === undefined) return NONE;
    let id = this.ids.get(s);
    if (id === undefined) this.ids.set(s, (id = this.strings.push(s) - 1));
    return id;
  }
}

/**
 * A range as numbers: start, length, line, character when it is on one line (most are), else start,
 * -1 - length, line, character, endLine, endCharacter.
 */
function putRange(out: number[], r: RelRange): void {
  const length = r.end - r.start;
  if (r.endLine === r.line && r.endCharacter - r.character === length && length >= 0) out.push(r.start, length, r.line, r.character);
  else out.push(r.start, -1 - length, r.line, r.character, r.endLine, r.endCharacter);
}

/** A range within `base`'s first line as its offset from base and its length (2 numbers), else -1 and the range. */
function putInner(out: number[], r: RelRange, base: RelRange): void {
  const d = r.start - base.start;
  if (d >= 0 && r.line === base.line && r.endLine === r.line && r.character - base.character === d && r.endCharacter - r.character === r.end - r.start && r.end >= r.start) out.push(d, r.end - r.start);
  else {
    out.push(-1);
    putRange(out, r);
  }
}

/**
 * One placement as numbers: chunkStart, chunkLine, kind, namespace, name, title, description, type,
 * lifecycle, profile (NONE or three strings), the annotations (a count, then key and value), the tags (a
 * count, then each), the range, the name range (NONE or a range), the references (a count, then per
 * reference: its field (the field, relation and allowed kinds as one string), written, target, targetKind,
 * explicitKind, its range and its name range within it), and the quarantine (NONE, or its problems as one
 * JSON string).
 */
export function encodePlacement(item: PlacementInput, t: StringTable): number[] {
  const r = item.record;
  const out: number[] = [item.chunkStart, item.chunkLine, t.id(r.kind), t.id(r.namespace), t.id(r.name), t.id(r.title), t.id(r.description), t.id(r.type), t.id(r.lifecycle)];
  if (r.profile) out.push(t.id(r.profile.displayName), t.id(r.profile.email), t.id(r.profile.picture));
  else out.push(NONE);
  const keys = Object.keys(r.annotations);
  out.push(keys.length);
  for (const k of keys) out.push(t.id(k), t.id(r.annotations[k]));
  out.push(r.tags.length);
  for (const tag of r.tags) out.push(t.id(tag));
  putRange(out, r.range);
  if (r.nameRange) putRange(out, r.nameRange);
  else out.push(NONE);
  out.push(r.refs.length);
  for (const o of r.refs) {
    out.push(t.id(`${o.field}\n${o.relation}\n${o.allowedKinds.join('\n')}`), t.id(o.written), t.id(o.target), t.id(o.targetKind), o.explicitKind ? 1 : 0);
    putRange(out, o.range);
    putInner(out, o.nameRange, o.range);
  }
  out.push(r.quarantine ? t.id(JSON.stringify(r.quarantine)) : NONE);
  return out;
}

const NO_ANNOTATIONS: Record<string, string> = Object.freeze({}) as Record<string, string>;
const NO_STRINGS: string[] = Object.freeze([]) as unknown as string[];
const NO_REFS: RefOccurrence[] = Object.freeze([]) as unknown as RefOccurrence[];

/** Reads placements back from their numbers, sharing one array per distinct set of allowed kinds. */
export class PlacementDecoder {
  private readonly fields = new Map<number, { field: string; relation: string; allowedKinds: string[] }>();

  constructor(private readonly strings: readonly string[]) {}

  private s(id: number): string | undefined {
    return id === NONE ? undefined : this.strings[id];
  }

  private str(id: number): string {
    const s = this.strings[id];
    if (typeof s !== 'string') throw new Error('a cached record names a string the table does not have');
    return s;
  }

  /** A reference's field, relation and allowed kinds (one array of kinds shared by every reference of the field). */
  private field(id: number): { field: string; relation: string; allowedKinds: string[] } {
    let f = this.fields.get(id);
    if (!f) {
      const [field, relation, ...allowedKinds] = this.str(id).split('\n');
      if (relation === undefined) throw new Error('a cached reference field has no relation');
      this.fields.set(id, (f = { field, relation, allowedKinds: allowedKinds.length === 1 && allowedKinds[0] === '' ? [] : allowedKinds }));
    }
    return f;
  }

  /** The placement being read and where in it. */
  private a: readonly number[] = [];
  private i = 0;

  private range(): RelRange {
    const a = this.a;
    const start = a[this.i++];
    const length = a[this.i++];
    const line = a[this.i++];
    const character = a[this.i++];
    if (length >= 0) return { start, end: start + length, line, character, endLine: line, endCharacter: character + length };
    return { start, end: start - 1 - length, line, character, endLine: a[this.i++], endCharacter: a[this.i++] };
  }

  private inner(base: RelRange): RelRange {
    const d = this.a[this.i++];
    if (d < 0) return this.range();
    const length = this.a[this.i++];
    const start = base.start + d;
    const character = base.character + d;
    return { start, end: start + length, line: base.line, character, endLine: base.line, endCharacter: character + length };
  }

  decode(a: readonly number[]): PlacementInput {
    this.a = a;
    this.i = 2;
    const kind = this.str(a[this.i++]);
    const namespace = this.str(a[this.i++]);
    const name = this.str(a[this.i++]);
    const title = this.s(a[this.i++]);
    const description = this.s(a[this.i++]);
    const type = this.s(a[this.i++]);
    const lifecycle = this.s(a[this.i++]);
    let profile: Profile | undefined;
    if (a[this.i] === NONE) this.i++;
    else profile = { displayName: this.s(a[this.i++]), email: this.s(a[this.i++]), picture: this.s(a[this.i++]) };
    // Most records have no annotations, tags or references: they share one empty object or array (the
    // index never changes a record), which is 100,000 fewer objects to make and collect at a warm start.
    let n = a[this.i++];
    let annotations = NO_ANNOTATIONS;
    if (n > 0) {
      annotations = {};
      for (; n > 0; n--) annotations[this.str(a[this.i++])] = this.str(a[this.i++]);
    }
    n = a[this.i++];
    let tags = NO_STRINGS;
    if (n > 0) {
      tags = new Array<string>(n);
      for (let k = 0; k < n; k++) tags[k] = this.str(a[this.i++]);
    }
    const whole = this.range();
    let nameRange: RelRange | undefined;
    if (a[this.i] === NONE) this.i++;
    else nameRange = this.range();
    n = a[this.i++];
    let refs = NO_REFS;
    if (n > 0) {
      refs = new Array<RefOccurrence>(n);
      for (let k = 0; k < n; k++) {
        const { field, relation, allowedKinds } = this.field(a[this.i++]);
        const written = this.str(a[this.i++]);
        const target = this.s(a[this.i++]);
        const targetKind = this.s(a[this.i++]);
        const explicitKind = a[this.i++] === 1;
        const occurrence = this.range();
        refs[k] = { field, relation, written, target, targetKind, allowedKinds, range: occurrence, nameRange: this.inner(occurrence), explicitKind };
      }
    }
    const q = a[this.i++];
    if (this.i !== a.length) throw new Error('a cached record has the wrong length');
    const record: EntityRecord = { ref: stringifyRef(kind, namespace, name), kind, namespace, name, title, description, type, lifecycle, profile, annotations, tags, refs, value: undefined, range: whole, nameRange };
    if (q !== NONE) record.quarantine = JSON.parse(this.str(q)) as EntityRecord['quarantine'];
    return { record, chunkStart: a[0], chunkLine: a[1] };
  }
}
