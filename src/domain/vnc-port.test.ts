import { describe, expect, it } from 'vitest';
import { template, vm } from '../drivers/test-fixtures.js';
import { getVector } from '../template/access.js';
import { withVncPort } from './vnc-port.js';

const graphics = (id: number, g: Record<string, string>) => {
  const v = vm(id);
  v.template = [...v.template, ...template({ GRAPHICS: g })];
  return v;
};
const port = (v: ReturnType<typeof vm>) => getVector(v.template, 'GRAPHICS')?.PORT;

describe('withVncPort', () => {
  it('gives a VNC display 5900 + the VM id', () => {
    expect(port(withVncPort(graphics(12, { TYPE: 'vnc' }), []))).toBe('5912');
  });

  it('keeps a PORT the user chose', () => {
    expect(port(withVncPort(graphics(12, { TYPE: 'VNC', PORT: '7000' }), []))).toBe('7000');
  });

  it('takes the next free port when a neighbour on the host already uses it', () => {
    const neighbours = [graphics(1, { TYPE: 'VNC', PORT: '5912' }), graphics(2, { TYPE: 'VNC', PORT: '5913' })];
    expect(port(withVncPort(graphics(12, { TYPE: 'VNC' }), neighbours))).toBe('5914');
  });

  it('leaves a VM without a VNC display alone', () => {
    const v = vm(3);
    expect(withVncPort(v, [])).toBe(v);
    const spice = graphics(3, { TYPE: 'SPICE' });
    expect(withVncPort(spice, [])).toBe(spice);
  });
});
