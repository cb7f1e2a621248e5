/** The scorecard engine: every operator, every fact type, levels, score, applicability, quarantine, caching. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { CatalogIndex } from '../../../server/src/catalog/catalogIndex';
import { evaluate, parsePath, type Subject } from '../../../server/src/scorecards/conditions';
import { RepositoryFacts } from '../../../server/src/scorecards/facts';
import { applies, entityFromText, Scorer } from '../../../server/src/scorecards/score';
import type { Condition, Scorecard } from '../../../server/src/scorecards/types';
import { doc, entity, putFile, putStore } from '../viewsFixture';
import { write } from '../scaffolding/fixture';

const repo = mkdtempSync(join(tmpdir(), 'scorecards-'));
after(() => rmSync(repo, { recursive: true, force: true }));
const uri = pathToFileURL(join(repo, 'catalog-info.yaml')).toString();

/** The catalog file on disk and in the index. */
function catalog(): CatalogIndex {
  const index = new CatalogIndex();
  const docs = [
    doc('Component', 'payments', ['type: service', 'lifecycle: production', 'owner: team-a', 'system: shop', 'dependsOn: [component:old-lib, resource:db]'], ['description: Takes payments', 'annotations:', '  pagerduty.com/service-id: P123', 'tags: [java, pci-scoped]', 'links:', '  - url: https://x.example', '    title: Dashboard']),
    doc('Component', 'old-lib', ['type: library', 'lifecycle: deprecated', 'owner: user:jo']),
    doc('Group', 'team-a', ['type: team', 'children: []'], ['annotations:', '  slack.com/channel: team-a']),
    doc('User', 'jo', ['memberOf: [team-a]']),
  ];
  write(join(repo, 'catalog-info.yaml'), docs.join('---\n'));
  putFile(index, uri, ...docs);
  return index;
}

function subject(index: CatalogIndex, ref: string, facts = new RepositoryFacts()): Subject {
  const p = index.first(ref)!;
  return { record: p.record, index, facts, repo: facts.repoOf(p), uses: new Set(), entity: () => entityFromText(p, (u, start, end) => (u === uri ? readFileSync(join(repo, 'catalog-info.yaml'), 'utf8').slice(start, end) : undefined)) };
}

const pass = (c: Condition, s: Subject) => evaluate(c, s).pass;

describe('field paths', () => {
  it('reads dots, quoted brackets and indexes', () => {
    assert.deepEqual(parsePath('metadata.annotations["pagerduty.com/service-id"]'), ['metadata', 'annotations', 'pagerduty.com/service-id']);
    assert.deepEqual(parsePath("metadata.tags[1]"), ['metadata', 'tags', 1]);
    assert.deepEqual(parsePath("spec['a b'].c"), ['spec', 'a b', 'c']);
  });
});

describe('conditions on fields', () => {
  const index = catalog();
  const s = subject(index, 'component:default/payments');
  it('exists, also for an annotation key with dots', () => {
    assert.equal(pass({ field: 'metadata.annotations["pagerduty.com/service-id"]', exists: true }, s), true);
    assert.equal(pass({ field: 'metadata.annotations["slack.com/channel"]', exists: true }, s), false);
    assert.equal(pass({ field: 'metadata.annotations["slack.com/channel"]', exists: false }, s), true);
    assert.equal(pass({ field: 'spec.system', exists: true }, s), true);
    assert.match(evaluate({ field: 'metadata.title', exists: true }, s).why, /metadata\.title is not set/);
  });
  it('equals and in, with the value in the reason', () => {
    assert.equal(pass({ field: 'spec.lifecycle', equals: 'production' }, s), true);
    const v = evaluate({ field: 'spec.lifecycle', equals: 'experimental' }, s);
    assert.equal(v.pass, false);
    assert.match(v.why, /"production", not "experimental"/);
    assert.equal(pass({ field: 'spec.type', in: ['website', 'service'] }, s), true);
    assert.equal(pass({ field: 'spec.type', in: ['website'] }, s), false);
    assert.equal(pass({ field: 'metadata.tags', equals: ['java', 'pci-scoped'] }, s), true);
  });
  it('matches a string, or any item of a list', () => {
    assert.equal(pass({ field: 'metadata.name', matches: '^pay' }, s), true);
    assert.equal(pass({ field: 'metadata.tags', matches: '^pci-' }, s), true);
    assert.equal(pass({ field: 'spec.dependsOn', matches: '^resource:' }, s), true);
    assert.equal(pass({ field: 'metadata.tags', matches: '^go$' }, s), false);
    assert.equal(pass({ field: 'metadata.title', matches: '.' }, s), false);
  });
  it('reads fields the record does not keep from the entity itself', () => {
    assert.equal(pass({ field: 'metadata.links[0].title', equals: 'Dashboard' }, s), true);
    assert.equal(pass({ count: 'metadata.links', min: 1 }, s), true);
  });
  it('knows a reference field the record lacks is absent, without reading the entity', () => {
    const p = catalog().first('component:default/old-lib')!;
    const t = { ...subject(catalog(), 'component:default/old-lib'), record: p.record, entity: () => assert.fail('the entity was read') };
    assert.equal(pass({ field: 'spec.system', exists: true }, t), false);
    assert.equal(pass({ field: 'spec.dependsOn', exists: false }, t), true);
    assert.equal(pass({ field: 'spec.owner', equals: 'user:jo' }, t), true);
  });
  it('not, all and any, with not-applicable parts left out', () => {
    const yes: Condition = { field: 'spec.type', equals: 'service' };
    const no: Condition = { field: 'spec.type', equals: 'website' };
    const na: Condition = { file: 'Dockerfile', exists: true };
    const store = { ...s, repo: undefined };
    assert.equal(pass({ not: no }, s), true);
    assert.equal(pass({ not: yes }, s), false);
    assert.equal(pass({ not: na }, store), 'n/a');
    assert.equal(pass({ all: [yes, yes] }, s), true);
    assert.equal(pass({ all: [yes, no] }, s), false);
    assert.equal(pass({ all: [yes, na] }, store), true);
    assert.equal(pass({ all: [na] }, store), 'n/a');
    assert.equal(pass({ any: [no, yes] }, s), true);
    assert.equal(pass({ any: [no, no] }, s), false);
    assert.equal(pass({ any: [no, na] }, store), false);
    assert.equal(pass({ any: [na, na] }, store), 'n/a');
  });
  it('counts list items and relations, against min and max', () => {
    assert.equal(pass({ count: 'spec.dependsOn', min: 2 }, s), true);
    assert.equal(pass({ count: 'spec.dependsOn', max: 1 }, s), false);
    assert.match(evaluate({ count: 'spec.dependsOn', min: 3 }, s).why, /has 2, fewer than 3/);
    const team = subject(index, 'group:default/team-a');
    assert.equal(pass({ count: 'relations.ownerOf', min: 1 }, team), true);
    assert.equal(pass({ count: 'relations.hasMember', min: 1, max: 1 }, team), true);
    assert.equal(pass({ count: 'relations.hasMember', min: 2 }, team), false);
  });
});

describe('conditions on relations', () => {
  const index = catalog();
  it('ownerIsGroup: the owner is a Group of the catalog, with the annotation when asked', () => {
    const s = subject(index, 'component:default/payments');
    assert.equal(pass({ relation: 'ownerIsGroup' }, s), true);
    assert.equal(pass({ relation: 'ownerIsGroup', annotation: 'slack.com/channel' }, s), true);
    const v = evaluate({ relation: 'ownerIsGroup', annotation: 'pagerduty.com/service-id' }, s);
    assert.equal(v.pass, false);
    assert.match(v.why, /group:default\/team-a has no pagerduty/);
    assert.deepEqual([...s.uses!], ['group:default/team-a']);
    const lib = subject(index, 'component:default/old-lib');
    assert.match(evaluate({ relation: 'ownerIsGroup' }, lib).why, /is a User, not a Group/);
    const orphan = new CatalogIndex();
    putFile(orphan, 'file:///o.yaml', doc('Component', 'x', ['type: service', 'owner: team-z']));
    assert.match(evaluate({ relation: 'ownerIsGroup' }, subject(orphan, 'component:default/x')).why, /not in the catalog/);
  });
  it('dependsOnNothingDeprecated', () => {
    const v = evaluate({ relation: 'dependsOnNothingDeprecated' }, subject(index, 'component:default/payments'));
    assert.equal(v.pass, false);
    assert.match(v.why, /component:default\/old-lib/);
    assert.equal(pass({ relation: 'dependsOnNothingDeprecated' }, subject(index, 'component:default/old-lib')), true);
  });
});

describe('conditions on repository facts', () => {
  write(join(repo, 'Dockerfile'), 'FROM node:22.14.0-slim\nUSER 1000:1000\n');
  write(join(repo, '.github/workflows/ci.yml'), 'steps:\n  - uses: github/codeql-action/analyze@v3\n');
  write(join(repo, 'docs/adr/0001-x.md'), '# ADR\n');
  write(join(repo, 'node_modules/a/README.md'), '# not ours\n');
  const index = catalog();
  it('a file exists, by path or glob', () => {
    const s = subject(index, 'component:default/payments');
    assert.equal(pass({ file: 'Dockerfile', exists: true }, s), true);
    assert.equal(pass({ file: 'Containerfile', exists: true }, s), false);
    assert.equal(pass({ file: 'Containerfile', exists: false }, s), true);
    assert.equal(pass({ file: 'docs/adr/*.md', exists: true }, s), true);
    assert.equal(pass({ file: '**/0001-*.md', exists: true }, s), true);
    assert.equal(pass({ file: '**/README.md', exists: true }, s), false, 'node_modules is not walked');
  });
  it('a file matches a pattern, with flags', () => {
    const s = subject(index, 'component:default/payments');
    assert.equal(pass({ file: 'Dockerfile', matches: '^USER\\s+(?!root\\b|0\\b)\\S+', flags: 'm' }, s), true);
    assert.equal(pass({ file: 'Dockerfile', matches: '^user root', flags: 'mi' }, s), false);
    assert.equal(pass({ file: '.github/workflows/*.y*ml', matches: 'codeql-action/analyze' }, s), true);
    const v = evaluate({ file: 'Containerfile', matches: 'USER' }, s);
    assert.equal(v.pass, false);
    assert.match(v.why, /no Containerfile/);
  });
  it('not applicable to an entity whose repository is not in the workspace', () => {
    const store = new CatalogIndex();
    putStore(store, 'org', [entity('Component', 'far', { type: 'service', owner: 'team-a' })]);
    const s = subject(store, 'component:default/far');
    assert.equal(s.repo, undefined);
    const v = evaluate({ file: 'Dockerfile', exists: true }, s);
    assert.equal(v.pass, 'n/a');
    assert.match(v.why, /not in the workspace/);
  });
  it('files are read once, and again after invalidate', () => {
    const reads: string[] = [];
    const facts = new RepositoryFacts(
      (p) => {
        reads.push(p);
        return p.endsWith('Dockerfile') ? `USER ${reads.length}\n` : undefined;
      },
      (d) => (d === repo ? ['Dockerfile', 'docs/'] : d === join(repo, 'docs') ? [] : undefined),
    );
    assert.equal(facts.text(repo, 'Dockerfile'), 'USER 1\n');
    assert.equal(facts.exists(repo, 'Dockerfile'), true);
    assert.equal(facts.text(repo, 'Dockerfile'), 'USER 1\n');
    assert.equal(reads.length, 1);
    facts.watch(repo);
    const v = facts.version(repo);
    facts.invalidate(pathToFileURL(join(repo, 'Dockerfile')).toString());
    assert.equal(facts.version(repo), v + 1);
    assert.equal(facts.text(repo, 'Dockerfile'), 'USER 2\n');
    // Files their folders do not list are known absent without a read.
    assert.equal(facts.text(repo, 'README.md'), undefined);
    assert.equal(facts.text(repo, 'docs/runbook.md'), undefined);
    assert.equal(facts.exists(repo, '.github/workflows/*.yml'), false);
    assert.equal(reads.length, 2);
  });
});

const CARD: Scorecard = {
  id: 'basics',
  title: 'Basics',
  appliesTo: { kind: ['component'], type: ['service'] },
  levels: [{ name: 'Bronze' }, { name: 'Silver' }, { name: 'Gold' }],
  origin: 'test',
  rules: [
    { id: 'owner', title: 'Owner is a group', level: 'Bronze', weight: 3, condition: { relation: 'ownerIsGroup' } },
    { id: 'docs', title: 'Description', level: 'Bronze', weight: 1, condition: { field: 'metadata.description', exists: true } },
    { id: 'on-call', title: 'On call', level: 'Silver', weight: 2, condition: { relation: 'ownerIsGroup', annotation: 'pagerduty.com/service-id' }, fix: { quickFix: 'add-annotation:pagerduty.com/service-id' } },
    { id: 'docker', title: 'Dockerfile', level: 'Silver', weight: 2, condition: { file: 'Dockerfile', exists: true } },
    { id: 'deps', title: 'Nothing deprecated', level: 'Gold', weight: 2, condition: { relation: 'dependsOnNothingDeprecated' } },
  ],
};

describe('levels and score', () => {
  it('the level is the highest whose rules and all below pass; the score is weighted', () => {
    const index = catalog();
    const [s] = new Scorer(index, new RepositoryFacts(), [CARD]).score('component:default/payments');
    assert.equal(s.scorecard, 'basics');
    assert.deepEqual(s.results.map((r) => r.outcome), ['pass', 'pass', 'fail', 'pass', 'fail']);
    assert.equal(s.level, 'Bronze');
    assert.deepEqual(s.next, { level: 'Silver', failing: 1 });
    assert.equal(s.score, Math.round((100 * 6) / 10));
    assert.deepEqual(s.results[2].fix, { quickFix: 'add-annotation:pagerduty.com/service-id' });
  });
  it('no level when the first fails; not-applicable rules pass for levels but leave the score', () => {
    const index = new CatalogIndex();
    putStore(index, 'org', [entity('Component', 'far', { type: 'service', owner: 'group:team-b' }, { description: 'd' }), entity('Group', 'team-b', { type: 'team', children: [] }, { annotations: { 'pagerduty.com/service-id': 'P' } })]);
    const [s] = new Scorer(index, new RepositoryFacts(), [CARD]).score('component:default/far');
    assert.equal(s.results[3].outcome, 'not-applicable');
    assert.equal(s.level, 'Gold');
    assert.equal(s.next, undefined);
    assert.equal(s.score, 100);
    const [bare] = new Scorer(index, new RepositoryFacts(), [{ ...CARD, rules: CARD.rules.map((r) => (r.id === 'docs' ? { ...r, condition: { field: 'metadata.title', exists: true } } : r)) }]).score('component:default/far');
    assert.equal(bare.level, undefined);
    assert.deepEqual(bare.next, { level: 'Bronze', failing: 1 });
    assert.equal(bare.score, Math.round((100 * 7) / 8));
  });
  it('applicability: kind, type, lifecycle and tags, case-insensitive; a Scorer gives one score per applicable scorecard', () => {
    const index = catalog();
    const r = index.first('component:default/payments')!.record;
    assert.equal(applies({}, r), true);
    assert.equal(applies({ kind: ['Component'], lifecycle: ['PRODUCTION'] }, r), true);
    assert.equal(applies({ tags: ['pci-scoped', 'x'] }, r), true);
    assert.equal(applies({ tags: ['x'] }, r), false);
    assert.equal(applies({ type: ['website'] }, r), false);
    const other: Scorecard = { ...CARD, id: 'prod', appliesTo: { lifecycle: ['production'] } };
    const scorer = new Scorer(index, new RepositoryFacts(), [CARD, other]);
    assert.deepEqual(scorer.score('component:default/payments').map((s) => s.scorecard), ['basics', 'prod']);
    assert.deepEqual(scorer.score('component:default/old-lib'), []);
    assert.deepEqual(scorer.score('group:default/team-a'), []);
    assert.deepEqual(scorer.score('component:default/nobody'), []);
  });
  it('a quarantined entity is not scored, but listed as quarantined', () => {
    const index = new CatalogIndex();
    putStore(index, 'org', [entity('Component', 'broken', { type: 'service' })], ['broken']);
    assert.deepEqual(new Scorer(index, new RepositoryFacts(), [CARD]).score('component:default/broken'), [{ ref: 'component:default/broken', scorecard: 'basics', score: 0, results: [], quarantined: true }]);
  });
});

describe('caching', () => {
  it('a score is kept while nothing it read changed, and made again when the owner, a file or the scorecards change', () => {
    const index = catalog();
    const facts = new RepositoryFacts();
    const scorer = new Scorer(index, facts, [CARD]);
    const first = scorer.score('component:default/payments');
    assert.equal(scorer.score('component:default/payments'), first);
    assert.equal(scorer.affects(new Set(['group:default/team-a'])), true, 'the owner was looked at');
    assert.equal(scorer.affects(new Set(['component:default/other', 'to:group:default/team-a'])), false);
    // An unrelated entity changes: kept.
    putFile(index, 'file:///elsewhere.yaml', doc('Component', 'other', ['type: service']));
    assert.equal(scorer.score('component:default/payments'), first);
    // The owning group gets its on-call rotation (in another file): made again, Silver now.
    putFile(index, uri, ...[
      doc('Component', 'payments', ['type: service', 'lifecycle: production', 'owner: team-a', 'system: shop', 'dependsOn: [component:old-lib, resource:db]'], ['description: Takes payments']),
      doc('Component', 'old-lib', ['type: library', 'lifecycle: deprecated', 'owner: user:jo']),
    ]);
    putFile(index, 'file:///org.yaml', doc('Group', 'team-a', ['type: team', 'children: []'], ['annotations:', '  pagerduty.com/service-id: P9']));
    const second = scorer.score('component:default/payments');
    assert.notEqual(second, first);
    assert.equal(second[0].results[2].outcome, 'pass');
    // A file of the repository goes: made again after the watcher says so.
    const dockerfile = join(repo, 'Dockerfile');
    assert.equal(second[0].results[3].outcome, 'pass');
    rmSync(dockerfile);
    assert.equal(scorer.score('component:default/payments'), second);
    scorer.invalidate([pathToFileURL(dockerfile).toString()]);
    const third = scorer.score('component:default/payments');
    assert.equal(third[0].results[3].outcome, 'fail');
    assert.equal(third[0].level, 'Bronze');
    writeFileSync(dockerfile, 'FROM node:22.14.0-slim\nUSER 1000:1000\n');
    scorer.invalidate([dockerfile]);
    assert.equal(scorer.score('component:default/payments')[0].results[3].outcome, 'pass');
    scorer.setScorecards([{ ...CARD, rules: CARD.rules.slice(0, 2) }]);
    assert.equal(scorer.score('component:default/payments')[0].results.length, 2);
  });
});
