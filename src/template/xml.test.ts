import { describe, expect, it } from 'vitest';
import { TemplateSyntaxError } from './syntax-error.js';
import type { Template } from './types.js';
import { escapeXml, templateFromXml, templateToXml } from './xml.js';

describe('escapeXml', () => {
  it('escapes the five XML specials', () => {
    expect(escapeXml(`a<b>&"c"'d'`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;');
  });

  it('leaves plain text, tabs and newlines alone', () => {
    expect(escapeXml('plain text\tand\nlines')).toBe('plain text\tand\nlines');
  });

  it('keeps a carriage return as a reference so it survives parsing', () => {
    expect(escapeXml('a\r\nb')).toBe('a&#13;\nb');
  });

  it('replaces characters XML 1.0 cannot carry', () => {
    expect(escapeXml('a\u0000b\u0007c\u001Fd\uFFFE')).toBe('a\uFFFDb\uFFFDc\uFFFDd\uFFFD');
  });

  it('escapes an already escaped text again', () => {
    expect(escapeXml('&amp;')).toBe('&amp;amp;');
  });
});

describe('templateToXml', () => {
  it('renders an empty template with an open and a close tag', () => {
    expect(templateToXml([])).toBe('<TEMPLATE></TEMPLATE>');
    expect(templateToXml([], 'USER_TEMPLATE')).toBe('<USER_TEMPLATE></USER_TEMPLATE>');
  });

  it('sorts children by name in byte order, keeping repeated names in their order', () => {
    const t: Template = [
      { name: 'VM_MAD', value: 'kvm' },
      { name: 'NIC', value: { NETWORK: 'b' } },
      { name: 'VMID', value: '7' },
      { name: 'NIC', value: { NETWORK: 'a' } },
      { name: 'CPU', value: '1' },
      { name: 'NIC_ALIAS', value: { PARENT: 'NIC0' } },
    ];
    expect(templateToXml(t)).toBe(
      '<TEMPLATE><CPU>1</CPU><NIC><NETWORK>b</NETWORK></NIC><NIC><NETWORK>a</NETWORK></NIC>' +
        '<NIC_ALIAS><PARENT>NIC0</PARENT></NIC_ALIAS><VMID>7</VMID><VM_MAD>kvm</VM_MAD></TEMPLATE>',
    );
  });

  it('sorts vector sub-attributes and escapes values', () => {
    const t: Template = [{ name: 'CONTEXT', value: { SSH_KEY: 'a<b', NETWORK: 'YES', A: 'x & "y"' } }];
    expect(templateToXml(t)).toBe(
      '<TEMPLATE><CONTEXT><A>x &amp; &quot;y&quot;</A><NETWORK>YES</NETWORK><SSH_KEY>a&lt;b</SSH_KEY></CONTEXT></TEMPLATE>',
    );
  });

  it('renders empty values and empty vectors as empty elements', () => {
    expect(templateToXml([{ name: 'A', value: '' }, { name: 'B', value: {} }])).toBe(
      '<TEMPLATE><A></A><B></B></TEMPLATE>',
    );
  });

  it('prefixes names that are not valid XML names, or start with XML, with ONE_ (sorting by the real name)', () => {
    const t: Template = [
      { name: '1ST', value: 'a' },
      { name: 'XML_RPC', value: 'b' },
      { name: '_OK', value: 'c' },
      { name: 'V', value: { '9K': 'd', XMLISH: 'e' } },
    ];
    expect(templateToXml(t)).toBe(
      '<TEMPLATE><ONE_1ST>a</ONE_1ST><V><ONE_9K>d</ONE_9K><ONE_XMLISH>e</ONE_XMLISH></V>' +
        '<ONE_XML_RPC>b</ONE_XML_RPC><_OK>c</_OK></TEMPLATE>',
    );
  });

  it('does not reorder the caller’s template', () => {
    const t: Template = [
      { name: 'B', value: '1' },
      { name: 'A', value: '2' },
    ];
    templateToXml(t);
    expect(t.map((a) => a.name)).toEqual(['B', 'A']);
  });
});

describe('templateFromXml', () => {
  it('reads single values and vectors, keeping repeated elements in order', () => {
    const xml = '<TEMPLATE><CPU>1</CPU><DISK><IMAGE_ID>2</IMAGE_ID></DISK><DISK><SIZE>5</SIZE><TYPE>fs</TYPE></DISK></TEMPLATE>';
    expect(templateFromXml(xml)).toEqual([
      { name: 'CPU', value: '1' },
      { name: 'DISK', value: { IMAGE_ID: '2' } },
      { name: 'DISK', value: { SIZE: '5', TYPE: 'fs' } },
    ]);
  });

  it('decodes entities, numeric references and CDATA', () => {
    const xml =
      '<TEMPLATE><A>x &amp; &lt;y&gt; &quot;&apos;</A><B>&#13;&#x41;</B><C><![CDATA[<raw> & ]]>tail</C>' +
      '<V><K><![CDATA[a&b]]></K></V></TEMPLATE>';
    expect(templateFromXml(xml)).toEqual([
      { name: 'A', value: `x & <y> "'` },
      { name: 'B', value: '\rA' },
      { name: 'C', value: '<raw> & tail' },
      { name: 'V', value: { K: 'a&b' } },
    ]);
  });

  it('ignores the declaration, comments, attributes and indentation between elements', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<!-- a VM template -->
<TEMPLATE>
  <NAME lang="en">web</NAME>
  <NIC>
    <NETWORK>public</NETWORK>
  </NIC>
</TEMPLATE>
`;
    expect(templateFromXml(xml)).toEqual([
      { name: 'NAME', value: 'web' },
      { name: 'NIC', value: { NETWORK: 'public' } },
    ]);
  });

  it('keeps blanks inside values', () => {
    expect(templateFromXml('<TEMPLATE><A>  two words \n</A></TEMPLATE>')).toEqual([
      { name: 'A', value: '  two words \n' },
    ]);
  });

  it('reads empty elements as empty values and upper-cases names', () => {
    expect(templateFromXml('<template><a/><b></b><v><k/></v></template>')).toEqual([
      { name: 'A', value: '' },
      { name: 'B', value: '' },
      { name: 'V', value: { K: '' } },
    ]);
  });

  it('keeps the first of repeated sub-elements in a vector', () => {
    expect(templateFromXml('<TEMPLATE><V><K>1</K><K>2</K></V></TEMPLATE>')).toEqual([
      { name: 'V', value: { K: '1' } },
    ]);
  });

  it('reads an empty template', () => {
    expect(templateFromXml('<TEMPLATE/>')).toEqual([]);
    expect(templateFromXml('<TEMPLATE></TEMPLATE>')).toEqual([]);
  });

  it('rejects malformed XML with the position the XML parser gives', () => {
    try {
      templateFromXml('<TEMPLATE>\n<A>1</B></TEMPLATE>');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(TemplateSyntaxError);
      const e = err as TemplateSyntaxError;
      expect(e.line).toBe(2);
      expect(e.message).toMatch(/^found malformed XML \(.*\), expected a <TEMPLATE> document at line 2, columns \d+:\d+$/);
    }
  });

  it('rejects text that is not a single element', () => {
    expect(() => templateFromXml('')).toThrow(TemplateSyntaxError);
    expect(() => templateFromXml('<A>1</A><B>2</B>')).toThrow(/^found malformed XML \(Multiple possible root nodes/);
    expect(() => templateFromXml('<TEMPLATE/>\n junk\n')).toThrow(
      'found text after the root element, expected the document to end with its closing tag at line 2, columns 5:5',
    );
  });

  it('rejects elements nested deeper than a vector', () => {
    expect(() => templateFromXml('<TEMPLATE><V><K><X>1</X></K></V></TEMPLATE>')).toThrow(
      /found elements inside <V><K>, expected text/,
    );
  });

  it('reads back what templateToXml writes', () => {
    const t: Template = [
      { name: 'A', value: 'a & b < c > "d" \'e\'' },
      { name: 'B', value: 'line 1\r\nline 2\ttab' },
      { name: 'DISK', value: { IMAGE_ID: '1', SIZE: '' } },
      { name: 'DISK', value: { IMAGE_ID: '2' } },
      { name: 'E', value: '' },
      { name: 'F', value: ' spaced ' },
    ];
    expect(templateFromXml(templateToXml(t))).toEqual(t);
  });
});
