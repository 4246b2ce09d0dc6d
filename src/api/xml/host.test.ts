import { describe, expect, it } from 'vitest';
import { hostToXml } from './host.js';
import { poolXml } from './pool.js';
import { sampleHost, xsdErrors } from './test-fixtures.js';

describe('hostToXml', () => {
  const xml = hostToXml(sampleHost());

  it('is a valid host.xsd and host_pool.xsd document', () => {
    expect(xsdErrors('host', xml)).toBeUndefined();
    expect(xsdErrors('host_pool', poolXml('HOST_POOL', [xml, hostToXml({ ...sampleHost(), id: 4, vms: [] })]))).toBeUndefined();
  });

  it('lists the VMs and groups the last sample into CAPACITY and SYSTEM, integers as the schema types them', () => {
    expect(xml).toContain('<VMS><ID>40</ID><ID>41</ID><ID>42</ID></VMS>');
    expect(xml).toContain(
      '<MONITORING><TIMESTAMP>1700000300</TIMESTAMP><ID>3</ID>' +
        '<CAPACITY><FREE_CPU>620</FREE_CPU><FREE_MEMORY>12000000</FREE_MEMORY><USED_CPU>180</USED_CPU><USED_MEMORY>4384000</USED_MEMORY></CAPACITY>' +
        '<SYSTEM><NETRX>123456</NETRX><NETTX>654321</NETTX></SYSTEM></MONITORING>',
    );
    expect(xml).toContain('<MODELNAME>AMD EPYC &lt;7302&gt;</MODELNAME>');
  });

  it('takes VMS_THREAD from the host template', () => {
    const h = sampleHost();
    expect(hostToXml(h)).toContain('<VMS_THREAD>1</VMS_THREAD>');
    expect(hostToXml({ ...h, template: [...h.template, { name: 'VMS_THREAD', value: '2' }] })).toContain('<VMS_THREAD>2</VMS_THREAD>');
  });

  it('is valid for a host never monitored', () => {
    const doc = hostToXml({ ...sampleHost(), monitoring: null, state: 0, template: [] });
    expect(xsdErrors('host', doc)).toBeUndefined();
    expect(doc).toContain('<MONITORING></MONITORING>');
  });
});
