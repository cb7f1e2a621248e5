/**
 * A service's record of how it was made, `.paved-road/answers.yaml` (template, version, origin, answers,
 * the rendered files' hashes, and its additions), and its audit trail `.paved-road/audit.jsonl` (one JSON
 * line per scaffold, addition and update).
 */
import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Document, parse } from 'yaml';
import { writeFileAtomicSync } from '../sources/atomicFile';
import { ScaffoldError, type AnswersRecord, type AuditEntry } from './types';

export const ANSWERS_FILE = '.paved-road/answers.yaml';
export const AUDIT_FILE = '.paved-road/audit.jsonl';
const HEADER = ' Written by Paved Road: change answers with "Paved Road: Update from Template", not by hand.';

/** The hash recorded for a rendered file: `sha256-<hex>` of its bytes (base64 content decoded). */
export function fileHash(content: string, encoding?: 'base64'): string {
  return `sha256-${createHash('sha256').update(encoding === 'base64' ? Buffer.from(content, 'base64') : Buffer.from(content, 'utf8')).digest('hex')}`;
}

/** The answers.yaml text of a record. */
export function answersText(rec: AnswersRecord): string {
  const doc = new Document(rec);
  // On the mapping, not the document: the header then sits right above `template:`.
  if (doc.contents) doc.contents.commentBefore = HEADER;
  return doc.toString({ lineWidth: 0 });
}

/** The record of a service folder; undefined when it has none; a ScaffoldError when it cannot be read. */
export function readAnswers(dir: string): AnswersRecord | undefined {
  const file = join(dir, ANSWERS_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ScaffoldError(`${file}: cannot be read (${(e as Error).message})`);
  }
  let rec: Partial<AnswersRecord>;
  try {
    rec = parse(text) as Partial<AnswersRecord>;
  } catch (e) {
    throw new ScaffoldError(`${file}: not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  const isMap = (v: unknown): boolean => !!v && typeof v === 'object' && !Array.isArray(v);
  if (!isMap(rec) || typeof rec.template !== 'string' || typeof rec.version !== 'string' || !isMap(rec.answers) || !isMap(rec.files)) {
    throw new ScaffoldError(`${file}: needs template, version, answers and files`);
  }
  return { origin: 'bundled', ...rec, additions: Array.isArray(rec.additions) ? rec.additions : undefined } as AnswersRecord;
}

/** Writes the record (whole or not at all: a temporary file renamed over it). */
export function writeAnswers(dir: string, rec: AnswersRecord): void {
  const clean: AnswersRecord = { template: rec.template, version: rec.version, origin: rec.origin, answers: rec.answers, files: rec.files };
  if (rec.additions?.length) clean.additions = rec.additions;
  writeFileAtomicSync(join(dir, ANSWERS_FILE), answersText(clean));
}

/** Appends one line to the audit trail. */
export function appendAudit(dir: string, entry: AuditEntry): void {
  const file = join(dir, AUDIT_FILE);
  mkdirSync(dirname(file), { recursive: true });
  const line: AuditEntry = { at: entry.at, who: entry.who, role: entry.role, audited: entry.audited, action: entry.action, template: entry.template, version: entry.version, answers: entry.answers, files: entry.files };
  appendFileSync(file, `${JSON.stringify(line)}\n`);
}
