import type { Duplex } from 'node:stream';
import { asText, checked, type ExecOptions, type ExecResult, type RawResult, type Transport } from './types.js';

/** The part every transport shares: exec, run and capture, all built on running one command raw. */
export abstract class CommandTransport implements Transport {
  abstract readonly host: string;

  /** Runs one command and gives back its exit code and raw output. */
  protected abstract execRaw(command: string, opts?: ExecOptions): Promise<RawResult>;
  abstract openUnixSocket(path: string): Promise<Duplex>;
  abstract writeFile(path: string, data: string | Buffer, mode?: number): Promise<void>;
  abstract close(): void;

  async exec(command: string, opts?: ExecOptions): Promise<ExecResult> {
    return asText(await this.execRaw(command, opts));
  }

  async run(command: string, opts?: ExecOptions): Promise<string> {
    return checked(this.host, command, await this.execRaw(command, opts)).toString();
  }

  async capture(command: string, opts?: ExecOptions): Promise<Buffer> {
    return checked(this.host, command, await this.execRaw(command, opts));
  }
}
