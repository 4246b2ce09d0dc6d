import { HostState } from '../../domain/host.js';
import { Page } from '../output/page.js';
import { renderTable } from '../output/table.js';
import { ttyHeader } from '../output/style.js';
import { templateText } from '../output/template-text.js';
import { timeToStr, toInt, unitToStr } from '../output/units.js';
import { at, items, str, type XmlObject } from '../xml.js';
import { rows, type Row } from './vm-tables.js';

const STATE_NAMES = new Map<number, string>(Object.entries(HostState).map(([k, v]) => [v, k]));

/** A wild VM (running on the host, unknown to OpenNebula): name, import id, CPU, memory. */
function wildLine(w: XmlObject): string {
  let name = str(w, 'DEPLOY_ID') ?? '';
  let importId = '-';
  let cpu = '-';
  let memory = '-';
  const encoded = str(w, 'IMPORT_TEMPLATE');
  if (encoded !== undefined) {
    const lines = Buffer.from(encoded, 'base64').toString('utf8').split('\n');
    const value = (key: string): string =>
      (lines.find((l) => l.includes(key))?.split('=')[1] ?? '').replace(/"/g, ' ').trim();
    name = str(w, 'VM_NAME') ?? name;
    importId = value('DEPLOY_ID');
    memory = value('MEMORY');
    cpu = value('CPU');
  }
  return wildFormat(name, importId, cpu, memory);
}

/** `'%-30.30s %36s %4s %10s'` */
function wildFormat(name: string, importId: string, cpu: string, memory: string): string {
  return `${name.slice(0, 30).padEnd(30)} ${importId.padStart(36)} ${cpu.padStart(4)} ${memory.padStart(10)}`;
}

/**
 * `onehost show` from a `<HOST>` document. `vmList` is the host's VIRTUAL MACHINES table, rendered
 * by the caller from the VM pool.
 */
export function renderHostShow(h: XmlObject, tty: boolean, vmList: string): string {
  const page = new Page(tty, 22);
  const mem = (path: string): string => unitToStr(toInt(str(h, path)));
  page.header(`HOST ${str(h, 'ID')} INFORMATION`, true);
  page.label('ID', str(h, 'ID'));
  page.label('NAME', str(h, 'NAME'));
  page.label('CLUSTER', str(h, 'CLUSTER') || '-');
  page.label('STATE', STATE_NAMES.get(toInt(str(h, 'STATE'))) ?? str(h, 'STATE'));
  page.label('IM_MAD', str(h, 'IM_MAD'));
  page.label('VM_MAD', str(h, 'VM_MAD'));
  page.label('LAST MONITORING TIME', timeToStr(toInt(str(h, 'MONITORING/TIMESTAMP'))));
  page.line();
  page.header('HOST SHARES');
  page.label('RUNNING VMS', str(h, 'HOST_SHARE/RUNNING_VMS'));
  page.header('MEMORY');
  page.label('  TOTAL', mem('HOST_SHARE/TOTAL_MEM'));
  page.label('  TOTAL +/- RESERVED', mem('HOST_SHARE/MAX_MEM'));
  page.label('  USED (REAL)', mem('MONITORING/CAPACITY/USED_MEMORY'));
  page.label('  USED (ALLOCATED)', mem('HOST_SHARE/MEM_USAGE'));
  page.header('CPU');
  page.label('  TOTAL', str(h, 'HOST_SHARE/TOTAL_CPU'));
  page.label('  TOTAL +/- RESERVED', str(h, 'HOST_SHARE/MAX_CPU'));
  page.label('  USED (REAL)', str(h, 'MONITORING/CAPACITY/USED_CPU'));
  page.label('  USED (ALLOCATED)', str(h, 'HOST_SHARE/CPU_USAGE'));
  page.line();
  for (const ds of items(h, 'HOST_SHARE/DATASTORES/DS')) {
    const mb = (k: string): string => unitToStr(toInt(str(ds, k)), 'M');
    page.header(`LOCAL SYSTEM DATASTORE #${str(ds, 'ID')} CAPACITY`);
    page.label('TOTAL:', mb('TOTAL_MB'));
    page.label('USED: ', mb('USED_MB'));
    page.label('FREE:', mb('FREE_MB'));
    page.line();
  }
  page.header('MONITORING INFORMATION');
  const tmpl = { ...((at(h, 'TEMPLATE') as XmlObject | undefined) ?? {}) };
  delete tmpl.VM;
  delete tmpl.TEMPLATE_WILDS;
  page.block(templateText(tmpl));

  const pcis = rows(items(h, 'HOST_SHARE/PCI_DEVICES/PCI'));
  if (pcis.length > 0) {
    page.line().title('PCI DEVICES').line();
    page.block(renderTable<Row>([
      { name: 'VM', desc: 'Used by VM', size: 5, value: (d) => (d.VMID === '-1' ? '' : d.VMID) },
      { name: 'ADDR', desc: 'PCI Address', size: 7, left: true, value: (d) => d.SHORT_ADDRESS },
      { name: 'TYPE', desc: 'Type', size: 14, left: true, value: (d) => d.TYPE },
      { name: 'NAME', desc: 'Name', size: 50, left: true, value: (d) => d.DEVICE_NAME },
    ], ['VM', 'ADDR', 'TYPE', 'NAME'], pcis, { tty }));
  }

  page.line().title('WILD VIRTUAL MACHINES').line();
  page.line(ttyHeader(wildFormat('NAME', 'IMPORT_ID', 'CPU', 'MEMORY'), tty, true));
  for (const w of items(h, 'TEMPLATE/VM')) page.line(wildLine(w));
  page.line().title('VIRTUAL MACHINES').line();
  page.block(vmList);
  return page.toString();
}
