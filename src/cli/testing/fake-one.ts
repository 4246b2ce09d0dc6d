import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { XmlRpcValue } from '../../api/xmlrpc/values.js';
import type { Caller } from '../client.js';
import type { CliDeps } from '../deps.js';
import { OneApiError } from '../errors.js';

/** Test support: an in-memory stand-in for oned that answers from handlers and records every call. */
export type Handler = (...params: XmlRpcValue[]) => XmlRpcValue | Promise<XmlRpcValue>;

export class FakeOne implements Caller {
  readonly calls: [string, XmlRpcValue[]][] = [];

  constructor(private readonly handlers: Record<string, Handler>) {}

  async call(method: string, ...params: XmlRpcValue[]): Promise<XmlRpcValue> {
    this.calls.push([method, params]);
    const h = this.handlers[method];
    if (!h) throw new OneApiError(`[${method}] the fake daemon has no handler for it`, 0x1000);
    return h(...params);
  }

  /** The parameters of every call to `method`. */
  paramsOf(method: string): XmlRpcValue[][] {
    return this.calls.filter(([m]) => m === method).map(([, p]) => p);
  }
}

/** A fixture document from src/cli/fixtures (they validate against OpenNebula's XSDs). */
export function fixture(name: string): string {
  return readFileSync(join(import.meta.dirname, '..', 'fixtures', name), 'utf8');
}

export interface Captured {
  code: number;
  out: string;
  err: string;
  one: FakeOne;
}

/** Runs a program's `run` in-process against a FakeOne, with typed `input` lines and a fixed clock. */
export async function runWith(
  run: (argv: string[], deps: CliDeps) => Promise<number>,
  argv: string[],
  handlers: Record<string, Handler>,
  extra: Partial<CliDeps> & { input?: string[] } = {},
): Promise<Captured> {
  let out = '';
  let err = '';
  const one = new FakeOne(handlers);
  const { input, ...deps } = extra;
  const code = await run(argv, {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    client: one,
    stdin: Readable.from((input ?? []).map((l) => l + '\n')),
    now: () => 1700090000,
    env: {},
    ...deps,
  });
  return { code, out, err, one };
}
