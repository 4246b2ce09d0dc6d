import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Vm } from '../../domain/vm.js';
import { template, tempDataDir, vm } from '../test-fixtures.js';
import { LocalTransport } from '../transport/local.js';
import { prologImageDisks, relinkCommands, saveImageDisks } from './image-disks.js';

const hasQemuImg = (() => {
  try {
    execFileSync('qemu-img', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** qemu-img's view of a file (format, virtual size, backing file). */
function info(file: string): { format: string; 'virtual-size': number; 'backing-filename'?: string } {
  return JSON.parse(execFileSync('qemu-img', ['info', '--output=json', '-U', file], { encoding: 'utf8' }));
}

// Real files through the local transport: the front-end and the host are this machine, as a host that
// mounts the image datastore (qcow2, shared) or gets copies of it (ssh).
describe.skipIf(!hasQemuImg)('image disks on a host', () => {
  let root = '';
  let remove = async () => undefined as void;
  const t = new LocalTransport();
  const frontDs = () => join(root, 'front', 'datastores', '1');
  const hostLocation = () => join(root, 'host', 'datastores');
  const dir = () => join(hostLocation(), '0', '9');
  let source = '';

  /** A VM whose DISKs are those given, each on image `source` of datastore 1. */
  const withDisks = (...disks: Record<string, string>[]): Vm => {
    const v = vm(9);
    v.template = [...v.template, ...disks.map((d, i) => template({ DISK: { DISK_ID: String(i), SOURCE: source, DATASTORE_ID: '1', FORMAT: 'raw', SIZE: '1', ORIGINAL_SIZE: '1', ...d } })[0]!)];
    return v;
  };

  beforeEach(async () => {
    ({ dir: root, remove } = await tempDataDir());
    mkdirSync(frontDs(), { recursive: true });
    source = join(frontDs(), 'abc');
    writeFileSync(source, Buffer.alloc(1024 * 1024, 5));
    // the host mounts datastore 1 at its own location
    mkdirSync(hostLocation(), { recursive: true });
    execFileSync('ln', ['-s', frontDs(), join(hostLocation(), '1')]);
  });
  afterEach(() => remove());

  it('makes a qcow2 overlay on the image for a cloned disk of a qcow2 datastore, grown to its SIZE', async () => {
    await prologImageDisks(withDisks({ TM_MAD: 'qcow2', CLONE: 'YES', DRIVER: 'qcow2', SIZE: '4' }), t, t, hostLocation(), dir());
    const disk = info(join(dir(), 'disk.0'));
    expect(disk.format).toBe('qcow2');
    expect(disk['backing-filename']).toBe(join(hostLocation(), '1', 'abc'));
    expect(disk['virtual-size']).toBe(4 * 1024 * 1024);
    expect(existsSync(join(dir(), 'disk.0.part'))).toBe(false);
  });

  it('links persistent disks and CD-ROMs to the image, copies cloned disks of a shared datastore', async () => {
    await prologImageDisks(withDisks({ TM_MAD: 'shared', CLONE: 'NO', SAVE: 'YES' }, { TM_MAD: 'qcow2', CLONE: 'YES', TYPE: 'CDROM' }, { TM_MAD: 'shared', CLONE: 'YES' }), t, t, hostLocation(), dir());
    expect(readlinkSync(join(dir(), 'disk.0'))).toBe(join(hostLocation(), '1', 'abc'));
    expect(readlinkSync(join(dir(), 'disk.1'))).toBe(join(hostLocation(), '1', 'abc'));
    expect(lstatSync(join(dir(), 'disk.2')).isFile()).toBe(true);
    expect(readFileSync(join(dir(), 'disk.2')).equals(readFileSync(source))).toBe(true);
  });

  it('copies from the front-end (ssh) and saves a persistent copy back into its image when the VM is done', async () => {
    const v = withDisks({ TM_MAD: 'ssh', CLONE: 'NO', SAVE: 'YES' }, { TM_MAD: 'ssh', CLONE: 'YES' });
    await prologImageDisks(v, t, t, hostLocation(), dir());
    writeFileSync(join(dir(), 'disk.0'), Buffer.alloc(1024 * 1024, 8));
    writeFileSync(join(dir(), 'disk.1'), Buffer.alloc(1024 * 1024, 9));
    await saveImageDisks(v, t, t, dir());
    expect(readFileSync(source)[0]).toBe(8);
  });

  it('refuses to lose a persistent disk that is not on the host', async () => {
    await expect(saveImageDisks(withDisks({ TM_MAD: 'ssh', CLONE: 'NO', SAVE: 'YES' }), t, t, dir())).rejects.toThrow(/is not at .*disk\.0.*keeps its previous content/);
  });

  it('says which datastore the host must mount when the image is not there', async () => {
    await expect(prologImageDisks(withDisks({ TM_MAD: 'qcow2', CLONE: 'YES', DRIVER: 'qcow2', DATASTORE_ID: '7' }), t, t, hostLocation(), dir()))
      .rejects.toThrow(/is not on this host: mount datastore 7 at DATASTORE_LOCATION\/7/);
  });

  it('points links and overlays at the image as a new host mounts it', async () => {
    const v = withDisks({ TM_MAD: 'qcow2', CLONE: 'YES', DRIVER: 'qcow2' }, { TM_MAD: 'qcow2', CLONE: 'NO' }, { TM_MAD: 'ssh', CLONE: 'YES' });
    await prologImageDisks(v, t, t, hostLocation(), dir());
    const other = join(root, 'other');
    mkdirSync(other);
    execFileSync('ln', ['-s', frontDs(), join(other, '1')]);
    const commands = relinkCommands(v, other, dir());
    expect(commands).toHaveLength(2);
    await t.run(commands.join(' && '));
    expect(info(join(dir(), 'disk.0'))['backing-filename']).toBe(join(other, '1', 'abc'));
    expect(readlinkSync(join(dir(), 'disk.1'))).toBe(join(other, '1', 'abc'));
  });
});
