import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CliError } from './errors.js';

export const DEFAULT_ENDPOINT = 'http://localhost:2633/RPC2';

export type Env = Record<string, string | undefined>;

function firstLine(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').split('\n')[0].trim();
  } catch {
    return undefined;
  }
}

/** The XML-RPC endpoint: `--endpoint`, else `ONE_XMLRPC`, else `~/.one/one_endpoint`, else localhost:2633. */
export function resolveEndpoint(explicit: string | undefined, env: Env, home = env.HOME ?? homedir()): string {
  if (explicit) return explicit;
  if (env.ONE_XMLRPC) return env.ONE_XMLRPC;
  return firstLine(join(home, '.one', 'one_endpoint')) || DEFAULT_ENDPOINT;
}

/**
 * The session string `user:password` sent as every call's first parameter: the one given, else the
 * first line of the `ONE_AUTH` file, else of `~/.one/one_auth`.
 */
export function resolveSession(explicit: string | undefined, env: Env, home = env.HOME ?? homedir()): string {
  if (explicit) return explicit;
  const path = env.ONE_AUTH || join(home, '.one', 'one_auth');
  const line = firstLine(path);
  if (line === undefined) {
    throw new CliError(
      `No credentials: cannot read ${path}. Write "user:password" in it, point ONE_AUTH at such a file, ` +
        'or pass --user and --password.',
    );
  }
  if (!line.includes(':')) {
    throw new CliError(`The first line of ${path} must be "user:password"; it has no ':'.`);
  }
  return line;
}
