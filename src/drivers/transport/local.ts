import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { constants } from 'node:os';
import { dirname } from 'node:path';
import { Readable, type Duplex } from 'node:stream';
import { CommandTransport } from './command-transport.js';
import { TransportError, type ExecOptions, type RawResult } from './types.js';

export interface LocalOptions {
  /** The name the host has in the pool, for error messages. */
  host?: string;
  /** Timeout of an exec that gives none. */
  execTimeoutMs?: number;
}

/** Runs commands on the front-end itself: a host named localhost, or one whose TEMPLATE says TRANSPORT = "local". */
export class LocalTransport extends CommandTransport {
  readonly host: string;

  constructor(private readonly opts: LocalOptions = {}) {
    super();
    this.host = opts.host ?? 'localhost';
  }

  protected execRaw(command: string, opts: ExecOptions = {}): Promise<RawResult> {
    const timeoutMs = opts.timeoutMs ?? this.opts.execTimeoutMs;
    return new Promise((resolve, reject) => {
      // Its own process group, so a timeout kills whatever the command started too.
      const child = spawn('/bin/sh', ['-c', command], { detached: true, stdio: 'pipe' });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let timedOut = false;
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => {
        timedOut = true;
        killGroup(child.pid);
      }, timeoutMs);
      if (opts.stdout) child.stdout.pipe(opts.stdout);
      else child.stdout.on('data', (d: Buffer) => out.push(d));
      child.stderr.on('data', (d: Buffer) => err.push(d));
      // A command that exits without reading its stdin makes the write fail with EPIPE; that is its choice.
      child.stdin.on('error', () => {});
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(new TransportError(`cannot start /bin/sh: ${e.message}`, null, this.host, command));
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (timedOut) {
          reject(new TransportError(`timed out after ${timeoutMs} ms and was killed`, null, this.host, command));
          return;
        }
        const status = code ?? 128 + (signal ? constants.signals[signal] : 0);
        resolve({ code: status, stdout: Buffer.concat(out), stderr: Buffer.concat(err) });
      });
      if (opts.stdin instanceof Readable) opts.stdin.pipe(child.stdin);
      else child.stdin.end(opts.stdin);
    });
  }

  openUnixSocket(path: string): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      const socket = connect(path);
      socket.once('connect', () => {
        socket.removeAllListeners('error');
        resolve(socket);
      });
      socket.once('error', (e) => {
        reject(new TransportError(`cannot connect to unix socket ${path}: ${e.message}`, null, this.host, `connect ${path}`));
      });
    });
  }

  async writeFile(path: string, data: string | Buffer, mode = 0o644): Promise<void> {
    // Written aside and renamed, so a reader (or a script being run) never sees half a file.
    const tmp = `${path}.tmp-${randomBytes(4).toString('hex')}`;
    try {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(tmp, data, { mode });
      await chmod(tmp, mode);
      await rename(tmp, path);
    } catch (e) {
      await rm(tmp, { force: true }).catch(() => {}); // there may be no directory to hold it
      throw new TransportError(`cannot write ${path}: ${(e as Error).message}`, null, this.host, `write ${path}`);
    }
  }

  /** Nothing to end: commands still running finish on their own, as they would over SSH. */
  close(): void {}
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // The group is already gone.
  }
}
