import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SSHD = '/usr/sbin/sshd';

/** A throwaway sshd on 127.0.0.1 for tests, with its own host key and one authorized client key. */
export interface TestSshd {
  address: string;
  port: number;
  /** Private key of the authorized client (root). */
  clientKeyPath: string;
  /** A known_hosts file listing this sshd's host key. */
  knownHostsPath: string;
  /** A scratch directory for the tests' own files. */
  dir: string;
  /** How many client connections sshd is serving (it forks one process per connection). */
  connectionCount(): number;
  /** Kills the per-connection sshd processes, dropping every client connection; the listener stays. */
  dropConnections(): void;
  stop(): void;
}

/** Starts sshd -D on a free port; needs root and openssh-server (apt-get install openssh-server). */
export async function startTestSshd(opts: { maxSessions?: number } = {}): Promise<TestSshd> {
  if (!existsSync(SSHD)) {
    throw new Error(`${SSHD} is missing: install openssh-server (apt-get install -y --no-install-recommends openssh-server openssh-client)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'nimbus-sshd-'));
  const hostKey = join(dir, 'host_key');
  const clientKeyPath = join(dir, 'client_key');
  keygen(hostKey);
  keygen(clientKeyPath);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${clientKeyPath}.pub`));
  const port = await freePort();
  const config = join(dir, 'sshd_config');
  writeFileSync(config, [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${hostKey}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'StrictModes no',
    'UsePAM no',
    'PermitRootLogin prohibit-password',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'AllowStreamLocalForwarding yes',
    `MaxSessions ${opts.maxSessions ?? 10}`,
    'LogLevel ERROR',
    '',
  ].join('\n'));
  // sshd's privilege separation directory; the package creates it only at boot.
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const knownHostsPath = join(dir, 'known_hosts');
  const [type, key] = readFileSync(`${hostKey}.pub`, 'utf8').split(' ');
  writeFileSync(knownHostsPath, `[127.0.0.1]:${port} ${type} ${key}\n`);

  const sshd = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  sshd.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  await waitForPort(port, sshd, () => log);
  return {
    address: '127.0.0.1',
    port,
    clientKeyPath,
    knownHostsPath,
    dir,
    connectionCount: () => childrenOf(sshd.pid!).length,
    dropConnections: () => {
      for (const pid of childrenOf(sshd.pid!)) process.kill(pid, 'SIGKILL');
    },
    stop: () => {
      sshd.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function keygen(path: string): void {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'nimbus-test', '-f', path]);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, sshd: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (sshd.exitCode !== null) throw new Error(`sshd exited with ${sshd.exitCode}: ${log()}`);
    if (await accepts(port)) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  sshd.kill('SIGKILL');
  throw new Error(`sshd did not listen on port ${port} within 2 s: ${log()}`);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Process ids whose parent is `pid`, read from /proc. */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the parenthesised command name: state, ppid, ...
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return children;
}
