import { describe, expect, it } from 'vitest';
import { parseTemplate, parseTemplateAny, TemplateSyntaxError } from './parse.js';

/** The error parseTemplate throws for `text`, for checking its fields. */
function syntaxError(text: string): TemplateSyntaxError {
  try {
    parseTemplate(text);
  } catch (err) {
    if (err instanceof TemplateSyntaxError) return err;
    throw err;
  }
  throw new Error(`expected a syntax error for ${JSON.stringify(text)}`);
}

describe('parseTemplate: single attributes', () => {
  it('reads unquoted and quoted values, upper-casing names', () => {
    expect(parseTemplate('name = vm1\nMemory=512\n  cpu\t=\t0.5')).toEqual([
      { name: 'NAME', value: 'vm1' },
      { name: 'MEMORY', value: '512' },
      { name: 'CPU', value: '0.5' },
    ]);
  });

  it('keeps unquoted values with slashes, colons, dots and quotes inside', () => {
    expect(parseTemplate('URL = http://localhost:2633/RPC2\nP=/var/lib/one\nQ=a"b')).toEqual([
      { name: 'URL', value: 'http://localhost:2633/RPC2' },
      { name: 'P', value: '/var/lib/one' },
      { name: 'Q', value: 'a"b' },
    ]);
  });

  it('unescapes \\" and \\\\ in quoted values and keeps other backslashes', () => {
    expect(parseTemplate('A = "say \\"hi\\""\nB = "C:\\dir\\\\"\nC = "a\\nb"')).toEqual([
      { name: 'A', value: 'say "hi"' },
      { name: 'B', value: 'C:\\dir\\' },
      { name: 'C', value: 'a\\nb' },
    ]);
  });

  it('lets quoted values hold blanks, commas, brackets, = and # and span lines', () => {
    const t = parseTemplate('D = "a, [b] = #c"\nS = "line 1\nline 2"\nE = 1');
    expect(t).toEqual([
      { name: 'D', value: 'a, [b] = #c' },
      { name: 'S', value: 'line 1\nline 2' },
      { name: 'E', value: '1' },
    ]);
  });

  it('reads NAME = at the end of a line, before a comment or at the end of input as an empty value', () => {
    expect(parseTemplate('A =\nB = # nothing\nC = ""\nD =')).toEqual([
      { name: 'A', value: '' },
      { name: 'B', value: '' },
      { name: 'C', value: '' },
      { name: 'D', value: '' },
    ]);
  });

  it('keeps repeated attributes in order', () => {
    expect(parseTemplate('A=1\nB=2\nA=3')).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: '2' },
      { name: 'A', value: '3' },
    ]);
  });

  it('skips comments and blank lines, including a comment after a value', () => {
    const text = '# header\n\n   # indented comment\nA = 1 # trailing\n\n\nB = "x" #c\n#end';
    expect(parseTemplate(text)).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: 'x' },
    ]);
  });

  it('accepts several attributes on one line and CRLF line ends', () => {
    expect(parseTemplate('A=1 B="2"\r\nC =\r\nD=4\r\n')).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: '2' },
      { name: 'C', value: '' },
      { name: 'D', value: '4' },
    ]);
  });

  it('reads an empty or comment-only text as an empty template', () => {
    expect(parseTemplate('')).toEqual([]);
    expect(parseTemplate('\n  # only a comment\n')).toEqual([]);
  });

  it('accepts a newline between the name and =', () => {
    expect(parseTemplate('A\n= 1')).toEqual([{ name: 'A', value: '1' }]);
  });
});

describe('parseTemplate: vectors', () => {
  it('reads a one-line vector with upper-cased keys', () => {
    expect(parseTemplate('disk = [ image_id = 3, Size = "10240" ]')).toEqual([
      { name: 'DISK', value: { IMAGE_ID: '3', SIZE: '10240' } },
    ]);
  });

  it('reads vectors over several lines, with comments and blank lines around entries', () => {
    const text = `NIC = [
      NETWORK = "public",   # the default network

      MODEL = virtio
    ]
    NIC=[NETWORK_ID=1]`;
    expect(parseTemplate(text)).toEqual([
      { name: 'NIC', value: { NETWORK: 'public', MODEL: 'virtio' } },
      { name: 'NIC', value: { NETWORK_ID: '1' } },
    ]);
  });

  it('reads empty vectors', () => {
    expect(parseTemplate('A = [ ]\nB=[]\nC = [\n\n]')).toEqual([
      { name: 'A', value: {} },
      { name: 'B', value: {} },
      { name: 'C', value: {} },
    ]);
  });

  it('reads empty sub-values before a comma, a bracket or a newline', () => {
    expect(parseTemplate('V = [ A =, B = "", C =\n, D = ]')).toEqual([
      { name: 'V', value: { A: '', B: '', C: '', D: '' } },
    ]);
  });

  it('keeps the first of repeated sub-attributes, as OpenNebula does', () => {
    expect(parseTemplate('V = [ A = 1, a = 2 ]')).toEqual([{ name: 'V', value: { A: '1' } }]);
  });

  it('reads oned.conf driver vectors with quoted multi-line values', () => {
    const conf = `#*******************************************************************************
# Virtualization Driver Configuration
#*******************************************************************************
LOG = [
  SYSTEM      = "file",
  DEBUG_LEVEL = 3
]

MONITORING_INTERVAL_HOST = 180
PORT = 2633
LISTEN_ADDRESS = "0.0.0.0"
DB = [ BACKEND = "sqlite",
       TIMEOUT = 2500 ]

VNC_PORTS = [
    START    = 5900
#   RESERVED = "6800, 6801, 6810:6820, 9869"
]

VM_MAD = [ NAME = "dummy", EXECUTABLE = "one_vmm_dummy", ARGUMENTS = "-t 15" ]

VM_MAD = [
    NAME           = "kvm",
    SUNSTONE_NAME  = "KVM",
    EXECUTABLE     = "one_vmm_exec",
    ARGUMENTS      = "-t 15 -r 0 kvm -p",
    DEFAULT        = "vmm_exec/vmm_exec_kvm.conf",
    TYPE           = "kvm",
    KEEP_SNAPSHOTS = "yes",
    IMPORTED_VMS_ACTIONS = "terminate, terminate-hard, hold, release, suspend,
        resume, delete, reboot, reboot-hard, resched, unresched"
]
DEFAULT_COST = [
    CPU_COST    = 0,
    MEMORY_COST = 0,
    DISK_COST   = 0
]
`;
    const t = parseTemplate(conf);
    expect(t.map((a) => a.name)).toEqual([
      'LOG',
      'MONITORING_INTERVAL_HOST',
      'PORT',
      'LISTEN_ADDRESS',
      'DB',
      'VNC_PORTS',
      'VM_MAD',
      'VM_MAD',
      'DEFAULT_COST',
    ]);
    expect(t[5].value).toEqual({ START: '5900' });
    expect(t[6].value).toEqual({ NAME: 'dummy', EXECUTABLE: 'one_vmm_dummy', ARGUMENTS: '-t 15' });
    expect(t[7].value).toMatchObject({
      ARGUMENTS: '-t 15 -r 0 kvm -p',
      IMPORTED_VMS_ACTIONS:
        'terminate, terminate-hard, hold, release, suspend,\n        resume, delete, reboot, reboot-hard, resched, unresched',
    });
  });
});

describe('parseTemplate: errors', () => {
  it('is a TemplateSyntaxError ending with the position', () => {
    const err = syntaxError('A = 1\nB 2');
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('TemplateSyntaxError');
    expect(err.message).toBe(`found '2', expected '=' after attribute name B at line 2, columns 3:3`);
    expect([err.line, err.column, err.endColumn]).toEqual([2, 3, 3]);
  });

  it('names a missing = at the end of input', () => {
    expect(syntaxError('A').message).toBe(`found end of input, expected '=' after attribute name A at line 1, columns 2:2`);
  });

  it('rejects a line that does not start with a name', () => {
    expect(syntaxError('A = 1\n  = 2').message).toBe(
      `found '=', expected an attribute name (letters, digits and '_') at line 2, columns 3:3`,
    );
    expect(syntaxError('A-B = 1').message).toMatch(/^found '-', expected '=' after attribute name A at line 1/);
  });

  it('rejects a value that is only punctuation', () => {
    expect(syntaxError('A = ,').message).toBe(`found ',', expected a value for A at line 1, columns 5:5`);
    expect(syntaxError('A = ]').column).toBe(5);
  });

  it('rejects unquoted values with blanks, suggesting quotes', () => {
    expect(syntaxError('ARGUMENTS = -t 15').message).toBe(
      `found end of input, expected '=' after attribute name 15 (a value with blanks must be "quoted") at line 1, columns 18:18`,
    );
    expect(syntaxError('A = x\nB C').message).not.toContain('quoted');
  });

  it('points at the opening quote of an unterminated string', () => {
    const err = syntaxError('A = 1\nB = "open\nstill open');
    expect(err.message).toBe(
      `found end of input inside a quoted value, expected a closing '"' for the quote opened here at line 2, columns 5:5`,
    );
  });

  it('says which vector is left open, and where it opened', () => {
    expect(syntaxError('\nDISK = [ IMAGE = "a",\n SIZE = 1').message).toBe(
      `found end of input, expected ',' or ']' to close vector DISK opened at line 2 at line 3, columns 10:10`,
    );
    expect(syntaxError('DISK = [').message).toMatch(/^found end of input, expected '\]' to close vector DISK opened at line 1/);
  });

  it('rejects a missing comma and a trailing comma in a vector', () => {
    expect(syntaxError('V = [ A = 1 B = 2 ]').message).toBe(
      `found 'B', expected ',' or ']' after V/A at line 1, columns 13:13`,
    );
    expect(syntaxError('V = [ A = 1, ]').message).toBe(
      `found ']', expected a sub-attribute name in vector V (letters, digits and '_') at line 1, columns 14:14`,
    );
  });

  it('rejects a sub-attribute without =', () => {
    expect(syntaxError('V = [ A ]').message).toBe(`found ']', expected '=' after V/A at line 1, columns 9:9`);
  });

  it('rejects nested vectors', () => {
    expect(syntaxError('V = [ A = [ B = 1 ] ]').message).toMatch(/^found '\[', expected a value for V\/A at line 1, columns 11:11$/);
  });

  it('rejects ]]> in a value, single or in a vector', () => {
    expect(syntaxError('A = "x]]>y"').message).toBe(
      `found ']]>' inside a value, expected a value without ']]>' (remove or split it) at line 1, columns 5:11`,
    );
    expect(syntaxError('V = [ K = "]]>" ]')).toBeInstanceOf(TemplateSyntaxError);
  });

  it('counts lines inside multi-line quoted values', () => {
    expect(syntaxError('A = "1\n2\n3"\nB').line).toBe(4);
  });
});

describe('parseTemplateAny', () => {
  it('reads the native form', () => {
    expect(parseTemplateAny('CPU = 1')).toEqual([{ name: 'CPU', value: '1' }]);
  });

  it('reads the XML form when the text starts with <, after blanks', () => {
    expect(parseTemplateAny('\n  <TEMPLATE><CPU>1</CPU><DISK><SIZE>2</SIZE></DISK></TEMPLATE>')).toEqual([
      { name: 'CPU', value: '1' },
      { name: 'DISK', value: { SIZE: '2' } },
    ]);
  });

  it('reports malformed XML as a TemplateSyntaxError', () => {
    expect(() => parseTemplateAny('<TEMPLATE><CPU>1</TEMPLATE>')).toThrow(TemplateSyntaxError);
  });
});
