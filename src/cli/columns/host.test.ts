import { describe, expect, it } from 'vitest';
import { renderTable } from '../output/table.js';
import { fixture } from '../testing/fake-one.js';
import { items, parseXml } from '../xml.js';
import { HOST_DEFAULT_COLUMNS, hostColumns } from './host.js';

const hosts = items(parseXml(fixture('host-pool.xml')).HOST_POOL, 'HOST');

describe('onehost list columns', () => {
  it('prints ID NAME CLUSTER TVM ALLOCATED_CPU ALLOCATED_MEM STAT', () => {
    // Ruby: "%4.4s %-15.15s %-9.9s %3.3s %18.18s %18.18s %-6.6s"
    expect(renderTable(hostColumns(), HOST_DEFAULT_COLUMNS, hosts)).toBe(
      [
        '  ID NAME            CLUSTER   TVM      ALLOCATED_CPU      ALLOCATED_MEM STAT  ',
        '   2 testbed         default     1    100 / 800 (12%)    768M / 16G (4%) on',
        '   3 a-very-long-hos -           0                  -                  - dsbl',
        '',
      ].join('\n'),
    );
  });

  it('has the capacity columns of older releases', () => {
    const csv = renderTable(hostColumns(), HOST_DEFAULT_COLUMNS, hosts, {
      list: ['ID', 'TCPU', 'FCPU', 'ACPU', 'TMEM', 'FMEM', 'AMEM', 'REAL_CPU', 'REAL_MEM', 'ZVM'],
      csv: true,
    });
    expect(csv.split('\n').slice(1, 3)).toEqual([
      '2,800,700,700,16G,15G,15.3G,100 / 800 (12%),1024M / 16G (6%),0',
      '3,0,0,100,0K,0K,0K,-,-,0',
    ]);
  });
});
