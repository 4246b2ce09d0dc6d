import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xsdErrors } from '../src/api/xml/test-fixtures.js';
import type { StateName } from '../src/lifecycle/states.js';
import { cli, cliOk } from './harness/cli.js';
import { TestDaemon, eventually } from './harness/daemon.js';
import { untilState, vmState, xmlText } from './harness/vm-state.js';

const NO_EXISTS = 0x400;
const ACTION = 0x800;
const XML_RPC_API = 0x1000;

type Snap = { ID: string; NAME: string; PARENT: string; CHILDREN?: string; ACTIVE?: string; SIZE: string; DATE: string };

/** The disk snapshot trees of a VM (or image) document: disk id (or 'image') -> its snapshots. */
function trees(xml: string): Record<string, Snap[]> {
  const out: Record<string, Snap[]> = {};
  for (const [, body] of xml.matchAll(/<SNAPSHOTS>(.*?)<\/SNAPSHOTS>/g)) {
    const disk = /^.*?<DISK_ID>(\d+)<\/DISK_ID>/.exec(body!)?.[1] ?? 'image';
    out[disk] = [...body!.matchAll(/<SNAPSHOT>(.*?)<\/SNAPSHOT>/g)].map(([, s]) =>
      Object.fromEntries([...s!.matchAll(/<([A-Z_]+)>(?:<!\[CDATA\[(.*?)\]\]>|([^<]*))<\/\1>/g)].map(([, k, cdata, text]) => [k, cdata ?? text])) as Snap);
  }
  return out;
}
/** id:parent, with * on the active one: the shape of a tree at a glance. */
const shape = (snaps: Snap[] = []) => snaps.map((s) => `${s.ID}:${s.PARENT}${s.ACTIVE === 'YES' ? '*' : ''}`);
/** The ACTION of every closed history record, in order. */
const actions = (xml: string) => [...xml.matchAll(/<ACTION>(\d+)<\/ACTION><UID>/g)].map((m) => Number(m[1])).slice(0, -1);
const error = (xml: string) => xmlText(xml.slice(xml.indexOf('<USER_TEMPLATE>')), 'ERROR') ?? '';
/** A document without what monitoring changes on its own. */
const stable = (xml: string) => xml.replace(/<LAST_POLL>\d+<\/LAST_POLL>/g, '').replace(/<MONITORING>.*?<\/MONITORING>/g, '');

// Disk snapshots through the XML-RPC API and onevm of a real daemon, on a dummy host.
describe('disk snapshots', () => {
  const d = new TestDaemon();
  let host = 0;
  let data = 0; // non-persistent qcow2 datablock
  let raw = 0; // raw datablock
  let pers = 0; // persistent qcow2 datablock

  const info = async (id: number) => String(await d.ok('one.vm.info', id));
  const image = async (id: number) => String(await d.ok('one.image.info', id));
  const script = (actions: string) => d.ok('one.host.update', host, actions ? `DUMMY_ACTIONS = [ ${actions} ]` : '', 0);
  /** A VM on the dummy host in `state`: disk 0 a qcow2 image, 1 volatile, 2 a raw image, then `extra` disks. */
  const vmIn = async (state: 'RUNNING' | 'POWEROFF' | 'SUSPENDED', extra = '') => {
    const t = `NAME="snaps"\nCPU=0.1\nMEMORY=64\nDISK=[IMAGE_ID=${data}]\nDISK=[TYPE="fs",SIZE=4]\nDISK=[IMAGE_ID=${raw}]\n${extra}`;
    const id = Number(await d.ok('one.vm.allocate', t, true));
    await d.ok('one.vm.deploy', id, host, false);
    await untilState(d, id, 'RUNNING');
    if (state !== 'RUNNING') {
      await d.ok('one.vm.action', state === 'POWEROFF' ? 'poweroff' : 'suspend', id);
      await untilState(d, id, state);
    }
    return id;
  };
  /** A disk snapshot call that must succeed, after which the VM comes back to `back`. */
  const done = async (back: StateName, method: string, id: number, ...params: (number | string)[]) => {
    const r = await d.ok(method, id, ...params);
    await untilState(d, id, back);
    return r;
  };
  /** A call that must fail with `code` and `message`, changing neither the VM nor the pool. */
  const refused = async (code: number, message: string | RegExp, method: string, id: number, ...params: (number | string)[]) => {
    const docs = async () => [stable(String(await d.rpc('one.vm.info', id))), stable(String(await d.ok('one.vmpool.info', -2, -1, -1, -1)))];
    const before = await docs();
    const r = await d.rpc(method, id, ...params);
    expect(r[0], `${method} should be refused`).toBe(false);
    expect([r[2], String(r[1])]).toEqual([code, typeof message === 'string' ? `[${method}] ${message}` : expect.stringMatching(message)]);
    expect(await docs()).toEqual(before);
  };

  beforeAll(async () => {
    await d.start();
    host = Number(await d.ok('one.host.allocate', 'snappy', 'dummy', 'dummy', -1));
    data = Number(await d.ok('one.image.allocate', 'NAME="data"\nTYPE="DATABLOCK"\nSIZE=8\nFORMAT="qcow2"', 1, false));
    raw = Number(await d.ok('one.image.allocate', 'NAME="raw"\nTYPE="DATABLOCK"\nSIZE=2\nFORMAT="raw"', 1, false));
    pers = Number(await d.ok('one.image.allocate', 'NAME="pers"\nTYPE="DATABLOCK"\nSIZE=4\nFORMAT="qcow2"\nPERSISTENT="YES"', 1, false));
    for (const i of [data, raw, pers]) await eventually(async () => (xmlText(await image(i), 'STATE') === '1' ? true : undefined), 10_000, `image ${i} READY`);
    await eventually(async () => (/<STATE>2<\/STATE>/.test(String(await d.ok('one.host.info', host))) ? true : undefined), 10_000, 'host monitored');
  });
  afterAll(() => d.dispose());

  it('keeps a tree per disk: live and offline creates, revert in POWEROFF, deletes of leaves, renames', async () => {
    const id = await vmIn('RUNNING');
    // RUNNING: two live snapshots, the second on top of the first
    expect(await done('RUNNING', 'one.vm.disksnapshotcreate', id, 0, 'first')).toBe(0);
    expect(await done('RUNNING', 'one.vm.disksnapshotcreate', id, 0, '')).toBe(1);
    let xml = await info(id);
    expect(trees(xml)['0']).toEqual([
      { ID: '0', NAME: 'first', PARENT: '-1', CHILDREN: '1', SIZE: '8', DATE: expect.stringMatching(/^\d+$/) },
      { ID: '1', NAME: 'snapshot-1', PARENT: '0', ACTIVE: 'YES', SIZE: '8', DATE: expect.stringMatching(/^\d+$/) },
    ]);
    expect(xsdErrors('vm', xml)).toBeUndefined();
    expect(xmlText(xml, 'NEXT_SNAPSHOT')).toBe('2');

    // POWEROFF: back to 0, a new snapshot 2 on 0 beside 1; 1 is a leaf that is not active and goes
    await d.ok('one.vm.action', 'poweroff', id);
    await untilState(d, id, 'POWEROFF');
    expect(await done('POWEROFF', 'one.vm.disksnapshotrevert', id, 0, 0)).toBe(id);
    expect(shape(trees(await info(id))['0'])).toEqual(['0:-1*', '1:0']);
    expect(await done('POWEROFF', 'one.vm.disksnapshotcreate', id, 0, 'second')).toBe(2);
    expect(trees(await info(id))['0']!.find((s) => s.ID === '0')!.CHILDREN).toBe('1,2');
    expect(await done('POWEROFF', 'one.vm.disksnapshotdelete', id, 0, 1)).toBe(id);
    expect(shape(trees(await info(id))['0'])).toEqual(['0:-1', '2:0*']);

    // renames at once, in any state
    expect(await d.ok('one.vm.disksnapshotrename', id, 0, 0, 'base')).toBe(id);
    expect(trees(await info(id))['0']!.map((s) => s.NAME)).toEqual(['base', 'second']);

    // SUSPENDED: offline create and delete
    await d.ok('one.vm.action', 'resume', id);
    await untilState(d, id, 'RUNNING');
    await d.ok('one.vm.action', 'suspend', id);
    await untilState(d, id, 'SUSPENDED');
    expect(await done('SUSPENDED', 'one.vm.disksnapshotcreate', id, 0, 'third')).toBe(3);
    await d.ok('one.vm.action', 'resume', id);
    await untilState(d, id, 'RUNNING');
    // RUNNING again: revert 0 is refused, a live delete of the old leaf works
    expect(shape(trees(await info(id))['0'])).toEqual(['0:-1', '2:0', '3:2*']);
    await refused(ACTION, `Could not revert disk 0 to snapshot 0 of VM ${id}, wrong state RUNNING: a disk is reverted while the VM is POWEROFF; power it off first (onevm poweroff ${id}), then resume it.`,
      'one.vm.disksnapshotrevert', id, 0, 0);
    xml = await info(id);
    // create x2 live (25), poweroff (20), revert (41), create (25), delete (26), resume, suspend (10), create (25), resume
    expect(actions(xml).filter((a) => [25, 26, 41].includes(a))).toEqual([25, 25, 41, 25, 26, 25]);
    expect(xsdErrors('vm', xml)).toBeUndefined();
    await d.ok('one.vm.action', 'terminate-hard', id);
  });

  it('deletes live and in SUSPENDED', async () => {
    const id = await vmIn('RUNNING');
    for (const name of ['a', 'b']) await done('RUNNING', 'one.vm.disksnapshotcreate', id, 0, name);
    await d.ok('one.vm.action', 'poweroff', id);
    await untilState(d, id, 'POWEROFF');
    await done('POWEROFF', 'one.vm.disksnapshotrevert', id, 0, 0);
    await d.ok('one.vm.action', 'resume', id);
    await untilState(d, id, 'RUNNING');
    await done('RUNNING', 'one.vm.disksnapshotcreate', id, 0, 'c');
    expect(shape(trees(await info(id))['0'])).toEqual(['0:-1', '1:0', '2:0*']);
    expect(await done('RUNNING', 'one.vm.disksnapshotdelete', id, 0, 1)).toBe(id);
    await d.ok('one.vm.action', 'suspend', id);
    await untilState(d, id, 'SUSPENDED');
    await refused(ACTION, `Cannot delete snapshot 2 of disk 0: it is the active snapshot; revert to another one first`, 'one.vm.disksnapshotdelete', id, 0, 2);
    await refused(ACTION, `Cannot delete snapshot 0 of disk 0: snapshots 2 were taken on top of it; delete them first`, 'one.vm.disksnapshotdelete', id, 0, 0);
    await refused(ACTION, `Could not revert disk 0 to snapshot 0 of VM ${id}, wrong state SUSPENDED: a disk is reverted while the VM is POWEROFF; power it off first (onevm poweroff ${id}), then resume it.`,
      'one.vm.disksnapshotrevert', id, 0, 0);
    await d.ok('one.vm.action', 'terminate-hard', id);
  });

  it('refuses what cannot be done with OpenNebula\'s codes, changing nothing', async () => {
    const id = await vmIn('POWEROFF');
    await done('POWEROFF', 'one.vm.disksnapshotcreate', id, 0, 'kept');
    await refused(ACTION, `Cannot snapshot disk 1 of VM ${id}: it is a volatile disk (TYPE fs), which has no snapshots; keep data you want to snapshot on a DATABLOCK image.`,
      'one.vm.disksnapshotcreate', id, 1, 'x');
    await refused(ACTION, `Cannot snapshot disk 2 of VM ${id}: the host opens it as raw, and disk snapshots live inside qcow2 files; use an image in a qcow2 datastore (TM_MAD = "qcow2"), or a qcow2 image (FORMAT = "qcow2").`,
      'one.vm.disksnapshotcreate', id, 2, 'x');
    await refused(ACTION, `Cannot snapshot disk 7 of VM ${id}: the VM has no such disk; onevm show ${id} lists its disks (VM DISKS).`, 'one.vm.disksnapshotcreate', id, 7, 'x');
    await refused(ACTION, /^\[one\.vm\.disksnapshotcreate\] Invalid NAME "a\/b": .* Choose another snapshot name\.$/, 'one.vm.disksnapshotcreate', id, 0, 'a/b');
    for (const [method, verb] of [['one.vm.disksnapshotrevert', 'revert to'], ['one.vm.disksnapshotdelete', 'delete'], ['one.vm.disksnapshotrename', 'rename']]) {
      const extra = method.endsWith('rename') ? ['new'] : [];
      await refused(ACTION, `Cannot ${verb} snapshot 5 of disk 0: the disk has no such snapshot; onevm show ${id} lists its snapshots`, method!, id, 0, 5, ...extra);
      await refused(ACTION, `Cannot ${verb} snapshot 0 of disk 2: the disk has no such snapshot; onevm show ${id} lists its snapshots`, method!, id, 2, 0, ...extra);
      await refused(NO_EXISTS, 'Error getting virtual machine [999].', method!, 999, 0, 0, ...extra);
    }
    await refused(NO_EXISTS, 'Error getting virtual machine [999].', 'one.vm.disksnapshotcreate', 999, 0, 'x');
    await refused(XML_RPC_API, 'Parameter 3 (disk id) must be an integer, got a string.', 'one.vm.disksnapshotcreate', id, 'vdb', 'x');
    await refused(XML_RPC_API, 'Missing parameter 4 (name): one.vm.disksnapshotcreate takes 4 parameters.', 'one.vm.disksnapshotcreate', id, 0);

    // a VM not on a host has no disk to snapshot, and a DONE one cannot even rename
    const held = Number(await d.ok('one.vm.allocate', `NAME="held"\nCPU=0.1\nMEMORY=64\nDISK=[IMAGE_ID=${data}]`, true));
    await refused(ACTION, `Could not create a snapshot of disk 0 of VM ${held}, wrong state HOLD: disk snapshots are taken in RUNNING, POWEROFF or SUSPENDED.`,
      'one.vm.disksnapshotcreate', held, 0, 'x');
    await d.ok('one.vm.action', 'terminate-hard', id);
    await untilState(d, id, 'DONE');
    await refused(ACTION, `Could not rename snapshot 0 of disk 0 of VM ${id}: the VM is DONE.`, 'one.vm.disksnapshotrename', id, 0, 0, 'x');
    await d.ok('one.vm.recover', held, 5);
  });

  /** A VM in `state` whose disk 0 has snapshots 0 and 1 and is back on 0: 1 is a leaf to delete, either one a revert target. */
  const prepared = async (state: 'RUNNING' | 'POWEROFF' | 'SUSPENDED') => {
    const id = await vmIn('POWEROFF');
    for (const n of ['a', 'b']) await done('POWEROFF', 'one.vm.disksnapshotcreate', id, 0, n);
    await done('POWEROFF', 'one.vm.disksnapshotrevert', id, 0, 0);
    if (state !== 'POWEROFF') {
      await d.ok('one.vm.action', 'resume', id);
      await untilState(d, id, 'RUNNING');
    }
    if (state === 'SUSPENDED') {
      await d.ok('one.vm.action', 'suspend', id);
      await untilState(d, id, 'SUSPENDED');
    }
    expect(shape(trees(await info(id))['0'])).toEqual(['0:-1*', '1:0']);
    return id;
  };

  /** Every disk snapshot operation of the table: where it starts, the state it waits in, the action the host runs. */
  const OPERATIONS: { from: 'RUNNING' | 'POWEROFF' | 'SUSPENDED'; via: StateName; action: string; method: string; params: (number | string)[]; after: string[] }[] = [
    { from: 'RUNNING', via: 'DISK_SNAPSHOT', action: 'DISK_SNAPSHOT_CREATE', method: 'one.vm.disksnapshotcreate', params: [0, 'new'], after: ['0:-1', '1:0', '2:0*'] },
    { from: 'POWEROFF', via: 'DISK_SNAPSHOT_POWEROFF', action: 'SNAP_CREATE', method: 'one.vm.disksnapshotcreate', params: [0, 'new'], after: ['0:-1', '1:0', '2:0*'] },
    { from: 'SUSPENDED', via: 'DISK_SNAPSHOT_SUSPENDED', action: 'SNAP_CREATE', method: 'one.vm.disksnapshotcreate', params: [0, 'new'], after: ['0:-1', '1:0', '2:0*'] },
    { from: 'POWEROFF', via: 'DISK_SNAPSHOT_REVERT_POWEROFF', action: 'SNAP_REVERT', method: 'one.vm.disksnapshotrevert', params: [0, 1], after: ['0:-1', '1:0*'] },
    { from: 'RUNNING', via: 'DISK_SNAPSHOT_DELETE', action: 'DISK_SNAPSHOT_DELETE', method: 'one.vm.disksnapshotdelete', params: [0, 1], after: ['0:-1*'] },
    { from: 'POWEROFF', via: 'DISK_SNAPSHOT_DELETE_POWEROFF', action: 'SNAP_DELETE', method: 'one.vm.disksnapshotdelete', params: [0, 1], after: ['0:-1*'] },
    { from: 'SUSPENDED', via: 'DISK_SNAPSHOT_DELETE_SUSPENDED', action: 'SNAP_DELETE', method: 'one.vm.disksnapshotdelete', params: [0, 1], after: ['0:-1*'] },
  ];

  it.each(OPERATIONS)('a failed $action returns the VM to $from, the tree as before and the reason in ERROR', async (op) => {
    const id = await prepared(op.from);
    const before = trees(await info(id));
    await script(`${op.action} = "failure 0 ${op.action.toLowerCase()} said no"`);
    try {
      await d.ok(op.method, id, ...op.params);
      await eventually(async () => (error(await info(id)).includes(`${op.action.toLowerCase()} said no`) ? true : undefined), 10_000, `ERROR of ${op.action}`);
    } finally {
      await script('');
    }
    expect(await vmState(d, id)).toBe(op.from);
    expect(trees(await info(id))).toEqual(before);
    await d.ok('one.vm.action', 'terminate-hard', id);
  });

  // recover from each state an operation waits in: --success settles it, --failure abandons it, --retry runs it again.
  it.each(OPERATIONS.flatMap((op) => (['success', 'failure', 'retry'] as const).map((recover) => ({ ...op, recover }))))(
    'a $action that never ends waits in $via; recover --$recover takes it out', async (op) => {
      const id = await prepared(op.from);
      const before = shape(trees(await info(id))['0']);
      await script(`${op.action} = "never"`);
      try {
        await d.ok(op.method, id, ...op.params);
        await untilState(d, id, op.via);
        // nothing else is taken meanwhile
        expect((await d.rpc('one.vm.disksnapshotcreate', id, 0, 'more'))[2]).toBe(ACTION);
        if (op.recover === 'retry') await script('');
        await d.ok('one.vm.recover', id, { failure: 0, success: 1, retry: 2 }[op.recover]);
        await untilState(d, id, op.from);
      } finally {
        await script('');
      }
      expect(shape(trees(await info(id))['0'])).toEqual(op.recover === 'failure' ? before : op.after);
      await d.ok('one.vm.action', 'terminate-hard', id);
    },
  );

  it('a persistent image keeps its disk\'s snapshots after the VM, and gives them to the next VM', async () => {
    const id = await vmIn('RUNNING', `DISK=[IMAGE_ID=${pers}]`);
    for (const n of ['p0', 'p1']) await done('RUNNING', 'one.vm.disksnapshotcreate', id, 3, n);
    await done('RUNNING', 'one.vm.disksnapshotcreate', id, 0, 'not kept');
    await d.ok('one.vm.action', 'terminate-hard', id);
    await untilState(d, id, 'DONE');
    const img = await image(pers);
    expect(xsdErrors('image', img)).toBeUndefined();
    expect(shape(trees(img).image)).toEqual(['0:-1', '1:0*']);
    expect(xmlText(img, 'NEXT_SNAPSHOT')).toBe('2');
    expect(trees(await image(data))).toEqual({ image: [] });

    // the next VM has it as its disk 0
    const next = Number(await d.ok('one.vm.allocate', `NAME="again"\nCPU=0.1\nMEMORY=64\nDISK=[IMAGE_ID=${pers}]`, true));
    const xml = await info(next);
    expect(shape(trees(xml)['0'])).toEqual(['0:-1', '1:0*']);
    expect(xsdErrors('vm', xml)).toBeUndefined();
    await d.ok('one.vm.deploy', next, host, false);
    await untilState(d, next, 'RUNNING');
    expect(await done('RUNNING', 'one.vm.disksnapshotcreate', next, 0, 'p2')).toBe(2);
    await d.ok('one.vm.action', 'terminate-hard', next);
    await untilState(d, next, 'DONE');
    expect(shape(trees(await image(pers)).image)).toEqual(['0:-1', '1:0', '2:1*']);
  });

  it('works from onevm, and onevm show lists the snapshots', async () => {
    const id = await vmIn('RUNNING');
    const onevm = (...args: (string | number)[]) => cliOk(d, 'onevm', args.map(String));
    expect(await onevm('disk-snapshot-create', id, 0, 'before-upgrade', '-v')).toBe(`VM ${id}: disk snapshot created\n`);
    await untilState(d, id, 'RUNNING');
    await onevm('disk-snapshot-create', id, 0, 'after-upgrade');
    await untilState(d, id, 'RUNNING');
    const refused = await cli(d, 'onevm', ['disk-snapshot-revert', String(id), '0', '0']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('power it off first');
    await onevm('poweroff', id);
    await untilState(d, id, 'POWEROFF');
    await onevm('disk-snapshot-revert', id, 0, 0);
    await untilState(d, id, 'POWEROFF');
    await onevm('disk-snapshot-rename', id, 0, 1, 'upgraded');
    const show = await onevm('show', id);
    const section = show.split(/^VM DISK SNAPSHOTS.*$/m)[1]!.replace(/^\n/, '').split('\n\n')[0]!.split('\n').map((l) => l.trimEnd());
    expect(section[0]).toBe('AC  ID DISK PARENT            DATE SIZE         NAME');
    expect(section.slice(1).map((l) => l.replace(/\d\d\/\d\d \d\d:\d\d:\d\d/, 'DATE'))).toEqual([
      '=>   0    0     -1  DATE -/8M         before-upgrade',
      '     1    0      0  DATE -/8M         upgraded',
    ]);
    await onevm('disk-snapshot-delete', id, 0, 1);
    await untilState(d, id, 'POWEROFF');
    expect(shape(trees(await info(id))['0'])).toEqual(['0:-1*']);
    await onevm('terminate', '--hard', id);
  });
});
