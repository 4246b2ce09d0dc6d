import { afterEach, describe, expect, it } from 'vitest';
import {
  HmpError,
  balloon,
  blockResize,
  blockdevAdd,
  blockdevDel,
  cont,
  delvm,
  deviceAdd,
  deviceDel,
  humanMonitor,
  listSnapshots,
  loadvm,
  migrate,
  migrateCancel,
  migrateIncoming,
  migrateSetCapabilities,
  migrateSetParameters,
  netdevAdd,
  netdevDel,
  objectAdd,
  objectDel,
  powerdown,
  queryBalloon,
  queryBlock,
  queryBlockstats,
  queryCpusFast,
  queryHotpluggableCpus,
  queryMemorySizeSummary,
  queryMigrate,
  queryVnc,
  quit,
  reset,
  savevm,
  screendump,
  setPassword,
  status,
  stop,
} from './commands.js';
import {
  blockdevSnapshotDeleteInternalSync,
  blockdevSnapshotInternalSync,
  driveBackup,
  driveSnapshots,
  jobCancel,
  jobDismiss,
  queryJobs,
} from './disk-commands.js';
import { QmpConnection, QmpError } from './connection.js';
import { FakeQmpServer } from './fake-server.js';

let server: FakeQmpServer;
afterEach(() => server.close());

async function connect(scripts: Record<string, Parameters<FakeQmpServer['answer']>[1]> = {}): Promise<QmpConnection> {
  server = new FakeQmpServer();
  for (const [command, script] of Object.entries(scripts)) server.answer(command, script);
  return QmpConnection.open(server.connect());
}

/** What the fake received after the handshake, without ids. */
function sent(): Array<{ command: string; args?: Record<string, unknown> }> {
  return server.calls.slice(1).map(({ command, args }) => (args === undefined ? { command } : { command, args }));
}

describe('commands that only act', () => {
  it.each<[string, (qmp: QmpConnection) => Promise<void>, string, Record<string, unknown>?]>([
    ['powerdown', powerdown, 'system_powerdown'],
    ['reset', reset, 'system_reset'],
    ['stop', stop, 'stop'],
    ['cont', cont, 'cont'],
    ['migrate', (q) => migrate(q, 'tcp:10.0.0.2:49152'), 'migrate', { uri: 'tcp:10.0.0.2:49152' }],
    ['migrateCancel', migrateCancel, 'migrate_cancel'],
    ['migrateIncoming', (q) => migrateIncoming(q, 'tcp:0.0.0.0:49152'), 'migrate-incoming', { uri: 'tcp:0.0.0.0:49152' }],
    [
      'migrateSetCapabilities',
      (q) => migrateSetCapabilities(q, { events: true, 'auto-converge': false }),
      'migrate-set-capabilities',
      { capabilities: [{ capability: 'events', state: true }, { capability: 'auto-converge', state: false }] },
    ],
    [
      'migrateSetParameters',
      (q) => migrateSetParameters(q, { downtimeLimitMs: 500, maxBandwidthBytesPerSecond: 64 << 20 }),
      'migrate-set-parameters',
      { 'downtime-limit': 500, 'max-bandwidth': 64 << 20 },
    ],
    ['migrateSetParameters (one)', (q) => migrateSetParameters(q, { downtimeLimitMs: 300 }), 'migrate-set-parameters', { 'downtime-limit': 300 }],
    ['balloon', (q) => balloon(q, 256 << 20), 'balloon', { value: 256 << 20 }],
    [
      'deviceAdd',
      (q) => deviceAdd(q, { driver: 'virtio-blk-pci', id: 'disk1', drive: 'node-disk1' }),
      'device_add',
      { driver: 'virtio-blk-pci', id: 'disk1', drive: 'node-disk1' },
    ],
    ['deviceDel', (q) => deviceDel(q, 'disk1'), 'device_del', { id: 'disk1' }],
    [
      'blockdevAdd',
      (q) => blockdevAdd(q, { driver: 'qcow2', 'node-name': 'node-disk1', file: { driver: 'file', filename: '/d/1' } }),
      'blockdev-add',
      { driver: 'qcow2', 'node-name': 'node-disk1', file: { driver: 'file', filename: '/d/1' } },
    ],
    ['blockdevDel', (q) => blockdevDel(q, 'node-disk1'), 'blockdev-del', { 'node-name': 'node-disk1' }],
    ['netdevAdd', (q) => netdevAdd(q, { type: 'tap', id: 'net1', ifname: 'one-7-1' }), 'netdev_add', { type: 'tap', id: 'net1', ifname: 'one-7-1' }],
    ['netdevDel', (q) => netdevDel(q, 'net1'), 'netdev_del', { id: 'net1' }],
    [
      'objectAdd',
      (q) => objectAdd(q, { 'qom-type': 'memory-backend-ram', id: 'mem1', size: 1 << 30 }),
      'object-add',
      { 'qom-type': 'memory-backend-ram', id: 'mem1', size: 1 << 30 },
    ],
    ['objectDel', (q) => objectDel(q, 'mem1'), 'object-del', { id: 'mem1' }],
    ['blockResize (drive)', (q) => blockResize(q, { device: 'drive-disk0' }, 2 << 30), 'block_resize', { device: 'drive-disk0', size: 2 << 30 }],
    ['blockResize (node)', (q) => blockResize(q, { nodeName: 'node-disk1' }, 1 << 30), 'block_resize', { 'node-name': 'node-disk1', size: 1 << 30 }],
    ['setPassword', (q) => setPassword(q, 's3cret'), 'set_password', { protocol: 'vnc', password: 's3cret' }],
    [
      'blockdevSnapshotInternalSync',
      (q) => blockdevSnapshotInternalSync(q, 'drive-disk1', 'disk-snap-0'),
      'blockdev-snapshot-internal-sync',
      { device: 'drive-disk1', name: 'disk-snap-0' },
    ],
    [
      'blockdevSnapshotDeleteInternalSync',
      (q) => blockdevSnapshotDeleteInternalSync(q, 'drive-disk1', 'disk-snap-0'),
      'blockdev-snapshot-delete-internal-sync',
      { device: 'drive-disk1', name: 'disk-snap-0' },
    ],
    ['screendump', (q) => screendump(q, '/tmp/s.ppm'), 'screendump', { filename: '/tmp/s.ppm' }],
    ['screendump (device)', (q) => screendump(q, '/tmp/s.ppm', 'video0'), 'screendump', { filename: '/tmp/s.ppm', device: 'video0' }],
  ])('%s sends %s', async (_name, command, wire, args) => {
    const qmp = await connect({ [wire]: {} });
    await command(qmp);
    expect(sent()).toEqual([args === undefined ? { command: wire } : { command: wire, args }]);
  });

  it('passes QEMU\'s refusal on', async () => {
    const qmp = await connect({ device_del: { error: { class: 'DeviceNotFound', desc: "Device 'nic9' not found" } } });
    await expect(deviceDel(qmp, 'nic9')).rejects.toThrow(
      "QEMU refused QMP command device_del: Device 'nic9' not found (DeviceNotFound)",
    );
  });
});

describe('quit', () => {
  it('resolves when QEMU answers and exits', async () => {
    const qmp = await connect();
    await quit(qmp);
    await qmp.closed;
    expect(sent()).toEqual([{ command: 'quit' }]);
  });

  it('resolves when QEMU exits before answering', async () => {
    const qmp = await connect({ quit: { never: true } });
    const quitting = quit(qmp);
    await server.nextCall('quit');
    server.dropConnections();
    await expect(quitting).resolves.toBeUndefined();
  });

  it('still fails on a QMP error', async () => {
    const qmp = await connect({ quit: { error: { class: 'GenericError', desc: 'no' } } });
    await expect(quit(qmp)).rejects.toThrow(QmpError);
  });
});

describe('queries', () => {
  it('status reads running and the run state', async () => {
    const qmp = await connect({ 'query-status': { return: { status: 'prelaunch', singlestep: false, running: false } } });
    expect(await status(qmp)).toEqual({ running: false, status: 'prelaunch' });
  });

  it('queryMigrate maps a completed migration (as QEMU 7.2 reports it)', async () => {
    const qmp = await connect({
      'query-migrate': {
        return: {
          status: 'completed', 'setup-time': 1, downtime: 4, 'total-time': 20,
          ram: { total: 151855104, remaining: 0, mbps: 799.8, transferred: 1578704, 'dirty-pages-rate': 0, 'page-size': 4096 },
        },
      },
    });
    expect(await queryMigrate(qmp)).toEqual({
      status: 'completed', setupTimeMs: 1, downtimeMs: 4, totalTimeMs: 20,
      ram: { total: 151855104, remaining: 0, mbps: 799.8, transferred: 1578704, dirtyPagesRate: 0 },
    });
  });

  it('queryMigrate reports no status before any migration, and the reason of a failure', async () => {
    const qmp = await connect({ 'query-migrate': { return: {} } });
    expect(await queryMigrate(qmp)).toEqual({});
    server.answer('query-migrate', { return: { status: 'failed', 'error-desc': 'Connection refused' } });
    expect(await queryMigrate(qmp)).toEqual({ status: 'failed', errorDesc: 'Connection refused' });
  });

  it('queryBlock maps drives and their media', async () => {
    const qmp = await connect({
      'query-block': {
        return: [
          {
            device: 'disk0', locked: false, removable: false, type: 'unknown', qdev: '/machine/peripheral/vd0/virtio-backend',
            inserted: { file: '/var/lib/one/0/disk.0', 'node-name': '#block160', drv: 'qcow2', ro: false, backing_file: '/img/base' },
          },
          { device: 'ide1-cd0', locked: false, removable: true, type: 'unknown', tray_open: false },
        ],
      },
    });
    expect(await queryBlock(qmp)).toEqual([
      {
        device: 'disk0', qdev: '/machine/peripheral/vd0/virtio-backend', removable: false,
        inserted: { file: '/var/lib/one/0/disk.0', nodeName: '#block160', driver: 'qcow2', readOnly: false, backingFile: '/img/base' },
      },
      { device: 'ide1-cd0', removable: true },
    ]);
  });

  it('driveSnapshots lists the internal snapshots of one drive\'s image, and undefined for a drive QEMU lacks', async () => {
    const image = (snapshots?: { id: string; name: string }[]) => ({ filename: '/d/disk.1', format: 'qcow2', 'virtual-size': 1 << 20, ...(snapshots ? { snapshots } : {}) });
    const qmp = await connect({
      'query-block': {
        return: [
          { device: 'drive-disk0', removable: false, inserted: { file: '/d/disk.0', drv: 'qcow2', ro: false, image: image() } },
          { device: 'drive-disk1', removable: false, inserted: { file: '/d/disk.1', drv: 'qcow2', ro: false, image: image([{ id: '1', name: 'disk-snap-0' }, { id: '2', name: 'onesnap-3' }]) } },
          { device: 'drive-disk2', removable: true },
        ],
      },
    });
    expect(await driveSnapshots(qmp, 'drive-disk1')).toEqual(['disk-snap-0', 'onesnap-3']);
    expect(await driveSnapshots(qmp, 'drive-disk0')).toEqual([]);
    expect(await driveSnapshots(qmp, 'drive-disk2')).toEqual([]);
    expect(await driveSnapshots(qmp, 'drive-disk9')).toBeUndefined();
  });

  it('queryBlockstats maps bytes and operations per device', async () => {
    const stats = (rd: number, wr: number) => ({ rd_bytes: rd, wr_bytes: wr, rd_operations: rd / 512, wr_operations: wr / 512, flush_operations: 0 });
    const qmp = await connect({
      'query-blockstats': {
        return: [
          { device: 'disk0', 'node-name': '#block160', qdev: '/machine/peripheral/vd0/virtio-backend', stats: stats(1024, 512) },
          { device: '', 'node-name': 'node-disk1', qdev: 'vd1', stats: stats(0, 2048) },
        ],
      },
    });
    expect(await queryBlockstats(qmp)).toEqual([
      { device: 'disk0', nodeName: '#block160', qdev: '/machine/peripheral/vd0/virtio-backend', rdBytes: 1024, wrBytes: 512, rdOperations: 2, wrOperations: 1 },
      { device: '', nodeName: 'node-disk1', qdev: 'vd1', rdBytes: 0, wrBytes: 2048, rdOperations: 0, wrOperations: 4 },
    ]);
  });

  it('queryMemorySizeSummary reads boot and plugged memory, plugged 0 when QEMU leaves it out', async () => {
    const qmp = await connect({ 'query-memory-size-summary': { return: { 'base-memory': 268435456, 'plugged-memory': 134217728 } } });
    expect(await queryMemorySizeSummary(qmp)).toEqual({ baseBytes: 268435456, pluggedBytes: 134217728 });
    server.answer('query-memory-size-summary', { return: { 'base-memory': 268435456 } });
    expect(await queryMemorySizeSummary(qmp)).toEqual({ baseBytes: 268435456, pluggedBytes: 0 });
  });

  it('queryBalloon returns the actual bytes', async () => {
    const qmp = await connect({ 'query-balloon': { return: { actual: 134217728 } } });
    expect(await queryBalloon(qmp)).toBe(134217728);
  });

  it('queryCpusFast returns each vCPU\'s thread id', async () => {
    const qmp = await connect({
      'query-cpus-fast': {
        return: [{ 'thread-id': 15335, props: { 'core-id': 0, 'thread-id': 0, 'socket-id': 0 }, 'qom-path': '/machine/unattached/device[0]', 'cpu-index': 0, target: 'x86_64' }],
      },
    });
    expect(await queryCpusFast(qmp)).toEqual([
      { cpuIndex: 0, qomPath: '/machine/unattached/device[0]', threadId: 15335, props: { 'core-id': 0, 'thread-id': 0, 'socket-id': 0 } },
    ]);
  });

  it('queryHotpluggableCpus tells free slots from used ones', async () => {
    const qmp = await connect({
      'query-hotpluggable-cpus': {
        return: [
          { props: { 'core-id': 0, 'thread-id': 0, 'socket-id': 1 }, 'vcpus-count': 1, type: 'qemu64-x86_64-cpu' },
          { props: { 'core-id': 0, 'thread-id': 0, 'socket-id': 0 }, 'vcpus-count': 1, 'qom-path': '/machine/unattached/device[0]', type: 'qemu64-x86_64-cpu' },
        ],
      },
    });
    expect(await queryHotpluggableCpus(qmp)).toEqual([
      { type: 'qemu64-x86_64-cpu', vcpusCount: 1, props: { 'core-id': 0, 'thread-id': 0, 'socket-id': 1 } },
      { type: 'qemu64-x86_64-cpu', vcpusCount: 1, props: { 'core-id': 0, 'thread-id': 0, 'socket-id': 0 }, qomPath: '/machine/unattached/device[0]' },
    ]);
  });

  it('queryVnc returns the address and clients, and an empty list when disabled', async () => {
    const qmp = await connect({
      'query-vnc': {
        return: {
          enabled: true, auth: 'vnc', family: 'ipv4', service: '5905', host: '127.0.0.1',
          clients: [{ host: '127.0.0.1', service: '40000', family: 'ipv4', websocket: true }],
        },
      },
    });
    expect(await queryVnc(qmp)).toEqual({
      enabled: true, auth: 'vnc', family: 'ipv4', service: '5905', host: '127.0.0.1',
      clients: [{ host: '127.0.0.1', service: '40000', websocket: true }],
    });
    server.answer('query-vnc', { return: { enabled: false } });
    expect(await queryVnc(qmp)).toEqual({ enabled: false, clients: [] });
  });
});

describe('HMP', () => {
  it('humanMonitor returns the text output', async () => {
    const qmp = await connect({ 'human-monitor-command': { return: 'List of snapshots present on all disks:\r\n' } });
    expect(await humanMonitor(qmp, 'info snapshots')).toBe('List of snapshots present on all disks:\r\n');
    expect(sent()).toEqual([{ command: 'human-monitor-command', args: { 'command-line': 'info snapshots' } }]);
  });

  it.each([
    ['savevm', savevm],
    ['loadvm', loadvm],
    ['delvm', delvm],
  ])('%s resolves on empty output', async (word, command) => {
    const qmp = await connect({ 'human-monitor-command': { return: '' } });
    await command(qmp, 'snap-3');
    expect(sent()).toEqual([{ command: 'human-monitor-command', args: { 'command-line': `${word} snap-3` } }]);
  });

  it('turns HMP error text into a rejection', async () => {
    const qmp = await connect({
      'human-monitor-command': { return: "Error: Snapshot 'snap-9' does not exist in one or more devices\r\n" },
    });
    const error = await loadvm(qmp, 'snap-9').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HmpError);
    expect((error as Error).message).toBe(
      'QEMU could not run "loadvm snap-9": Error: Snapshot \'snap-9\' does not exist in one or more devices',
    );
  });

  it('lets warnings pass', async () => {
    const qmp = await connect({ 'human-monitor-command': { return: 'warning: something odd\r\n' } });
    await expect(savevm(qmp, 'snap-1')).resolves.toBeUndefined();
  });

  // What QEMU 7.2 prints (snapshot lines end in spaces when ICOUNT is empty).
  const LISTED = 'List of snapshots present on all disks:\r\n' +
    'ID        TAG               VM SIZE                DATE     VM CLOCK     ICOUNT\r\n' +
    '--        onesnap-1        82.5 MiB 2026-11-25 22:26:28 00:00:06.394           \r\n' +
    '--        onesnap-0        82.5 MiB 2026-11-25 22:26:28 00:00:06.427           \r\n';

  it.each([
    ['the loadable snapshots', LISTED, ['onesnap-1', 'onesnap-0']],
    ['none', 'There is no snapshot available.\r\n', []],
    ['none of those only some disks have', `${LISTED}\r\nList of partial (non-loadable) snapshots on 'drive-disk1':\r\nID  TAG\r\n1   old\r\n`, ['onesnap-1', 'onesnap-0']],
  ])('listSnapshots reads %s', async (_, output, tags) => {
    const qmp = await connect({ 'human-monitor-command': { return: output } });
    expect(await listSnapshots(qmp)).toEqual(tags);
    expect(sent()).toEqual([{ command: 'human-monitor-command', args: { 'command-line': 'info snapshots' } }]);
  });

  it('listSnapshots rejects on an error', async () => {
    const qmp = await connect({ 'human-monitor-command': { return: 'Error: No block device can accept snapshots\r\n' } });
    await expect(listSnapshots(qmp)).rejects.toThrow('QEMU could not run "info snapshots": Error: No block device can accept snapshots');
  });

  it.each(['', 'two words', 'quo"te', "it's", 'back\\slash'])('refuses the snapshot name %j without sending it', async (name) => {
    const qmp = await connect();
    await expect(savevm(qmp, name)).rejects.toThrow('cannot be a snapshot name');
    expect(sent()).toEqual([]);
  });
});

describe('block jobs', () => {
  it('driveBackup copies a drive at this instant into a new file of the given format', async () => {
    const qmp = await connect({ 'drive-backup': {} });
    await driveBackup(qmp, { jobId: 'saveas-disk1', device: 'drive-disk1', target: '/vm/saveas.1', format: 'qcow2', autoDismiss: false });
    expect(sent()).toEqual([{
      command: 'drive-backup',
      args: { 'job-id': 'saveas-disk1', device: 'drive-disk1', target: '/vm/saveas.1', format: 'qcow2', sync: 'full', mode: 'absolute-paths', 'auto-dismiss': false },
    }]);
  });

  it('queryJobs reads each job\'s status, progress and error', async () => {
    const qmp = await connect({
      'query-jobs': {
        return: [
          { id: 'a', type: 'backup', status: 'running', 'current-progress': 10, 'total-progress': 100 },
          { id: 'b', type: 'backup', status: 'concluded', 'current-progress': 5, 'total-progress': 100, error: 'No space left on device' },
        ],
      },
    });
    expect(await queryJobs(qmp)).toEqual([
      { id: 'a', type: 'backup', status: 'running', currentProgress: 10, totalProgress: 100 },
      { id: 'b', type: 'backup', status: 'concluded', currentProgress: 5, totalProgress: 100, error: 'No space left on device' },
    ]);
  });

  it('jobDismiss and jobCancel name the job', async () => {
    const qmp = await connect({ 'job-dismiss': {}, 'job-cancel': {} });
    await jobCancel(qmp, 'a');
    await jobDismiss(qmp, 'a');
    expect(sent()).toEqual([{ command: 'job-cancel', args: { id: 'a' } }, { command: 'job-dismiss', args: { id: 'a' } }]);
  });

  it('driveBackup rejects what QEMU refuses', async () => {
    const qmp = await connect({ 'drive-backup': { error: { class: 'GenericError', desc: "Cannot find device='drive-disk9' nor node-name='drive-disk9'" } } });
    await expect(driveBackup(qmp, { jobId: 'j', device: 'drive-disk9', target: '/t', format: 'raw', autoDismiss: false })).rejects.toThrow(QmpError);
  });
});
