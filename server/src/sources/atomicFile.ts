/**
 * Writes that never leave a half-written file behind: the text goes to a temporary file in the same
 * folder, is flushed to the disk, and is renamed over the target (a rename within one file system is
 * atomic). A crash before the rename leaves the old file whole and a temporary file nobody reads.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, promises as fs, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** The prefix of temporary files: readers never look at them, and a later write clears stale ones. */
const TEMP_PREFIX = '.tmp-';

/** A temporary file's name beside `path`, unique to this write. */
export function tempBeside(path: string): string {
  return join(dirname(path), `${TEMP_PREFIX}${basename(path)}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`);
}

export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const dir = dirname(path);
  await fs.mkdir(dir, { recursive: true });
  const temp = tempBeside(path);
  const handle = await fs.open(temp, 'w');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(temp, path);
  } catch (e) {
    await fs.rm(temp, { force: true });
    throw e;
  }
  await removeStaleTemps(dir, basename(path), temp);
}

/** The same, synchronously (the scaffolding engine's writes), for text or bytes. */
export function writeFileAtomicSync(path: string, data: string | Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = tempBeside(path);
  try {
    const fd = openSync(temp, 'w');
    try {
      writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
}

/** Leftovers of writes that crashed before their rename (older than a minute, so not a write under way). */
async function removeStaleTemps(dir: string, name: string, keep: string): Promise<void> {
  let entries: string[];
  try {
    entries = await fs.readdir(dir);
  } catch {
    return;
  }
  const cutoff = Date.now() - 60_000;
  for (const e of entries) {
    if (!e.startsWith(`${TEMP_PREFIX}${name}.`) || join(dir, e) === keep) continue;
    const p = join(dir, e);
    const st = await fs.stat(p).catch(() => undefined);
    if (st && st.mtimeMs < cutoff) await fs.rm(p, { force: true }).catch(() => undefined);
  }
}

/** Reads a JSON file; undefined when it is missing or not valid JSON (a cache that cannot be used). */
export async function readJsonFile(path: string): Promise<unknown> {
  try {
    return JSON.parse(await fs.readFile(path, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}
