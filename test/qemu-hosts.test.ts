import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliOk } from './harness/cli.js';
import { eventually, type TestDaemon } from './harness/daemon.js';
import { BOOT_MS, GUEST_READY, closeLab, guestTemplate, labDaemon, QemuLab } from './harness/qemu-lab.js';
import { createTestHosts, cutOffHost, realHostsAvailable, reviveTestHosts } from './harness/test-kit.js';
import { untilState, vmState, xmlText } from './harness/vm-state.js';

// The life cycle on real QEMU guests (TCG) on hosts made of network namespaces, each reached over SSH.
// h1 and h2 keep VM files on their own disks (TM_MAD ssh); h3 and h4 share one system datastore
// (TM_MAD shared), which live migration needs. Boots cost ~5 s of CPU each: the steps reuse guests.

let d: TestDaemon;
let lab: QemuLab;

/** An onevm command, as the guide types it: `onevm poweroff --hard 3` for the action poweroff-hard. */
async function onevm(...args: (string | number)[]): Promise<string> {
  return cliOk(d, 'onevm', args.map(String));
}

async function action(name: string, id: number): Promise<void> {
  const [verb, hard] = name.split('-hard');
  await onevm(verb!, ...(hard === undefined ? [] : ['--hard']), id);
}

const ONLY_SSH_HOSTS = 'SCHED_REQUIREMENTS = "TM_MAD = \\"ssh\\""';

/** The first bytes a server sends, after `hello` if given: a VNC server's RFB version, a websocket's upgrade answer. */
function firstAnswer(address: string, port: number, hello?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, address, () => hello && s.write(hello));
    s.once('data', (b) => {
      resolve(b.toString());
      s.destroy();
    });
    s.on('error', reject);
  });
}

describe.skipIf(!realHostsAvailable())('VMs on real QEMU hosts over SSH', () => {
  beforeAll(async () => {
    d = labDaemon();
    await d.start();
    lab = new QemuLab(d, await createTestHosts(4));
    await lab.register(['ssh', 'ssh', 'shared', 'shared']);
  }, 120_000);

  afterAll(() => closeLab(d), 60_000);

  it('reports each host\'s real capacity', async () => {
    const xml = String(await d.ok('one.host.info', lab.hostIds.h1!));
    expect(Number(xmlText(xml, 'TOTAL_CPU'))).toBeGreaterThanOrEqual(100);
    expect(Number(xmlText(xml, 'TOTAL_MEM'))).toBeGreaterThan(1_000_000);
    expect(xmlText(xml, 'HYPERVISOR')).toBe('qemu');
    expect(Number(xmlText(xml, 'DS_LOCATION_FREE_MB'))).toBeGreaterThan(0);
  });

  it('lists a QEMU nobody knows as a zombie of its host', async () => {
    const h1 = lab.hosts[0]!;
    const pidFile = join(h1.dir, 'stray.pid');
    execFileSync('ip', ['netns', 'exec', h1.namespace, 'qemu-system-x86_64', '-name', 'guest=one-9999,process=one-9999', '-S', '-accel', 'tcg',
      '-m', '32', '-nodefaults', '-display', 'none', '-daemonize', '-pidfile', pidFile]);
    try {
      await eventually(async () => xmlText(String(await d.ok('one.host.info', lab.hostIds.h1!)), 'ZOMBIES') === 'one-9999' || undefined, 15_000, 'the zombie listed');
      expect(xmlText(String(await d.ok('one.host.info', lab.hostIds.h2!)), 'TOTAL_ZOMBIES')).toBe('0');
    } finally {
      execFileSync('sh', ['-c', `kill -9 $(cat ${pidFile})`]);
    }
  });

  it('makes what the host printed on a failure the VM\'s ERROR', async () => {
    await d.ok('one.host.update', lab.hostIds.h2!, 'EMULATOR = "/nonexistent/qemu-system-x86_64"', 1);
    try {
      const id = Number(await d.ok('one.vm.allocate', guestTemplate('broken'), true));
      await onevm('deploy', id, 'h2');
      await untilState(d, id, 'BOOT_FAILURE', 30_000);
      expect(xmlText(await lab.vmXml(id), 'ERROR')).toMatch(/\/nonexistent\/qemu-system-x86_64: .*not found/);
      await onevm('recover', '--delete', id);
      await untilState(d, id, 'DONE', 30_000);
    } finally {
      await d.ok('one.host.update', lab.hostIds.h2!, 'EMULATOR = "qemu-system-x86_64"', 1);
    }
  });

  it('runs a guest through the whole life cycle on ssh hosts', async () => {
    const id = Number(await d.ok('one.vm.allocate', guestTemplate('life', { extra: ONLY_SSH_HOSTS }), true));
    await onevm('deploy', id, 'h1');
    await untilState(d, id, 'RUNNING', BOOT_MS);
    await lab.untilBooted(id);

    // VNC display 5900 + id, answering RFB on the host's address.
    const port = Number(/<PORT><!\[CDATA\[(\d+)\]\]><\/PORT>|<PORT>(\d+)<\/PORT>/.exec(await lab.vmXml(id))!.slice(1).find(Boolean));
    expect(port).toBe(5900 + id);
    expect(await firstAnswer(lab.hosts[0]!.address, port)).toMatch(/^RFB 003\.008/);
    // The same display over WebSocket 20000 ports higher, for browser consoles.
    const upgrade = `GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n` +
      'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: binary\r\n\r\n';
    expect(await firstAnswer(lab.hosts[0]!.address, port + 20000, upgrade)).toMatch(/^HTTP\/1\.1 101/);

    // Monitoring sees the guest's memory and CPU.
    await eventually(async () => Number(xmlText(await lab.vmXml(id), 'MEMORY') ?? 0) > 0 || undefined, 15_000, 'VM memory monitored');

    // reboot --hard resets at once; reboot goes through the guest's ACPI.
    await action('reboot-hard', id);
    await lab.untilBooted(id, 2);
    await action('reboot', id);
    await lab.untilBooted(id, 3);
    expect(await vmState(d, id)).toBe('RUNNING');

    // suspend keeps the guest's memory in a checkpoint on the host; resume brings the same guest back.
    await lab.onConsole(id, 'echo MARK-$((40+2))', 'MARK-42');
    await action('suspend', id);
    await untilState(d, id, 'SUSPENDED', 30_000);
    expect(existsSync(join(await lab.vmDir(id), 'checkpoint'))).toBe(true);
    await action('resume', id);
    await untilState(d, id, 'RUNNING', 30_000);
    await lab.onConsole(id, 'echo AFTER-SUSPEND-$((1+1))', 'AFTER-SUSPEND-2');

    // stop moves the VM's files to the front-end; resume brings them back and restores the memory.
    await action('stop', id);
    await untilState(d, id, 'STOPPED', 30_000);
    expect(existsSync(join(d.dataDir, 'datastores', '0', String(id), 'checkpoint'))).toBe(true);
    expect(existsSync(join(lab.locations.h1!, '0', String(id)))).toBe(false);
    await action('resume', id);
    await untilState(d, id, 'RUNNING', 60_000);
    await lab.onConsole(id, 'echo AFTER-STOP-$((2+1))', 'AFTER-STOP-3');

    // Cold migration saves the memory, copies the files to the other host and restores there.
    const from = await lab.hostOf(id);
    const to = from === 'h1' ? 'h2' : 'h1';
    await onevm('migrate', id, to);
    await eventually(async () => ((await vmState(d, id)) === 'RUNNING' && (await lab.hostOf(id)) === to) || undefined, 60_000, `VM ${id} running on ${to}`);
    expect(existsSync(join(lab.locations[from]!, '0', String(id)))).toBe(false);
    await lab.onConsole(id, 'echo AFTER-MIGRATE-$((3+1))', 'AFTER-MIGRATE-4');

    // A host that stops answering leaves its VMs UNKNOWN until it is back.
    const h = lab.hosts.find((x) => x.name === to)!;
    await cutOffHost(h);
    await untilState(d, id, 'UNKNOWN', 30_000);
    await reviveTestHosts(4);
    await untilState(d, id, 'RUNNING', 30_000);

    // The guest powering itself off is seen by monitoring: POWEROFF.
    await lab.onConsole(id, 'poweroff -f', 'poweroff -f');
    await untilState(d, id, 'POWEROFF', 30_000);
    const boots = (await lab.consoleLog(id)).match(GUEST_READY)?.length ?? 0;
    await action('resume', id);
    await untilState(d, id, 'RUNNING', BOOT_MS);
    await lab.untilBooted(id, boots + 1);

    // undeploy (ACPI) moves the files to the front-end without a checkpoint; resume boots again.
    await action('undeploy', id);
    await untilState(d, id, 'UNDEPLOYED', 60_000);
    expect(existsSync(join(d.dataDir, 'datastores', '0', String(id), 'disk.0'))).toBe(true);
    await action('resume', id);
    await untilState(d, id, 'RUNNING', BOOT_MS);
    await lab.untilBooted(id);

    // terminate (ACPI) ends the guest and removes its files.
    const dir = await lab.vmDir(id);
    await action('terminate', id);
    await untilState(d, id, 'DONE', 60_000);
    expect(existsSync(dir)).toBe(false);
  }, 600_000);

  it('takes, reverts and deletes a system snapshot, and resizes a running guest', async () => {
    // Both ssh hosts get a bridge: the VM's NIC is then a tap plugged into it.
    for (const h of lab.hosts.slice(0, 2)) execFileSync('sh', ['-c', `ip -n ${h.namespace} link show br0 >/dev/null 2>&1 || ip -n ${h.namespace} link add br0 type bridge`]);
    const extra = `VCPU_MAX = 2\nMEMORY_MAX = 512\nNIC = [ BRIDGE = "br0" ]\n${ONLY_SSH_HOSTS}`;
    const id = Number(await d.ok('one.vm.allocate', guestTemplate('snap', { noacpi: true, extra: `SHUTDOWN_TIMEOUT = 3\n${extra}` }), false));
    await untilState(d, id, 'RUNNING', BOOT_MS);
    await lab.untilBooted(id);
    const hostName = await lab.hostOf(id);
    const host = lab.hosts.find((h) => h.name === hostName)!;
    expect(execFileSync('ip', ['-n', host.namespace, '-o', 'link', 'show', `one-${id}-0`]).toString()).toMatch(/master br0/);

    // The guest's memory (its files live in RAM) goes back to what it was at the snapshot.
    await lab.onConsole(id, 'echo one > /x; echo W-$((1+1))', 'W-2');
    await onevm('snapshot-create', id, 'first');
    await eventually(async () => (await lab.vmXml(id)).includes('onesnap-0') || undefined, 30_000, 'snapshot taken');
    await untilState(d, id, 'RUNNING', 30_000);
    await lab.onConsole(id, 'echo two > /x; echo W-$((2+1))', 'W-3');
    await onevm('snapshot-revert', id, 0);
    await untilState(d, id, 'RUNNING', 30_000);
    await lab.onConsole(id, 'echo R-$(cat /x)', 'R-one');
    await onevm('snapshot-delete', id, 0);
    await eventually(async () => !(await lab.vmXml(id)).includes('onesnap-0') || undefined, 30_000, 'snapshot deleted');

    // A live resize plugs a vCPU the guest then has.
    await onevm('resize', id, '--vcpu', 2, '--memory', 384);
    await eventually(async () => xmlText(await lab.vmXml(id), 'VCPU') === '2' && (await vmState(d, id)) === 'RUNNING' || undefined, 30_000, 'resized');
    await lab.onConsole(id, 'echo P-$(cat /sys/devices/system/cpu/present)', 'P-0-1');
    // The resized guest is saved and restored with the vCPU and DIMM it was given.
    await action('suspend', id);
    await untilState(d, id, 'SUSPENDED', 30_000);
    await action('resume', id);
    await untilState(d, id, 'RUNNING', 30_000);
    await lab.onConsole(id, 'echo Q-$(cat /sys/devices/system/cpu/present)', 'Q-0-1');

    // A guest that ignores ACPI: the shutdown times out and the VM stays RUNNING with the reason;
    // with FORCE_DESTROY the next one stops it at the timeout.
    await action('poweroff', id);
    await eventually(async () => (xmlText(await lab.vmXml(id), 'ERROR') ?? '').includes('Timed out shutting down') || undefined, 30_000, 'shutdown timeout');
    expect(await vmState(d, id)).toBe('RUNNING');
    await d.ok('one.vm.update', id, 'FORCE_DESTROY = "yes"', 1);
    await action('undeploy', id);
    await untilState(d, id, 'UNDEPLOYED', 30_000);
    expect(execFileSync('sh', ['-c', `ip -n ${host.namespace} link show one-${id}-0 2>&1 || true`]).toString()).toMatch(/does not exist/);
    await action('terminate', id);
    await untilState(d, id, 'DONE', 30_000);
  }, 180_000);

  it('live-migrates between hosts sharing a datastore, also after the daemon was killed, and cold-migrates a powered-off and a running VM', async () => {
    const id = Number(await d.ok('one.vm.allocate', guestTemplate('live'), true));
    await onevm('deploy', id, 'h3');
    await untilState(d, id, 'RUNNING', BOOT_MS);
    await lab.untilBooted(id);
    await lab.onConsole(id, 'echo BEFORE-LIVE-$((4+1))', 'BEFORE-LIVE-5');

    // The daemon dies; QEMU does not, and the restarted daemon takes the VM up again.
    await d.kill();
    await d.start();
    await eventually(async () => (await vmState(d, id)) === 'RUNNING' || undefined, 30_000, 'VM still RUNNING after the restart');

    // A migration that cannot finish in MIGRATE_TIMEOUT is cancelled: the VM stays, running, on its source.
    await d.ok('one.host.update', lab.hostIds.h3!, 'MIGRATE_TIMEOUT = 0', 1);
    await onevm('migrate', id, 'h4', '--live');
    await eventually(async () => (xmlText(await lab.vmXml(id), 'ERROR') ?? '').includes('keeps running on h3') || undefined, 30_000, 'the failed migration reported');
    await untilState(d, id, 'RUNNING', 30_000);
    expect(await lab.hostOf(id)).toBe('h3');
    await d.ok('one.host.update', lab.hostIds.h3!, 'MIGRATE_TIMEOUT = 600', 1);

    await onevm('migrate', id, 'h4', '--live');
    await eventually(async () => ((await vmState(d, id)) === 'RUNNING' && (await lab.hostOf(id)) === 'h4') || undefined, 60_000, 'VM running on h4');
    await lab.onConsole(id, 'echo AFTER-LIVE-$((5+1))', 'AFTER-LIVE-6');
    // Same guest, never rebooted.
    expect((await lab.consoleLog(id)).match(GUEST_READY)?.length).toBe(1);

    // A QEMU that dies is seen by monitoring: the VM is POWEROFF.
    execFileSync('sh', ['-c', `kill -9 $(cat ${join(lab.runDirs.h4!, `one-${id}.pid`)})`]);
    await untilState(d, id, 'POWEROFF', 30_000);

    // Cold migrations: of a powered-off VM (it stays off), and of a running one powered off hard.
    await onevm('migrate', id, 'h3');
    await eventually(async () => ((await vmState(d, id)) === 'POWEROFF' && (await lab.hostOf(id)) === 'h3') || undefined, 30_000, 'VM off on h3');
    await action('resume', id);
    await untilState(d, id, 'RUNNING', BOOT_MS);
    await lab.untilBooted(id, 2);
    await onevm('migrate', id, 'h4', '--poweroff-hard');
    await eventually(async () => ((await vmState(d, id)) === 'RUNNING' && (await lab.hostOf(id)) === 'h4') || undefined, BOOT_MS, 'VM running on h4');
    await lab.untilBooted(id, 3);
    await action('poweroff-hard', id);
    await untilState(d, id, 'POWEROFF', 30_000);
    await action('terminate-hard', id);
    await untilState(d, id, 'DONE', 30_000);
  }, 240_000);
});
