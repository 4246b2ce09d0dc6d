import { Agent, request } from 'node:http';
import { encodeCall } from '../src/api/xmlrpc/codec.js';
import type { XmlRpcValue } from '../src/api/xmlrpc/values.js';

/** What one timed call gave: whether OpenNebula's answer said success, and the body's length. */
export interface CallOutcome {
  ok: boolean;
  bytes: number;
  /** The failure's text when not ok, for the report. */
  error?: string;
}

// A success is `[true, value, 0]`: its first member comes first in the document, so the head tells.
const SUCCESS_HEAD = /<array><data><value><boolean>1<\/boolean>/;
const HEAD_BYTES = 400;

// Connections are kept and reused, as OpenNebula's clients do; as many as the open loop needs at once.
const agent = new Agent({ keepAlive: true, maxSockets: Infinity });

/**
 * Posts one XML-RPC call and reads its whole answer, keeping only the first bytes: the benchmark measures
 * the daemon, and decoding 60 MB pool listings here would load the two cores the daemon runs on.
 */
export function postCall(endpoint: string, session: string, method: string, params: XmlRpcValue[], timeoutMs: number): Promise<CallOutcome> {
  const body = Buffer.from(encodeCall(method, [session, ...params]));
  return new Promise((resolve) => {
    const fail = (error: string) => resolve({ ok: false, bytes: 0, error: `${method}: ${error}` });
    const req = request(endpoint, { method: 'POST', agent, headers: { 'content-type': 'text/xml', 'content-length': body.length } }, (res) => {
      let head = '';
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        if (head.length < HEAD_BYTES) head += chunk.subarray(0, HEAD_BYTES).toString('latin1');
        bytes += chunk.length;
      });
      res.on('end', () => {
        if (res.statusCode === 200 && SUCCESS_HEAD.test(head)) resolve({ ok: true, bytes });
        else fail(`HTTP ${res.statusCode} ${head.slice(0, 300)}`);
      });
      res.on('error', (e) => fail(e.message));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    req.on('error', (e) => fail(e.message));
    req.end(body);
  });
}
