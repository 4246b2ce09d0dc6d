import { describe, expect, it } from 'vitest';
import { renderTable } from '../output/table.js';
import { fixture } from '../testing/fake-one.js';
import { items, parseXml } from '../xml.js';
import { VM_DEFAULT_COLUMNS, ipStr, vmColumns } from './vm.js';

const NOW = 1700090000;
const vms = items(parseXml(fixture('vm-pool.xml')).VM_POOL, 'VM');
const list = (opts = {}, ctx = {}) => renderTable(vmColumns({ now: NOW, ...ctx }), VM_DEFAULT_COLUMNS, vms, opts);

describe('onevm list columns', () => {
  it("prints OpenNebula's default columns and widths", () => {
    // Expected lines written with Ruby's format strings ("%6.6s %-8.8s ..."), TIME cut at 10 as there.
    expect(list()).toBe(
      [
        '    ID USER     GROUP    NAME            STAT  CPU     MEM HOST             TIME',
        '     3 oneadmin oneadmin stopped-vm      stop    2   1024M              1d 01h00',
        '     2 alice-th users    a-name-longer-t poff  0.5    1.5G node2        1d 01h00',
        '     1 oneadmin oneadmin pending-vm      pend    1      2G              0d 01h00',
        '     0 oneadmin oneadmin *my_vm          runn    1    768M testbed      2d 04h46',
        '',
      ].join('\n'),
    );
  });

  it('shows HOST only for ACTIVE, SUSPENDED and POWEROFF VMs', () => {
    const hosts = list({ list: ['ID', 'HOST'], csv: true }).trim().split('\n').slice(1);
    // stopped VM 3 has a history on node3, but is not on a host any more
    expect(hosts).toEqual(['3,""', '2,node2', '1,""', '0,testbed']);
  });

  it('marks VMs with RESCHED=1 with *', () => {
    expect(list({ list: ['NAME'], csv: true })).toContain('\n*my_vm\n');
  });

  it('gives whole values in CSV, including the full TIME', () => {
    const csv = list({ csv: true }).split('\n');
    expect(csv[0]).toBe('ID,USER,GROUP,NAME,STAT,CPU,MEM,HOST,TIME');
    expect(csv[4]).toBe('0,oneadmin,oneadmin,*my_vm,runn,1,768M,testbed,  2d 04h46m');
  });

  it('has the extra columns: usage, IPs, cluster, numeric owners', () => {
    const csv = list({ list: ['ID', 'UCPU', 'UMEM', 'IP', 'CLUSTER', 'USER'], csv: true }, {
      numeric: true,
      clusters: new Map([['0', 'default']]),
    });
    expect(csv.split('\n').slice(1, 5)).toEqual([
      '3,0,0K,--,default,0',
      '2,0,0K,"10.0.0.2,2001:db8::2",100,1',
      '1,0,0K,--,NONE,0',
      '0,12.5,512M,10.0.0.1,default,0',
    ]);
  });

  it('shows memory in KB with -k', () => {
    expect(list({ list: ['MEM'], csv: true, noHeader: true }, { kilobytes: true }).split('\n')[0]).toBe('1024');
  });

  it('collects monitored guest addresses after the NIC ones', () => {
    const vm = { TEMPLATE: { NIC: [{ IP: '10.0.0.9' }] }, MONITORING: { GUEST_IP: '192.168.1.5' } };
    expect(ipStr(vm)).toBe('10.0.0.9,192.168.1.5');
  });
});
