import { describe, expect, it } from 'vitest';
import { defaultDatastores } from '../../domain/datastore.js';
import { datastoreToXml } from './datastore.js';
import { poolXml } from './pool.js';
import { xsdErrors } from './test-fixtures.js';

describe('datastoreToXml', () => {
  const [system, images] = defaultDatastores('/var/lib/nimbus');
  const used = { ...images, images: [3, 7], totalMb: 10240, freeMb: 4096, usedMb: 5120, template: [...images.template, { name: 'NOTE', value: 'a <b> & c' }] };

  it('is a valid datastore.xsd and datastore_pool.xsd document', () => {
    expect(xsdErrors('datastore', datastoreToXml(used))).toBeUndefined();
    expect(xsdErrors('datastore_pool', poolXml('DATASTORE_POOL', [datastoreToXml(system), datastoreToXml(used)]))).toBeUndefined();
  });

  it('lists clusters and images, escapes the template', () => {
    const xml = datastoreToXml(used);
    expect(xml).toContain('<DS_MAD>fs</DS_MAD><TM_MAD>ssh</TM_MAD><BASE_PATH>/var/lib/nimbus/datastores/1</BASE_PATH><TYPE>0</TYPE>');
    expect(xml).toContain('<CLUSTERS><ID>0</ID></CLUSTERS><TOTAL_MB>10240</TOTAL_MB><FREE_MB>4096</FREE_MB><USED_MB>5120</USED_MB><IMAGES><ID>3</ID><ID>7</ID></IMAGES>');
    expect(xml).toContain('<NOTE>a &lt;b&gt; &amp; c</NOTE>');
    expect(datastoreToXml(system)).toContain('<DS_MAD>-</DS_MAD>');
  });
});
