import { describe, expect, it } from 'vitest';
import { expandIds, filterFlag, octetToBits, parseIdItems, parseMemory } from './args.js';

describe('ID lists', () => {
  const names: Record<string, number> = { web: 10, db: 11 };
  const resolve = async (n: string) => names[n];

  it('expands lists, ranges (a..b and a-b) and names, keeping order and dropping repeats', async () => {
    expect(await expandIds(parseIdItems('1,2,5..7'), resolve)).toEqual([1, 2, 5, 6, 7]);
    expect(await expandIds(parseIdItems('3-4,web, db,3'), resolve)).toEqual([3, 4, 10, 11]);
    expect(await expandIds(parseIdItems('0'), resolve)).toEqual([0]);
  });

  it('rejects empty elements and backwards ranges', () => {
    expect(() => parseIdItems('1,,2')).toThrow(/empty element/);
    expect(() => parseIdItems('7..5')).toThrow('Range 7..5 is backwards; write it as 5..7');
  });
});

describe('octetToBits', () => {
  it('maps each digit to USE/MANAGE/ADMIN (4/2/1) of owner, group, other', () => {
    expect(octetToBits('640')).toEqual([1, 1, 0, 1, 0, 0, 0, 0, 0]);
    expect(octetToBits('777')).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(octetToBits('001')).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1]);
  });

  it('rejects anything but three octal digits', () => {
    for (const bad of ['64', '6400', '648', 'u=rw']) expect(() => octetToBits(bad)).toThrow(/Wrong octet format/);
  });
});

describe('parseMemory', () => {
  it('reads megabytes and gigabytes', () => {
    expect(parseMemory('512')).toBe(512);
    expect(parseMemory('2g')).toBe(2048);
    expect(parseMemory('0.5G')).toBe(512);
    expect(parseMemory('100mb')).toBe(100);
    expect(() => parseMemory('lots')).toThrow(/Memory value "lots" malformed/);
  });
});

describe('filterFlag', () => {
  it('maps a/m/g/G and user IDs; names are left to look up', () => {
    expect([undefined, 'a', 'all', 'm', 'mine', 'g', 'group', 'G', '5'].map(filterFlag)).toEqual([-2, -2, -2, -3, -3, -1, -1, -4, 5]);
    expect(filterFlag('alice')).toBeUndefined();
    expect(filterFlag('toString')).toBeUndefined();
  });
});
