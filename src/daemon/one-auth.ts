import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** Where the clients and oned find `user:password`: $ONE_AUTH, else ~/.one/one_auth. */
export function oneAuthPath(): string {
  return process.env.ONE_AUTH || join(homedir(), '.one', 'one_auth');
}

/**
 * oneadmin's password for a first start: the one in ONE_AUTH when it names oneadmin; otherwise a new
 * random one, written to ONE_AUTH (mode 600) so the clients work at once — or, when ONE_AUTH already
 * holds another user's credentials, to `<dataDir>/one_auth` instead of overwriting them.
 */
export function oneadminPassword(dataDir: string): { password: string; writtenTo?: string } {
  let file = oneAuthPath();
  if (existsSync(file)) {
    const line = readFileSync(file, 'utf8').split('\n')[0].trim();
    const colon = line.indexOf(':');
    if (colon > 0 && line.slice(0, colon) === 'oneadmin') return { password: line.slice(colon + 1) };
    file = join(dataDir, 'one_auth');
  }
  const password = randomBytes(16).toString('hex');
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `oneadmin:${password}\n`, { mode: 0o600 });
  return { password, writtenTo: file };
}
