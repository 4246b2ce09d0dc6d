import { getSingle, removeAttr } from '../template/access.js';
import type { Template } from '../template/types.js';
import {
  DatastoreType, datastoreTypeName, datastoreTypeOf, DS_MADS, NO_DS_MAD, TM_MAD_CONF, type Datastore, type DatastoreSpec,
} from './datastore.js';
import { ErrorCode, OneError } from './errors.js';
import { checkName } from './names.js';

const TYPES = Object.keys(DatastoreType).join(', ');
const TM_MADS = Object.keys(TM_MAD_CONF).join(', ');

function fail(code: ErrorCode, prefix: string, message: string, id: number): never {
  throw new OneError(code, `${prefix}${message}`, id);
}

/** Checks TYPE, DS_MAD and TM_MAD of a template; `prefix` starts every message. */
function drivers(t: Template, code: ErrorCode, prefix: string, id = -1): Omit<DatastoreSpec, 'name' | 'template'> {
  const typeText = getSingle(t, 'TYPE');
  const type = datastoreTypeOf(typeText);
  if (type === undefined) fail(code, prefix, `Invalid TYPE "${typeText}": use one of ${TYPES}.`, id);
  const tmMad = getSingle(t, 'TM_MAD')?.trim();
  if (!tmMad) fail(code, prefix, `No TM_MAD in template: add TM_MAD = "ssh" (or one of ${TM_MADS}).`, id);
  if (!Object.hasOwn(TM_MAD_CONF, tmMad)) fail(code, prefix, `TM_MAD named "${tmMad}" is not defined: use one of ${TM_MADS}.`, id);
  if (type === DatastoreType.SYSTEM_DS) return { type, tmMad, dsMad: NO_DS_MAD };
  const dsMad = getSingle(t, 'DS_MAD')?.trim();
  if (!dsMad) fail(code, prefix, `No DS_MAD in template: a ${datastoreTypeName(type)} needs one, add DS_MAD = "fs" (or one of ${DS_MADS.join(', ')}).`, id);
  if (!(DS_MADS as readonly string[]).includes(dsMad)) fail(code, prefix, `DS_MAD named "${dsMad}" is not defined: use one of ${DS_MADS.join(', ')}.`, id);
  return { type, tmMad, dsMad };
}

/** The new datastore one.datastore.allocate describes; throws ALLOCATE saying what to add or fix. */
export function datastoreSpecFrom(t: Template): DatastoreSpec {
  const prefix = 'Error allocating a new datastore. ';
  const name = getSingle(t, 'NAME')?.trim();
  if (!name) throw new OneError(ErrorCode.ALLOCATE, `${prefix}No NAME in template: add NAME = "my-datastore".`);
  try {
    checkName(name, ErrorCode.ALLOCATE);
  } catch (e) {
    throw new OneError(ErrorCode.ALLOCATE, prefix + (e as Error).message);
  }
  return { name, ...drivers(t, ErrorCode.ALLOCATE, prefix), template: removeAttr(t, 'NAME') };
}

/**
 * The datastore after one.datastore.update set `t` as its template: TYPE, DS_MAD and TM_MAD take the
 * template's values when given (checked as at allocate), else keep theirs. A datastore with images
 * keeps its TYPE.
 */
export function updatedDatastore(ds: Datastore, t: Template): Datastore {
  const prefix = 'Cannot update template. ';
  const keep = (from: Template, name: string, value: string): Template =>
    getSingle(from, name) === undefined && value !== NO_DS_MAD ? [...from, { name, value }] : from;
  const full = keep(keep(keep(t, 'TYPE', datastoreTypeName(ds.type)), 'TM_MAD', ds.tmMad), 'DS_MAD', ds.dsMad);
  const d = drivers(full, ErrorCode.INTERNAL, prefix, ds.id);
  if (d.type !== ds.type && ds.images.length > 0) {
    fail(ErrorCode.INTERNAL, prefix, `Datastore ${ds.id} holds images, so its TYPE cannot change: keep TYPE = "${datastoreTypeName(ds.type)}".`, ds.id);
  }
  let template = removeAttr(removeAttr(removeAttr(full, 'TYPE'), 'TM_MAD'), 'DS_MAD');
  template = [...template, { name: 'TYPE', value: datastoreTypeName(d.type) }, { name: 'TM_MAD', value: d.tmMad }];
  if (d.dsMad !== NO_DS_MAD) template.push({ name: 'DS_MAD', value: d.dsMad });
  return { ...ds, ...d, template };
}
