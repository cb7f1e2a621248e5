#!/usr/bin/env node
// Self-check of the benchmark inputs: every generated entity parses, passes the JSON Schema given to
// yaml-language-server (ajv, draft-07) and passes Backstage's own validation (catalog-model's entity
// policies and kind validators). The benchmark's "valid" state must be valid for everyone, and its
// "invalid" edit (apiVersion v1alpha1 -> v1alpha2 on the middle entity) invalid for everyone.
//   node bench/check-corpus.mjs
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { generateCorpus, WARMUP_INVALID } from './corpus.mjs';
import { buildSchema } from './build-schema.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', 'package.json'));

export const INVALID_API_VERSION = 'backstage.io/v1alpha2';

export async function checkCorpus(sizes = [1, 50, 2000]) {
  const YAML = require('yaml');
  const Ajv = require('ajv');
  const cm = require('@backstage/catalog-model');
  const validate = new Ajv({ strict: false, allErrors: true }).compile(buildSchema());
  const policies = [
    new cm.FieldFormatEntityPolicy(),
    new cm.NoForeignRootFieldsEntityPolicy(),
    new cm.SchemaValidEntityPolicy(),
  ];
  const kindValidators = [
    cm.apiEntityV1alpha1Validator, cm.componentEntityV1alpha1Validator, cm.domainEntityV1alpha1Validator,
    cm.groupEntityV1alpha1Validator, cm.locationEntityV1alpha1Validator, cm.resourceEntityV1alpha1Validator,
    cm.systemEntityV1alpha1Validator, cm.userEntityV1alpha1Validator,
  ];
  async function backstageOk(entity) {
    let e = entity;
    for (const p of policies) e = (await p.enforce(e)) ?? e;
    for (const v of kindValidators) if (await v.check(e)) return true;
    return false;
  }
  const problems = [];
  const summary = [];
  for (const n of sizes) {
    const c = generateCorpus(n);
    const docs = YAML.parseAllDocuments(c.text);
    if (docs.length !== n) problems.push(`${n}: ${docs.length} documents, expected ${n}`);
    const kinds = {};
    for (const [i, d] of docs.entries()) {
      if (d.errors.length) problems.push(`${n}#${i}: YAML error ${d.errors[0].message}`);
      const j = d.toJS();
      kinds[j.kind] = (kinds[j.kind] ?? 0) + 1;
      if (!validate(j)) problems.push(`${n}#${i}: JSON Schema: ${JSON.stringify(validate.errors?.[0])}`);
      try {
        if (!(await backstageOk(structuredClone(j)))) problems.push(`${n}#${i}: no Backstage kind validator accepts it`);
      } catch (err) {
        problems.push(`${n}#${i}: Backstage: ${err.message}`);
      }
      if (i === c.target.index) {
        const bad = { ...structuredClone(j), apiVersion: INVALID_API_VERSION };
        if (validate(bad)) problems.push(`${n}: invalid edit passes the JSON Schema`);
        let rejected = false;
        try {
          rejected = !(await backstageOk(bad));
        } catch {
          rejected = true;
        }
        if (!rejected) problems.push(`${n}: invalid edit passes Backstage validation`);
      }
    }
    summary.push({ n, bytes: Buffer.byteLength(c.text), lines: c.target.lineCount, kinds });
  }
  const w = YAML.parseDocument(WARMUP_INVALID).toJS();
  if (validate(w)) problems.push('warm-up document is unexpectedly valid');
  return { problems, summary };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { problems, summary } = await checkCorpus();
  for (const s of summary) console.log(`${s.n} entities: ${s.bytes} bytes, ${s.lines} lines, ${JSON.stringify(s.kinds)}`);
  if (problems.length) {
    console.error(problems.slice(0, 20).join('\n'));
    console.error(`${problems.length} problem(s)`);
    process.exit(1);
  }
  console.log('corpus OK: valid for the JSON Schema and for Backstage; the edit makes it invalid for both');
}
