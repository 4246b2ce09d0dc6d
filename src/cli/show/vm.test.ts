import { describe, expect, it } from 'vitest';
import { fixture } from '../testing/fake-one.js';
import { parseXml, rootObject, type XmlObject } from '../xml.js';
import { renderVmShow, vmClusterId } from './vm.js';

const NOW = 1700090000;
const load = (): XmlObject => rootObject(parseXml(fixture('vm.xml')), 'VM');


/** The lines of one section: from its title to the next blank line. */
function section(out: string, title: string): string[] {
  const lines = out.split('\n');
  const start = lines.findIndex((l) => l.trimEnd() === title);
  expect(start, `section ${title}`).toBeGreaterThanOrEqual(0);
  const end = lines.indexOf('', start);
  return lines.slice(start + 1, end).map((l) => l.trimEnd());
}

describe('onevm show', () => {
  const out = renderVmShow(load(), { now: NOW, tty: false, clusterName: 'default' });

  it('lists system snapshots in SNAPSHOTS, after the NICs and before the history, not in the template', () => {
    const snapshot = (id: number, name: string, time: number) =>
      `<SNAPSHOT><HYPERVISOR_ID>onesnap-${id}</HYPERVISOR_ID><NAME>${name}</NAME><SNAPSHOT_ID>${id}</SNAPSHOT_ID>` +
      `<SYSTEM_DISK_SIZE>768</SYSTEM_DISK_SIZE><TIME>${time}</TIME></SNAPSHOT>`;
    const xml = fixture('vm.xml').replace('<TM_MAD_SYSTEM>', `${snapshot(0, 'just in case', 1700050000)}${snapshot(1, 'after', 1700060000)}<TM_MAD_SYSTEM>`);
    const page = renderVmShow(rootObject(parseXml(xml), 'VM'), { now: NOW, tty: false });
    expect(section(page, 'SNAPSHOTS')).toEqual([
      '  ID         TIME NAME                                           HYPERVISOR_ID',
      '   0  11/15 12:06 just in case                                   onesnap-0',
      '   1  11/15 14:53 after                                          onesnap-1',
    ]);
    const lines = page.split('\n');
    expect(lines.indexOf('SNAPSHOTS'.padEnd(80))).toBeGreaterThan(lines.indexOf('VM NICS'.padEnd(80)));
    expect(lines.indexOf('SNAPSHOTS'.padEnd(80))).toBeLessThan(lines.indexOf('VIRTUAL MACHINE HISTORY'.padEnd(80)));
    expect(section(page, 'VIRTUAL MACHINE TEMPLATE').join('\n')).not.toContain('onesnap');
  });

  it('lists the sections in OpenNebula order, titles padded to 80 columns', () => {
    const lines = out.split('\n');
    const order = [
      'VIRTUAL MACHINE 0 INFORMATION', 'VIRTUAL MACHINE MONITORING', 'PERMISSIONS', 'VM DISKS', 'VM DISK SNAPSHOTS',
      'VM NICS', 'VIRTUAL MACHINE HISTORY', 'SCHEDULED ACTIONS', 'USER TEMPLATE', 'VIRTUAL MACHINE TEMPLATE',
    ].map((t) => lines.indexOf(t.padEnd(80)));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('prints the information lines as %-20s: %-20s', () => {
    expect(out.split('\n')[1]).toBe('ID                  : 0                   ');
    expect(section(out, 'VIRTUAL MACHINE 0 INFORMATION')).toEqual([
      'ID                  : 0',
      'NAME                : my_vm',
      'USER                : oneadmin',
      'GROUP               : oneadmin',
      'STATE               : ACTIVE',
      'LCM_STATE           : RUNNING',
      'LOCK                : Manage',
      'RESCHED             : No',
      'HOST                : testbed',
      'CLUSTER ID          : 0',
      'CLUSTER             : default',
      'START TIME          : 11/14 22:13:20',
      'END TIME            : -',
      'DEPLOY ID           : one-0',
    ]);
  });

  it('orders monitoring CPU, MEMORY, NETTX, NETRX first, in human units', () => {
    expect(section(out, 'VIRTUAL MACHINE MONITORING').slice(0, 5)).toEqual([
      'CPU                 : 12.5',
      'MEMORY              : 512M',
      'NETTX               : 4K',
      'NETRX               : 2M',
      'DISKRDBYTES         : 1000',
    ]);
    expect(out).not.toContain('DISK_SIZE');
  });

  it('shows permissions as um- masks', () => {
    expect(section(out, 'PERMISSIONS')).toEqual(['OWNER               : um-', 'GROUP               : u--', 'OTHER               : ---']);
  });

  it('tabulates disks with monitored sizes, volatile disks and the context CD', () => {
    expect(section(out, 'VM DISKS')).toEqual([
      ' ID DATASTORE  TARGET IMAGE                               SIZE      TYPE SAVE',
      '  0 default    vda    ubuntu                              812M/2G   file   NO',
      '  2 system     vdb    raw - 1024M                         -/1024M   fs     NO',
      '  1 -          hda    CONTEXT                             -/-       -       -',
    ]);
  });

  it('tabulates disk snapshots, NICs with their extra addresses, and the history', () => {
    expect(section(out, 'VM DISK SNAPSHOTS')[1]).toBe('=>   0    0     -1  11/15 12:06:40 -/2G         before-upgrade');
    expect(section(out, 'VM NICS')).toEqual([
      ' ID NETWORK              BRIDGE       IP              MAC               PCI_ID',
      '  0 private              br0          10.0.0.1        02:00:0a:00:00:01',
      '                                      2001:db8::1',
    ]);
    expect(section(out, 'VIRTUAL MACHINE HISTORY')).toEqual([
      'SEQ UID  REQ   HOST         ACTION       DS           START        TIME     PROLOG',
      '  0 0    42    node1        migrate       0  11/14 22:13:30   0d 01h00m   0h01m00s',
      '  1 -    -     testbed      none          0  11/14 23:13:30   0d 23h59m   0h00m00s',
    ]);
  });

  it('shows scheduled actions relative to the start time, * once the warning time has passed', () => {
    const [header, row] = section(out, 'SCHEDULED ACTIONS');
    expect(header.split(/\s+/).filter(Boolean)).toEqual(['ID', 'ACTION', 'ARGS', 'SCHEDULED', 'REPEAT', 'END', 'STATUS']);
    expect(row.split(/\s+/).filter(Boolean)).toEqual(['*0', 'terminate', '-', '11/14', '23:13', 'Overdue!']);
  });

  it('prints user and VM templates in template syntax, without the parts shown as tables', () => {
    expect(section(out, 'USER TEMPLATE')).toEqual(['DESCRIPTION="web \\"front\\" server"', 'SCHED_REQUIREMENTS="ID != 3"']);
    const tmpl = out.slice(out.indexOf('VIRTUAL MACHINE TEMPLATE'));
    expect(tmpl).toContain('CONTEXT=[\n  DISK_ID="1",');
    expect(tmpl).toContain('VMID="0"');
    expect(tmpl).not.toMatch(/^(DISK|NIC|SCHED_ACTION)=/m);
  });

  it('keeps every template attribute with --all', () => {
    const all = renderVmShow(load(), { now: NOW, tty: false, all: true });
    const tmpl = all.slice(all.indexOf('VIRTUAL MACHINE TEMPLATE'));
    expect(tmpl).toMatch(/^DISK=\[/m);
    expect(tmpl).toMatch(/^NIC=\[/m);
    expect(tmpl).toMatch(/^SCHED_ACTION=\[/m);
  });

  it('leaves HOST and CLUSTER out for a VM that is not on a host', () => {
    const vm = load();
    vm.STATE = '1';
    vm.LCM_STATE = '0';
    const pending = renderVmShow(vm, { now: NOW, tty: false });
    expect(vmClusterId(vm)).toBeUndefined();
    expect(pending).toContain('STATE               : PENDING');
    expect(pending).toContain('LCM_STATE           : LCM_INIT');
    expect(pending).not.toMatch(/^(HOST|CLUSTER)/m);
  });

  it('underlines the first title and bolds the others on a terminal', () => {
    const tty = renderVmShow(load(), { now: NOW, tty: true });
    expect(tty.startsWith('\x1b[1m\x1b[4mVIRTUAL MACHINE 0 INFORMATION')).toBe(true);
    expect(tty).toContain('\x1b[1mPERMISSIONS');
  });
});
