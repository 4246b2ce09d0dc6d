import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, posix } from 'node:path';
import type { Duplex } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { Client, type ConnectConfig, type ServerHostKeyAlgorithm } from 'ssh2';
import { ChannelSlots } from './channel-slots.js';
import { fingerprint, hostKeyAlgorithms, knownHostsName, knownKeys } from './known-hosts.js';
import { shellQuote } from './shell-quote.js';
import { abortable, NotOpened, runChannel, withChannel } from './ssh-channel.js';
import { CommandTransport } from './command-transport.js';
import { TransportError, type ExecOptions, type RawResult } from './types.js';

export interface SshOptions {
  /** The host's name in the pool, for error messages. */
  host: string;
  /** Where to connect (SSH_ADDRESS, else the host name). */
  address: string;
  port?: number;
  user?: string;
  /** Defaults to the first of ~/.ssh/id_ed25519, id_ecdsa, id_rsa that exists. */
  privateKeyPath?: string;
  /** OpenSSH known_hosts file the host key must be listed in; defaults to ~/.ssh/known_hosts. */
  knownHostsPath?: string;
  connectTimeoutMs?: number;
  /** Interval of SSH keepalives; three unanswered ones drop the connection. */
  keepaliveMs?: number;
  /** Concurrent exec channels on the connection; more wait (sshd's MaxSessions is 10 by default). */
  maxChannels?: number;
  /** Timeout of an exec that gives none. */
  execTimeoutMs?: number;
}

const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];
/** Tries to open one channel; the waits between refused sessions add up to 10+20+...+320 = 630 ms. */
const OPEN_ATTEMPTS = 7;

/** Runs commands on a host over one reused SSH connection (ssh2); reconnects on the next call after it drops. */
export class SshTransport extends CommandTransport {
  readonly host: string;
  private readonly port: number;
  private readonly user: string;
  private readonly slots: ChannelSlots;
  private connecting: Promise<Client> | null = null;
  private live: Client | null = null;

  constructor(private readonly opts: SshOptions) {
    super();
    this.host = opts.host;
    this.port = opts.port ?? 22;
    this.user = opts.user ?? 'root';
    this.slots = new ChannelSlots(opts.maxChannels ?? 8);
  }

  protected async execRaw(command: string, opts: ExecOptions = {}): Promise<RawResult> {
    const timeoutMs = opts.timeoutMs ?? this.opts.execTimeoutMs;
    const abort = new AbortController();
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => abort.abort(), timeoutMs);
    try {
      await this.slots.acquire(abort.signal);
      try {
        const kill = (pgid: number): void => this.killGroup(pgid);
        return await this.withClient(abort.signal, (c) => runChannel(c, command, opts, abort.signal, kill), true);
      } finally {
        this.slots.release();
      }
    } catch (e) {
      if (abort.signal.aborted) {
        throw new TransportError(`timed out after ${timeoutMs} ms and was stopped`, null, this.host, command);
      }
      throw e instanceof TransportError ? e : new TransportError((e as Error).message, null, this.host, command);
    } finally {
      clearTimeout(timer);
    }
  }

  async openUnixSocket(path: string): Promise<Duplex> {
    try {
      return await this.withClient(undefined, (c) => withChannel((cb) => c.openssh_forwardOutStreamLocal(path, cb), async (ch) => ch));
    } catch (e) {
      if (e instanceof TransportError) throw e;
      const text = `cannot connect to unix socket ${path}: ${(e as Error).message} (does it exist, and does sshd allow AllowStreamLocalForwarding?)`;
      throw new TransportError(text, null, this.host, `connect ${path}`);
    }
  }

  async writeFile(path: string, data: string | Buffer, mode = 0o644): Promise<void> {
    // Written aside and renamed, so a reader (or a script being run) never sees half a file.
    const file = shellQuote(path);
    const tmp = shellQuote(`${path}.tmp-${randomBytes(4).toString('hex')}`);
    const command =
      `mkdir -p ${shellQuote(posix.dirname(path))} && ` +
      `{ cat > ${tmp} && chmod ${mode.toString(8)} ${tmp} && mv -f ${tmp} ${file} || { rm -f ${tmp}; exit 1; }; }`;
    await this.run(command, { stdin: data });
  }

  close(): void {
    this.live?.end();
    this.connecting?.then((c) => c.end(), () => {});
    this.live = null;
    this.connecting = null;
  }

  /** Kills what a timed-out command left running; best effort, as the host may be unreachable by now. */
  private killGroup(pgid: number): void {
    this.exec(`kill -KILL -${pgid} 2>/dev/null`, { timeoutMs: 10_000 }).catch(() => {});
  }

  /**
   * Calls `use` with the live connection, opening one if needed. A channel that did not open ran
   * nothing, so it is tried again: on a new connection if this one had died unnoticed, or, when
   * `sessions` is set, after a short wait if sshd refused it (it counts a session against
   * MaxSessions until it has reaped the previous command, a little after that command's channel closed).
   */
  private async withClient<T>(signal: AbortSignal | undefined, use: (c: Client) => Promise<T>, sessions = false): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await abortable(this.connection(), signal);
      try {
        return await use(client);
      } catch (e) {
        if (!(e instanceof NotOpened) || attempt === OPEN_ATTEMPTS) throw e;
        if (this.live === client && e.message === 'Not connected') this.forget(client);
        else if (this.live === client && sessions) await abortable(delay(5 * 2 ** attempt), signal);
        else if (this.live === client) throw e;
      }
    }
  }

  /** Stops using a connection that closed, so the next call opens a new one. */
  private forget(client: Client): void {
    if (this.live !== client) return;
    this.live = null;
    this.connecting = null;
    client.end();
  }

  private connection(): Promise<Client> {
    if (this.connecting) return this.connecting;
    const pending = this.connect();
    this.connecting = pending;
    pending.catch(() => {
      if (this.connecting === pending) this.connecting = null;
    });
    return pending;
  }

  private async connect(): Promise<Client> {
    const [privateKey, keys] = await Promise.all([this.readKey(), this.hostKeys()]);
    return new Promise((resolve, reject) => {
      const client = new Client();
      let refusal: string | undefined;
      let ready = false;
      const fail = (text: string): void => reject(new TransportError(this.connectError(text), null, this.host, 'ssh connect'));
      // Small request/reply packets: without this, Nagle and delayed ACKs add ~40 ms to every exec.
      client.on('connect', () => client.setNoDelay(true));
      client.on('ready', () => {
        ready = true;
        this.live = client;
        resolve(client);
      });
      // After `ready`, an error is always followed by `close`, which is what matters here.
      client.on('error', (e) => {
        if (!ready) fail(refusal ?? e.message);
      });
      client.on('close', () => {
        if (!ready) fail(refusal ?? 'the connection closed during the handshake');
        this.forget(client);
      });
      const config: ConnectConfig = {
        host: this.opts.address,
        port: this.port,
        username: this.user,
        privateKey,
        readyTimeout: this.opts.connectTimeoutMs ?? 10_000,
        keepaliveInterval: this.opts.keepaliveMs ?? 15_000,
        keepaliveCountMax: 3,
        // Offer only the key types known_hosts lists, so the server shows a key we can check.
        algorithms: { serverHostKey: hostKeyAlgorithms(keys.map((k) => k.type)) as ServerHostKeyAlgorithm[] },
        hostVerifier: (blob: Buffer) => {
          if (keys.some((k) => k.blob.equals(blob))) return true;
          refusal = `its host key (${fingerprint(blob)}) differs from the one in ${this.knownHostsPath()}; ` +
            `if the host was reinstalled, check the new key and replace the entry for ${this.knownName()} ` +
            `(ssh-keygen -R '${this.knownName()}' -f ${this.knownHostsPath()})`;
          return false;
        },
      };
      try {
        client.connect(config);
      } catch (e) {
        fail((e as Error).message);
      }
    });
  }

  private async readKey(): Promise<Buffer> {
    const candidates = this.opts.privateKeyPath ? [this.opts.privateKeyPath] : DEFAULT_KEYS.map((k) => join(homedir(), '.ssh', k));
    for (const path of candidates) {
      try {
        return await readFile(path);
      } catch (e) {
        if (this.opts.privateKeyPath) throw this.setupError(`cannot read the SSH private key ${path}: ${(e as Error).message}`);
      }
    }
    throw this.setupError(`no SSH private key found (looked for ${candidates.join(', ')}); configure the key path`);
  }

  private async hostKeys(): Promise<ReturnType<typeof knownKeys>> {
    const file = this.knownHostsPath();
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      throw this.setupError(`cannot read known_hosts file ${file}: ${(e as Error).message}`);
    }
    const keys = knownKeys(text, this.knownName());
    const usable = hostKeyAlgorithms(keys.map((k) => k.type));
    if (keys.length === 0 || usable.length === 0) {
      const scan = `ssh-keyscan${this.port === 22 ? '' : ` -p ${this.port}`} ${this.opts.address}`;
      const what = keys.length === 0 ? 'no host key' : `no host key of a type this client can check (${keys.map((k) => k.type).join(', ')})`;
      throw this.setupError(`${file} has ${what} for ${this.knownName()}; check the host's key and add it (${scan} >> ${file})`);
    }
    return keys;
  }

  private knownHostsPath(): string {
    return this.opts.knownHostsPath ?? join(homedir(), '.ssh', 'known_hosts');
  }

  private knownName(): string {
    return knownHostsName(this.opts.address, this.port);
  }

  private setupError(text: string): TransportError {
    return new TransportError(this.connectError(text), null, this.host, 'ssh connect');
  }

  private connectError(text: string): string {
    const hint = /authentication methods failed/i.test(text) ? ' (is the front-end\'s public key in the host\'s authorized_keys?)' : '';
    return `cannot connect to ${this.user}@${this.opts.address}:${this.port}: ${text}${hint}`;
  }
}
