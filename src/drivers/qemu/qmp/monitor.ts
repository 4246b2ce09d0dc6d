import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import type { MigrationStatus } from './commands.js';
import { QmpConnection, type QmpConnectionOptions } from './connection.js';

/** QEMU's ShutdownCause: why the guest stopped or reset. */
export type ShutdownCause =
  | 'none' | 'host-error' | 'host-qmp-quit' | 'host-qmp-system-reset' | 'host-signal' | 'host-ui'
  | 'guest-shutdown' | 'guest-reset' | 'guest-panic' | 'subsystem-reset' | 'snapshot-load';

interface BlockJobProgress {
  type: string;
  device: string;
  len: number;
  offset: number;
  speed: number;
}

/** The QMP events the driver acts on, with their data as QEMU 7.2 sends it. */
export interface VmEvents {
  /** The guest stopped: `guest` is true when the guest itself asked for it. QEMU exits next unless -no-shutdown. */
  SHUTDOWN: { guest: boolean; reason: ShutdownCause };
  RESET: { guest: boolean; reason: ShutdownCause };
  POWERDOWN: Record<string, never>;
  STOP: Record<string, never>;
  RESUME: Record<string, never>;
  /** `device` is absent for a device that had no id (e.g. a virtio backend). */
  DEVICE_DELETED: { device?: string; path: string };
  /** Sent only while the `events` migration capability is on. */
  MIGRATION: { status: MigrationStatus };
  BLOCK_JOB_COMPLETED: BlockJobProgress & { error?: string };
  BLOCK_JOB_CANCELLED: BlockJobProgress;
  BLOCK_JOB_READY: BlockJobProgress;
  BLOCK_JOB_ERROR: { device: string; operation: 'read' | 'write'; action: 'ignore' | 'report' | 'stop' };
  BLOCK_JOB_PENDING: { type: string; id: string };
}

export type VmEventName = keyof VmEvents;

const VM_EVENT_NAMES = new Set<string>([
  'SHUTDOWN', 'RESET', 'POWERDOWN', 'STOP', 'RESUME', 'DEVICE_DELETED', 'MIGRATION',
  'BLOCK_JOB_COMPLETED', 'BLOCK_JOB_CANCELLED', 'BLOCK_JOB_READY', 'BLOCK_JOB_ERROR', 'BLOCK_JOB_PENDING',
] satisfies VmEventName[]);

export type VmMonitorEvents = { [K in VmEventName]: [VmEvents[K]] } & {
  /** Every event, the ones without a type above included. */
  event: [name: string, data: Record<string, unknown>];
  /** The socket closed (QEMU exited, or the stream dropped). */
  disconnect: [];
};

/** Opens a fresh stream to the VM's QMP socket: local, or forwarded from its host. */
export type QmpConnector = () => Promise<Duplex>;

/** A pending waitFor that its owner may cancel. */
interface Watch<T> {
  promise: Promise<T>;
  cancel: () => void;
}

/** The QMP monitor of one VM: one connection, opened lazily and again after it closed, and its events. */
export class VmMonitor extends EventEmitter<VmMonitorEvents> {
  private connection: QmpConnection | undefined;
  private connecting: Promise<QmpConnection> | undefined;

  constructor(
    private readonly connector: QmpConnector,
    private readonly options: QmpConnectionOptions = {},
  ) {
    super();
  }

  /** True while a connection is open. */
  get isConnected(): boolean {
    return this.connection !== undefined;
  }

  /** Resolves when the open connection closes (e.g. QEMU exited); at once when none is open. */
  get closed(): Promise<void> {
    return this.connection?.closed ?? Promise.resolve();
  }

  /** The open connection, connecting first if there is none; callers at the same moment share one attempt. */
  ensure(): Promise<QmpConnection> {
    if (this.connection) return Promise.resolve(this.connection);
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  /** Calls a command function (see commands.ts) with the live connection. */
  async run<T>(command: (qmp: QmpConnection) => Promise<T>): Promise<T> {
    return command(await this.ensure());
  }

  /**
   * Resolves with the first `name` event that `predicate` accepts within `timeoutMs`; rejects on timeout
   * or when the socket closes first. Call it before sending the command that causes the event.
   */
  waitFor<K extends VmEventName>(
    name: K,
    predicate: (data: VmEvents[K]) => boolean = () => true,
    timeoutMs: number = 10_000,
  ): Promise<VmEvents[K]> {
    return this.watch(name, predicate, timeoutMs).promise;
  }

  /** Runs `command` and waits for the event it causes, watching before sending so none is missed. */
  async runAndWait<K extends VmEventName>(
    name: K,
    predicate: (data: VmEvents[K]) => boolean,
    timeoutMs: number,
    command: (qmp: QmpConnection) => Promise<unknown>,
  ): Promise<VmEvents[K]> {
    const watch = this.watch(name, predicate, timeoutMs);
    // If the command fails, its error is the one to report; the watch's own rejection is then moot.
    watch.promise.catch(() => {});
    try {
      await this.run(command);
    } catch (error) {
      watch.cancel();
      throw error;
    }
    return watch.promise;
  }

  /** Resolves true once the socket has closed, false if it is still open after `timeoutMs`. */
  async waitClosed(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    try {
      return await Promise.race([this.closed.then(() => true), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes our side of the socket; QEMU keeps running and the next call connects again. */
  disconnect(): void {
    this.connection?.close();
  }

  private async connect(): Promise<QmpConnection> {
    const connection = new QmpConnection(await this.connector(), this.options);
    // Listeners go on before the handshake so that an event right behind its answer is not lost.
    connection.on('event', (name, data) => this.dispatch(name, data));
    connection.once('close', () => {
      if (this.connection === connection) this.connection = undefined;
      this.emit('disconnect');
    });
    await connection.handshake();
    this.connection = connection;
    return connection;
  }

  private dispatch(name: string, data: Record<string, unknown>): void {
    if (VM_EVENT_NAMES.has(name)) (this.emit as (name: string, data: unknown) => boolean)(name, data);
    this.emit('event', name, data);
  }

  private watch<K extends VmEventName>(
    name: K,
    predicate: (data: VmEvents[K]) => boolean,
    timeoutMs: number,
  ): Watch<VmEvents[K]> {
    let cancel = (): void => {};
    const promise = new Promise<VmEvents[K]>((resolve, reject) => {
      const onEvent = (eventName: string, data: Record<string, unknown>): void => {
        if (eventName !== name || !predicate(data as VmEvents[K])) return;
        stop();
        resolve(data as VmEvents[K]);
      };
      const onDisconnect = (): void => {
        stop();
        reject(new Error(`QEMU closed the monitor socket before sending ${name}; it has probably exited.`));
      };
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`QEMU sent no matching ${name} event within ${timeoutMs} ms.`));
      }, timeoutMs);
      const stop = (): void => {
        clearTimeout(timer);
        this.off('event', onEvent);
        this.off('disconnect', onDisconnect);
      };
      this.on('event', onEvent);
      this.on('disconnect', onDisconnect);
      cancel = stop;
    });
    return { promise, cancel };
  }
}

/** The monitors of the VMs this process talks to, by deploy id. */
export class MonitorRegistry {
  private readonly monitors = new Map<string, VmMonitor>();
  private readonly created: ((monitor: VmMonitor) => void)[] = [];

  /** `options` gives each VM's connection settings, e.g. a traffic hook writing to its log file. */
  constructor(private readonly options: (deployId: string) => QmpConnectionOptions = () => ({})) {}

  /** The VM's monitor, created with `connector` if there is none yet. */
  get(deployId: string, connector: QmpConnector): VmMonitor {
    let monitor = this.monitors.get(deployId);
    if (!monitor) {
      monitor = new VmMonitor(connector, this.options(deployId));
      this.monitors.set(deployId, monitor);
      for (const listener of this.created) listener(monitor);
    }
    return monitor;
  }

  /** Calls `listener` with every monitor created from now on, e.g. to follow their events. */
  onCreate(listener: (monitor: VmMonitor) => void): void {
    this.created.push(listener);
  }

  /** The VM's monitor if one exists. */
  find(deployId: string): VmMonitor | undefined {
    return this.monitors.get(deployId);
  }

  /** Disconnects and drops the VM's monitor (after the VM left this host or was destroyed). */
  forget(deployId: string): void {
    this.monitors.get(deployId)?.disconnect();
    this.monitors.delete(deployId);
  }

  /** Disconnects every monitor, e.g. when the daemon stops. */
  forgetAll(): void {
    for (const deployId of [...this.monitors.keys()]) this.forget(deployId);
  }
}
