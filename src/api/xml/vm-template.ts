import type { VmTemplate } from '../../domain/vm-template.js';
import { templateToXml } from '../../template/xml.js';
import { el, flat, identityXml, lockXml, permissionsXml } from './elements.js';

/** The `<VMTEMPLATE>` of one.template.info and one.templatepool.info (vmtemplate.xsd). */
export function vmTemplateToXml(t: VmTemplate): string {
  return flat(
    '<VMTEMPLATE>' +
    identityXml(t) +
    lockXml(t.lock) +
    permissionsXml(t.permissions) +
    el('REGTIME', t.regtime) +
    templateToXml(t.template, 'TEMPLATE') +
    '</VMTEMPLATE>'
  );
}
