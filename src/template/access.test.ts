import { describe, expect, it } from 'vitest';
import {
  appendAttr,
  getAll,
  getNumber,
  getSingle,
  getVector,
  getVectors,
  has,
  removeAttr,
  setSingle,
  setVector,
} from './access.js';
import type { Template } from './types.js';

const t: Template = [
  { name: 'NAME', value: 'web' },
  { name: 'DISK', value: { IMAGE_ID: '1' } },
  { name: 'MEMORY', value: '512' },
  { name: 'DISK', value: { IMAGE_ID: '2' } },
  { name: 'CONTEXT', value: 'odd single context' },
  { name: 'CONTEXT', value: { NETWORK: 'YES' } },
  { name: 'CPU', value: ' 0.5 ' },
  { name: 'BAD', value: '12abc' },
  { name: 'EMPTY', value: '' },
];
const snapshot = structuredClone(t);

describe('getters', () => {
  it('getSingle finds the first single value, by any case', () => {
    expect(getSingle(t, 'name')).toBe('web');
    expect(getSingle(t, 'CONTEXT')).toBe('odd single context');
    expect(getSingle(t, 'DISK')).toBeUndefined();
    expect(getSingle(t, 'NOPE')).toBeUndefined();
    expect(getSingle(t, 'EMPTY')).toBe('');
  });

  it('getVector finds the first vector, skipping single values of the same name', () => {
    expect(getVector(t, 'disk')).toEqual({ IMAGE_ID: '1' });
    expect(getVector(t, 'Context')).toEqual({ NETWORK: 'YES' });
    expect(getVector(t, 'NAME')).toBeUndefined();
  });

  it('getVectors lists every vector of a name, in order', () => {
    expect(getVectors(t, 'DISK')).toEqual([{ IMAGE_ID: '1' }, { IMAGE_ID: '2' }]);
    expect(getVectors(t, 'NIC')).toEqual([]);
  });

  it('getAll lists single and vector attributes of a name', () => {
    expect(getAll(t, 'context').map((a) => typeof a.value)).toEqual(['string', 'object']);
    expect(getAll(t, 'NIC')).toEqual([]);
  });

  it('has tells whether a name is present', () => {
    expect(has(t, 'memory')).toBe(true);
    expect(has(t, 'NIC')).toBe(false);
  });

  it('getNumber reads numbers and gives undefined for absent, empty, vector or non-numeric values', () => {
    expect(getNumber(t, 'MEMORY')).toBe(512);
    expect(getNumber(t, 'cpu')).toBe(0.5);
    expect(getNumber(t, 'BAD')).toBeUndefined();
    expect(getNumber(t, 'EMPTY')).toBeUndefined();
    expect(getNumber(t, 'DISK')).toBeUndefined();
    expect(getNumber(t, 'NOPE')).toBeUndefined();
    expect(getNumber([{ name: 'X', value: 'Infinity' }], 'X')).toBeUndefined();
    expect(getNumber([{ name: 'X', value: '-3' }], 'X')).toBe(-3);
  });
});

describe('setters return new templates and leave the input alone', () => {
  it('setSingle replaces every attribute of the name at the place of the first', () => {
    const out = setSingle(t, 'disk', '7');
    expect(out.map((a) => a.name)).toEqual(['NAME', 'DISK', 'MEMORY', 'CONTEXT', 'CONTEXT', 'CPU', 'BAD', 'EMPTY']);
    expect(out[1]).toEqual({ name: 'DISK', value: '7' });
    expect(t).toEqual(snapshot);
  });

  it('setSingle appends a new name at the end', () => {
    const out = setSingle(t, 'vcpu', '2');
    expect(out.at(-1)).toEqual({ name: 'VCPU', value: '2' });
    expect(out).toHaveLength(t.length + 1);
  });

  it('setVector replaces all of a name with one vector whose keys are upper-cased copies', () => {
    const v = { image_id: '9', Size: '1' };
    const out = setVector(t, 'DISK', v);
    expect(getVectors(out, 'DISK')).toEqual([{ IMAGE_ID: '9', SIZE: '1' }]);
    v.image_id = 'changed';
    expect(getVector(out, 'DISK')).toEqual({ IMAGE_ID: '9', SIZE: '1' });
    expect(t).toEqual(snapshot);
  });

  it('removeAttr drops every attribute of a name', () => {
    const out = removeAttr(t, 'context');
    expect(has(out, 'CONTEXT')).toBe(false);
    expect(out).toHaveLength(t.length - 2);
    expect(t).toEqual(snapshot);
  });

  it('appendAttr adds after attributes of the same name, upper-casing names', () => {
    const out = appendAttr(t, { name: 'disk', value: { image_id: '3' } });
    expect(getVectors(out, 'DISK')).toEqual([{ IMAGE_ID: '1' }, { IMAGE_ID: '2' }, { IMAGE_ID: '3' }]);
    expect(appendAttr([], { name: 'a', value: 'x' })).toEqual([{ name: 'A', value: 'x' }]);
    expect(t).toEqual(snapshot);
  });
});
