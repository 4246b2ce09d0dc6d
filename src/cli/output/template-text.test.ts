import { describe, expect, it } from 'vitest';
import { parseXml, rootObject } from '../xml.js';
import { templateText } from './template-text.js';

describe('templateText', () => {
  it('writes OpenNebula template syntax: quoted values, vectors, repeated attributes', () => {
    const t = rootObject(
      parseXml(
        '<TEMPLATE><CPU>1</CPU><DESCRIPTION>say "hi"</DESCRIPTION><EMPTY/>' +
          '<DISK><IMAGE>a</IMAGE><SIZE>10</SIZE></DISK><DISK><IMAGE>b</IMAGE><TARGET/></DISK></TEMPLATE>',
      ),
      'TEMPLATE',
    );
    expect(templateText(t)).toBe(
      'CPU="1"\n' +
      'DESCRIPTION="say \\"hi\\""\n' +
      'DISK=[\n  IMAGE="a",\n  SIZE="10" ]\n' +
      'DISK=[\n  IMAGE="b",\n  TARGET= ]',
    );
  });

  it('gives nothing for a missing or empty section', () => {
    expect(templateText(undefined)).toBe('');
    expect(templateText('')).toBe('');
  });
});
