import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Group } from '../../domain/group.js';
import type { History } from '../../domain/history.js';
import type { Host } from '../../domain/host.js';
import { DEFAULT_PERMISSIONS } from '../../domain/permissions.js';
import type { User } from '../../domain/user.js';
import type { VmTemplate } from '../../domain/vm-template.js';
import type { Vm } from '../../domain/vm.js';

const XSD_CHECK = fileURLToPath(new URL('../../../../shared/tools/xsd-check', import.meta.url));

/** Validates a document with the project's checker against OpenNebula's schema; returns its complaints. */
export function xsdErrors(schema: string, doc: string): string | undefined {
  // a file, not stdin: the checker reads /dev/stdin, which cannot be opened on Node's stdin socket
  const dir = mkdtempSync(join(tmpdir(), 'xsd-'));
  const file = join(dir, 'doc.xml');
  writeFileSync(file, doc);
  try {
    execFileSync(XSD_CHECK, [schema, file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return undefined;
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    return `${err.stdout ?? ''}${err.stderr ?? ''}` || err.message;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function history(seq: number, host: string, hid: number, action: number): History {
  return {
    seq, hostname: host, hid, cid: 0, stime: 1700000000 + seq * 100, etime: seq < 2 ? 1700000050 + seq * 100 : 0,
    vmMad: 'kvm', tmMad: 'qcow2', dsId: 0, pstime: 1700000001 + seq * 100, petime: 1700000002 + seq * 100,
    rstime: 1700000003 + seq * 100, retime: seq < 2 ? 1700000040 + seq * 100 : 0, estime: 0, eetime: 0,
    action, uid: 0, gid: 0, reqId: 1234 + seq,
  };
}

/** A running VM that migrated twice: three history records, a lock, disks, NICs, monitoring. */
export function sampleVm(): Vm {
  return {
    id: 42, uid: 2, gid: 1, uname: 'alice', gname: 'users', name: 'web <1> & "db"',
    permissions: DEFAULT_PERMISSIONS, lastPoll: 1700000300, state: 3, lcmState: 3, prevState: 3, prevLcmState: 3,
    resched: 0, stime: 1699999990, etime: 0, deployId: 'one-42',
    lock: { locked: 1, owner: 2, time: 1700000200, reqId: 77 },
    monitoring: {
      CPU: '12.5', MEMORY: '524288', NETRX: '1000', NETTX: '2000', DISKRDBYTES: '4096', DISKWRBYTES: '8192',
      ID: '42', TIMESTAMP: '1700000300',
    },
    template: [
      { name: 'VMID', value: '42' },
      { name: 'MEMORY', value: '512' },
      { name: 'CPU', value: '0.5' },
      { name: 'VCPU', value: '1' },
      {
        name: 'DISK',
        value: { DISK_ID: '0', IMAGE: 'debian 12', IMAGE_ID: '3', DATASTORE: 'default', DATASTORE_ID: '1', SIZE: '2048', TARGET: 'vda', TYPE: 'FILE', CLONE: 'YES', SOURCE: '/var/lib/one/3' },
      },
      { name: 'DISK', value: { DISK_ID: '1', TYPE: 'fs', SIZE: '1024', FORMAT: 'raw', TARGET: 'vdb' } },
      { name: 'NIC', value: { NIC_ID: '0', NETWORK: 'private', NETWORK_ID: '0', IP: '10.0.0.5', MAC: '02:00:0a:00:00:05', BRIDGE: 'br0', SECURITY_GROUPS: '0' } },
      { name: 'NIC', value: { NIC_ID: '1', NETWORK: 'public', NETWORK_ID: '1', MAC: '02:00:c0:a8:00:07' } },
      { name: 'GRAPHICS', value: { TYPE: 'VNC', LISTEN: '0.0.0.0', PORT: '5942' } },
      { name: 'HYPERV_OPTIONS', value: { RELAXED: 'yes' } },
      { name: 'VIDEO', value: { VRAM: '16384', TYPE: 'virtio', RESOLUTION: '1280x720' } },
      { name: 'OS', value: { ARCH: 'x86_64', BOOT: 'disk0' } },
      { name: 'CONTEXT', value: { NETWORK: 'YES', SSH_PUBLIC_KEY: 'ssh-ed25519 AAAA alice@x', TARGET: 'hda' } },
      { name: 'AUTOMATIC_REQUIREMENTS', value: '(CLUSTER_ID = 0) & !(PIN_POLICY = PINNED)' },
      { name: 'AUTOMATIC_DS_REQUIREMENTS', value: '("CLUSTERS/ID" @> 0)' },
      { name: 'MEMORY_RESIZE_MODE', value: 'BALLOONING' },
      { name: 'MEMORY_SLOTS', value: '4' },
      { name: 'TM_MAD_SYSTEM', value: 'qcow2' },
      { name: 'TEMPLATE_ID', value: '7' },
      {
        name: 'SCHED_ACTION',
        value: { WARNING: '0', MESSAGE: '', DONE: '-1', END_VALUE: '-1', END_TYPE: '-1', DAYS: '', REPEAT: '-1', TIME: '1700100000', ARGS: '', ACTION: 'poweroff', TYPE: 'VM', PARENT_ID: '42', ID: '5' },
      },
    ],
    userTemplate: [
      { name: 'SCHED_REQUIREMENTS', value: 'HYPERVISOR = "kvm"' },
      { name: 'DESCRIPTION', value: 'line one\nline two' },
      { name: 'LABELS', value: 'prod,web' },
      { name: 'ERROR', value: '' },
      { name: 'USER_PRIORITY', value: '10' },
    ],
    history: [history(0, 'node1', 1, 1), history(1, 'node2', 2, 2), history(2, 'node3', 3, 0)],
    stateTime: 1700000200,
  };
}

/** A monitored host running three VMs. */
export function sampleHost(): Host {
  return {
    id: 3, name: 'node3', state: 2, prevState: 2, imMad: 'kvm', vmMad: 'kvm', clusterId: 0, cluster: 'default',
    share: { memUsage: 1572864, cpuUsage: 150, totalMem: 16384000, totalCpu: 800, maxMem: 15335424, maxCpu: 700, runningVms: 3 },
    vms: [40, 41, 42],
    template: [
      { name: 'HYPERVISOR', value: 'kvm' },
      { name: 'ARCH', value: 'x86_64' },
      { name: 'RESERVED_CPU', value: '100' },
      { name: 'RESERVED_MEM', value: '1048576' },
      { name: 'MODELNAME', value: 'AMD EPYC <7302>' },
    ],
    monitoring: { timestamp: 1700000300, freeCpu: 620.4, usedCpu: 179.6, freeMemory: 12000000, usedMemory: 4384000, netrx: 123456, nettx: 654321 },
    lastMonAt: 1700000300,
  };
}

/** A locked VM template owned by alice. */
export function sampleVmTemplate(): VmTemplate {
  return {
    id: 7, uid: 2, gid: 1, uname: 'alice', gname: 'users', name: 'debian & co',
    lock: { locked: 3, owner: 0, time: 1700000000, reqId: -1 },
    permissions: { ...DEFAULT_PERMISSIONS, groupU: 1 }, regtime: 1690000000,
    template: [
      { name: 'CPU', value: '1' },
      { name: 'MEMORY', value: '1024' },
      { name: 'DISK', value: { IMAGE: 'debian 12', IMAGE_UNAME: 'alice' } },
      { name: 'NIC', value: { NETWORK: 'private' } },
    ],
  };
}

export function sampleUser(): User {
  return {
    id: 2, gid: 1, groups: [1, 100], gname: 'users', name: 'alice',
    password: '4a8a08f09d37b73795649038408b5f33', authDriver: 'core', enabled: 1,
    template: [{ name: 'SSH_PUBLIC_KEY', value: 'ssh-ed25519 AAAA alice@x' }],
  };
}

export function sampleGroup(): Group {
  return { id: 1, name: 'users', users: [2, 3], admins: [2], template: [{ name: 'DESCRIPTION', value: 'everyone' }] };
}
