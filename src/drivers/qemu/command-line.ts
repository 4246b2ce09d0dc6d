import type { Vm } from '../../domain/vm.js';
import { VNC_BASE_PORT } from '../../domain/vnc-port.js';
import { getSingle, getVector, getVectors } from '../../template/access.js';
import { DriverError } from '../types.js';
import type { HotplugLayout } from './hotplug-layout.js';
import type { VmFiles } from './vm-files.js';

/** How a QEMU process is started for a VM: everything that is not in the VM's template. */
export interface QemuLaunch {
  files: VmFiles;
  accel: 'kvm' | 'tcg';
  /** Bridges that exist on the host: a NIC on one of them gets a tap, any other NIC user networking. */
  bridges: ReadonlySet<string>;
  /** A migration stream to load instead of booting (`exec:cat FILE` or `tcp:ADDR:PORT`). */
  incoming?: string;
  /** The layout of the QEMU whose state is loaded, when live resizes changed it. */
  layout?: HotplugLayout;
}

/** The VNC display a VM gets: GRAPHICS/PORT, else 5900 + VM id, as OpenNebula numbers them. */
export interface VncPorts {
  listen: string;
  port: number;
  websocket: number;
}

/** Websocket ports (for browser consoles) sit this far above the VNC port. */
const WEBSOCKET_OFFSET = 20000;

/** The VNC ports of a VM with GRAPHICS = [ TYPE = "VNC" ], or undefined when it has none. */
export function vncPorts(vm: Vm): VncPorts | undefined {
  const g = getVector(vm.template, 'GRAPHICS');
  if (!g || g.TYPE?.toUpperCase() !== 'VNC') return undefined;
  const port = g.PORT ? Number(g.PORT) : VNC_BASE_PORT + vm.id;
  const websocket = g.WEBSOCKET_PORT ? Number(g.WEBSOCKET_PORT) : port + WEBSOCKET_OFFSET;
  for (const [name, n] of [['PORT', port], ['WEBSOCKET_PORT', websocket]] as const) {
    if (!Number.isInteger(n) || n < VNC_BASE_PORT || n > 65535) {
      throw new DriverError(`GRAPHICS/${name} = ${n} is not a TCP port from ${VNC_BASE_PORT} to 65535; choose another one`);
    }
  }
  return { listen: g.LISTEN || '0.0.0.0', port, websocket };
}

function positive(value: string | undefined, what: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new DriverError(`${what} = "${value}" must be a positive number`);
  return n;
}

function memoryArgs(vm: Vm, layout: HotplugLayout | undefined): string[] {
  const mb = layout?.baseMemoryMb ?? Math.ceil(positive(getSingle(vm.template, 'MEMORY'), 'MEMORY', 128));
  const max = Math.ceil(positive(getSingle(vm.template, 'MEMORY_MAX'), 'MEMORY_MAX', mb));
  if (max < mb) throw new DriverError(`MEMORY_MAX (${max} MB) is below MEMORY (${mb} MB); raise MEMORY_MAX or leave it out`);
  // Room for memory hotplug (live resize) only when MEMORY_MAX asks for it.
  return ['-m', max > mb ? `size=${mb}M,slots=8,maxmem=${max}M` : `size=${mb}M`];
}

function cpuArgs(vm: Vm, accel: QemuLaunch['accel'], layout: HotplugLayout | undefined): string[] {
  const vcpu = layout?.bootVcpus ?? Math.floor(positive(getSingle(vm.template, 'VCPU'), 'VCPU', 1));
  const max = Math.floor(positive(getSingle(vm.template, 'VCPU_MAX'), 'VCPU_MAX', vcpu));
  if (max < vcpu) throw new DriverError(`VCPU_MAX (${max}) is below VCPU (${vcpu}); raise VCPU_MAX or leave it out`);
  const model = accel === 'kvm' ? ['-cpu', 'host'] : [];
  return [...model, '-smp', max > vcpu ? `${vcpu},sockets=${max},cores=1,threads=1,maxcpus=${max}` : String(vcpu)];
}

function osArgs(vm: Vm, files: VmFiles): string[] {
  const os = getVector(vm.template, 'OS') ?? {};
  const out: string[] = [];
  if (os.KERNEL || os.KERNEL_DS) out.push('-kernel', files.kernel);
  if (os.INITRD || os.INITRD_DS) out.push('-initrd', files.initrd);
  const cmdline = [os.ROOT ? `root=/dev/${os.ROOT}` : '', os.KERNEL_CMD ?? ''].filter(Boolean).join(' ');
  if (cmdline && out.length) out.push('-append', cmdline);
  if (os.BOOT) out.push('-boot', `order=${bootOrder(os.BOOT)}`);
  return out;
}

/** OS/BOOT (disk0,nic0,...) as QEMU's legacy boot order letters: disks c, CD-ROMs d, NICs n. */
function bootOrder(boot: string): string {
  const letter = (dev: string) => (dev.startsWith('nic') ? 'n' : dev.startsWith('cdrom') ? 'd' : 'c');
  return [...new Set(boot.split(',').map((d) => letter(d.trim().toLowerCase())))].join('');
}

/** PCI slots 0x10-0x1f hold virtio disks by DISK_ID, so a disk plugged in later has the slot a restart gives it. */
const FIRST_DISK_SLOT = 0x10;
const LAST_SLOT = 0x1f;

/** The PCI slot of virtio disk `diskId` ("0x10" for disk 0); undefined past the reserved slots (QEMU picks one). */
export function diskPciSlot(diskId: string): string | undefined {
  const slot = FIRST_DISK_SLOT + Number(diskId);
  return Number.isInteger(slot) && slot <= LAST_SLOT ? `0x${slot.toString(16)}` : undefined;
}

/**
 * The names QEMU knows disk `diskId` by: its drive or block node (drive-disk<ID>; a disk plugged in later
 * gets it as node name) and its guest device (disk<ID>). Every QMP command on a disk uses these.
 */
export function diskNames(diskId: string | number): { node: string; device: string } {
  return { node: `drive-disk${diskId}`, device: `disk${diskId}` };
}

/** One -drive/-device pair: a virtio disk, or a CD-ROM on the IDE bus. */
function driveArgs(id: string, file: string, format: string, cdrom: boolean, readonly: boolean): string[] {
  const media = cdrom ? ',media=cdrom,readonly=on' : readonly ? ',readonly=on' : '';
  const slot = diskPciSlot(id);
  const { node, device } = diskNames(id);
  return [
    '-drive', `file=${file},format=${format},if=none,id=${node}${media}`,
    '-device', cdrom ? `ide-cd,drive=${node},id=${device}` : `virtio-blk-pci,drive=${node},id=${device}${slot ? `,bus=pci.0,addr=${slot}` : ''}`,
  ];
}

/** The VM's disks, then its context CD-ROM (disk.<CONTEXT/DISK_ID>, written by the transfer driver). */
function diskArgs(vm: Vm, files: VmFiles): string[] {
  const disks = getVectors(vm.template, 'DISK').flatMap((d, i) => {
    const id = d.DISK_ID ?? String(i);
    // DRIVER is the format of the file on the host (a qcow2 overlay of a raw image), FORMAT the image's
    const format = (d.DRIVER ?? d.FORMAT ?? 'raw').toLowerCase();
    return driveArgs(id, files.disk(id), format, d.TYPE?.toUpperCase() === 'CDROM', d.READONLY?.toUpperCase() === 'YES');
  });
  const context = getVector(vm.template, 'CONTEXT');
  if (!context?.DISK_ID) return disks;
  return [...disks, ...driveArgs(context.DISK_ID, files.disk(context.DISK_ID), 'raw', true, true)];
}

function nicArgs(vm: Vm, bridges: ReadonlySet<string>): string[] {
  return getVectors(vm.template, 'NIC').flatMap((n, i) => {
    const id = n.NIC_ID ?? String(i);
    const netdev = n.BRIDGE && bridges.has(n.BRIDGE)
      ? `tap,id=net${id},ifname=${tapName(vm.id, id)},script=no,downscript=no`
      : `user,id=net${id}`;
    const mac = n.MAC ? `,mac=${n.MAC}` : '';
    const model = (n.MODEL ?? 'virtio').toLowerCase() === 'virtio' ? 'virtio-net-pci' : n.MODEL!;
    return ['-netdev', netdev, '-device', `${model},netdev=net${id},id=nic${id}${mac}`];
  });
}

/** The tap device of a VM's NIC on the host, as OpenNebula names them (one-VMID-NICID). */
export function tapName(vmId: number, nicId: string): string {
  return `one-${vmId}-${nicId}`;
}

function vncArgs(vm: Vm): string[] {
  const v = vncPorts(vm);
  if (!v) return [];
  const password = getVector(vm.template, 'GRAPHICS')?.PASSWD ? ',password=on' : '';
  return ['-vnc', `${v.listen}:${v.port - VNC_BASE_PORT},websocket=${v.websocket}${password}`];
}

/**
 * The QEMU command line of a VM: it runs detached with a pid file, a QMP socket and a serial console
 * socket whose output is also logged to a file, stays out of the user's config files, and either boots
 * or loads a migration stream.
 */
export function qemuArgs(vm: Vm, launch: QemuLaunch): string[] {
  const { files } = launch;
  return [
    '-name', `guest=${files.deployId},process=${files.deployId}`,
    '-machine', 'pc',
    '-accel', launch.accel,
    ...cpuArgs(vm, launch.accel, launch.layout),
    ...memoryArgs(vm, launch.layout),
    '-nodefaults', '-no-user-config', '-display', 'none',
    '-daemonize', '-pidfile', files.pid,
    '-qmp', `unix:${files.qmp},server=on,wait=off`,
    '-chardev', `socket,id=serial0,path=${files.serial},server=on,wait=off,logfile=${files.consoleLog},logappend=on`,
    '-serial', 'chardev:serial0',
    '-device', 'virtio-balloon-pci,id=balloon0',
    ...osArgs(vm, files),
    ...diskArgs(vm, files),
    ...nicArgs(vm, launch.bridges),
    ...vncArgs(vm),
    ...(launch.layout?.deviceArgs ?? []),
    ...(launch.incoming ? ['-incoming', launch.incoming] : []),
  ];
}
