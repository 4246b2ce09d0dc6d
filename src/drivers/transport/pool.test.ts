import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Template } from '../../template/types.js';
import { LocalTransport } from './local.js';
import { TransportPool } from './pool.js';
import { SshTransport } from './ssh.js';
import { startTestSshd, type TestSshd } from './test-sshd.js';

function host(name: string, attrs: Record<string, string> = {}): { name: string; template: Template } {
  return { name, template: Object.entries(attrs).map(([n, value]) => ({ name: n, value })) };
}

describe('TransportPool without a host to reach', () => {
  const pool = new TransportPool({ frontEndNames: ['localhost', 'fe1'] });
  afterAll(() => pool.closeAll());

  it('runs locally for the front-end names and for TRANSPORT = "local"', () => {
    expect(pool.forHost(host('localhost'))).toBeInstanceOf(LocalTransport);
    expect(pool.forHost(host('fe1'))).toBeInstanceOf(LocalTransport);
    expect(pool.forHost(host('node7', { TRANSPORT: 'LOCAL' }))).toBeInstanceOf(LocalTransport);
  });

  it('uses SSH for other hosts, and for the front-end when TRANSPORT = "ssh"', () => {
    expect(pool.forHost(host('node1'))).toBeInstanceOf(SshTransport);
    expect(pool.forHost(host('localhost', { TRANSPORT: 'ssh' }))).toBeInstanceOf(SshTransport);
  });

  it('keeps one transport per host until its settings change', () => {
    const first = pool.forHost(host('node2', { SSH_PORT: '2222' }));
    expect(pool.forHost(host('node2', { SSH_PORT: '2222', HYPERVISOR: 'kvm' }))).toBe(first);
    expect(pool.forHost(host('node2', { SSH_PORT: '2223' }))).not.toBe(first);
    expect(first.host).toBe('node2');
  });

  it('makes a new transport after forget()', () => {
    const first = pool.forHost(host('node3'));
    pool.forget('node3');
    expect(pool.forHost(host('node3'))).not.toBe(first);
  });

  it('rejects an unknown TRANSPORT and a bad SSH_PORT, saying what to set', () => {
    expect(() => pool.forHost(host('n', { TRANSPORT: 'telnet' }))).toThrow(/^TRANSPORT = "telnet" is not known; set it to "local" or "ssh".*host n/);
    for (const port of ['22x', '0', '70000']) {
      expect(() => pool.forHost(host('n', { SSH_PORT: port }))).toThrow(new RegExp(`^SSH_PORT = "${port}" is not a port number`));
    }
  });
});

describe('TransportPool reaching a real sshd', () => {
  let sshd: TestSshd;
  let pool: TransportPool;
  beforeAll(async () => {
    sshd = await startTestSshd();
    pool = new TransportPool({ ssh: { privateKeyPath: sshd.clientKeyPath, knownHostsPath: sshd.knownHostsPath } });
  });
  afterAll(() => {
    pool?.closeAll();
    sshd?.stop();
  });

  it('connects to SSH_ADDRESS and SSH_PORT of the host, as root by default', async () => {
    const t = pool.forHost(host('node1', { SSH_ADDRESS: sshd.address, SSH_PORT: String(sshd.port) }));
    expect(await t.run('whoami')).toBe('root\n');
  });

  it('logs in as SSH_USER when the host sets it', async () => {
    const t = pool.forHost(host('node2', { SSH_ADDRESS: sshd.address, SSH_PORT: String(sshd.port), SSH_USER: 'oneadmin' }));
    await expect(t.run('true')).rejects.toThrow(/^cannot connect to oneadmin@127\.0\.0\.1:/);
  });

  it('closes every connection on closeAll()', async () => {
    await pool.forHost(host('node1', { SSH_ADDRESS: sshd.address, SSH_PORT: String(sshd.port) })).run('true');
    expect(sshd.connectionCount()).toBeGreaterThan(0);
    pool.closeAll();
    for (let i = 0; i < 200 && sshd.connectionCount() > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(sshd.connectionCount()).toBe(0);
  });
});
