import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Duplex } from 'node:stream';

/** An event the fake sends, as QEMU would (the timestamp is added). */
export interface FakeEvent {
  event: string;
  data?: Record<string, unknown>;
}

/** How the fake answers one command. With no `error` and no `never`, it answers `return` (default {}). */
export interface FakeReply {
  return?: unknown;
  error?: { class: string; desc: string };
  /** Never answer (a hung QEMU). */
  never?: boolean;
  /** Answer after this many milliseconds. */
  delayMs?: number;
  /** Events sent just before the answer, as QEMU does for stop, cont and quit. */
  events?: FakeEvent[];
  /** Close the socket after answering, as QEMU does when it exits on quit. */
  thenClose?: boolean;
}

/** A command the fake received. */
export interface FakeCall {
  command: string;
  args?: Record<string, unknown>;
  id?: unknown;
}

/** A fixed reply, or one computed from the call (for stateful or argument-checking scripts). */
export type FakeScript = FakeReply | ((call: FakeCall) => FakeReply);

export interface FakeQmpServerOptions {
  /** Send no greeting, like a QEMU whose monitor is held by another client. */
  silent?: boolean;
}

interface Session {
  stream: Duplex;
  negotiated: boolean;
}

const GREETING = {
  QMP: { version: { qemu: { micro: 0, minor: 2, major: 7 }, package: 'nimbus-fake' }, capabilities: ['oob'] },
};

/**
 * A stand-in for QEMU's QMP monitor, reached through `connect()` (in memory) or `listen()` (a unix
 * socket). Its defaults behave like QEMU 7.2 for the life-cycle commands; `answer` scripts the rest.
 */
export class FakeQmpServer {
  /** Every command received, in order, including qmp_capabilities. */
  readonly calls: FakeCall[] = [];
  /** The run state that query-status reports; stop and cont change it. */
  status = 'running';
  private readonly scripts = new Map<string, FakeScript>();
  private readonly sessions = new Set<Session>();
  private readonly callWaiters: Array<{ command: string; index: number; resolve: (call: FakeCall) => void }> = [];
  private readonly claimed = new Map<string, number>();
  private server: net.Server | undefined;
  private dir: string | undefined;

  constructor(private readonly options: FakeQmpServerOptions = {}) {}

  /** Scripts the answer to `command` (replacing any earlier script or default). */
  answer(command: string, script: FakeScript): this {
    this.scripts.set(command, script);
    return this;
  }

  /** Opens an in-memory session and returns the client's end of it. */
  connect(): Duplex {
    const [client, server] = duplexPair();
    this.serve(server);
    return client;
  }

  /** Listens on a unix socket in a fresh temporary directory; returns the socket's path. */
  async listen(): Promise<string> {
    this.dir = mkdtempSync(join(tmpdir(), 'nimbus-qmp-'));
    const path = join(this.dir, 'qmp.sock');
    this.server = net.createServer((socket) => this.serve(socket));
    await new Promise<void>((resolve) => this.server!.listen(path, resolve));
    return path;
  }

  /** Resolves with the oldest call of `command` that no earlier nextCall returned, waiting for it if need be. */
  nextCall(command: string): Promise<FakeCall> {
    const index = this.claimed.get(command) ?? 0;
    this.claimed.set(command, index + 1);
    const call = this.calls.filter((c) => c.command === command)[index];
    if (call) return Promise.resolve(call);
    return new Promise((resolve) => this.callWaiters.push({ command, index, resolve }));
  }

  /** Sends an event to every session past capabilities negotiation. */
  emit(event: string, data?: Record<string, unknown>): void {
    for (const session of this.sessions) if (session.negotiated) this.sendEvent(session, { event, data });
  }

  /** Writes text to every session exactly as given (to test partial and coalesced lines). */
  sendRaw(text: string | Buffer): void {
    for (const session of this.sessions) session.stream.write(text);
  }

  /** Closes every session's socket, as QEMU does when it exits. */
  dropConnections(): void {
    for (const session of this.sessions) session.stream.destroy();
    this.sessions.clear();
  }

  /** How many sessions are open now. */
  get connectionCount(): number {
    return this.sessions.size;
  }

  /** Drops every session, stops listening and removes the socket's directory. */
  async close(): Promise<void> {
    this.dropConnections();
    if (this.server) await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.server = undefined;
    this.dir = undefined;
  }

  private serve(stream: Duplex): void {
    const session: Session = { stream, negotiated: false };
    this.sessions.add(session);
    stream.on('close', () => this.sessions.delete(session));
    stream.on('error', () => this.sessions.delete(session));
    if (!this.options.silent) stream.write(`${JSON.stringify(GREETING)}\n`);
    createInterface({ input: stream }).on('line', (line) => this.receive(session, line));
  }

  private receive(session: Session, line: string): void {
    if (!line.trim()) return;
    let message: { execute?: string; arguments?: Record<string, unknown>; id?: unknown };
    try {
      message = JSON.parse(line);
    } catch {
      return this.send(session, { error: { class: 'GenericError', desc: 'JSON parse error' } });
    }
    const call: FakeCall = { command: String(message.execute), args: message.arguments, id: message.id };
    this.calls.push(call);
    const reply = this.replyTo(session, call);
    const index = this.calls.filter((c) => c.command === call.command).length - 1;
    const waiter = this.callWaiters.findIndex((w) => w.command === call.command && w.index === index);
    if (waiter >= 0) this.callWaiters.splice(waiter, 1)[0].resolve(call);
    if (reply.never) return;
    if (reply.delayMs) setTimeout(() => this.deliver(session, call, reply), reply.delayMs);
    else this.deliver(session, call, reply);
  }

  private replyTo(session: Session, call: FakeCall): FakeReply {
    if (!session.negotiated && call.command !== 'qmp_capabilities') {
      return { error: { class: 'CommandNotFound', desc: "Expecting capabilities negotiation with 'qmp_capabilities'" } };
    }
    const script = this.scripts.get(call.command) ?? this.defaults[call.command];
    if (!script) return { error: { class: 'CommandNotFound', desc: `The command ${call.command} has not been found` } };
    return typeof script === 'function' ? script(call) : script;
  }

  private deliver(session: Session, call: FakeCall, reply: FakeReply): void {
    if (!this.sessions.has(session)) return;
    if (call.command === 'qmp_capabilities' && !reply.error) session.negotiated = true;
    for (const event of reply.events ?? []) this.sendEvent(session, event);
    const id = call.id === undefined ? {} : { id: call.id };
    this.send(session, reply.error ? { error: reply.error, ...id } : { return: reply.return ?? {}, ...id });
    if (reply.thenClose) {
      this.sessions.delete(session);
      session.stream.end();
    }
  }

  private sendEvent(session: Session, event: FakeEvent): void {
    const now = Date.now();
    const timestamp = { seconds: Math.floor(now / 1000), microseconds: (now % 1000) * 1000 };
    this.send(session, { timestamp, event: event.event, ...(event.data ? { data: event.data } : {}) });
  }

  private send(session: Session, message: unknown): void {
    session.stream.write(`${JSON.stringify(message)}\n`);
  }

  /** QEMU 7.2's behaviour for the commands every driver test needs. */
  private readonly defaults: Record<string, FakeScript> = {
    qmp_capabilities: {},
    'query-status': () => ({ return: { status: this.status, singlestep: false, running: this.status === 'running' } }),
    stop: () => {
      this.status = 'paused';
      return { events: [{ event: 'STOP' }] };
    },
    cont: () => {
      this.status = 'running';
      return { events: [{ event: 'RESUME' }] };
    },
    system_powerdown: { events: [{ event: 'POWERDOWN' }] },
    system_reset: { events: [{ event: 'RESET', data: { guest: false, reason: 'host-qmp-system-reset' } }] },
    quit: { events: [{ event: 'SHUTDOWN', data: { guest: false, reason: 'host-qmp-quit' } }], thenClose: true },
  };
}

/** Two connected in-memory streams: what one writes the other reads; destroying one closes both. */
export function duplexPair(): [Duplex, Duplex] {
  const ended = new WeakSet<Duplex>();
  // Pushing into a destroyed or ended stream is an error in Node; a real socket just drops the bytes.
  const deliver = (to: Duplex, chunk: Buffer | null): void => {
    if (to.destroyed || ended.has(to)) return;
    if (chunk === null) ended.add(to);
    to.push(chunk);
  };
  const make = (peer: () => Duplex): Duplex =>
    new Duplex({
      read() {},
      write(chunk: Buffer, _encoding, callback) {
        deliver(peer(), chunk);
        callback();
      },
      final(callback) {
        deliver(peer(), null);
        callback();
      },
      destroy(error, callback) {
        if (!peer().destroyed) peer().destroy();
        callback(error);
      },
    });
  const a: Duplex = make(() => b);
  const b: Duplex = make(() => a);
  return [a, b];
}
