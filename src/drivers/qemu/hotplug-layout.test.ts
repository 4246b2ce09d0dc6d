import { describe, expect, it } from 'vitest';
import { vm } from '../test-fixtures.js';
import { qemuArgs } from './command-line.js';
import { hotplugLayout } from './hotplug-layout.js';
import type { QmpExecutor } from './qmp/connection.js';
import { vmFiles } from './vm-files.js';

/** What QEMU 7.2 answers for a guest booted with 1 vCPU and 256 MB, then given a vCPU and a 128 MB DIMM. */
const ANSWERS: Record<string, unknown> = {
  'query-hotpluggable-cpus': [
    { type: 'qemu64-x86_64-cpu', 'vcpus-count': 1, props: { 'socket-id': 1, 'core-id': 0, 'thread-id': 0 }, 'qom-path': '/machine/peripheral/vcpu-1' },
    { type: 'qemu64-x86_64-cpu', 'vcpus-count': 1, props: { 'socket-id': 0, 'core-id': 0, 'thread-id': 0 }, 'qom-path': '/machine/unattached/device[0]' },
    { type: 'qemu64-x86_64-cpu', 'vcpus-count': 1, props: { 'socket-id': 2, 'core-id': 0, 'thread-id': 0 } },
  ],
  'query-memory-devices': [{ type: 'dimm', data: { id: 'dimm-256', size: 134217728, memdev: '/objects/mem-dimm-256' } }],
  'query-memory-size-summary': { 'base-memory': 268435456, 'plugged-memory': 134217728 },
};
const qmp: QmpExecutor = { execute: async <T>(command: string) => ANSWERS[command] as T };

describe('hotplugLayout', () => {
  it('reads what a running QEMU booted with and what was plugged since, as command-line devices', async () => {
    expect(await hotplugLayout(qmp)).toEqual({
      bootVcpus: 1,
      baseMemoryMb: 256,
      deviceArgs: [
        '-device', 'qemu64-x86_64-cpu,id=vcpu-1,socket-id=1,core-id=0,thread-id=0',
        '-object', 'memory-backend-ram,id=mem-dimm-256,size=134217728',
        '-device', 'pc-dimm,id=dimm-256,memdev=mem-dimm-256',
      ],
    });
  });

  it('starts the QEMU that loads the state with the boot sizes plus those devices, not the resized template', async () => {
    const v = vm(4, {}, { VCPU: '2', VCPU_MAX: '4', MEMORY: '384', MEMORY_MAX: '1024' });
    const args = qemuArgs(v, { files: vmFiles(4, '/ds', '/run'), accel: 'tcg', bridges: new Set(), incoming: 'exec:cat c', layout: await hotplugLayout(qmp) });
    expect(args[args.indexOf('-smp') + 1]).toBe('1,sockets=4,cores=1,threads=1,maxcpus=4');
    expect(args[args.indexOf('-m') + 1]).toBe('size=256M,slots=8,maxmem=1024M');
    expect(args).toContain('pc-dimm,id=dimm-256,memdev=mem-dimm-256');
  });
});
