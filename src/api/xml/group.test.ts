import { describe, expect, it } from 'vitest';
import { groupPoolXml, groupToXml } from './group.js';
import { sampleGroup, xsdErrors } from './test-fixtures.js';

describe('groupToXml', () => {
  it('is a valid group.xsd document', () => {
    const xml = groupToXml(sampleGroup());
    expect(xsdErrors('group', xml)).toBeUndefined();
    expect(xml).toContain('<USERS><ID>2</ID><ID>3</ID></USERS><ADMINS><ID>2</ID></ADMINS>');
  });
});

describe('groupPoolXml', () => {
  it('is a valid group_pool.xsd document, empty or not', () => {
    const xml = groupPoolXml([sampleGroup(), { ...sampleGroup(), id: 0, name: 'oneadmin', users: [0], admins: [] }]);
    expect(xsdErrors('group_pool', xml)).toBeUndefined();
    expect(xml).toMatch(/<\/GROUP><QUOTAS><ID>1<\/ID>.*<QUOTAS><ID>0<\/ID>.*<DEFAULT_GROUP_QUOTAS>/);
    expect(xsdErrors('group_pool', groupPoolXml([]))).toBeUndefined();
  });
});
