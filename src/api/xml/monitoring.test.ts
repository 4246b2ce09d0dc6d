import { describe, expect, it } from 'vitest';
import { monitoringXml } from './monitoring.js';
import { xsdErrors } from './test-fixtures.js';

describe('monitoringXml, VM samples', () => {
  const samples = [
    { id: 42, timestamp: 1700000000, values: { NETTX: '20', CPU: '1.5', MEMORY: '1024', DISKRDBYTES: '7', NETRX: '10', TIMESTAMP: 'stale' } },
    {
      id: 42,
      timestamp: 1700000060,
      values: [
        { name: 'MEMORY', value: '2048' },
        { name: 'DISK_SIZE', value: { SIZE: '300', ID: '0' } },
        { name: 'CPU', value: '3' },
      ],
    },
  ];
  const xml = monitoringXml(samples);

  it('is a valid monitoring_data.xsd document', () => {
    expect(xsdErrors('monitoring_data', xml)).toBeUndefined();
    expect(xsdErrors('monitoring_data', monitoringXml([]))).toBeUndefined();
  });

  it('sorts ID and TIMESTAMP in among the values, the sample fields winning', () => {
    expect(xml).toContain(
      '<MONITORING><CPU>1.5</CPU><DISKRDBYTES>7</DISKRDBYTES><ID>42</ID><MEMORY>1024</MEMORY><NETRX>10</NETRX><NETTX>20</NETTX><TIMESTAMP>1700000000</TIMESTAMP></MONITORING>',
    );
    expect(xml).toContain('<CPU>3</CPU><DISK_SIZE><ID>0</ID><SIZE>300</SIZE></DISK_SIZE><ID>42</ID><MEMORY>2048</MEMORY>');
  });
});

describe('monitoringXml, host samples', () => {
  it('leads with TIMESTAMP and ID, then groups flat values into CAPACITY and SYSTEM', () => {
    const xml = monitoringXml(
      [{ id: 3, timestamp: 1700000000, values: { NETRX: '5', USED_MEMORY: '4', FREE_CPU: '1', FREE_MEMORY: '3', USED_CPU: '2', NETTX: '6', HUGEPAGES: 'x' } }],
      'host',
    );
    expect(xml).toBe(
      '<MONITORING_DATA><MONITORING><TIMESTAMP>1700000000</TIMESTAMP><ID>3</ID>' +
        '<CAPACITY><FREE_CPU>1</FREE_CPU><FREE_MEMORY>3</FREE_MEMORY><USED_CPU>2</USED_CPU><USED_MEMORY>4</USED_MEMORY></CAPACITY>' +
        '<SYSTEM><NETRX>5</NETRX><NETTX>6</NETTX></SYSTEM><HUGEPAGES>x</HUGEPAGES></MONITORING></MONITORING_DATA>',
    );
  });

  it('accepts groups already given as vectors', () => {
    const xml = monitoringXml([{ id: 3, timestamp: 1, values: [{ name: 'SYSTEM', value: { NETTX: '2' } }, { name: 'CAPACITY', value: { FREE_CPU: '9' } }] }], 'host');
    expect(xml).toContain('<ID>3</ID><CAPACITY><FREE_CPU>9</FREE_CPU></CAPACITY><SYSTEM><NETTX>2</NETTX></SYSTEM>');
  });
});
