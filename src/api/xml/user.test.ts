import { describe, expect, it } from 'vitest';
import { sampleUser, xsdErrors } from './test-fixtures.js';
import { userPoolXml, userToXml } from './user.js';

describe('userToXml', () => {
  it('is a valid user.xsd document with empty quotas', () => {
    const xml = userToXml(sampleUser());
    expect(xsdErrors('user', xml)).toBeUndefined();
    expect(xml).toContain('<GROUPS><ID>1</ID><ID>100</ID></GROUPS>');
    expect(xml).toMatch(/<\/TEMPLATE><DATASTORE_QUOTA><\/DATASTORE_QUOTA>.*<DEFAULT_USER_QUOTAS>/);
  });

  it('always lists at least the primary group', () => {
    const xml = userToXml({ ...sampleUser(), groups: [] });
    expect(xsdErrors('user', xml)).toBeUndefined();
    expect(xml).toContain('<GROUPS><ID>1</ID></GROUPS>');
  });
});

describe('userPoolXml', () => {
  it('is a valid user_pool.xsd document: users, their QUOTAS, then the defaults', () => {
    const xml = userPoolXml([sampleUser(), { ...sampleUser(), id: 0, gid: 0, groups: [0], name: 'oneadmin', gname: 'oneadmin' }]);
    expect(xsdErrors('user_pool', xml)).toBeUndefined();
    expect(xml).toMatch(/^<USER_POOL><USER>.*<\/USER><USER>.*<\/USER><QUOTAS><ID>2<\/ID>.*<QUOTAS><ID>0<\/ID>.*<DEFAULT_USER_QUOTAS>.*<\/USER_POOL>$/);
  });

  it('is valid when empty', () => {
    expect(xsdErrors('user_pool', userPoolXml([]))).toBeUndefined();
  });
});
