import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { digestDir, STAMP, syncRemotes } from './remotes.js';
import { SshTransport } from './ssh.js';
import { startTestSshd, type TestSshd } from './test-sshd.js';
import type { ExecOptions, Transport } from './types.js';

let sshd: TestSshd;
let local: string;
let remote: string;

/** An SSH transport that counts the commands it runs and the bytes of stdin it sends. */
function counting(): Transport & { execs: number; sent: number } {
  const ssh = new SshTransport({
    host: 'h1',
    address: sshd.address,
    port: sshd.port,
    privateKeyPath: sshd.clientKeyPath,
    knownHostsPath: sshd.knownHostsPath,
  });
  const count = (opts?: ExecOptions): void => {
    t.execs++;
    t.sent += typeof opts?.stdin === 'string' || Buffer.isBuffer(opts?.stdin) ? opts.stdin.length : 0;
  };
  const t = {
    host: ssh.host,
    execs: 0,
    sent: 0,
    exec: (command: string, opts?: ExecOptions) => (count(opts), ssh.exec(command, opts)),
    run: (command: string, opts?: ExecOptions) => (count(opts), ssh.run(command, opts)),
    capture: (command: string, opts?: ExecOptions) => (count(opts), ssh.capture(command, opts)),
    openUnixSocket: (path: string) => ssh.openUnixSocket(path),
    writeFile: (path: string, data: string | Buffer, mode?: number) => ssh.writeFile(path, data, mode),
    close: () => ssh.close(),
  };
  return t;
}

beforeAll(async () => {
  sshd = await startTestSshd();
});
afterAll(() => sshd?.stop());

beforeEach(() => {
  local = mkdtempSync(join(tmpdir(), 'nimbus-remotes-'));
  remote = join(sshd.dir, `remotes-${Math.random().toString(36).slice(2)}`, 'vmm');
  mkdirSync(join(local, 'kvm'));
  writeFileSync(join(local, 'kvm', 'deploy'), '#!/bin/sh\necho "deployed $1"\n', { mode: 0o755 });
  writeFileSync(join(local, 'kvmrc'), 'SHUTDOWN_TIMEOUT=300\n', { mode: 0o644 });
});
afterEach(() => rmSync(local, { recursive: true, force: true }));

describe('syncRemotes', () => {
  it('pushes every file with its mode, so scripts run on the host', async () => {
    const t = counting();
    expect(await syncRemotes(t, local, remote)).toBe(true);
    expect(t.execs).toBe(2);
    expect(readFileSync(join(remote, 'kvmrc'), 'utf8')).toBe('SHUTDOWN_TIMEOUT=300\n');
    expect(statSync(join(remote, 'kvmrc')).mode & 0o777).toBe(0o644);
    expect(await t.run(`${remote}/kvm/deploy one-7`)).toBe('deployed one-7\n');
    expect(readFileSync(join(remote, STAMP), 'utf8').trim()).toBe(await digestDir(local));
    t.close();
  });

  it('runs once per transport, then only checks the stamp when forced, and pushes again only after a change', async () => {
    const t = counting();
    await syncRemotes(t, local, remote);
    const [execs, sent] = [t.execs, t.sent];

    expect(await syncRemotes(t, local, remote)).toBe(false);
    expect(t.execs).toBe(execs);

    expect(await syncRemotes(t, local, remote, { force: true })).toBe(false);
    expect([t.execs, t.sent]).toEqual([execs + 1, sent]);

    writeFileSync(join(local, 'kvmrc'), 'SHUTDOWN_TIMEOUT=60\n');
    expect(await syncRemotes(t, local, remote)).toBe(false);
    expect(await syncRemotes(t, local, remote, { force: true })).toBe(true);
    expect(readFileSync(join(remote, 'kvmrc'), 'utf8')).toBe('SHUTDOWN_TIMEOUT=60\n');
    t.close();
  });

  it('finds an up-to-date host through its stamp on a new connection', async () => {
    const first = counting();
    await syncRemotes(first, local, remote);
    first.close();
    const second = counting();
    expect(await syncRemotes(second, local, remote)).toBe(false);
    expect([second.execs, second.sent]).toEqual([1, 0]);
    second.close();
  });

  it('removes files that are gone locally', async () => {
    const t = counting();
    await syncRemotes(t, local, remote);
    rmSync(join(local, 'kvmrc'));
    expect(await syncRemotes(t, local, remote, { force: true })).toBe(true);
    expect(existsSync(join(remote, 'kvmrc'))).toBe(false);
    expect(existsSync(join(remote, 'kvm', 'deploy'))).toBe(true);
    t.close();
  });

  it('forgets a failed sync so the next call tries again', async () => {
    const t = counting();
    const blocked = join(sshd.dir, `blocked-${Math.random().toString(36).slice(2)}`);
    writeFileSync(blocked, 'a file where a directory should be');
    await expect(syncRemotes(t, local, join(blocked, 'vmm'))).rejects.toThrow(/Not a directory \(host h1, exit 1/);
    rmSync(blocked);
    expect(await syncRemotes(t, local, join(blocked, 'vmm'))).toBe(true);
    t.close();
  });

  it('says which directory it could not read', async () => {
    await expect(syncRemotes(counting(), join(local, 'missing'), remote)).rejects.toThrow(
      /^cannot read the remotes directory .*missing to push to host h1: ENOENT/,
    );
  });
});

describe('digestDir', () => {
  it('changes with a file content, a name or an executable bit, and follows symlinks', async () => {
    const before = await digestDir(local);
    chmodSync(join(local, 'kvmrc'), 0o755);
    const executable = await digestDir(local);
    expect(executable).not.toBe(before);
    chmodSync(join(local, 'kvmrc'), 0o644);
    expect(await digestDir(local)).toBe(before);
    symlinkSync(join(local, 'kvmrc'), join(local, 'kvmrc.link'));
    const linked = await digestDir(local);
    expect(linked).not.toBe(before);
    writeFileSync(join(local, 'kvmrc'), 'changed\n');
    expect(await digestDir(local)).not.toBe(linked);
  });
});
