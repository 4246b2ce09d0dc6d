import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xsdErrors } from '../src/api/xml/test-fixtures.js';
import { TestDaemon, eventually } from './harness/daemon.js';
import { untilState, vmState, xmlText } from './harness/vm-state.js';

const NO_EXISTS = 0x400;
const ACTION = 0x800;
const XML_RPC_API = 0x1000;
const INTERNAL = 0x2000;

/** The SNAPSHOT vectors of a VM document, as name -> value maps. */
function snapshots(xml: string): Record<string, string>[] {
  return [...xml.matchAll(/<SNAPSHOT>(.*?)<\/SNAPSHOT>/g)].map((m) =>
    Object.fromEntries([...m[1].matchAll(/<([A-Z_]+)>([^<]*)<\/\1>/g)].map((f) => [f[1], f[2]])));
}
/** The ACTION of every history record, in order. */
const actions = (xml: string) => [...xml.matchAll(/<ACTION>(\d+)<\/ACTION><UID>/g)].map((m) => Number(m[1]));
/** A single value of the system TEMPLATE. */
const system = (xml: string, tag: string) => xmlText(xml.slice(xml.indexOf('<TEMPLATE>'), xml.indexOf('</TEMPLATE>')), tag);
const error = (xml: string) => xmlText(xml.slice(xml.indexOf('<USER_TEMPLATE>')), 'ERROR') ?? '';

// System snapshots and resize through the XML-RPC API of a real daemon on a dummy host.
describe('system snapshots and resize through the API', () => {
  const d = new TestDaemon();
  let host = 0;

  beforeAll(async () => {
    await d.start();
    host = Number(await d.ok('one.host.allocate', 'snappy', 'dummy', 'dummy', -1));
    await eventually(async () => (/<STATE>2<\/STATE>/.test(String(await d.ok('one.host.info', host))) ? true : undefined), 10_000, 'host monitored');
  });
  afterAll(() => d.dispose());

  const info = async (id: number) => String(await d.ok('one.vm.info', id));
  /** Scripts the host's dummy actions (replacing any earlier script). */
  const script = (actions: string) => d.ok('one.host.update', host, actions ? `DUMMY_ACTIONS = [ ${actions} ]` : '', 0);
  const running = async (extra = '') => {
    const id = Number(await d.ok('one.vm.allocate', `NAME="s"\nCPU=0.1\nMEMORY=64\n${extra}`, true));
    await d.ok('one.vm.deploy', id, host, false);
    await untilState(d, id, 'RUNNING');
    return id;
  };
  const refusal = async (method: string, ...params: (number | string | boolean)[]) => {
    const r = await d.rpc(method, ...params);
    expect(r[0], `${method} should be refused`).toBe(false);
    return { message: String(r[1]), code: r[2] };
  };

  describe('snapshots', () => {
    it('creates, reverts and deletes snapshots of a running VM, one history record each', async () => {
      const id = await running();
      expect(await d.ok('one.vm.snapshotcreate', id, 'before upgrade')).toBe(0);
      await untilState(d, id, 'RUNNING');
      expect(await d.ok('one.vm.snapshotcreate', id, '')).toBe(1);
      await untilState(d, id, 'RUNNING');
      const taken = await info(id);
      expect(snapshots(taken)).toEqual([
        { HYPERVISOR_ID: 'onesnap-0', NAME: 'before upgrade', SNAPSHOT_ID: '0', SYSTEM_DISK_SIZE: '64', TIME: expect.stringMatching(/^\d+$/) },
        { HYPERVISOR_ID: 'onesnap-1', NAME: 'snapshot-1', SNAPSHOT_ID: '1', SYSTEM_DISK_SIZE: '64', TIME: expect.stringMatching(/^\d+$/) },
      ]);
      expect(xsdErrors('vm', taken)).toBeUndefined();

      expect(await d.ok('one.vm.snapshotrevert', id, 0)).toBe(id);
      await untilState(d, id, 'RUNNING');
      expect(await d.ok('one.vm.snapshotdelete', id, 1)).toBe(id);
      await untilState(d, id, 'RUNNING');
      const after = await info(id);
      expect(snapshots(after).map((s) => s.SNAPSHOT_ID)).toEqual(['0']);
      // deploy, then snapshot-create twice (37), snapshot-revert (39), snapshot-delete (38), and the open record
      expect(actions(after)).toEqual([37, 37, 39, 38, 0]);
      expect(xmlText(after, 'RESCHED')).toBe('0');
    });

    it('loses the snapshots when the guest powers off, as the guide says', async () => {
      const id = await running();
      await d.ok('one.vm.snapshotcreate', id, 'x');
      await untilState(d, id, 'RUNNING');
      await d.ok('one.vm.action', 'poweroff', id);
      await untilState(d, id, 'POWEROFF');
      expect(snapshots(await info(id))).toEqual([]);
      await d.ok('one.vm.action', 'resume', id);
      await untilState(d, id, 'RUNNING');
      expect((await refusal('one.vm.snapshotrevert', id, 0)).message).toBe(
        `[one.vm.snapshotrevert] Could not revert VM ${id} to snapshot 0, it does not exist. See its snapshots with onevm show ${id}.`,
      );
    });

    it('refuses a snapshot operation outside RUNNING, and unknown snapshots or VMs', async () => {
      const id = await running();
      expect(await refusal('one.vm.snapshotdelete', id, 4)).toEqual({
        message: `[one.vm.snapshotdelete] Could not delete snapshot 4 for VM ${id}, it does not exist. See its snapshots with onevm show ${id}.`,
        code: ACTION,
      });
      await d.ok('one.vm.action', 'poweroff', id);
      await untilState(d, id, 'POWEROFF');
      expect(await refusal('one.vm.snapshotcreate', id, 'x')).toEqual({
        message: `[one.vm.snapshotcreate] Could not create a new snapshot for VM ${id}, wrong state POWEROFF: snapshots are taken of RUNNING VMs.`,
        code: ACTION,
      });
      expect((await refusal('one.vm.snapshotdelete', id, 0)).message).toContain('wrong state POWEROFF');
      expect((await refusal('one.vm.snapshotrevert', 999, 0)).code).toBe(NO_EXISTS);
      expect((await refusal('one.vm.snapshotrevert', id, 'zero')).code).toBe(XML_RPC_API);
      expect((await refusal('one.vm.snapshotcreate', id)).code).toBe(XML_RPC_API);
      expect(await vmState(d, id)).toBe('POWEROFF');
    });

    it('a failed create leaves the VM RUNNING without the snapshot, the reason in ERROR', async () => {
      const id = await running();
      await d.ok('one.vm.snapshotcreate', id, 'good');
      await untilState(d, id, 'RUNNING');
      await script('SNAPSHOT_CREATE = "failure 0 no qcow2 disk"');
      expect(await d.ok('one.vm.snapshotcreate', id, 'bad')).toBe(1);
      await eventually(async () => (error(await info(id)).includes('no qcow2 disk') ? true : undefined));
      await script('');
      expect(await vmState(d, id)).toBe('RUNNING');
      expect(snapshots(await info(id)).map((s) => s.NAME)).toEqual(['good']);
    });

    it('a snapshot operation that never ends is recovered by hand', async () => {
      const id = await running();
      await script('SNAPSHOT_CREATE = "never"');
      await d.ok('one.vm.snapshotcreate', id, 'stuck');
      await untilState(d, id, 'HOTPLUG_SNAPSHOT');
      expect((await refusal('one.vm.snapshotcreate', id, 'again')).message).toContain('wrong state HOTPLUG_SNAPSHOT');
      await d.ok('one.vm.recover', id, 0);
      await untilState(d, id, 'RUNNING');
      await script('');
      expect(snapshots(await info(id))).toEqual([]);
    });
  });

  describe('resize', () => {
    it('resizes a running VM live within VCPU_MAX and MEMORY_MAX, through HOTPLUG_RESIZE', async () => {
      const id = await running('VCPU=1\nVCPU_MAX=4\nMEMORY_MAX=256');
      expect(await d.ok('one.vm.resize', id, 'VCPU=2\nMEMORY=128\nCPU=0', false)).toBe(id);
      await untilState(d, id, 'RUNNING');
      const xml = await info(id);
      expect([system(xml, 'CPU'), system(xml, 'VCPU'), system(xml, 'MEMORY')]).toEqual(['0.1', '2', '128']);
      expect(xml).not.toContain('<RESIZE>');
      expect(actions(xml).at(-2)).toBe(35);
      expect(xsdErrors('vm', xml)).toBeUndefined();
      // the dummy guest now has the memory, and monitoring reports it
      await eventually(async () => (xmlText(await info(id), 'MEMORY') === String(128 * 1024) ? true : undefined));
    });

    it('asking for what the VM has succeeds and changes nothing', async () => {
      const id = await running();
      const before = await info(id);
      expect(await d.ok('one.vm.resize', id, 'MEMORY=64\nCPU=0.1', true)).toBe(id);
      expect(actions(await info(id))).toEqual(actions(before));
    });

    it('refuses to grow a running VM beyond the room it was started with', async () => {
      const id = await running('MEMORY_MAX=128');
      expect(await refusal('one.vm.resize', id, 'MEMORY=256', false)).toEqual({
        message: `[one.vm.resize] Cannot resize VM ${id} to VCPU 1 and MEMORY 256 MB while it runs: it was started with room for ` +
          'VCPU 1 and MEMORY 128 MB (VCPU_MAX, MEMORY_MAX). Power it off and resize it then, or give it VCPU_MAX and MEMORY_MAX in its template so that it can grow live.',
        code: ACTION,
      });
      expect(system(await info(id), 'MEMORY')).toBe('64');
    });

    it('a failed live resize gives the VM its old values back, the reason in ERROR', async () => {
      const id = await running('VCPU_MAX=2\nMEMORY_MAX=256');
      await script('RESIZE = "failure 0 no DIMM slot left"');
      await d.ok('one.vm.resize', id, 'VCPU=2\nMEMORY=256', false);
      await eventually(async () => (error(await info(id)).includes('no DIMM slot left') ? true : undefined));
      await script('');
      const xml = await info(id);
      expect(await vmState(d, id)).toBe('RUNNING');
      expect([system(xml, 'VCPU'), system(xml, 'MEMORY')]).toEqual([undefined, '64']);
      expect(xml).not.toContain('<RESIZE>');
    });

    it('in POWEROFF changes the template, checking the host with enforce; the guest comes back resized', async () => {
      const id = await running();
      await d.ok('one.vm.action', 'poweroff', id);
      await untilState(d, id, 'POWEROFF');
      const refused = await refusal('one.vm.resize', id, 'CPU=100', true);
      expect(refused.code).toBe(ACTION);
      expect(refused.message).toMatch(/^\[one\.vm\.resize\] Host snappy \[\d+\] does not have enough capacity to resize VM \d+: it needs CPU 9990 and MEMORY 0 KB more/);
      const records = actions(await info(id)).length;
      await d.ok('one.vm.resize', id, 'MEMORY=512\nCPU=0.5\nVCPU=2', true);
      const xml = await info(id);
      expect([system(xml, 'CPU'), system(xml, 'VCPU'), system(xml, 'MEMORY')]).toEqual(['0.5', '2', '512']);
      expect(actions(xml)).toHaveLength(records + 1);
      expect(await vmState(d, id)).toBe('POWEROFF');
      await d.ok('one.vm.action', 'resume', id);
      await untilState(d, id, 'RUNNING');
      await eventually(async () => (xmlText(await info(id), 'MEMORY') === String(512 * 1024) ? true : undefined));
    });

    it('oneadmin may go beyond the host without enforce; other users are always checked', async () => {
      const id = await running();
      await d.ok('one.vm.action', 'poweroff', id);
      await untilState(d, id, 'POWEROFF');
      await d.ok('one.vm.resize', id, 'CPU=100', false);
      expect(system(await info(id), 'CPU')).toBe('100');
      const user = Number(await d.ok('one.user.allocate', 'carol', 'secret', '', []));
      await d.ok('one.vm.chown', id, user, -1);
      const r = await d.rpcAs('carol:secret', 'one.vm.resize', id, 'CPU=200', false);
      expect([r[0], r[2]]).toEqual([false, ACTION]);
      expect(String(r[1])).toContain('does not have enough capacity');
    });

    it('in PENDING and HOLD changes the template only', async () => {
      const id = Number(await d.ok('one.vm.allocate', 'NAME="held"\nCPU=0.1\nMEMORY=64', true));
      await d.ok('one.vm.resize', id, 'MEMORY=2048', true);
      const xml = await info(id);
      expect([system(xml, 'MEMORY'), await vmState(d, id)]).toEqual(['2048', 'HOLD']);
      expect(xml).toContain('<HISTORY_RECORDS></HISTORY_RECORDS>');
    });

    it('refuses SUSPENDED VMs, bad values and malformed templates', async () => {
      const id = await running();
      expect(await refusal('one.vm.resize', id, 'CPU=-1', true)).toEqual({
        message: '[one.vm.resize] CPU must be a positive float or integer value, got "-1"; write e.g. CPU = 0.5.',
        code: INTERNAL,
      });
      expect((await refusal('one.vm.resize', id, 'VCPU=two', true)).code).toBe(INTERNAL);
      expect((await refusal('one.vm.resize', id, 'MEMORY = [', true)).message).toMatch(/^\[one\.vm\.resize\] Parse error: /);
      await d.ok('one.vm.action', 'suspend', id);
      await untilState(d, id, 'SUSPENDED');
      expect(await refusal('one.vm.resize', id, 'MEMORY=128', true)).toEqual({
        message: '[one.vm.resize] Cannot resize a VM in state SUSPENDED: resize it while it is RUNNING, POWEROFF, UNDEPLOYED, PENDING or HOLD.',
        code: ACTION,
      });
      expect((await refusal('one.vm.resize', 999, 'MEMORY=128', true)).code).toBe(NO_EXISTS);
    });
  });
});
