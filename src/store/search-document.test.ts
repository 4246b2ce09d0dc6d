import { describe, expect, it } from 'vitest';
import { normalizeKey, parseSearch } from './search-document.js';

describe('search terms', () => {
  it('parses KEY=VALUE terms joined by &, and bare values', () => {
    expect(parseSearch('VM.NAME=web&VM.TEMPLATE.NIC[*].MAC=02:00')).toEqual([
      { key: '$.VM.NAME', value: 'web' },
      { key: '$.VM.TEMPLATE.NIC.MAC', value: '02:00' },
    ]);
    expect(parseSearch('web')).toEqual([{ value: 'web' }]);
    expect(parseSearch('')).toEqual([]);
    expect(parseSearch('VM.USER_TEMPLATE.A=x=y')).toEqual([{ key: '$.VM.USER_TEMPLATE.A', value: 'x=y' }]);
  });

  it('matches one element and arrays the same way, whatever SQLite quotes', () => {
    expect(normalizeKey('$.VM."TEMPLATE".NIC[3].MAC')).toBe('$.VM.TEMPLATE.NIC.MAC');
    expect(normalizeKey('$.VM.TEMPLATE.NIC.MAC')).toBe('$.VM.TEMPLATE.NIC.MAC');
  });
});
