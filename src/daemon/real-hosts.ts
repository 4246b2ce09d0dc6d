import { join } from 'node:path';
import type { Host } from '../domain/host.js';
import type { HostAccess } from '../drivers/host-access.js';
import type { QemuHostSettings } from '../drivers/qemu/host-settings.js';
import { MonitorRegistry } from '../drivers/qemu/qmp/monitor.js';
import { remotesDir } from '../drivers/remotes-dir.js';
import { LocalTransport } from '../drivers/transport/local.js';
import { TransportPool } from '../drivers/transport/pool.js';
import { syncRemotes } from '../drivers/transport/remotes.js';
import { shellQuote as q } from '../drivers/transport/shell-quote.js';
import { getSingle } from '../template/access.js';
import type { DaemonConfig } from './config.js';

/** Everything the real (qemu, ssh, shared) drivers share: transports, QMP monitors, remotes, accelerators. */
export interface RealHosts {
  access: HostAccess;
  monitors: MonitorRegistry;
  /** Syncs the host-side scripts to a host; resolves with where they are. */
  remotes(host: Host): Promise<string>;
  accel(host: Host, settings: QemuHostSettings): Promise<'kvm' | 'tcg'>;
  /** Called when a guest powered itself off or its QEMU went away: time to probe its host. */
  onGuestChange: () => void;
  close(): void;
}

/** Where hosts keep VM files unless their template says otherwise. */
const REMOTE_PATHS = { location: '/var/lib/nimbus/datastores', runDir: '/var/run/nimbus' };

/** The real-host environment of a daemon with this configuration. */
export function realHosts(cfg: DaemonConfig): RealHosts {
  const pool = new TransportPool({ ssh: cfg.ssh });
  const frontEndLocation = join(cfg.dataDir, 'datastores');
  const localPaths = { location: frontEndLocation, runDir: join(cfg.dataDir, 'run') };
  const access: HostAccess = {
    transport: (host) => pool.forHost(host),
    frontEnd: new LocalTransport({ host: 'front-end' }),
    frontEndLocation,
    defaultPaths: (host) => (pool.forHost(host) instanceof LocalTransport ? localPaths : REMOTE_PATHS),
  };
  const scripts = join(remotesDir(), 'qemu');
  const remotes = async (host: Host) => {
    const dir = getSingle(host.template, 'REMOTE_DIR') ?? cfg.remoteDir;
    await syncRemotes(pool.forHost(host), scripts, dir);
    return dir;
  };
  // A host's accelerator is probed once per daemon run: a real boot under KVM, else TCG.
  const probed = new Map<string, Promise<'kvm' | 'tcg'>>();
  const accel = (host: Host, settings: QemuHostSettings) => {
    if (settings.accel !== 'auto') return Promise.resolve(settings.accel);
    const key = `${host.name}\0${settings.emulator}`;
    let answer = probed.get(key);
    if (!answer) {
      answer = remotes(host)
        .then((dir) => pool.forHost(host).run(`sh ${q(`${dir}/kvm-probe.sh`)} ${q(settings.emulator)}`, { timeoutMs: 30_000 }))
        .then((out) => (out.trim() === 'kvm' ? 'kvm' : 'tcg'));
      answer.catch(() => probed.delete(key));
      probed.set(key, answer);
    }
    return answer;
  };
  const monitors = new MonitorRegistry();
  const hosts: RealHosts = {
    access, monitors, remotes, accel,
    onGuestChange: () => {},
    close: () => {
      monitors.forgetAll();
      pool.closeAll();
    },
  };
  // QMP tells at once what a probe would find later: the guest shut itself down, or QEMU is gone.
  monitors.onCreate((m) => {
    m.on('SHUTDOWN', (e) => e.guest && hosts.onGuestChange());
    m.on('disconnect', () => hosts.onGuestChange());
  });
  return hosts;
}
