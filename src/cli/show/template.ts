import { Page } from '../output/page.js';
import { templateText } from '../output/template-text.js';
import { lockLevelToStr, timeToStr, toInt } from '../output/units.js';
import { at, str, type XmlObject } from '../xml.js';
import { permissionLines } from './permissions.js';

/** `onetemplate show` from a `<VMTEMPLATE>` document. */
export function renderTemplateShow(t: XmlObject, tty: boolean): string {
  const page = new Page(tty, 15);
  page.header(`TEMPLATE ${str(t, 'ID')} INFORMATION`, true);
  page.label('ID', str(t, 'ID'));
  page.label('NAME', str(t, 'NAME'));
  page.label('USER', str(t, 'UNAME'));
  page.label('GROUP', str(t, 'GNAME'));
  page.label('LOCK', lockLevelToStr(str(t, 'LOCK/LOCKED')));
  page.label('REGISTER TIME', timeToStr(toInt(str(t, 'REGTIME'))));
  page.line();
  page.header('PERMISSIONS');
  for (const [who, mask] of permissionLines(t)) page.label(who, mask);
  page.line();
  page.header('TEMPLATE CONTENTS');
  page.block(templateText(at(t, 'TEMPLATE')));
  return page.toString();
}
