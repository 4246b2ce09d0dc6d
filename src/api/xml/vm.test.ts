import { describe, expect, it } from 'vitest';
import { templateFromXml } from '../../template/xml.js';
import { poolXml } from './pool.js';
import { sampleVm, xsdErrors } from './test-fixtures.js';
import { vmToShortXml, vmToXml } from './vm.js';

/** Child element names of the first `<tag>...</tag>` in a document, in order. */
function childrenOf(doc: string, tag: string): string[] {
  const start = doc.indexOf(`<${tag}>`) + tag.length + 2;
  const body = doc.slice(start, doc.indexOf(`</${tag}>`, start));
  const names: string[] = [];
  let depth = 0;
  for (const m of body.matchAll(/<(\/?)([A-Z_0-9]+)>/g)) {
    if (m[1]) depth--;
    else if (depth++ === 0) names.push(m[2]);
  }
  return names;
}

describe('vmToXml', () => {
  const xml = vmToXml(sampleVm());

  it('is a valid vm.xsd document', () => {
    expect(xsdErrors('vm', xml)).toBeUndefined();
  });

  it('is a valid vm_pool_extended.xsd document inside a pool', () => {
    expect(xsdErrors('vm_pool_extended', poolXml('VM_POOL', [xml]))).toBeUndefined();
  });

  it('holds every history record, the lock and the escaped name', () => {
    expect(xml.match(/<HISTORY>/g)).toHaveLength(3);
    expect(xml).toContain('<LOCK><LOCKED>1</LOCKED><OWNER>2</OWNER><TIME>1700000200</TIME><REQ_ID>77</REQ_ID></LOCK>');
    expect(xml).toContain('<NAME>web &lt;1&gt; &amp; &quot;db&quot;</NAME>');
    expect(xml).toContain('<SCHED_ACTIONS><ID>5</ID></SCHED_ACTIONS>');
  });

  it('orders the system template as vm.xsd does, not purely alphabetically', () => {
    const names = childrenOf(xml, 'TEMPLATE');
    expect(names.indexOf('HYPERV_OPTIONS')).toBeLessThan(names.indexOf('GRAPHICS'));
    expect(names.indexOf('VIDEO')).toBeLessThan(names.indexOf('MEMORY'));
    expect(names.indexOf('MEMORY_SLOTS')).toBeLessThan(names.indexOf('MEMORY_RESIZE_MODE'));
    expect(names[names.length - 1]).toBe('SCHED_ACTION');
    expect(xml).toContain('<VIDEO><TYPE>virtio</TYPE><VRAM>16384</VRAM><RESOLUTION>1280x720</RESOLUTION></VIDEO>');
  });

  it('keeps the templates readable back, values intact', () => {
    const start = xml.indexOf('<USER_TEMPLATE>');
    const user = templateFromXml(xml.slice(start, xml.indexOf('</USER_TEMPLATE>') + 16));
    expect(user).toContainEqual({ name: 'DESCRIPTION', value: 'line one\nline two' });
    expect(user).toContainEqual({ name: 'SCHED_REQUIREMENTS', value: 'HYPERVISOR = "kvm"' });
  });

  it('is valid with system snapshots, one of them being taken, and hides the values a live resize keeps', () => {
    const base = sampleVm();
    const snapshot = (id: string, extra: Record<string, string> = {}) => ({
      name: 'SNAPSHOT',
      value: { HYPERVISOR_ID: id === '0' ? 'onesnap-0' : '', NAME: `snap ${id}`, SNAPSHOT_ID: id, SYSTEM_DISK_SIZE: '512', TIME: '1700000400', ...extra },
    });
    const vm = {
      ...base,
      lcmState: 66,
      template: [...base.template, snapshot('0'), snapshot('1', { ACTIVE: 'YES', ACTION: 'CREATE' }), { name: 'RESIZE', value: { CPU: '0.25', MEMORY: '256' } }],
    };
    const doc = vmToXml(vm);
    expect(xsdErrors('vm', doc)).toBeUndefined();
    expect(doc).toContain(
      '<SNAPSHOT><HYPERVISOR_ID>onesnap-0</HYPERVISOR_ID><NAME>snap 0</NAME><SNAPSHOT_ID>0</SNAPSHOT_ID><SYSTEM_DISK_SIZE>512</SYSTEM_DISK_SIZE><TIME>1700000400</TIME></SNAPSHOT>' +
        '<SNAPSHOT><ACTION>CREATE</ACTION><ACTIVE>YES</ACTIVE><HYPERVISOR_ID></HYPERVISOR_ID>',
    );
    expect(doc).not.toContain('<RESIZE>');
  });

  it('is valid for a VM never placed, with nothing monitored', () => {
    const vm = { ...sampleVm(), history: [], lock: null, monitoring: {}, userTemplate: [] };
    const doc = vmToXml(vm);
    expect(xsdErrors('vm', doc)).toBeUndefined();
    expect(doc).toContain('<HISTORY_RECORDS></HISTORY_RECORDS>');
    expect(doc).not.toContain('<LOCK>');
  });
});

describe('vmToShortXml', () => {
  const xml = vmToShortXml(sampleVm());

  it('is a valid vm_pool.xsd body', () => {
    expect(xsdErrors('vm_pool', poolXml('VM_POOL', [xml, vmToShortXml({ ...sampleVm(), id: 43, history: [] })]))).toBeUndefined();
  });

  it('carries only the last history record and no permissions, previous states or lock', () => {
    expect(xml.match(/<HISTORY>/g)).toHaveLength(1);
    expect(xml).toContain('<SEQ>2</SEQ><HOSTNAME>node3</HOSTNAME>');
    for (const absent of ['<PERMISSIONS>', '<PREV_STATE>', '<LOCK>', '<OS>', '<CONTEXT>', '<SNAPSHOTS>']) expect(xml).not.toContain(absent);
  });

  it('reduces DISK, NIC, MONITORING and USER_TEMPLATE to what listings read', () => {
    expect(childrenOf(xml, 'TEMPLATE')).toEqual(['CPU', 'MEMORY', 'VCPU', 'DISK', 'DISK', 'NIC', 'NIC', 'GRAPHICS']);
    expect(xml).not.toContain('<SOURCE>');
    expect(xml).not.toContain('<BRIDGE>');
    expect(xml).toContain('<NIC><IP>10.0.0.5</IP><MAC>02:00:0a:00:00:05</MAC>');
    expect(xml).toContain('<MONITORING><CPU>12.5</CPU><MEMORY>524288</MEMORY><STATE></STATE></MONITORING>');
    expect(childrenOf(xml, 'USER_TEMPLATE')).toEqual(['LABELS', 'SCHED_REQUIREMENTS', 'USER_PRIORITY']);
  });
});
