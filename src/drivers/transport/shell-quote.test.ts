import { describe, expect, it } from 'vitest';
import { LocalTransport } from './local.js';
import { shellQuote } from './shell-quote.js';

describe('shellQuote', () => {
  it('leaves plain words alone and single-quotes the rest', () => {
    expect(shellQuote('/var/lib/one/datastores/0/12/disk.0')).toBe('/var/lib/one/datastores/0/12/disk.0');
    expect(shellQuote('')).toBe("''");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });

  it('round-trips through a real shell', async () => {
    const nasty = [`a b`, `$(touch /tmp/x)`, `"q"`, `it's`, `*`, `back\\slash`, `new\nline`, `-n`, `~`, `;|&`];
    const out = await new LocalTransport().run(`printf '%s\\0' ${nasty.map(shellQuote).join(' ')}`);
    expect(out.split('\0').slice(0, -1)).toEqual(nasty);
  });
});
