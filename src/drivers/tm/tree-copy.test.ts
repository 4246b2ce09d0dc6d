import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalTransport } from '../transport/local.js';
import { SshTransport } from '../transport/ssh.js';
import { startTestSshd, type TestSshd } from '../transport/test-sshd.js';
import { copyFile, copyTree } from './tree-copy.js';

// A file between the front-end and a host over a real SSH connection, as disk images travel.
describe('copies between hosts', () => {
  let sshd: TestSshd;
  let host: SshTransport;
  const front = new LocalTransport();
  let dir = '';

  beforeAll(async () => {
    sshd = await startTestSshd({ maxSessions: 4 });
    host = new SshTransport({ host: 'h1', address: sshd.address, port: sshd.port, privateKeyPath: sshd.clientKeyPath, knownHostsPath: sshd.knownHostsPath });
    dir = mkdtempSync(join(tmpdir(), 'copy-file-'));
  });
  afterAll(() => {
    host?.close();
    sshd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('streams a file there and back, whole, through staging files that do not stay', async () => {
    const data = randomBytes(24 * 1024 * 1024 + 7);
    writeFileSync(join(dir, 'image'), data);
    await copyFile(front, join(dir, 'image'), host, join(dir, 'on-host', 'disk.0'));
    await copyFile(host, join(dir, 'on-host', 'disk.0'), front, join(dir, 'back'));
    expect(readFileSync(join(dir, 'back')).equals(data)).toBe(true);
    expect(existsSync(join(dir, 'on-host', 'disk.0.part'))).toBe(false);
  });

  it('never lands a copy whose source could not be read, and says why', async () => {
    await expect(copyFile(front, join(dir, 'missing'), host, join(dir, 'never'))).rejects.toThrow(/missing/);
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });

  it('streams a VM directory to a host, links included, and replaces what was there', async () => {
    const vmDir = join(dir, 'vm');
    mkdirSync(vmDir);
    const disk = randomBytes(16 * 1024 * 1024);
    writeFileSync(join(vmDir, 'disk.0'), disk);
    symlinkSync('/images/abc', join(vmDir, 'disk.1'));
    mkdirSync(join(dir, 'there'));
    writeFileSync(join(dir, 'there', 'stale'), 'old');
    await copyTree(front, vmDir, host, join(dir, 'there'));
    expect(readFileSync(join(dir, 'there', 'disk.0')).equals(disk)).toBe(true);
    expect(readlinkSync(join(dir, 'there', 'disk.1'))).toBe('/images/abc');
    expect(existsSync(join(dir, 'there', 'stale'))).toBe(false);
    expect(existsSync(join(dir, 'there.incoming'))).toBe(false);
  });

  it('fails when the destination cannot be written, without waiting for the whole file', async () => {
    writeFileSync(join(dir, 'big'), randomBytes(8 * 1024 * 1024));
    writeFileSync(join(dir, 'blocker'), '');
    await expect(copyFile(front, join(dir, 'big'), host, join(dir, 'blocker', 'disk.0'))).rejects.toThrow(/blocker/);
  });
});
