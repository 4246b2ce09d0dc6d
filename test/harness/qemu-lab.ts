import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { cliOk } from './cli.js';
import { eventually, TestDaemon } from './daemon.js';
import { destroyTestHosts, testGuest, testKitSsh, type TestHost } from './test-kit.js';

/** Each boot of the test guest prints this on its console once init runs. */
export const GUEST_READY = /NIMBUS-GUEST-READY/g;
export const BOOT_MS = 60_000;

/** A daemon that reaches the kit's hosts over SSH with the kit's key, monitoring every second. */
export function labDaemon(): TestDaemon {
  const ssh = testKitSsh();
  return new TestDaemon(`SSH = [ KEY = "${ssh.privateKeyPath}", KNOWN_HOSTS = "${ssh.knownHostsPath}" ]\n`, {
    baseConfig: 'LISTEN_ADDRESS = "127.0.0.1"\nPORT = 0\nMONITORING_INTERVAL_HOST = 1\nSCHED_INTERVAL = 0.5\nLOG = [ LEVEL = "debug" ]\n',
  });
}

/** `mount --bind` as a link: the host sees the front-end's datastore directory at its own location. */
function mountDatastore(frontEnd: string, onHost: string): void {
  mkdirSync(frontEnd, { recursive: true });
  mkdirSync(dirname(onHost), { recursive: true });
  rmSync(onHost, { recursive: true, force: true });
  symlinkSync(frontEnd, onHost);
}

/** Ends a real-host test: the daemon stopped (its warnings printed when NIMBUS_TEST_LOG is set), the test hosts gone. */
export async function closeLab(d: TestDaemon | undefined): Promise<void> {
  if (process.env.NIMBUS_TEST_LOG) console.log(d?.log.split('\n').filter((l) => /"level":(40|50)/.test(l)).join('\n'));
  await d?.dispose();
  await destroyTestHosts();
}

/**
 * A VM template booting the test guest, with a qcow2 volatile disk and a VNC display; `noacpi` makes a guest
 * that ignores ACPI, `root` one that boots from that disk (vdb: an OS image given in `extra`).
 */
export function guestTemplate(name: string, opts: { noacpi?: boolean; root?: string; extra?: string } = {}): string {
  const g = testGuest();
  return `NAME = "${name}"
CPU = 0.5
VCPU = 1
MEMORY = 128
OS = [ KERNEL = "${g.kernel}", INITRD = "${g.initrd}", KERNEL_CMD = "console=ttyS0 quiet${opts.noacpi ? ' nimbus.noacpi' : ''}${opts.root ? ` nimbus.root=/dev/${opts.root}` : ''}" ]
DISK = [ TYPE = "fs", SIZE = 16, FORMAT = "qcow2" ]
GRAPHICS = [ TYPE = "VNC", LISTEN = "0.0.0.0" ]
${opts.extra ?? ''}`;
}

/**
 * The kit's hosts registered in a daemon as a user does (onehost create NAME -i qemu -v qemu, then their
 * settings), and what tests and the benchmark read of their VMs. Hosts share this machine's file system, so
 * a VM's files and console log are read directly.
 */
export class QemuLab {
  readonly hostIds: Record<string, number> = {};
  readonly locations: Record<string, string> = {};
  readonly runDirs: Record<string, string> = {};

  constructor(readonly d: TestDaemon, readonly hosts: TestHost[]) {}

  /**
   * Registers the hosts, each with its system datastore mode; `shared` ones share one directory. Every
   * host mounts the image datastores (1, and `imageDatastores`) at its DATASTORE_LOCATION, as qcow2 and
   * shared datastores need: here a symbolic link to the front-end's directory. Waits until all are MONITORED.
   */
  async register(modes: ('ssh' | 'shared')[], imageDatastores: number[] = []): Promise<void> {
    const shared = join(this.hosts[0]!.dir, '..', 'shared-datastores');
    mkdirSync(shared, { recursive: true });
    for (const [i, h] of this.hosts.entries()) {
      const tm = modes[i] ?? 'ssh';
      const out = await cliOk(this.d, 'onehost', ['create', h.name, '-i', 'qemu', '-v', 'qemu']);
      this.hostIds[h.name] = Number(/ID: (\d+)/.exec(out)![1]);
      this.locations[h.name] = tm === 'ssh' ? join(h.dir, 'datastores') : shared;
      for (const ds of [1, ...imageDatastores]) mountDatastore(join(this.d.dataDir, 'datastores', String(ds)), join(this.locations[h.name]!, String(ds)));
      this.runDirs[h.name] = join(h.dir, 'run');
      const settings = [
        `SSH_ADDRESS = "${h.address}"`, `TM_MAD = "${tm}"`, `DATASTORE_LOCATION = "${this.locations[h.name]}"`,
        `RUN_DIR = "${this.runDirs[h.name]}"`, `REMOTE_DIR = "${join(h.dir, 'remotes')}"`, 'ACCEL = "tcg"', 'ACPI_RETRY = 1',
      ];
      await this.d.ok('one.host.update', this.hostIds[h.name]!, settings.join('\n'), 1);
    }
    await eventually(async () => {
      const pool = String(await this.d.ok('one.hostpool.info'));
      return (pool.match(/<STATE>2<\/STATE>/g)?.length ?? 0) === this.hosts.length || undefined;
    }, 30_000, 'every host MONITORED');
  }

  async vmXml(id: number): Promise<string> {
    return String(await this.d.ok('one.vm.info', id));
  }

  /** The host of the VM's last history record. */
  async hostOf(id: number): Promise<string> {
    const records = [...(await this.vmXml(id)).matchAll(/<HOSTNAME>([^<]*)<\/HOSTNAME>/g)];
    return records[records.length - 1]![1]!;
  }

  /** The VM's directory on its host. */
  async vmDir(id: number): Promise<string> {
    return join(this.locations[await this.hostOf(id)]!, '0', String(id));
  }

  async consoleLog(id: number): Promise<string> {
    const file = join(await this.vmDir(id), 'console.log');
    return existsSync(file) ? readFileSync(file, 'utf8') : '';
  }

  async boots(id: number): Promise<number> {
    return (await this.consoleLog(id)).match(GUEST_READY)?.length ?? 0;
  }

  /** Waits until the guest's console shows it reached init `times` times in all. */
  async untilBooted(id: number, times = 1): Promise<void> {
    await eventually(async () => (await this.boots(id)) >= times || undefined, BOOT_MS, `VM ${id} booted ${times} time(s)`);
  }

  /** Types a command on the guest's serial console and waits for `expectText` in its console log. */
  async onConsole(id: number, command: string, expectText: string): Promise<void> {
    const socket = join(this.runDirs[await this.hostOf(id)]!, `one-${id}.serial`);
    await new Promise<void>((resolve, reject) => {
      const s = connect(socket, () => s.end(`${command}\n`, () => resolve()));
      s.on('error', reject);
    });
    await eventually(async () => (await this.consoleLog(id)).includes(expectText) || undefined, 15_000, `"${expectText}" on the console of VM ${id}`);
  }
}
