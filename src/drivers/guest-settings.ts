import type { Host } from '../domain/host.js';
import type { Vm } from '../domain/vm.js';
import { activeSnapshot } from '../domain/vm-snapshots.js';
import { getSingle } from '../template/access.js';
import { DriverError } from './types.js';

const DEFAULT_SHUTDOWN_TIMEOUT = 180;

/** Seconds to wait for an ACPI shutdown: the VM's SHUTDOWN_TIMEOUT, else the host's, else 180. */
export function shutdownTimeout(vm: Vm, host: Host): number {
  const sources: [string | undefined, string][] = [
    [getSingle(vm.userTemplate, 'SHUTDOWN_TIMEOUT'), `the user template of VM ${vm.id}`],
    [getSingle(host.template, 'SHUTDOWN_TIMEOUT'), `the template of host ${host.name}`],
  ];
  const [text, where] = sources.find(([value]) => value !== undefined) ?? [undefined, ''];
  if (text === undefined) return DEFAULT_SHUTDOWN_TIMEOUT;
  const seconds = Number(text);
  if (text.trim() === '' || !Number.isFinite(seconds) || seconds < 0) {
    throw new DriverError(`SHUTDOWN_TIMEOUT = "${text}" in ${where} is not a number of seconds; set it to e.g. 180`);
  }
  return seconds;
}

/** The deploy id of VM `vmId` on its host (the hypervisor's name for it). */
export function deployIdOf(vmId: number): string {
  return `one-${vmId}`;
}

/**
 * The name the hypervisor keeps the snapshot a snapshot operation works on under (the SNAPSHOT marked
 * ACTIVE): its HYPERVISOR_ID once taken, `onesnap-<SNAPSHOT_ID>` (as OpenNebula's KVM names them) before.
 */
export function activeSnapshotName(vm: Vm): string {
  const snapshot = activeSnapshot(vm);
  if (!snapshot?.SNAPSHOT_ID) {
    throw new DriverError(`VM ${vm.id} has no SNAPSHOT marked ACTIVE = "YES" for the driver to work on; ask for the snapshot operation again`);
  }
  return snapshot.HYPERVISOR_ID || `onesnap-${snapshot.SNAPSHOT_ID}`;
}
