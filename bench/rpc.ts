import { Agent, request } from 'node:http';
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

/** Connections are kept and reused, as OpenNebula's clients do. */
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/**
 * Posts one XML-RPC call and reads the whole answer as bytes, without decoding it into a string: the
 * benchmark measures the daemon, and decoding a pool of 20,000 VMs (60 MB) here would load the machine
 * the daemon runs on. The size reported is in bytes.
 */
export function postCall(endpoint: string, session: string, method: string, params: XmlRpcValue[], timeoutMs: number): Promise<CallOutcome> {
  const body = encodeCall(method, [session, ...params]);
  return new Promise((resolve) => {
    const fail = (e: Error) => resolve({ ok: false, chars: 0, error: `${method}: ${e.message}` });
    const req = request(endpoint, { method: 'POST', agent, headers: { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let head = '';
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (head.length < 300) head += chunk.subarray(0, 300).toString('latin1');
        size += chunk.length;
      });
      res.on('error', fail);
      res.on('end', () => {
        if (SUCCESS_HEAD.test(head)) resolve({ ok: true, chars: size });
        else resolve({ ok: false, chars: size, error: `${method}: HTTP ${res.statusCode} ${head.slice(0, 300)}` });
      });
    });
    req.on('error', fail);
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.end(body);
  });
}
