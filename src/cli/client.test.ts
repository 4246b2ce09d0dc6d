import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCall, encodeFault, encodeResponse } from '../api/xmlrpc/codec.js';
import { i8, type XmlRpcValue } from '../api/xmlrpc/values.js';
import { OneClient } from './client.js';
import { CliError, OneApiError } from './errors.js';

/** A tiny oned stand-in: answers each call from `answer`, remembers what it was sent. */
let server: Server;
let endpoint: string;
const received: { method: string; params: XmlRpcValue[]; contentType?: string }[] = [];
let answer: (method: string, params: XmlRpcValue[]) => { status?: number; body: string } = () => ({ body: '' });

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const call = decodeCall(body);
      received.push({ ...call, contentType: req.headers['content-type'] });
      const a = answer(call.method, call.params);
      res.writeHead(a.status ?? 200, { 'Content-Type': 'text/xml' });
      res.end(a.body);
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/RPC2`;
});

afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

describe('OneClient', () => {
  it('sends the session first and returns the value of [true, value, 0]', async () => {
    answer = () => ({ body: encodeResponse([true, '<VM_POOL/>', 0]) });
    const client = new OneClient({ endpoint, auth: 'oneadmin:secret', env: {} });
    await expect(client.call('one.vmpool.info', -2, -1, -1, -1)).resolves.toBe('<VM_POOL/>');
    expect(received.at(-1)).toEqual({
      method: 'one.vmpool.info',
      params: ['oneadmin:secret', -2, -1, -1, -1],
      contentType: 'text/xml',
    });
  });

  it('turns [false, message, code, id, index] into an error carrying the message', async () => {
    const msg = '[one.vm.action] Error performing action "suspend": This action is not available for state PENDING';
    answer = () => ({ body: encodeResponse([false, msg, 0x800, 7, i8(0)]) });
    const err = await new OneClient({ endpoint, auth: 'a:b', env: {} }).call('one.vm.action', 'suspend', 7).catch((e) => e);
    expect(err).toBeInstanceOf(OneApiError);
    expect(err).toMatchObject({ message: msg, code: 0x800, objectId: 7 });
  });

  it('reports a fault with the method name', async () => {
    answer = () => ({ body: encodeFault(-501, 'Method not found') });
    const err = await new OneClient({ endpoint, auth: 'a:b', env: {} }).call('one.nope').catch((e) => e);
    expect(err).toBeInstanceOf(OneApiError);
    expect(err.message).toBe('[one.nope] Method not found');
  });

  it('says when the endpoint does not speak HTTP 200 XML-RPC', async () => {
    answer = () => ({ status: 404, body: 'no' });
    await expect(new OneClient({ endpoint, auth: 'a:b', env: {} }).call('one.vm.info', 1)).rejects.toThrow(
      /answered one.vm.info with HTTP 404/,
    );
    answer = () => ({ body: '<html/>' });
    await expect(new OneClient({ endpoint, auth: 'a:b', env: {} }).call('one.vm.info', 1)).rejects.toThrow(/not XML-RPC/);
  });

  it('takes the endpoint from ONE_XMLRPC and the session from the ONE_AUTH file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'one-auth-'));
    writeFileSync(join(dir, 'auth'), 'alice:pw123\nignored second line\n');
    answer = () => ({ body: encodeResponse([true, 5, 0]) });
    const client = new OneClient({ env: { ONE_XMLRPC: endpoint, ONE_AUTH: join(dir, 'auth'), HOME: dir } });
    expect(client.endpoint).toBe(endpoint);
    await expect(client.call('one.vm.allocate', 'CPU=1', false)).resolves.toBe(5);
    expect(received.at(-1)?.params[0]).toBe('alice:pw123');
  });

  it('gives up after ONE_XMLRPC_TIMEOUT seconds', async () => {
    answer = () => ({ body: encodeResponse([true, 1, 0]) });
    const silent = createServer(() => {});
    await new Promise<void>((ok) => silent.listen(0, '127.0.0.1', ok));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/RPC2`;
    const client = new OneClient({ endpoint: url, auth: 'a:b', env: { ONE_XMLRPC_TIMEOUT: '0.2' } });
    await expect(client.call('one.vm.info', 0)).rejects.toThrow(`No answer to one.vm.info from ${url} within 0.2 s`);
    silent.closeAllConnections();
    await new Promise<void>((ok) => silent.close(() => ok()));
  });

  it('names the endpoint it could not reach', async () => {
    const closed = createServer();
    await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', ok));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((ok) => closed.close(() => ok()));
    const url = `http://127.0.0.1:${port}/RPC2`;
    const err = await new OneClient({ endpoint: url, auth: 'a:b', env: {} }).call('one.vm.info', 0).catch((e) => e);
    expect(err).toBeInstanceOf(CliError);
    expect(err.message).toBe(
      `Could not connect to the OpenNebula daemon at ${url} (connection refused). ` +
        'Check that oned is running there, or set ONE_XMLRPC or --endpoint to its address.',
    );
  });
});
