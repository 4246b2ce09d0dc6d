import { readFile } from 'node:fs/promises';
import type { Host } from '../../domain/host.js';
import type { DiskOperation } from '../../domain/vm-disk-operations.js';
import { diskMarkedFor } from '../disk-operation-target.js';
import { isVolatile } from '../../domain/vm-disks.js';
import type { Vm } from '../../domain/vm.js';
import { getVector, getVectors } from '../../template/access.js';
import type { TemplateVector } from '../../template/types.js';
import { pathsOf, type HostAccess } from '../host-access.js';
import { vmDir } from '../qemu/vm-files.js';
import { shellQuote as q } from '../transport/shell-quote.js';
import type { Transport } from '../transport/types.js';
import { DriverError, type TmAction, type TmDriver, type VmContext } from '../types.js';
import { contextCdrom } from './context-cdrom.js';
import { filesPlace } from './files-place.js';
import { saveDiskFile } from './disk-saveas.js';
import { snapshotDiskFile } from './disk-snapshots.js';
import { prologImageDisks, relinkCommands, saveImageDisks, type DiskFilter } from './image-disks.js';
import { copyTree, dirExists } from './tree-copy.js';

/**
 * How the system datastore reaches hosts, as OpenNebula's TM_MAD of a system datastore:
 * - ssh: each host has its own disk; stop, undeploy and cold migration copy the VM's directory to the
 *   front-end or the next host;
 * - shared: every host mounts the same datastore at its DATASTORE_LOCATION, so files stay where they are
 *   (what live migration needs).
 */
export type SystemDsMode = 'ssh' | 'shared';

function diskSize(vm: Vm, d: TemplateVector): number {
  const size = Number(d.SIZE);
  if (!d.SIZE || !Number.isInteger(size) || size <= 0) {
    throw new DriverError(`DISK ${d.DISK_ID} of VM ${vm.id} is volatile (TYPE=${d.TYPE}) but its SIZE "${d.SIZE ?? ''}" is not a whole number of MB`);
  }
  return size;
}

/** The shell commands that create a VM's volatile disks (those `only` picks) in `dir`; disks from images are image-disks.ts's. */
function volatileDisks(vm: Vm, dir: string, only: DiskFilter = () => true): string[] {
  return getVectors(vm.template, 'DISK').filter(only).flatMap((d) => {
    if (!isVolatile(d)) {
      if (d.SOURCE) return [];
      throw new DriverError(`DISK ${d.DISK_ID} of VM ${vm.id} has neither an image (SOURCE) nor a volatile TYPE ("fs" or "swap" with SIZE)`);
    }
    const file = `${dir}/disk.${d.DISK_ID}`;
    const format = (d.FORMAT ?? 'raw').toLowerCase();
    const swap = d.TYPE!.toUpperCase() === 'SWAP';
    if (swap && format !== 'raw') throw new DriverError(`DISK ${d.DISK_ID} of VM ${vm.id} is swap: its FORMAT must be raw`);
    const create = `qemu-img create -q -f ${q(format)} ${q(file)} ${diskSize(vm, d)}M`;
    return [swap ? `${create} && mkswap -q ${q(file)} >/dev/null` : create];
  });
}

/** The disk marked for `op`, and a filter that picks it; the operation cannot run without one. */
function markedFor(vm: Vm, op: DiskOperation): { disk: TemplateVector; only: DiskFilter } {
  const disk = diskMarkedFor(vm, op);
  return { disk, only: (d) => d.DISK_ID === disk.DISK_ID };
}

/** Kernel and initrd files (OS/KERNEL, OS/INITRD: paths on the front-end) copied into the VM's directory. */
async function bootFiles(ctx: VmContext, access: HostAccess, dir: string): Promise<void> {
  const os = getVector(ctx.vm.template, 'OS') ?? {};
  for (const [attr, name] of [['KERNEL', 'kernel'], ['INITRD', 'initrd']] as const) {
    const path = os[attr];
    if (!path) continue;
    const data = await readFile(path).catch((e: NodeJS.ErrnoException) => {
      throw new DriverError(`OS/${attr} "${path}" cannot be read on the front-end (${e.code ?? e.message}); give the path of a ${name} file there`);
    });
    await access.transport(ctx.host).writeFile(`${dir}/${name}`, data, 0o644);
  }
}

/** The transfer driver of the system datastore in `mode`. */
export function createSystemTm(mode: SystemDsMode, access: HostAccess): TmDriver {
  const location = (host: Host) => pathsOf(access, host).location;
  const hostDir = (ctx: VmContext, host = ctx.host) => vmDir(location(host), ctx.vm.id);
  /** Links and overlays of image disks, pointed at the image as the VM's (new) host mounts it. */
  const relink = async (ctx: VmContext) => {
    const commands = relinkCommands(ctx.vm, location(ctx.host), hostDir(ctx));
    if (commands.length > 0) await access.transport(ctx.host).run(commands.join(' && '));
    return '';
  };
  const frontEndDir = (ctx: VmContext) => vmDir(access.frontEndLocation, ctx.vm.id);
  /** The VM is done: persistent disks go back to their images, then its files go. */
  const remove = async (ctx: VmContext) => {
    // no directory left: a run killed after it saved and removed it (or the VM never got one)
    if (await dirExists(access.transport(ctx.host), hostDir(ctx))) await saveImageDisks(ctx.vm, access.frontEnd, access.transport(ctx.host), hostDir(ctx));
    await Promise.all([
      access.transport(ctx.host).run(`rm -rf ${q(hostDir(ctx))}`),
      access.frontEnd.run(`rm -rf ${q(frontEndDir(ctx))}`),
    ]);
    return '';
  };
  /** Moves the VM's directory between two places, unless a crash left it moved already. */
  const move = async (from: [Transport, string], to: [Transport, string]) => {
    if (from[0] === to[0] && from[1] === to[1]) return '';
    if (!(await dirExists(from[0], from[1]))) {
      if (await dirExists(to[0], to[1])) return '';
      throw new DriverError(`the VM's files are neither at ${from[1]} on ${from[0].host} nor at ${to[1]} on ${to[0].host}`);
    }
    await copyTree(from[0], from[1], to[0], to[1]);
    await from[0].run(`rm -rf ${q(from[1])}`);
    return '';
  };
  /** With a shared datastore, the files must already be where the host looks. */
  const present = async (ctx: VmContext) => {
    if (!(await dirExists(access.transport(ctx.host), hostDir(ctx)))) {
      throw new DriverError(`the VM's files are not at ${hostDir(ctx)} on host ${ctx.host.name}: with a shared system datastore every host must mount it at its DATASTORE_LOCATION`);
    }
    return '';
  };
  const actions: Record<TmAction, (ctx: VmContext) => Promise<string>> = {
    prolog: async (ctx) => {
      const dir = hostDir(ctx);
      const creates = volatileDisks(ctx.vm, dir);
      await access.transport(ctx.host).run([`mkdir -p ${q(dir)}`, ...creates].join(' && '), { timeoutMs: 300_000 });
      await bootFiles(ctx, access, dir);
      const cdrom = contextCdrom(ctx.vm, new Date());
      if (cdrom) await access.transport(ctx.host).writeFile(`${dir}/${cdrom.file}`, cdrom.data, 0o644);
      await prologImageDisks(ctx.vm, access.frontEnd, access.transport(ctx.host), location(ctx.host), dir);
      return '';
    },
    prolog_resume: async (ctx) => {
      await (mode === 'shared' ? present(ctx) : move([access.frontEnd, frontEndDir(ctx)], [access.transport(ctx.host), hostDir(ctx)]));
      return relink(ctx);
    },
    prolog_migrate: async (ctx) => {
      if (!ctx.sourceHost) throw new DriverError(`VM ${ctx.vm.id} has no source host to migrate its files from`);
      if (mode === 'shared') await present(ctx);
      else await move([access.transport(ctx.sourceHost), hostDir(ctx, ctx.sourceHost)], [access.transport(ctx.host), hostDir(ctx)]);
      return relink(ctx);
    },
    epilog: remove,
    epilog_stop: (ctx) => (mode === 'shared' ? Promise.resolve('') : move([access.transport(ctx.host), hostDir(ctx)], [access.frontEnd, frontEndDir(ctx)])),
    epilog_delete: remove,
    snap_create: (ctx) => snapshotDiskFile(access.transport(ctx.host), hostDir(ctx), ctx.vm, 'CREATE'),
    snap_revert: (ctx) => snapshotDiskFile(access.transport(ctx.host), hostDir(ctx), ctx.vm, 'REVERT'),
    snap_delete: (ctx) => snapshotDiskFile(access.transport(ctx.host), hostDir(ctx), ctx.vm, 'DELETE'),
    cpds: (ctx) => saveDiskFile(ctx, mode, access),
    // One disk marked for attach, detach or resize (hotplug, or a powered-off guest)
    prolog_disk: async (ctx) => {
      const { only } = markedFor(ctx.vm, 'attach');
      const dir = hostDir(ctx);
      const host = access.transport(ctx.host);
      await host.run([`mkdir -p ${q(dir)}`, ...volatileDisks(ctx.vm, dir, only)].join(' && '), { timeoutMs: 300_000 });
      await prologImageDisks(ctx.vm, access.frontEnd, host, location(ctx.host), dir, only);
      return '';
    },
    epilog_disk: async (ctx) => {
      const { disk, only } = markedFor(ctx.vm, 'detach');
      const file = `${hostDir(ctx)}/disk.${disk.DISK_ID}`;
      const host = access.transport(ctx.host);
      // gone already: a retry after the first run saved and removed it
      if ((await host.exec(`test -e ${q(file)}`)).code !== 0) return '';
      await saveImageDisks(ctx.vm, access.frontEnd, host, hostDir(ctx), only);
      await host.run(`rm -f ${q(file)}`);
      return '';
    },
    resize_disk: async (ctx) => {
      const { disk } = markedFor(ctx.vm, 'resize');
      // an undeployed VM's disk may be on the front-end: its links and overlays then point at the images there
      const place = filesPlace(ctx, mode, access);
      const dir = vmDir(place.location, ctx.vm.id);
      const relink = place.frontEnd ? relinkCommands(ctx.vm, place.location, dir) : [];
      const resize = `qemu-img resize -q -f ${q(disk.DRIVER ?? disk.FORMAT ?? 'raw')} ${q(`${dir}/disk.${disk.DISK_ID}`)} ${Number(disk.SIZE)}M`;
      await place.t.run([...relink, resize].join(' && '), { timeoutMs: 300_000 });
      return '';
    },
  };
  return actions;
}
