import type { DiskOperation } from '../../domain/vm-disk-operations.js';
import { diskMarkedFor } from '../disk-operation-target.js';
import type { Vm } from '../../domain/vm.js';
import { getSingle } from '../../template/access.js';
import { DriverError, VMM_ACTIONS, type VmContext, type VmmAction, type VmmDriver } from '../types.js';
import { diskSnapshotTarget } from '../disk-snapshot-target.js';
import { activeSnapshotName, deployIdOf, shutdownTimeout } from '../guest-settings.js';
import { guestIgnoresAcpi } from './guest.js';
import {
  findCheckpoint,
  findDomain,
  readHypervisor,
  removeCheckpoint,
  removeDomain,
  updateHypervisor,
  type Checkpoint,
  type Domain,
} from './hypervisor.js';
import { copySourceImage } from './saveas.js';
import { playScript, realSleep, type Sleep } from './script.js';

export interface DummyVmmOptions {
  sleep?: Sleep;
  /** Milliseconds since the epoch, like Date.now. */
  now?: () => number;
}

interface Env {
  sleep: Sleep;
  now: () => number;
}

/**
 * The dummy VMM driver: every action first plays the host's DUMMY_ACTIONS script, then acts on the
 * host's simulated hypervisor. Actions are idempotent where a retry after a daemon restart needs it.
 */
export function createDummyVmm(opts: DummyVmmOptions = {}): VmmDriver {
  const env: Env = { sleep: opts.sleep ?? realSleep, now: opts.now ?? Date.now };
  const entries = VMM_ACTIONS.map((action) => [
    action,
    async (ctx: VmContext) => {
      await playScript(ctx.host, action.toUpperCase(), env.sleep);
      return EFFECTS[action](ctx, env);
    },
  ]);
  return Object.fromEntries(entries) as VmmDriver;
}

const EFFECTS: Record<VmmAction, (ctx: VmContext, env: Env) => Promise<string>> = {
  deploy: async ({ vm, host, dataDir }, env) => {
    await updateHypervisor(dataDir, host.id, (hv) => {
      if (!findDomain(hv, vm.id)) hv.domains.push(newDomain(vm, env));
    });
    return deployIdOf(vm.id);
  },

  shutdown: async ({ vm, host, dataDir }, env) => {
    const timeout = guestIgnoresAcpi(vm) ? shutdownTimeout(vm, host) : undefined;
    const present = await updateHypervisor(dataDir, host.id, (hv) => {
      const found = Boolean(findDomain(hv, vm.id));
      if (timeout === undefined) removeDomain(hv, vm.id);
      return found;
    });
    // A domain already gone is a shutdown done, e.g. before a daemon restart.
    if (!present || timeout === undefined) return '';
    await env.sleep(timeout * 1000);
    // The guest may have gone meanwhile (a cancel, or it powered itself off): that is a shutdown too.
    if (findDomain(await readHypervisor(dataDir, host.id), vm.id)) {
      throw new DriverError(`Timed out shutting down ${deployIdOf(vm.id)}`);
    }
    return '';
  },

  cancel: async ({ vm, host, dataDir }) => {
    await updateHypervisor(dataDir, host.id, (hv) => removeDomain(hv, vm.id));
    return '';
  },

  save: async ({ vm, host, dataDir }, env) => {
    await updateHypervisor(dataDir, host.id, (hv) => {
      const domain = findDomain(hv, vm.id);
      if (!domain) {
        if (findCheckpoint(hv, vm.id)) return; // saved already: a retry
        throw notFound(vm, host.name);
      }
      removeDomain(hv, vm.id);
      hv.checkpoints.push({
        deployId: domain.deployId, vmId: vm.id, cpu: domain.cpu, memory: domain.memory, saved: seconds(env),
      });
    });
    return '';
  },

  restore: async ({ vm, host, sourceHost, dataDir }, env) => {
    const done = await updateHypervisor(dataDir, host.id, (hv) => {
      const domain = findDomain(hv, vm.id);
      const checkpoint = removeCheckpoint(hv, vm.id);
      if (domain) domain.state = 'running'; // restored already, or a paused guest resumed
      else if (checkpoint) hv.domains.push(fromCheckpoint(checkpoint, env));
      return Boolean(domain || checkpoint);
    });
    if (done) return '';
    // The checkpoint may still be where the VM was saved (stop and resume elsewhere, cold migration):
    // the dummy TM moves no files. Add the domain first, drop the checkpoint after, so a crash in between
    // leaves something a retry can finish.
    const source = sourceHost && sourceHost.id !== host.id ? sourceHost : undefined;
    const checkpoint = source && findCheckpoint(await readHypervisor(dataDir, source.id), vm.id);
    if (!source || !checkpoint) {
      const where = source ? `hosts ${host.name} and ${source.name}` : `host ${host.name}`;
      throw new DriverError(`${deployIdOf(vm.id)} has no checkpoint on ${where} to restore; save the VM first`);
    }
    await updateHypervisor(dataDir, host.id, (hv) => {
      if (!findDomain(hv, vm.id)) hv.domains.push(fromCheckpoint(checkpoint, env));
    });
    await updateHypervisor(dataDir, source.id, (hv) => removeCheckpoint(hv, vm.id));
    return '';
  },

  reboot: restart,
  reset: restart,

  migrate: async ({ vm, host, sourceHost, dataDir }) => {
    if (!sourceHost) {
      throw new DriverError(`cannot migrate ${deployIdOf(vm.id)} to host ${host.name}: the source host is not known`);
    }
    if (sourceHost.id === host.id) {
      if (!findDomain(await readHypervisor(dataDir, host.id), vm.id)) throw notFound(vm, host.name);
      return '';
    }
    // Copy to the destination, then remove from the source: a crash in between leaves the guest on both
    // hosts, and a retry finishes the move; the other order could lose it.
    const domain = findDomain(await readHypervisor(dataDir, sourceHost.id), vm.id);
    await updateHypervisor(dataDir, host.id, (hv) => {
      if (findDomain(hv, vm.id)) return;
      if (!domain) throw new DriverError(`${deployIdOf(vm.id)} not found on hosts ${sourceHost.name} and ${host.name}`);
      hv.domains.push({ ...domain });
    });
    await updateHypervisor(dataDir, sourceHost.id, (hv) => removeDomain(hv, vm.id));
    return '';
  },

  snapshot_create: async ({ vm, host, dataDir }, env) => {
    const name = activeSnapshotName(vm);
    await updateHypervisor(dataDir, host.id, (hv) => {
      const domain = findDomain(hv, vm.id);
      if (!domain) throw notFound(vm, host.name);
      // Taken again under the same name (a retry), it replaces the first, as QEMU's savevm does.
      domain.snapshots = [...(domain.snapshots ?? []).filter((s) => s.name !== name), { name, taken: seconds(env) }];
    });
    return name;
  },

  // The simulated guest has no memory to roll back: a revert checks that the snapshot is there.
  snapshot_revert: async ({ vm, host, dataDir }) => {
    const name = activeSnapshotName(vm);
    const domain = findDomain(await readHypervisor(dataDir, host.id), vm.id);
    if (!domain) throw notFound(vm, host.name);
    if (!domain.snapshots?.some((s) => s.name === name)) {
      throw new DriverError(`${deployIdOf(vm.id)} on host ${host.name} has no snapshot ${name} to revert to; snapshots are lost when the guest stops`);
    }
    return '';
  },

  snapshot_delete: async ({ vm, host, dataDir }) => {
    const name = activeSnapshotName(vm);
    await updateHypervisor(dataDir, host.id, (hv) => {
      const domain = findDomain(hv, vm.id);
      if (!domain) throw notFound(vm, host.name);
      // A snapshot already gone is deleted (a retry).
      const kept = (domain.snapshots ?? []).filter((s) => s.name !== name);
      if (kept.length > 0) domain.snapshots = kept;
      else delete domain.snapshots;
    });
    return '';
  },

  // The simulated guest has no disk files: a live disk snapshot needs the guest running and a pending mark.
  disk_snapshot_create: async ({ vm, host, dataDir }) => {
    const { name } = diskSnapshotTarget(vm, 'CREATE');
    if (!findDomain(await readHypervisor(dataDir, host.id), vm.id)) throw notFound(vm, host.name);
    return name;
  },

  disk_snapshot_delete: async ({ vm, host, dataDir }) => {
    diskSnapshotTarget(vm, 'DELETE');
    if (!findDomain(await readHypervisor(dataDir, host.id), vm.id)) throw notFound(vm, host.name);
    return '';
  },

  // The simulated guest has no disk contents: the image gets its source image's file (saveas.ts).
  disk_saveas: async ({ vm, host, dataDir }) => {
    if (!findDomain(await readHypervisor(dataDir, host.id), vm.id)) throw notFound(vm, host.name);
    await copySourceImage(vm);
    return '';
  },

  // The simulated guest has no devices: plugging a disk in or out, or growing one, needs the guest
  // running and a disk marked for it.
  attach_disk: (ctx) => liveDiskOperation(ctx, 'attach'),
  detach_disk: (ctx) => liveDiskOperation(ctx, 'detach'),
  resize_disk: (ctx) => liveDiskOperation(ctx, 'resize'),

  resize: async ({ vm, host, dataDir }) => {
    const { cpu, memory } = capacity(vm);
    await updateHypervisor(dataDir, host.id, (hv) => {
      const domain = findDomain(hv, vm.id);
      if (!domain) throw notFound(vm, host.name);
      domain.cpu = cpu;
      domain.memory = memory;
    });
    return '';
  },

  cleanup: async ({ vm, host, sourceHost, dataDir }) => {
    for (const h of sourceHost ? [host, sourceHost] : [host]) {
      await updateHypervisor(dataDir, h.id, (hv) => {
        removeDomain(hv, vm.id);
        removeCheckpoint(hv, vm.id);
      });
    }
    return '';
  },
};

/** A disk operation on the running guest: the disk must be marked for it and the guest be on the host. */
async function liveDiskOperation({ vm, host, dataDir }: VmContext, op: DiskOperation): Promise<string> {
  diskMarkedFor(vm, op);
  if (!findDomain(await readHypervisor(dataDir, host.id), vm.id)) throw notFound(vm, host.name);
  return '';
}

/** Reboot and reset alike: the guest starts over, so its uptime does too. */
async function restart({ vm, host, dataDir }: VmContext, env: Env): Promise<string> {
  await updateHypervisor(dataDir, host.id, (hv) => {
    const domain = findDomain(hv, vm.id);
    if (!domain) throw notFound(vm, host.name);
    domain.state = 'running';
    domain.started = seconds(env);
  });
  return '';
}

/** What the guest is given: CPU in percent of a core, memory in KB, from the VM's template. */
function capacity(vm: Vm): { cpu: number; memory: number } {
  const cpu = Number(getSingle(vm.template, 'CPU') ?? 0);
  const memoryMb = Number(getSingle(vm.template, 'MEMORY') ?? 0);
  return {
    cpu: Number.isFinite(cpu) ? Math.round(cpu * 100) : 0,
    memory: Number.isFinite(memoryMb) ? Math.round(memoryMb * 1024) : 0,
  };
}

function newDomain(vm: Vm, env: Env): Domain {
  return { deployId: deployIdOf(vm.id), vmId: vm.id, state: 'running', started: seconds(env), ...capacity(vm) };
}

function fromCheckpoint(c: Checkpoint, env: Env): Domain {
  return { deployId: c.deployId, vmId: c.vmId, state: 'running', started: seconds(env), cpu: c.cpu, memory: c.memory };
}

function notFound(vm: Vm, hostName: string): DriverError {
  return new DriverError(`${deployIdOf(vm.id)} not found on host ${hostName}`);
}

function seconds(env: Env): number {
  return Math.floor(env.now() / 1000);
}
