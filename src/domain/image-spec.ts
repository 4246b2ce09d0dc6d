import { getSingle, removeAttr } from '../template/access.js';
import type { Template } from '../template/types.js';
import { ErrorCode, OneError } from './errors.js';
import { ImageType, imageTypeOf, type ImageSpec } from './image.js';
import { checkName } from './names.js';

const PREFIX = 'Error allocating a new image. ';
/** Formats an empty datablock can be created in. */
export const DATABLOCK_FORMATS = ['raw', 'qcow2'] as const;
/** What the image keeps in its own fields rather than in TEMPLATE. */
const OWN_ATTRIBUTES = ['NAME', 'TYPE', 'PERSISTENT', 'PATH', 'SOURCE', 'SIZE', 'FORMAT', 'FS'];

function fail(message: string): never {
  throw new OneError(ErrorCode.ALLOCATE, PREFIX + message);
}

/** YES/NO (any case) as OpenNebula reads boolean attributes; undefined when absent. */
function yesNo(t: Template, name: string): boolean | undefined {
  const v = getSingle(t, name)?.trim().toUpperCase();
  if (v === undefined || v === '') return undefined;
  if (v !== 'YES' && v !== 'NO') fail(`${name} = "${v}" is not valid: use YES or NO.`);
  return v === 'YES';
}

/** The file a PATH names: an absolute front-end path, or a file:// URL of one. */
export function localPath(path: string): string {
  const p = path.startsWith('file://') ? decodeURIComponent(path.slice('file://'.length)) : path;
  if (!p.startsWith('/')) fail(`PATH "${path}" is not a local file: give an absolute path on the front-end or a file:// URL.`);
  return p;
}

/** The size in MB of SIZE for an empty datablock. */
function sizeMb(t: Template): number {
  const text = getSingle(t, 'SIZE')?.trim();
  if (!text) fail('No PATH and no SIZE in template: give PATH = "/path/to/file" to copy a file, or SIZE (MB) for an empty DATABLOCK.');
  if (!/^\d+$/.test(text) || Number(text) === 0) fail(`SIZE = "${text}" is not valid: give the size in MB, a whole number above 0.`);
  return Number(text);
}

/**
 * The new image one.image.allocate describes: a file to copy (PATH) or an empty DATABLOCK (SIZE,
 * FORMAT raw or qcow2). Throws ALLOCATE saying what to add or fix. SIZE of a copied file is 0 here:
 * the caller measures the file.
 */
export function imageSpecFrom(t: Template): ImageSpec {
  const name = getSingle(t, 'NAME')?.trim();
  if (!name) fail('No NAME in template: add NAME = "my-image".');
  try {
    checkName(name, ErrorCode.ALLOCATE);
  } catch (e) {
    fail((e as Error).message);
  }
  const typeText = getSingle(t, 'TYPE')?.trim() || 'OS';
  const type = imageTypeOf(typeText);
  if (type === undefined || type === ImageType.BACKUP || type === ImageType.FILESYSTEM) {
    fail(`Invalid TYPE "${typeText}": use one of OS, CDROM, DATABLOCK, KERNEL, RAMDISK, CONTEXT.`);
  }
  if (getSingle(t, 'SOURCE') !== undefined) fail('SOURCE cannot be set: give PATH and the file is copied into the datastore.');
  const persistent = yesNo(t, 'PERSISTENT') ?? false;
  const fsType = getSingle(t, 'FS')?.trim() ?? '';
  const template = OWN_ATTRIBUTES.reduce(removeAttr, t);
  const pathText = getSingle(t, 'PATH')?.trim();
  if (pathText) {
    return { name, type, persistent, path: localPath(pathText), format: getSingle(t, 'FORMAT')?.trim() ?? '', fsType, size: 0, template };
  }
  if (type !== ImageType.DATABLOCK) {
    fail(`No PATH in template: a ${typeText.toUpperCase()} image is copied from a file, add PATH = "/path/to/file" (only a DATABLOCK can be created empty with SIZE).`);
  }
  const size = sizeMb(t);
  const format = getSingle(t, 'FORMAT')?.trim().toLowerCase() || 'raw';
  if (!(DATABLOCK_FORMATS as readonly string[]).includes(format)) fail(`FORMAT = "${format}" is not valid for an empty DATABLOCK: use raw or qcow2.`);
  return { name, type, persistent, path: '', format, fsType, size, template };
}
