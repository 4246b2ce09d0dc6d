import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { shellQuote } from './shell-quote.js';
import type { Transport } from './types.js';

/** On the host, beside the pushed files: the digest of the set they came from. */
export const STAMP = '.nimbus-digest';

const run = promisify(execFile);
const synced = new WeakMap<Transport, Map<string, Promise<boolean>>>();

/**
 * Makes `remoteDir` on the host hold exactly the files of `localDir` (the scripts hosts run), as
 * OpenNebula syncs its remotes: pushed only when the digest of the local set differs from the
 * stamp on the host, and checked once per transport unless `force`. The whole directory is
 * replaced, so it must belong to the sync. Resolves true when it pushed.
 */
export function syncRemotes(t: Transport, localDir: string, remoteDir: string, opts: { force?: boolean } = {}): Promise<boolean> {
  const byDir = synced.get(t) ?? new Map<string, Promise<boolean>>();
  synced.set(t, byDir);
  const key = `${localDir}\0${remoteDir}`;
  const known = byDir.get(key);
  if (known && !opts.force) return known.then(() => false);
  const attempt = pushIfChanged(t, localDir, remoteDir);
  byDir.set(key, attempt);
  // A failed sync is not remembered: the next call tries again.
  attempt.catch(() => {
    if (byDir.get(key) === attempt) byDir.delete(key);
  });
  return attempt;
}

/** One digest over the relative paths, executable bits and contents of every file below `dir`, in name order. */
export async function digestDir(dir: string): Promise<string> {
  const hash = createHash('sha256');
  const names = (await readdir(dir, { recursive: true })).sort();
  for (const name of names) {
    const path = join(dir, name);
    const info = await stat(path);
    if (!info.isFile()) continue;
    hash.update(`${name}\0${info.mode & 0o111 ? 'x' : '-'}\0${info.size}\0`);
    hash.update(await readFile(path));
  }
  return hash.digest('hex');
}

async function pushIfChanged(t: Transport, localDir: string, remoteDir: string): Promise<boolean> {
  const digest = await digestDir(localDir).catch((e: Error) => {
    throw new Error(`cannot read the remotes directory ${localDir} to push to host ${t.host}: ${e.message}`);
  });
  const dir = shellQuote(remoteDir);
  const current = await t.exec(`cat ${dir}/${STAMP} 2>/dev/null`);
  if (current.stdout.trim() === digest) return false;
  // -h: archive what symlinks point to, as the digest did.
  const { stdout: archive } = await run('tar', ['-c', '-h', '-f', '-', '-C', localDir, '.'], { encoding: 'buffer', maxBuffer: 1 << 30 });
  // Unpacked aside and swapped in, so a host never runs a half-updated set.
  await t.run([
    'set -e',
    `new=${dir}.new.$$`,
    'rm -rf "$new"',
    'mkdir -p "$new"',
    'tar -x -o -f - -C "$new"',
    `printf '%s\\n' ${digest} > "$new/${STAMP}"`,
    `rm -rf ${dir}.old`,
    `if [ -e ${dir} ]; then mv ${dir} ${dir}.old; fi`,
    `mv "$new" ${dir}`,
    `rm -rf ${dir}.old`,
  ].join('\n'), { stdin: archive });
  return true;
}
