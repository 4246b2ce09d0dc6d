import type { VmTemplate } from '../../domain/vm-template.js';
import { templateToXml } from '../../template/xml.js';
import { el, flat, lockXml, permissionsXml } from './elements.js';

/** The `<VMTEMPLATE>` of one.template.info and one.templatepool.info (vmtemplate.xsd). */
export function vmTemplateToXml(t: VmTemplate): string {
  return flat(
    '<VMTEMPLATE>' +
    el('ID', t.id) + el('UID', t.uid) + el('GID', t.gid) + el('UNAME', t.uname) + el('GNAME', t.gname) + el('NAME', t.name) +
    lockXml(t.lock) +
    permissionsXml(t.permissions) +
    el('REGTIME', t.regtime) +
    templateToXml(t.template, 'TEMPLATE') +
    '</VMTEMPLATE>'
  );
}
