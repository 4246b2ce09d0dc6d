import { describe, expect, it } from 'vitest';
import { parseTemplate } from '../template/parse.js';
import { ErrorCode } from './errors.js';
import { ImageType } from './image.js';
import { imageSpecFrom, localPath } from './image-spec.js';

const spec = (text: string) => imageSpecFrom(parseTemplate(text));

describe('imageSpecFrom', () => {
  it('reads a file image, keeping only the user attributes in the template', () => {
    const s = spec('NAME="deb"\nPATH="file:///tmp/a%20b.img"\nTYPE="cdrom"\nPERSISTENT="yes"\nDEV_PREFIX="vd"');
    expect(s).toMatchObject({ name: 'deb', type: ImageType.CDROM, persistent: true, path: '/tmp/a b.img', size: 0 });
    expect(s.template).toEqual([{ name: 'DEV_PREFIX', value: 'vd' }]);
  });

  it('reads an empty datablock with its size and format, raw by default', () => {
    expect(spec('NAME="d"\nTYPE="DATABLOCK"\nSIZE="64"\nFORMAT="qcow2"')).toMatchObject({ type: 2, size: 64, format: 'qcow2', path: '' });
    expect(spec('NAME="d"\nTYPE="DATABLOCK"\nSIZE="8"').format).toBe('raw');
  });

  it.each([
    ['PATH="/x"', /No NAME/],
    ['NAME="a"', /No PATH in template: a OS image/],
    ['NAME="a"\nTYPE="DATABLOCK"', /No PATH and no SIZE/],
    ['NAME="a"\nTYPE="DATABLOCK"\nSIZE="-3"', /SIZE = "-3" is not valid/],
    ['NAME="a"\nTYPE="DATABLOCK"\nSIZE="3"\nFORMAT="vmdk"', /FORMAT = "vmdk"/],
    ['NAME="a"\nTYPE="DISK"\nPATH="/x"', /Invalid TYPE "DISK"/],
    ['NAME="a"\nPATH="relative.img"', /not a local file/],
    ['NAME="a"\nPATH="/x"\nPERSISTENT="maybe"', /PERSISTENT = "MAYBE"/],
    ['NAME="a"\nSOURCE="/x"', /SOURCE cannot be set/],
  ])('refuses %j', (text, message) => {
    expect(() => spec(text)).toThrow(message);
    try {
      spec(text);
    } catch (e) {
      expect((e as { code: number }).code).toBe(ErrorCode.ALLOCATE);
    }
  });

  it('localPath accepts absolute paths as they are', () => {
    expect(localPath('/var/x.qcow2')).toBe('/var/x.qcow2');
  });
});
