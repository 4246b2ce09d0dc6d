import { describe, expect, it } from 'vitest';
import { template, vm } from '../test-fixtures.js';
import { qemuArgs, vncPorts, type QemuLaunch } from './command-line.js';
import { vmFiles } from './vm-files.js';

const launch = (over: Partial<QemuLaunch> = {}): QemuLaunch => ({
  files: vmFiles(7, '/ds', '/run/nimbus'),
  accel: 'tcg',
  bridges: new Set(['br0']),
  ...over,
});

/** The value following `flag` each time it appears. */
const values = (args: string[], flag: string) => args.flatMap((a, i) => (a === flag ? [args[i + 1]] : []));

describe('qemuArgs', () => {
  it('runs detached with its pid file, QMP and serial sockets in the run directory', () => {
    const args = qemuArgs(vm(7), launch());
    expect(args).toContain('-daemonize');
    expect(values(args, '-pidfile')).toEqual(['/run/nimbus/one-7.pid']);
    expect(values(args, '-qmp')).toEqual(['unix:/run/nimbus/one-7.qmp,server=on,wait=off']);
    expect(values(args, '-chardev')[0]).toContain('path=/run/nimbus/one-7.serial');
    expect(values(args, '-chardev')[0]).toContain('logfile=/ds/0/7/console.log');
    expect(values(args, '-name')).toEqual(['guest=one-7,process=one-7']);
  });

  it('takes memory and vCPUs from the template, with room to grow up to MEMORY_MAX and VCPU_MAX', () => {
    expect(values(qemuArgs(vm(7, {}, { MEMORY: '256', VCPU: '2' }), launch()), '-m')).toEqual(['size=256M']);
    expect(values(qemuArgs(vm(7, {}, { MEMORY: '256', VCPU: '2' }), launch()), '-smp')).toEqual(['2']);
    const grow = qemuArgs(vm(7, {}, { MEMORY: '256', MEMORY_MAX: '1024', VCPU: '1', VCPU_MAX: '4' }), launch());
    expect(values(grow, '-m')).toEqual(['size=256M,slots=8,maxmem=1024M']);
    expect(values(grow, '-smp')).toEqual(['1,sockets=4,cores=1,threads=1,maxcpus=4']);
  });

  it('refuses a maximum below the starting size', () => {
    expect(() => qemuArgs(vm(7, {}, { MEMORY: '256', MEMORY_MAX: '128' }), launch())).toThrow(/MEMORY_MAX \(128 MB\) is below MEMORY/);
    expect(() => qemuArgs(vm(7, {}, { VCPU: 'two' }), launch())).toThrow(/VCPU = "two" must be a positive number/);
  });

  it('uses the accelerator it is given, with the host CPU model under KVM', () => {
    expect(values(qemuArgs(vm(7), launch()), '-accel')).toEqual(['tcg']);
    expect(values(qemuArgs(vm(7), launch()), '-cpu')).toEqual([]);
    expect(values(qemuArgs(vm(7), launch({ accel: 'kvm' })), '-cpu')).toEqual(['host']);
  });

  it('boots the kernel and initrd the transfer driver copied, with ROOT and KERNEL_CMD', () => {
    const v = vm(7);
    v.template = [...v.template, ...template({ OS: { KERNEL: '/k', INITRD: '/i', ROOT: 'vda', KERNEL_CMD: 'console=ttyS0' } })];
    const args = qemuArgs(v, launch());
    expect(values(args, '-kernel')).toEqual(['/ds/0/7/kernel']);
    expect(values(args, '-initrd')).toEqual(['/ds/0/7/initrd']);
    expect(values(args, '-append')).toEqual(['root=/dev/vda console=ttyS0']);
  });

  it('attaches each disk by its DISK_ID as a virtio disk, CD-ROMs as IDE CD-ROMs', () => {
    const v = vm(7);
    v.template = [...v.template, ...template({ DISK: { DISK_ID: '0', TYPE: 'fs', SIZE: '64', FORMAT: 'qcow2' } }), ...template({ DISK: { DISK_ID: '1', TYPE: 'CDROM' } })];
    const args = qemuArgs(v, launch());
    expect(values(args, '-drive')).toEqual([
      'file=/ds/0/7/disk.0,format=qcow2,if=none,id=drive-disk0',
      'file=/ds/0/7/disk.1,format=raw,if=none,id=drive-disk1,media=cdrom,readonly=on',
    ]);
    expect(values(args, '-device')).toContain('virtio-blk-pci,drive=drive-disk0,id=disk0,bus=pci.0,addr=0x10');
    expect(values(args, '-device')).toContain('ide-cd,drive=drive-disk1,id=disk1');
  });

  it('opens image disks in the format of the file on the host, read-only ones read-only, then the context CD-ROM', () => {
    const v = vm(7);
    v.template = [
      ...v.template,
      ...template({ DISK: { DISK_ID: '0', SOURCE: '/img/a', FORMAT: 'raw', DRIVER: 'qcow2' } }),
      ...template({ DISK: { DISK_ID: '1', SOURCE: '/img/b', FORMAT: 'raw', READONLY: 'YES' } }),
      ...template({ CONTEXT: { DISK_ID: '2', TARGET: 'hda', HOSTNAME: 'web' } }),
    ];
    expect(values(qemuArgs(v, launch()), '-drive')).toEqual([
      'file=/ds/0/7/disk.0,format=qcow2,if=none,id=drive-disk0',
      'file=/ds/0/7/disk.1,format=raw,if=none,id=drive-disk1,readonly=on',
      'file=/ds/0/7/disk.2,format=raw,if=none,id=drive-disk2,media=cdrom,readonly=on',
    ]);
  });

  it('puts a NIC on a tap when its bridge exists on the host, else on user networking', () => {
    const v = vm(7);
    v.template = [...v.template, ...template({ NIC: { NIC_ID: '0', BRIDGE: 'br0', MAC: '02:00:0a:00:00:07' } }), ...template({ NIC: { NIC_ID: '1', BRIDGE: 'nope' } })];
    const args = qemuArgs(v, launch());
    expect(values(args, '-netdev')).toEqual(['tap,id=net0,ifname=one-7-0,script=no,downscript=no', 'user,id=net1']);
    expect(values(args, '-device')).toContain('virtio-net-pci,netdev=net0,id=nic0,mac=02:00:0a:00:00:07');
  });

  it('loads a migration stream instead of booting when asked', () => {
    expect(values(qemuArgs(vm(7), launch({ incoming: 'exec:cat /ds/0/7/checkpoint' })), '-incoming')).toEqual(['exec:cat /ds/0/7/checkpoint']);
  });
});

describe('VNC', () => {
  const withGraphics = (g: Record<string, string>) => {
    const v = vm(12);
    v.template = [...v.template, ...template({ GRAPHICS: g })];
    return v;
  };

  it('numbers the display 5900 + VM id with a websocket port for browsers, unless PORT is given', () => {
    expect(vncPorts(withGraphics({ TYPE: 'vnc' }))).toEqual({ listen: '0.0.0.0', port: 5912, websocket: 25912 });
    expect(vncPorts(withGraphics({ TYPE: 'VNC', PORT: '6000', LISTEN: '127.0.0.1' }))).toEqual({ listen: '127.0.0.1', port: 6000, websocket: 26000 });
    expect(values(qemuArgs(withGraphics({ TYPE: 'VNC', PASSWD: 'x' }), launch()), '-vnc')).toEqual(['0.0.0.0:12,websocket=25912,password=on']);
  });

  it('has no display without GRAPHICS of TYPE VNC, and refuses ports out of range', () => {
    expect(vncPorts(vm(1))).toBeUndefined();
    expect(vncPorts(withGraphics({ TYPE: 'SPICE' }))).toBeUndefined();
    expect(() => vncPorts(withGraphics({ TYPE: 'VNC', PORT: '80' }))).toThrow(/GRAPHICS\/PORT = 80 is not a TCP port/);
  });
});

describe('vmFiles', () => {
  it('refuses a run directory too long for a unix socket', () => {
    expect(() => vmFiles(1, '/ds', `/${'x'.repeat(110)}`)).toThrow(/give the host a shorter RUN_DIR/);
  });
});
