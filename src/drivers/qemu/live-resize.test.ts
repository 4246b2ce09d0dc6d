import { afterEach, describe, expect, it } from 'vitest';
import { vm } from '../test-fixtures.js';
import { resizeGuest, resizeMemory, resizeVcpus } from './live-resize.js';
import { QmpConnection } from './qmp/connection.js';
import { FakeQmpServer, type FakeCall } from './qmp/fake-server.js';

const MIB = 1024 * 1024;
let server: FakeQmpServer;
afterEach(() => server.close());

/** What QEMU 7.2 reports for `-smp 1,sockets=4,cores=1,threads=1,maxcpus=4`, `used` sockets occupied. */
function cpuSlots(used: number) {
  return [3, 2, 1, 0].map((socket) => ({
    props: { 'core-id': 0, 'thread-id': 0, 'node-id': 0, 'socket-id': socket },
    'vcpus-count': 1,
    type: 'qemu64-x86_64-cpu',
    ...(socket < used ? { 'qom-path': `/machine/unattached/device[${socket}]` } : {}),
  }));
}

async function connect(cpusUsed: number, baseMb: number, pluggedMb: number): Promise<QmpConnection> {
  server = new FakeQmpServer()
    .answer('query-hotpluggable-cpus', { return: cpuSlots(cpusUsed) })
    .answer('query-memory-size-summary', { return: { 'base-memory': baseMb * MIB, 'plugged-memory': pluggedMb * MIB } })
    .answer('device_add', {})
    .answer('object-add', {})
    .answer('balloon', {});
  return QmpConnection.open(server.connect());
}
const acting = () => server.calls.filter((c) => !c.command.startsWith('query') && c.command !== 'qmp_capabilities').map(({ command, args }: FakeCall) => ({ command, args }));

describe('resizeVcpus', () => {
  it('plugs the free slots in order until the guest has as many vCPUs as asked', async () => {
    const qmp = await connect(1, 256, 0);
    await resizeVcpus(qmp, 3, 'one-5');
    expect(acting()).toEqual([1, 2].map((socket) => ({
      command: 'device_add',
      args: { driver: 'qemu64-x86_64-cpu', id: `vcpu-0-${socket}-0-0-0-0`, 'core-id': 0, 'thread-id': 0, 'node-id': 0, 'socket-id': socket },
    })));
  });

  it('does nothing when the guest has them already', async () => {
    const qmp = await connect(2, 256, 0);
    await resizeVcpus(qmp, 2, 'one-5');
    expect(acting()).toEqual([]);
  });

  it('refuses to take vCPUs away from a running guest', async () => {
    const qmp = await connect(2, 256, 0);
    await expect(resizeVcpus(qmp, 1, 'one-5')).rejects.toThrow('one-5 runs 2 vCPUs and they cannot be taken away from a running guest; power the VM off');
    expect(acting()).toEqual([]);
  });

  it('says the guest has no room beyond the slots it was started with', async () => {
    const qmp = await connect(1, 256, 0);
    await expect(resizeVcpus(qmp, 6, 'one-5')).rejects.toThrow('one-5 was started with room for 4 vCPUs (VCPU_MAX), not 6; power it off to give it more');
  });
});

describe('resizeMemory', () => {
  it('grows with a DIMM rounded up to 128 MB, then balloons to the exact size', async () => {
    const qmp = await connect(1, 256, 0);
    await resizeMemory(qmp, 400, 1024, 'one-5');
    expect(acting()).toEqual([
      { command: 'object-add', args: { 'qom-type': 'memory-backend-ram', id: 'mem-dimm-256', size: 256 * MIB } },
      { command: 'device_add', args: { driver: 'pc-dimm', id: 'dimm-256', memdev: 'mem-dimm-256' } },
      { command: 'balloon', args: { value: 400 * MIB } },
    ]);
  });

  it('names each DIMM after the memory below it and stops at MEMORY_MAX', async () => {
    const qmp = await connect(1, 256, 256);
    await resizeMemory(qmp, 600, 600, 'one-5');
    expect(acting()[0]).toEqual({ command: 'object-add', args: { 'qom-type': 'memory-backend-ram', id: 'mem-dimm-512', size: 88 * MIB } });
  });

  it('shrinks, or uses memory plugged before, with the balloon only', async () => {
    const qmp = await connect(1, 512, 256);
    await resizeMemory(qmp, 384, 1024, 'one-5');
    await resizeMemory(qmp, 768, 1024, 'one-5');
    expect(acting()).toEqual([{ command: 'balloon', args: { value: 384 * MIB } }, { command: 'balloon', args: { value: 768 * MIB } }]);
  });

  it.each([[2048, 1024, 1024], [1024, undefined, 512]])('refuses %i MB beyond the room QEMU has (MEMORY_MAX %s)', async (want, max, room) => {
    const qmp = await connect(1, 512, 0);
    await expect(resizeMemory(qmp, want, max, 'one-5')).rejects.toThrow(
      `one-5 was started with room for ${room} MB of memory (MEMORY_MAX), not ${want} MB; power it off to give it more`,
    );
    expect(acting()).toEqual([]);
  });

  it('removes the backend again when QEMU refuses the DIMM, so that a retry can use its id', async () => {
    const qmp = await connect(1, 256, 0);
    server.answer('device_add', { error: { class: 'GenericError', desc: 'a used vhost backend has no free memory slots left' } });
    server.answer('object-del', {});
    await expect(resizeMemory(qmp, 512, 1024, 'one-5')).rejects.toThrow('no free memory slots');
    expect(acting().map((c) => c.command)).toEqual(['object-add', 'device_add', 'object-del']);
  });
});

describe('resizeGuest', () => {
  it('brings the guest to the VCPU and MEMORY of the template, within MEMORY_MAX', async () => {
    const qmp = await connect(1, 512, 0);
    await resizeGuest(qmp, vm(5, {}, { VCPU: '2', MEMORY: '1024', MEMORY_MAX: '2048' }), 'one-5');
    expect(acting().map((c) => c.command)).toEqual(['device_add', 'object-add', 'device_add', 'balloon']);
  });
});
