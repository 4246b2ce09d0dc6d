import { describe, expect, it } from 'vitest';
import { ImageState, newImage, withState } from '../../domain/image.js';
import { imageToXml } from './image.js';
import { poolXml } from './pool.js';
import { xsdErrors } from './test-fixtures.js';

const owner = { uid: 0, gid: 0, uname: 'oneadmin', gname: 'oneadmin' };
const spec = { name: 'a <b>', type: 2, persistent: true, path: '', format: 'qcow2', fsType: '', size: 64, template: [{ name: 'DEV_PREFIX', value: 'vd' }] };

describe('imageToXml', () => {
  it('renders image.xsd and image_pool.xsd documents, with a lock, clones and VMs', () => {
    const img = { ...withState(newImage(3, spec, owner, { id: 1, name: 'default' }, '/ds/1/abc', 10), ImageState.READY), lock: { locked: 1, owner: 0, time: 5, reqId: -1 }, clones: [4], vms: [7] };
    const xml = imageToXml(img);
    expect(xml).toContain('<NAME>a &lt;b&gt;</NAME>');
    expect(xml).toContain('<PERSISTENT>1</PERSISTENT>');
    expect(xml).toContain('<STATE>1</STATE><PREV_STATE>4</PREV_STATE>');
    expect(xsdErrors('image', xml)).toBeUndefined();
    expect(xsdErrors('image_pool', poolXml('IMAGE_POOL', [xml, imageToXml({ ...img, id: 4, lock: null })]))).toBeUndefined();
  });
});
