import { EventEmitter } from 'node:events';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/** QEMU answered a command with {"error": {"class", "desc"}}: QEMU is alive and refused it. */
export class QmpError extends Error {
  constructor(
    readonly command: string,
    readonly errorClass: string,
    readonly desc: string,
  ) {
    super(`QEMU refused QMP command ${command}: ${desc} (${errorClass})`);
    this.name = 'QmpError';
  }
}

/** A command got no answer in time; whether QEMU carried it out is unknown. */
export class QmpTimeoutError extends Error {
  constructor(
    readonly command: string,
    readonly timeoutMs: number,
  ) {
    super(
      `QMP command ${command} got no answer from QEMU within ${formatMs(timeoutMs)}; its outcome is unknown. ` +
        'Check that the QEMU process is alive and not stuck, or raise the timeout for this command.',
    );
    this.name = 'QmpTimeoutError';
  }
}

/** The monitor socket closed (QEMU exited, or the forwarded stream dropped) before an answer came. */
export class QmpClosedError extends Error {
  constructor(readonly command: string) {
    super(`QEMU closed the monitor socket before answering ${command}; it has probably exited.`);
    this.name = 'QmpClosedError';
  }
}

/** The arguments object of a command. */
export type QmpArgs = Record<string, unknown>;

/** Anything that can run a QMP command: the connection, or a test double. */
export interface QmpExecutor {
  execute<T = unknown>(command: string, args?: QmpArgs, timeoutMs?: number): Promise<T>;
}

/** How long each command may take before it times out. */
export interface QmpTimeouts {
  /** For any command not listed in `commands`. */
  defaultMs: number;
  /** Per QMP command name. */
  commands: Record<string, number>;
  /** Per HMP command word, for human-monitor-command (savevm, loadvm, ...). */
  hmp: Record<string, number>;
}

const MINUTE = 60_000;

/** Proxmox's proven budgets: hotplug and quit can take a while, internal snapshots much longer. */
export const DEFAULT_QMP_TIMEOUTS: QmpTimeouts = {
  defaultMs: 5_000,
  commands: { device_add: MINUTE, 'blockdev-add': MINUTE, netdev_add: MINUTE, quit: MINUTE },
  hmp: { savevm: 10 * MINUTE, loadvm: 10 * MINUTE, delvm: 10 * MINUTE },
};

/** The timeout for one call: an HMP word's budget, else the command's, else the default. */
export function timeoutFor(timeouts: QmpTimeouts, command: string, args?: QmpArgs): number {
  if (command === 'human-monitor-command' && typeof args?.['command-line'] === 'string') {
    const word = args['command-line'].trim().split(/\s+/)[0] ?? '';
    const hmp = timeouts.hmp[word];
    if (hmp !== undefined) return hmp;
  }
  return timeouts.commands[command] ?? timeouts.defaultMs;
}

/** QEMU's greeting: its version and the optional capabilities it offers. */
export interface QmpGreeting {
  version: { qemu: { major: number; minor: number; micro: number }; package: string };
  capabilities: string[];
}

/** When QEMU emitted an event (seconds and microseconds since the epoch). */
export interface QmpTimestamp {
  seconds: number;
  microseconds: number;
}

export interface QmpConnectionOptions {
  /** Overrides merged over DEFAULT_QMP_TIMEOUTS. */
  timeouts?: { defaultMs?: number; commands?: Record<string, number>; hmp?: Record<string, number> };
  /** How long to wait for the greeting and the qmp_capabilities answer (default 5 s). */
  handshakeTimeoutMs?: number;
  /** Called with every line sent ('out') or received ('in'), e.g. for a per-VM traffic log. */
  onTraffic?: (direction: 'in' | 'out', line: string) => void;
}

export type QmpConnectionEvents = {
  event: [name: string, data: Record<string, unknown>, timestamp: QmpTimestamp | undefined];
  close: [];
};

interface Pending {
  command: string;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** Any JSON object QEMU sends: greeting, answer or event. */
type QmpMessage = Record<string, unknown>;

/**
 * One QMP session over an already-open stream (a local unix socket or a stream forwarded over SSH).
 * Construct, attach listeners, then `handshake()`; or use `QmpConnection.open`.
 */
export class QmpConnection extends EventEmitter<QmpConnectionEvents> implements QmpExecutor {
  /** Resolves once the socket has closed, for whatever reason. */
  readonly closed: Promise<void>;
  private greetingValue: QmpGreeting | undefined;
  private readonly timeouts: QmpTimeouts;
  private readonly pending = new Map<number, Pending>();
  private readonly decoder = new StringDecoder('utf8');
  private buffered = '';
  private nextId = 1;
  private isOpen = true;
  private onGreeting: ((greeting: QmpGreeting) => void) | undefined;
  private markClosed!: () => void;

  constructor(
    private readonly stream: Duplex,
    private readonly options: QmpConnectionOptions = {},
  ) {
    super();
    this.timeouts = {
      defaultMs: options.timeouts?.defaultMs ?? DEFAULT_QMP_TIMEOUTS.defaultMs,
      commands: { ...DEFAULT_QMP_TIMEOUTS.commands, ...options.timeouts?.commands },
      hmp: { ...DEFAULT_QMP_TIMEOUTS.hmp, ...options.timeouts?.hmp },
    };
    this.closed = new Promise((resolve) => (this.markClosed = resolve));
    stream.on('data', (chunk: Buffer | string) => this.receive(chunk));
    // 'end' alone would leave a half-open forwarded stream; QEMU never half-closes, so any end is the end.
    stream.on('end', () => this.shutDown());
    stream.on('close', () => this.shutDown());
    // QEMU exiting may reset the socket (ECONNRESET); that is a close, not a crash of ours.
    stream.on('error', () => this.shutDown());
  }

  /** Opens a session on `stream`: reads the greeting and negotiates capabilities. */
  static async open(stream: Duplex, options: QmpConnectionOptions = {}): Promise<QmpConnection> {
    const connection = new QmpConnection(stream, options);
    await connection.handshake();
    return connection;
  }

  /** What QEMU said when the session opened (after `handshake`). */
  get greeting(): QmpGreeting | undefined {
    return this.greetingValue;
  }

  /** True once the socket has closed; every command then fails at once. */
  get isClosed(): boolean {
    return !this.isOpen;
  }

  /** Waits for QEMU's greeting, then leaves negotiation mode with qmp_capabilities. */
  async handshake(): Promise<QmpGreeting> {
    const timeoutMs = this.options.handshakeTimeoutMs ?? 5_000;
    try {
      const greeting = await this.waitForGreeting(timeoutMs);
      await this.execute('qmp_capabilities', undefined, timeoutMs);
      return greeting;
    } catch (error) {
      this.close();
      throw error;
    }
  }

  /** Runs one command; resolves with its `return` value, rejects with QmpError, QmpTimeoutError or QmpClosedError. */
  execute<T = unknown>(command: string, args?: QmpArgs, timeoutMs?: number): Promise<T> {
    if (!this.isOpen) return Promise.reject(new QmpClosedError(command));
    const id = this.nextId++;
    const limit = timeoutMs ?? timeoutFor(this.timeouts, command, args);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new QmpTimeoutError(command, limit));
      }, limit);
      this.pending.set(id, { command, resolve: resolve as (value: unknown) => void, reject, timer });
      this.send(args === undefined ? { execute: command, id } : { execute: command, arguments: args, id });
    });
  }

  /** Closes the socket from our side; QEMU keeps running. */
  close(): void {
    this.shutDown();
  }

  private waitForGreeting(timeoutMs: number): Promise<QmpGreeting> {
    if (this.greetingValue) return Promise.resolve(this.greetingValue);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanUp();
        reject(
          new Error(
            `QEMU sent no QMP greeting within ${formatMs(timeoutMs)}. QEMU serves one monitor client at a time: ` +
              'check that no other client holds this socket and that QEMU is not stuck.',
          ),
        );
      }, timeoutMs);
      const onClose = (): void => {
        cleanUp();
        reject(new Error('QEMU closed the monitor socket before its QMP greeting; it has probably exited.'));
      };
      const cleanUp = (): void => {
        clearTimeout(timer);
        this.onGreeting = undefined;
        this.off('close', onClose);
      };
      this.onGreeting = (greeting) => {
        cleanUp();
        resolve(greeting);
      };
      if (!this.isOpen) return onClose();
      this.once('close', onClose);
    });
  }

  private send(message: QmpMessage): void {
    const line = JSON.stringify(message);
    this.options.onTraffic?.('out', line);
    this.stream.write(`${line}\n`);
  }

  private receive(chunk: Buffer | string): void {
    // The decoder keeps a multi-byte character split across chunks until its last byte arrives.
    this.buffered += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    let end: number;
    while ((end = this.buffered.indexOf('\n')) >= 0) {
      const line = this.buffered.slice(0, end).trim();
      this.buffered = this.buffered.slice(end + 1);
      if (line) this.receiveLine(line);
    }
  }

  private receiveLine(line: string): void {
    this.options.onTraffic?.('in', line);
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      return; // Not QMP; the traffic hook has recorded it, and nothing can be matched to it.
    }
    if (typeof message !== 'object' || message === null) return;
    this.dispatch(message as QmpMessage);
  }

  private dispatch(message: QmpMessage): void {
    if ('QMP' in message) {
      this.greetingValue = message.QMP as QmpGreeting;
      this.onGreeting?.(this.greetingValue);
    } else if (typeof message.event === 'string') {
      const data = (message.data ?? {}) as Record<string, unknown>;
      this.emit('event', message.event, data, message.timestamp as QmpTimestamp | undefined);
    } else if (typeof message.id === 'number') {
      this.answer(message.id, message);
    }
  }

  private answer(id: number, message: QmpMessage): void {
    const entry = this.pending.get(id);
    if (!entry) return; // The answer to a command that already timed out.
    this.pending.delete(id);
    clearTimeout(entry.timer);
    const error = message.error as { class?: string; desc?: string } | undefined;
    if (error) entry.reject(new QmpError(entry.command, error.class ?? 'GenericError', error.desc ?? ''));
    else entry.resolve(message.return);
  }

  private shutDown(): void {
    if (!this.isOpen) return;
    this.isOpen = false;
    this.stream.destroy();
    for (const entry of this.pending.values()) {
      clearTimeout(entry.timer);
      entry.reject(new QmpClosedError(entry.command));
    }
    this.pending.clear();
    this.markClosed();
    this.emit('close');
  }
}

/** Connects to a local unix socket, failing with a clear message when QEMU is not listening. */
export function connectUnix(path: string, timeoutMs: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(path);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer from the QMP socket ${path} within ${formatMs(timeoutMs)}; is QEMU stuck?`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(
        new Error(
          `cannot connect to the QMP socket ${path}: ${error.message}. Check that QEMU is running for this VM ` +
            'and was started with this -qmp socket.',
        ),
      );
    });
  });
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`;
}
