import { stateName, type StateName } from '../../lifecycle/states.js';
import { pathsOf, type HostAccess } from '../host-access.js';
import type { Transport } from '../transport/types.js';
import type { VmContext } from '../types.js';
import type { SystemDsMode } from './system-ds.js';

/** States of a VM that is off its host (stopped, undeployed) while the TM works on one of its disks. */
const OFF_HOST_DISK_STATES = new Set<StateName>(['HOTPLUG_SAVEAS_STOPPED', 'HOTPLUG_SAVEAS_UNDEPLOYED', 'DISK_RESIZE_UNDEPLOYED']);

/**
 * Where the VM's files are while the TM works on one of its disks: on its host, or on the front-end when it
 * was stopped or undeployed from an ssh system datastore (a shared one leaves them where every host sees them).
 */
export function filesPlace(ctx: VmContext, mode: SystemDsMode, access: HostAccess): { t: Transport; location: string; frontEnd: boolean } {
  if (mode === 'ssh' && OFF_HOST_DISK_STATES.has(stateName(ctx.vm.state, ctx.vm.lcmState))) {
    return { t: access.frontEnd, location: access.frontEndLocation, frontEnd: true };
  }
  return { t: access.transport(ctx.host), location: pathsOf(access, ctx.host).location, frontEnd: false };
}
