import { createHash, createHmac } from 'node:crypto';

export interface KnownKey {
  /** Key type as written in the file (ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256, ...). */
  type: string;
  /** The public key blob, as the server sends it during the handshake. */
  blob: Buffer;
}

/** The name OpenSSH files a host under: `addr` on port 22, `[addr]:port` otherwise. */
export function knownHostsName(address: string, port: number): string {
  return port === 22 ? address : `[${address}]:${port}`;
}

/**
 * The keys an OpenSSH known_hosts text lists for a host name: plain and hashed (`|1|salt|hash`)
 * entries. Marker lines (@cert-authority, @revoked) and wildcard patterns are not honoured.
 */
export function knownKeys(text: string, name: string): KnownKey[] {
  const keys: KnownKey[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith('@')) continue;
    const [hosts, type, key] = line.split(/\s+/);
    if (!key || !hosts.split(',').some((pattern) => matches(pattern, name))) continue;
    keys.push({ type, blob: Buffer.from(key, 'base64') });
  }
  return keys;
}

/** A key's fingerprint the way `ssh-keygen -l` prints it (SHA256:base64, no padding). */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

const SUPPORTED = new Set([
  'ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521',
  'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa', 'ssh-dss',
]);

/**
 * The host-key algorithms to offer for the known key types, so the server shows a key we can check
 * (an RSA key signs with SHA-2 too); types ssh2 cannot verify are left out.
 */
export function hostKeyAlgorithms(types: string[]): string[] {
  const algorithms = types.flatMap((t) => (t === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [t]));
  return [...new Set(algorithms)].filter((a) => SUPPORTED.has(a));
}

function matches(pattern: string, name: string): boolean {
  if (!pattern.startsWith('|1|')) return pattern === name;
  const [salt, hash] = pattern.slice(3).split('|');
  if (!salt || !hash) return false;
  return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
}
