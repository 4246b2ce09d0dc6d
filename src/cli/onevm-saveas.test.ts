import { describe, expect, it } from 'vitest';
import type { XmlRpcValue } from '../api/xmlrpc/values.js';
import { OneApiError } from './errors.js';
import { run } from './onevm.js';
import { runWith, type Handler } from './testing/fake-one.js';

/** VM 5, instantiated from template 2, in `state`, with a disk from image 7, a volatile disk, a CD-ROM and a NIC. */
function vmXml(state: number): string {
  return `<VM><ID>5</ID><NAME>web</NAME><STATE>${state}</STATE><LCM_STATE>0</LCM_STATE><TEMPLATE>
<CPU>0.5</CPU><VCPU>2</VCPU><MEMORY>256</MEMORY><TEMPLATE_ID>2</TEMPLATE_ID>
<DISK><DISK_ID>0</DISK_ID><IMAGE>deb</IMAGE><IMAGE_ID>7</IMAGE_ID><SOURCE>/ds/1/a</SOURCE><SIZE>2</SIZE><TYPE>FILE</TYPE><TARGET>vda</TARGET><CACHE>none</CACHE><DATASTORE_ID>1</DATASTORE_ID></DISK>
<DISK><DISK_ID>1</DISK_ID><TYPE>fs</TYPE><SIZE>4</SIZE><FORMAT>raw</FORMAT><TARGET>vdb</TARGET></DISK>
<DISK><DISK_ID>2</DISK_ID><IMAGE_ID>8</IMAGE_ID><TYPE>CDROM</TYPE><TARGET>hda</TARGET></DISK>
<NIC><NIC_ID>0</NIC_ID><BRIDGE>br0</BRIDGE><MODEL>virtio</MODEL></NIC>
</TEMPLATE></VM>`;
}

const TEMPLATE = '<VMTEMPLATE><ID>2</ID><NAME>web</NAME><TEMPLATE><NAME>web</NAME><CPU>0.1</CPU><MEMORY>64</MEMORY><DESCRIPTION>a "web" server</DESCRIPTION>'
  + '<DISK><IMAGE>deb</IMAGE></DISK><OS><ARCH>x86_64</ARCH></OS></TEMPLATE></VMTEMPLATE>';
const image = (state: number, error = '') => `<IMAGE><ID>30</ID><STATE>${state}</STATE><TEMPLATE>${error ? `<ERROR>${error}</ERROR>` : ''}</TEMPLATE></IMAGE>`;

/** A daemon where VM 5 is POWEROFF (8) and disk saves give image 30, READY after `readyAfter` looks. */
function daemon(readyAfter = 1, extra: Record<string, Handler> = {}): Record<string, Handler> {
  let looks = 0;
  return {
    'one.vmpool.info': () => '<VM_POOL><VM><ID>5</ID><NAME>web</NAME></VM></VM_POOL>',
    'one.vm.info': () => vmXml(8),
    'one.vm.disksaveas': () => 30,
    'one.image.info': () => image(++looks > readyAfter ? 1 : 4),
    'one.image.persistent': () => 30,
    'one.image.delete': () => 30,
    'one.template.info': () => TEMPLATE,
    'one.template.allocate': () => 11,
    ...extra,
  };
}
const onevm = (argv: string[], handlers: Record<string, Handler>) => runWith(run, argv, handlers, { sleep: async () => undefined });

describe('onevm disk-saveas', () => {
  it('saves the disk and prints the new image\'s id, with --type and --snapshot passed on', async () => {
    const r = await onevm(['disk-saveas', '5', '0', 'copy', '--type', 'DATABLOCK', '--snapshot', '2'], daemon());
    expect(r.code).toBe(0);
    expect(r.out).toBe('Image ID: 30\n');
    expect(r.one.paramsOf('one.vm.disksaveas')).toEqual([[5, 0, 'copy', 'DATABLOCK', 2]]);
    expect((await onevm(['disk-saveas', 'web', '0', 'copy'], daemon())).one.paramsOf('one.vm.disksaveas')).toEqual([[5, 0, 'copy', '', -1]]);
  });

  it('refuses a disk or snapshot id that is not a number before calling the daemon', async () => {
    const r = await onevm(['disk-saveas', '5', 'x', 'copy'], daemon());
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/Disk ID "x" is not a number/);
    expect(r.one.calls).toEqual([]);
    expect((await onevm(['disk-saveas', '5', '0', 'c', '--snapshot', 'last'], daemon())).err).toMatch(/Snapshot ID "last" is not a number/);
  });
});

describe('onevm save', () => {
  it('saves each disk from an image, waits for the images, and makes a template of the VM', async () => {
    const r = await onevm(['save', '5', 'web-copy', '--persistent'], daemon(2));
    expect(r.code).toBe(0);
    expect(r.out).toBe('Template ID: 11\n');
    expect(r.one.paramsOf('one.vm.disksaveas')).toEqual([[5, 0, 'web-copy-disk-0', '', -1]]);
    expect(r.one.paramsOf('one.image.info')).toHaveLength(3);
    expect(r.one.paramsOf('one.image.persistent')).toEqual([[30, true]]);
    const [[text]] = r.one.paramsOf('one.template.allocate') as [[string]];
    expect(text.split('\n')).toEqual([
      'NAME="web-copy"',
      'DESCRIPTION="a \\"web\\" server"',
      'OS=[',
      '  ARCH="x86_64" ]',
      'CPU="0.5"',
      'VCPU="2"',
      'MEMORY="256"',
      'DISK=[ IMAGE_ID="30", CACHE="none" ]',
      'DISK=[ TYPE="fs", SIZE="4", FORMAT="raw" ]',
      'DISK=[ IMAGE_ID="8" ]',
      'NIC=[ BRIDGE="br0", MODEL="virtio" ]',
      'SAVED_TEMPLATE_ID="2"',
    ]);
  });

  it('keeps the images non-persistent without --persistent', async () => {
    const r = await onevm(['save', '5', 'web-copy'], daemon());
    expect(r.code).toBe(0);
    expect(r.one.paramsOf('one.image.persistent')).toEqual([]);
  });

  it('refuses a VM that is not POWEROFF, or has no template, changing nothing', async () => {
    const on = await onevm(['save', '5', 'c'], daemon(1, { 'one.vm.info': () => vmXml(3) }));
    expect(on.code).not.toBe(0);
    expect(on.err).toMatch(/VM 5 must be POWEROFF to be saved: onevm poweroff 5 first/);
    const orphan = await onevm(['save', '5', 'c'], daemon(1, { 'one.vm.info': () => vmXml(8).replace('<TEMPLATE_ID>2</TEMPLATE_ID>', '') }));
    expect(orphan.err).toMatch(/VM 5 has no associated template/);
    for (const r of [on, orphan]) expect(r.one.calls.map(([m]) => m)).not.toContain('one.vm.disksaveas');
  });

  it('deletes the images it made when a copy fails, and says why', async () => {
    const r = await onevm(['save', '5', 'c'], daemon(1, { 'one.image.info': () => image(5, 'no space') }));
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/Image 30 could not be saved: no space/);
    expect(r.one.paramsOf('one.image.delete')).toEqual([[30, false]]);
    expect(r.one.paramsOf('one.template.allocate')).toEqual([]);
  });

  it('rolls back when the template cannot be made', async () => {
    const refuse: Handler = (): XmlRpcValue => { throw new OneApiError('[one.template.allocate] NAME is already taken', 0x4000); };
    const r = await onevm(['save', '5', 'c'], daemon(1, { 'one.template.allocate': refuse }));
    expect(r.err).toMatch(/NAME is already taken/);
    expect(r.one.paramsOf('one.image.delete')).toEqual([[30, false]]);
  });
});
