/** The validators compiled at build time (ajv standalone) must judge exactly as ajv compiling the schemas now. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Ajv, { type ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { BUILTIN_KINDS, validateEntity, validateEnvelope } from '../../server/src/catalog/schemas';
// @ts-expect-error: a plain .mjs build script, without types
import { AJV_OPTIONS, ANNOTATIONS } from '../../scripts/build-validators.mjs';

const ROOT = join(__dirname, '../..');
const schema = (rel: string): object => JSON.parse(readFileSync(join(ROOT, 'schemas', rel), 'utf8'));

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? yamlFiles(p) : /\.ya?ml$/.test(name) ? [p] : [];
  });
}

/** Entities of the demo and the fixtures, and each of them broken in a few ways the schemas care about. */
function corpus(): unknown[] {
  const docs = [join(ROOT, 'demo'), join(ROOT, 'test/fixtures')].flatMap(yamlFiles).flatMap((f) => parseAllDocuments(readFileSync(f, 'utf8')).map((d) => ('toJS' in d ? d.toJS() : undefined)));
  const out: unknown[] = [];
  for (const d of docs) {
    if (!d || typeof d !== 'object') continue;
    const e = d as Record<string, unknown>;
    const spec = (e.spec ?? {}) as Record<string, unknown>;
    out.push(e, { ...e, apiVersion: 7 }, { ...e, metadata: 'x' }, { ...e, spec: { ...spec, owner: ['a'], type: '' } }, { ...e, spec: Object.fromEntries(Object.keys(spec).slice(1).map((k) => [k, spec[k]])) }, { ...e, spec: { ...spec, extra: { deep: [1, null] } } });
  }
  return out;
}

describe('precompiled schema validators', () => {
  it('give the same verdict and the same errors as ajv compiling the schemas at run time', () => {
    const ajv = new Ajv(AJV_OPTIONS);
    for (const k of ANNOTATIONS as string[]) ajv.addKeyword({ keyword: k });
    ajv.addSchema(schema('entity-meta.schema.json'));
    const pairs: [string, ValidateFunction, ValidateFunction][] = [
      ['envelope', validateEnvelope, ajv.compile(schema('entity-envelope.schema.json'))],
      ['entity', validateEntity, ajv.compile(schema('entity.schema.json'))],
      ...BUILTIN_KINDS.map((k): [string, ValidateFunction, ValidateFunction] => [k.kind, k.validate!, ajv.compile(schema(`kinds/${k.kind.toLowerCase()}.schema.json`))]),
    ];
    const docs = corpus();
    assert.ok(docs.length > 100, `only ${docs.length} documents`);
    let invalid = 0;
    for (const doc of docs) {
      for (const [name, precompiled, runtime] of pairs) {
        const ok = precompiled(doc);
        assert.equal(ok, runtime(doc), `${name}: ${JSON.stringify(doc).slice(0, 200)}`);
        assert.deepEqual(precompiled.errors ?? null, runtime.errors ?? null, name);
        if (!ok) invalid++;
      }
    }
    assert.ok(invalid > 100, `only ${invalid} invalid verdicts: the corpus does not exercise the errors`);
  });
});
