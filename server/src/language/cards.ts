/**
 * The hover card of an entity the cursor refers to: who a team or person is (display name, email, chat,
 * on-call, parent, members, what they own), or what a component, API or system is. Everything shown
 * comes from catalog data, possibly from a store, so every value is escaped for Markdown.
 */
import { absolute, type CatalogIndex, type Placement } from '../catalog/catalogIndex';
import { blastRadius, directDependents, displayName, relatedVia, relationsOf } from '../catalog/relations';
import { OWNER_SOURCE_ANNOTATION } from '../sources/codeowners';

/** How many transitive dependents a card counts before it says "more than". */
const CARD_DEPENDENTS = 1000;

/** Escapes text for Markdown (and the HTML Markdown allows), so catalog data is shown as written. */
export function md(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (c) => `\\${c}`).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
}

/** Text cut to `max` characters: a store's value may be of any length, a card is read at a glance. */
function capped(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * An inline code span, unless the text holds a backtick or a line break: a blank line would end the span
 * and let the rest of a store's value render as Markdown (links, commands).
 */
function code(text: string): string {
  return /[`\r\n]/.test(text) ? md(text) : `\`${text}\``;
}

/** How much of a store's text a card shows. */
const MAX_TITLE = 200;
const MAX_DESCRIPTION = 1000;
const MAX_MESSAGE = 300;

const CHAT = /slack|teams|chat|discord|mattermost/i;
const ONCALL = /pagerduty|opsgenie|oncall|on-call|victorops|splunk-oncall/i;

function annotationLines(p: Placement, pattern: RegExp): string[] {
  return Object.entries(p.record.annotations)
    .filter(([k]) => pattern.test(k))
    .map(([k, v]) => `${md(v)} _(${md(k)})_`);
}

/** Where an entity is defined, as words and a link that opens it. */
export function provenanceLine(p: Placement, describeUri: (uri: string) => string): string {
  if (p.provenance.kind === 'file') {
    const pos = absolute(p, p.record.nameRange ?? p.record.range).start;
    const label = `${describeUri(p.provenance.uri)}:${pos.line + 1}`;
    return `Defined in [${md(label)}](${p.provenance.uri}#L${pos.line + 1},${pos.character + 1})`;
  }
  const label = md(p.provenance.label);
  return p.provenance.url && /^https?:\/\//.test(p.provenance.url) ? `From the store [${label}](${encodeURI(p.provenance.url)})` : `From the store ${label}`;
}

function refList(index: CatalogIndex, refs: string[], max: number): string {
  const names = refs.slice(0, max).map((r) => {
    const p = index.first(r);
    return p ? `${md(displayName(p) ?? r)} (${code(r)})` : code(r);
  });
  return refs.length > max ? `${names.join(', ')} and ${refs.length - max} more` : names.join(', ');
}

/**
 * The card of the entity `ref`, or a short note when the index does not have it: a mistake in a whole
 * catalog (`whole`), otherwise perhaps an entity of another repository, with how to connect the catalog.
 */
export function entityCard(index: CatalogIndex, ref: string, describeUri: (uri: string) => string, whole: boolean): string {
  const p = index.first(ref);
  if (!p && whole) return `${code(ref)} is not in the catalog (neither in this workspace nor in a configured store).`;
  if (!p) {
    return [
      `${code(ref)} is not in the indexed catalog: this workspace does not define it, and no catalog store is connected, so Paved Road cannot tell whether it exists in another repository.`,
      '',
      'To check references against the whole catalog, set `pavedRoad.catalog.snapshot` to a catalog snapshot. If this workspace holds the whole catalog, add `wholeCatalog: true` to `.paved-road/policies.yaml`.',
    ].join('\n');
  }
  const r = p.record;
  // A team or person can have thousands of incoming references: read only the fields each line needs.
  const PEOPLE: Record<string, [string | undefined, string | undefined]> = {
    childOf: ['parent', 'children'],
    parentOf: ['children', 'parent'],
    hasMember: ['members', 'memberOf'],
    memberOf: ['memberOf', 'members'],
  };
  let rels: ReturnType<typeof relationsOf> | undefined;
  const of = (type: string): string[] => {
    const via = PEOPLE[type];
    if (via) return relatedVia(index, ref, via[0], via[1]);
    rels ??= relationsOf(index, ref);
    return rels.filter((x) => x.type === type).map((x) => x.target);
  };
  const lines: string[] = [];
  const title = displayName(p) ?? r.name;
  lines.push(`**${md(capped(title, MAX_TITLE))}** · ${md(r.kind)}${r.type ? ` · ${md(r.type)}` : ''}${r.lifecycle ? ` · ${md(r.lifecycle)}` : ''}`, '', code(ref));
  if (r.description) lines.push('', md(capped(r.description, MAX_DESCRIPTION)));
  if (r.quarantine?.length) {
    lines.push('', '**Degraded**: it failed validation in its source, so counts leave it out.');
    for (const q of r.quarantine.slice(0, 5)) lines.push(`- ${md(q.code)}: ${md(capped(q.message, MAX_MESSAGE))}`);
    if (r.quarantine.length > 5) lines.push(`- and ${r.quarantine.length - 5} more`);
  }
  const facts: string[] = [];
  if (r.kind === 'Group' || r.kind === 'User') {
    if (r.profile?.email) facts.push(`Email: ${md(r.profile.email)}`);
    const chat = annotationLines(p, CHAT);
    if (chat.length) facts.push(`Chat: ${chat.join(', ')}`);
    const oncall = annotationLines(p, ONCALL);
    if (oncall.length) facts.push(`On-call: ${oncall.join(', ')}`);
    if (r.kind === 'Group') {
      const parent = of('childOf');
      if (parent.length) facts.push(`Parent: ${refList(index, parent, 3)}`);
      const children = of('parentOf');
      if (children.length) facts.push(`Teams: ${refList(index, children, 5)}`);
      const members = of('hasMember');
      facts.push(members.length ? `Members (${members.length}): ${refList(index, members, 5)}` : 'Members: none listed');
    } else {
      const groups = of('memberOf');
      if (groups.length) facts.push(`Member of: ${refList(index, groups, 5)}`);
    }
    // Counted by the index as references come and go: a popular team owns thousands.
    const byKind = index.referrerKinds(ref, 'owner');
    if (byKind.size) {
      // Ownership claimed by a CODEOWNERS file rather than the entity's own catalog-info.yaml is said.
      const viaCodeowners = index.referrers(ref, 'owner').filter((x) => x.placement.record.annotations[OWNER_SOURCE_ANNOTATION]).length;
      const through = viaCodeowners ? ` (${viaCodeowners} through CODEOWNERS only)` : '';
      facts.push(`Owns: ${[...byKind].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k, n]) => `${n} ${md(k)}${n === 1 ? '' : 's'}`).join(', ')}${through}`);
    } else facts.push('Owns: nothing in the catalog');
  } else {
    // From the winning definition only: a store's copy that lost to the workspace says nothing.
    const owner = r.refs.filter((o) => o.field === 'owner' && o.target).map((o) => o.target!);
    const ownerSource = r.annotations[OWNER_SOURCE_ANNOTATION];
    if (owner.length) facts.push(`Owner: ${refList(index, owner, 2)}${ownerSource ? ` _(from ${md(capped(ownerSource, MAX_TITLE))}, not its catalog-info.yaml)_` : ''}`);
    const system = r.refs.filter((o) => o.field === 'system' || o.field === 'domain').map((o) => o.target).filter((x): x is string => !!x);
    if (system.length) facts.push(`${r.kind === 'System' ? 'Domain' : 'System'}: ${refList(index, system, 2)}`);
    // Counted up to a bound: on a large catalog a System can have ten thousand dependents (Show Blast Radius lists them).
    const dependents = blastRadius(index, ref, CARD_DEPENDENTS + 1);
    const direct = new Set(directDependents(index, ref).map((d) => d.ref).filter((d) => d !== ref)).size;
    const all = dependents.length > CARD_DEPENDENTS ? `more than ${CARD_DEPENDENTS.toLocaleString('en')}` : String(dependents.length);
    facts.push(`Dependents: ${dependents.length ? `${direct} direct, ${all} in all` : 'none'}`);
  }
  if (facts.length) lines.push('', ...facts.map((f) => `- ${f}`));
  lines.push('', provenanceLine(p, describeUri));
  lines.push(...precedenceLines(index, p));
  return lines.join('\n');
}

/**
 * What else defines the entity. The workspace wins over a store (it is what is being edited): said, not
 * warned. Several definitions in the same kind of source are a duplicate: the first wins.
 */
function precedenceLines(index: CatalogIndex, p: Placement): string[] {
  const defs = index.get(p.record.ref);
  const out: string[] = [];
  const same = defs.filter((d) => d.provenance.kind === p.provenance.kind).length;
  if (same > 1) out.push('', `⚠ defined ${same} times${p.provenance.kind === 'file' ? ' in the workspace' : ' in the stores'}; the first definition is shown`);
  const stores = p.provenance.kind === 'file' ? [...new Set(defs.flatMap((d) => (d.provenance.kind === 'store' ? [d.provenance.label] : [])))] : [];
  if (stores.length) out.push('', `Also in the store ${stores.map(md).join(', ')}; the workspace definition wins (it is the one being edited).`);
  return out;
}
