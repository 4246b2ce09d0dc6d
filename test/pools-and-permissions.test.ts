import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestDaemon } from './harness/daemon.js';

const AUTHORIZATION = 0x200;
const ids = (xml: string) => [...xml.matchAll(/<VM><ID>(\d+)<\/ID>/g)].map((m) => Number(m[1]));

// Pool filters, paging, state filters and search; and who may see and do what.
describe('pools and permissions', () => {
  const d = new TestDaemon();
  const alice = 'alice:wonder';
  const bob = 'bob:builder';

  beforeAll(async () => {
    await d.start();
    const devs = Number(await d.ok('one.group.allocate', 'devs'));
    await d.ok('one.user.allocate', 'alice', 'wonder', '', [devs]);
    await d.ok('one.user.allocate', 'bob', 'builder', '', [devs]);
    for (let i = 0; i < 6; i++) await d.ok('one.vm.allocate', `NAME="admin-${i}"\nCPU=1\nMEMORY=64\nNIC=[ MAC="02:00:00:00:00:0${i}" ]`, true);
    for (let i = 0; i < 3; i++) {
      const r = await d.rpcAs(alice, 'one.vm.allocate', `NAME="alice-${i}"\nCPU=1\nMEMORY=64\nLABEL="team-${i % 2}"`, true);
      expect(r[0]).toBe(true);
    }
  });
  afterAll(() => d.dispose());

  it('filters by owner flag, id range and page', async () => {
    expect(ids(String(await d.ok('one.vmpool.info', -2, -1, -1, -1)))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(ids(String(await d.ok('one.vmpool.info', -2, 2, 4, -1)))).toEqual([2, 3, 4]);
    expect(ids(String(await d.ok('one.vmpool.info', -2, 5, -1, -1)))).toEqual([5, 6, 7, 8]);
    expect(ids(String(await d.ok('one.vmpool.info', -2, 2, -3, -1)))).toEqual([2, 3, 4]); // offset 2, page 3
    expect(ids(String((await d.rpcAs(alice, 'one.vmpool.info', -3, -1, -1, -1))[1]))).toEqual([6, 7, 8]);
    expect(ids(String(await d.ok('one.vmpool.info', 2, -1, -1, -1)))).toEqual([6, 7, 8]);
  });

  it('filters by state, DONE only with -2', async () => {
    await d.ok('one.vm.action', 'terminate', 0);
    expect(ids(String(await d.ok('one.vmpool.info', -2, -1, -1, -1)))).not.toContain(0);
    expect(ids(String(await d.ok('one.vmpool.info', -2, -1, -1, -2)))).toContain(0);
    expect(ids(String(await d.ok('one.vmpool.info', -2, -1, -1, 6)))).toEqual([0]);
  });

  it('searches the documents with KEY=VALUE terms on the embedded store', async () => {
    const search = async (q: string) => ids(String(await d.ok('one.vmpool.info', -2, -1, -1, -1, q)));
    expect(await search('VM.NAME=alice')).toEqual([6, 7, 8]);
    expect(await search('VM.NAME=alice&VM.USER_TEMPLATE.LABEL=team-1')).toEqual([7]);
    expect(await search('VM.TEMPLATE.NIC[*].MAC=02:00:00:00:00:03')).toEqual([3]);
    expect(await search('VM.UNAME=alice')).toEqual([6, 7, 8]);
    expect(await search('team-0')).toEqual([6, 8]);
    expect(await search('VM.NAME=%')).toEqual([]);
    await d.ok('one.host.allocate', 'searchhost', 'dummy', 'dummy', -1);
    await d.ok('one.vm.deploy', 5, 0, false);
    expect(await search('VM.HISTORY_RECORDS.HISTORY.HOSTNAME=searchhost')).toEqual([5]);
  });

  it('lets a group member see only what the permission bits allow', async () => {
    const asBob = async (m: string, ...p: unknown[]) => d.rpcAs(bob, m, ...(p as never[]));
    expect(ids(String((await asBob('one.vmpool.info', -2, -1, -1, -1))[1]))).toEqual([]);
    expect((await asBob('one.vm.info', 6))[2]).toBe(AUTHORIZATION);
    const chmod = await d.rpcAs(alice, 'one.vm.chmod', 6, -1, -1, -1, 1, 1, -1, -1, -1, -1);
    expect(chmod[0]).toBe(true);
    expect(ids(String((await asBob('one.vmpool.info', -2, -1, -1, -1))[1]))).toEqual([6]);
    expect((await asBob('one.vm.info', 6))[0]).toBe(true);
    expect((await asBob('one.vm.action', 'hold', 7))[2]).toBe(AUTHORIZATION);
    expect((await asBob('one.vm.action', 'release', 6))[0]).toBe(true);
    expect((await asBob('one.vm.deploy', 6, 0))[2]).toBe(AUTHORIZATION); // deploy needs ADMIN
    expect((await asBob('one.host.allocate', 'x', 'dummy', 'dummy', -1))[2]).toBe(AUTHORIZATION);
    expect((await d.rpcAs(alice, 'one.vm.chmod', 7, 1, 1, 1, -1, -1, -1, -1, -1, -1))[2]).toBe(AUTHORIZATION);
  });

  it('honours locks: a MANAGE lock blocks actions but not reads', async () => {
    await d.ok('one.vm.lock', 1, 2, false);
    const r = await d.rpc('one.vm.action', 'release', 1);
    expect(r[2]).toBe(0x8000);
    expect((await d.rpc('one.vm.info', 1))[0]).toBe(true);
    expect((await d.rpc('one.vm.lock', 1, 1, true))[2]).toBe(0x8000);
    await d.ok('one.vm.unlock', 1);
    await d.ok('one.vm.action', 'release', 1);
  });

  it('renames, chowns and updates the user template (replace and merge)', async () => {
    await d.ok('one.vm.rename', 2, 'renamed');
    await d.ok('one.vm.chown', 2, 3, -1);
    await d.ok('one.vm.update', 2, 'A="1"\nB="2"', 0);
    await d.ok('one.vm.update', 2, 'B="3"\nC="4"', 1);
    const xml = String(await d.ok('one.vm.info', 2));
    expect(xml).toMatch(/<NAME>renamed<\/NAME>/);
    expect(xml).toMatch(/<UNAME>bob<\/UNAME>/);
    expect(xml).toMatch(/<USER_TEMPLATE><A>1<\/A><B>3<\/B><C>4<\/C><\/USER_TEMPLATE>/);
  });

  it('records who locked an object and in which request', async () => {
    await d.ok('one.vm.lock', 3, 1, false);
    expect(String(await d.ok('one.vm.info', 3))).toMatch(/<LOCK><LOCKED>1<\/LOCKED><OWNER>0<\/OWNER><TIME>\d+<\/TIME><REQ_ID>[1-9]\d*<\/REQ_ID><\/LOCK>/);
    await d.ok('one.vm.unlock', 3);
  });
});
