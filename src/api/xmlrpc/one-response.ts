import type { OneError } from '../../domain/errors.js';
import { i8, type XmlRpcValue } from './values.js';

/** OpenNebula's success array: `[true, value, 0]`. */
export function successResponse(value: XmlRpcValue): XmlRpcValue[] {
  return [true, value, 0];
}

/**
 * OpenNebula's failure array: `[false, message, code, id of the object at fault (-1 if none),
 * replication index]`; the index is an `<i8>` as oned sends it, always 0 without HA.
 */
export function failureResponse(err: OneError): XmlRpcValue[] {
  return [false, err.message, err.code, err.objectId, i8(0)];
}
