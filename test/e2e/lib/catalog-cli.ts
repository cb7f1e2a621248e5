// Ground truth for the scenarios: the product's own CLI (dist/cli.js), which runs the same engine as
// the language server. `validate --format json` prints one JSON line per YAML document.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface Position {
  line: number; // 0-based
  character: number; // 0-based
}

export interface CliError {
  code: string;
  message: string;
  severity: string;
  range: { start: Position; end: Position };
}

export interface CliDocument {
  file: string;
  docIndex: number;
  kind: string;
  namespace: string;
  name: string;
  ref: string;
  valid: boolean;
  errors: CliError[];
}

/**
 * The CLI's verdict on the documents of `file`. With `workspace`, the CLI checks the whole folder, so
 * references between files are judged as the editor judges them (it indexes the whole workspace).
 */
export function validateWithCli(root: string, file: string, workspace?: string): CliDocument[] {
  // E2E_CLI points at another CLI (only for working on the harness itself).
  const cli = process.env.E2E_CLI || join(root, 'dist', 'cli.js');
  if (!existsSync(cli)) throw new Error(`${cli} is missing (the build did not produce the CLI)`);
  const r = spawnSync(process.execPath, [cli, 'validate', '--format', 'json', workspace ?? file], {
    encoding: 'utf8',
    timeout: 30_000,
    cwd: workspace,
  });
  if (r.error) throw r.error;
  const docs: CliDocument[] = [];
  for (const line of r.stdout.split('\n')) {
    const t = line.trim();
    if (!t.startsWith('{')) continue;
    const doc = JSON.parse(t) as CliDocument;
    if (!workspace || resolve(workspace, doc.file) === resolve(file)) docs.push(doc);
  }
  if (docs.length === 0) {
    throw new Error(`the CLI printed no JSON for ${file} (exit ${r.status}): ${r.stdout}${r.stderr}`.trim());
  }
  return docs;
}

/** Title-case severity as the Problems panel's aria-label spells it ("Error: …"). */
export function severityLabel(severity: string): string {
  switch (severity.toLowerCase()) {
    case 'error':
      return 'Error';
    case 'warning':
      return 'Warning';
    case 'information':
    case 'info':
      return 'Info';
    case 'hint':
      return 'Hint';
    default:
      return severity;
  }
}
