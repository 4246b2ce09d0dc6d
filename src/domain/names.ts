import { ErrorCode, OneError } from './errors.js';

const FORBIDDEN = /[&|:\\";/'#{}$<>\t\n\v\f\r]/;

/** PoolObjectSQL::name_is_valid: not empty, at most 128 characters, none of `&|:\";/'#{}$<>` or control whitespace. */
export function checkName(name: string, code: ErrorCode = ErrorCode.XML_RPC_API): void {
  if (name.length === 0) throw new OneError(code, 'Invalid NAME: it cannot be empty.');
  if (name.length > 128) throw new OneError(code, `Invalid NAME: ${name.length} characters, the limit is 128.`);
  if (FORBIDDEN.test(name)) {
    throw new OneError(code, `Invalid NAME "${name}": it cannot contain any of & | : \\ " ; / ' # { } $ < > or control whitespace.`);
  }
}
