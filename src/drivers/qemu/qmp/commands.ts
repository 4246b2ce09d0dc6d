import { QmpClosedError, type QmpArgs, type QmpExecutor } from './connection.js';

// One function per QMP command, typed after QEMU 7.2's schema. Results are reshaped (camelCase) only
// where the driver reads them; argument objects that QEMU takes as free-form keep its own names.

/** QEMU's RunState. */
export type RunState =
  | 'debug' | 'inmigrate' | 'internal-error' | 'io-error' | 'paused' | 'postmigrate' | 'prelaunch'
  | 'finish-migrate' | 'restore-vm' | 'running' | 'save-vm' | 'shutdown' | 'suspended' | 'watchdog'
  | 'guest-panicked' | 'colo';

/** QEMU's MigrationStatus. */
export type MigrationStatus =
  | 'none' | 'setup' | 'cancelling' | 'cancelled' | 'active' | 'postcopy-active' | 'postcopy-paused'
  | 'postcopy-recover' | 'completed' | 'failed' | 'colo' | 'pre-switchover' | 'device' | 'wait-unplug';

/** QEMU 7.2's MigrationCapability names. */
export type MigrationCapability =
  | 'xbzrle' | 'rdma-pin-all' | 'auto-converge' | 'zero-blocks' | 'compress' | 'events' | 'postcopy-ram'
  | 'x-colo' | 'release-ram' | 'block' | 'return-path' | 'pause-before-switchover' | 'multifd'
  | 'dirty-bitmaps' | 'postcopy-blocktime' | 'late-block-activate' | 'x-ignore-shared' | 'validate-uuid'
  | 'background-snapshot' | 'zero-copy-send' | 'postcopy-preempt';

export interface VmStatus {
  running: boolean;
  status: RunState;
}

export interface MigrationInfo {
  /** Absent until a migration has been started. */
  status?: MigrationStatus;
  totalTimeMs?: number;
  setupTimeMs?: number;
  /** Measured downtime, once completed. */
  downtimeMs?: number;
  /** Estimated downtime, while active. */
  expectedDowntimeMs?: number;
  /** Why it failed. */
  errorDesc?: string;
  /** RAM progress in bytes (mbps in megabits per second). */
  ram?: { total: number; transferred: number; remaining: number; mbps: number; dirtyPagesRate: number };
}

export interface BlockDevice {
  /** The drive id ("" for a -blockdev without a legacy drive). */
  device: string;
  qdev?: string;
  removable: boolean;
  /** The medium, when one is inserted. */
  inserted?: { file: string; nodeName?: string; driver: string; readOnly: boolean; backingFile?: string };
}

export interface BlockStats {
  device: string;
  qdev?: string;
  nodeName?: string;
  rdBytes: number;
  wrBytes: number;
  rdOperations: number;
  wrOperations: number;
}

/** CpuInstanceProperties with QEMU's names, because device_add takes them back as they are. */
export interface CpuProps {
  'node-id'?: number;
  'socket-id'?: number;
  'die-id'?: number;
  'cluster-id'?: number;
  'core-id'?: number;
  'thread-id'?: number;
}

export interface VcpuThread {
  cpuIndex: number;
  qomPath: string;
  /** The host thread running this vCPU (for pinning and CPU accounting). */
  threadId: number;
  props?: CpuProps;
}

export interface HotpluggableCpu {
  /** The device driver to pass to device_add. */
  type: string;
  vcpusCount: number;
  props: CpuProps;
  /** Set when the slot is occupied. */
  qomPath?: string;
}

export interface VncInfo {
  enabled: boolean;
  host?: string;
  /** The TCP port, as a string. */
  service?: string;
  family?: string;
  auth?: string;
  clients: Array<{ host: string; service: string; websocket: boolean }>;
}

/** device_add arguments: the driver, our id, and the driver's properties. */
export type DeviceOptions = { driver: string; id: string } & QmpArgs;
/** blockdev-add arguments (BlockdevOptions). */
export type BlockdevOptions = { driver: string; 'node-name': string } & QmpArgs;
/** netdev_add arguments (Netdev). */
export type NetdevOptions = { type: string; id: string } & QmpArgs;
/** object-add arguments (ObjectOptions, flat). */
export type ObjectOptions = { 'qom-type': string; id: string } & QmpArgs;

/** An HMP command printed an error (HMP reports failures as text, not as QMP errors). */
export class HmpError extends Error {
  constructor(
    readonly commandLine: string,
    readonly output: string,
  ) {
    super(`QEMU could not run "${commandLine}": ${output}`);
    this.name = 'HmpError';
  }
}

/** The run state (query-status). */
export async function status(qmp: QmpExecutor): Promise<VmStatus> {
  const info = await qmp.execute<{ running: boolean; status: RunState }>('query-status');
  return { running: info.running, status: info.status };
}

/** Presses the ACPI power button (system_powerdown); the guest may ignore it. */
export async function powerdown(qmp: QmpExecutor): Promise<void> {
  await qmp.execute('system_powerdown');
}

/** Hard reset, like the reset button (system_reset). */
export async function reset(qmp: QmpExecutor): Promise<void> {
  await qmp.execute('system_reset');
}

/** Ends QEMU at once; the socket closing before the answer counts as done, since that is QEMU exiting. */
export async function quit(qmp: QmpExecutor): Promise<void> {
  try {
    await qmp.execute('quit');
  } catch (error) {
    if (!(error instanceof QmpClosedError)) throw error;
  }
}

/** What QEMU does when the guest shuts down: exit (poweroff, the default) or pause, which a reboot uses (set-action). */
export async function setShutdownAction(qmp: QmpExecutor, action: 'poweroff' | 'pause'): Promise<void> {
  await qmp.execute('set-action', { shutdown: action });
}

/** Pauses the vCPUs (stop). */
export async function stop(qmp: QmpExecutor): Promise<void> {
  await qmp.execute('stop');
}

/** Resumes the vCPUs (cont), also after an incoming migration. */
export async function cont(qmp: QmpExecutor): Promise<void> {
  await qmp.execute('cont');
}

/** Progress of the current or last migration (query-migrate). */
export async function queryMigrate(qmp: QmpExecutor): Promise<MigrationInfo> {
  const info = await qmp.execute<{
    status?: MigrationStatus;
    'total-time'?: number;
    'setup-time'?: number;
    downtime?: number;
    'expected-downtime'?: number;
    'error-desc'?: string;
    ram?: { total: number; transferred: number; remaining: number; mbps: number; 'dirty-pages-rate': number };
  }>('query-migrate');
  const { ram } = info;
  return {
    status: info.status,
    totalTimeMs: info['total-time'],
    setupTimeMs: info['setup-time'],
    downtimeMs: info.downtime,
    expectedDowntimeMs: info['expected-downtime'],
    errorDesc: info['error-desc'],
    ram: ram && {
      total: ram.total,
      transferred: ram.transferred,
      remaining: ram.remaining,
      mbps: ram.mbps,
      dirtyPagesRate: ram['dirty-pages-rate'],
    },
  };
}

/** Starts migrating to `uri` (tcp:HOST:PORT, exec:CMD, unix:PATH); returns once it has started. */
export async function migrate(qmp: QmpExecutor, uri: string): Promise<void> {
  await qmp.execute('migrate', { uri });
}

/** Cancels the running migration; the source keeps running (migrate_cancel). */
export async function migrateCancel(qmp: QmpExecutor): Promise<void> {
  await qmp.execute('migrate_cancel');
}

/** Turns migration capabilities on or off (migrate-set-capabilities). */
export async function migrateSetCapabilities(
  qmp: QmpExecutor,
  capabilities: Partial<Record<MigrationCapability, boolean>>,
): Promise<void> {
  const list = Object.entries(capabilities).map(([capability, state]) => ({ capability, state }));
  await qmp.execute('migrate-set-capabilities', { capabilities: list });
}

/** Sets the tolerated downtime (ms) and the bandwidth cap (bytes per second) (migrate-set-parameters). */
export async function migrateSetParameters(
  qmp: QmpExecutor,
  parameters: { downtimeLimitMs?: number; maxBandwidthBytesPerSecond?: number },
): Promise<void> {
  const args: QmpArgs = {};
  if (parameters.downtimeLimitMs !== undefined) args['downtime-limit'] = parameters.downtimeLimitMs;
  if (parameters.maxBandwidthBytesPerSecond !== undefined) args['max-bandwidth'] = parameters.maxBandwidthBytesPerSecond;
  await qmp.execute('migrate-set-parameters', args);
}

/** Starts listening for an incoming migration; QEMU must have been started with `-incoming defer`. */
export async function migrateIncoming(qmp: QmpExecutor, uri: string): Promise<void> {
  await qmp.execute('migrate-incoming', { uri });
}

/** Runs an HMP command line and returns its text output, errors included (human-monitor-command). */
export function humanMonitor(qmp: QmpExecutor, commandLine: string): Promise<string> {
  return qmp.execute<string>('human-monitor-command', { 'command-line': commandLine });
}

/** Saves the VM state and every disk under the internal snapshot `name` (HMP savevm). */
export function savevm(qmp: QmpExecutor, name: string): Promise<void> {
  return snapshotCommand(qmp, 'savevm', name);
}

/**
 * Rolls the VM back to the internal snapshot `name` (HMP loadvm). On failure QEMU 7.2 leaves the guest
 * paused in run state restore-vm, and a later migrate then aborts QEMU: check the snapshot exists first.
 */
export function loadvm(qmp: QmpExecutor, name: string): Promise<void> {
  return snapshotCommand(qmp, 'loadvm', name);
}

/** Deletes the internal snapshot `name` from every disk; a missing one is not an error (HMP delvm). */
export function delvm(qmp: QmpExecutor, name: string): Promise<void> {
  return snapshotCommand(qmp, 'delvm', name);
}

async function snapshotCommand(qmp: QmpExecutor, word: string, name: string): Promise<void> {
  // HMP splits its arguments on spaces and gives quotes a meaning; such a name would name another snapshot.
  if (!/^[^\s"'\\]+$/.test(name)) {
    throw new Error(`"${name}" cannot be a snapshot name: use letters, digits and - _ . without spaces or quotes`);
  }
  const commandLine = `${word} ${name}`;
  const failure = hmpFailure(await humanMonitor(qmp, commandLine));
  if (failure) throw new HmpError(commandLine, failure);
}

/**
 * The tags of the internal snapshots that every disk has, i.e. those loadvm can load (HMP info snapshots).
 * Snapshots only some disks have are listed apart by QEMU, and left out here.
 */
export async function listSnapshots(qmp: QmpExecutor): Promise<string[]> {
  const output = await humanMonitor(qmp, 'info snapshots');
  const lines = output.split(/\r?\n/);
  const start = lines.findIndex((line) => line.startsWith('List of snapshots present on all disks'));
  if (start < 0) {
    if (/^Error/m.test(output)) throw new HmpError('info snapshots', output.trim());
    return [];
  }
  const tags: string[] = [];
  // After the column header (ID TAG VM SIZE DATE ...), one line per snapshot until a blank line or another list.
  for (const line of lines.slice(start + 2)) {
    if (!line.trim() || line.startsWith('List of')) break;
    const tag = line.trim().split(/\s+/)[1];
    if (tag) tags.push(tag);
  }
  return tags;
}

/** These commands print nothing on success; anything but warnings is the error. */
function hmpFailure(output: string): string | undefined {
  const lines = output
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !/^warning:/i.test(line));
  return lines.length > 0 ? lines.join(' ') : undefined;
}

/** The block devices and their media (query-block). */
export async function queryBlock(qmp: QmpExecutor): Promise<BlockDevice[]> {
  const devices = await qmp.execute<
    Array<{
      device: string;
      qdev?: string;
      removable: boolean;
      inserted?: { file: string; 'node-name'?: string; drv: string; ro: boolean; backing_file?: string };
    }>
  >('query-block');
  return devices.map(({ device, qdev, removable, inserted }) => ({
    device,
    qdev,
    removable,
    inserted: inserted && {
      file: inserted.file,
      nodeName: inserted['node-name'],
      driver: inserted.drv,
      readOnly: inserted.ro,
      backingFile: inserted.backing_file,
    },
  }));
}

/** Bytes and operations read and written per device since QEMU started (query-blockstats). */
export async function queryBlockstats(qmp: QmpExecutor): Promise<BlockStats[]> {
  const entries = await qmp.execute<
    Array<{
      device?: string;
      qdev?: string;
      'node-name'?: string;
      stats: { rd_bytes: number; wr_bytes: number; rd_operations: number; wr_operations: number };
    }>
  >('query-blockstats');
  return entries.map((entry) => ({
    device: entry.device ?? '',
    qdev: entry.qdev,
    nodeName: entry['node-name'],
    rdBytes: entry.stats.rd_bytes,
    wrBytes: entry.stats.wr_bytes,
    rdOperations: entry.stats.rd_operations,
    wrOperations: entry.stats.wr_operations,
  }));
}

/** The guest's current memory in bytes, as the balloon sees it (query-balloon). */
export async function queryBalloon(qmp: QmpExecutor): Promise<number> {
  const info = await qmp.execute<{ actual: number }>('query-balloon');
  return info.actual;
}

/** Asks the balloon driver to bring the guest to `bytes` of memory (balloon). */
export async function balloon(qmp: QmpExecutor, bytes: number): Promise<void> {
  await qmp.execute('balloon', { value: bytes });
}

/** The guest's boot memory and the memory plugged in as DIMMs since, in bytes (query-memory-size-summary). */
export async function queryMemorySizeSummary(qmp: QmpExecutor): Promise<{ baseBytes: number; pluggedBytes: number }> {
  const info = await qmp.execute<{ 'base-memory': number; 'plugged-memory'?: number }>('query-memory-size-summary');
  // QEMU leaves plugged-memory out for a machine started without room for DIMMs.
  return { baseBytes: info['base-memory'], pluggedBytes: info['plugged-memory'] ?? 0 };
}

/** A DIMM plugged into the guest (query-memory-devices). */
export interface MemoryDevice {
  id: string;
  sizeBytes: number;
  /** The QOM path of its backend, e.g. /objects/mem-dimm-128. */
  memdev: string;
}

/** The DIMMs plugged into the guest (query-memory-devices); other kinds of memory device are left out. */
export async function queryMemoryDevices(qmp: QmpExecutor): Promise<MemoryDevice[]> {
  const devices = await qmp.execute<Array<{ type: string; data: { id?: string; size: number; memdev: string } }>>('query-memory-devices');
  return devices.filter((d) => d.type === 'dimm' && d.data.id).map((d) => ({ id: d.data.id!, sizeBytes: d.data.size, memdev: d.data.memdev }));
}

/** The vCPUs and their host thread ids, without interrupting the guest (query-cpus-fast). */
export async function queryCpusFast(qmp: QmpExecutor): Promise<VcpuThread[]> {
  const cpus = await qmp.execute<
    Array<{ 'cpu-index': number; 'qom-path': string; 'thread-id': number; props?: CpuProps }>
  >('query-cpus-fast');
  return cpus.map((cpu) => ({
    cpuIndex: cpu['cpu-index'],
    qomPath: cpu['qom-path'],
    threadId: cpu['thread-id'],
    props: cpu.props,
  }));
}

/** The vCPU slots, occupied or free, with what device_add needs to fill one (query-hotpluggable-cpus). */
export async function queryHotpluggableCpus(qmp: QmpExecutor): Promise<HotpluggableCpu[]> {
  const slots = await qmp.execute<
    Array<{ type: string; 'vcpus-count': number; props: CpuProps; 'qom-path'?: string }>
  >('query-hotpluggable-cpus');
  return slots.map((slot) => ({
    type: slot.type,
    vcpusCount: slot['vcpus-count'],
    props: slot.props,
    qomPath: slot['qom-path'],
  }));
}

/** Plugs a device (device_add). */
export async function deviceAdd(qmp: QmpExecutor, options: DeviceOptions): Promise<void> {
  await qmp.execute('device_add', options);
}

/** Asks for a device's removal; it is gone only when DEVICE_DELETED arrives (device_del). */
export async function deviceDel(qmp: QmpExecutor, id: string): Promise<void> {
  await qmp.execute('device_del', { id });
}

/** Opens a block node, e.g. a disk image for hotplug (blockdev-add). */
export async function blockdevAdd(qmp: QmpExecutor, options: BlockdevOptions): Promise<void> {
  await qmp.execute('blockdev-add', options);
}

/** Closes a block node no device uses any more (blockdev-del). */
export async function blockdevDel(qmp: QmpExecutor, nodeName: string): Promise<void> {
  await qmp.execute('blockdev-del', { 'node-name': nodeName });
}

/** Creates a network backend, e.g. a tap (netdev_add). */
export async function netdevAdd(qmp: QmpExecutor, options: NetdevOptions): Promise<void> {
  await qmp.execute('netdev_add', options);
}

/** Removes a network backend (netdev_del). */
export async function netdevDel(qmp: QmpExecutor, id: string): Promise<void> {
  await qmp.execute('netdev_del', { id });
}

/** Creates a QOM object, e.g. a memory backend for a DIMM (object-add). */
export async function objectAdd(qmp: QmpExecutor, options: ObjectOptions): Promise<void> {
  await qmp.execute('object-add', options);
}

/** Deletes a QOM object (object-del). */
export async function objectDel(qmp: QmpExecutor, id: string): Promise<void> {
  await qmp.execute('object-del', { id });
}

/** Grows a disk to `bytes`, named by drive id or by block node (block_resize). */
export async function blockResize(
  qmp: QmpExecutor,
  target: { device: string } | { nodeName: string },
  bytes: number,
): Promise<void> {
  const which = 'device' in target ? { device: target.device } : { 'node-name': target.nodeName };
  await qmp.execute('block_resize', { ...which, size: bytes });
}

/** Sets the VNC password; QEMU needs `password=on` in its -vnc option (set_password). */
export async function setPassword(qmp: QmpExecutor, password: string): Promise<void> {
  await qmp.execute('set_password', { protocol: 'vnc', password });
}

/** The VNC server's address and clients (query-vnc). */
export async function queryVnc(qmp: QmpExecutor): Promise<VncInfo> {
  const info = await qmp.execute<Omit<VncInfo, 'clients'> & { clients?: VncInfo['clients'] }>('query-vnc');
  return {
    enabled: info.enabled,
    host: info.host,
    service: info.service,
    family: info.family,
    auth: info.auth,
    clients: (info.clients ?? []).map(({ host, service, websocket }) => ({ host, service, websocket })),
  };
}

/** Writes the screen to `filename` as PPM, from the first display unless `device` names another (screendump). */
export async function screendump(qmp: QmpExecutor, filename: string, device?: string): Promise<void> {
  await qmp.execute('screendump', device === undefined ? { filename } : { filename, device });
}
