import type { Core } from '../core/core.js';
import { hostsWithUsage } from '../core/hosts-view.js';
import { setSchedMessage } from '../core/vm-sched-message.js';
import { deployVm, migrateVm } from '../core/vm-placement.js';
import type { Requester } from '../domain/permissions.js';
import type { SchedulerConfig } from '../scheduler/config.js';
import { planPlacements } from '../scheduler/place.js';

/** The scheduler acts as oneadmin, as mm_sched does. */
const SCHEDULER: Requester = { uid: 0, gid: 0, groups: [0], uname: 'oneadmin', gname: 'oneadmin' };

export interface SchedulerLoopOptions {
  config: SchedulerConfig;
  /** LIVE_RESCHEDS: migrate rescheduled VMs live. */
  liveRescheds: boolean;
  /** COLD_MIGRATE_MODE: 0 save, 1 poweroff, 2 poweroff-hard. */
  coldMigrateMode: number;
}

/** One scheduling cycle: plan on committed data, then dispatch through the same calls a user makes. */
export async function schedulerCycle(core: Core, opts: SchedulerLoopOptions): Promise<void> {
  const vms = await core.store.read.schedulableVms();
  if (vms.length === 0) return;
  const hosts = await hostsWithUsage(core.store);
  const plan = planPlacements({ vms, hosts, config: opts.config });
  for (const p of plan.placements) {
    try {
      if (p.kind === 'deploy') await deployVm(core, SCHEDULER, p.vmId, p.hostId, false);
      else await migrateVm(core, SCHEDULER, p.vmId, p.hostId, opts.liveRescheds, false, opts.coldMigrateMode);
      await setSchedMessage(core, p.vmId, undefined);
    } catch (e) {
      // The VM changed since the plan was made (a user acted on it): the next cycle sees the new state.
      core.log.warn({ vm: p.vmId, host: p.hostId, err: (e as Error).message }, 'dispatch failed');
    }
  }
  for (const [vmId, message] of plan.messages) await setSchedMessage(core, vmId, message);
}
