import { setTimeout as sleep } from 'node:timers/promises';
import type { Host } from '../../domain/host.js';
import { getVector, getVectors } from '../../template/access.js';
import { diskSnapshotTarget } from '../disk-snapshot-target.js';
import { diskMarkedFor } from '../disk-operation-target.js';
import { activeSnapshotName, shutdownTimeout } from '../guest-settings.js';
import { pathsOf, type HostAccess } from '../host-access.js';
import { shellQuote as q } from '../transport/shell-quote.js';
import type { Transport } from '../transport/types.js';
import { DriverError, type VmContext, type VmmAction, type VmmDriver } from '../types.js';
import { diskPciSlot, qemuArgs, tapName } from './command-line.js';
import { attachDisk, detachDisk, resizeDisk } from './disk-hotplug.js';
import { deleteDiskSnapshot, takeDiskSnapshot } from './disk-snapshots.js';
import { forceDestroy, qemuHostSettings, type QemuHostSettings } from './host-settings.js';
import { saveDiskLive } from './disk-saveas.js';
import { hotplugLayout, type HotplugLayout } from './hotplug-layout.js';
import { resizeGuest } from './live-resize.js';
import { hostBridges, killQemu, plugTap, qemuPid, startQemu, unplugTaps, waitForExit } from './processes.js';
import * as qmp from './qmp/commands.js';
import type { MonitorRegistry, VmMonitor } from './qmp/monitor.js';
import { revertSnapshot, takeSnapshot } from './snapshots.js';
import { vmFiles, type VmFiles } from './vm-files.js';

/** What the qemu VMM driver works with. */
export interface QemuVmmDeps {
  access: HostAccess;
  monitors: MonitorRegistry;
  /** The accelerator a host runs guests with (its ACCEL setting, else a cached real probe). */
  accel(host: Host, settings: QemuHostSettings): Promise<'kvm' | 'tcg'>;
}

/** One VM on one host: how to reach it and where its files are. */
interface Placed {
  host: Host;
  t: Transport;
  settings: QemuHostSettings;
  files: VmFiles;
  monitor: VmMonitor;
}

const POLL_MS = 100;
const QUIT_WAIT_MS = 10_000;
const BOOT_WAIT_MS = 120_000;
const SAVE_TIMEOUT_MS = 600_000;


/** The port a live migration of VM `vmId` arrives on at its destination. */
function migrationPort(vmId: number): number {
  return 49152 + (vmId % 16384);
}

/**
 * The qemu VMM driver: QEMU processes on hosts reached through their transport, driven over QMP by one
 * monitor per VM. Every action is idempotent: run again after a daemon restart, it finds what the first
 * run did (a running process, a checkpoint, a completed migration) and finishes from there.
 */
export function createQemuVmm(deps: QemuVmmDeps): VmmDriver {
  const place = (ctx: VmContext, host: Host = ctx.host): Placed => {
    const t = deps.access.transport(host);
    const settings = qemuHostSettings(host, pathsOf(deps.access, host));
    const files = vmFiles(ctx.vm.id, settings.location, settings.runDir);
    const monitor = deps.monitors.get(monitorKey(host, files), () => t.openUnixSocket(files.qmp));
    return { host, t, settings, files, monitor };
  };

  /** Starts QEMU for the VM, booting, or loading `incoming` into `layout`; NIC taps are plugged first. */
  const start = async (ctx: VmContext, p: Placed, incoming?: string, layout?: HotplugLayout) => {
    const nics = getVectors(ctx.vm.template, 'NIC');
    const bridges = nics.some((n) => n.BRIDGE) ? await hostBridges(p.t) : new Set<string>();
    for (const nic of nics) if (nic.BRIDGE && bridges.has(nic.BRIDGE)) await plugTap(p.t, tapName(ctx.vm.id, nic.NIC_ID ?? '0'), nic.BRIDGE);
    const args = qemuArgs(ctx.vm, { files: p.files, accel: await deps.accel(p.host, p.settings), bridges, incoming, layout });
    p.monitor.disconnect();
    await startQemu(p.t, p.settings.emulator, p.files, args);
    const password = getVector(ctx.vm.template, 'GRAPHICS')?.PASSWD;
    if (password) await p.monitor.run((c) => qmp.setPassword(c, password));
  };

  /** Stops QEMU now: QMP quit, then SIGKILL if it lingers. */
  const hardStop = async (p: Placed) => {
    if ((await qemuPid(p.t, p.files)) !== null) {
      await p.monitor.run((c) => qmp.quit(c)).catch(() => {});
      if (!(await waitForExit(p.t, p.files, QUIT_WAIT_MS))) {
        await killQemu(p.t, p.files);
        if (!(await waitForExit(p.t, p.files, QUIT_WAIT_MS))) throw new DriverError(`QEMU of ${p.files.deployId} on ${p.host.name} survived SIGKILL`);
      }
    }
    p.monitor.disconnect();
    await unplugTaps(p.t, p.files.deployId);
  };

  const running = async (p: Placed) => (await qemuPid(p.t, p.files)) !== null;

  /** The VM placed on its host, which must run QEMU for the guest (live operations). */
  const live = async (ctx: VmContext) => {
    const p = place(ctx);
    if (!(await running(p))) throw new DriverError(`${p.files.deployId} is not running on ${p.host.name}`);
    return p;
  };

  /** Waits until an incoming migration has loaded and the guest runs. */
  const untilRunning = async (p: Placed, ms: number) => {
    const until = Date.now() + ms;
    for (;;) {
      const s = await p.monitor.run((c) => qmp.status(c));
      if (s.running) return;
      if (!['inmigrate', 'prelaunch', 'paused'].includes(s.status) || Date.now() > until) {
        throw new DriverError(`${p.files.deployId} on ${p.host.name} did not start running: QEMU is in state ${s.status}`);
      }
      // A guest loaded from a checkpoint that was paused when saved stays paused: let it run.
      if (s.status === 'paused') await p.monitor.run((c) => qmp.cont(c));
      else await sleep(POLL_MS);
    }
  };

  /** Follows a migration started on `p` until it ends; cancels it after `ms`. */
  const migration = async (p: Placed, ms: number) => {
    const until = Date.now() + ms;
    for (;;) {
      const info = await p.monitor.run((c) => qmp.queryMigrate(c));
      if (info.status === 'completed' || info.status === 'failed' || info.status === 'cancelled') return info;
      if (Date.now() > until) {
        await p.monitor.run((c) => qmp.migrateCancel(c));
        return { ...info, status: 'failed' as const, errorDesc: `it did not complete within ${Math.round(ms / 1000)} s and was cancelled` };
      }
      await sleep(POLL_MS);
    }
  };

  const actions: Record<VmmAction, (ctx: VmContext) => Promise<string>> = {
    deploy: async (ctx) => {
      const p = place(ctx);
      if (!(await running(p))) await start(ctx, p);
      return p.files.deployId;
    },

    shutdown: async (ctx) => {
      const p = place(ctx);
      const timeoutMs = shutdownTimeout(ctx.vm, p.host) * 1000;
      const until = Date.now() + timeoutMs;
      while (await running(p)) {
        if (Date.now() >= until) {
          if (!forceDestroy(ctx.vm, p.settings)) {
            throw new DriverError(
              `Timed out shutting down ${p.files.deployId}: the guest did not power off within ${timeoutMs / 1000} s of ACPI requests; ` +
                'use --hard, or set FORCE_DESTROY = "yes" on the host or the VM',
            );
          }
          await hardStop(p);
          break;
        }
        // The power button is pressed again every ACPI_RETRY seconds: a guest may miss the first press.
        await p.monitor.run((c) => qmp.powerdown(c)).catch(() => {});
        await waitForExit(p.t, p.files, Math.min(p.settings.acpiRetry * 1000, until - Date.now()));
      }
      p.monitor.disconnect();
      await unplugTaps(p.t, p.files.deployId);
      return '';
    },

    cancel: async (ctx) => {
      await hardStop(place(ctx));
      return '';
    },

    save: async (ctx) => {
      const p = place(ctx);
      const { checkpoint } = p.files;
      if (!(await running(p))) {
        if ((await p.t.exec(`test -f ${q(checkpoint)}`)).code === 0) return '';
        throw new DriverError(`${p.files.deployId} is not running on ${p.host.name} and has no checkpoint to keep`);
      }
      await p.monitor.run((c) => qmp.stop(c));
      const layout = await p.monitor.run((c) => hotplugLayout(c));
      await p.t.writeFile(p.files.checkpointLayout, JSON.stringify(layout));
      await p.monitor.run((c) => qmp.migrate(c, `exec:cat > ${q(`${checkpoint}.part`)}`));
      const info = await migration(p, SAVE_TIMEOUT_MS);
      if (info.status !== 'completed') {
        await p.monitor.run((c) => qmp.cont(c)).catch(() => {});
        throw new DriverError(`saving the memory of ${p.files.deployId} failed: ${info.errorDesc ?? info.status}`);
      }
      await p.t.run(`mv ${q(`${checkpoint}.part`)} ${q(checkpoint)}`);
      await hardStop(p);
      return '';
    },

    restore: async (ctx) => {
      const p = place(ctx);
      const { checkpoint } = p.files;
      if (!(await running(p))) {
        if ((await p.t.exec(`test -f ${q(checkpoint)}`)).code !== 0) {
          throw new DriverError(`${p.files.deployId} has no checkpoint at ${checkpoint} on ${p.host.name} to resume from`);
        }
        const layout = (await p.t.exec(`cat ${q(p.files.checkpointLayout)}`)).stdout;
        await start(ctx, p, `exec:cat ${q(checkpoint)}`, layout ? (JSON.parse(layout) as HotplugLayout) : undefined);
      }
      await untilRunning(p, BOOT_WAIT_MS);
      await p.t.run(`rm -f ${q(checkpoint)} ${q(p.files.checkpointLayout)}`);
      return '';
    },

    reboot: async (ctx) => {
      const p = place(ctx);
      const timeoutMs = shutdownTimeout(ctx.vm, p.host) * 1000;
      // The guest's own shutdown pauses QEMU instead of ending it; a reset then boots it again.
      await p.monitor.run((c) => qmp.setShutdownAction(c, 'pause'));
      try {
        await p.monitor.runAndWait('SHUTDOWN', (e) => e.guest, timeoutMs, (c) => qmp.powerdown(c)).catch(() => {
          throw new DriverError(`${p.files.deployId} did not reboot: the guest did not answer ACPI within ${timeoutMs / 1000} s; use reboot --hard`);
        });
        await p.monitor.run((c) => qmp.reset(c));
        await p.monitor.run((c) => qmp.cont(c));
      } finally {
        await p.monitor.run((c) => qmp.setShutdownAction(c, 'poweroff')).catch(() => {});
      }
      return '';
    },

    reset: async (ctx) => {
      const p = place(ctx);
      if (!(await running(p))) throw new DriverError(`${p.files.deployId} is not running on ${p.host.name}`);
      await p.monitor.run((c) => qmp.reset(c));
      return '';
    },

    migrate: async (ctx) => {
      if (!ctx.sourceHost) throw new DriverError(`VM ${ctx.vm.id} has no source host to migrate from`);
      const src = place(ctx, ctx.sourceHost);
      const dst = place(ctx, ctx.host);
      if (src.files.dir !== dst.files.dir) {
        throw new DriverError(`live migration needs a shared system datastore: ${ctx.sourceHost.name} keeps the VM at ${src.files.dir}, ${ctx.host.name} would look at ${dst.files.dir}`);
      }
      if (!(await running(src))) {
        // A migration completed before a daemon restart leaves only the destination running.
        if (await running(dst)) return '';
        throw new DriverError(`${src.files.deployId} runs neither on ${ctx.sourceHost.name} nor on ${ctx.host.name}`);
      }
      if (await running(dst)) await hardStop(dst);
      const uri = `tcp:${dst.settings.migrationAddress}:${migrationPort(ctx.vm.id)}`;
      await start(ctx, dst, uri, await src.monitor.run((c) => hotplugLayout(c)));
      await src.monitor.run((c) => qmp.migrateSetParameters(c, { downtimeLimitMs: src.settings.migrateDowntime }));
      await src.monitor.run((c) => qmp.migrate(c, uri));
      const info = await migration(src, src.settings.migrateTimeout * 1000);
      if (info.status !== 'completed') {
        await hardStop(dst).catch(() => {});
        const s = await src.monitor.run((c) => qmp.status(c));
        if (!s.running) await src.monitor.run((c) => qmp.cont(c));
        throw new DriverError(`live migration of ${src.files.deployId} to ${ctx.host.name} failed (${info.errorDesc ?? info.status}); it keeps running on ${ctx.sourceHost.name}`);
      }
      await hardStop(src);
      deps.monitors.forget(monitorKey(src.host, src.files));
      await untilRunning(dst, BOOT_WAIT_MS);
      return `downtime ${info.downtimeMs ?? 0} ms, total ${info.totalTimeMs ?? 0} ms`;
    },

    // Internal qcow2 snapshots named after the SNAPSHOT marked ACTIVE (onesnap-<SNAPSHOT_ID>).
    snapshot_create: async (ctx) => {
      const name = activeSnapshotName(ctx.vm);
      const p = await live(ctx);
      await p.monitor.run((c) => takeSnapshot(c, ctx.vm, name));
      return name;
    },

    snapshot_revert: async (ctx) => {
      const name = activeSnapshotName(ctx.vm);
      const p = await live(ctx);
      await p.monitor.run((c) => revertSnapshot(c, name, `${p.files.deployId} on ${p.host.name}`));
      return '';
    },

    snapshot_delete: async (ctx) => {
      const name = activeSnapshotName(ctx.vm);
      const p = await live(ctx);
      // delvm of a snapshot already gone says nothing: a retry succeeds.
      await p.monitor.run((c) => qmp.delvm(c, name));
      return '';
    },

    // Internal snapshots of one qcow2 disk (disk-snap-<id>), the disk and snapshot from the tree's pending mark.
    disk_snapshot_create: async (ctx) => {
      const target = diskSnapshotTarget(ctx.vm, 'CREATE');
      const p = await live(ctx);
      await p.monitor.run((c) => takeDiskSnapshot(c, target, `${p.files.deployId} on ${p.host.name}`));
      return target.name;
    },

    disk_snapshot_delete: async (ctx) => {
      const target = diskSnapshotTarget(ctx.vm, 'DELETE');
      const p = await live(ctx);
      await p.monitor.run((c) => deleteDiskSnapshot(c, target, `${p.files.deployId} on ${p.host.name}`));
      return '';
    },

    // The disk marked by HOTPLUG_SAVE_AS, copied by QEMU at one instant (disk-saveas.ts).
    disk_saveas: async (ctx) => {
      await saveDiskLive(ctx.vm, await live(ctx), deps.access.frontEnd);
      return '';
    },

    // Disk hotplug and growth, on the DISK marked for it (its file made or removed by the TM around it).
    attach_disk: async (ctx) => {
      const disk = diskMarkedFor(ctx.vm, 'attach');
      const p = await live(ctx);
      await p.monitor.run((c) => attachDisk(c, disk, p.files.disk(disk.DISK_ID!), diskPciSlot(disk.DISK_ID!)));
      return '';
    },

    detach_disk: async (ctx) => {
      const disk = diskMarkedFor(ctx.vm, 'detach');
      await detachDisk((await live(ctx)).monitor, disk.DISK_ID!);
      return '';
    },

    resize_disk: async (ctx) => {
      const disk = diskMarkedFor(ctx.vm, 'resize');
      const p = await live(ctx);
      await p.monitor.run((c) => resizeDisk(c, disk.DISK_ID!, Number(disk.SIZE)));
      return '';
    },

    resize: async (ctx) => {
      const p = await live(ctx);
      await p.monitor.run((c) => resizeGuest(c, ctx.vm, p.files.deployId));
      return '';
    },

    cleanup: async (ctx) => {
      const p = place(ctx);
      await hardStop(p);
      deps.monitors.forget(monitorKey(p.host, p.files));
      return '';
    },
  };
  return actions;
}

/** Monitors are per VM and per host: during a live migration one VM has a QEMU on two hosts. */
function monitorKey(host: Host, files: VmFiles): string {
  return `${host.name}/${files.deployId}`;
}
