import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { markSaveAs } from '../../domain/disk-saveas.js';
import type { Vm } from '../../domain/vm.js';
import { stateNumbers, type StateName } from '../../lifecycle/states.js';
import type { HostAccess } from '../host-access.js';
import { vmDir } from '../qemu/vm-files.js';
import { ctx, host, vm } from '../test-fixtures.js';
import { LocalTransport } from '../transport/local.js';
import { saveDiskFile } from './disk-saveas.js';

const hasQemuImg = spawnSync('qemu-img', ['--version']).status === 0;

// cpds with the real qemu-img, the host and the front-end being two local transports on this machine.
describe.skipIf(!hasQemuImg)('saveDiskFile (cpds)', () => {
  let dir: string;
  let access: HostAccess;
  const image = () => join(dir, 'datastores', '1', 'saved');

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nimbus-cpds-'));
    const onHost = new LocalTransport({ host: 'host1' });
    access = {
      transport: () => onHost,
      frontEnd: new LocalTransport(),
      frontEndLocation: join(dir, 'front-end'),
      defaultPaths: () => ({ location: join(dir, 'host'), runDir: join(dir, 'run') }),
    };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** VM 6 in `state` with DISK 0 (`disk` attributes) marked to be saved at `snapshot`; its files under `location`. */
  function saving(state: StateName, location: string, disk: Record<string, string>, snapshot = -1): { v: Vm; file: string } {
    const base = vm(6);
    const { state: s, lcm } = stateNumbers(state);
    const v: Vm = { ...base, state: s, lcmState: lcm, template: [...base.template, { name: 'DISK', value: { DISK_ID: '0', IMAGE_ID: '2', SOURCE: '/x', ...disk } }] };
    const d = vmDir(location, 6);
    mkdirSync(d, { recursive: true });
    return { v: markSaveAs(v, 0, { id: 9, source: image() }, snapshot), file: join(d, 'disk.0') };
  }

  it('converts the disk on its host into the image\'s SOURCE on the front-end and leaves no copy behind', async () => {
    const { v, file } = saving('HOTPLUG_SAVEAS_POWEROFF', join(dir, 'host'), { FORMAT: 'raw' });
    writeFileSync(file, Buffer.alloc(1024 * 1024, 7));
    await expect(saveDiskFile(ctx(v, host(1), dir), 'ssh', access)).resolves.toBe('');
    expect(readFileSync(image()).equals(Buffer.alloc(1024 * 1024, 7))).toBe(true);
    expect(existsSync(join(vmDir(join(dir, 'host'), 6), 'saveas.0'))).toBe(false);
  });

  it.each<[string, 'ssh' | 'shared', string]>([
    ['on the front-end for a stopped VM of an ssh system datastore', 'ssh', 'front-end'],
    ['on the host for a stopped VM of a shared one', 'shared', 'host'],
  ])('finds the files %s', async (_, mode, where) => {
    const { v, file } = saving('HOTPLUG_SAVEAS_STOPPED', join(dir, where), { FORMAT: 'raw' });
    writeFileSync(file, 'stopped');
    await saveDiskFile(ctx(v, host(1), dir), mode, access);
    expect(readFileSync(image(), 'utf8').startsWith('stopped')).toBe(true);
  });

  it('saves a disk snapshot, not what the disk holds now, in the image\'s format', async () => {
    const { v, file } = saving('HOTPLUG_SAVEAS_SUSPENDED', join(dir, 'host'), { FORMAT: 'raw', DRIVER: 'qcow2' }, 1);
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', file, '1M']);
    execFileSync('qemu-io', ['-c', 'write -P 0x41 0 4', file]);
    execFileSync('qemu-img', ['snapshot', '-c', 'disk-snap-1', file]);
    execFileSync('qemu-io', ['-c', 'write -P 0x42 0 4', file]);
    await saveDiskFile(ctx(v, host(1), dir), 'ssh', access);
    expect(readFileSync(image()).subarray(0, 4).toString()).toBe('AAAA');
    expect(readFileSync(image()).length).toBe(1024 * 1024);
  });

  it('says what is wrong when no disk is marked, or the disk file is missing', async () => {
    await expect(saveDiskFile(ctx(vm(6), host(1), dir), 'ssh', access)).rejects.toThrow(/VM 6 has no disk marked to be saved/);
    const { v } = saving('HOTPLUG_SAVEAS_POWEROFF', join(dir, 'host'), { FORMAT: 'raw' });
    await expect(saveDiskFile(ctx(v, host(1), dir), 'ssh', access)).rejects.toThrow(/disk\.0/);
    expect(existsSync(image())).toBe(false);
  });
});
