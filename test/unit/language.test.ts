/**
 * Language features: completion, hover and the outline, on inline YAML with a caret marker for the cursor.
 *
 *   node --import tsx --test test/unit/language.test.ts
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText, FileAnalyzer } from '../../server/src/catalog/analyze';
import { readPolicies, DEFAULT_POLICIES, type Policies } from '../../server/src/catalog/policies';
import { BUILTIN_KINDS } from '../../server/src/catalog/schemas';
import { complete, suggestsValues } from '../../server/src/language/completion';
import { hover } from '../../server/src/language/hover';
import { documentSymbols } from '../../server/src/language/symbols';
import { WELL_KNOWN_ANNOTATIONS } from '../../server/src/language/annotations';
import type { CompletionEntry, SymbolEntry } from '../../server/src/language/types';

/** Removes the caret marker (default `|`, the first one) and returns the text and the cursor offset. */
function caret(src: string, marker = '|'): { text: string; offset: number } {
  const offset = src.indexOf(marker);
  assert.ok(offset >= 0, 'no caret in the test source');
  return { text: src.slice(0, offset) + src.slice(offset + marker.length), offset };
}

/** The offset of (line, character). */
function pos(text: string, line: number, character: number): number {
  let off = 0;
  for (let l = 0; l < line; l++) off = text.indexOf('\n', off) + 1;
  return off + character;
}

/** The (line, character) of an offset. */
function lc(text: string, offset: number): [number, number] {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return [line, offset - (before.lastIndexOf('\n') + 1)];
}

function completeAt(src: string, policies?: Policies, marker?: string): { items: CompletionEntry[]; text: string; offset: number } {
  const { text, offset } = caret(src, marker);
  return { items: complete(analyzeText(text, { policies }), text, offset, policies), text, offset };
}

const labels = (items: CompletionEntry[]): string[] => items.map((i) => i.label);
const byLabel = (items: CompletionEntry[], label: string): CompletionEntry => {
  const e = items.find((i) => i.label === label);
  assert.ok(e, `no completion '${label}' in ${JSON.stringify(labels(items))}`);
  return e;
};
/** Sorted the way an editor sorts them. */
const sorted = (items: CompletionEntry[]): CompletionEntry[] => [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label));

const HEAD = 'apiVersion: backstage.io/v1alpha1\n';

describe('completion: root and new documents', () => {
  test('empty file: a skeleton per kind, then the root keys', () => {
    const items = complete(analyzeText(''), '', 0);
    const snippets = items.filter((i) => i.kind === 'snippet');
    assert.deepEqual(
      snippets.map((s) => s.filterText),
      BUILTIN_KINDS.map((k) => k.kind),
    );
    assert.deepEqual(
      items.filter((i) => i.kind === 'key').map((i) => i.label),
      ['apiVersion', 'kind', 'metadata', 'spec'],
    );
    for (const i of items) assert.deepEqual([i.replaceStart, i.replaceEnd], [0, 0]);
    const component = snippets.find((s) => s.filterText === 'Component')!;
    assert.equal(component.snippet, true);
    assert.equal(
      component.insertText,
      [
        'apiVersion: backstage.io/v1alpha1',
        'kind: Component',
        'metadata:',
        '  name: ${1:my-component}',
        'spec:',
        '  type: ${2|service,website,library|}',
        '  lifecycle: ${3|experimental,production,deprecated|}',
        '  owner: ${4:group:my-team}',
      ].join('\n'),
    );
    const template = snippets.find((s) => s.filterText === 'Template')!;
    assert.match(template.insertText, /^apiVersion: scaffolder\.backstage\.io\/v1beta3\nkind: Template\n/);
    assert.match(template.insertText, /\n  steps:\n    - action: \$\{3\}/);
    const api = snippets.find((s) => s.filterText === 'API')!;
    assert.match(api.insertText, /\n  definition:\n    \\\$text: \$\{5:\.\/openapi\.yaml\}$/);
    const group = snippets.find((s) => s.filterText === 'Group')!;
    assert.match(group.insertText, /\n  children: \[\$\{3\}\]$/);
    assert.match(component.documentation ?? '', /```yaml\napiVersion: backstage\.io\/v1alpha1\nkind: Component\n[\s\S]*owner: group:my-team\n```/);
  });

  test('right after a `---` line of a multi-document file', () => {
    const { items, text, offset } = completeAt(`${HEAD}kind: Group\nmetadata:\n  name: team-a\nspec:\n  type: team\n  children: []\n---\n|`);
    assert.equal(items.filter((i) => i.kind === 'snippet').length, 9);
    assert.deepEqual(lc(text, offset), [8, 0]);
    for (const i of items) assert.deepEqual([i.replaceStart, i.replaceEnd], [offset, offset]);
    // and a partial word there is replaced
    const p = completeAt(`${HEAD}kind: Group\n---\nComp|`);
    const s = p.items.find((i) => i.filterText === 'Component')!;
    assert.deepEqual([s.replaceStart, s.replaceEnd], [pos(p.text, 3, 0), pos(p.text, 3, 4)]);
  });

  test('a custom kind from the policies gets a skeleton and is offered as a kind', () => {
    const policies = readPolicies({ kinds: [{ kind: 'Environment', apiVersions: ['example.com/v1'], schema: { properties: { spec: { required: ['stage'], properties: { stage: { type: 'string', examples: ['dev', 'prod'] } } } } } }] }).policies;
    const { items } = completeAt('|', policies);
    const env = items.find((i) => i.filterText === 'Environment');
    assert.ok(env);
    assert.equal(env.insertText, 'apiVersion: example.com/v1\nkind: Environment\nmetadata:\n  name: ${1:my-environment}\nspec:\n  stage: ${2|dev,prod|}');
    const kinds = completeAt('kind: |', policies).items;
    assert.equal(kinds.length, 10);
    assert.equal(byLabel(kinds, 'Environment').kind, 'kind');
  });

  test('no skeleton in a document that already has content; root keys not yet present, never relations/status', () => {
    const { items, text } = completeAt(`${HEAD}kind: Component\nme|\n`);
    assert.deepEqual(labels(items), ['metadata', 'spec']);
    const m = byLabel(items, 'metadata');
    assert.equal(m.insertText, 'metadata:\n  ');
    assert.deepEqual([lc(text, m.replaceStart!), lc(text, m.replaceEnd!)], [[2, 0], [2, 2]]);
    assert.equal(m.detail, 'required · mapping');
    assert.equal(byLabel(items, 'spec').detail, 'required · mapping');
    const empty = completeAt('kind: Component\n|').items;
    assert.ok(!labels(empty).includes('relations') && !labels(empty).includes('status'));
  });

  test('half-typed key in a document the parser rejects', () => {
    const src = `${HEAD}kind: Component\nmetadata:\n  name: x\n  tags: [a\nspec:\n  type: service\n  lif|\n`;
    const { text } = caret(src);
    assert.ok(analyzeText(text).documents[0].problems.some((p) => p.code.startsWith('yaml')));
    const { items } = completeAt(src);
    assert.deepEqual(labels(items).slice(0, 2), ['lifecycle', 'owner']);
  });

  test('cursor on the `---` line, in a comment, or inside a block scalar: nothing', () => {
    assert.deepEqual(completeAt(`${HEAD}---|\n`).items, []);
    assert.deepEqual(completeAt(`${HEAD}kind: Component # a comm|ent\n`).items, []);
    assert.deepEqual(completeAt(`${HEAD}kind: Component\nmetadata:\n  description: >\n    some text\n    more ^\n`, undefined, '^').items, []);
    assert.deepEqual(completeAt(`${HEAD}kind: Component\nmetadata:\n  description: "an open\n   quote ^\n`, undefined, '^').items, []);
    // after the block scalar, at the mapping's indentation: keys again
    const after = completeAt(`${HEAD}kind: Component\nmetadata:\n  description: >\n    some text\n\n  ^\n`, undefined, '^').items;
    assert.ok(labels(after).includes('name') && !labels(after).includes('description'));
  });
});

describe('completion: values', () => {
  test('apiVersion: all three without a kind; only scaffolder for a Template; two for a Component', () => {
    assert.deepEqual(labels(completeAt('apiVersion: |').items), ['backstage.io/v1alpha1', 'backstage.io/v1beta1', 'scaffolder.backstage.io/v1beta3']);
    assert.deepEqual(labels(completeAt('kind: Template\napiVersion: |').items), ['scaffolder.backstage.io/v1beta3']);
    assert.deepEqual(labels(completeAt('apiVersion: |\nkind: Component\n').items), ['backstage.io/v1alpha1', 'backstage.io/v1beta1']);
  });

  test('kind: the nine kinds with their descriptions; value replaces the word', () => {
    const { items, text } = completeAt(`${HEAD}kind: Comp|onent\n`);
    assert.deepEqual(labels(items), ['Component', 'API', 'Resource', 'System', 'Domain', 'Group', 'User', 'Location', 'Template']);
    const c = byLabel(items, 'Component');
    assert.equal(c.detail, 'A piece of software: a service, a website, a library.');
    assert.equal(c.insertText, 'Component');
    assert.deepEqual([lc(text, c.replaceStart!), lc(text, c.replaceEnd!)], [[1, 6], [1, 15]]);
    // right after the colon: a space is inserted too
    const tight = completeAt('kind:|');
    assert.equal(byLabel(tight.items, 'API').insertText, ' API');
    assert.deepEqual([byLabel(tight.items, 'API').replaceStart, byLabel(tight.items, 'API').replaceEnd], [5, 5]);
    // Template first after a scaffolder apiVersion
    assert.equal(completeAt('apiVersion: scaffolder.backstage.io/v1beta3\nkind: |').items[0].label, 'Template');
  });

  test('lifecycle after `lifecycle: `: default lifecycles, or the policy ones', () => {
    const src = `${HEAD}kind: Component\nmetadata:\n  name: x\nspec:\n  type: service\n  lifecycle: |\n  owner: group:a\n`;
    const { items, offset } = completeAt(src);
    assert.deepEqual(labels(items), ['experimental', 'production', 'deprecated']);
    for (const i of items) {
      assert.equal(i.insertText, i.label);
      assert.deepEqual([i.replaceStart, i.replaceEnd], [offset, offset]);
    }
    const policies = readPolicies({ lifecycles: ['alpha', 'ga', 'sunset'] }).policies;
    assert.deepEqual(labels(completeAt(src, policies).items), ['alpha', 'ga', 'sunset']);
    // the word being typed is replaced up to its end
    const mid = completeAt(`${HEAD}kind: Component\nspec:\n  lifecycle: pro|dction\n`);
    assert.deepEqual(lc(mid.text, byLabel(mid.items, 'production').replaceStart!), [3, 13]);
    assert.deepEqual(lc(mid.text, byLabel(mid.items, 'production').replaceEnd!), [3, 22]);
    // on the next line, under the key
    assert.deepEqual(labels(completeAt(`${HEAD}kind: Component\nspec:\n  lifecycle:\n    |\n`).items), ['experimental', 'production', 'deprecated']);
  });

  test('type and enum values per kind', () => {
    assert.deepEqual(labels(completeAt(`${HEAD}kind: Component\nspec:\n  type: |`).items), ['service', 'website', 'library']);
    assert.deepEqual(labels(completeAt(`${HEAD}kind: API\nspec:\n  type: |`).items), ['openapi', 'asyncapi', 'graphql', 'grpc', 'trpc']);
    const presence = completeAt(`${HEAD}kind: Location\nspec:\n  presence: |`).items;
    assert.deepEqual(labels(presence), ['required', 'optional']);
    assert.equal(presence[0].kind, 'enum');
    assert.deepEqual(labels(completeAt(`${HEAD}kind: Group\nspec:\n  type: |`).items), ['team', 'business-unit', 'product-area', 'organization']);
    // inside quotes: the raw value, between the quotes
    const q = completeAt(`${HEAD}kind: Component\nspec:\n  type: "se|"\n`);
    const s = byLabel(q.items, 'service');
    assert.equal(s.insertText, 'service');
    assert.deepEqual([lc(q.text, s.replaceStart!), lc(q.text, s.replaceEnd!)], [[3, 9], [3, 11]]);
  });

  test('value completion follows the kind of the document at the cursor', () => {
    const src = `${HEAD}kind: Component\nmetadata:\n  name: a\nspec:\n  type: service\n---\n${HEAD}kind: API\nmetadata:\n  name: b\nspec:\n  type: |\n`;
    assert.deepEqual(labels(completeAt(src).items), ['openapi', 'asyncapi', 'graphql', 'grpc', 'trpc']);
  });

  test('reference values: entities of the allowed kinds, in the field\'s short form', () => {
    const others = `---\n${HEAD}kind: Group\nmetadata:\n  name: team-a\n---\n${HEAD}kind: User\nmetadata:\n  name: ada\n---\n${HEAD}kind: Group\nmetadata:\n  name: ops\n  namespace: infra\n---\n${HEAD}kind: Resource\nmetadata:\n  name: db\n`;
    const owner = completeAt(`${HEAD}kind: Component\nmetadata:\n  name: svc\nspec:\n  owner: |\n${others}`).items;
    assert.deepEqual(labels(owner), ['group:team-a', 'group:infra/ops', 'user:ada']);
    assert.equal(owner[0].kind, 'reference');
    assert.equal(owner[0].detail, 'group:team-a');
    assert.match(owner[0].documentation ?? '', /group:default\/team-a/);
    const untyped = readPolicies({ typedOwner: false }).policies;
    assert.deepEqual(labels(completeAt(`${HEAD}kind: Component\nmetadata:\n  name: svc\nspec:\n  owner: |\n${others}`, untyped).items), ['team-a', 'infra/ops', 'user:ada']);
    const deps = completeAt(`${HEAD}kind: Component\nmetadata:\n  name: svc\nspec:\n  dependsOn:\n    - |\n${others}`).items;
    assert.deepEqual(labels(deps), ['resource:db']);
    const members = completeAt(`${HEAD}kind: Group\nmetadata:\n  name: g\nspec:\n  members:\n    - |\n${others}`).items;
    assert.deepEqual(labels(members), ['ada']);
  });
});

describe('completion: keys', () => {
  test('metadata keys not yet present, never uid/etag; name marked required', () => {
    const { items } = completeAt(`${HEAD}kind: Component\nmetadata:\n  title: T\n  |\n  tags: [a]\n`);
    assert.deepEqual(labels(items), ['name', 'namespace', 'description', 'labels', 'annotations', 'links']);
    assert.equal(byLabel(items, 'name').detail, 'required · string');
    assert.equal(byLabel(items, 'links').insertText, 'links:\n  - url: ');
    assert.match(byLabel(items, 'namespace').documentation ?? '', /DNS label/);
  });

  test('spec keys of each kind, required first, excluding present ones', () => {
    for (const k of BUILTIN_KINDS) {
      const props = Object.keys(k.spec.properties ?? {});
      const required = k.spec.required ?? [];
      const present = props.find((p) => !required.includes(p)) ?? props[0];
      const { items } = completeAt(`apiVersion: ${k.apiVersions[0]}\nkind: ${k.kind}\nmetadata:\n  name: x\nspec:\n  ${present}: x\n  |\n`);
      const got = labels(items);
      const expected = [...required.filter((r) => r !== present), ...props.filter((p) => !required.includes(p) && p !== present)];
      assert.deepEqual([...got].sort(), [...expected].sort(), k.kind);
      assert.deepEqual(got.slice(0, required.filter((r) => r !== present).length), required.filter((r) => r !== present), `${k.kind}: required first`);
      for (const r of required.filter((x) => x !== present)) assert.match(byLabel(items, r).detail ?? '', /^required/, `${k.kind}.${r}`);
      assert.ok(!got.includes(present), `${k.kind}: ${present} is present`);
    }
  });

  test('a key followed by a colon is completed as the name only', () => {
    const { items, text } = completeAt(`${HEAD}kind: Component\nspec:\n  lif|: production\n`);
    const l = byLabel(items, 'lifecycle');
    assert.equal(l.insertText, 'lifecycle');
    assert.deepEqual([lc(text, l.replaceStart!), lc(text, l.replaceEnd!)], [[3, 2], [3, 5]]);
  });

  test('nested keys: link items, Group profile, Template steps', () => {
    const links = completeAt(`${HEAD}kind: Component\nmetadata:\n  name: x\n  links:\n    - url: https://example.com\n      |\n`).items;
    assert.deepEqual(labels(links), ['title', 'icon', 'type']);
    const profile = completeAt(`${HEAD}kind: Group\nmetadata:\n  name: g\nspec:\n  profile:\n    email: a@b.c\n    |\n`).items;
    assert.deepEqual(labels(profile), ['displayName', 'picture']);
    const step = completeAt('apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nspec:\n  steps:\n    - |\n').items;
    assert.equal(step[0].label, 'action');
    assert.equal(step[0].detail, 'required · string');
    // a mapping key inserted after a dash: the nested line is indented past the dash
    assert.equal(byLabel(step, 'input').insertText, 'input:\n    ');
    // same-column sequence style
    const step2 = completeAt('kind: Template\nspec:\n  steps:\n  - action: x\n    |\n').items;
    assert.deepEqual(labels(step2), ['id', 'name', 'input', 'if', 'backstage:permissions']);
  });

  test('annotation keys under metadata.annotations, with documentation', () => {
    const { items, text } = completeAt(`${HEAD}kind: Component\nmetadata:\n  name: x\n  annotations:\n    github.com/project-slug: org/repo\n    backstage.io/te|\n`);
    assert.ok(items.every((i) => i.kind === 'annotation'));
    assert.ok(!labels(items).includes('github.com/project-slug'), 'present key excluded');
    assert.ok(!labels(items).includes('backstage.io/managed-by-location'), 'catalog-owned key excluded');
    assert.ok(!labels(items).includes('backstage.io/github-actions-id'), 'deprecated key excluded');
    const t = byLabel(items, 'backstage.io/techdocs-ref');
    assert.equal(t.insertText, 'backstage.io/techdocs-ref: ${1:dir:.}');
    assert.equal(t.snippet, true);
    assert.match(t.documentation ?? '', /TechDocs/);
    assert.match(t.documentation ?? '', /dir:/);
    assert.deepEqual([lc(text, t.replaceStart!), lc(text, t.replaceEnd!)], [[6, 4], [6, 19]]);
    // kind-specific ones rank first: github.com/team-slug before others for a Group
    const group = sorted(completeAt(`${HEAD}kind: Group\nmetadata:\n  annotations:\n    |\n`).items);
    assert.ok(labels(group).indexOf('github.com/team-slug') < labels(group).indexOf('jenkins.io/job-full-name'));
    // policy-required annotations come first
    const policies = readPolicies({ requiredAnnotations: { production: ['example.com/runbook'] } }).policies;
    const req = sorted(completeAt(`${HEAD}kind: Component\nmetadata:\n  annotations:\n    |\nspec:\n  lifecycle: production\n`, policies).items);
    assert.equal(req[0].label, 'example.com/runbook');
    assert.match(req[0].detail ?? '', /policy/);
  });

  test('labels: no guesses', () => {
    assert.deepEqual(completeAt(`${HEAD}kind: Component\nmetadata:\n  labels:\n    |\n`).items, []);
  });

  test('an analysis that lags behind the text is tolerated', () => {
    const old = `${HEAD}kind: Component\nmetadata:\n  name: x\n---\n${HEAD}kind: API\n`;
    const { text, offset } = caret(`${HEAD}kind: Component\nmetadata:\n  name: x\nspec:\n  lifecycle: |\n---\n${HEAD}kind: API\n`);
    const items = complete(analyzeText(old), text, offset);
    assert.deepEqual(labels(items), ['experimental', 'production', 'deprecated']);
  });

  test('CRLF line endings', () => {
    const { items, text } = completeAt(`${HEAD}kind: Component\r\nspec:\r\n  lifecycle: ex|\r\n  type: service\r\n`);
    const e = byLabel(items, 'experimental');
    assert.equal(text.slice(e.replaceStart, e.replaceEnd), 'ex');
  });
});

describe('hover', () => {
  const src = [
    'apiVersion: backstage.io/v1alpha1',
    'kind: Component',
    'metadata:',
    '  name: payments-service',
    '  namespace: payments',
    '  links:',
    '    - url: https://grafana.example.com',
    '  annotations:',
    '    backstage.io/techdocs-ref: dir:.',
    '    example.com/custom: x',
    '  labels:',
    '    tier: gold',
    '  extra: 1',
    'spec:',
    '  type: service',
    '  lifecycle: production',
    '  owner: team-a',
    '  dependsOn:',
    '    - resource:db',
    '  flavour: vanilla',
    'status: {}',
    '---',
    'apiVersion: backstage.io/v1alpha1',
    'kind: Group',
    'metadata:',
    '  name: team-a',
    'spec:',
    '  type: team',
    '  profile:',
    '    displayName: Team A',
    '  children: []',
    '---',
    'apiVersion: backstage.io/v1alpha1',
    'kind: API',
    'spec:',
    '  owner: x',
    '',
  ].join('\n');
  const file = analyzeText(src);
  const at = (line: number, ch: number) => hover(file, src, pos(src, line, ch));

  test('metadata.name: the name rule, required, range = the key', () => {
    const h = at(3, 3)!;
    assert.ok(h);
    assert.match(h.contents, /\*\*metadata\.name\*\*/);
    assert.match(h.contents, /1-63 characters of letters, digits, `-`, `_` or `\.`, starting and ending with a letter or digit/);
    assert.match(h.contents, /Required for every entity/);
    assert.deepEqual([lc(src, h.start), lc(src, h.end)], [[3, 2], [3, 6]]);
  });

  test('metadata.namespace and root keys', () => {
    assert.match(at(4, 2)!.contents, /DNS label/);
    assert.match(at(4, 2)!.contents, /Optional/);
    assert.match(at(0, 0)!.contents, /Required for every entity/);
    assert.match(at(0, 0)!.contents, /For a Component: `backstage\.io\/v1alpha1` or `backstage\.io\/v1beta1`/);
    assert.match(at(13, 1)!.contents, /Required for a Component/);
    assert.match(at(20, 1)!.contents, /must not contain it/);
  });

  test('spec.owner: required, the reference form, default kind and the entity\'s namespace', () => {
    const h = at(16, 4)!;
    assert.match(h.contents, /\*\*spec\.owner\*\* \(Component\)/);
    assert.match(h.contents, /Required for a Component/);
    assert.match(h.contents, /`\[kind:\]\[namespace\/\]name`/);
    assert.match(h.contents, /Without a kind it means a Group: `name` reads as `group:payments\/name`/);
    assert.match(h.contents, /this entity's namespace \(`payments`\)/);
    assert.deepEqual([lc(src, h.start), lc(src, h.end)], [[16, 2], [16, 7]]);
  });

  test('spec.dependsOn: needs an explicit kind', () => {
    const h = at(17, 5)!;
    assert.match(h.contents, /\*\*must\*\* name its kind/);
    assert.match(h.contents, /no default kind/);
    assert.match(h.contents, /Optional for a Component/);
    assert.match(h.contents, /relation `dependsOn`/);
  });

  test('links[].url, profile.displayName, spec.type examples', () => {
    const u = at(6, 7)!;
    assert.match(u.contents, /\*\*metadata\.links\[\]\.url\*\*/);
    assert.match(u.contents, /absolute URL/);
    assert.match(u.contents, /Required in each entry/);
    assert.deepEqual([lc(src, u.start), lc(src, u.end)], [[6, 6], [6, 9]]);
    const d = at(29, 6)!;
    assert.match(d.contents, /\*\*spec\.profile\.displayName\*\* \(Group\)/);
    assert.match(d.contents, /display name/);
    assert.match(at(14, 3)!.contents, /`service`, `website` and `library`/);
  });

  test('annotations (well-known or not) and labels', () => {
    const t = at(8, 10)!;
    assert.match(t.contents, /\*\*backstage\.io\/techdocs-ref\*\* \(annotation\)/);
    assert.match(t.contents, /dir:/);
    assert.deepEqual([lc(src, t.start), lc(src, t.end)], [[8, 4], [8, 29]]);
    assert.match(at(9, 6)!.contents, /Not in Paved Road's catalogue/);
    assert.match(at(11, 5)!.contents, /\(label\)/);
  });

  test('unknown keys say so', () => {
    assert.match(at(12, 3)!.contents, /Not a standard metadata field/);
    assert.match(at(19, 4)!.contents, /Not a field of the Component spec/);
  });

  test('values: the kind, and where a reference points', () => {
    const k = at(1, 8)!;
    assert.match(k.contents, /\*\*Component\*\*: A piece of software/);
    assert.match(k.contents, /Required spec fields: `type`, `lifecycle`, `owner`/);
    assert.deepEqual([lc(src, k.start), lc(src, k.end)], [[1, 6], [1, 15]]);
    const o = at(16, 10)!;
    assert.match(o.contents, /\*\*group:payments\/team-a\*\*/);
    assert.match(o.contents, /relation `ownedBy`/);
    assert.match(at(18, 10)!.contents, /\*\*resource:payments\/db\*\*/);
    assert.equal(at(14, 10), undefined, 'no hover on a plain value');
  });

  test('second and third documents: their own kind', () => {
    assert.match(at(23, 7)!.contents, /\*\*Group\*\*/);
    assert.match(at(27, 3)!.contents, /Required for a Group/);
    assert.match(at(35, 3)!.contents, /Required for an API/);
    assert.equal(at(21, 1), undefined);
  });

  test('hover on a stale analysis reads the text', () => {
    const fresh = src.replace('  type: service\n', '  type: service\n  system: core\n');
    const h = hover(file, fresh, pos(fresh, 15, 4))!;
    assert.match(h.contents, /\*\*spec\.system\*\*/);
    assert.deepEqual([lc(fresh, h.start), lc(fresh, h.end)], [[15, 2], [15, 8]]);
  });
});

describe('document symbols', () => {
  const src = [
    '# a comment before the first document',
    'apiVersion: backstage.io/v1alpha1',
    'kind: Component',
    'metadata:',
    '  name: payments-service',
    '  title: Payments',
    '  annotations:',
    '    github.com/project-slug: org/payments',
    '  links:',
    '    - url: https://example.com',
    '      title: Dashboard',
    'spec:',
    '  type: service',
    '  dependsOn:',
    '    - resource:db',
    '---',
    'apiVersion: backstage.io/v1alpha1',
    'kind: Group',
    'metadata:',
    '  name: Team-A',
    '  namespace: people',
    'spec:',
    '  type: team',
    '  children: []',
    '---',
    'kind: Resource',
    'metadata:',
    '  name: "broken',
    '---',
    'just a string',
    '---',
    '',
  ].join('\n');
  const file = analyzeText(src);
  const symbols = documentSymbols(file, src);
  const child = (s: SymbolEntry, name: string): SymbolEntry => {
    const c = s.children.find((x) => x.name === name);
    assert.ok(c, `no child ${name} in ${s.name}`);
    return c;
  };

  test('one symbol per non-empty document, named kind:namespace/name', () => {
    assert.deepEqual(
      symbols.map((s) => s.name),
      ['component:default/payments-service', 'group:people/Team-A', 'resource:default/broken', 'document 4'],
    );
    assert.deepEqual(
      symbols.map((s) => s.detail),
      ['Payments', 'team', undefined, undefined],
    );
    assert.ok(symbols.every((s) => s.kind === 'entity'));
  });

  test('ranges: the document without its `---` line; selection = metadata.name value', () => {
    const [c, g] = symbols;
    assert.deepEqual([lc(src, c.start), lc(src, c.end)], [[0, 0], [14, 17]]);
    assert.deepEqual([lc(src, c.selectionStart), lc(src, c.selectionEnd)], [[4, 8], [4, 24]]);
    assert.deepEqual([lc(src, g.start), lc(src, g.end)], [[16, 0], [23, 14]]);
    assert.equal(src.slice(g.selectionStart, g.selectionEnd), 'Team-A');
    for (const s of symbols) assert.ok(s.start <= s.selectionStart && s.selectionEnd <= s.end, s.name);
  });

  test('children: the keys, nested to three levels', () => {
    const c = symbols[0];
    assert.deepEqual(c.children.map((x) => x.name), ['apiVersion', 'kind', 'metadata', 'spec']);
    assert.equal(child(c, 'kind').detail, 'Component');
    const meta = child(c, 'metadata');
    assert.deepEqual(meta.children.map((x) => x.name), ['name', 'title', 'annotations', 'links']);
    assert.deepEqual(child(meta, 'annotations').children.map((x) => x.name), ['github.com/project-slug']);
    const links = child(meta, 'links');
    assert.equal(links.kind, 'list');
    assert.deepEqual(links.children.map((x) => x.name), ['Dashboard'], 'an item is named by its title');
    assert.deepEqual(links.children[0].children, [], 'depth limit');
    const name = child(meta, 'name');
    assert.deepEqual([lc(src, name.start), lc(src, name.end), lc(src, name.selectionEnd)], [[4, 2], [4, 24], [4, 6]]);
    const spec = child(c, 'spec');
    assert.deepEqual(child(spec, 'dependsOn').children.map((x) => [x.name, x.kind]), [['resource:db', 'value']]);
    assert.ok(spec.end <= c.end);
  });

  test('an empty file has no symbols', () => {
    assert.deepEqual(documentSymbols(analyzeText(''), ''), []);
  });
});

describe('robustness and speed', () => {
  test('complete and hover never throw and return ranges inside the text, at every offset', () => {
    const texts = [
      `${HEAD}kind: Component\nmetadata:\n  name: x\n  links:\n  - url: a\n    title: "q\nspec: {type: [a, b}\n---\n- a\n- b: c\n---\n? complex\n: key\n`,
      'kind: Template\nspec:\n  steps:\n    - id: a\n      input:\n        x: |\n          text\n        y: 1\n\t- bad\n...\n--- |\n  doc\n',
      '"quoted key": 1\n\'single\': 2\nkey with spaces: x\n  -\n -\n:\n::\n- - - x\n',
    ];
    for (const text of texts) {
      const file = analyzeText(text);
      documentSymbols(file, text);
      for (let o = 0; o <= text.length; o++) {
        for (const e of complete(file, text, o)) {
          assert.ok(e.replaceStart! >= 0 && e.replaceStart! <= o && o <= e.replaceEnd! && e.replaceEnd! <= text.length, `${o}: ${JSON.stringify(e)}`);
        }
        const h = hover(file, text, o);
        if (h) assert.ok(h.start >= 0 && h.start <= h.end && h.end <= text.length);
      }
    }
  });

  // Its speed (p95 per request) is measured by bench/workspace.mjs, not here: a timed test fails on a busy machine.
  test('completion in a 2000-entity file offers the catalog at every kind of position', () => {
    const docs: string[] = [];
    for (let i = 0; i < 2000; i++) {
      docs.push(`${HEAD}kind: ${i % 4 ? 'Component' : 'Group'}\nmetadata:\n  name: svc-${i}\n  annotations:\n    github.com/project-slug: org/svc-${i}\nspec:\n  type: service\n  lifecycle: production\n  owner: group:team-${i % 50}\n`);
    }
    const text = docs.join('---\n');
    const file = new FileAnalyzer({ policies: DEFAULT_POLICIES }).analyze(text);
    const base = text.indexOf('name: svc-37\n');
    assert.equal(complete(file, text, text.indexOf('owner: ', base) + 7).length, 500, 'owner completion offers the Groups');
    assert.ok(complete(file, text, text.indexOf('lifecycle: ', base) + 11).some((e) => e.label === 'production'));
  });

  test('annotation catalogue: unique keys, valid metadata keys, every entry described', () => {
    const keys = WELL_KNOWN_ANNOTATIONS.map((a) => a.key);
    assert.equal(new Set(keys).size, keys.length);
    for (const a of WELL_KNOWN_ANNOTATIONS) {
      assert.match(a.key, /^[a-z0-9.-]+\/[a-z0-9][a-z0-9._-]*[a-z0-9]$/);
      assert.ok(a.description && a.format && a.example, a.key);
    }
  });
});

describe('completion: small cases', () => {
  test('an indented line under a key that has a value: nothing', () => {
    assert.deepEqual(completeAt('kind: Component\n  |').items, []);
  });

  test('a quoted key gets the name only, inside its quotes', () => {
    const { items, text } = completeAt(`${HEAD}kind: Component\nmetadata:\n  annotations:\n    "backstage.io/tech|": dir:.\n`);
    const t = byLabel(items, 'backstage.io/techdocs-ref');
    assert.equal(t.insertText, 'backstage.io/techdocs-ref');
    assert.equal(text.slice(t.replaceStart, t.replaceEnd), 'backstage.io/tech');
  });

  test('Template parameters: a list', () => {
    const { items } = completeAt('apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nspec:\n  type: service\n  par|\n');
    assert.equal(byLabel(items, 'parameters').insertText, 'parameters:\n  - ');
    assert.equal(byLabel(items, 'steps').insertText, 'steps:\n  - action: ');
    assert.equal(byLabel(items, 'steps').detail, 'required · list of mappings');
  });
});

test('suggestsValues: keys whose values completion can offer', () => {
  const spec = completeAt(`${HEAD}kind: Component\nspec:\n  |\n`).items;
  assert.equal(suggestsValues(byLabel(spec, 'lifecycle')), true);
  assert.equal(suggestsValues(byLabel(spec, 'owner')), true);
  assert.equal(suggestsValues(byLabel(spec, 'providesApis')), false);
  const meta = completeAt(`${HEAD}kind: Component\nmetadata:\n  |\n`).items;
  assert.equal(suggestsValues(byLabel(meta, 'name')), false);
  assert.equal(suggestsValues(byLabel(meta, 'description')), false);
  assert.equal(suggestsValues(byLabel(completeAt('|').items, 'kind')), true);
});

test('reference values from outside the file (a workspace index)', () => {
  const { text, offset } = caret(`${HEAD}kind: Component\nmetadata:\n  name: svc\n  namespace: shop\nspec:\n  system: |\n`);
  const entities = [
    { kind: 'System', namespace: 'shop', name: 'checkout', ref: 'system:shop/checkout', title: 'Checkout' },
    { kind: 'System', namespace: 'default', name: 'core', ref: 'system:default/core' },
    { kind: 'Group', namespace: 'shop', name: 'team', ref: 'group:shop/team' },
  ];
  const items = complete(analyzeText(text), text, offset, DEFAULT_POLICIES, { entitiesOfKind: (k) => entities.filter((e) => e.kind === k) });
  // Labelled by display name, inserting the shortest correct reference.
  assert.deepEqual(labels(items), ['Checkout', 'default/core']);
  assert.deepEqual(items.map((i) => i.insertText), ['checkout', 'default/core']);
  assert.equal(items[0].documentation, '**Checkout**\n\n`system:shop/checkout`');
  const viaList = complete(analyzeText(text), text, offset, DEFAULT_POLICIES, { entities });
  assert.deepEqual(labels(viaList), ['Checkout', 'default/core']);
});
