import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pingThrough, startEchoServer } from './echo-socket.js';
import { SshTransport, type SshOptions } from './ssh.js';
import { startTestSshd, type TestSshd } from './test-sshd.js';
import { TransportError } from './types.js';

const MAX_SESSIONS = 4;
let sshd: TestSshd;
let t: SshTransport;

function transport(extra: Partial<SshOptions> = {}): SshTransport {
  return new SshTransport({
    host: 'h1',
    address: sshd.address,
    port: sshd.port,
    privateKeyPath: sshd.clientKeyPath,
    knownHostsPath: sshd.knownHostsPath,
    maxChannels: MAX_SESSIONS,
    ...extra,
  });
}

async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 10));
  expect(await check()).toBe(true);
}

beforeAll(async () => {
  sshd = await startTestSshd({ maxSessions: MAX_SESSIONS });
  t = transport();
});
afterAll(() => {
  t?.close();
  sshd?.stop();
});

describe('SshTransport.exec', () => {
  it('runs commands as root over one reused connection', async () => {
    expect(await t.exec('whoami; echo err >&2; exit 5')).toEqual({ code: 5, stdout: 'root\n', stderr: 'err\n' });
    for (let i = 0; i < 5; i++) expect(await t.run(`echo ${i}`)).toBe(`${i}\n`);
    expect(sshd.connectionCount()).toBe(1);
  });

  it('feeds stdin and collects output, large ones too', async () => {
    expect(await t.run('tr a-z A-Z', { stdin: 'hello' })).toBe('HELLO');
    expect((await t.run('wc -c', { stdin: Buffer.alloc(3 << 20, 1) })).trim()).toBe(String(3 << 20));
    const big = await t.exec('head -c 3000000 /dev/zero | tr "\\0" a; head -c 100000 /dev/zero | tr "\\0" b >&2');
    expect([big.stdout.length, big.stderr.length, big.stdout[0], big.stderr[0]]).toEqual([3_000_000, 100_000, 'a', 'b']);
  });

  it('captures binary stdout as bytes, and rejects like run', async () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    expect(await t.capture('cat', { stdin: bytes })).toEqual(bytes);
    await expect(t.capture('echo no >&2; exit 1')).rejects.toThrow(/^no \(host h1, exit 1/);
  });

  it('sees the exit status of commands that finish at once, many times over', async () => {
    for (let i = 0; i < 30; i++) expect((await t.exec('exit 7')).code).toBe(7);
  });

  it('rejects from run with the host text first, then host, exit code and command', async () => {
    const err = await t.run('echo "qemu: could not open disk" >&2; exit 1').catch((e) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect(err.code).toBe(1);
    expect(err.hostText).toBe('qemu: could not open disk');
    expect(err.message).toMatch(/^qemu: could not open disk \(host h1, exit 1 from: echo/);
  });

  it('queues execs beyond the channel limit instead of exceeding sshd MaxSessions', async () => {
    const n = MAX_SESSIONS * 3;
    const results = await Promise.all(Array.from({ length: n }, (_, i) => t.run(`sleep 0.1; echo ${i}`)));
    expect(results).toEqual(Array.from({ length: n }, (_, i) => `${i}\n`));
  });

  it('would hit MaxSessions without the queue (what the queue is for)', async () => {
    // Sessions longer than the retries of a refused channel (630 ms), so some fail for good.
    const unlimited = transport({ maxChannels: MAX_SESSIONS * 3 });
    const settled = await Promise.allSettled(Array.from({ length: MAX_SESSIONS * 3 }, () => unlimited.run('sleep 1.5')));
    unlimited.close();
    const failed = settled.filter((s) => s.status === 'rejected');
    expect(failed.length).toBeGreaterThan(0);
    expect(String((failed[0] as PromiseRejectedResult).reason)).toMatch(/open failed|Channel open failure/);
  });

  it('kills a timed-out command with what it started, rejects with code null, and keeps the connection', async () => {
    const started = Date.now();
    const err = await t.exec('sleep 31.5 & sleep 31.6', { timeoutMs: 200 }).catch((e) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect(err.code).toBeNull();
    expect(err.message).toMatch(/^timed out after 200 ms.*host h1/);
    expect(Date.now() - started).toBeLessThan(2000);
    await until(async () => (await t.exec("pgrep -f '^sleep 31\\.[56]$'")).code === 1);
    expect(await t.run('echo still')).toBe('still\n');
  });

  it('runs the command with /bin/sh and reports a signal death as 128 + its number', async () => {
    expect(await t.run('readlink /proc/$$/exe')).toMatch(/^\/(usr\/)?bin\/(dash|sh|bash)\n$/);
    expect((await t.exec('kill -TERM $$')).code).toBe(143);
  });

  it('reconnects on the next call after sshd dropped the connection', async () => {
    await t.run('true');
    const inFlight = t.exec('sleep 5').catch((e) => e);
    await new Promise((r) => setTimeout(r, 100));
    sshd.dropConnections();
    const err = await inFlight;
    expect(err).toBeInstanceOf(TransportError);
    expect(err.code).toBeNull();
    expect(err.message).toMatch(/connection to the host was lost/);
    expect(await t.run('echo back')).toBe('back\n');
  });

  it('reconnects when the drop is not noticed before the next call', async () => {
    await t.run('true');
    sshd.dropConnections();
    expect(await t.run('echo again')).toBe('again\n');
  });

  it('opens a new connection after close()', async () => {
    const own = transport();
    await own.run('true');
    own.close();
    await until(() => sshd.connectionCount() === 1);
    expect(await own.run('echo reopened')).toBe('reopened\n');
    own.close();
  });
});

describe('SshTransport host keys and setup errors', () => {
  it('refuses a host whose key differs from known_hosts', async () => {
    const other = join(sshd.dir, 'other_key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
    const [type, key] = readFileSync(`${other}.pub`, 'utf8').split(' ');
    const file = join(sshd.dir, 'wrong_known_hosts');
    writeFileSync(file, `[127.0.0.1]:${sshd.port} ${type} ${key}\n`);
    const err = await transport({ knownHostsPath: file }).exec('true').catch((e) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect(err.message).toMatch(/^cannot connect to root@127\.0\.0\.1:\d+: its host key \(SHA256:.*\) differs from the one in .*wrong_known_hosts/);
  });

  it('refuses a host that known_hosts does not list, saying how to add it', async () => {
    const file = join(sshd.dir, 'empty_known_hosts');
    writeFileSync(file, '');
    await expect(transport({ knownHostsPath: file }).exec('true')).rejects.toThrow(
      new RegExp(`has no host key for \\[127\\.0\\.0\\.1\\]:${sshd.port}; .*ssh-keyscan -p ${sshd.port} 127\\.0\\.0\\.1 >>`),
    );
  });

  it('says when the key is not authorized on the host', async () => {
    const stranger = join(sshd.dir, 'stranger_key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', stranger]);
    await expect(transport({ privateKeyPath: stranger }).exec('true')).rejects.toThrow(/authorized_keys/);
  });

  it('says where it could not connect', async () => {
    const file = join(sshd.dir, 'port1_known_hosts');
    writeFileSync(file, readFileSync(sshd.knownHostsPath, 'utf8').replace(/^\[127\.0\.0\.1\]:\d+/, '[127.0.0.1]:1'));
    await expect(transport({ port: 1, knownHostsPath: file }).exec('true')).rejects.toThrow(/^cannot connect to root@127\.0\.0\.1:1: .*ECONNREFUSED/);
  });

  it('says when the private key cannot be read', async () => {
    await expect(transport({ privateKeyPath: '/nonexistent/key' }).exec('true')).rejects.toThrow(
      /cannot read the SSH private key \/nonexistent\/key/,
    );
  });
});

describe('SshTransport.openUnixSocket', () => {
  let server: Server;
  const path = (): string => join(sshd.dir, 'qmp.sock');
  beforeAll(async () => {
    server = await startEchoServer(path());
  });
  afterAll(() => server.close());

  it('streams both ways to a unix socket on the host', async () => {
    expect(await pingThrough(await t.openUnixSocket(path()))).toBe('echo:ping');
  });

  it('rejects with the path when nothing listens there', async () => {
    await expect(t.openUnixSocket(join(sshd.dir, 'none.sock'))).rejects.toThrow(/cannot connect to unix socket .*none\.sock/);
  });
});

describe('SshTransport.writeFile', () => {
  it('creates the directory and writes the file with its mode', async () => {
    const file = join(sshd.dir, "remote dir/it's.sh");
    await t.writeFile(file, '#!/bin/sh\necho hi\n', 0o750);
    expect(readFileSync(file, 'utf8')).toBe('#!/bin/sh\necho hi\n');
    expect(statSync(file).mode & 0o777).toBe(0o750);
    await t.writeFile(file, Buffer.from([0, 1, 2, 255]));
    expect(readFileSync(file)).toEqual(Buffer.from([0, 1, 2, 255]));
    expect(statSync(file).mode & 0o777).toBe(0o644);
  });

  it('rejects with what the host said when the directory cannot be made', async () => {
    writeFileSync(join(sshd.dir, 'plain'), 'x');
    await expect(t.writeFile(join(sshd.dir, 'plain/sub/f'), 'x')).rejects.toThrow(/^mkdir: .*plain': Not a directory \(host h1, exit 1/);
  });
});
