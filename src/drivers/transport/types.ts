import type { Duplex, Readable, Writable } from 'node:stream';

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** An ExecResult with the output still as bytes. */
export interface RawResult {
  code: number;
  stdout: Buffer;
  stderr: Buffer;
}

export interface ExecOptions {
  /** What the command reads: bytes, or a stream (a file passing through, with backpressure). */
  stdin?: string | Buffer | Readable;
  /** Where the command's output goes as it comes, instead of being kept (the result's stdout is then empty). */
  stdout?: Writable;
  /** Rejects with a TransportError (code null) when the command has not finished in time. */
  timeoutMs?: number;
}

/** How the front-end reaches a host: the daemon itself (local) or an SSH connection. */
export interface Transport {
  /** The host name used in error messages. */
  readonly host: string;
  /** Runs a shell command line on the host (sh -c semantics), optional stdin, with a timeout. */
  exec(command: string, opts?: ExecOptions): Promise<ExecResult>;
  /** Like exec, but resolves with stdout and rejects with a TransportError when the exit code is not 0. */
  run(command: string, opts?: ExecOptions): Promise<string>;
  /** Like run, but resolves with stdout as bytes (a tar stream, an image). */
  capture(command: string, opts?: ExecOptions): Promise<Buffer>;
  /** Opens a stream to a unix socket on the host (QMP sockets). */
  openUnixSocket(path: string): Promise<Duplex>;
  /** Writes a file on the host, creating its directory; replaces an existing file whole. */
  writeFile(path: string, data: string | Buffer, mode?: number): Promise<void>;
  /** Ends the connection, if any; a later call opens a new one. */
  close(): void;
}

const MAX_LINES = 20;
const MAX_COMMAND = 200;

/**
 * A command that failed on a host, timed out, or could not reach it. The message starts with what
 * the host printed (`hostText`) so it can become a VM's ERROR message; host and command follow.
 */
export class TransportError extends Error {
  constructor(
    /** What the host said, or what went wrong reaching it. */
    readonly hostText: string,
    /** The exit status, or null on a timeout or a lost connection. */
    readonly code: number | null,
    readonly host: string,
    readonly command: string,
  ) {
    const where = code === null ? `host ${host}, command: ${shorten(command)}` : `host ${host}, exit ${code} from: ${shorten(command)}`;
    super(`${hostText} (${where})`);
    this.name = 'TransportError';
  }
}

/** The text a failed command left: stderr, else stdout, trimmed to its last lines. */
export function failureText(r: ExecResult): string {
  const text = (r.stderr.trim() || r.stdout.trim());
  if (!text) return `exited with status ${r.code} without printing anything`;
  return text.split('\n').slice(-MAX_LINES).join('\n');
}

/** The result with its output decoded as UTF-8. */
export function asText(r: RawResult): ExecResult {
  return { code: r.code, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

/** Stdout when the command exited 0, else a TransportError with the host's text. */
export function checked(host: string, command: string, r: RawResult): Buffer {
  if (r.code !== 0) throw new TransportError(failureText(asText(r)), r.code, host, command);
  return r.stdout;
}

function shorten(command: string): string {
  const line = command.replace(/\s+/g, ' ').trim();
  return line.length > MAX_COMMAND ? `${line.slice(0, MAX_COMMAND)}...` : line;
}
