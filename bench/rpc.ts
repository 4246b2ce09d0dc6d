import { encodeCall } from '../src/api/xmlrpc/codec.js';
import type { XmlRpcValue } from '../src/api/xmlrpc/values.js';

/** What one timed call gave: whether OpenNebula's answer said success, and the body's length. */
export interface CallOutcome {
  ok: boolean;
  chars: number;
  /** The failure's text when not ok, for the report. */
  error?: string;
}

// A success is `[true, value, 0]`: its first member comes first in the document, so the head tells.
const SUCCESS_HEAD = /^[\s\S]{0,300}?<array><data><value><boolean>1<\/boolean>/;

/**
 * Posts one XML-RPC call and reads the whole answer, without decoding it: the benchmark measures the
 * daemon, and decoding a pool of 20,000 VMs here would load the machine the daemon runs on.
 */
export async function postCall(endpoint: string, session: string, method: string, params: XmlRpcValue[], timeoutMs: number): Promise<CallOutcome> {
  try {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: encodeCall(method, [session, ...params]),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await res.text();
    if (SUCCESS_HEAD.test(body)) return { ok: true, chars: body.length };
    return { ok: false, chars: body.length, error: `${method}: HTTP ${res.status} ${body.slice(0, 300)}` };
  } catch (e) {
    return { ok: false, chars: 0, error: `${method}: ${(e as Error).message}` };
  }
}
