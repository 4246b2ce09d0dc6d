import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './harness/daemon.js';
import { createTestHosts, destroyTestHosts, realHostsAvailable, testGuest, testKitSsh, type TestHost } from './harness/test-kit.js';

const run = promisify(execFile);
/** The guest's marker: a line of its own; the serial line ends it with CR LF. */
const READY = /^NIMBUS-GUEST-READY\r?$/m;

/** ssh options that never prompt and trust only the kit's known_hosts. */
function sshArgs(address: string): string[] {
  const k = testKitSsh();
  return ['-i', k.privateKeyPath, '-o', `UserKnownHostsFile=${k.knownHostsPath}`, '-o', 'BatchMode=yes', `${k.user}@${address}`];
}

/** A minimal QMP client: one command at a time, its answer (events in between are skipped). */
async function qmp(path: string): Promise<{ execute: (cmd: string) => Promise<unknown>; socket: Socket }> {
  const socket = await new Promise<Socket>((resolve, reject) => {
    const s = connect(path, () => resolve(s));
    s.once('error', reject);
  });
  let buf = '';
  const waiting: ((msg: Record<string, unknown>) => void)[] = [];
  socket.on('data', (b: Buffer) => {
    buf += b.toString();
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const msg = JSON.parse(buf.slice(0, nl)) as Record<string, unknown>;
      buf = buf.slice(nl + 1);
      if (!('event' in msg)) waiting.shift()?.(msg);
    }
  });
  const next = () => new Promise<Record<string, unknown>>((r) => waiting.push(r));
  await next(); // the greeting
  const execute = async (cmd: string) => {
    const answer = next();
    socket.write(JSON.stringify({ execute: cmd }) + '\n');
    const msg = await answer;
    if ('error' in msg) throw new Error(`QMP ${cmd}: ${JSON.stringify(msg.error)}`);
    return msg.return;
  };
  await execute('qmp_capabilities');
  return { execute, socket };
}

describe.skipIf(!realHostsAvailable())('real-host test kit', () => {
  let hosts: TestHost[] = [];
  let qemu: ChildProcess | undefined;

  beforeAll(async () => {
    hosts = await createTestHosts(2);
  });

  afterAll(async () => {
    qemu?.kill();
    // Also ends the QEMU on h1 if the test failed before it exited.
    await destroyTestHosts();
  });

  it('gives every host its own sshd on its own address, reachable with the kit key', async () => {
    expect(hosts.map((h) => [h.name, h.namespace, h.address])).toEqual([
      ['h1', 'nimbus-h1', '10.77.0.11'],
      ['h2', 'nimbus-h2', '10.77.0.12'],
    ]);
    for (const h of hosts) {
      const { stdout } = await run('ssh', [...sshArgs(h.address), 'ip -4 -o addr show dev eth0']);
      expect(stdout).toContain(`inet ${h.address}/24`);
    }
  });

  it('lets h1 reach h2', async () => {
    const { stdout } = await run('ip', ['netns', 'exec', 'nimbus-h1', 'ssh', ...sshArgs('10.77.0.12'), 'hostname -I']);
    expect(stdout.trim()).toBe('10.77.0.12');
  });

  it('boots the guest under QEMU inside h1 and powers it off over QMP', async () => {
    const h1 = hosts[0];
    const guest = testGuest();
    const log = join(h1.dir, 'serial.log');
    const sock = join(h1.dir, 'qmp.sock');
    // QEMU runs in the foreground of the ssh session, so the ssh process ends when QEMU does.
    const qemuCmd = [
      'exec qemu-system-x86_64 -accel tcg -display none -nodefaults -m 128',
      `-kernel ${guest.kernel} -initrd ${guest.initrd} -append console=ttyS0`,
      `-serial file:${log} -qmp unix:${sock},server=on,wait=off`,
    ].join(' ');
    const proc = spawn('ssh', [...sshArgs(h1.address), qemuCmd], { stdio: ['ignore', 'ignore', 'pipe'] });
    qemu = proc;
    let stderr = '';
    proc.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));

    const died = exited.then((code) => Promise.reject(new Error(`QEMU ended (exit ${code}) before the guest was ready: ${stderr}`)));
    died.catch(() => undefined); // read only by the race below
    const ready = eventually(async () => (READY.test(readFileSync(log, 'utf8')) ? true : undefined), 45_000, `NIMBUS-GUEST-READY in ${log}`);
    await Promise.race([ready, died]);
    const { execute, socket } = await qmp(sock);
    try {
      expect(await execute('query-status')).toMatchObject({ status: 'running' });
      await execute('system_powerdown');
      const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r('still running after 10 s'), 10_000))]);
      expect(code, stderr).toBe(0);
    } finally {
      socket.destroy();
    }
  });
});
