import { describe, expect, it } from 'vitest';
import { Resolver } from './resolve.js';
import { FakeOne, fixture } from './testing/fake-one.js';

describe('Resolver', () => {
  const one = () => new FakeOne({ 'one.vmpool.info': () => fixture('vm-pool.xml'), 'one.hostpool.info': () => fixture('host-pool.xml') });

  it('passes IDs through and looks names up once per pool', async () => {
    const fake = one();
    const r = new Resolver(fake);
    expect(await r.id('VM', '17')).toBe(17);
    expect(await r.id('VM', 'my_vm')).toBe(0);
    expect(await r.ids('VM', 'pending-vm,2..3')).toEqual([1, 2, 3]);
    expect(await r.id('HOST', 'testbed')).toBe(2);
    expect(fake.paramsOf('one.vmpool.info')).toEqual([[-2, -1, -1, -1]]);
  });

  it('says how to find the ID when a name is unknown or ambiguous', async () => {
    const fake = new FakeOne({
      'one.templatepool.info': () =>
        '<VMTEMPLATE_POOL><VMTEMPLATE><ID>1</ID><NAME>t</NAME></VMTEMPLATE><VMTEMPLATE><ID>2</ID><NAME>t</NAME></VMTEMPLATE></VMTEMPLATE_POOL>',
    });
    const r = new Resolver(fake);
    await expect(r.id('VMTEMPLATE', 'nope')).rejects.toThrow('VMTEMPLATE named nope not found. Check the name with onetemplate list, or use the ID.');
    await expect(r.id('VMTEMPLATE', 't')).rejects.toThrow('There are multiple VMTEMPLATEs with name t (IDs 1, 2); use the ID instead.');
  });
});
