import { PassThrough } from 'node:stream';
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

/** A disk image may take this long to cross between hosts. */
const FILE_COPY_TIMEOUT_MS = 3_600_000;

/**
 * Copies one file between hosts (or within one), landing as `toFile.part` and renamed into place only when
 * it has all the bytes, so a copy cut short never looks complete. Between hosts the bytes stream through the
 * front-end (never held in its memory whole).
 */
export async function copyFile(from: Transport, fromFile: string, to: Transport, toFile: string): Promise<void> {
  const part = `${toFile}.part`;
  const mkdir = `mkdir -p "$(dirname ${q(toFile)})"`;
  const land = `mv -f ${q(part)} ${q(toFile)}`;
  if (from === to) {
    await to.run(`${mkdir} && cp --sparse=always ${q(fromFile)} ${q(part)} && ${land}`, { timeoutMs: FILE_COPY_TIMEOUT_MS });
    return;
  }
  const size = Number((await from.run(`stat -c %s ${q(fromFile)}`)).trim());
  const bytes = new PassThrough();
  const sending = from.run(`cat ${q(fromFile)}`, { stdout: bytes, timeoutMs: FILE_COPY_TIMEOUT_MS });
  const receiving = to.run(
    `${mkdir} && cat > ${q(part)} && test "$(stat -c %s ${q(part)})" = ${size} && ${land}`,
    { stdin: bytes, timeoutMs: FILE_COPY_TIMEOUT_MS },
  );
  // A sender that fails ends the stream early (the receiver then finds too few bytes); a receiver that fails
  // leaves the sender's bytes to be drained, so that it ends too.
  sending.catch(() => {
    if (!bytes.writableEnded) bytes.end();
  });
  receiving.catch(() => {
    bytes.unpipe();
    bytes.resume();
  });
  await Promise.all([sending, receiving]);
}
