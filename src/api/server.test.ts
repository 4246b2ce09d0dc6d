import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, OneError } from '../domain/errors.js';
import { startApiServer, type ApiServer, type MethodTable } from './server.js';
import { decodeResponse, encodeCall, XmlRpcFault } from './xmlrpc/codec.js';
import type { XmlRpcValue } from './xmlrpc/values.js';

const logLines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    for (const line of chunk.toString().split('\n')) if (line) logLines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  },
});

const methods: MethodTable = {
  'one.test.echo': (params) => params,
  'one.test.whoami': (_params, ctx) => {
    ctx.uid = 5;
    return ctx.remoteAddress;
  },
  'one.test.missing': () => {
    throw new OneError(ErrorCode.NO_EXISTS, '[one.test.missing] Error getting VM [3].', 3);
  },
  'one.test.bug': async () => {
    throw new TypeError('x is undefined');
  },
};

let server: ApiServer;
let url: string;

beforeAll(async () => {
  server = await startApiServer({ host: '127.0.0.1', port: 0, maxBodyBytes: 4096, methods, logger: pino(sink) });
  url = `http://127.0.0.1:${server.address.port}`;
});

afterAll(() => server.close());

async function post(body: string, contentType?: string): Promise<{ status: number; type: string | null; text: string }> {
  const headers: Record<string, string> = contentType ? { 'content-type': contentType } : {};
  const res = await fetch(`${url}/RPC2`, { method: 'POST', body, headers });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

async function rpc(method: string, params: XmlRpcValue[], contentType = 'text/xml'): Promise<XmlRpcValue> {
  const res = await post(encodeCall(method, params), contentType);
  expect(res.status).toBe(200);
  expect(res.type).toMatch(/^text\/xml/);
  return decodeResponse(res.text);
}

async function fault(body: string): Promise<XmlRpcFault> {
  const res = await post(body, 'text/xml');
  expect(res.status).toBe(200);
  try {
    decodeResponse(res.text);
  } catch (e) {
    if (e instanceof XmlRpcFault) return e;
    throw e;
  }
  throw new Error(`expected a fault, got ${res.text}`);
}

describe('POST /RPC2', () => {
  it('wraps a handler value into [true, value, 0]', async () => {
    expect(await rpc('one.test.echo', ['s:p', 7, 'x\r\n'])).toEqual([true, ['s:p', 7, 'x\r\n'], 0]);
  });

  it('reads the body whatever the content type says, or without one', async () => {
    expect(await rpc('one.test.echo', [1], 'application/json')).toEqual([true, [1], 0]);
    const res = await fetch(`${url}/RPC2`, { method: 'POST', body: Buffer.from(encodeCall('one.test.echo', [2])) });
    expect(decodeResponse(await res.text())).toEqual([true, [2], 0]);
  });

  it('turns a OneError into the five-element failure array', async () => {
    expect(await rpc('one.test.missing', [])).toEqual([false, '[one.test.missing] Error getting VM [3].', 0x400, 3, 0n]);
  });

  it('answers an unexpected exception as an INTERNAL failure', async () => {
    const res = (await rpc('one.test.bug', [])) as XmlRpcValue[];
    expect(res[0]).toBe(false);
    expect(res[1]).toMatch(/\[one\.test\.bug\] Internal error: x is undefined/);
    expect(res[2]).toBe(ErrorCode.INTERNAL);
  });

  it('gives handlers the caller address and logs one line per call with the uid they set', async () => {
    expect(await rpc('one.test.whoami', [])).toEqual([true, '127.0.0.1', 0]);
    const line = logLines.find((l) => l.method === 'one.test.whoami');
    expect(line).toMatchObject({ msg: 'xml-rpc call', outcome: 'ok', uid: 5, remote: '127.0.0.1' });
    expect(typeof line?.ms).toBe('number');
    expect(logLines.filter((l) => l.method === 'one.test.whoami')).toHaveLength(1);
  });

  it('answers an unknown method with a fault naming it', async () => {
    const f = await fault(encodeCall('one.vm.nope', []));
    expect(f.code).toBe(-32601);
    expect(f.faultString).toContain("'one.vm.nope'");
  });

  it('does not take inherited object properties for methods', async () => {
    expect((await fault(encodeCall('toString', []))).code).toBe(-32601);
    expect((await fault(encodeCall('__proto__', []))).code).toBe(-32601);
  });

  it('answers malformed XML with a parse-error fault', async () => {
    const f = await fault('<methodCall><methodName>one.test.echo</methodName><params>');
    expect(f.code).toBe(-32700);
    expect(f.faultString).toMatch(/not a valid XML-RPC call: malformed XML/);
  });

  it('answers well-formed XML that is not a call with an invalid-request fault', async () => {
    const f = await fault('<methodResponse/>');
    expect(f.code).toBe(-32600);
  });

  it('answers an oversized body with a fault stating the limit, not a bare 413', async () => {
    const f = await fault(encodeCall('one.test.echo', ['x'.repeat(10_000)]));
    expect(f.code).toBe(-32600);
    expect(f.faultString).toMatch(/larger than the server's limit of 4096 bytes/);
  });

  it('keeps the connection usable after an oversized body', async () => {
    await fault(encodeCall('one.test.echo', ['x'.repeat(10_000)]));
    expect(await rpc('one.test.echo', [1])).toEqual([true, [1], 0]);
  });
});

describe('GET /', () => {
  it('says what the endpoint is', async () => {
    const res = await fetch(`${url}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/XML-RPC endpoint.*\/RPC2/);
  });
});
