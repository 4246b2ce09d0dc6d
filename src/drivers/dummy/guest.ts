import { getVector } from '../../template/access.js';
import type { Vm } from '../../domain/vm.js';

/**
 * What a VM's guest does by itself, from `DUMMY_GUEST = [ STATE = ... ]` in its USER_TEMPLATE. These are
 * conditions, not one-shot events: while one is set, the monitor applies it at every probe.
 * - poweroff: the guest shuts itself down; its domain is removed, so the VM is absent from the report.
 * - paused: the guest is paused; reported `p`.
 * - error: the hypervisor reports the domain in error; reported `e`.
 * - gone: the domain and any checkpoint vanish without a trace.
 */
export const GUEST_CONDITIONS = ['poweroff', 'paused', 'error', 'gone'] as const;
export type GuestCondition = (typeof GUEST_CONDITIONS)[number];

/** The guest condition `vm` asks for, if any; unknown values are ignored, as a guest would. */
export function guestCondition(vm: Vm): GuestCondition | undefined {
  const state = getVector(vm.userTemplate, 'DUMMY_GUEST')?.STATE?.toLowerCase();
  return GUEST_CONDITIONS.find((c) => c === state);
}

/** True when `DUMMY_GUEST = [ ACPI = "NO" ]`: the guest ignores ACPI shutdown requests. */
export function guestIgnoresAcpi(vm: Vm): boolean {
  return getVector(vm.userTemplate, 'DUMMY_GUEST')?.ACPI?.toUpperCase() === 'NO';
}
