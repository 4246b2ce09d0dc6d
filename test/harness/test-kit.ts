import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import type { Socket } from 'node:net';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './daemon.js';

// The real-host test kit: the tiny guest built by scripts/build-test-guest.sh and the network-namespace hosts of
// scripts/test-hosts.sh. This module finds paths, runs those scripts (they hold the facts), and makes sure only one
// test process at a time owns the hosts, which are machine-wide (fixed bridge, namespaces and addresses).

const run = promisify(execFile);

/** The kit's directory, where the scripts keep the guest and the hosts: $NIMBUS_TEST_KIT or <repo>/.test-kit. */
export function testKitDir(): string {
  return process.env.NIMBUS_TEST_KIT ?? join(ROOT, '.test-kit');
}

const hostsState = (): string => join(testKitDir(), 'hosts');

/** The guest's kernel and initramfs (absolute paths). It prints NIMBUS-GUEST-READY on ttyS0 once booted. */
export function testGuest(): { kernel: string; initrd: string; rootfs: string } {
  const dir = join(testKitDir(), 'guest');
  const guest = { kernel: join(dir, 'vmlinuz'), initrd: join(dir, 'initrd.img'), rootfs: join(dir, 'rootfs.img') };
  if (!existsSync(guest.kernel) || !existsSync(guest.initrd)) {
    throw new Error(`the test guest is not built (no ${guest.kernel} or ${guest.initrd}): run 'bash scripts/build-test-guest.sh' as root`);
  }
  return guest;
}

/** One host of the kit: a network namespace with its own sshd on `address`, and a directory for its files. */
export interface TestHost {
  /** h1, h2, ... */
  name: string;
  /** 10.77.0.11 for h1, 10.77.0.12 for h2, ...; the front-end is 10.77.0.1. */
  address: string;
  /** nimbus-h1, ...: `ip netns exec` runs a command on the host without ssh. */
  namespace: string;
  /** The host's own files (absolute path), emptied when the hosts are destroyed. */
  dir: string;
}

/** How the front-end logs in to every host: root, with the kit's key and a known_hosts holding every host's key. */
export function testKitSsh(): { user: 'root'; privateKeyPath: string; knownHostsPath: string } {
  return { user: 'root', privateKeyPath: join(hostsState(), 'id_ed25519'), knownHostsPath: join(hostsState(), 'known_hosts') };
}

/** The hosts belong to one test file at a time: how long another file waits for them before it fails. */
const CLAIM_WAIT_S = 600;

/**
 * A child `flock` holding the kit's in-use lock. The kernel drops the lock when the holder dies, and the holder
 * ends when its standard input closes, so a test process that crashes never leaves the hosts claimed.
 */
let claim: ChildProcess | null = null;

async function claimHosts(): Promise<void> {
  if (claim) return;
  mkdirSync(hostsState(), { recursive: true });
  const holder = spawn('flock', ['-w', String(CLAIM_WAIT_S), join(hostsState(), '.in-use'), '-c', 'echo claimed; exec cat >/dev/null'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    holder.stdout.once('data', () => resolve());
    holder.once('error', reject);
    holder.once('exit', () =>
      reject(new Error(`the test hosts stayed in use by another test process for ${CLAIM_WAIT_S} s: run the test files that use them one at a time`)),
    );
  });
  // The holder must not keep the test process alive; its standard input stays open as the tie.
  holder.stdout.destroy();
  (holder.stdin as Socket).unref();
  holder.unref();
  claim = holder;
}

function releaseHosts(): void {
  claim?.stdin?.end();
  claim = null;
}

async function hostsScript(...args: string[]): Promise<string> {
  try {
    return (await run('bash', [join(ROOT, 'scripts', 'test-hosts.sh'), ...args], { timeout: 60_000 })).stdout;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`scripts/test-hosts.sh ${args.join(' ')} failed: ${err.stderr?.trim() || err.message}`);
  }
}

/**
 * Makes `n` fresh hosts (h1..hn): claims the kit for this process (waiting while another test file holds it),
 * clears what an earlier run left, and runs `scripts/test-hosts.sh create n`.
 */
export async function createTestHosts(n: number): Promise<TestHost[]> {
  await claimHosts();
  await hostsScript('destroy');
  const out = await hostsScript('create', String(n));
  return out
    .split('\n')
    .map((line) => /^(h\d+) (nimbus-h\d+) (\S+) (.+)$/.exec(line))
    .filter((m) => m !== null)
    .map(([, name, namespace, address, dir]) => ({ name, namespace, address, dir }));
}

/** Makes a host stop answering: kills every sshd process in its namespace (its QEMUs keep running). */
export async function cutOffHost(h: TestHost): Promise<void> {
  const script = `for p in $(pgrep -x sshd); do [ "$(ip netns identify "$p" 2>/dev/null)" = "${h.namespace}" ] && kill -9 "$p"; done; true`;
  await run('sh', ['-c', script]);
}

/** Starts the sshd of every host of the kit that has none (after cutOffHost); leaves everything else as it is. */
export async function reviveTestHosts(n: number): Promise<void> {
  await hostsScript('create', String(n));
}

/** Ends everything running on the hosts, deletes them, and frees the kit for other test files. No-op unless claimed. */
export async function destroyTestHosts(): Promise<void> {
  if (!claim) return;
  try {
    await hostsScript('destroy');
  } finally {
    releaseHosts();
  }
}

function onPath(program: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, program)));
}

/** True when real-host tests can run here: root, QEMU, sshd and the built guest (CI always has them). */
export function realHostsAvailable(): boolean {
  const guest = join(testKitDir(), 'guest');
  return (
    process.getuid?.() === 0 &&
    onPath('qemu-system-x86_64') &&
    existsSync('/usr/sbin/sshd') &&
    existsSync(join(guest, 'vmlinuz')) &&
    existsSync(join(guest, 'initrd.img'))
  );
}
