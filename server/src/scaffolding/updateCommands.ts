/**
 * The CLI's template-update commands, over the same engine as the editor (update.ts):
 *   paved-road update DIR [--to VERSION] [--values FILE] [--user EMAIL]
 *   paved-road drift [PATH...] [--format text|json]
 * The catalog, templates and identity come as for scaffold (cliCommands.ts).
 */
import { relative, resolve } from 'node:path';
import { CatalogIndex } from '../catalog/catalogIndex';
import { DEFAULT_POLICIES } from '../catalog/policies';
import { cliContext, cliTemplateRoots, CliUsageError, parseCliOptions, projectRoot, readValues } from './cliCommands';
import { loadTemplates } from './templates';
import { applyUpdate, drift, findServices, planUpdate, type FileDrift, type UpdateFile } from './update';

const shown = (p: string): string => relative(process.cwd(), p) || '.';
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** `update DIR`: 0 updated cleanly (or already up to date), 1 conflicts left, new parameters to answer, or refused. */
export async function mainUpdate(argv: string[], out: (s: string) => void, warn: (s: string) => void): Promise<number> {
  // --to is this command's own; the others are every golden-path command's.
  let to: string | undefined;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--to' || argv[i].startsWith('--to=')) {
      to = argv[i].includes('=') ? argv[i].slice(argv[i].indexOf('=') + 1) : argv[++i];
      if (!to) throw new CliUsageError('--to needs a value: the version to update to');
    } else rest.push(argv[i]);
  }
  const o = parseCliOptions(rest);
  const [dirArg, ...extra] = o.positional;
  if (!dirArg) throw new CliUsageError('missing DIR: the service folder to update (it has .paved-road/answers.yaml)');
  if (extra.length) throw new CliUsageError(`unexpected argument '${extra[0]}'`);
  const dir = resolve(dirArg);
  const values = o.values ? readValues(o.values) : {};
  const ctx = await cliContext(dir, o, warn);
  const plan = planUpdate(ctx, dir, to ?? o.version, values);
  const what = `${plan.template} ${plan.from} → ${plan.to}`;
  if (plan.missing.length) {
    warn(`nothing written: ${what} asks for ${plan.missing.length === 1 ? 'a new parameter' : 'new parameters'}; answer ${plan.missing.length === 1 ? 'it' : 'them'} in a --values file (YAML or JSON) and run again:`);
    for (const p of plan.missing) warn(`  ${p.name}${p.title && p.title !== p.name ? ` (${p.title})` : ''}${p.description ? `: ${p.description}` : ''}${p.enum ? ` One of: ${p.enum.join(', ')}.` : ''}`);
    return 1;
  }
  if (plan.violations.length) {
    warn(`nothing written: ${plural(plan.violations.length, 'problem')} to fix first:`);
    for (const x of plan.violations) warn(`  ${x.rule}: ${x.message}`);
    return 1;
  }
  // The same version again re-renders with the answers given (--values): that is how answers change.
  if (plan.from === plan.to && !o.values && !plan.files.some((f) => f.content !== undefined)) {
    out(`${shown(dir)}: already at ${plan.template} ${plan.to}; nothing to update`);
    return 0;
  }
  const result = applyUpdate(ctx, plan);
  out(`updated ${shown(dir)}: ${what}, ${plural(result.written.length, 'file')} written`);
  for (const c of plan.changes) if (c.text) out(`  ${c.version}: ${c.text}`);
  for (const f of plan.files) if (f.state !== 'unchanged') out(`  ${describeFile(f)}`);
  if (plan.dropped.length) out(`  no longer asked, answers dropped: ${plan.dropped.join(', ')}`);
  if (result.conflicts.length) {
    warn(`${plural(result.conflicts.length, 'file')} left with conflicts: resolve the <<<<<<< markers (VS Code's merge editor opens them), then commit:`);
    for (const f of plan.files) if (f.state === 'conflict') warn(`  ${f.path}${f.binary ? ' (binary: yours kept, the template changed it too)' : ''}`);
    return 1;
  }
  return 0;
}

function describeFile(f: UpdateFile): string {
  switch (f.state) {
    case 'clean':
      return `merged     ${f.path}`;
    case 'conflict':
      return f.binary ? `conflict   ${f.path} (binary: yours kept)` : `conflict   ${f.path} (${plural(f.conflicts ?? 1, 'conflict')})`;
    case 'added':
      return `added      ${f.path}`;
    case 'removed-by-template':
      return `kept       ${f.path} (the template no longer has it: delete it if you do not need it)`;
    case 'deleted-by-you':
      return `not added  ${f.path} (you deleted it; the template still has it)`;
    default:
      return `unchanged  ${f.path}`;
  }
}

/** `drift [PATH...]`: the services under the paths (default: the repository) made from an older template version. Exit 0. */
export async function mainDrift(argv: string[], out: (s: string) => void, warn: (s: string) => void): Promise<number> {
  const o = parseCliOptions(argv);
  const root = projectRoot(process.cwd());
  const paths = o.positional.length ? o.positional.map((p) => resolve(p)) : [root];
  const { templates, problems } = loadTemplates(cliTemplateRoots(root, o.templates));
  for (const p of problems) warn(p);
  // Drift reads only the templates: no catalog, no identity.
  const drifted = drift({ catalog: new CatalogIndex(), policies: DEFAULT_POLICIES, templates }, paths);
  if (o.format === 'json') {
    for (const d of drifted) out(JSON.stringify({ ...d, dir: shown(d.dir) }));
    return 0;
  }
  const counts = (f: FileDrift): string => [f.added ? `+${f.added}` : '', f.removed ? `−${f.removed}` : ''].filter(Boolean).join(' ');
  for (const d of drifted) {
    if (d.problem) {
      warn(`${shown(d.dir)}: ${d.template ? `${d.template} ${d.version}: ` : ''}${d.problem}`);
      continue;
    }
    out(`${shown(d.dir)}: ${d.template} ${d.version} → ${d.latest}`);
    for (const c of d.changes) if (c.text) out(`  ${c.version}: ${c.text}`);
    for (const f of d.files) out(`  ${f.state.padEnd(8)} ${f.path} (${counts(f) || 'line ends'})`);
    if (d.missing.length) out(`  asks for: ${d.missing.join(', ')} (give them with update --values FILE)`);
  }
  const services = findServices(paths).length;
  const behind = drifted.filter((d) => !d.problem).length;
  out(behind ? `${plural(behind, 'service')} of ${services} behind ${behind === 1 ? 'its template' : 'their templates'}: paved-road update DIR` : `no service behind its template (${plural(services, 'service')} made from templates)`);
  return 0;
}
