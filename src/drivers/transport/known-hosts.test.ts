import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fingerprint, hostKeyAlgorithms, knownHostsName, knownKeys } from './known-hosts.js';

const ED = 'AAAAC3NzaC1lZDI1NTE5AAAAIEq2xJ6pv2FQSl2dYJKqPbl1VYQOr5+Yn6l8m9rN1b1F';
const RSA = 'AAAAB3NzaC1yc2EAAAADAQABAAAAgQC7';

function hashed(name: string): string {
  const salt = Buffer.from('0123456789abcdefghij');
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

describe('knownKeys', () => {
  it('finds plain, comma-listed and hashed entries and skips comments and markers', () => {
    const text = [
      '# comment',
      `h1,10.0.0.1 ssh-ed25519 ${ED} root@h1`,
      `[10.0.0.2]:2222 ssh-rsa ${RSA}`,
      `${hashed('10.0.0.3')} ssh-ed25519 ${ED}`,
      `@cert-authority 10.0.0.1 ssh-rsa ${RSA}`,
      '',
    ].join('\n');
    expect(knownKeys(text, '10.0.0.1')).toEqual([{ type: 'ssh-ed25519', blob: Buffer.from(ED, 'base64') }]);
    expect(knownKeys(text, '[10.0.0.2]:2222').map((k) => k.type)).toEqual(['ssh-rsa']);
    expect(knownKeys(text, '10.0.0.2')).toEqual([]);
    expect(knownKeys(text, '10.0.0.3').map((k) => k.type)).toEqual(['ssh-ed25519']);
    expect(knownKeys(text, '10.0.0.4')).toEqual([]);
  });
});

describe('knownHostsName', () => {
  it('brackets the address when the port is not 22', () => {
    expect(knownHostsName('10.0.0.1', 22)).toBe('10.0.0.1');
    expect(knownHostsName('10.0.0.1', 2222)).toBe('[10.0.0.1]:2222');
  });
});

describe('hostKeyAlgorithms', () => {
  it('lets an RSA key sign with SHA-2 and leaves out types ssh2 cannot check', () => {
    expect(hostKeyAlgorithms(['ssh-ed25519', 'ssh-rsa', 'sk-ssh-ed25519@openssh.com', 'ssh-ed25519'])).toEqual([
      'ssh-ed25519', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa',
    ]);
  });
});

describe('fingerprint', () => {
  it('prints SHA256 in unpadded base64 like ssh-keygen -l', () => {
    expect(fingerprint(Buffer.from('abc'))).toBe('SHA256:ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0');
  });
});
