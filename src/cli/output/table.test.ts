import { describe, expect, it } from 'vitest';
import { renderTable, type Column } from './table.js';

interface R {
  id: number;
  name: string;
  stat: string;
}
const COLS: Column<R>[] = [
  { name: 'ID', desc: 'id', size: 4, value: (r) => r.id },
  { name: 'NAME', desc: 'name', size: 6, left: true, value: (r) => r.name },
  { name: 'STAT', desc: 'state', size: 4, value: (r) => r.stat },
  { name: 'WIDE', desc: 'adjusts', size: 3, left: true, adjust: true, value: (r) => r.name },
];
const ROWS: R[] = [
  { id: 7, name: 'web', stat: 'runn' },
  { id: 12, name: 'database-1', stat: 'fail' },
];

describe('renderTable', () => {
  it('right-aligns numbers, left-aligns names, cuts at the width and joins with one space', () => {
    expect(renderTable(COLS, ['ID', 'NAME', 'STAT'], ROWS)).toBe(
      '  ID NAME   STAT\n' +
      '   7 web    runn\n' +
      '  12 databa fail\n',
    );
  });

  it('grows adjusting columns to the widest value and trims line ends', () => {
    expect(renderTable(COLS, ['ID', 'WIDE'], ROWS)).toBe(
      '  ID WIDE      \n' +
      '   7 web\n' +
      '  12 database-1\n',
    );
  });

  it('shows the -l columns in the order given, any case', () => {
    expect(renderTable(COLS, ['ID'], ROWS, { list: ['stat', 'id'] })).toBe('STAT   ID\nrunn    7\nfail   12\n');
  });

  it('refuses an unknown column and names the known ones', () => {
    expect(() => renderTable(COLS, ['ID'], ROWS, { list: ['FOO'] })).toThrow('Column FOO not defined. Available columns: ID, NAME, STAT, WIDE');
  });

  it('writes whole values as CSV, quoting as Ruby does', () => {
    const rows: R[] = [...ROWS, { id: 1, name: 'a,"b"', stat: '' }];
    expect(renderTable(COLS, ['ID', 'NAME', 'STAT'], rows, { csv: true })).toBe(
      'ID,NAME,STAT\n7,web,runn\n12,database-1,fail\n1,"a,""b""",""\n',
    );
    expect(renderTable(COLS, ['ID', 'NAME'], ROWS, { csv: true, csvDel: ';', noHeader: true })).toBe('7;web\n12;database-1\n');
  });

  it('filters rows on any column with OpenNebula operators', () => {
    const names = (filter: string[], operator?: string) =>
      renderTable(COLS, ['NAME'], ROWS, { filter, operator, noHeader: true, csv: true }).trim().split('\n');
    expect(names(['STAT=runn'])).toEqual(['web']);
    expect(names(['NAME~data'])).toEqual(['database-1']);
    expect(names(['STAT!=runn'])).toEqual(['database-1']);
    expect(names(['ID=7', 'STAT=fail'], 'OR')).toEqual(['web', 'database-1']);
    expect(names(['ID=7', 'STAT=fail'])).toEqual(['']);
    expect(() => names(['NOPE=1'])).toThrow(/Column 'NOPE' not found/);
    expect(() => names(['garbage'])).toThrow(/is not COLUMN<op>VALUE/);
  });

  it('prints only the header for no rows, and nothing with --no-header', () => {
    expect(renderTable(COLS, ['ID'], [])).toBe('  ID\n');
    expect(renderTable(COLS, ['ID'], [], { noHeader: true })).toBe('');
  });

  it('makes the header bold and underlined and colours states on a terminal', () => {
    const out = renderTable(COLS, ['ID', 'STAT'], ROWS, { tty: true });
    expect(out.split('\n')[0]).toBe('\x1b[1m\x1b[4m  ID STAT\x1b[0m');
    expect(out).toContain('\x1b[32mrunn\x1b[0m');
    expect(out).toContain('\x1b[31mfail\x1b[0m');
  });
});
