import { createInterface, type Interface } from 'node:readline';
import type { Input, Output } from './deps.js';
import { CliError } from './errors.js';

/** Reads answers one line at a time from the terminal or a piped/injected stream. */
export class LineReader {
  private rl: Interface | undefined;
  private it: AsyncIterator<string> | undefined;

  constructor(private readonly input: Input) {}

  /** The next line without its end, or undefined when the input has ended. */
  async next(): Promise<string | undefined> {
    if (!this.it) {
      this.rl = createInterface({ input: this.input, terminal: false, crlfDelay: Infinity });
      this.it = this.rl[Symbol.asyncIterator]();
    }
    const r = await this.it.next();
    return r.done ? undefined : r.value;
  }

  /** Like next(), but with the terminal's echo off; the typed line still ends with Enter. */
  async nextHidden(out: Output): Promise<string | undefined> {
    const raw = this.input.isTTY === true && typeof this.input.setRawMode === 'function';
    if (raw) this.input.setRawMode!(true);
    try {
      const line = await this.next();
      if (line === undefined || !raw) return line;
      if (line.includes('\x03')) throw new CliError('Interrupted');
      // In raw mode the terminal no longer handles backspace: apply it here.
      let typed = '';
      for (const ch of line) typed = ch === '\x7f' || ch === '\b' ? typed.slice(0, -1) : typed + ch;
      return typed;
    } finally {
      if (raw) this.input.setRawMode!(false);
      // The Enter that ended the line was not echoed (or came from a pipe).
      out.write('\n');
    }
  }

  /** Releases the input so the process can exit. */
  close(): void {
    this.rl?.close();
  }
}
