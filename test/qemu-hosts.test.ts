import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliOk } from './harness/cli.js';
import { eventually, TestDaemon } from './harness/daemon.js';
import { createTestHosts, cutOffHost, destroyTestHosts, reviveTestHosts, realHostsAvailable, testGuest, testKitSsh, type TestHost } from './harness/test-kit.js';
import { untilState, vmState, xmlText } from './harness/vm-state.js';

// The life cycle on real QEMU guests (TCG) on hosts made of network namespaces, each reached over SSH.
// h1 and h2 keep VM files on their own disks (TM_MAD ssh); h3 and h4 share one system datastore
// (TM_MAD shared), which live migration needs. Boots cost ~5 s of CPU each: the steps reuse guests.

const READY = /NIMBUS-GUEST-READY/g;
const BOOT_MS = 60_000;

let d: TestDaemon;
let hosts: TestHost[];
const hostIds: Record<string, number> = {};
const locations: Record<string, string> = {};
const runDirs: Record<string, string> = {};

function hostTemplate(h: TestHost, tm: 'ssh' | 'shared', sharedDir: string): string {
  locations[h.name] = tm === 'ssh' ? join(h.dir, 'datastores') : sharedDir;
  runDirs[h.name] = join(h.dir, 'run');
  return [
    `SSH_ADDRESS = "${h.address}"`, `TM_MAD = "${tm}"`, `DATASTORE_LOCATION = "${locations[h.name]}"`,
    `RUN_DIR = "${runDirs[h.name]}"`, `REMOTE_DIR = "${join(h.dir, 'remotes')}"`, 'ACCEL = "tcg"', 'ACPI_RETRY = 1',
  ].join('\n');
}

async function vmXml(id: number): Promise<string> {
  return String(await d.ok('one.vm.info', id));
}

async function hostOf(id: number): Promise<string> {
  const records = [...(await vmXml(id)).matchAll(/<HOSTNAME>([^<]*)<\/HOSTNAME>/g)];
  return records[records.length - 1]![1]!;
}

/** Where the VM's files are on its host (hosts share this machine's file system). */
async function vmDir(id: number): Promise<string> {
  return join(locations[await hostOf(id)]!, '0', String(id));
}

async function consoleLog(id: number): Promise<string> {
  const file = join(await vmDir(id), 'console.log');
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

/** Waits until the guest's console shows it reached init `times` times in all. */
async function untilBooted(id: number, times = 1): Promise<void> {
  await eventually(async () => ((await consoleLog(id)).match(READY)?.length ?? 0) >= times || undefined, BOOT_MS, `VM ${id} booted ${times} time(s)`);
}

/** Types a command on the guest's serial console and waits for `expect` in its console log. */
async function onConsole(id: number, command: string, expectText: string): Promise<void> {
  const socket = join(runDirs[await hostOf(id)]!, `one-${id}.serial`);
  await new Promise<void>((resolve, reject) => {
    const s = connect(socket, () => s.end(`${command}\n`, () => resolve()));
    s.on('error', reject);
  });
  await eventually(async () => (await consoleLog(id)).includes(expectText) || undefined, 15_000, `"${expectText}" on the console of VM ${id}`);
}

async function action(name: string, id: number): Promise<void> {
  await d.ok('one.vm.action', name, id);
}

function template(name: string, extra = ''): string {
  const g = testGuest();
  return `NAME = "${name}"
CPU = 0.5
VCPU = 1
MEMORY = 128
OS = [ KERNEL = "${g.kernel}", INITRD = "${g.initrd}", KERNEL_CMD = "console=ttyS0 quiet${extra.includes('noacpi') ? ' nimbus.noacpi' : ''}" ]
DISK = [ TYPE = "fs", SIZE = 16, FORMAT = "qcow2" ]
GRAPHICS = [ TYPE = "VNC", LISTEN = "0.0.0.0" ]
${extra.replace('noacpi', '')}`;
}

/** The first bytes a VNC server sends: its RFB version. */
function vncBanner(address: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, address);
    s.once('data', (b) => {
      resolve(b.toString());
      s.destroy();
    });
    s.on('error', reject);
  });
}

describe.skipIf(!realHostsAvailable())('VMs on real QEMU hosts over SSH', () => {
  beforeAll(async () => {
    hosts = await createTestHosts(4);
    const ssh = testKitSsh();
    d = new TestDaemon(`SSH = [ KEY = "${ssh.privateKeyPath}", KNOWN_HOSTS = "${ssh.knownHostsPath}" ]\n`, {
      baseConfig: 'LISTEN_ADDRESS = "127.0.0.1"\nPORT = 0\nMONITORING_INTERVAL_HOST = 1\nSCHED_INTERVAL = 0.5\nLOG = [ LEVEL = "debug" ]\n',
    });
    await d.start();
    const shared = join(hosts[0]!.dir, '..', 'shared-datastores');
    mkdirSync(shared, { recursive: true });
    for (const [i, h] of hosts.entries()) {
      // The way a user adds a real host: onehost create NAME -i qemu -v qemu, then its settings.
      const out = await cliOk(d, 'onehost', ['create', h.name, '-i', 'qemu', '-v', 'qemu']);
      hostIds[h.name] = Number(/ID: (\d+)/.exec(out)![1]);
      await d.ok('one.host.update', hostIds[h.name]!, hostTemplate(h, i < 2 ? 'ssh' : 'shared', shared), 1);
    }
    await eventually(async () => {
      const pool = String(await d.ok('one.hostpool.info'));
      return (pool.match(/<STATE>2<\/STATE>/g)?.length ?? 0) === 4 || undefined;
    }, 30_000, 'all four hosts MONITORED');
  }, 120_000);

  afterAll(async () => {
    if (process.env.NIMBUS_TEST_LOG) console.log(d?.log.split('\n').filter((l) => /"level":(40|50)/.test(l)).join('\n'));
    await d?.dispose();
    await destroyTestHosts();
  }, 60_000);

  it('reports each host\'s real capacity', async () => {
    const xml = String(await d.ok('one.host.info', hostIds.h1!));
    expect(Number(xmlText(xml, 'TOTAL_CPU'))).toBeGreaterThanOrEqual(100);
    expect(Number(xmlText(xml, 'TOTAL_MEM'))).toBeGreaterThan(1_000_000);
    expect(xmlText(xml, 'HYPERVISOR')).toBe('qemu');
    expect(Number(xmlText(xml, 'DS_LOCATION_FREE_MB'))).toBeGreaterThan(0);
  });

  it('runs a guest through the whole life cycle on ssh hosts', async () => {
    const id = Number(await d.ok('one.vm.allocate', template('life', 'SCHED_REQUIREMENTS = "TM_MAD = \\"ssh\\""'), true));
    await d.ok('one.vm.deploy', id, hostIds.h1!, false);
    await untilState(d, id, 'RUNNING', BOOT_MS);
    await untilBooted(id);

    // VNC display 5900 + id, answering RFB on the host's address.
    const port = Number(/<PORT><!\[CDATA\[(\d+)\]\]><\/PORT>|<PORT>(\d+)<\/PORT>/.exec(await vmXml(id))!.slice(1).find(Boolean));
    expect(port).toBe(5900 + id);
    expect(await vncBanner(hosts[0]!.address, port)).toMatch(/^RFB 003\.008/);

    // Monitoring sees the guest's memory and CPU.
    await eventually(async () => Number(xmlText(await vmXml(id), 'MEMORY') ?? 0) > 0 || undefined, 15_000, 'VM memory monitored');

    // reboot --hard resets at once; reboot goes through the guest's ACPI.
    await action('reboot-hard', id);
    await untilBooted(id, 2);
    await action('reboot', id);
    await untilBooted(id, 3);
    expect(await vmState(d, id)).toBe('RUNNING');

    // suspend keeps the guest's memory in a checkpoint on the host; resume brings the same guest back.
    await onConsole(id, 'echo MARK-$((40+2))', 'MARK-42');
    await action('suspend', id);
    await untilState(d, id, 'SUSPENDED', 30_000);
    expect(existsSync(join(await vmDir(id), 'checkpoint'))).toBe(true);
    await action('resume', id);
    await untilState(d, id, 'RUNNING', 30_000);
    await onConsole(id, 'echo AFTER-SUSPEND-$((1+1))', 'AFTER-SUSPEND-2');

    // stop moves the VM's files to the front-end; resume brings them back and restores the memory.
    await action('stop', id);
    await untilState(d, id, 'STOPPED', 30_000);
    expect(existsSync(join(d.dataDir, 'datastores', '0', String(id), 'checkpoint'))).toBe(true);
    expect(existsSync(join(locations.h1!, '0', String(id)))).toBe(false);
    await action('resume', id);
    await untilState(d, id, 'RUNNING', 60_000);
    await onConsole(id, 'echo AFTER-STOP-$((2+1))', 'AFTER-STOP-3');

    // Cold migration saves the memory, copies the files to the other host and restores there.
    const from = await hostOf(id);
    const to = from === 'h1' ? 'h2' : 'h1';
    await d.ok('one.vm.migrate', id, hostIds[to]!, false, false, -1, 0);
    await eventually(async () => ((await vmState(d, id)) === 'RUNNING' && (await hostOf(id)) === to) || undefined, 60_000, `VM ${id} running on ${to}`);
    expect(existsSync(join(locations[from]!, '0', String(id)))).toBe(false);
    await onConsole(id, 'echo AFTER-MIGRATE-$((3+1))', 'AFTER-MIGRATE-4');

    // A host that stops answering leaves its VMs UNKNOWN until it is back.
    const h = hosts.find((x) => x.name === to)!;
    await cutOffHost(h);
    await untilState(d, id, 'UNKNOWN', 30_000);
    await reviveTestHosts(4);
    await untilState(d, id, 'RUNNING', 30_000);

    // The guest powering itself off is seen by monitoring: POWEROFF.
    await onConsole(id, 'poweroff -f', 'poweroff -f');
    await untilState(d, id, 'POWEROFF', 30_000);
    const boots = (await consoleLog(id)).match(READY)?.length ?? 0;
    await action('resume', id);
    await untilState(d, id, 'RUNNING', BOOT_MS);
    await untilBooted(id, boots + 1);

    // undeploy (ACPI) moves the files to the front-end without a checkpoint; resume boots again.
    await action('undeploy', id);
    await untilState(d, id, 'UNDEPLOYED', 60_000);
    expect(existsSync(join(d.dataDir, 'datastores', '0', String(id), 'disk.0'))).toBe(true);
    await action('resume', id);
    await untilState(d, id, 'RUNNING', BOOT_MS);
    await untilBooted(id);

    // terminate (ACPI) ends the guest and removes its files.
    const dir = await vmDir(id);
    await action('terminate', id);
    await untilState(d, id, 'DONE', 60_000);
    expect(existsSync(dir)).toBe(false);
  }, 600_000);

  it('fails a shutdown the guest ignores back to RUNNING with the reason, and --hard then stops it', async () => {
    const id = Number(await d.ok('one.vm.allocate', template('deaf', 'noacpi\nSHUTDOWN_TIMEOUT = 3\nSCHED_REQUIREMENTS = "TM_MAD = \\"ssh\\""'), false));
    await untilState(d, id, 'RUNNING', BOOT_MS);
    await untilBooted(id);
    await action('poweroff', id);
    await eventually(async () => (xmlText(await vmXml(id), 'ERROR') ?? '').includes('Timed out shutting down') || undefined, 30_000, 'shutdown timeout');
    expect(await vmState(d, id)).toBe('RUNNING');
    await action('poweroff-hard', id);
    await untilState(d, id, 'POWEROFF', 30_000);
    await action('terminate-hard', id);
    await untilState(d, id, 'DONE', 30_000);
  }, 180_000);

  it('live-migrates between hosts sharing a datastore, also after the daemon was killed', async () => {
    const id = Number(await d.ok('one.vm.allocate', template('live'), true));
    await d.ok('one.vm.deploy', id, hostIds.h3!, false);
    await untilState(d, id, 'RUNNING', BOOT_MS);
    await untilBooted(id);
    await onConsole(id, 'echo BEFORE-LIVE-$((4+1))', 'BEFORE-LIVE-5');

    // The daemon dies; QEMU does not, and the restarted daemon takes the VM up again.
    await d.kill();
    await d.start();
    await eventually(async () => (await vmState(d, id)) === 'RUNNING' || undefined, 30_000, 'VM still RUNNING after the restart');

    await d.ok('one.vm.migrate', id, hostIds.h4!, true, false, -1, 0);
    await eventually(async () => ((await vmState(d, id)) === 'RUNNING' && (await hostOf(id)) === 'h4') || undefined, 60_000, 'VM running on h4');
    await onConsole(id, 'echo AFTER-LIVE-$((5+1))', 'AFTER-LIVE-6');
    // Same guest, never rebooted.
    expect((await consoleLog(id)).match(READY)?.length).toBe(1);
    await action('terminate-hard', id);
    await untilState(d, id, 'DONE', 30_000);
  }, 240_000);
});
