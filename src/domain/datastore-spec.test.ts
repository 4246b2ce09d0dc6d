import { describe, expect, it } from 'vitest';
import { getSingle } from '../template/access.js';
import { parseTemplateAny } from '../template/parse.js';
import { defaultDatastores } from './datastore.js';
import { datastoreSpecFrom, updatedDatastore } from './datastore-spec.js';
import { ErrorCode, OneError } from './errors.js';

const spec = (text: string) => datastoreSpecFrom(parseTemplateAny(text));
const failure = (fn: () => unknown): OneError => {
  try {
    fn();
  } catch (e) {
    return e as OneError;
  }
  throw new Error('expected a failure');
};

describe('datastoreSpecFrom', () => {
  it('reads NAME, TYPE and the drivers; a system datastore has DS_MAD "-"', () => {
    expect(spec('NAME=img\nDS_MAD=fs\nTM_MAD=qcow2')).toMatchObject({ name: 'img', type: 0, dsMad: 'fs', tmMad: 'qcow2' });
    expect(spec('NAME=sys\nTYPE=SYSTEM_DS\nTM_MAD=shared\nDS_MAD=fs')).toMatchObject({ type: 1, dsMad: '-', tmMad: 'shared' });
    expect(getSingle(spec('NAME=img\nDS_MAD=fs\nTM_MAD=ssh').template, 'NAME')).toBeUndefined();
  });

  it.each([
    ['DS_MAD=fs\nTM_MAD=ssh', /No NAME in template: add NAME/],
    ['NAME="a;b"\nDS_MAD=fs\nTM_MAD=ssh', /Invalid NAME/],
    ['NAME=x\nTYPE=BACKUP\nDS_MAD=fs\nTM_MAD=ssh', /Invalid TYPE "BACKUP": use one of IMAGE_DS, SYSTEM_DS, FILE_DS/],
    ['NAME=x\nTM_MAD=ssh', /No DS_MAD in template: a IMAGE_DS needs one, add DS_MAD = "fs"/],
    ['NAME=x\nTYPE=FILE_DS\nDS_MAD=ceph\nTM_MAD=ssh', /DS_MAD named "ceph" is not defined/],
    ['NAME=x\nDS_MAD=fs', /No TM_MAD in template: add TM_MAD/],
    ['NAME=x\nDS_MAD=fs\nTM_MAD=lvm', /TM_MAD named "lvm" is not defined/],
  ])('refuses %j with ALLOCATE', (text, message) => {
    const e = failure(() => spec(text));
    expect(e.code).toBe(ErrorCode.ALLOCATE);
    expect(e.message).toMatch(/^Error allocating a new datastore\. /);
    expect(e.message).toMatch(message);
  });
});

describe('updatedDatastore', () => {
  const [, images] = defaultDatastores('/d');

  it('keeps the drivers the new template leaves out and takes the ones it names', () => {
    const kept = updatedDatastore(images, parseTemplateAny('NOTE=x'));
    expect(kept).toMatchObject({ type: 0, dsMad: 'fs', tmMad: 'ssh' });
    expect(getSingle(kept.template, 'TM_MAD')).toBe('ssh');
    expect(getSingle(kept.template, 'SHARED')).toBeUndefined();
    const moved = updatedDatastore(images, parseTemplateAny('TM_MAD=qcow2\nTYPE=FILE_DS'));
    expect(moved).toMatchObject({ type: 2, tmMad: 'qcow2' });
  });

  it('refuses a bad driver, and a TYPE change of a datastore with images', () => {
    expect(failure(() => updatedDatastore(images, parseTemplateAny('TM_MAD=nope'))).code).toBe(ErrorCode.INTERNAL);
    const e = failure(() => updatedDatastore({ ...images, images: [4] }, parseTemplateAny('TYPE=FILE_DS')));
    expect(e.message).toMatch(/holds images, so its TYPE cannot change/);
  });
});
