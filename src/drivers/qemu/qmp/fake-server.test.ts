import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { QmpConnection } from './connection.js';
import { FakeQmpServer, duplexPair } from './fake-server.js';

let server: FakeQmpServer;
afterEach(() => server.close());

/** Sends raw lines and collects what the fake answers, to check it speaks QMP as QEMU does. */
function rawClient(stream: Duplex): { send: (line: string) => void; next: () => Promise<Record<string, unknown>> } {
  const queue: string[] = [];
  const waiting: Array<(line: string) => void> = [];
  createInterface({ input: stream }).on('line', (line) => {
    const waiter = waiting.shift();
    if (waiter) waiter(line);
    else queue.push(line);
  });
  return {
    send: (line) => stream.write(`${line}\n`),
    next: async () => JSON.parse(queue.shift() ?? (await new Promise<string>((resolve) => waiting.push(resolve)))),
  };
}

describe('FakeQmpServer', () => {
  it('greets, insists on capabilities negotiation, and echoes ids', async () => {
    server = new FakeQmpServer();
    const client = rawClient(server.connect());
    expect(await client.next()).toHaveProperty('QMP.version.qemu.major', 7);
    client.send('{"execute": "query-status", "id": "a"}');
    expect(await client.next()).toEqual({
      error: { class: 'CommandNotFound', desc: "Expecting capabilities negotiation with 'qmp_capabilities'" },
      id: 'a',
    });
    client.send('{"execute": "qmp_capabilities"}');
    expect(await client.next()).toEqual({ return: {} });
    client.send('{"execute": "frobnicate", "id": 3}');
    expect(await client.next()).toEqual({
      error: { class: 'CommandNotFound', desc: 'The command frobnicate has not been found' },
      id: 3,
    });
    client.send('not json');
    expect(await client.next()).toMatchObject({ error: { class: 'GenericError' } });
  });

  it('tracks the run state through stop and cont', async () => {
    server = new FakeQmpServer();
    const qmp = await QmpConnection.open(server.connect());
    await qmp.execute('stop');
    expect(await qmp.execute('query-status')).toEqual({ status: 'paused', singlestep: false, running: false });
    await qmp.execute('cont');
    expect(server.status).toBe('running');
  });

  it('computes answers from the call and delays them', async () => {
    server = new FakeQmpServer().answer('balloon', (call) => ({ return: { asked: call.args?.value }, delayMs: 20 }));
    const qmp = await QmpConnection.open(server.connect());
    const answers: unknown[] = [];
    await Promise.all([
      qmp.execute('balloon', { value: 5 }).then((a) => answers.push(a)),
      qmp.execute('query-status').then(() => answers.push('status')),
    ]);
    expect(answers).toEqual(['status', { asked: 5 }]);
  });

  it('nextCall hands out each call once, whether it came before or after the ask', async () => {
    server = new FakeQmpServer().answer('device_del', {});
    const qmp = await QmpConnection.open(server.connect());
    await qmp.execute('device_del', { id: 'a' });
    expect((await server.nextCall('device_del')).args).toEqual({ id: 'a' });
    const next = server.nextCall('device_del');
    await qmp.execute('device_del', { id: 'b' });
    expect((await next).args).toEqual({ id: 'b' });
  });

  it('listens on a unix socket in a temporary directory it removes on close', async () => {
    server = new FakeQmpServer();
    const path = await server.listen();
    expect(existsSync(path)).toBe(true);
    await server.close();
    expect(existsSync(dirname(path))).toBe(false);
  });
});

describe('duplexPair', () => {
  it('carries bytes both ways, and ending or destroying one side reaches the other', async () => {
    const [a, b] = duplexPair();
    const received: string[] = [];
    b.on('data', (chunk: Buffer) => received.push(chunk.toString()));
    a.write('hello');
    a.end();
    await new Promise((resolve) => b.once('end', resolve));
    expect(received).toEqual(['hello']);

    const [c, d] = duplexPair();
    c.destroy();
    await new Promise((resolve) => d.once('close', resolve));
    expect(d.destroyed).toBe(true);
  });
});
