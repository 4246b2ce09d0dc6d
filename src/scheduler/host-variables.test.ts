import { describe, expect, it } from 'vitest';
import { HostState, type Host } from '../domain/host.js';
import { hostLookup, numericLookup } from './host-variables.js';

function host(overrides: Partial<Host> = {}): Host {
  return {
    id: 7, name: 'node07', state: HostState.MONITORED, prevState: HostState.INIT, imMad: 'kvm', vmMad: 'kvm',
    clusterId: 100, cluster: 'edge',
    share: { memUsage: 1024, cpuUsage: 150, totalMem: 8192, totalCpu: 400, maxMem: 7168, maxCpu: 350, runningVms: 2 },
    vms: [12, 40],
    template: [
      { name: 'HYPERVISOR', value: 'kvm' },
      { name: 'ARCH', value: 'x86_64' },
      { name: 'PRIORITY', value: '5' },
      { name: 'TAG', value: 'ssd' },
      { name: 'TAG', value: 'gpu' },
      { name: 'PCI', value: { VENDOR: '10de', CLASS: '0302' } },
    ],
    monitoring: { timestamp: 1700, freeCpu: 310.5, usedCpu: 89.5, freeMemory: 6000, usedMemory: 2192, netrx: 11, nettx: 22 },
    lastMonAt: 1700,
    ...overrides,
  };
}

describe('hostLookup', () => {
  const lookup = hostLookup(host());

  it.each([
    ['HYPERVISOR', ['kvm']], ['ARCH', ['x86_64']], ['PRIORITY', ['5']],
    ['MAX_CPU', ['350']], ['CPU_USAGE', ['150']], ['MAX_MEM', ['7168']], ['MEM_USAGE', ['1024']],
    ['TOTAL_CPU', ['400']], ['TOTAL_MEM', ['8192']], ['RUNNING_VMS', ['2']],
    ['FREE_CPU', ['310.5']], ['USED_CPU', ['89.5']], ['FREE_MEMORY', ['6000']], ['USED_MEMORY', ['2192']],
    ['NETRX', ['11']], ['NETTX', ['22']],
    ['ID', ['7']], ['NAME', ['node07']], ['STATE', ['2']], ['PREV_STATE', ['0']], ['CLUSTER_ID', ['100']],
    ['CLUSTER', ['edge']], ['IM_MAD', ['kvm']], ['VM_MAD', ['kvm']],
  ])('resolves %s', (name, values) => {
    expect(lookup(name)).toEqual(values);
  });

  it('gives every value of a repeated template attribute', () => {
    expect(lookup('TAG')).toEqual(['ssd', 'gpu']);
  });

  it('gives the ids of the host VMs for CURRENT_VMS and for the VMS/ID path in its spellings', () => {
    for (const name of ['CURRENT_VMS', 'HOST/VMS/ID', '/HOST/VMS/ID', 'VMS/ID']) {
      expect(lookup(name)).toEqual(['12', '40']);
    }
  });

  it('resolves explicit paths below HOST, vector sub-attributes included', () => {
    expect(lookup('HOST/HOST_SHARE/MAX_CPU')).toEqual(['350']);
    expect(lookup('/HOST/TEMPLATE/ARCH')).toEqual(['x86_64']);
    expect(lookup('TEMPLATE/PCI/VENDOR')).toEqual(['10de']);
    expect(lookup('MONITORING/CAPACITY/FREE_MEMORY')).toEqual(['6000']);
    expect(lookup('HOST/MONITORING/TIMESTAMP')).toEqual(['1700']);
    expect(lookup('HOST/NAME')).toEqual(['node07']);
  });

  it('does not answer a bare name with a vector sub-attribute', () => {
    expect(lookup('VENDOR')).toBeUndefined();
    expect(lookup('PCI')).toBeUndefined();
  });

  it('ignores the case of the name', () => {
    expect(lookup('hypervisor')).toEqual(['kvm']);
    expect(lookup('host/vms/id')).toEqual(['12', '40']);
  });

  it('searches TEMPLATE before HOST_SHARE and the HOST fields, as OpenNebula does', () => {
    const shadowed = hostLookup(host({ template: [{ name: 'NAME', value: 'alias' }, { name: 'MAX_CPU', value: '1' }] }));
    expect(shadowed('NAME')).toEqual(['alias']);
    expect(shadowed('MAX_CPU')).toEqual(['1']);
    expect(shadowed('HOST/NAME')).toEqual(['node07']);
    expect(shadowed('HOST_SHARE/MAX_CPU')).toEqual(['350']);
  });

  it('has no monitoring values for a host never monitored', () => {
    const fresh = hostLookup(host({ monitoring: null }));
    expect(fresh('FREE_CPU')).toBeUndefined();
    expect(fresh('NETRX')).toBeUndefined();
    expect(fresh('MAX_CPU')).toEqual(['350']);
  });

  it('answers undefined for unknown names and paths', () => {
    expect(lookup('NO_SUCH')).toBeUndefined();
    expect(lookup('HOST/NO/SUCH')).toBeUndefined();
  });

  it('gives an empty list of VMs for an empty host', () => {
    expect(hostLookup(host({ vms: [] }))('CURRENT_VMS')).toEqual([]);
  });
});

describe('numericLookup', () => {
  const lookup = numericLookup(hostLookup(host({ template: [{ name: 'ARCH', value: 'x86_64' }, { name: 'BLANK', value: ' ' }] })));

  it('gives numbers for numeric values', () => {
    expect(lookup('FREE_CPU')).toBe(310.5);
    expect(lookup('RUNNING_VMS')).toBe(2);
  });

  it('gives undefined for missing, blank and non-numeric values', () => {
    expect(lookup('NO_SUCH')).toBeUndefined();
    expect(lookup('BLANK')).toBeUndefined();
    expect(lookup('ARCH')).toBeUndefined();
  });
});
