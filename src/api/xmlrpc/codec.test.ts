import { describe, expect, it } from 'vitest';
import { ErrorCode, OneError } from '../../domain/errors.js';
import { decodeCall, decodeResponse, encodeCall, encodeFault, encodeResponse, MalformedXmlRpcError, XmlRpcFault } from './codec.js';
import { failureResponse, successResponse } from './one-response.js';
import { i8, type XmlRpcValue } from './values.js';

const call = (params: string) => `<?xml version="1.0"?>\n<methodCall>\n  <methodName>one.test</methodName>\n  <params>${params}</params>\n</methodCall>\n`;
const param = (value: string) => `<param><value>${value}</value></param>`;

describe('encodeCall / decodeCall round trip', () => {
  it('brings every kind of value back unchanged', () => {
    const params: XmlRpcValue[] = [
      'oneadmin:secret',
      ' 007\n  indented\r\nline ',
      '<VM><NAME>a &amp; b</NAME></VM>',
      'é ☃ 😀',
      '',
      42,
      -2147483648,
      2147483648,
      1.5,
      -0.000000123,
      true,
      false,
      i8(9007199254740993n),
      null,
      new Date('2024-01-31T12:34:56Z'),
      Buffer.from([0, 1, 2, 255]),
      [],
      [1, ['nested', { deep: [true] }]],
      { ID: 3, NAME: 'x', EMPTY: {} },
    ];
    const back = decodeCall(encodeCall('one.vm.allocate', params));
    expect(back.method).toBe('one.vm.allocate');
    expect(back.params).toEqual(params);
  });

  it('keeps a struct member called __proto__ as data', () => {
    const { params } = decodeCall(call(param('<struct><member><name>__proto__</name><value>x</value></member></struct>')));
    const s = params[0] as Record<string, XmlRpcValue>;
    expect(Object.getPrototypeOf(s)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(s, '__proto__')?.value).toBe('x');
  });
});

describe('decodeCall', () => {
  it('reads every scalar type, including the ones we never write', () => {
    const { params } = decodeCall(
      call(
        [
          param('<int>1</int>'),
          param('<i4> -7 </i4>'),
          param('<i8>-9223372036854775808</i8>'),
          param('<boolean>1</boolean>'),
          param('<double>-2.5e3</double>'),
          param('<string>a &lt;b&gt; &amp; &#65;&#x42; &quot;&apos;</string>'),
          param('<string><![CDATA[<raw> & kept]]> + text</string>'),
          param('untyped  007 '),
          param(''),
          param('<string/>'),
          param('<nil/>'),
          param('<dateTime.iso8601>19980717T14:08:55</dateTime.iso8601>'),
          param('<dateTime.iso8601>1998-07-17T14:08:55+02:00</dateTime.iso8601>'),
          param('<base64>AAEC\n/w==</base64>'),
          param('<array><data/></array>'),
          param('<struct/>'),
        ].join('\n'),
      ),
    );
    expect(params).toEqual([
      1,
      -7,
      -9223372036854775808n,
      true,
      -2500,
      'a <b> & AB "\'',
      '<raw> & kept + text',
      'untyped  007 ',
      '',
      '',
      null,
      new Date('1998-07-17T14:08:55Z'),
      new Date('1998-07-17T12:08:55Z'),
      Buffer.from([0, 1, 2, 255]),
      [],
      {},
    ]);
  });

  it('reads a call without <params>', () => {
    expect(decodeCall('<methodCall><methodName>one.system.version</methodName></methodCall>')).toEqual({
      method: 'one.system.version',
      params: [],
    });
  });

  it.each([
    ['not XML', 'hello', /malformed XML at line 1/],
    ['an unclosed element', call(param('<int>1</value>')), /malformed XML/],
    ['a bare ampersand', call(param('<string>a & b</string>')), /malformed XML/],
    ['another root', '<methodResponse/>', /expected one <methodCall>/],
    ['no method name', '<methodCall><params/></methodCall>', /no <methodName>/],
    ['an int that is not one', call(param('<int>12a</int>')), /"12a" in <int>, expected a whole number/],
    ['an int over 32 bits', call(param('<int>2147483648</int>')), /does not fit in 32 bits; send it as <i8>/],
    ['a boolean that is not 0 or 1', call(param('<boolean>yes</boolean>')), /expected 0 or 1/],
    ['an unknown type', call(param('<float>1</float>')), /unknown value type <float>/],
    ['two types in one value', call(param('<int>1</int><string>x</string>')), /expected one type/],
    ['markup inside a string', call(param('<string>a<b/>c</string>')), /markup "<b\/>c" inside a <string>/],
    ['an unknown entity', call(param('<string>&nbsp;</string>')), /unknown entity "&nbsp;"/],
    ['an array without data', call(param('<array/>')), /<array> without <data>/],
    ['a bad date', call(param('<dateTime.iso8601>yesterday</dateTime.iso8601>')), /expected e.g. 20240131T12:34:56/],
  ])('rejects %s with a clear error', (_what, xml, message) => {
    expect(() => decodeCall(xml)).toThrow(MalformedXmlRpcError);
    expect(() => decodeCall(xml)).toThrow(message);
  });
});

describe('encodeResponse', () => {
  it('writes ints, i8 and strings the way OpenNebula clients expect', () => {
    const xml = encodeResponse(successResponse('<VM_POOL/>'));
    expect(xml).toContain('<value><boolean>1</boolean></value><value><string>&lt;VM_POOL/&gt;</string></value><value><int>0</int></value>');
    expect(xml).not.toContain('CDATA');
  });

  it('writes numbers as <int> only when they are 32-bit whole numbers', () => {
    expect(encodeResponse(7)).toContain('<int>7</int>');
    expect(encodeResponse(2 ** 31)).toContain('<double>2147483648</double>');
    expect(encodeResponse(0.5)).toContain('<double>0.5</double>');
    expect(encodeResponse(1e21)).toContain('<double>1000000000000000000000</double>');
    expect(encodeResponse(1.5e-7)).toContain('<double>0.00000015</double>');
    expect(encodeResponse(i8(5))).toContain('<i8>5</i8>');
  });

  it('refuses values XML-RPC cannot carry', () => {
    expect(() => encodeResponse(Number.NaN)).toThrow(/finite number/);
    expect(() => encodeResponse(2n ** 64n)).toThrow(/64-bit/);
    expect(() => encodeResponse(undefined as unknown as XmlRpcValue)).toThrow(/cannot carry undefined/);
  });
});

describe('OpenNebula response arrays', () => {
  it('decodes a success as [true, value, 0]', () => {
    expect(decodeResponse(encodeResponse(successResponse(12)))).toEqual([true, 12, 0]);
  });

  it('decodes a failure with its code, object id and <i8> replication index', () => {
    const err = new OneError(ErrorCode.NO_EXISTS, '[one.vm.info] Error getting virtual machine [7].', 7);
    const xml = encodeResponse(failureResponse(err));
    expect(xml).toContain('<i8>0</i8>');
    expect(decodeResponse(xml)).toEqual([false, err.message, 0x400, 7, 0n]);
  });

  it('throws XmlRpcFault for a fault answer', () => {
    const xml = encodeFault(-32601, "Method 'one.nope' is not defined");
    expect(() => decodeResponse(xml)).toThrow(XmlRpcFault);
    try {
      decodeResponse(xml);
    } catch (e) {
      expect(e).toMatchObject({ code: -32601, faultString: "Method 'one.nope' is not defined" });
    }
  });

  it('rejects a response that is not one', () => {
    expect(() => decodeResponse('<methodCall/>')).toThrow(/expected one <methodResponse>/);
    expect(() => decodeResponse('<methodResponse><params/></methodResponse>')).toThrow(/found 0 values/);
  });
});

describe('large documents', () => {
  it('round-trips a multi-megabyte pool document exactly', () => {
    const vm = (i: number) => `<VM><ID>${i}</ID><NAME>vm-${i} &amp; "q" 'a'</NAME><X>\r\n  ${'<Y/>'.repeat(20)}</X></VM>`;
    const parts: string[] = [];
    for (let i = 0; i < 5000; i++) parts.push(vm(i));
    const doc = `<VM_POOL>${parts.join('')}</VM_POOL>`;
    const back = decodeResponse(encodeResponse(successResponse(doc))) as XmlRpcValue[];
    expect(back[1]).toBe(doc);
  });
});
