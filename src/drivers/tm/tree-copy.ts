import { PassThrough } from 'node:stream';
import { shellQuote as q } from '../transport/shell-quote.js';
import type { Transport } from '../transport/types.js';

/** A VM directory or disk image may take this long to cross between hosts. */
const FILE_COPY_TIMEOUT_MS = 3_600_000;

/**
 * Copies directory `fromDir` on one host to `toDir` on another (a tar stream through the front-end, never
 * held in its memory whole; tar refuses an archive cut short), or within a host. The copy lands beside
 * `toDir` first and is renamed into place, so a copy interrupted by a crash never looks complete.
 */
export async function copyTree(from: Transport, fromDir: string, to: Transport, toDir: string): Promise<void> {
  const staging = `${toDir}.incoming`;
  const prepare = `rm -rf ${q(staging)} && mkdir -p ${q(staging)}`;
  const commit = `rm -rf ${q(toDir)} && mv ${q(staging)} ${q(toDir)}`;
  if (from === to) {
    await to.run(`${prepare} && cp -a ${q(fromDir)}/. ${q(staging)}/ && ${commit}`);
    return;
  }
  await stream(
    (stdout) => from.run(`tar -C ${q(fromDir)} -cf - .`, { stdout, timeoutMs: FILE_COPY_TIMEOUT_MS }),
    (stdin) => to.run(`${prepare} && tar -C ${q(staging)} -xf - && ${commit}`, { stdin, timeoutMs: FILE_COPY_TIMEOUT_MS }),
  );
}

/**
 * Runs a sending and a receiving command with the sender's output streamed into the receiver's input. A
 * sender that fails ends the stream early (the receiver then finds it cut short); a receiver that fails
 * leaves the sender's bytes to be drained, so that it ends too.
 */
async function stream(send: (out: PassThrough) => Promise<unknown>, receive: (into: PassThrough) => Promise<unknown>): Promise<void> {
  const bytes = new PassThrough();
  const sending = send(bytes);
  const receiving = receive(bytes);
  sending.catch(() => {
    if (!bytes.writableEnded) bytes.end();
  });
  receiving.catch(() => {
    bytes.unpipe();
    bytes.resume();
  });
  await Promise.all([sending, receiving]);
}

/** Whether a directory exists on a host. */
export async function dirExists(t: Transport, dir: string): Promise<boolean> {
  return (await t.exec(`test -d ${q(dir)}`)).code === 0;
}

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
  // the receiver checks it got every byte before the copy lands
  const size = Number((await from.run(`stat -c %s ${q(fromFile)}`)).trim());
  await stream(
    (stdout) => from.run(`cat ${q(fromFile)}`, { stdout, timeoutMs: FILE_COPY_TIMEOUT_MS }),
    (stdin) => to.run(`${mkdir} && cat > ${q(part)} && test "$(stat -c %s ${q(part)})" = ${size} && ${land}`, { stdin, timeoutMs: FILE_COPY_TIMEOUT_MS }),
  );
}
