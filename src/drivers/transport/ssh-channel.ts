import { constants } from 'node:os';
import type { Client, ClientChannel } from 'ssh2';
import { shellQuote } from './shell-quote.js';
import { Readable } from 'node:stream';
import type { ExecOptions, RawResult } from './types.js';

/** Channel opening failed before any command ran, so trying again is safe. */
export class NotOpened extends Error {}

type Open = (cb: (err: Error | undefined, ch: ClientChannel) => void) => void;

/**
 * Opens a channel and hands it to `use` inside ssh2's callback. ssh2 may emit a fast command's
 * `exit` in the same batch of packets as the open confirmation, so listeners attached one
 * microtask later would miss it. Both ways ssh2 reports a failure to open (a throw, a callback
 * error) become NotOpened.
 */
export function withChannel<T>(open: Open, use: (ch: ClientChannel) => Promise<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    try {
      open((err, ch) => (err ? reject(new NotOpened(err.message)) : use(ch).then(resolve, reject)));
    } catch (e) {
      reject(new NotOpened((e as Error).message));
    }
  });
}

/**
 * The command line sent to sshd: /bin/sh runs the command whatever the login shell is, after the
 * session's process id (sshd makes it a process-group leader) goes to stderr as the first line, so
 * a timeout can kill the whole group. sshd itself refuses signal requests for root logins.
 */
function wrapCommand(command: string): string {
  return `echo $$ >&2; exec /bin/sh -c ${shellQuote(command)}`;
}

/**
 * Runs one command on a new exec channel. When `signal` aborts, the channel is closed, `kill` is
 * given the command's process group, and the promise rejects with the signal's reason.
 */
export function runChannel(
  client: Client,
  command: string,
  io: Pick<ExecOptions, 'stdin' | 'stdout'>,
  signal: AbortSignal,
  kill: (pgid: number) => void,
): Promise<RawResult> {
  return withChannel((cb) => client.exec(wrapCommand(command), cb), (ch) => new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let code: number | null = null;
    const onAbort = (): void => {
      const pgid = sessionPid(Buffer.concat(err));
      if (pgid !== undefined) kill(pgid);
      ch.close();
      reject(signal.reason);
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    if (io.stdout) ch.pipe(io.stdout);
    else ch.on('data', (d: Buffer) => out.push(d));
    ch.stderr.on('data', (d: Buffer) => err.push(d));
    ch.on('exit', (status: number | null, signalName?: string) => {
      // ssh2 names the signal SIGxxx; 128 + its number is what a shell reports.
      code = status ?? 128 + (constants.signals[signalName as NodeJS.Signals] ?? 0);
    });
    ch.on('close', () => {
      signal.removeEventListener('abort', onAbort);
      if (signal.aborted) return;
      if (code === null) {
        reject(new Error('the connection to the host was lost before the command finished; whether it ran is unknown'));
        return;
      }
      resolve({ code, stdout: Buffer.concat(out), stderr: withoutPidLine(Buffer.concat(err)) });
    });
    if (io.stdin instanceof Readable) io.stdin.pipe(ch);
    else ch.end(io.stdin);
  }));
}

/** The process id the wrapper printed first on stderr, once its line is complete. */
function sessionPid(stderr: Buffer): number | undefined {
  const line = stderr.subarray(0, stderr.indexOf(10)).toString();
  return stderr.includes(10) && /^\d+$/.test(line) ? Number(line) : undefined;
}

/** Stderr as the command wrote it (a login shell that refused to run the wrapper printed no pid line). */
function withoutPidLine(stderr: Buffer): Buffer {
  return sessionPid(stderr) === undefined ? stderr : stderr.subarray(stderr.indexOf(10) + 1);
}

/** The promise, or a rejection as soon as the signal aborts (the promise itself goes on). */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
