import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ENDPOINT, resolveEndpoint, resolveSession } from './session.js';

function home(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'one-home-'));
  mkdirSync(join(dir, '.one'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, '.one', name), text);
  return dir;
}

describe('resolveEndpoint', () => {
  it('prefers --endpoint, then ONE_XMLRPC, then ~/.one/one_endpoint, then localhost:2633', () => {
    const h = home({ one_endpoint: 'http://file:2633/RPC2\n' });
    expect(resolveEndpoint('http://flag/RPC2', { ONE_XMLRPC: 'http://env/RPC2' }, h)).toBe('http://flag/RPC2');
    expect(resolveEndpoint(undefined, { ONE_XMLRPC: 'http://env/RPC2' }, h)).toBe('http://env/RPC2');
    expect(resolveEndpoint(undefined, {}, h)).toBe('http://file:2633/RPC2');
    expect(resolveEndpoint(undefined, {}, home())).toBe(DEFAULT_ENDPOINT);
    expect(DEFAULT_ENDPOINT).toBe('http://localhost:2633/RPC2');
  });
});

describe('resolveSession', () => {
  it('prefers --user/--password, then ONE_AUTH, then ~/.one/one_auth (first line)', () => {
    const h = home({ one_auth: 'oneadmin:fromhome\n' });
    const other = join(h, 'other');
    writeFileSync(other, 'bob:fromenv');
    expect(resolveSession('u:p', { ONE_AUTH: other }, h)).toBe('u:p');
    expect(resolveSession(undefined, { ONE_AUTH: other }, h)).toBe('bob:fromenv');
    expect(resolveSession(undefined, {}, h)).toBe('oneadmin:fromhome');
  });

  it('says how to fix missing or malformed credentials', () => {
    const h = home();
    expect(() => resolveSession(undefined, {}, h)).toThrow(`No credentials: cannot read ${join(h, '.one', 'one_auth')}`);
    writeFileSync(join(h, '.one', 'one_auth'), 'justaname');
    expect(() => resolveSession(undefined, {}, h)).toThrow(/must be "user:password"/);
  });
});
