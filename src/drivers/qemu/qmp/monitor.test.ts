import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { deviceDel, quit, status, stop } from './commands.js';
import { QmpClosedError, connectUnix } from './connection.js';
import { FakeQmpServer, duplexPair } from './fake-server.js';
import { MonitorRegistry, VmMonitor, type VmEvents } from './monitor.js';

let server: FakeQmpServer;
afterEach(() => server.close());

/** A monitor on a fresh fake, counting how often it connects. */
function monitorOnFake(): { monitor: VmMonitor; connects: () => number } {
  server = new FakeQmpServer();
  let count = 0;
  const monitor = new VmMonitor(async () => {
    count++;
    return server.connect();
  });
  return { monitor, connects: () => count };
}

describe('connecting', () => {
  it('connects on first use only, once for callers at the same moment', async () => {
    const { monitor, connects } = monitorOnFake();
    expect(connects()).toBe(0);
    expect(monitor.isConnected).toBe(false);
    const [a, b] = await Promise.all([monitor.run(status), monitor.run(status)]);
    expect(a).toEqual({ running: true, status: 'running' });
    expect(b).toEqual(a);
    expect(connects()).toBe(1);
    expect(server.connectionCount).toBe(1);
    expect(monitor.isConnected).toBe(true);
  });

  it('connects again on the next call after QEMU closed the socket', async () => {
    const { monitor, connects } = monitorOnFake();
    await monitor.run(quit);
    await monitor.closed;
    expect(monitor.isConnected).toBe(false);
    expect(await monitor.run(status)).toMatchObject({ running: true });
    expect(connects()).toBe(2);
  });

  it('connects again after our own disconnect', async () => {
    const { monitor, connects } = monitorOnFake();
    await monitor.run(status);
    monitor.disconnect();
    await monitor.run(status);
    expect(connects()).toBe(2);
  });

  it('reports a failed connect and retries on the next call', async () => {
    server = new FakeQmpServer();
    const path = await server.listen();
    let attempts = 0;
    const monitor = new VmMonitor(() => connectUnix(attempts++ === 0 ? `${path}.missing` : path, 1000));
    await expect(monitor.run(status)).rejects.toThrow('cannot connect to the QMP socket');
    expect(await monitor.run(status)).toMatchObject({ running: true });
    monitor.disconnect();
  });

  it('reports a failed handshake and retries on the next call', async () => {
    const silent = new FakeQmpServer({ silent: true });
    server = new FakeQmpServer();
    let attempts = 0;
    const monitor = new VmMonitor(async () => (attempts++ === 0 ? silent : server).connect(), { handshakeTimeoutMs: 20 });
    await expect(monitor.run(status)).rejects.toThrow('QEMU sent no QMP greeting');
    expect(await monitor.run(status)).toMatchObject({ running: true });
    await silent.close();
  });

  it('shows QMP traffic to the hook', async () => {
    server = new FakeQmpServer();
    const lines: string[] = [];
    const monitor = new VmMonitor(async () => server.connect(), { onTraffic: (dir, line) => lines.push(`${dir} ${line}`) });
    await monitor.run(status);
    expect(lines).toContain('out {"execute":"query-status","id":2}');
  });
});

describe('events', () => {
  it('emits typed events and every event under "event"', async () => {
    const { monitor } = monitorOnFake();
    const shutdowns: Array<VmEvents['SHUTDOWN']> = [];
    const all: string[] = [];
    monitor.on('SHUTDOWN', (data) => shutdowns.push(data));
    monitor.on('event', (name) => all.push(name));
    await monitor.ensure();
    const shutdown = monitor.waitFor('SHUTDOWN');
    server.emit('MIGRATION_PASS', { pass: 1 });
    server.emit('SHUTDOWN', { guest: true, reason: 'guest-shutdown' });
    await shutdown;
    expect(shutdowns).toEqual([{ guest: true, reason: 'guest-shutdown' }]);
    expect(all).toEqual(['MIGRATION_PASS', 'SHUTDOWN']);
  });

  it('does not lose an event that arrives right behind the capabilities answer', async () => {
    const [client, qemu] = duplexPair();
    const monitor = new VmMonitor(async () => client);
    const resets: Array<VmEvents['RESET']> = [];
    monitor.on('RESET', (data) => resets.push(data));
    qemu.once('data', () =>
      qemu.write('{"return": {}, "id": 1}\n{"event": "RESET", "data": {"guest": true, "reason": "guest-reset"}}\n'),
    );
    const connected = monitor.ensure();
    await new Promise((resolve) => setImmediate(resolve));
    qemu.write('{"QMP": {"version": {"qemu": {"micro": 0, "minor": 2, "major": 7}, "package": ""}, "capabilities": []}}\n');
    await connected;
    expect(resets).toEqual([{ guest: true, reason: 'guest-reset' }]);
  });

  it('waitFor skips events the predicate rejects', async () => {
    const { monitor } = monitorOnFake();
    await monitor.ensure();
    const deleted = monitor.waitFor('DEVICE_DELETED', (e) => e.device === 'disk1', 1000);
    server.emit('DEVICE_DELETED', { path: '/machine/peripheral/disk1/virtio-backend' });
    server.emit('DEVICE_DELETED', { device: 'nic0', path: '/machine/peripheral/nic0' });
    server.emit('DEVICE_DELETED', { device: 'disk1', path: '/machine/peripheral/disk1' });
    expect(await deleted).toEqual({ device: 'disk1', path: '/machine/peripheral/disk1' });
  });

  it('runAndWait catches an event sent before the command\'s answer', async () => {
    const { monitor } = monitorOnFake();
    expect(await monitor.runAndWait('STOP', () => true, 1000, stop)).toEqual({});
    expect(await monitor.run(status)).toEqual({ running: false, status: 'paused' });
  });

  it('runAndWait catches an event sent after the answer', async () => {
    const { monitor } = monitorOnFake();
    server.answer('device_del', (call) => {
      setTimeout(() => server.emit('DEVICE_DELETED', { device: String(call.args?.id), path: '/p' }), 10);
      return {};
    });
    const event = await monitor.runAndWait('DEVICE_DELETED', (e) => e.device === 'nic1', 1000, (q) => deviceDel(q, 'nic1'));
    expect(event.device).toBe('nic1');
  });

  it('runAndWait reports the command\'s error and stops watching', async () => {
    const { monitor } = monitorOnFake();
    server.answer('device_del', { error: { class: 'DeviceNotFound', desc: "Device 'nic9' not found" } });
    await expect(
      monitor.runAndWait('DEVICE_DELETED', () => true, 1000, (q) => deviceDel(q, 'nic9')),
    ).rejects.toThrow("Device 'nic9' not found");
    expect(monitor.listenerCount('event')).toBe(0);
  });

  it('runAndWait reports QEMU exiting during the command once, as the command\'s error', async () => {
    const { monitor } = monitorOnFake();
    server.answer('device_del', { never: true });
    const running = monitor.runAndWait('DEVICE_DELETED', () => true, 1000, (q) => deviceDel(q, 'nic1'));
    await server.nextCall('device_del');
    server.dropConnections();
    await expect(running).rejects.toThrow(QmpClosedError);
  });

  it('waitFor times out with the event\'s name', async () => {
    const { monitor } = monitorOnFake();
    await monitor.ensure();
    await expect(monitor.waitFor('SHUTDOWN', () => true, 20)).rejects.toThrow(
      'QEMU sent no matching SHUTDOWN event within 20 ms.',
    );
    expect(monitor.listenerCount('event')).toBe(0);
  });

  it('waitFor fails when QEMU closes the socket first', async () => {
    const { monitor } = monitorOnFake();
    await monitor.ensure();
    const waiting = monitor.waitFor('DEVICE_DELETED', () => true, 1000);
    server.dropConnections();
    await expect(waiting).rejects.toThrow('QEMU closed the monitor socket before sending DEVICE_DELETED');
  });

  it('SHUTDOWN from quit arrives, then the socket closes', async () => {
    const { monitor } = monitorOnFake();
    const event = await monitor.runAndWait('SHUTDOWN', () => true, 1000, quit);
    expect(event).toEqual({ guest: false, reason: 'host-qmp-quit' });
    expect(await monitor.waitClosed(1000)).toBe(true);
  });
});

describe('closed', () => {
  it('is resolved while no connection is open', async () => {
    const { monitor } = monitorOnFake();
    await expect(monitor.closed).resolves.toBeUndefined();
  });

  it('waitClosed is false while the socket stays open', async () => {
    const { monitor } = monitorOnFake();
    await monitor.ensure();
    expect(await monitor.waitClosed(20)).toBe(false);
  });

  it('emits disconnect when QEMU exits', async () => {
    const { monitor } = monitorOnFake();
    await monitor.ensure();
    const disconnected = new Promise<void>((resolve) => monitor.once('disconnect', resolve));
    server.dropConnections();
    await disconnected;
    expect(monitor.isConnected).toBe(false);
  });
});

describe('MonitorRegistry', () => {
  it('keeps one monitor per deploy id until forgotten', async () => {
    server = new FakeQmpServer();
    const logs: string[] = [];
    const registry = new MonitorRegistry((deployId) => ({ onTraffic: (dir) => logs.push(`${deployId} ${dir}`) }));
    const connector = async (): Promise<Duplex> => server.connect();
    const first = registry.get('one-7', connector);
    expect(registry.get('one-7', connector)).toBe(first);
    expect(registry.get('one-8', connector)).not.toBe(first);
    expect(registry.find('one-9')).toBeUndefined();

    await first.run(status);
    expect(logs).toContain('one-7 out');
    registry.forget('one-7');
    expect(first.isConnected).toBe(false);
    expect(registry.find('one-7')).toBeUndefined();
    expect(registry.get('one-7', connector)).not.toBe(first);

    registry.forgetAll();
    expect(registry.find('one-7')).toBeUndefined();
    expect(registry.find('one-8')).toBeUndefined();
  });

  it('hands every new monitor to onCreate listeners, which then hear its events', async () => {
    server = new FakeQmpServer();
    const registry = new MonitorRegistry();
    const heard: string[] = [];
    registry.onCreate((m) => m.on('SHUTDOWN', (e) => heard.push(e.reason)));
    const monitor = registry.get('one-3', async () => server.connect());
    registry.get('one-3', async () => server.connect());
    await monitor.run(status);
    server.emit('SHUTDOWN', { guest: true, reason: 'guest-shutdown' });
    await vi.waitFor(() => expect(heard).toEqual(['guest-shutdown']));
  });
});
