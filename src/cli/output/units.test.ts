import { describe, expect, it } from 'vitest';
import { booleanToStr, lockLevelToStr, periodToStr, rubyFloat, shortPeriodToStr, timeToStr, toInt, unitToStr } from './units.js';

describe('unitToStr', () => {
  it.each([
    [512, 'M', '512M'],
    [1024, 'M', '1024M'], // OpenNebula scales only above 1024
    [1025, 'M', '1G'],
    [2048, 'M', '2G'],
    [1536, 'M', '1.5G'],
    [1600, 'M', '1.6G'],
    [0, 'M', '0M'],
    [786432, 'K', '768M'],
    [16777216, 'K', '16G'],
    [524288, 'K', '512M'],
    [3 * 1024 ** 3, 'K', '3T'],
    [5 * 1024 ** 4, 'K', '5120T'],
  ] as const)('%d%s -> %s', (value, unit, want) => {
    expect(unitToStr(value, unit)).toBe(want);
  });

  it('prints the raw number with -k', () => {
    expect(unitToStr(786432, 'K', true)).toBe('786432');
  });
});

describe('periods', () => {
  it('formats the TIME column as %3dd %02dh%02dm', () => {
    expect(periodToStr(300, false)).toBe('  0d 00h05m');
    expect(periodToStr(90061, false)).toBe('  1d 01h01m');
    expect(periodToStr(1000 * 86400, false)).toBe('1000d 00h00m');
    expect(periodToStr(90061)).toBe('  1d 01h01m01s');
  });

  it('formats hours for PROLOG', () => {
    expect(shortPeriodToStr(0)).toBe('  0h00m00s');
    expect(shortPeriodToStr(3725)).toBe('  1h02m05s');
  });
});

describe('timeToStr', () => {

  it('prints MM/DD HH:MM:SS, and - for 0', () => {
    expect(timeToStr(1695883447)).toBe('09/28 06:44:07');
    expect(timeToStr(1695883447, { seconds: false })).toBe('09/28 06:44');
    expect(timeToStr(1695883447, { hours: false, years: true })).toBe('09/28/23');
    expect(timeToStr(0)).toBe('-');
  });
});

describe('small converters', () => {
  it('reads numbers like Ruby to_i', () => {
    expect(toInt('12abc')).toBe(12);
    expect(toInt('abc')).toBe(0);
    expect(toInt(undefined)).toBe(0);
    expect(toInt('-3')).toBe(-3);
  });

  it('names booleans, lock levels and floats as OpenNebula prints them', () => {
    expect(booleanToStr('1')).toBe('Yes');
    expect(booleanToStr('0')).toBe('No');
    expect([0, 1, 2, 3, 4, 9].map((l) => lockLevelToStr(String(l)))).toEqual(['None', 'Use', 'Manage', 'Admin', 'All', '-']);
    expect(lockLevelToStr(undefined)).toBe('None');
    expect(rubyFloat(2)).toBe('2.0');
    expect(rubyFloat(1.08)).toBe('1.08');
  });
});
