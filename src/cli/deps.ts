import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Caller } from './client.js';
import { CliError } from './errors.js';
import type { Env } from './session.js';

/** Where a command writes. `isTTY` turns on bold headers, coloured states and hidden password echo. */
export interface Output {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export type Input = NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?(mode: boolean): unknown };

/** Everything a command touches outside itself; tests and in-process callers inject these. */
export interface CliDeps {
  stdout: Output;
  stderr: Output;
  /** A ready client; otherwise one is built from --endpoint, --user, --password and the environment. */
  client?: Caller;
  stdin?: Input;
  env?: Env;
  /** Seconds since the epoch (TIME columns, scheduled-action countdowns). */
  now?: () => number;
  /** Waits between `top` refreshes; resolves early when `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Stops `top` (Ctrl-C in the real programs). */
  signal?: AbortSignal;
  /** Lets the user edit `initial` (update without a file) and returns the result. */
  edit?: (initial: string) => Promise<string>;
  readFile?: (path: string) => Promise<string>;
}

export type ResolvedDeps = Required<Omit<CliDeps, 'client' | 'signal'>> & Pick<CliDeps, 'client' | 'signal'>;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Opens $EDITOR (vi by default) on a temporary file holding `initial`, as OpenNebula's CLI does. */
function editWith(env: Env): (initial: string) => Promise<string> {
  return async (initial) => {
    const editor = env.EDITOR || '/usr/bin/vi';
    const dir = mkdtempSync(join(tmpdir(), 'one_cli'));
    const path = join(dir, 'template');
    try {
      writeFileSync(path, initial);
      // Through a shell, so EDITOR may carry arguments ("code -w").
      const r = spawnSync('sh', ['-c', `${editor} "$1"`, 'sh', path], { stdio: 'inherit' });
      if (r.status !== 0) {
        throw new CliError(`The editor "${editor}" failed; set EDITOR to a working editor or give the template as a file`);
      }
      return readFileSync(path, 'utf8');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

/** Fills what the caller left out with the real process's streams, clock and editor. */
export function resolveDeps(deps: CliDeps): ResolvedDeps {
  const env = deps.env ?? process.env;
  return {
    stdout: deps.stdout,
    stderr: deps.stderr,
    client: deps.client,
    stdin: deps.stdin ?? process.stdin,
    env,
    now: deps.now ?? (() => Math.floor(Date.now() / 1000)),
    sleep: deps.sleep ?? sleep,
    signal: deps.signal,
    edit: deps.edit ?? editWith(env),
    readFile: deps.readFile ?? ((p) => readFile(p, 'utf8')),
  };
}
