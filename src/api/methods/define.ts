import { authenticate } from '../../core/auth.js';
import type { Core } from '../../core/core.js';
import { ErrorCode, OneError } from '../../domain/errors.js';
import type { Requester } from '../../domain/permissions.js';
import type { CallContext, MethodHandler } from '../server.js';
import type { XmlRpcValue } from '../xmlrpc/values.js';

/** The parameter kinds OpenNebula's methods take after the session string. */
interface Kinds {
  int: number;
  bool: boolean;
  string: string;
  ints: number[];
}
type Kind = keyof Kinds;

/** One parameter: its kind, its name in messages, and a default when it is optional. */
export interface Param<K extends Kind = Kind> {
  kind: K;
  name: string;
  default?: Kinds[K];
}

export const int = (name: string, def?: number): Param<'int'> => ({ kind: 'int', name, default: def });
export const bool = (name: string, def?: boolean): Param<'bool'> => ({ kind: 'bool', name, default: def });
export const str = (name: string, def?: string): Param<'string'> => ({ kind: 'string', name, default: def });
export const ints = (name: string, def?: number[]): Param<'ints'> => ({ kind: 'ints', name, default: def });

type Args<P extends readonly Param[]> = { [I in keyof P]: P[I] extends Param<infer K> ? Kinds[K] : never };

const INT32 = (v: XmlRpcValue) => (typeof v === 'number' && Number.isInteger(v) ? v : typeof v === 'bigint' ? Number(v) : undefined);

const READERS: { [K in Kind]: (v: XmlRpcValue) => Kinds[K] | undefined } = {
  int: INT32,
  bool: (v) => (typeof v === 'boolean' ? v : typeof v === 'number' && (v === 0 || v === 1) ? v === 1 : undefined),
  string: (v) => (typeof v === 'string' ? v : undefined),
  ints: (v) => {
    if (!Array.isArray(v)) return undefined;
    const out = v.map(INT32);
    return out.every((n) => n !== undefined) ? (out as number[]) : undefined;
  },
};

const TYPE_NAME: Record<Kind, string> = { int: 'an integer', bool: 'a boolean', string: 'a string', ints: 'an array of integers' };

function typeOf(v: XmlRpcValue): string {
  if (v === null) return 'nil';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'bigint') return 'an i8';
  if (v instanceof Date) return 'a date';
  if (Buffer.isBuffer(v)) return 'base64 data';
  return typeof v === 'object' ? 'a struct' : `a ${typeof v}`;
}

/**
 * Defines an authenticated API method: checks the session and every parameter's type (a wrong or
 * missing one is RPC_API, naming the parameter), then runs `fn`. OneErrors get the `[method]` prefix
 * OpenNebula's messages carry.
 */
export function method<const P extends readonly Param[]>(
  core: Core,
  name: string,
  params: P,
  fn: (who: Requester, ...args: Args<P>) => Promise<XmlRpcValue> | XmlRpcValue,
): [string, MethodHandler] {
  const handler = async (values: XmlRpcValue[], ctx: CallContext): Promise<XmlRpcValue> => {
    try {
      const session = values[0];
      if (typeof session !== 'string') throw new OneError(ErrorCode.XML_RPC_API, 'The first parameter must be the session string "user:password".');
      const args = params.map((p, i) => {
        const v = values[i + 1];
        if (v === undefined) {
          if (p.default !== undefined) return p.default;
          throw new OneError(ErrorCode.XML_RPC_API, `Missing parameter ${i + 2} (${p.name}): ${name} takes ${params.length + 1} parameters.`);
        }
        const read = READERS[p.kind](v);
        if (read === undefined) throw new OneError(ErrorCode.XML_RPC_API, `Parameter ${i + 2} (${p.name}) must be ${TYPE_NAME[p.kind]}, got ${typeOf(v)}.`);
        return read;
      }) as Args<P>;
      const who = { ...(await authenticate(core.store, session)), reqId: ctx.reqId };
      ctx.uid = who.uid;
      return await fn(who, ...args);
    } catch (e) {
      if (e instanceof OneError) throw new OneError(e.code, `[${name}] ${e.message}`, e.objectId);
      throw e;
    }
  };
  return [name, handler];
}
