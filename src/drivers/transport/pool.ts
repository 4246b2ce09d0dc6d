import { hostname } from 'node:os';
import { getSingle } from '../../template/access.js';
import type { Template } from '../../template/types.js';
import { LocalTransport } from './local.js';
import { SshTransport, type SshOptions } from './ssh.js';
import { TransportError, type Transport } from './types.js';

const SETTINGS = 'choosing how to reach the host';

/** What the pool needs of a host; a domain Host fits. */
export interface HostRef {
  name: string;
  template: Template;
}

/** The daemon's SSH settings, which a host's TEMPLATE may override (SSH_ADDRESS, SSH_USER, SSH_PORT). */
export type SshDefaults = Omit<SshOptions, 'host' | 'address'>;

export interface PoolOptions {
  ssh?: SshDefaults;
  /** Host names that mean the front-end itself; defaults to localhost and this machine's name. */
  frontEndNames?: string[];
  /** Timeout of a local exec that gives none. */
  localExecTimeoutMs?: number;
}

/** One transport per host, made on first use and kept: local for the front-end, SSH for the rest. */
export class TransportPool {
  private readonly cache = new Map<string, { key: string; transport: Transport }>();
  private readonly frontEnd: Set<string>;

  constructor(private readonly opts: PoolOptions = {}) {
    this.frontEnd = new Set(opts.frontEndNames ?? ['localhost', hostname()]);
  }

  /**
   * The transport for a host. A host is reached locally when its TEMPLATE says TRANSPORT = "local"
   * or, without TRANSPORT, when it is named like the front-end. A host whose settings changed
   * (onehost update) gets a new transport; the old one is closed.
   */
  forHost(host: HostRef): Transport {
    const settings = this.settings(host);
    const key = JSON.stringify(settings);
    const cached = this.cache.get(host.name);
    if (cached?.key === key) return cached.transport;
    cached?.transport.close();
    const transport = settings === 'local'
      ? new LocalTransport({ host: host.name, execTimeoutMs: this.opts.localExecTimeoutMs })
      : new SshTransport(settings);
    this.cache.set(host.name, { key, transport });
    return transport;
  }

  /** Closes the transport of a host that was deleted. */
  forget(name: string): void {
    this.cache.get(name)?.transport.close();
    this.cache.delete(name);
  }

  /** Closes every transport (daemon shutdown). */
  closeAll(): void {
    for (const { transport } of this.cache.values()) transport.close();
    this.cache.clear();
  }

  private settings(host: HostRef): 'local' | SshOptions {
    const transport = getSingle(host.template, 'TRANSPORT')?.toLowerCase();
    if (transport !== undefined && transport !== 'local' && transport !== 'ssh') {
      throw new TransportError(`TRANSPORT = "${transport}" is not known; set it to "local" or "ssh" (onehost update)`, null, host.name, SETTINGS);
    }
    if (transport === 'local' || (transport === undefined && this.frontEnd.has(host.name))) return 'local';
    const user = getSingle(host.template, 'SSH_USER');
    const port = sshPort(host);
    return {
      ...this.opts.ssh,
      host: host.name,
      address: getSingle(host.template, 'SSH_ADDRESS') || host.name,
      ...(port !== undefined && { port }),
      ...(user && { user }),
    };
  }
}

function sshPort(host: HostRef): number | undefined {
  const text = getSingle(host.template, 'SSH_PORT')?.trim();
  if (!text) return undefined;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) {
    throw new TransportError(`SSH_PORT = "${text}" is not a port number; set it to 1-65535 (onehost update)`, null, host.name, SETTINGS);
  }
  return port;
}
