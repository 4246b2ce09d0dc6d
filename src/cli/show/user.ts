import { Page } from '../output/page.js';
import { templateText } from '../output/template-text.js';
import { booleanToStr } from '../output/units.js';
import { at, str, type XmlObject } from '../xml.js';

/** `oneuser show` from a `<USER>` document. */
export function renderUserShow(u: XmlObject, tty: boolean): string {
  const page = new Page(tty, 15);
  page.header(`USER ${str(u, 'ID')} INFORMATION`, true);
  page.label('ID', str(u, 'ID'));
  page.label('NAME', str(u, 'NAME'));
  page.label('GROUP', str(u, 'GNAME'));
  page.label('PASSWORD', str(u, 'PASSWORD'));
  page.label('AUTH_DRIVER', str(u, 'AUTH_DRIVER'));
  page.label('ENABLED', booleanToStr(str(u, 'ENABLED')));
  page.line();
  page.header('USER TEMPLATE');
  page.block(templateText(at(u, 'TEMPLATE')));
  return page.toString();
}
