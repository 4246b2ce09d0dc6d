import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_QMP_TIMEOUTS,
  QmpClosedError,
  QmpConnection,
  QmpError,
  QmpTimeoutError,
  connectUnix,
  timeoutFor,
} from './connection.js';
import { FakeQmpServer, duplexPair } from './fake-server.js';

const servers: FakeQmpServer[] = [];
function fake(options?: ConstructorParameters<typeof FakeQmpServer>[0]): FakeQmpServer {
  const server = new FakeQmpServer(options);
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('handshake', () => {
  it('reads the greeting and negotiates capabilities before anything else', async () => {
    const server = fake();
    const qmp = await QmpConnection.open(server.connect());
    expect(qmp.greeting?.version.qemu).toEqual({ major: 7, minor: 2, micro: 0 });
    expect(await qmp.execute('query-status')).toEqual({ status: 'running', singlestep: false, running: true });
    expect(server.calls.map((c) => c.command)).toEqual(['qmp_capabilities', 'query-status']);
  });

  it('gives up with advice when QEMU sends no greeting', async () => {
    const server = fake({ silent: true });
    const stream = server.connect();
    await expect(QmpConnection.open(stream, { handshakeTimeoutMs: 30 })).rejects.toThrow(
      'QEMU sent no QMP greeting within 30 ms. QEMU serves one monitor client at a time',
    );
    expect(stream.destroyed).toBe(true);
  });

  it('fails when the socket closes before the greeting', async () => {
    const [client, server] = duplexPair();
    const opening = QmpConnection.open(client);
    server.destroy();
    await expect(opening).rejects.toThrow('QEMU closed the monitor socket before its QMP greeting');
  });

  it('fails when QEMU refuses qmp_capabilities', async () => {
    const server = fake().answer('qmp_capabilities', { error: { class: 'GenericError', desc: 'no' } });
    await expect(QmpConnection.open(server.connect())).rejects.toThrow(QmpError);
  });
});

describe('execute', () => {
  it('matches answers to commands by id when several are in flight', async () => {
    const server = fake()
      .answer('query-balloon', { return: { actual: 1 }, delayMs: 30 })
      .answer('query-vnc', { return: { enabled: false } });
    const qmp = await QmpConnection.open(server.connect());
    const slow = qmp.execute('query-balloon');
    const fast = qmp.execute('query-vnc');
    const order: string[] = [];
    slow.then(() => order.push('slow'));
    fast.then(() => order.push('fast'));
    expect(await Promise.all([slow, fast])).toEqual([{ actual: 1 }, { enabled: false }]);
    expect(order).toEqual(['fast', 'slow']);
  });

  it('sends arguments only when given', async () => {
    const server = fake().answer('device_del', {});
    const qmp = await QmpConnection.open(server.connect());
    await qmp.execute('device_del', { id: 'disk1' });
    await qmp.execute('query-status');
    expect(server.calls.slice(1).map(({ command, args }) => ({ command, args }))).toEqual([
      { command: 'device_del', args: { id: 'disk1' } },
      { command: 'query-status', args: undefined },
    ]);
  });

  it('rejects with QEMU\'s error class and description, naming the command', async () => {
    const qmp = await QmpConnection.open(fake().connect());
    const error = await qmp.execute('nope').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QmpError);
    expect(error).toMatchObject({ command: 'nope', errorClass: 'CommandNotFound' });
    expect((error as Error).message).toBe(
      'QEMU refused QMP command nope: The command nope has not been found (CommandNotFound)',
    );
  });

  it('times out a command QEMU never answers, and ignores the late answer', async () => {
    let answerLate = (): void => {};
    const server = fake().answer('query-balloon', (call) => {
      answerLate = () => server.sendRaw(`{"return": {"actual": 5}, "id": ${JSON.stringify(call.id)}}\n`);
      return { never: true };
    });
    const qmp = await QmpConnection.open(server.connect());
    const error = await qmp.execute('query-balloon', undefined, 20).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QmpTimeoutError);
    expect((error as Error).message).toContain('query-balloon got no answer from QEMU within 20 ms');
    answerLate();
    expect(await qmp.execute('query-status')).toMatchObject({ running: true });
  });

  it('applies the configured timeouts when none is given', async () => {
    const server = fake().answer('device_add', { never: true });
    const qmp = await QmpConnection.open(server.connect(), { timeouts: { commands: { device_add: 15 } } });
    await expect(qmp.execute('device_add', { driver: 'x', id: 'y' })).rejects.toThrow('within 15 ms');
  });
});

describe('timeoutFor', () => {
  it.each([
    ['query-status', undefined, 5_000],
    ['device_add', { driver: 'virtio-blk-pci' }, 60_000],
    ['blockdev-add', {}, 60_000],
    ['netdev_add', {}, 60_000],
    ['quit', undefined, 60_000],
    ['human-monitor-command', { 'command-line': 'savevm snap-1' }, 600_000],
    ['human-monitor-command', { 'command-line': '  loadvm snap-1' }, 600_000],
    ['human-monitor-command', { 'command-line': 'info status' }, 5_000],
  ])('gives %s %j %i ms by default', (command, args, expected) => {
    expect(timeoutFor(DEFAULT_QMP_TIMEOUTS, command, args)).toBe(expected);
  });
});

describe('events', () => {
  it('delivers events with their data, before the answer that follows them', async () => {
    const server = fake();
    const qmp = await QmpConnection.open(server.connect());
    const seen: string[] = [];
    qmp.on('event', (name, data) => seen.push(`${name} ${JSON.stringify(data)}`));
    await qmp.execute('stop').then(() => seen.push('answer'));
    server.emit('DEVICE_DELETED', { device: 'nic1', path: '/machine/peripheral/nic1' });
    await tick();
    expect(seen).toEqual(['STOP {}', 'answer', 'DEVICE_DELETED {"device":"nic1","path":"/machine/peripheral/nic1"}']);
  });
});

describe('closing', () => {
  it('rejects every pending command when QEMU closes the socket, then fails new ones at once', async () => {
    const server = fake().answer('query-balloon', { never: true }).answer('query-vnc', { never: true });
    const qmp = await QmpConnection.open(server.connect());
    const pending = [qmp.execute('query-balloon'), qmp.execute('query-vnc')];
    await server.nextCall('query-vnc');
    let closeEvents = 0;
    qmp.on('close', () => closeEvents++);
    server.dropConnections();
    const errors = await Promise.all(pending.map((p) => p.catch((e: unknown) => e)));
    for (const error of errors) expect(error).toBeInstanceOf(QmpClosedError);
    expect((errors[0] as Error).message).toBe(
      'QEMU closed the monitor socket before answering query-balloon; it has probably exited.',
    );
    await qmp.closed;
    expect(qmp.isClosed).toBe(true);
    expect(closeEvents).toBe(1);
    await expect(qmp.execute('query-status')).rejects.toThrow(QmpClosedError);
  });

  it('treats QEMU ending the stream after quit as a close', async () => {
    const qmp = await QmpConnection.open(fake().connect());
    await qmp.execute('quit');
    await qmp.closed;
    expect(qmp.isClosed).toBe(true);
  });

  it('treats a stream error (a reset socket) as a close', async () => {
    const server = fake().answer('query-balloon', { never: true });
    const stream = server.connect();
    const qmp = await QmpConnection.open(stream);
    const pending = qmp.execute('query-balloon');
    stream.destroy(new Error('read ECONNRESET'));
    await expect(pending).rejects.toThrow(QmpClosedError);
  });

  it('closes from our side without waiting for QEMU', async () => {
    const server = fake();
    const qmp = await QmpConnection.open(server.connect());
    qmp.close();
    await qmp.closed;
    await tick();
    expect(server.connectionCount).toBe(0);
  });
});

describe('reading the stream', () => {
  /** A connection driven by hand: the test writes QEMU's side byte by byte. */
  async function manual(): Promise<{ qmp: QmpConnection; qemu: Duplex; sent: () => Array<{ id: number }> }> {
    const [client, qemu] = duplexPair();
    const lines: string[] = [];
    qemu.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
    const opening = QmpConnection.open(client);
    qemu.write('{"QMP": {"version": {"qemu": {"micro": 0, "minor": 2, "major": 7}, "package": ""}, ');
    await tick();
    qemu.write('"capabilities": []}}\n');
    await tick();
    qemu.write('{"return": {}, "id": 1}\n');
    const qmp = await opening;
    return { qmp, qemu, sent: () => lines.map((l) => JSON.parse(l)) };
  }

  it('joins a message split across chunks, even inside a UTF-8 character', async () => {
    const { qmp, qemu } = await manual();
    const answer = qmp.execute('human-monitor-command', { 'command-line': 'info name' });
    const bytes = Buffer.from('{"return": "vm-é-€", "id": 2}\n');
    const split = bytes.indexOf(Buffer.from('€')) + 1;
    for (const part of [bytes.subarray(0, 5), bytes.subarray(5, split), bytes.subarray(split)]) {
      qemu.write(part);
      await tick();
    }
    expect(await answer).toBe('vm-é-€');
  });

  it('reads several messages from one chunk, CRLF-terminated like QEMU\'s', async () => {
    const { qmp, qemu, sent } = await manual();
    const events: string[] = [];
    qmp.on('event', (name) => events.push(name));
    const a = qmp.execute('stop');
    const b = qmp.execute('cont');
    await tick();
    expect(sent().map((m) => m.id)).toEqual([1, 2, 3]);
    qemu.write(
      '{"event": "STOP", "timestamp": {"seconds": 1, "microseconds": 2}}\r\n{"return": {}, "id": 2}\r\n' +
        '{"event": "RESUME", "timestamp": {"seconds": 1, "microseconds": 3}}\r\n{"return": {"x": 1}, "id": 3}\r\n',
    );
    expect(await Promise.all([a, b])).toEqual([{}, { x: 1 }]);
    expect(events).toEqual(['STOP', 'RESUME']);
  });

  it('shows every line to the traffic hook', async () => {
    const server = fake();
    const traffic: string[] = [];
    const qmp = await QmpConnection.open(server.connect(), { onTraffic: (dir, line) => traffic.push(`${dir} ${line}`) });
    await qmp.execute('query-status');
    expect(traffic[0]).toMatch(/^in \{"QMP":/);
    expect(traffic.slice(1)).toEqual([
      'out {"execute":"qmp_capabilities","id":1}',
      'in {"return":{},"id":1}',
      'out {"execute":"query-status","id":2}',
      'in {"return":{"status":"running","singlestep":false,"running":true},"id":2}',
    ]);
  });
});

describe('connectUnix', () => {
  it('opens a local socket that QmpConnection can use', async () => {
    const server = fake();
    const path = await server.listen();
    const qmp = await QmpConnection.open(await connectUnix(path, 1000));
    expect(await qmp.execute('query-status')).toMatchObject({ status: 'running' });
    qmp.close();
  });

  it('says which socket is missing and what to check', async () => {
    await expect(connectUnix('/nonexistent/qmp.sock', 1000)).rejects.toThrow(
      /cannot connect to the QMP socket \/nonexistent\/qmp\.sock: .*ENOENT.*Check that QEMU is running/,
    );
  });
});
