import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xsdErrors } from '../src/api/xml/test-fixtures.js';
import { TestDaemon, eventually } from './harness/daemon.js';
import { untilState } from './harness/vm-state.js';

// The documents of a live daemon, with VMs in many states and histories, against OpenNebula's XSDs:
// what pyone (generated from them) and the other clients parse.
describe('API documents validate against OpenNebula XSDs', () => {
  const d = new TestDaemon();

  beforeAll(async () => {
    await d.start();
    await d.ok('one.host.allocate', 'a', 'dummy', 'dummy', -1);
    await d.ok('one.host.allocate', 'b', 'dummy', 'dummy', -1);
    await eventually(async () => (/<STATE>2<\/STATE>/.test(String(await d.ok('one.host.info', 1))) ? true : undefined));
    const tmpl = `NAME="full"\nCPU=0.5\nVCPU=2\nMEMORY=128\nDESCRIPTION="a <web> & \\"db\\""\n` +
      `DISK=[ TYPE="fs", SIZE="1024", FORMAT="qcow2" ]\nNIC=[ NETWORK="default", MODEL="virtio" ]\n` +
      `GRAPHICS=[ TYPE="VNC", LISTEN="0.0.0.0" ]\nCONTEXT=[ NETWORK="YES", SSH_PUBLIC_KEY="$USER[SSH_PUBLIC_KEY]" ]\n` +
      `OS=[ ARCH="x86_64" ]\nFEATURES=[ ACPI="yes" ]\nSCHED_REQUIREMENTS="HYPERVISOR = dummy"\nUSER_PRIORITY=5\nLABELS="a,b"`;
    const t = Number(await d.ok('one.template.allocate', tmpl));
    const vm = Number(await d.ok('one.template.instantiate', t, '', false, ''));
    await untilState(d, vm, 'RUNNING');
    await d.ok('one.vm.migrate', vm, 1, true, false, -1, 0).catch(() => d.ok('one.vm.migrate', vm, 0, true, false, -1, 0));
    await untilState(d, vm, 'RUNNING');
    await d.ok('one.vm.action', 'poweroff', vm);
    await untilState(d, vm, 'POWEROFF');
    await d.ok('one.vm.lock', vm, 2, false);
    const held = Number(await d.ok('one.vm.allocate', 'CPU=1\nMEMORY=32', true));
    await d.ok('one.vm.action', 'terminate', held);
    await d.ok('one.user.allocate', 'alice', 'secret', '', []);
    await d.ok('one.group.allocate', 'devs');
  });
  afterAll(() => d.dispose());

  // Host monitoring has no schema of its own (monitoring_data.xsd describes VM samples); its samples
  // follow host.xsd's MONITORING, checked where they are rendered (src/api/xml/monitoring.test.ts).
  const docs: [string, string, unknown[]][] = [
    ['vm', 'one.vm.info', [0]],
    ['vm', 'one.vm.info', [1]],
    ['vm_pool', 'one.vmpool.info', [-2, -1, -1, -2]],
    ['vm_pool_extended', 'one.vmpool.infoextended', [-2, -1, -1, -2]],
    ['monitoring_data', 'one.vm.monitoring', [0]],
    ['host', 'one.host.info', [0]],
    ['host_pool', 'one.hostpool.info', []],
    ['vmtemplate', 'one.template.info', [0]],
    ['vmtemplate_pool', 'one.templatepool.info', [-2, -1, -1]],
    ['user', 'one.user.info', [0]],
    ['user_pool', 'one.userpool.info', []],
    ['group', 'one.group.info', [0]],
    ['group_pool', 'one.grouppool.info', []],
    ['cluster', 'one.cluster.info', [0]],
    ['cluster_pool', 'one.clusterpool.info', []],
    ['datastore', 'one.datastore.info', [0]],
    ['datastore', 'one.datastore.info', [1]],
    ['datastore_pool', 'one.datastorepool.info', []],
    ['image_pool', 'one.imagepool.info', [-2, -1, -1]],
  ];
  for (const [schema, method, params] of docs) {
    it(`${method}(${params.join(', ')}) is a valid ${schema}`, async () => {
      const xml = String(await d.ok(method, ...(params as never[])));
      expect(xsdErrors(schema, xml)).toBeUndefined();
    });
  }
});
