/**
 * The `paved-road` command line: the editor's engine as a CI gate.
 *   paved-road validate [--format text|json|github] PATH...
 *   paved-road ingest --from SOURCE... --out FILE
 *   paved-road templates | scaffold | add   (golden paths: scaffolding/cliCommands.ts)
 *   paved-road update | drift               (template updates: scaffolding/updateCommands.ts)
 * Exit 0 when no errors, 1 when any error (validate), a source that cannot be read (ingest), or a
 * refused write (scaffold, add: policy violations, a file that differs), 2 on usage errors.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { checkCatalog, type CatalogFile } from './catalog/catalogCheck';
import { isCatalogFile, isCatalogFileName, isYamlFileName, SKIPPED_FOLDERS } from './catalog/files';
import { lineIndex } from './catalog/lines';
import { findPoliciesFile, loadPoliciesFile, type Policies } from './catalog/policies';
import { mainQuery, QueryUsageError } from './compliance/queryCommand';
import { CliUsageError, mainTemplates, mainWrite, parseCliOptions } from './scaffolding/cliCommands';
import { ScaffoldError } from './scaffolding/types';
import { mainScorecard, ScorecardUsageError } from './scorecards/scorecardCommand';
import { mainDrift, mainUpdate } from './scaffolding/updateCommands';
import { describeSummary, ingest, safeSpec, SourceReadError, sourceOfSpec, type LiveSourceOptions } from './sources/ingest';

const USAGE = `usage: paved-road validate [--format text|json|github] [--whole-catalog] PATH...
       paved-road ingest --from SOURCE [--from SOURCE...] --out FILE [--github-url URL] [--token-env VAR]
       paved-road templates [--format text|json] [--templates DIR...]
       paved-road scaffold TEMPLATE --values FILE --out DIR [--version V] [--user EMAIL] [--catalog PATH...] [--templates DIR...]
       paved-road add TEMPLATE --values FILE DIR [--version V] [--user EMAIL] [--catalog PATH...] [--templates DIR...]
       paved-road update DIR [--to VERSION] [--values FILE] [--user EMAIL] [--catalog PATH...] [--templates DIR...]
       paved-road drift [PATH...] [--format text|json] [--templates DIR...]
       paved-road scorecard [--format text|json|markdown] [--min-level LEVEL] [--scorecard FILE...] PATH...
       paved-road query EXPRESSION [--format text|json|csv] [--scorecard FILE...] [PATH...]

Validates Backstage catalog files (catalog-info.yaml, *.catalog-info.yaml, and any YAML file
whose documents declare a backstage.io apiVersion) exactly as the catalog would, plus the
organisation's policies from the nearest .paved-road/policies.yaml.

  --format text   file:line:col severity code message, then a summary (default)
  --format json   one JSON object per document
  --format github GitHub Actions annotations (shown on the pull request's lines), then the summary
  --whole-catalog the files given are the whole catalog: a reference found nowhere is a warning
                  (also wholeCatalog: true in .paved-road/policies.yaml); otherwise only a near
                  miss is, since the target may be defined in another repository

ingest writes a catalog snapshot (docs/store.md) for pavedRoad.catalog.sources, from each SOURCE:
  folder:PATH          a folder of catalog files (a checked-out catalog repository)
  snapshot:PATH|URL    a snapshot file or URL: ours, or Backstage's GET /api/catalog/entities
  backstage:URL        a Backstage catalog API at its base URL (entities/by-query, page by page)
  github:ORG           every repository's catalog-info.yaml in a GitHub organisation (GraphQL),
                       owners from CODEOWNERS where an entity names none; archived repositories
                       and forks skipped unless --include-archived, --include-forks
    --github-url URL   the GraphQL endpoint of a GitHub Enterprise Server (https://HOST/api/graphql)
    --token-env VAR    the environment variable holding the token of the live sources (GitHub:
                       default GITHUB_TOKEN; Backstage: its static token, none when absent)
Every entity is checked as the editor checks it; one that fails is kept, quarantined, with its
problems. The same entity in two sources: the first source wins. FILE is written atomically.

templates lists the golden-path templates (id, versions newest first, type, title; json: one object
a line): the repository's .paved-road/templates, each --templates DIR, then the bundled ones.
scaffold makes a new service in a folder under DIR (named by the template, usually the name);
add applies an addition (a database, ...) to the service folder DIR. Both read the answers from FILE
(YAML or JSON), check the policy first (.paved-road/policies.yaml: naming, roles; the catalog), and
write nothing when anything is wrong: each problem is printed on a line with what to change. They
never overwrite: a file that exists and differs stops the run, named. See docs/scaffolding.md.
  --values FILE     the answers, by parameter name
  --version V       a version of the template (default: the latest)
  --user EMAIL      who you are, matched to a User of the catalog (default: PAVED_ROAD_USER, then
                    git config user.email)
  --catalog PATH    a folder of catalog files or a snapshot file the policy reads (repeatable;
                    default: the repository root, the nearest folder up with .git, or with
                    .paved-road/policies.yaml or .paved-road/templates)
  --templates DIR   a folder of templates (<id>/<version>/template.yaml), after the repository's own

update brings the service folder DIR (made from a template: .paved-road/answers.yaml) to a newer
version of its template (--to VERSION, default the latest) by a three-way merge of each file: the
recorded version with the recorded answers (base), the new version (theirs), the folder as it is
(yours). Clean merges and new files are written; where both changed the same lines, the file gets
conflict markers (<<<<<<< yours, ||||||| template OLD, =======, >>>>>>> template NEW) and the run
exits 1 naming it. Files the template removed are kept, files you deleted are not recreated; both
are listed. New parameters without a default are asked for: give them with --values FILE. The
answers file is rewritten last, only when every file was written.
drift lists the services under each PATH (default: the repository) made from an older template
version, with the changes of the newer versions and each file's added and removed lines (json:
one object a line); exit 0.

scorecard scores each entity of PATH (folders of catalog files, catalog files, snapshot files) with
the built-in golden path and the repository's .paved-road/scorecards/*.yaml (only the --scorecard
files when given) on the working copy: its level, score and failing rules (docs/scorecards.md).
  --format markdown a pull-request comment; json: one object per entity and scorecard
  --min-level L     exit 1 when an entity is below level L (a quarantined one counts as below)

query answers a compliance question over the catalog of PATH (folders of catalog files, catalog files,
snapshot files; default the current folder), as a table (json: {title, columns, rows, refs}):
  teams-without-oncall          Groups that are teams (or own something) with no on-call annotation
  production-without-techdocs   production services (Component, type service) without TechDocs
  depends-on:REF                what depends on REF, transitively (e.g. depends-on:component:payments)
  below-level:LEVEL             entities below a scorecard level, with what still fails for it
  coverage                      per team, the share of production services with a complete, valid entry
  security-posture              production services failing a security rule of the scorecards
  FILTER                        Backstage's filter syntax: kind=component,spec.lifecycle=production
                                (',' AND; '&' or ';' between filter sets: OR; a key alone: it exists)
Scores use the built-in scorecards, the repository's .paved-road/scorecards and each --scorecard FILE.

Exit status: 0 no errors (ingest: written, quarantined entities included), 1 errors found (ingest:
a source cannot be read, or FILE cannot be written; scaffold, add: nothing written; update: conflicts
left, parameters to answer, or nothing written), 2 usage error.`;

class UsageError extends Error {}

/** A problem as a GitHub Actions workflow command, which the pull request shows on the line (1-based positions). */
function annotation(file: string, p: { severity: string; code: string; message: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } }): string {
  // The runner's escapes: '%', CR and LF everywhere, and also ':' and ',' in the properties.
  const data = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const prop = (s: string): string => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  const level = p.severity === 'error' ? 'error' : p.severity === 'warning' ? 'warning' : 'notice';
  const { start, end } = p.range;
  return `::${level} file=${prop(file)},line=${start.line + 1},col=${start.character + 1},endLine=${end.line + 1},endColumn=${Math.max(end.character, 1)},title=${prop(`paved-road ${p.code}`)}::${data(p.message)}`;
}

interface Args {
  format: 'text' | 'json' | 'github';
  wholeCatalog: boolean;
  paths: string[];
}

function parseArgs(argv: string[]): Args {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (command !== 'validate') throw new UsageError(command ? `unknown command '${command}'` : 'missing command');
  let format: Args['format'] = 'text';
  let wholeCatalog = false;
  const paths: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === '--format' || a.startsWith('--format=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : rest[++i];
      if (v !== 'text' && v !== 'json' && v !== 'github') throw new UsageError(`--format must be text, json or github, not '${v ?? ''}'`);
      format = v;
    } else if (a === '--whole-catalog') {
      wholeCatalog = true;
    } else if (a === '--') {
      paths.push(...rest.slice(i + 1));
      break;
    } else if (a.startsWith('-')) {
      throw new UsageError(`unknown option '${a}'`);
    } else paths.push(a);
  }
  if (!paths.length) throw new UsageError('missing PATH: name the files or folders to validate');
  for (const p of paths) {
    try {
      statSync(p);
    } catch {
      throw new UsageError(`no such file or folder: ${p}`);
    }
  }
  return { format, wholeCatalog, paths };
}

/** Catalog files under the given paths: files named explicitly are always checked. */
function collectFiles(paths: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) walk(p);
      } else if (entry.isFile() && (isCatalogFileName(p) || isYamlFileName(p))) out.push(p);
    }
  };
  for (const p of paths) {
    if (statSync(p).isDirectory()) walk(p);
    else out.push(p);
  }
  return out;
}

function main(argv: string[]): number {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`paved-road: ${e.message}\n\n${USAGE}\n`);
    return 2;
  }
  const explicit = new Set(args.paths.filter((p) => statSync(p).isFile()).map((p) => resolve(p)));
  const policyCache = new Map<string, Policies>();
  const policiesFiles = new Map<string, string | undefined>();
  const policiesFor = (file: string): Policies => {
    const pf = findPoliciesFile(dirname(resolve(file)), policiesFiles) ?? '';
    let p = policyCache.get(pf);
    if (!p) {
      const r = loadPoliciesFile(pf || undefined);
      for (const issue of r.issues) process.stderr.write(`paved-road: warning: ${issue}\n`);
      p = r.policies;
      policyCache.set(pf, p);
    }
    return p;
  };
  let errors = 0;
  let warnings = 0;
  let files = 0;
  let entities = 0;
  const out: string[] = [];
  // The files, in order; the engine's two passes (each file's own verdict and its entities into one index,
  // then the cross-catalog checks) follow, then the report.
  const inputs: (CatalogFile & { abs: string })[] = [];
  for (const file of collectFiles(args.paths)) {
    const abs = resolve(file);
    let text: string;
    try {
      text = readFileSync(abs, 'utf8');
    } catch (e) {
      process.stderr.write(`paved-road: cannot read ${file}: ${(e as Error).message}\n`);
      errors++;
      continue;
    }
    if (!explicit.has(abs) && !isCatalogFile(abs, text)) continue;
    inputs.push({ abs, uri: pathToFileURL(abs).toString(), path: abs, text, policies: policiesFor(abs) });
  }
  const describeUri = (uri: string): string => relative(process.cwd(), fileURLToPath(uri));
  for (const { file, analysis, cross } of checkCatalog(inputs, { describeUri, knownWhole: args.wholeCatalog })) {
    const { abs, text } = file;
    files++;
    const pos = lineIndex(text);
    const shown = relative(process.cwd(), abs) || abs;
    for (const d of analysis.documents) {
      if (d.empty) continue;
      if (d.entity) entities++;
      const mine = cross.filter((p) => p.start >= d.start && p.start < Math.max(d.end, d.start + 1));
      const all = [...d.problems, ...mine].sort((a, b) => a.start - b.start);
      const problems = all.map((p) => ({ ...p, range: { start: pos(p.start), end: pos(p.end) } }));
      for (const p of problems) p.severity === 'error' ? errors++ : warnings++;
      const valid = !problems.some((p) => p.severity === 'error');
      if (args.format === 'json') {
        out.push(
          JSON.stringify({
            file: shown,
            docIndex: d.docIndex,
            kind: d.entity?.kind ?? null,
            namespace: d.entity?.namespace ?? null,
            name: d.entity?.name ?? null,
            ref: d.entity?.ref ?? null,
            valid,
            errors: problems.map((p) => ({ code: p.code, message: p.message, severity: p.severity, range: p.range })),
          }),
        );
      } else if (args.format === 'github') {
        for (const p of problems) out.push(annotation(shown, p));
      } else {
        for (const p of problems) out.push(`${shown}:${p.range.start.line + 1}:${p.range.start.character + 1} ${p.severity} ${p.code} ${p.message}`);
      }
    }
  }
  if (args.format !== 'json') {
    const count = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
    out.push(`${count(files, 'file')}, ${count(entities, 'entity', 'entities')}: ${count(errors, 'error')}, ${count(warnings, 'warning')}`);
  }
  process.stdout.write(out.length ? `${out.join('\n')}\n` : '');
  return errors > 0 ? 1 : 0;
}

/** `ingest --from SOURCE... --out FILE`: 0 written, 1 a source or the output failed (one line, no stack), 2 usage. */
async function mainIngest(argv: string[]): Promise<number> {
  const from: string[] = [];
  let out: string | undefined;
  const live: LiveSourceOptions = {};
  try {
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i];
      const value = (): string => {
        const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
        if (!v) throw new UsageError(`${a} needs a value`);
        return v;
      };
      if (a === '--from' || a.startsWith('--from=')) from.push(value());
      else if (a === '--out' || a.startsWith('--out=')) out = value();
      else if (a === '--github-url' || a.startsWith('--github-url=')) live.githubUrl = value();
      else if (a === '--token-env' || a.startsWith('--token-env=')) live.tokenEnv = value();
      else if (a === '--include-archived') live.includeArchived = true;
      else if (a === '--include-forks') live.includeForks = true;
      else throw new UsageError(`unknown argument '${a}'`);
    }
    if (!from.length) throw new UsageError('missing --from SOURCE');
    if (!out) throw new UsageError('missing --out FILE');
    for (const f of from) {
      try {
        sourceOfSpec(f, live);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
    }
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`paved-road: ${e.message}\n\n${USAGE}\n`);
    return 2;
  }
  // A Backstage token named on the command line must be there (GitHub's source says so itself).
  const backstage = from.find((f) => f.startsWith('backstage:'));
  if (backstage && live.tokenEnv && !process.env[live.tokenEnv]) {
    process.stderr.write(`paved-road: ${safeSpec(backstage)} needs a token: the environment variable ${live.tokenEnv} is not set or empty\n`);
    return 1;
  }
  try {
    const summary = await ingest(from, resolve(out), (line) => process.stderr.write(`paved-road: warning: ${line}\n`), live);
    process.stdout.write(`${describeSummary(summary, out).join('\n')}\n`);
    return 0;
  } catch (e) {
    let line = (e as Error).message.split('\n')[0];
    if (e instanceof SourceReadError && e.nextStep === 'signIn' && e.spec.startsWith('backstage:')) {
      line += live.tokenEnv ? ` (the token in ${live.tokenEnv} was refused)` : ' (give its token with --token-env VAR)';
    }
    process.stderr.write(`paved-road: ${line}\n`);
    return 1;
  }
}

/** `scorecard`: 0 scored (all at --min-level or above), 1 an entity below it, 2 usage. */
async function mainScorecardCommand(argv: string[]): Promise<number> {
  try {
    return await mainScorecard(argv, (text) => process.stdout.write(text), (line) => process.stderr.write(`paved-road: warning: ${line}\n`));
  } catch (e) {
    if (!(e instanceof ScorecardUsageError)) throw e;
    process.stderr.write(`paved-road: ${e.message}\n\n${USAGE}\n`);
    return 2;
  }
}

/** `query`: 0 answered, 2 usage or an expression that cannot be answered. */
async function mainQueryCommand(argv: string[]): Promise<number> {
  try {
    return await mainQuery(argv, (text) => process.stdout.write(text), (line) => process.stderr.write(`paved-road: warning: ${line}\n`));
  } catch (e) {
    if (!(e instanceof QueryUsageError)) throw e;
    process.stderr.write(`paved-road: ${e.message}\n\n${USAGE}\n`);
    return 2;
  }
}

/** `templates`, `scaffold`, `add`, `update`, `drift`: 0 done, 1 refused or failed (one line each, no stack), 2 usage. */
async function mainScaffolding(command: 'templates' | 'scaffold' | 'add' | 'update' | 'drift', argv: string[]): Promise<number> {
  const out = (line: string): boolean => process.stdout.write(`${line}\n`);
  const warn = (line: string): boolean => process.stderr.write(`paved-road: ${line}\n`);
  try {
    if (command === 'update') return await mainUpdate(argv, out, warn);
    if (command === 'drift') return await mainDrift(argv, out, warn);
    const o = parseCliOptions(argv);
    return command === 'templates' ? await mainTemplates(o, out, warn) : await mainWrite(command, o, out, warn);
  } catch (e) {
    if (e instanceof CliUsageError) {
      process.stderr.write(`paved-road: ${e.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (e instanceof ScaffoldError) {
      warn(e.message);
      return 1;
    }
    throw e;
  }
}

const argv = process.argv.slice(2);
// A reader that stops early (`| head`) closes the pipe: stop quietly, as other command-line tools do.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});
// `paved-road COMMAND --help` is help too, not an unknown option.
if (argv.slice(1).some((a) => a === '--help' || a === '-h')) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (argv[0] === 'ingest') void mainIngest(argv.slice(1)).then((code) => (process.exitCode = code));
else if (argv[0] === 'scorecard') void mainScorecardCommand(argv.slice(1)).then((code) => (process.exitCode = code));
else if (argv[0] === 'query') void mainQueryCommand(argv.slice(1)).then((code) => (process.exitCode = code));
else if (argv[0] === 'templates' || argv[0] === 'scaffold' || argv[0] === 'add' || argv[0] === 'update' || argv[0] === 'drift') void mainScaffolding(argv[0], argv.slice(1)).then((code) => (process.exitCode = code));
else process.exitCode = main(argv);
