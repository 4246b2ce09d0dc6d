import { shellQuote as q } from '../transport/shell-quote.js';
import type { Transport } from '../transport/types.js';

/**
 * Copies directory `fromDir` on one host to `toDir` on another (a tar stream through the front-end), or
 * within a host. The copy lands beside `toDir` first and is renamed into place, so a copy interrupted by
 * a crash never looks complete.
 */
export async function copyTree(from: Transport, fromDir: string, to: Transport, toDir: string): Promise<void> {
  const staging = `${toDir}.incoming`;
  const prepare = `rm -rf ${q(staging)} && mkdir -p ${q(staging)}`;
  const commit = `rm -rf ${q(toDir)} && mv ${q(staging)} ${q(toDir)}`;
  if (from === to) {
    await to.run(`${prepare} && cp -a ${q(fromDir)}/. ${q(staging)}/ && ${commit}`);
    return;
  }
  const tar = await from.capture(`tar -C ${q(fromDir)} -cf - .`);
  await to.run(`${prepare} && tar -C ${q(staging)} -xf - && ${commit}`, { stdin: tar, timeoutMs: 600_000 });
}

/** Whether a directory exists on a host. */
export async function dirExists(t: Transport, dir: string): Promise<boolean> {
  return (await t.exec(`test -d ${q(dir)}`)).code === 0;
}
