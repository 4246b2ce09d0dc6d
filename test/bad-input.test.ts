import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCall } from '../src/api/xmlrpc/codec.js';
import { TestDaemon } from './harness/daemon.js';

const RPC_API = 0x1000;
const NO_EXISTS = 0x400;
const ACTION = 0x800;
const ALLOCATE = 0x4000;
const AUTHENTICATION = 0x100;

// Every bad call gets OpenNebula's error code, a message that says what to fix, and changes nothing.
describe('bad input', () => {
  const d = new TestDaemon('MESSAGE_SIZE = 65536\n');
  let poolBefore = '';

  beforeAll(async () => {
    await d.start();
    await d.ok('one.host.allocate', 'h', 'dummy', 'dummy', -1);
    await d.ok('one.vm.allocate', 'NAME="keep"\nCPU=1\nMEMORY=64', true);
    await d.ok('one.template.allocate', 'NAME="t"\nCPU=1\nMEMORY=64');
    poolBefore = String(await d.ok('one.vmpool.info', -2, -1, -1, -2));
  });
  afterAll(async () => {
    // Nothing any rejected call sent changed the VM pool.
    expect(String(await d.ok('one.vmpool.info', -2, -1, -1, -2))).toBe(poolBefore);
    await d.dispose();
  });

  const cases: [string, string, unknown[], number, RegExp][] = [
    ['malformed template', 'one.vm.allocate', ['CPU = [ 1'], ALLOCATE, /line 1/],
    ['unbalanced quote', 'one.vm.allocate', ['NAME = "x\nCPU=1'], ALLOCATE, /line/],
    ['no MEMORY', 'one.vm.allocate', ['CPU=1'], ALLOCATE, /MEMORY/],
    ['negative CPU', 'one.vm.allocate', ['CPU=-1\nMEMORY=64'], ALLOCATE, /CPU attribute must be a positive/],
    ['fractional MEMORY', 'one.vm.allocate', ['CPU=1\nMEMORY=1.5'], ALLOCATE, /MEMORY attribute must be a positive integer/],
    ['bad SCHED_REQUIREMENTS', 'one.vm.allocate', ['CPU=1\nMEMORY=64\nSCHED_REQUIREMENTS="ID = = 3"'], ALLOCATE, /SCHED_REQUIREMENTS/],
    ['bad name', 'one.vm.allocate', ['NAME="a:b"\nCPU=1\nMEMORY=64'], ALLOCATE, /NAME/],
    ['unknown VM', 'one.vm.info', [4242], NO_EXISTS, /\[4242\]/],
    ['unknown VM action', 'one.vm.action', ['explode', 0], ACTION, /not supported/],
    ['wrong state', 'one.vm.action', ['suspend', 0], ACTION, /not available for state HOLD/],
    ['wrong type', 'one.vm.info', ['zero'], RPC_API, /Parameter 2 \(id\) must be an integer/],
    ['missing argument', 'one.vm.action', ['poweroff'], RPC_API, /Missing parameter 3/],
    ['unknown host', 'one.vm.deploy', [0, 77], NO_EXISTS, /host \[77\]/],
    ['bad recover code', 'one.vm.recover', [0, 12], RPC_API, /recovery operation/],
    ['bad migration type', 'one.vm.migrate', [0, 0, false, false, -1, 7], RPC_API, /migration type/],
    ['bad state filter', 'one.vmpool.info', [-2, -1, -1, 7], RPC_API, /state filter/],
    ['bad chmod bits', 'one.vm.chmod', [0, 1, 1, 1, 2, 0, 0, 0, 0, 0], RPC_API, /nine values/],
    ['bad lock level', 'one.vm.lock', [0, 9], RPC_API, /lock level/],
    ['bad update type', 'one.vm.update', [0, 'A=1', 5], RPC_API, /update type/],
    ['duplicate host', 'one.host.allocate', ['h', 'dummy', 'dummy', -1], ALLOCATE, /already taken/],
    ['unknown driver', 'one.host.allocate', ['h2', 'kvm', 'dummy', -1], ALLOCATE, /IM_MAD "kvm"/],
    ['template without name', 'one.template.allocate', ['CPU=1'], ALLOCATE, /NAME/],
    ['unknown template', 'one.template.instantiate', [99, '', false, ''], NO_EXISTS, /template \[99\]/],
    ['bad extra template', 'one.template.instantiate', [0, '', false, 'CPU = ['], RPC_API, /Parse error/],
    ['bad host status', 'one.host.status', [0, 5], RPC_API, /host status/],
  ];

  for (const [what, method, params, code, message] of cases) {
    it(`${what}: ${method} answers ${code.toString(16)}`, async () => {
      const r = await d.rpc(method, ...(params as never[]));
      expect(r[0]).toBe(false);
      expect(r[2]).toBe(code);
      expect(String(r[1])).toMatch(new RegExp(`^\\[${method.replace(/\./g, '\\.')}\\] `));
      expect(String(r[1])).toMatch(message);
    });
  }

  it('rejects a wrong session with AUTHENTICATION', async () => {
    const r = await d.rpcAs('oneadmin:wrong', 'one.vm.info', 0);
    expect(r.slice(0, 2)).toEqual([false, "[one.vm.info] User couldn't be authenticated, aborting call."]);
    expect(r[2]).toBe(AUTHENTICATION);
  });

  it('answers an unknown method, malformed XML and an oversized call with XML-RPC faults', async () => {
    const post = async (body: string) => (await fetch(d.endpoint, { method: 'POST', body })).text();
    expect(await post(encodeCall('one.vm.fly', [d.session]))).toMatch(/<fault>[\s\S]*one\.vm\.fly/);
    expect(await post('<methodCall><methodName>one.vm.info')).toMatch(/<fault>/);
    expect(await post(encodeCall('one.vm.allocate', [d.session, `DESCRIPTION="${'x'.repeat(70_000)}"`]))).toMatch(/<fault>[\s\S]*65536/);
  });
});
