import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pingThrough, startEchoServer } from './echo-socket.js';
import { LocalTransport } from './local.js';
import { TransportError } from './types.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nimbus-local-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const t = new LocalTransport({ host: 'fe' });

describe('LocalTransport.exec', () => {
  it('runs a shell command line and keeps stdout, stderr and the exit code apart', async () => {
    const r = await t.exec('echo out; echo err >&2; exit 3');
    expect(r).toEqual({ code: 3, stdout: 'out\n', stderr: 'err\n' });
  });

  it('feeds stdin', async () => {
    expect((await t.exec('tr a-z A-Z', { stdin: 'hello' })).stdout).toBe('HELLO');
    expect((await t.exec('wc -c', { stdin: Buffer.alloc(100_000) })).stdout.trim()).toBe('100000');
  });

  it('does not fail when the command ignores a large stdin', async () => {
    expect((await t.exec('true', { stdin: Buffer.alloc(1 << 20) })).code).toBe(0);
  });

  it('reports a command killed by a signal as 128 + the signal number', async () => {
    expect((await t.exec('kill -TERM $$')).code).toBe(143);
  });

  it('kills the whole process group on timeout and rejects with code null', async () => {
    const marker = join(dir, 'survived');
    const started = Date.now();
    const err = await t.exec(`(sleep 0.5; touch ${marker}) & sleep 10`, { timeoutMs: 100 }).catch((e) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect(err.code).toBeNull();
    expect(err.message).toMatch(/^timed out after 100 ms.*host fe/);
    expect(Date.now() - started).toBeLessThan(2000);
    await new Promise((r) => setTimeout(r, 700));
    expect(existsSync(marker)).toBe(false);
  });

  it('uses the default timeout of the transport', async () => {
    const quick = new LocalTransport({ execTimeoutMs: 50 });
    await expect(quick.exec('sleep 5')).rejects.toThrow(/timed out after 50 ms/);
  });
});

describe('LocalTransport.run', () => {
  it('resolves with stdout on success', async () => {
    expect(await t.run('printf ok')).toBe('ok');
  });

  it('rejects with the host text first, then host, exit code and command', async () => {
    const err = await t.run('echo progress; echo "disk full" >&2; exit 2').catch((e) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect(err.code).toBe(2);
    expect(err.hostText).toBe('disk full');
    expect(err.message).toBe('disk full (host fe, exit 2 from: echo progress; echo "disk full" >&2; exit 2)');
  });

  it('falls back to stdout, keeps only the last 20 lines, and says so when nothing was printed', async () => {
    const err = await t.run('seq 1 30; exit 1').catch((e) => e);
    expect(err.hostText.split('\n')).toEqual(Array.from({ length: 20 }, (_, i) => String(i + 11)));
    await expect(t.run('exit 4')).rejects.toThrow(/^exited with status 4 without printing anything/);
  });
});

describe('LocalTransport.capture', () => {
  it('resolves with stdout as bytes, and rejects like run', async () => {
    expect(await t.capture("printf '\\000\\377\\001'")).toEqual(Buffer.from([0, 255, 1]));
    await expect(t.capture('echo no >&2; exit 1')).rejects.toThrow(/^no \(host fe, exit 1/);
  });
});

describe('LocalTransport.openUnixSocket', () => {
  let server: Server;
  const path = (): string => join(dir, 'qmp.sock');
  beforeAll(async () => {
    server = await startEchoServer(path());
  });
  afterAll(() => server.close());

  it('connects to a unix socket and streams both ways', async () => {
    expect(await pingThrough(await t.openUnixSocket(path()))).toBe('echo:ping');
  });

  it('rejects with the path when nothing listens there', async () => {
    await expect(t.openUnixSocket(join(dir, 'none.sock'))).rejects.toThrow(/cannot connect to unix socket .*none\.sock: .*ENOENT/);
  });
});

describe('LocalTransport.writeFile', () => {
  it('creates the directory and writes the file with its mode', async () => {
    const file = join(dir, 'a/b/script.sh');
    await t.writeFile(file, '#!/bin/sh\necho hi\n', 0o755);
    expect(readFileSync(file, 'utf8')).toBe('#!/bin/sh\necho hi\n');
    expect(statSync(file).mode & 0o777).toBe(0o755);
    expect((await t.exec(file)).stdout).toBe('hi\n');
  });

  it('replaces an existing file and defaults to mode 644', async () => {
    const file = join(dir, 'conf');
    await t.writeFile(file, 'one', 0o600);
    await t.writeFile(file, Buffer.from('two'));
    expect(readFileSync(file, 'utf8')).toBe('two');
    expect(statSync(file).mode & 0o777).toBe(0o644);
  });

  it('rejects with the path when the directory cannot be made', async () => {
    await t.writeFile(join(dir, 'plain'), 'x');
    await expect(t.writeFile(join(dir, 'plain/sub/f'), 'x')).rejects.toThrow(/cannot write .*plain\/sub\/f/);
  });
});
