import { Page } from '../output/page.js';
import { ttyHeader } from '../output/style.js';
import { templateText } from '../output/template-text.js';
import { at, str, texts, type XmlObject } from '../xml.js';

/** `onegroup show` from a `<GROUP>` document. */
export function renderGroupShow(g: XmlObject, tty: boolean): string {
  const page = new Page(tty, 15);
  page.header(`GROUP ${str(g, 'ID')} INFORMATION`, true);
  page.label('ID', str(g, 'ID'));
  page.label('NAME', str(g, 'NAME'));
  page.line();
  page.header('GROUP TEMPLATE');
  page.block(templateText(at(g, 'TEMPLATE')));
  page.line();
  page.header('USERS');
  page.line(ttyHeader('ID'.padEnd(15), tty, true));
  for (const id of texts(g, 'USERS/ID')) page.line(id.padEnd(15));
  return page.toString();
}
