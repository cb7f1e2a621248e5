/**
 * A deterministic corpus of catalog YAML texts for the "same verdict as Backstage" test.
 *
 * Every case is one file text (one or more YAML documents) with a short id and description. The
 * corpus holds no expected verdicts: the Backstage oracle (./backstageOracle.ts) is the judge.
 * Cases are judged as if the file were `fixtures/<file>` (default `fixtures/catalog-info.yaml`, which
 * need not exist); relative placeholders and Location targets point at the files in ./fixtures/:
 *
 *   README.md, sub/notes.md, tag.txt ("java"), tag-newline.txt ("java\n")   text for $text
 *   openapi.yaml, openapi.json                                              one document of data
 *   broken.yaml, broken.json, multi.yaml (2 docs), trailing-separator.yaml (a: 1 + `---`),
 *   empty.yaml                                                               unusable for $yaml/$json
 *   adir/                                                                    a directory, not a file
 *   target-ok.yaml, target-invalid-spec.yaml (entity without owner/lifecycle), target-no-name.yaml
 *   (envelope error), target-yaml-error.yaml, target-list.yaml (non-object root), sub/target-sub.yaml
 *                                                                            Location targets
 */
import * as nodePath from 'node:path';

export interface CorpusCase {
  /** Short unique id, `rule/variant@Kind`. */
  id: string;
  description: string;
  text: string;
  /** File name relative to ./fixtures (default `catalog-info.yaml`). */
  file?: string;
}

export const FIXTURES_DIR = nodePath.join(__dirname, 'fixtures');

/** Absolute path a case is judged as. */
export function casePath(c: CorpusCase): string {
  return nodePath.join(FIXTURES_DIR, c.file ?? 'catalog-info.yaml');
}

export const KINDS = ['Component', 'API', 'Resource', 'System', 'Domain', 'Group', 'User', 'Location', 'Template'] as const;
export type Kind = (typeof KINDS)[number];

// ---------------------------------------------------------------------------------------------
// A tiny YAML writer: fields are [key, raw] where raw is the YAML text of the value, written verbatim
// after `key: ` (later lines of a multi-line raw are indented with the key), or a list of lines that
// form a nested block under `key:`.

type Raw = string | Field[];
type Field = [string, Raw];

function render(fields: Field[], indent: string): string[] {
  const out: string[] = [];
  for (const [key, raw] of fields) {
    if (typeof raw === 'string') {
      const [first, ...rest] = raw.split('\n');
      out.push(first === '' ? `${indent}${key}:` : `${indent}${key}: ${first}`);
      for (const line of rest) out.push(line === '' ? '' : `${indent}${line}`);
    } else {
      out.push(`${indent}${key}:`);
      out.push(...render(raw, indent + '  '));
    }
  }
  return out;
}

/** Replace (or remove with `undefined`, or append) fields, preserving order. */
function patch(fields: Field[], changes: Record<string, Raw | undefined>): Field[] {
  const out: Field[] = [];
  const done = new Set<string>();
  for (const [k, v] of fields) {
    if (k in changes) {
      done.add(k);
      const nv = changes[k];
      if (nv !== undefined) out.push([k, nv]);
    } else out.push([k, v]);
  }
  for (const [k, v] of Object.entries(changes)) if (!done.has(k) && v !== undefined) out.push([k, v]);
  return out;
}

const API_VERSION: Record<Kind, string> = {
  Component: 'backstage.io/v1alpha1',
  API: 'backstage.io/v1alpha1',
  Resource: 'backstage.io/v1alpha1',
  System: 'backstage.io/v1alpha1',
  Domain: 'backstage.io/v1alpha1',
  Group: 'backstage.io/v1alpha1',
  User: 'backstage.io/v1alpha1',
  Location: 'backstage.io/v1alpha1',
  Template: 'scaffolder.backstage.io/v1beta3',
};

const BASE_SPEC: Record<Kind, Field[]> = {
  Component: [
    ['type', 'service'],
    ['lifecycle', 'production'],
    ['owner', 'team-a'],
  ],
  API: [
    ['type', 'openapi'],
    ['lifecycle', 'production'],
    ['owner', 'team-a'],
    ['definition', '|\n  openapi: 3.0.0\n  info: {title: x, version: 1.0.0}\n  paths: {}'],
  ],
  Resource: [
    ['type', 'database'],
    ['owner', 'team-a'],
  ],
  System: [['owner', 'team-a']],
  Domain: [['owner', 'team-a']],
  Group: [
    ['type', 'team'],
    ['children', '[]'],
  ],
  User: [['memberOf', '[team-a]']],
  Location: [['target', './target-ok.yaml']],
  Template: [
    ['owner', 'team-a'],
    ['type', 'service'],
    ['steps', '\n  - id: fetch\n    action: fetch:plain\n    input:\n      url: ./skeleton'],
  ],
};

interface DocOptions {
  /** Raw apiVersion; `null` omits the line. */
  apiVersion?: string | null;
  /** Raw kind; `null` omits the line. */
  kind?: string | null;
  /** Raw metadata.name; `null` omits it. */
  name?: string | null;
  /** Extra / replaced metadata fields (after name). */
  meta?: Record<string, Raw | undefined>;
  /** Raw value of `metadata:` itself (replaces the whole block), or null to omit metadata. */
  metadataRaw?: string | null;
  /** Changes to the kind's base spec. */
  spec?: Record<string, Raw | undefined>;
  /** Raw value of `spec:` itself (replaces the whole block), or null to omit spec. */
  specRaw?: string | null;
  /** Extra root fields, appended. */
  root?: Field[];
}

let nameCounter = 0;
/** A fresh, valid, unique metadata.name. */
function freshName(kind: Kind): string {
  nameCounter += 1;
  return `${kind.toLowerCase()}-${nameCounter}`;
}

function doc(kind: Kind, o: DocOptions = {}): string {
  const fields: Field[] = [];
  if (o.apiVersion !== null) fields.push(['apiVersion', o.apiVersion ?? API_VERSION[kind]]);
  if (o.kind !== null) fields.push(['kind', o.kind ?? kind]);
  if (o.metadataRaw !== undefined) {
    if (o.metadataRaw !== null) fields.push(['metadata', o.metadataRaw]);
  } else {
    let meta: Field[] = [];
    if (o.name !== null) meta.push(['name', o.name ?? freshName(kind)]);
    if (o.meta) meta = patch(meta, o.meta);
    fields.push(['metadata', meta.length ? meta : '{}']);
  }
  if (o.specRaw !== undefined) {
    if (o.specRaw !== null) fields.push(['spec', o.specRaw]);
  } else {
    const spec = o.spec ? patch(BASE_SPEC[kind], o.spec) : BASE_SPEC[kind];
    fields.push(['spec', spec.length ? spec : '{}']);
  }
  fields.push(...(o.root ?? []));
  return render(fields, '').join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------

const A63 = 'a'.repeat(63);
const A64 = 'a'.repeat(64);
const label63 = 'b'.repeat(63);

export function buildCorpus(): CorpusCase[] {
  nameCounter = 0;
  const cases: CorpusCase[] = [];
  const ids = new Set<string>();
  const add = (id: string, description: string, text: string, file?: string) => {
    if (ids.has(id)) throw new Error(`duplicate corpus id ${id}`);
    ids.add(id);
    cases.push({ id, description, text, ...(file ? { file } : {}) });
  };
  /** Adds the variant once per kind in `kinds`. */
  const forKinds = (kinds: readonly Kind[], id: string, description: string, make: (k: Kind) => string) => {
    for (const k of kinds) add(`${id}@${k}`, description, make(k));
  };
  /** Two kinds per variant, rotating through all nine so every rule meets every kind over the list. */
  let rot = 0;
  const rotating = (): Kind[] => {
    const a = KINDS[rot % KINDS.length];
    const b = KINDS[(rot + 4) % KINDS.length];
    rot += 1;
    return [a, b];
  };

  // ---- base documents and accepted optional fields, every kind --------------------------------
  forKinds(KINDS, 'base/minimal', 'the minimal valid entity of the kind', (k) => doc(k));
  forKinds(
    KINDS.filter((k) => k !== 'Template'),
    'base/v1beta1',
    'apiVersion backstage.io/v1beta1 (the other accepted version)',
    (k) => doc(k, { apiVersion: 'backstage.io/v1beta1' }),
  );
  forKinds(KINDS, 'base/full-metadata', 'every metadata field set to a valid value', (k) =>
    doc(k, {
      meta: {
        namespace: 'team-space',
        title: 'A nice title',
        description: '"Multi word description: with colon"',
        labels: [
          ['app', 'web'],
          ['example.com/tier', 'Front_end.1'],
        ],
        annotations: [
          ['backstage.io/techdocs-ref', 'dir:.'],
          ['github.com/project-slug', 'org/repo'],
        ],
        tags: '[java, c++, c#, k8s:prod]',
        links: '\n  - url: https://example.com/dashboard\n    title: Dashboard\n    icon: dashboard\n    type: admin',
      },
    }),
  );
  forKinds(KINDS, 'base/namespace', 'a non-default namespace', (k) => doc(k, { meta: { namespace: 'payments' } }));
  forKinds(KINDS, 'base/unknown-spec-key', 'unknown keys inside spec are accepted', (k) =>
    doc(k, { spec: { someExtension: '{nested: [1, 2]}' } }),
  );
  forKinds(KINDS, 'base/unknown-metadata-key', 'unknown keys inside metadata are accepted', (k) =>
    doc(k, { meta: { generation: '1', customField: 'x' } }),
  );
  forKinds(KINDS, 'base/flow-style', 'the entity written in flow style on few lines', (k) =>
    [
      `{apiVersion: ${API_VERSION[k]}, kind: ${k}, metadata: {name: ${freshName(k)}},`,
      ` spec: {${render(BASE_SPEC[k].filter(([f]) => !['definition', 'steps'].includes(f)), '')
        .map((l) => l.trim())
        .join(', ')}${k === 'API' ? ', definition: "openapi: 3.0.0"' : ''}${k === 'Template' ? ', steps: []' : ''}}}`,
      '',
    ].join('\n'),
  );
  forKinds(KINDS, 'base/json', 'the entity as JSON (JSON is YAML)', (k) => {
    const spec: Record<string, unknown> = {};
    for (const [f, v] of BASE_SPEC[k]) {
      if (f === 'definition') spec[f] = 'openapi: 3.0.0';
      else if (f === 'steps') spec[f] = [{ action: 'fetch:plain' }];
      else if (v === '[]') spec[f] = [];
      else if (typeof v === 'string' && v.startsWith('[')) spec[f] = v.slice(1, -1).split(',').map((s) => s.trim());
      else spec[f] = v;
    }
    return JSON.stringify({ apiVersion: API_VERSION[k], kind: k, metadata: { name: freshName(k) }, spec }, null, 2) + '\n';
  });
  forKinds(KINDS, 'base/quoted-keys', 'quoted keys and values', (k) =>
    doc(k, { name: `"${freshName(k)}"`, meta: { "'description'": "'quoted'" } }),
  );
  forKinds(KINDS, 'base/comments', 'comments everywhere', (k) => `# leading comment\n${doc(k).replace(/\n/g, ' # c\n')}# trailing\n`);
  forKinds(KINDS, 'base/anchors', 'anchors and aliases that resolve', (k) =>
    doc(k, { meta: { title: '&t Shared title', description: '*t' } }),
  );

  // ---- apiVersion ----------------------------------------------------------------------------
  const apiVersions: Array<[string, string, string]> = [
    ['backstage-v1', 'backstage.io/v1', 'format-valid but not a version any kind knows'],
    ['no-prefix', 'v1alpha1', 'no prefix: format-valid, unknown to the kinds'],
    ['upper-prefix', 'Backstage.io/v1alpha1', 'prefix must be a lower-case DNS subdomain'],
    ['two-slashes', 'backstage.io/v1alpha1/x', 'at most one slash'],
    ['empty-suffix', 'backstage.io/', 'empty suffix'],
    ['empty-prefix', '/v1alpha1', 'empty prefix'],
    ['double-dot', 'backstage..io/v1alpha1', 'empty DNS label in the prefix'],
    ['leading-dash-label', '-backstage.io/v1alpha1', 'DNS label starting with a dash'],
    ['trailing-dash-label', 'backstage-.io/v1alpha1', 'DNS label ending with a dash'],
    ['repeated-dash-label', 'back--stage.io/v1alpha1', 'repeated dashes are allowed in a DNS label (but the version is unknown)'],
    ['suffix-63', `backstage.io/v${'1'.repeat(62)}`, 'suffix of exactly 63 characters (format-valid, unknown)'],
    ['suffix-64', `backstage.io/v${'1'.repeat(63)}`, 'suffix of 64 characters'],
    ['prefix-label-63', `${'p'.repeat(63)}.io/v1`, 'prefix DNS label of 63 characters (format-valid, unknown)'],
    ['prefix-label-64', `${'p'.repeat(64)}.io/v1`, 'prefix DNS label of 64 characters'],
    ['prefix-253', `${[label63, label63, label63, 'c'.repeat(61)].join('.')}/v1`, 'prefix of exactly 253 characters (format-valid, unknown)'],
    ['prefix-254', `${[label63, label63, label63, 'c'.repeat(62)].join('.')}/v1`, 'prefix of 254 characters'],
    ['dotted-suffix', 'backstage.io/v1.0', 'suffix with a dot'],
    ['dash-suffix', 'backstage.io/v1-alpha1', 'suffix with a dash'],
    ['upper-suffix', 'backstage.io/V1ALPHA1', 'upper-case suffix: format-valid, but the enum is case-sensitive'],
    ['trailing-space-quoted', '"backstage.io/v1alpha1 "', 'trailing space inside quotes'],
    ['number', '1', 'a number'],
    ['empty-string', '""', 'an empty string'],
    ['null', 'null', 'null'],
    ['list', '[backstage.io/v1alpha1]', 'a list'],
    ['scaffolder-for-builtin', 'scaffolder.backstage.io/v1beta3', 'the Template apiVersion on a built-in kind'],
    ['underscore-prefix', 'backstage_io/v1alpha1', 'underscore in the prefix'],
  ];
  for (const [id, raw, description] of apiVersions) {
    forKinds(rotating(), `apiVersion/${id}`, description, (k) =>
      doc(k, { apiVersion: k === 'Template' && id === 'scaffolder-for-builtin' ? 'backstage.io/v1alpha1' : raw }),
    );
  }
  forKinds(KINDS, 'apiVersion/missing', 'apiVersion missing', (k) => doc(k, { apiVersion: null }));
  add('apiVersion/template-v1beta2', 'Template scaffolder.backstage.io/v1beta2 (no processor any more)', doc('Template', { apiVersion: 'scaffolder.backstage.io/v1beta2' }));
  add('apiVersion/template-backstage', 'Template with backstage.io/v1beta2', doc('Template', { apiVersion: 'backstage.io/v1beta2' }));
  add('apiVersion/template-v1beta3-quoted', 'quoted Template apiVersion', doc('Template', { apiVersion: '"scaffolder.backstage.io/v1beta3"' }));

  // ---- kind ----------------------------------------------------------------------------------
  const kindForms: Array<[string, (k: Kind) => string, string]> = [
    ['lower-case', (k) => k.toLowerCase(), 'lower-case kind: format-valid, but no processor'],
    ['upper-case', (k) => k.toUpperCase(), 'upper-case kind'],
    ['dash', (k) => `${k}-x`, 'a dash is not allowed in kind'],
    ['leading-digit', (k) => `1${k}`, 'kind must start with a letter'],
    ['trailing-space-quoted', (k) => `"${k} "`, 'trailing space'],
    ['empty', () => '""', 'empty kind'],
    ['number', () => '5', 'a number'],
    ['null', () => '~', 'null'],
    ['underscore', (k) => `${k}_x`, 'underscore'],
  ];
  for (const [id, make, description] of kindForms) {
    forKinds(rotating(), `kind/${id}`, description, (k) => doc(k, { kind: make(k) }));
  }
  forKinds(['Component', 'Group', 'Template'], 'kind/missing', 'kind missing', (k) => doc(k, { kind: null }));
  add('kind/custom', 'a custom kind without a processor', doc('Component', { kind: 'Widget' }));
  add('kind/custom-63', 'custom kind of 63 characters (format-valid)', doc('Component', { kind: `K${'k'.repeat(62)}` }));
  add('kind/custom-64', 'custom kind of 64 characters', doc('Component', { kind: `K${'k'.repeat(63)}` }));
  add('kind/Api', 'Api instead of API', doc('API', { kind: 'Api' }));
  add('kind/template-v1alpha1', 'Template with backstage.io/v1alpha1', doc('Template', { apiVersion: 'backstage.io/v1alpha1' }));
  add('kind/ai-resource', 'alpha kind AiResource (not wired into the default processors)', doc('Resource', { kind: 'AiResource' }));

  // ---- metadata.name -------------------------------------------------------------------------
  const names: Array<[string, string, string]> = [
    ['len-1', 'a', 'one character'],
    ['len-1-digit', '"7"', 'one quoted digit'],
    ['len-63', A63, '63 characters'],
    ['len-64', A64, '64 characters'],
    ['dots-in-middle', 'a..b', 'consecutive dots in the middle are allowed'],
    ['mixed-punct', 'A-b_c.d', 'dash, underscore and dot in the middle'],
    ['upper-case', 'MyService', 'upper case is allowed'],
    ['leading-dash', '-abc', 'leading dash'],
    ['trailing-dash', 'abc-', 'trailing dash'],
    ['leading-dot', '.abc', 'leading dot'],
    ['trailing-dot', 'abc.', 'trailing dot'],
    ['leading-underscore', '_abc', 'leading underscore'],
    ['trailing-underscore', 'abc_', 'trailing underscore'],
    ['space', 'my service', 'a space'],
    ['slash', 'a/b', 'a slash'],
    ['colon', 'a:b', 'a colon (plain scalar)'],
    ['unicode', 'café', 'non-ASCII letter'],
    ['template-expression', '"${{ parameters.name }}"', 'an unfilled template expression'],
    ['yes', 'yes', 'YAML 1.2: yes stays a string'],
    ['no', 'no', 'YAML 1.2: no stays a string'],
    ['on', 'on', 'YAML 1.2: on stays a string'],
    ['underscore-number', '1_000', 'YAML 1.2: 1_000 stays a string'],
    ['date', '2024-01-01', 'YAML 1.2: a date stays a string'],
    ['octal-like', '012', 'YAML 1.2: 012 is the integer 12'],
    ['octal-quoted', '"012"', 'quoted 012 is a string'],
    ['hex', '0x1F', 'YAML 1.2: 0x1F is the integer 31'],
    ['octal-0o', '0o17', 'YAML 1.2: 0o17 is the integer 15'],
    ['binary-like', '0b101', 'YAML 1.2 core has no binary ints: a string'],
    ['sexagesimal-like', '1:20', 'YAML 1.2 has no base 60: the string "1:20" (colon not allowed)'],
    ['integer', '42', 'an integer'],
    ['zero', '0', 'zero'],
    ['float', '1.5', 'a float'],
    ['exp', '1e3', 'exponent notation is a number'],
    ['inf', '.inf', 'infinity'],
    ['nan', '.NaN', 'not a number'],
    ['true', 'true', 'boolean true'],
    ['True', 'True', 'True is a boolean in the core schema'],
    ['true-quoted', '"true"', 'quoted true is a string'],
    ['null', 'null', 'null'],
    ['NULL', 'NULL', 'NULL is null in the core schema'],
    ['tilde', '~', 'tilde is null'],
    ['empty-quoted', '""', 'empty string'],
    ['empty-value', '', 'key without a value (null)'],
    ['digits-letters', '12abc', 'digits then letters is a string'],
    ['plus-number', '+12', '+12 is an integer'],
    ['list', '[a]', 'a list'],
    ['map', '{a: b}', 'a mapping'],
    ['literal-block', '|\n  abc', 'literal block keeps the trailing newline'],
    ['folded-strip', '>-\n  abc', 'folded block with strip chomping'],
    ['str-tag', '!!str 012', 'explicit !!str tag'],
    ['single-quoted-number', "'12'", 'single-quoted number is a string'],
    ['dash-middle', 'a-b', 'dash in the middle'],
    ['unknown-tag', '!custom thing', 'an unknown tag (a warning; value stays a string)'],
  ];
  for (const [id, raw, description] of names) {
    forKinds(rotating(), `name/${id}`, description, (k) => doc(k, { name: raw }));
  }
  forKinds(['Component', 'User', 'Location'], 'name/missing', 'metadata without name', (k) =>
    doc(k, { name: null, meta: { title: 'No name' } }),
  );
  forKinds(['API', 'Domain'], 'metadata/missing', 'no metadata at all', (k) => doc(k, { metadataRaw: null }));
  forKinds(['Resource', 'Template'], 'metadata/null', 'metadata: null', (k) => doc(k, { metadataRaw: 'null' }));
  forKinds(['Group', 'System'], 'metadata/list', 'metadata is a list', (k) => doc(k, { metadataRaw: '[name: x]' }));
  forKinds(['Component'], 'metadata/string', 'metadata is a string', (k) => doc(k, { metadataRaw: 'x' }));
  forKinds(['Component', 'Group'], 'metadata/merge-key', 'a `<<:` key inside metadata is an ordinary key', (k) =>
    doc(k, { meta: { '<<': '{title: merged}' } }),
  );
  forKinds(['API', 'User'], 'metadata/merge-alias', '`<<: *alias` inside metadata (merge not applied)', (k) =>
    doc(k, { meta: { title: '&t x', '<<': '{description: *t}' } }),
  );

  // ---- metadata.namespace --------------------------------------------------------------------
  const namespaces: Array<[string, string, string]> = [
    ['default', 'default', 'explicit default'],
    ['dash', 'team-a', 'with a dash'],
    ['repeated-dashes', 'a--b', 'repeated dashes are allowed'],
    ['one-char', 'a', 'one character'],
    ['digits-quoted', '"123"', 'only digits, quoted'],
    ['digit-first', '1abc', 'starts with a digit'],
    ['len-63', A63, '63 characters'],
    ['len-64', A64, '64 characters'],
    ['upper-case', 'Payments', 'upper case is not allowed'],
    ['upper-case-all', 'TEAM', 'all upper case'],
    ['leading-dash', '-a', 'leading dash'],
    ['trailing-dash', 'a-', 'trailing dash'],
    ['underscore', 'a_b', 'underscore'],
    ['dot', 'a.b', 'dot'],
    ['space', 'a b', 'space'],
    ['number', '123', 'a number'],
    ['empty', '""', 'empty string'],
    ['null', 'null', 'null'],
    ['list', '[a]', 'a list'],
  ];
  for (const [id, raw, description] of namespaces) {
    forKinds(rotating(), `namespace/${id}`, description, (k) => doc(k, { meta: { namespace: raw } }));
  }

  // ---- labels --------------------------------------------------------------------------------
  const labels: Array<[string, Raw, string]> = [
    ['empty-map', '{}', 'empty labels'],
    ['simple', [['app', 'web']], 'a simple label'],
    ['prefixed', [['example.com/app', 'web']], 'a prefixed key'],
    ['value-empty', [['app', '""']], 'empty value is allowed'],
    ['value-63', [['app', A63]], 'value of 63 characters'],
    ['value-64', [['app', A64]], 'value of 64 characters'],
    ['key-name-63', [[A63, 'x']], 'key of 63 characters'],
    ['key-name-64', [[A64, 'x']], 'key of 64 characters'],
    ['value-dots', [['app', 'a..b']], 'value with consecutive dots'],
    ['value-upper', [['app', 'Web']], 'upper case value'],
    ['key-upper', [['App', 'x']], 'upper case key name'],
    ['key-upper-prefix', [['Example.com/app', 'x']], 'upper case key prefix'],
    ['key-two-slashes', [['a/b/c', 'x']], 'two slashes in the key'],
    ['key-empty-prefix', [['"/app"', 'x']], 'empty prefix'],
    ['key-empty-name', [['"example.com/"', 'x']], 'empty name after the prefix'],
    ['key-space', [['"my app"', 'x']], 'space in the key'],
    ['key-underscore', [['my_app', 'x']], 'underscore in the key'],
    ['value-space', [['app', 'my app']], 'space in the value'],
    ['value-leading-dash', [['app', '-x']], 'value starting with a dash'],
    ['value-number', [['tier', '1']], 'a number value'],
    ['value-bool', [['enabled', 'true']], 'a boolean value'],
    ['value-null', [['app', 'null']], 'a null value'],
    ['value-map', [['app', '{a: b}']], 'a mapping value'],
    ['value-slash', [['app', 'a/b']], 'slash in the value'],
    ['null', 'null', 'labels: null'],
    ['empty-value', '', 'labels: (no value, null)'],
    ['list', '[app]', 'labels is a list'],
    ['string', 'app', 'labels is a string'],
    ['false', 'false', 'labels: false'],
    ['key-numeric', [['123', 'x']], 'numeric key (becomes the string "123")'],
  ];
  for (const [id, raw, description] of labels) {
    forKinds(rotating(), `labels/${id}`, description, (k) => doc(k, { meta: { labels: raw } }));
  }

  // ---- annotations ---------------------------------------------------------------------------
  const annotations: Array<[string, Raw, string]> = [
    ['null', 'null', 'annotations: null is let through'],
    ['empty-string', '""', 'annotations: "" is let through'],
    ['false', 'false', 'annotations: false is let through'],
    ['zero', '0', 'annotations: 0 is falsy, let through'],
    ['empty-value', '', 'annotations: (no value)'],
    ['empty-map', '{}', 'empty annotations'],
    ['true', 'true', 'annotations: true'],
    ['number', '5', 'annotations: 5'],
    ['string', 'x', 'annotations is a string'],
    ['list', '[a]', 'annotations is a list'],
    ['empty-list', '[]', 'annotations: [] (an array)'],
    ['prefixed', [['backstage.io/techdocs-ref', 'dir:.']], 'well-known annotation'],
    ['value-empty', [['example.com/x', '""']], 'empty value'],
    ['value-spaces', [['example.com/x', '"any text, with: spaces"']], 'free text value'],
    ['value-multiline', [['example.com/x', '|\n  line 1\n  line 2']], 'multi-line value'],
    ['value-number', [['example.com/x', '1']], 'a number value'],
    ['value-bool', [['example.com/x', 'true']], 'a boolean value'],
    ['value-null', [['example.com/x', 'null']], 'a null value'],
    ['value-map', [['example.com/x', '{a: b}']], 'a mapping value'],
    ['value-list', [['example.com/x', '[a]']], 'a list value'],
    ['key-upper-prefix', [['Backstage.io/x', 'y']], 'upper case prefix'],
    ['key-upper-name', [['backstage.io/X', 'y']], 'upper case name (allowed)'],
    ['key-space', [['"backstage.io/a b"', 'y']], 'space in the key name'],
    ['key-two-slashes', [['a/b/c', 'y']], 'two slashes'],
    ['key-name-64', [[`example.com/${A64}`, 'y']], 'key name of 64 characters'],
    ['key-name-63', [[`example.com/${A63}`, 'y']], 'key name of 63 characters'],
    ['key-prefix-label-64', [[`${A64}.com/x`, 'y']], 'prefix label of 64 characters'],
    ['key-dollar', [['$foo', 'y']], 'key starting with $ among others'],
    ['managed-by-location-number', [['backstage.io/managed-by-location', '5']], 'overwritten by the catalog at ingestion'],
    ['managed-by-origin-null', [['backstage.io/managed-by-origin-location', 'null']], 'overwritten by the catalog at ingestion'],
    ['managed-by-location-plus-bad', [['backstage.io/managed-by-location', '5'], ['example.com/x', '5']], 'one overwritten, one number'],
    ['key-numeric', [['"42"', 'y']], 'numeric key'],
  ];
  for (const [id, raw, description] of annotations) {
    forKinds(rotating(), `annotations/${id}`, description, (k) => doc(k, { meta: { annotations: raw } }));
  }

  // ---- tags ----------------------------------------------------------------------------------
  const tags: Array<[string, string, string]> = [
    ['empty', '[]', 'no tags'],
    ['simple', '[java]', 'one tag'],
    ['plus', '[c++]', 'plus signs'],
    ['hash', '["c#"]', 'hash sign'],
    ['colon', '[k8s:prod]', 'colon (allowed by the code, not in the message)'],
    ['dash', '[front-end]', 'a dash'],
    ['digits', '["123"]', 'digits'],
    ['len-63', `[${A63}]`, '63 characters'],
    ['len-64', `[${A64}]`, '64 characters'],
    ['upper', '[Java]', 'upper case'],
    ['underscore', '[a_b]', 'underscore'],
    ['double-dash', '[a--b]', 'repeated dashes'],
    ['leading-dash', '["-a"]', 'leading dash'],
    ['trailing-dash', '[a-]', 'trailing dash'],
    ['dot', '[a.b]', 'dot'],
    ['space', '["a b"]', 'space'],
    ['slash', '[a/b]', 'slash'],
    ['empty-string', '[""]', 'empty tag'],
    ['number', '[1]', 'a number'],
    ['null-item', '[null]', 'a null item'],
    ['nested-list', '[[a]]', 'a nested list'],
    ['null', 'null', 'tags: null'],
    ['string', 'java', 'tags is a string'],
    ['map', '{a: b}', 'tags is a mapping'],
    ['many', '[a, b, c, d, e, f, g, h]', 'many valid tags'],
    ['one-bad-of-many', '[a, b, C, d]', 'one invalid among many'],
  ];
  for (const [id, raw, description] of tags) {
    forKinds(rotating(), `tags/${id}`, description, (k) => doc(k, { meta: { tags: raw } }));
  }

  // ---- links ---------------------------------------------------------------------------------
  const links: Array<[string, string, string]> = [
    ['https', '\n  - url: https://example.com', 'absolute https URL'],
    ['with-title-icon-type', '\n  - url: https://example.com\n    title: Docs\n    icon: docs\n    type: docs', 'all link fields'],
    ['mailto', '\n  - url: mailto:team@example.com', 'mailto URL'],
    ['scheme-only', '\n  - url: "x:y"', 'any scheme parses as a URL'],
    ['relative', '\n  - url: /docs', 'relative URL'],
    ['no-scheme', '\n  - url: example.com/docs', 'no scheme'],
    ['missing-url', '\n  - title: Docs', 'url missing'],
    ['empty-url', '\n  - url: ""', 'empty url'],
    ['url-number', '\n  - url: 5', 'url is a number'],
    ['empty-title', '\n  - url: https://example.com\n    title: ""', 'empty title'],
    ['blank-title', '\n  - url: https://example.com\n    title: "   "', 'title of only spaces'],
    ['blank-icon', '\n  - url: https://example.com\n    icon: " "', 'icon of only spaces'],
    ['empty-type', '\n  - url: https://example.com\n    type: ""', 'empty type'],
    ['blank-type', '\n  - url: https://example.com\n    type: " "', 'type of only spaces (type is not trimmed)'],
    ['title-number', '\n  - url: https://example.com\n    title: 5', 'title is a number'],
    ['link-string', '[https://example.com]', 'a link given as a plain string'],
    ['links-map', '{url: https://example.com}', 'links is a mapping'],
    ['links-null', 'null', 'links: null'],
    ['links-empty', '[]', 'no links'],
    ['url-with-space', '\n  - url: "https://example.com/a b"', 'space inside the URL (the URL parser accepts it)'],
    ['url-bad-port', '\n  - url: "https://example.com:99999"', 'port out of range'],
    ['second-bad', '\n  - url: https://example.com\n  - url: nope', 'second link invalid'],
    ['extra-field', '\n  - url: https://example.com\n    target: _blank', 'unknown link field'],
  ];
  for (const [id, raw, description] of links) {
    forKinds(rotating(), `links/${id}`, description, (k) => doc(k, { meta: { links: raw } }));
  }

  // ---- other metadata fields -----------------------------------------------------------------
  const metaFields: Array<[string, string, Raw, string]> = [
    ['title-empty', 'title', '""', 'empty title'],
    ['title-number', 'title', '5', 'title is a number'],
    ['title-null', 'title', 'null', 'title is null'],
    ['description-empty', 'description', '""', 'empty description is allowed'],
    ['description-number', 'description', '5', 'description is a number'],
    ['description-block', 'description', '|\n  Line one.\n  Line two.', 'block description'],
    ['uid', 'uid', 'abc-123', 'uid set by hand'],
    ['uid-empty', 'uid', '""', 'empty uid'],
    ['etag-empty', 'etag', '""', 'empty etag'],
    ['etag', 'etag', 'xyz', 'etag set by hand'],
  ];
  for (const [id, field, raw, description] of metaFields) {
    forKinds(rotating(), `metadata/${id}`, description, (k) => doc(k, { meta: { [field]: raw } }));
  }

  // ---- root fields ---------------------------------------------------------------------------
  forKinds(KINDS, 'root/unknown-key', 'an unknown root key', (k) => doc(k, { root: [['foo', 'bar']] }));
  forKinds(['Component', 'API', 'Group'], 'root/relations', 'root relations (allowed by the schema, rejected by policy)', (k) =>
    doc(k, { root: [['relations', '[]']] }),
  );
  forKinds(['Resource', 'User', 'Template'], 'root/status', 'root status', (k) => doc(k, { root: [['status', '{}']] }));
  forKinds(['System', 'Location'], 'root/status-items', 'root status with items', (k) =>
    doc(k, { root: [['status', '{items: [{type: x, level: info, message: m, error: {name: E, message: m}}]}']] }),
  );
  forKinds(['Domain'], 'root/relations-bad', 'root relations with a bad item', (k) => doc(k, { root: [['relations', '[{type: "a b"}]']] }));
  forKinds(['Component', 'API'], 'root/schema-key', 'inline $schema root key', (k) =>
    doc(k, { root: [['$schema', 'https://json.schemastore.org/catalog-info.json']] }),
  );
  forKinds(['Component', 'Template'], 'root/merge-key', '`<<` at the root (merge keys are off)', (k) =>
    doc(k, { root: [['<<', '{foo: bar}']] }),
  );
  forKinds(KINDS, 'spec/missing', 'spec missing', (k) => doc(k, { specRaw: null }));
  forKinds(['Component', 'Group', 'Location', 'Template'], 'spec/null', 'spec: null', (k) => doc(k, { specRaw: 'null' }));
  forKinds(['API', 'User', 'Location'], 'spec/list', 'spec is a list', (k) => doc(k, { specRaw: '[]' }));
  forKinds(['System', 'Location'], 'spec/empty-map', 'spec: {}', (k) => doc(k, { specRaw: '{}' }));
  forKinds(['Resource'], 'spec/string', 'spec is a string', (k) => doc(k, { specRaw: 'x' }));
  forKinds(KINDS, 'spec/merge-keys', 'spec written with `<<:` (not merged: spec lacks its fields)', (k) => {
    const inline = render(BASE_SPEC[k].filter(([f]) => f !== 'definition' && f !== 'steps'), '').map((l) => l.trim());
    if (k === 'API') inline.push('definition: x');
    if (k === 'Template') inline.push('steps: []');
    return doc(k, { specRaw: `\n  <<: {${inline.join(', ')}}` });
  });

  // ---- spec, per kind ------------------------------------------------------------------------
  const requiredSpec: Record<Kind, string[]> = {
    Component: ['type', 'lifecycle', 'owner'],
    API: ['type', 'lifecycle', 'owner', 'definition'],
    Resource: ['type', 'owner'],
    System: ['owner'],
    Domain: ['owner'],
    Group: ['type', 'children'],
    User: ['memberOf'],
    Location: [],
    Template: ['type', 'steps'],
  };
  for (const k of KINDS) {
    for (const f of requiredSpec[k]) {
      add(`spec/${k}/${f}-missing`, `required spec.${f} missing`, doc(k, { spec: { [f]: undefined } }));
      add(`spec/${k}/${f}-null`, `spec.${f}: null`, doc(k, { spec: { [f]: 'null' } }));
      const isArray = ['children', 'memberOf', 'steps'].includes(f);
      add(`spec/${k}/${f}-wrong-type`, `spec.${f} of the wrong type`, doc(k, { spec: { [f]: isArray ? 'x' : '5' } }));
      if (!isArray) add(`spec/${k}/${f}-empty`, `spec.${f}: ""`, doc(k, { spec: { [f]: '""' } }));
      if (!isArray) add(`spec/${k}/${f}-list`, `spec.${f} is a list`, doc(k, { spec: { [f]: '[x]' } }));
    }
  }
  const specCases: Array<[Kind, string, Record<string, Raw | undefined>, string]> = [
    ['Component', 'lifecycle-any', { lifecycle: 'whatever-we-like' }, 'any lifecycle string is accepted'],
    ['Component', 'type-any', { type: 'Some Type!' }, 'any type string is accepted'],
    ['Component', 'owner-compound', { owner: '{kind: Group, name: team-a}' }, 'compound reference object for owner'],
    ['Component', 'system', { system: 'payments' }, 'system reference'],
    ['Component', 'system-number', { system: '5' }, 'system is a number'],
    ['Component', 'subcomponentOf', { subcomponentOf: 'parent-comp' }, 'subcomponentOf reference'],
    ['Component', 'subcomponentOf-list', { subcomponentOf: '[a]' }, 'subcomponentOf is a list'],
    ['Component', 'providesApis', { providesApis: '[api-a, api:default/api-b]' }, 'providesApis'],
    ['Component', 'providesApis-string', { providesApis: 'api-a' }, 'providesApis is a string'],
    ['Component', 'consumesApis-empty-item', { consumesApis: '[""]' }, 'consumesApis with an empty item'],
    ['Component', 'dependsOn-null-item', { dependsOn: '[null]' }, 'dependsOn with a null item'],
    ['Component', 'dependsOn-empty', { dependsOn: '[]' }, 'empty dependsOn'],
    ['Component', 'dependencyOf-ok', { dependencyOf: '[component:other]' }, 'dependencyOf (not in the schema) with a kind'],
    ['Component', 'dependencyOf-no-kind', { dependencyOf: '[other]' }, 'dependencyOf without a kind'],
    ['Component', 'dependencyOf-string', { dependencyOf: 'component:other' }, 'dependencyOf as a single string'],
    ['Component', 'dependencyOf-number', { dependencyOf: '5' }, 'dependencyOf is a number'],
    ['Component', 'dependencyOf-compound', { dependencyOf: '{kind: Component, name: other}' }, 'dependencyOf as a compound reference'],
    ['Component', 'dependencyOf-empty-list', { dependencyOf: '[]' }, 'empty dependencyOf'],
    ['Component', 'dependencyOf-compound-no-name', { dependencyOf: '[{kind: Component}]' }, 'compound reference without a name'],
    ['Component', 'dependencyOf-compound-empty-ns', { dependencyOf: '[{kind: Component, namespace: "", name: x}]' }, 'compound reference with an empty namespace'],
    ['Component', 'dependencyOf-compound-no-kind', { dependencyOf: '[{name: x}]' }, 'compound reference without a kind'],
    ['Component', 'dependencyOf-empty-item', { dependencyOf: '[component:a, ""]' }, 'an empty string item'],
    ['Component', 'dependencyOf-null-item', { dependencyOf: '[null]' }, 'a null item'],
    ['Component', 'dependencyOf-true', { dependencyOf: 'true' }, 'dependencyOf: true'],
    ['Component', 'dependencyOf-nested-list', { dependencyOf: '[[component:a]]' }, 'a nested list'],
    ['Resource', 'dependencyOf-compound', { dependencyOf: '[{kind: Component, name: x}]' }, 'compound reference with kind and name'],
    ['Component', 'dependencyOf-empty-string', { dependencyOf: '""' }, 'dependencyOf: "" (falsy, skipped)'],
    ['API', 'definition-map', { definition: '\n  openapi: 3.0.0\n  paths: {}' }, 'definition given as a mapping'],
    ['API', 'definition-inline', { definition: '"openapi: 3.0.0"' }, 'definition as a quoted string'],
    ['API', 'definition-folded', { definition: '>\n  some text' }, 'definition as a folded block'],
    ['API', 'type-grpc', { type: 'grpc' }, 'another API type'],
    ['API', 'system-empty', { system: '""' }, 'empty system'],
    ['Resource', 'dependsOn-ok', { dependsOn: '[resource:db, component:x]' }, 'dependsOn with kinds'],
    ['Resource', 'dependsOn-string', { dependsOn: 'resource:db' }, 'dependsOn as a string'],
    ['Resource', 'dependencyOf-ok', { dependencyOf: '[component:x]' }, 'dependencyOf with kind'],
    ['Resource', 'dependencyOf-no-kind', { dependencyOf: '[x]' }, 'dependencyOf without kind'],
    ['Resource', 'system', { system: 'payments' }, 'system reference'],
    ['System', 'domain', { domain: 'commerce' }, 'domain reference'],
    ['System', 'type', { type: 'product' }, 'system type'],
    ['System', 'type-number', { type: '5' }, 'system type is a number'],
    ['System', 'domain-empty', { domain: '""' }, 'empty domain'],
    ['Domain', 'subdomainOf', { subdomainOf: 'parent-domain' }, 'subdomainOf'],
    ['Domain', 'subdomainOf-list', { subdomainOf: '[a]' }, 'subdomainOf is a list'],
    ['Domain', 'type', { type: 'business' }, 'domain type'],
    ['Group', 'children-items', { children: '[team-b, group:other/team-c]' }, 'children'],
    ['Group', 'children-empty-item', { children: '[""]' }, 'children with an empty item'],
    ['Group', 'members', { members: '[jdoe, user:default/asmith]' }, 'members'],
    ['Group', 'members-string', { members: 'jdoe' }, 'members is a string'],
    ['Group', 'parent', { parent: 'org' }, 'parent'],
    ['Group', 'parent-list', { parent: '[org]' }, 'parent is a list'],
    ['Group', 'profile', { profile: '{displayName: Team A, email: a@example.com, picture: https://example.com/a.png}' }, 'profile'],
    ['Group', 'profile-empty-email', { profile: '{email: ""}' }, 'empty profile email'],
    ['Group', 'profile-string', { profile: 'Team A' }, 'profile is a string'],
    ['Group', 'profile-extra', { profile: '{displayName: A, nickname: a}' }, 'unknown profile field'],
    ['User', 'memberOf-empty', { memberOf: '[]' }, 'member of nothing'],
    ['User', 'memberOf-string', { memberOf: 'team-a' }, 'memberOf is a string'],
    ['User', 'profile', { profile: '{displayName: Jane Doe, email: jane@example.com}' }, 'profile'],
    ['User', 'profile-number-email', { profile: '{email: 5}' }, 'profile email is a number'],
    ['User', 'profile-empty-picture', { profile: '{picture: ""}' }, 'empty picture'],
    ['Location', 'no-targets', { target: undefined }, 'a Location without targets'],
    ['Location', 'targets-empty', { target: undefined, targets: '[]' }, 'empty targets'],
    ['Location', 'targets', { target: undefined, targets: '[./target-ok.yaml, ./sub/target-sub.yaml]' }, 'two existing targets'],
    ['Location', 'target-and-targets', { targets: '[./sub/target-sub.yaml]' }, 'target and targets'],
    ['Location', 'presence-required', { presence: 'required' }, 'presence required'],
    ['Location', 'presence-optional', { presence: 'optional' }, 'presence optional'],
    ['Location', 'presence-maybe', { presence: 'maybe' }, 'presence outside the enum'],
    ['Location', 'presence-upper', { presence: 'Required' }, 'presence is case-sensitive'],
    ['Location', 'presence-bool', { presence: 'true' }, 'presence is a boolean'],
    ['Location', 'type-url', { type: 'url' }, 'type url'],
    ['Location', 'type-empty', { type: '""' }, 'empty type'],
    ['Location', 'target-empty', { target: '""' }, 'empty target'],
    ['Location', 'target-number', { target: '5' }, 'target is a number'],
    ['Location', 'targets-string', { target: undefined, targets: './target-ok.yaml' }, 'targets is a string'],
    ['Location', 'targets-empty-item', { target: undefined, targets: '[""]' }, 'targets with an empty item'],
    ['Location', 'target-missing-required', { target: './does-not-exist.yaml' }, 'required target that does not exist'],
    ['Location', 'target-missing-optional', { target: './does-not-exist.yaml', presence: 'optional' }, 'optional target that does not exist'],
    ['Location', 'targets-one-missing', { target: undefined, targets: '[./target-ok.yaml, ./nope.yaml]' }, 'one of two targets missing'],
    ['Location', 'target-directory', { target: './adir' }, 'target is a directory'],
    ['Location', 'target-invalid-spec', { target: './target-invalid-spec.yaml' }, 'target whose entity fails kind validation (reported on that entity, not on the Location)'],
    ['Location', 'target-no-name', { target: './target-no-name.yaml' }, 'target whose entity fails the envelope (reported on the Location)'],
    ['Location', 'target-yaml-error', { target: './target-yaml-error.yaml' }, 'target with a YAML error'],
    ['Location', 'target-yaml-error-optional', { target: './target-yaml-error.yaml', presence: 'optional' }, 'optional target with a YAML error (still an error)'],
    ['Location', 'target-list-root', { target: './target-list.yaml' }, 'target whose root is a list'],
    ['Location', 'target-not-yaml', { target: './README.md' }, 'target that is Markdown (a plain string root)'],
    ['Location', 'target-sub', { target: 'sub/target-sub.yaml' }, 'target without ./'],
    ['Location', 'type-custom', { type: 'github-discovery' }, 'a location type no default processor reads'],
    ['Template', 'steps-empty', { steps: '[]' }, 'no steps'],
    ['Template', 'step-no-action', { steps: '[{id: x}]' }, 'a step without action'],
    ['Template', 'step-action-number', { steps: '[{action: 5}]' }, 'action is a number'],
    ['Template', 'step-if-bool', { steps: '[{action: x, if: false}]' }, 'step if as boolean'],
    ['Template', 'step-if-number', { steps: '[{action: x, if: 1}]' }, 'step if as number'],
    ['Template', 'step-input-string', { steps: '[{action: x, input: y}]' }, 'step input as string'],
    ['Template', 'step-string', { steps: '[fetch:plain]' }, 'a step given as a string'],
    ['Template', 'parameters-object', { parameters: '{required: [name], properties: {name: {type: string}}}' }, 'parameters as one object'],
    ['Template', 'parameters-array', { parameters: '[{title: Step 1, properties: {}}, {title: Step 2}]' }, 'parameters as pages'],
    ['Template', 'parameters-string', { parameters: 'x' }, 'parameters as a string'],
    ['Template', 'parameters-when-number', { parameters: '[{when: 5}]' }, 'page with a numeric when'],
    ['Template', 'owner-missing', { owner: undefined }, 'Template owner is optional'],
    ['Template', 'owner-empty', { owner: '""' }, 'empty owner'],
    ['Template', 'owner-number', { owner: '5' }, 'owner is a number'],
    ['Template', 'lifecycle', { lifecycle: 'experimental' }, 'lifecycle'],
    ['Template', 'lifecycle-empty', { lifecycle: '""' }, 'empty lifecycle'],
    ['Template', 'output', { output: '{links: [{title: Repo, url: "${{ steps.publish.output.remoteUrl }}"}]}' }, 'output links'],
    ['Template', 'output-link-empty-url', { output: '{links: [{url: ""}]}' }, 'output link with an empty url'],
    ['Template', 'presentation', { presentation: '{buttonLabels: {createButtonText: Go}}' }, 'presentation'],
    ['Template', 'presentation-number', { presentation: '{buttonLabels: {createButtonText: 5}}' }, 'numeric button label'],
    ['Template', 'secrets', { secrets: '{schema: {}}' }, 'secrets'],
    ['Template', 'formDecorators', { formDecorators: '[{id: x, input: {}}]' }, 'form decorators'],
  ];
  for (const [k, id, changes, description] of specCases) {
    add(`spec/${k}/${id}`, description, doc(k, { spec: changes }));
  }
  add('spec/Location/sub-relative-target', 'a Location in sub/ pointing one folder up', doc('Location', { spec: { target: '../target-ok.yaml' } }), 'sub/catalog-info.yaml');
  add('spec/Location/sub-missing-relative', 'a Location in sub/ whose target is relative to sub/', doc('Location', { spec: { target: './target-ok.yaml' } }), 'sub/catalog-info.yaml');

  // ---- references ----------------------------------------------------------------------------
  const refs: Array<[Kind, string, string, string, string]> = [
    // [kind, field, raw, id, description]
    ['Component', 'owner', '"group:"', 'owner-kind-only', 'kind with an empty name'],
    ['Component', 'owner', '"group:default/"', 'owner-empty-name', 'namespace with an empty name'],
    ['Component', 'owner', '"group:/a"', 'owner-empty-namespace', 'empty namespace'],
    ['Component', 'owner', '":a"', 'owner-empty-kind', 'empty kind'],
    ['Component', 'owner', '"/a"', 'owner-slash-first', 'leading slash'],
    ['Component', 'owner', 'a:b:c', 'owner-two-colons', 'lenient: kind a, name b:c'],
    ['Component', 'owner', 'group:default/a/b', 'owner-two-slashes', 'lenient: name a/b'],
    ['Component', 'owner', 'a/b:c', 'owner-slash-before-colon', 'namespace a, name b:c'],
    ['Component', 'owner', '"group:Team A"', 'owner-space', 'name part is not checked'],
    ['Component', 'owner', 'user:jdoe', 'owner-user', 'owner is a user'],
    ['Component', 'owner', 'component:x', 'owner-any-kind', 'target kinds are not enforced'],
    ['Component', 'owner', 'other-ns/team-a', 'owner-namespace', 'namespace/name'],
    ['Component', 'owner', 'GROUP:Default/Team-A', 'owner-upper', 'case is preserved, not checked'],
    ['Component', 'owner', '"group:default/a:b"', 'owner-colon-in-name', 'colon in the name part'],
    ['Component', 'dependsOn', '[artists-db]', 'dependsOn-no-kind', 'dependsOn needs a kind'],
    ['Component', 'dependsOn', '[resource:artists-db]', 'dependsOn-kind', 'dependsOn with kind'],
    ['Component', 'dependsOn', '[default/artists-db]', 'dependsOn-ns-no-kind', 'namespace but no kind'],
    ['Component', 'dependsOn', '["component:"]', 'dependsOn-empty-name', 'kind with empty name'],
    ['Component', 'dependsOn', '[resource:a, b]', 'dependsOn-second-no-kind', 'second item without kind'],
    ['Component', 'providesApis', '["api:"]', 'providesApis-empty-name', 'empty name'],
    ['Component', 'consumesApis', '[x]', 'consumesApis-default-kind', 'API is the default kind'],
    ['Component', 'system', '"system:"', 'system-empty-name', 'empty name'],
    ['Component', 'subcomponentOf', '"x/"', 'subcomponentOf-empty-name', 'empty name after namespace'],
    ['API', 'owner', '"group:"', 'owner-kind-only', 'kind with an empty name'],
    ['API', 'system', '"ns/"', 'system-empty-name', 'empty name'],
    ['API', 'owner', 'a:b:c', 'owner-two-colons', 'lenient'],
    ['Resource', 'dependsOn', '[db]', 'dependsOn-no-kind', 'dependsOn needs a kind'],
    ['Resource', 'owner', '"user:"', 'owner-kind-only', 'empty name'],
    ['Resource', 'system', 'system:default/payments', 'system-full', 'full reference'],
    ['System', 'owner', '"group:"', 'owner-kind-only', 'empty name'],
    ['System', 'domain', '"domain:"', 'domain-empty-name', 'empty name'],
    ['System', 'domain', 'domain:a/b/c', 'domain-lenient', 'lenient'],
    ['Domain', 'owner', '":x"', 'owner-empty-kind', 'empty kind'],
    ['Domain', 'subdomainOf', '"/x"', 'subdomainOf-empty-namespace', 'empty namespace'],
    ['Group', 'parent', '"group:"', 'parent-kind-only', 'empty name'],
    ['Group', 'children', '["group:"]', 'children-kind-only', 'empty name'],
    ['Group', 'members', '["user:"]', 'members-kind-only', 'empty name'],
    ['Group', 'members', '["a:"]', 'members-other-kind-empty', 'other kind, empty name'],
    ['Group', 'parent', 'a:b:c', 'parent-lenient', 'lenient'],
    ['User', 'memberOf', '["group:"]', 'memberOf-kind-only', 'empty name'],
    ['User', 'memberOf', '[team-a, "x/"]', 'memberOf-second-bad', 'second item has an empty name'],
    ['User', 'memberOf', '["group:default/Team A"]', 'memberOf-space', 'name part is not checked'],
    ['Template', 'owner', '"group:"', 'owner-kind-only', 'empty name'],
    ['Template', 'owner', 'a:b:c', 'owner-lenient', 'lenient'],
    ['Template', 'owner', '"/x"', 'owner-empty-namespace', 'empty namespace'],
  ];
  for (const [k, field, raw, id, description] of refs) {
    add(`ref/${k}/${id}`, description, doc(k, { spec: { [field]: raw } }));
  }
  forKinds(KINDS, 'ref/in-namespace', 'references in a non-default namespace', (k) => doc(k, { meta: { namespace: 'external' } }));

  // Odd reference strings, on a field with a default kind (owner) and one without (dependsOn).
  const oddRefs: Array<[string, string]> = [
    ['colon-only', '":"'],
    ['slash-only', '"/"'],
    ['colon-slash', '":/"'],
    ['kind-colon-slash', '"a:/"'],
    ['kind-slash-name', '"a:/b"'],
    ['double-colon', '"a::b"'],
    ['double-slash', '"a//b"'],
    ['ns-double-slash', '"a:b//c"'],
    ['space-only', '" "'],
    ['space-after-colon', '"group: x"'],
    ['trailing-colon-after-ns', '"ns/name:"'],
    ['colon-after-slash', '"ns/:x"'],
    ['kind-ns-colon-name', '"a:b:c/d"'],
    ['three-slashes', '"a/b/c/d"'],
    ['unicode', '"gruppe:ünïcödé"'],
    ['tab', '"a\\tb"'],
    ['leading-space', '" group:x"'],
    ['dots', '"..:../.."'],
  ];
  for (const [id, raw] of oddRefs) {
    add(`ref-odd/owner/${id}`, `spec.owner: ${raw}`, doc('Component', { spec: { owner: raw } }));
    add(`ref-odd/dependsOn/${id}`, `spec.dependsOn: [${raw}]`, doc('Resource', { spec: { dependsOn: `[${raw}]` } }));
  }

  // Every reference field of every kind, in the forms meant to be accepted (the oracle judges).
  const refFields: Record<Kind, Array<[string, string | undefined, boolean]>> = {
    // [field, default kind, is array]
    Component: [
      ['owner', 'group', false],
      ['system', 'system', false],
      ['subcomponentOf', 'component', false],
      ['providesApis', 'api', true],
      ['consumesApis', 'api', true],
      ['dependsOn', undefined, true],
      ['dependencyOf', undefined, true],
    ],
    API: [
      ['owner', 'group', false],
      ['system', 'system', false],
    ],
    Resource: [
      ['owner', 'group', false],
      ['system', 'system', false],
      ['dependsOn', undefined, true],
      ['dependencyOf', undefined, true],
    ],
    System: [
      ['owner', 'group', false],
      ['domain', 'domain', false],
    ],
    Domain: [
      ['owner', 'group', false],
      ['subdomainOf', 'domain', false],
    ],
    Group: [
      ['parent', 'group', false],
      ['children', 'group', true],
      ['members', 'user', true],
    ],
    User: [['memberOf', 'group', true]],
    Location: [],
    Template: [['owner', 'group', false]],
  };
  for (const k of KINDS) {
    for (const [field, defaultKind, isArray] of refFields[k]) {
      const kindPrefix = defaultKind ?? 'component';
      const forms: Array<[string, string]> = [
        ['kind-name', `${kindPrefix}:target-x`],
        ['kind-ns-name', `${kindPrefix}:other-ns/target-x`],
        ['upper-kind', `${kindPrefix.toUpperCase()}:Target-X`],
      ];
      if (defaultKind) {
        forms.push(['name', 'target-x'], ['ns-name', 'other-ns/target-x']);
      } else {
        forms.push(['name-no-kind', 'target-x'], ['ns-name-no-kind', 'other-ns/target-x']);
      }
      for (const [form, ref] of forms) {
        add(`ref-form/${k}/${field}/${form}`, `spec.${field} written as ${ref}`, doc(k, { spec: { [field]: isArray ? `[${ref}]` : ref } }));
      }
    }
  }

  // Forms meant to be accepted, on every kind.
  const accepted: Array<[string, DocOptions, string]> = [
    ['name-a', { name: 'a' }, 'one-character name'],
    ['name-63', { name: `n${'0'.repeat(62)}` }, '63-character name'],
    ['name-dots', { name: 'a..b' }, 'consecutive dots'],
    ['name-upper', { name: 'MyService' }, 'upper case name'],
    ['name-yes', { name: 'yes' }, 'yes is a string in YAML 1.2'],
    ['name-1_000', { name: '1_000' }, '1_000 is a string in YAML 1.2'],
    ['name-date', { name: '2024-01-01' }, 'a date is a string'],
    ['name-quoted-012', { name: '"012"' }, 'quoted 012'],
    ['namespace-dashes', { meta: { namespace: 'a--b' } }, 'repeated dashes in namespace'],
    ['labels', { meta: { labels: [['example.com/tier', 'Front_end.1'], ['empty', '""']] } }, 'prefixed label and empty value'],
    ['annotations-null', { meta: { annotations: 'null' } }, 'annotations: null'],
    ['annotations-empty-string', { meta: { annotations: '""' } }, 'annotations: ""'],
    ['annotations-text', { meta: { annotations: [['example.com/notes', '"free text: with colon"']] } }, 'free-text annotation'],
    ['tags', { meta: { tags: '[c++, "c#", "k8s:prod", a-b-c]' } }, 'tags with + # : -'],
    ['links', { meta: { links: '\n  - url: mailto:team@example.com\n    title: Mail us' } }, 'mailto link'],
    ['merge-key-in-metadata', { meta: { '<<': '{title: merged}' } }, '`<<` in metadata'],
    ['description-block', { meta: { description: '>\n  Folded\n  description.' } }, 'folded description'],
    ['placeholder-description', { meta: { description: '{$text: ./README.md}' } }, 'description from $text'],
  ];
  for (const [id, o, description] of accepted) {
    forKinds(KINDS, `accepted/${id}`, description, (k) => doc(k, o));
  }

  // Realistic descriptors, as people write them (after the examples in the Backstage docs).
  add(
    'realistic/component-full',
    'a typical service descriptor',
    `# Catalog entity for the artist lookup service
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: artist-web
  title: Artist Web
  description: The place to be, for great artists
  labels:
    example.com/custom: custom_label_value
  annotations:
    example.com/service-discovery: artistweb
    circleci.com/project-slug: github/example-org/artist-website
    backstage.io/techdocs-ref: dir:.
  tags:
    - java
    - data
  links:
    - url: https://admin.example-org.com
      title: Admin Dashboard
      icon: dashboard
      type: admin-dashboard
spec:
  type: website
  lifecycle: production
  owner: artist-relations-team
  system: public-websites
  providesApis:
    - artist-api
  consumesApis:
    - api:default/search-api
  dependsOn:
    - resource:default/artists-db
`,
  );
  add(
    'realistic/api-openapi-text',
    'an API whose definition comes from a file',
    `apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: artist-api
  description: Retrieve artist details
spec:
  type: openapi
  lifecycle: production
  owner: artist-relations-team
  system: artist-engagement-portal
  definition:
    $text: ./openapi.yaml
`,
  );
  add(
    'realistic/org',
    'a small organisation: groups and users in one file',
    `apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: infrastructure
  description: The infra business unit
spec:
  type: business-unit
  profile:
    displayName: Infrastructure
    email: infrastructure@example.com
    picture: https://example.com/groups/bu-infrastructure.jpeg
  parent: ops
  children: [backstage, other]
  members: [jdoe]
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: jdoe
spec:
  profile:
    displayName: Jenny Doe
    email: jenny-doe@example.com
    picture: https://example.com/staff/jenny-with-party-hat.jpeg
  memberOf: [team-b, employees]
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: backstage
  namespace: default
spec:
  type: team
  parent: infrastructure
  children: []
`,
  );
  add(
    'realistic/system-domain-resource',
    'system, domain and resource together',
    `apiVersion: backstage.io/v1alpha1
kind: Domain
metadata:
  name: artists
  description: Everything about artists
spec:
  owner: artist-relations-team
---
apiVersion: backstage.io/v1alpha1
kind: System
metadata:
  name: artist-engagement-portal
  description: Handy tools to keep artists in the loop
spec:
  owner: artist-relations-team
  domain: artists
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: artists-db
  description: Stores artist details
spec:
  type: database
  owner: artist-relations-team
  system: artist-engagement-portal
  dependencyOf:
    - component:artist-web
`,
  );
  add(
    'realistic/location-list',
    'a Location that lists other files',
    `apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: org-data
  description: A collection of all Backstage example entities
spec:
  targets:
    - ./target-ok.yaml
    - ./sub/target-sub.yaml
`,
  );
  add(
    'realistic/template',
    'a scaffolder template',
    `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: react-ssr-template
  title: React SSR Template
  description: Next.js application skeleton for creating isomorphic web applications.
  tags:
    - recommended
    - react
spec:
  owner: web@example.com
  type: website
  parameters:
    - title: Provide some simple information
      required:
        - component_id
        - owner
      properties:
        component_id:
          title: Name
          type: string
          description: Unique name of the component
          ui:field: EntityNamePicker
        owner:
          title: Owner
          type: string
          ui:field: OwnerPicker
          ui:options:
            allowedKinds:
              - Group
    - title: Choose a location
      required:
        - repoUrl
      properties:
        repoUrl:
          title: Repository Location
          type: string
          ui:field: RepoUrlPicker
          ui:options:
            allowedHosts:
              - github.com
  steps:
    - id: fetch-base
      name: Fetch Base
      action: fetch:template
      input:
        url: ./template
        values:
          component_id: \${{ parameters.component_id }}
          owner: \${{ parameters.owner }}
    - id: publish
      name: Publish
      action: publish:github
      input:
        allowedHosts: ['github.com']
        description: This is \${{ parameters.component_id }}
        repoUrl: \${{ parameters.repoUrl }}
    - id: register
      name: Register
      action: catalog:register
      input:
        repoContentsUrl: \${{ steps['publish'].output.repoContentsUrl }}
        catalogInfoPath: '/catalog-info.yaml'
  output:
    links:
      - title: Repository
        url: \${{ steps['publish'].output.remoteUrl }}
      - title: Open in catalog
        icon: catalog
        entityRef: \${{ steps['register'].output.entityRef }}
`,
  );
  add(
    'realistic/template-unfilled-name',
    'a catalog-info skeleton checked in with an unfilled template expression',
    `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: \${{ values.component_id | dump }}
spec:
  type: service
  owner: \${{ values.owner | dump }}
  lifecycle: experimental
`,
  );
  add(
    'realistic/component-with-anchors',
    'shared values through anchors',
    `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: billing
  annotations:
    github.com/project-slug: &slug example/billing
    backstage.io/source-location: url:https://github.com/example/billing/
  title: *slug
spec:
  type: service
  lifecycle: production
  owner: group:payments/billing-team
`,
  );

  // ---- placeholders --------------------------------------------------------------------------
  const placeholders: Array<[Kind, string, DocOptions, string]> = [
    ['Component', 'text-description', { meta: { description: '{$text: ./README.md}' } }, '$text to an existing file'],
    ['Component', 'text-description-missing', { meta: { description: '{$text: ./MISSING.md}' } }, '$text to a missing file'],
    ['Component', 'text-no-dot', { meta: { description: '{$text: README.md}' } }, '$text without ./'],
    ['Component', 'text-sub', { meta: { description: '{$text: ./sub/notes.md}' } }, '$text into a sub folder'],
    ['Component', 'text-directory', { meta: { description: '{$text: ./adir}' } }, '$text to a directory'],
    ['Component', 'text-number', { meta: { description: '{$text: 5}' } }, '$text with a non-string value'],
    ['Component', 'text-extra-key', { meta: { description: '{$text: ./README.md, other: x}' } }, '$text next to another key: left alone (an object)'],
    ['Component', 'text-extra-key-spec', { spec: { notes: '{$text: ./MISSING.md, other: x}' } }, 'a $-object with two keys is left alone, even with a missing file'],
    ['Component', 'ref-left-alone', { spec: { schema: '{$ref: "#/definitions/x"}' } }, '$ref is not a resolver: left alone'],
    ['Component', 'upper-TEXT', { spec: { notes: '{$TEXT: ./MISSING.md}' } }, '$TEXT is not a resolver: left alone'],
    ['Component', 'text-annotation', { meta: { annotations: [['example.com/readme', '{$text: ./README.md}']] } }, '$text as an annotation value'],
    ['Component', 'text-annotation-missing', { meta: { annotations: [['example.com/readme', '{$text: ./nope.md}']] } }, '$text annotation to a missing file'],
    ['Component', 'text-in-annotations-map', { meta: { annotations: '{$text: ./README.md}' } }, '$text as the whole annotations map (the catalog adds keys first, so it is left alone)'],
    ['Component', 'text-tag', { meta: { tags: '[{$text: ./tag.txt}]' } }, '$text in a tag, file "java"'],
    ['Component', 'text-tag-newline', { meta: { tags: '[{$text: ./tag-newline.txt}]' } }, '$text in a tag, file "java\\n"'],
    ['Component', 'text-owner', { spec: { owner: '{$text: ./tag.txt}' } }, '$text as owner'],
    ['Component', 'text-name', { name: '{$text: ./tag.txt}' }, '$text as metadata.name (the envelope runs first)'],
    ['Component', 'json-spec-extra', { spec: { data: '{$json: ./openapi.json}' } }, '$json into an unknown spec field'],
    ['Component', 'json-broken', { spec: { data: '{$json: ./broken.json}' } }, '$json of invalid JSON'],
    ['Component', 'json-of-yaml', { spec: { data: '{$json: ./openapi.yaml}' } }, '$json of a YAML file'],
    ['Component', 'yaml-spec-extra', { spec: { data: '{$yaml: ./openapi.yaml}' } }, '$yaml of one document'],
    ['Component', 'yaml-multi', { spec: { data: '{$yaml: ./multi.yaml}' } }, '$yaml of two documents'],
    ['Component', 'yaml-trailing-separator', { spec: { data: '{$yaml: ./trailing-separator.yaml}' } }, '$yaml of a file ending in --- (two documents)'],
    ['Component', 'yaml-empty', { spec: { data: '{$yaml: ./empty.yaml}' } }, '$yaml of an empty file (no document)'],
    ['Component', 'yaml-broken', { spec: { data: '{$yaml: ./broken.yaml}' } }, '$yaml with a YAML error'],
    ['Component', 'yaml-of-json', { spec: { data: '{$yaml: ./openapi.json}' } }, '$yaml of JSON'],
    ['Component', 'yaml-missing', { spec: { data: '{$yaml: ./missing.yaml}' } }, '$yaml of a missing file'],
    ['Component', 'nested-in-list', { spec: { data: '[{a: {$text: ./README.md}}]' } }, 'placeholder nested in a list'],
    ['Component', 'nested-missing-in-list', { spec: { data: '[{a: {$text: ./nope.txt}}]' } }, 'missing placeholder nested in a list'],
    ['API', 'definition-text', { spec: { definition: '{$text: ./openapi.yaml}' } }, 'API definition from $text'],
    ['API', 'definition-text-missing', { spec: { definition: '{$text: ./openapi-missing.yaml}' } }, 'API definition from a missing file'],
    ['API', 'definition-json', { spec: { definition: '{$json: ./openapi.json}' } }, 'API definition from $json (an object, not a string)'],
    ['API', 'definition-yaml', { spec: { definition: '{$yaml: ./openapi.yaml}' } }, 'API definition from $yaml (an object)'],
    ['API', 'definition-text-empty-file', { spec: { definition: '{$text: ./empty.yaml}' } }, 'API definition from an empty file ("")'],
    ['System', 'text-description', { meta: { description: '{$text: ./README.md}' } }, '$text in a System'],
    ['Group', 'text-profile-name', { spec: { profile: '{displayName: {$text: ./tag.txt}}' } }, '$text inside the profile'],
    ['Template', 'text-description-missing', { meta: { description: '{$text: ./nope.md}' } }, 'missing $text in a Template'],
    ['Template', 'json-parameters', { spec: { parameters: '{$json: ./openapi.json}' } }, 'parameters from $json'],
    ['Location', 'text-description', { meta: { description: '{$text: ./README.md}' } }, '$text in a Location'],
    ['Resource', 'text-label-value', { meta: { labels: [['app', '{$text: ./tag.txt}']] } }, '$text as a label value'],
    ['Domain', 'text-title-missing', { meta: { title: '{$text: ./nope.txt}' } }, 'missing $text title'],
    ['User', 'text-email', { spec: { profile: '{email: {$text: ./tag.txt}}' } }, '$text as user email'],
  ];
  for (const [k, id, o, description] of placeholders) {
    add(`placeholder/${k}/${id}`, description, doc(k, o));
  }
  const morePlaceholders: Array<[Kind, string, DocOptions, string]> = [
    ['Component', 'text-query', { meta: { description: '{$text: "./README.md?raw=1"}' } }, 'query string (replaced by the base URL\'s, as defaultScmResolveUrl does)'],
    ['Component', 'text-fragment', { meta: { description: '{$text: "./README.md#usage"}' } }, 'fragment in the target'],
    ['Component', 'text-dot-dot-inside', { meta: { description: '{$text: ./sub/../README.md}' } }, 'a .. that stays inside the folder'],
    ['Component', 'text-subdir-no-dot', { meta: { description: '{$text: adir}' } }, 'a directory without ./'],
    ['Component', 'text-self', { meta: { description: '{$text: ""}' } }, 'an empty target resolves to the file itself'],
    ['Component', 'yaml-whole-spec', { specRaw: '{$yaml: ./component-spec.yaml}' }, 'the whole spec from $yaml'],
    ['Component', 'json-whole-spec', { specRaw: '{$json: ./component-spec.json}' }, 'the whole spec from $json'],
    ['Component', 'yaml-whole-spec-missing', { specRaw: '{$yaml: ./component-spec-missing.yaml}' }, 'the whole spec from a missing file'],
    ['API', 'yaml-whole-spec-no-definition', { specRaw: '{$yaml: ./component-spec.yaml}' }, 'an API spec from a file without definition'],
    ['Group', 'yaml-null-document', { meta: { description: '{$yaml: ./null.yaml}' } }, '$yaml of a file holding only ~ (description becomes null)'],
    ['Component', 'yaml-whole-metadata', { metadataRaw: '{$yaml: ./metadata-no-name.yaml}' }, 'metadata from $yaml (the envelope runs before placeholders)'],
    ['Component', 'text-namespace', { meta: { namespace: '{$text: ./tag.txt}' } }, '$text as metadata.namespace (the envelope runs first)'],
    ['Component', 'text-kind', { kind: '{$text: ./tag.txt}' }, '$text as kind (the envelope runs first)'],
    ['Resource', 'text-in-unknown-root', { root: [['extra', '{$text: ./README.md}']] }, 'placeholder in an unknown root field'],
    ['Component', 'yaml-annotations-map', { meta: { annotations: '{$yaml: ./annotations.yaml}' } }, 'the annotations map from $yaml (the catalog adds its two annotations first, so the $yaml object is left alone)'],
    ['Component', 'yaml-labels-map', { meta: { labels: '{$yaml: ./labels.yaml}' } }, 'the labels map from $yaml'],
    ['Component', 'yaml-metadata-with-name', { metadataRaw: '{$yaml: ./metadata-with-name.yaml}' }, 'metadata (with a name) from $yaml: the envelope runs before placeholders'],
    ['Component', 'text-api-version', { apiVersion: '{$text: ./apiversion.txt}' }, 'apiVersion from $text (the envelope runs first)'],
    ['Component', 'text-non-string-value', { spec: { notes: '{$text: 5}' } }, 'a resolver with a non-string value throws (since Backstage PR #13690)'],
    ['Component', 'json-non-string-value', { spec: { notes: '{$json: [a]}' } }, '$json with a list value'],
    ['Component', 'text-managed-by-location-missing', { meta: { annotations: [['backstage.io/managed-by-location', '{$text: ./nope.txt}']] } }, 'a missing $text in an annotation the catalog overwrites before placeholders run'],
    ['Component', 'text-space-in-name', { meta: { description: '{$text: "./my notes.md"}' } }, 'a file name with a space'],
    ['Component', 'text-percent-encoded', { meta: { description: '{$text: ./my%20notes.md}' } }, 'a percent-encoded file name (a URL, so %20 is a space)'],
  ];
  for (const [k, id, o, description] of morePlaceholders) {
    add(`placeholder/${k}/${id}`, description, doc(k, o));
  }
  add('placeholder/root/yaml-whole-entity', 'the whole document is a $yaml placeholder', '$yaml: ./target-ok.yaml\n');
  add('placeholder/sub/up-one', '$text ../README.md from sub/', doc('Component', { meta: { description: '{$text: ../README.md}' } }), 'sub/catalog-info.yaml');
  add('placeholder/sub/same-dir', '$text ./notes.md from sub/', doc('Component', { meta: { description: '{$text: ./notes.md}' } }), 'sub/catalog-info.yaml');
  add('placeholder/sub/not-in-sub', '$text ./README.md from sub/ (lives one folder up)', doc('Component', { meta: { description: '{$text: ./README.md}' } }), 'sub/catalog-info.yaml');

  // ---- YAML-level problems -------------------------------------------------------------------
  const c1 = () => doc('Component');
  add('yaml/unclosed-double-quote', 'unclosed double quote', `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: "svc\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n`);
  add('yaml/unclosed-single-quote', 'unclosed single quote', `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: 'svc\nspec: {}\n`);
  add('yaml/unclosed-quote-multi', 'unclosed quote in the first of two documents: runs past ---', `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: "svc\nspec: {type: service, lifecycle: production, owner: team-a}\n---\n${doc('Group')}`);
  add('yaml/unclosed-flow', 'unclosed flow sequence', `${doc('Component', { meta: { tags: '[a, b' } })}`);
  add('yaml/bad-indent', 'bad indentation', `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc\n   title: x\nspec: {type: service, lifecycle: production, owner: team-a}\n`);
  add('yaml/tab-indent', 'tab used for indentation', `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n\tname: svc\nspec: {type: service, lifecycle: production, owner: team-a}\n`);
  add('yaml/nested-compact', '`key: value: x` in plain text', `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc\n  description: Note: this is bad\nspec: {type: service, lifecycle: production, owner: team-a}\n`);
  add('yaml/key-without-colon', 'a key line without `: `', `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc\n  title\nspec: {type: service, lifecycle: production, owner: team-a}\n`);
  add('yaml/duplicate-root-key', 'duplicate root key', `${c1()}kind: Component\n`);
  add('yaml/duplicate-metadata-key', 'duplicate key in metadata', doc('Component', { meta: { title: 'a', "'title'": 'b' } }));
  add('yaml/duplicate-spec-key', 'duplicate key in spec', doc('Group', { spec: { children: '[]', "\"children\"": '[]' } }));
  add('yaml/duplicate-merge-keys', 'two `<<` keys in one mapping', doc('Component', { meta: { '<<': '{a: 1}', "'<<'": '{b: 2}' } }));
  add('yaml/undefined-alias', 'undefined alias', doc('Component', { spec: { owner: '*nope' } }));
  add('yaml/alias-bomb', 'alias bomb', `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n`);
  add('yaml/alias-ok', 'an alias reused for owner', `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc-alias\n  title: &owner team-a\nspec:\n  type: service\n  lifecycle: production\n  owner: *owner\n`);
  add('yaml/yaml11-directive', '%YAML 1.1: `yes` becomes a boolean name', `%YAML 1.1\n---\n${doc('Component', { name: 'yes' })}`);
  add('yaml/yaml11-directive-ok', '%YAML 1.1 with a plain name', `%YAML 1.1\n---\n${doc('Component')}`);
  add('yaml/yaml12-directive', '%YAML 1.2 directive', `%YAML 1.2\n---\n${doc('Component', { name: 'yes' })}`);
  add('yaml/bom', 'a byte-order mark at the start', `\ufeff${doc('Component')}`);
  add('yaml/crlf', 'CRLF line endings', doc('Component').replace(/\n/g, '\r\n'));
  add('yaml/document-end-marker', '`...` after the document', `${doc('Component')}...\n`);
  add('yaml/non-printable', 'a control character in a value', doc('Component', { meta: { title: '"a\u0007b"' } }));

  add('yaml/flow-after-separator', 'a flow mapping on the `---` line', `--- {apiVersion: backstage.io/v1alpha1, kind: System, metadata: {name: flow-sys}, spec: {owner: team-a}}\n`);
  add('yaml/quoted-spanning-separator', 'a double-quoted scalar continued over a `---` line', `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc\n  description: "abc\n---\n  def"\nspec: {type: service, lifecycle: production, owner: team-a}\n`);
  add('yaml/block-scalar-then-separator', 'a block scalar ended by `---`', `${doc('Component', { meta: { description: '|\n  line' } })}---\n${doc('Domain')}`);
  add('yaml/indented-separator', 'an indented `---` inside a block scalar is content', doc('Component', { meta: { description: '|\n  before\n  ---\n  after' } }));
  add('yaml/complex-key-in-metadata', 'a complex (sequence) key in metadata', doc('Component', { meta: { '? [a, b]': '', ': x': '' } }).replace('  ? [a, b]:\n  : x:\n', '  ? [a, b]\n  : x\n'));
  add('yaml/null-key-in-metadata', 'a null key in metadata (becomes "")', doc('Component', { meta: { '~': 'x' } }));
  add('yaml/null-key-in-annotations', 'a null key in annotations (becomes "")', doc('Component', { meta: { annotations: [['~', 'x']] } }));
  add('yaml/int-and-string-keys', 'keys 1 and "1" are different YAML keys but the same JSON key', doc('Component', { meta: { labels: [['1', 'a'], ['"1"', 'b']] } }));
  add('yaml/int-tag-name', 'metadata.name with an explicit !!int tag', doc('Component', { name: '!!int "12"' }));
  add('yaml/tab-in-value', 'a tab inside a value', doc('Component', { meta: { title: 'a\tb' } }));
  add('yaml/anchor-on-root', 'an anchor on the root mapping', `&root\n${doc('Component')}`);
  add('yaml/map-tag-on-root', 'an explicit !!map tag on the root', `--- !!map\n${doc('Component')}`);
  add('yaml/trailing-spaces', 'trailing spaces after values', doc('Component').replace(/\n/g, '   \n'));

  // ---- non-object roots ----------------------------------------------------------------------
  add('root-type/list', 'root is a list', `- apiVersion: backstage.io/v1alpha1\n  kind: Component\n`);
  add('root-type/string', 'root is a string', 'hello\n');
  add('root-type/number', 'root is a number', '42\n');
  add('root-type/bool', 'root is a boolean', 'true\n');
  add('root-type/null', 'root is null (ignored, like an empty document)', 'null\n');
  add('root-type/tilde', 'root is ~ (ignored)', '~\n');
  add('root-type/empty-list', 'root is []', '[]\n');
  add('root-type/empty-map', 'root is {}', '{}\n');
  add('root-type/block-string', 'root is a block string', '|\n  text\n');
  add('root-type/list-in-multi', 'a list as the second document', `${c1()}---\n- a\n`);

  // ---- multi-document files ------------------------------------------------------------------
  add('multi/two-valid', 'two valid documents', `${doc('Component')}---\n${doc('API')}`);
  add('multi/valid-invalid', 'a valid and an invalid document', `${doc('System')}---\n${doc('Domain', { spec: { owner: undefined } })}`);
  add('multi/trailing-separator', 'trailing --- (an empty document)', `${doc('Group')}---\n`);
  add('multi/leading-separator', 'leading ---', `---\n${doc('User')}`);
  add('multi/empty-middle', 'an empty document in the middle', `${doc('Component')}---\n---\n${doc('Resource')}`);
  add('multi/comment-only-middle', 'a comment-only document in the middle', `${doc('Component')}---\n# nothing here\n---\n${doc('Resource', { name: 'Bad Name' })}`);
  add('multi/comment-before-first', 'a comment before the first ---', `# header comment\n---\n${doc('Component')}---\n${doc('API', { spec: { definition: '{a: b}' } })}`);
  add('multi/many', 'every kind in one file', KINDS.map((k) => doc(k)).join('---\n'));
  add('multi/many-invalid', 'every kind in one file, each missing its spec', KINDS.map((k) => doc(k, { specRaw: null })).join('---\n'));
  add('multi/yaml-error-second', 'a YAML error in the second of three documents', `${doc('Component')}---\n${doc('API', { meta: { tags: '[a, b' } })}---\n${doc('System')}`);
  add('multi/duplicate-key-first', 'a duplicate key in the first document', `${doc('Component', { meta: { title: 'a', "'title'": 'b' } })}---\n${doc('Group')}`);
  add('multi/null-doc', 'a `null` document between two entities', `${doc('Component')}---\nnull\n---\n${doc('Domain')}`);
  add('multi/separator-with-comment', '`--- # comment` separators', `${doc('Component')}--- # next\n${doc('System', { meta: { namespace: 'Bad' } })}`);
  add('multi/document-end-markers', '`...` then `---`', `${doc('Component')}...\n---\n${doc('User', { spec: { memberOf: 'x' } })}`);
  add('multi/envelope-error-first', 'an envelope error in the first document', `${doc('Component', { name: null })}---\n${doc('Group')}`);
  add('multi/alias-across-documents', 'an alias to an anchor of the previous document (anchors do not cross documents)', `${doc('System', { meta: { title: '&t Shared' } })}---\n${doc('Domain', { meta: { title: '*t' } })}`);
  add('multi/only-separators', 'only separators', '---\n---\n---\n');
  add('multi/empty-file', 'an empty file', '');
  add('multi/comment-file', 'a comment-only file', '# nothing\n');
  add('multi/four-mixed', 'four documents, mixed verdicts', [doc('Component'), doc('Component', { meta: { tags: '[Bad]' } }), doc('Template', { apiVersion: 'scaffolder.backstage.io/v1beta2' }), doc('Location', { spec: { presence: 'maybe' } })].join('---\n'));

  return cases;
}
