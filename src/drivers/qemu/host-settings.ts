import type { Host } from '../../domain/host.js';
import type { Vm } from '../../domain/vm.js';
import { getSingle } from '../../template/access.js';
import { hostPaths, type HostPaths } from '../host-paths.js';
import { DriverError } from '../types.js';

/** How the qemu drivers treat one host: its host TEMPLATE attributes, else the daemon's defaults. */
export interface QemuHostSettings extends HostPaths {
  /** ACCEL: kvm or tcg forces one; auto (the default) uses KVM only when a real boot on the host works. */
  accel: 'kvm' | 'tcg' | 'auto';
  /** EMULATOR: the QEMU binary. */
  emulator: string;
  /** FORCE_DESTROY: stop the VM at once when an ACPI shutdown times out, instead of failing back to RUNNING. */
  forceDestroy: boolean;
  /** ACPI_RETRY: seconds between ACPI power-button presses while waiting for a shutdown. */
  acpiRetry: number;
  /** MIGRATION_ADDRESS: the address other hosts reach this one on for live migrations. */
  migrationAddress: string;
  /** MIGRATE_DOWNTIME: the most a live migration may pause the guest, in milliseconds. */
  migrateDowntime: number;
  /** MIGRATE_TIMEOUT: seconds before a live migration is cancelled and the VM stays on its source. */
  migrateTimeout: number;
}

function numberOf(host: Host, name: string, fallback: number): number {
  const text = getSingle(host.template, name);
  if (text === undefined) return fallback;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0) {
    throw new DriverError(`${name} = "${text}" in the template of host ${host.name} is not a number; set it to e.g. ${fallback}`);
  }
  return n;
}

const ACCELS = ['kvm', 'tcg', 'auto'] as const;

/** The settings of `host`, with `paths` as the defaults for its directories. */
export function qemuHostSettings(host: Host, paths: HostPaths): QemuHostSettings {
  const accel = (getSingle(host.template, 'ACCEL') ?? 'auto').toLowerCase();
  if (!ACCELS.includes(accel as QemuHostSettings['accel'])) {
    throw new DriverError(`ACCEL = "${accel}" in the template of host ${host.name} must be kvm, tcg or auto`);
  }
  return {
    ...hostPaths(host, paths),
    accel: accel as QemuHostSettings['accel'],
    emulator: getSingle(host.template, 'EMULATOR') ?? 'qemu-system-x86_64',
    forceDestroy: /^(yes|true|1)$/i.test(getSingle(host.template, 'FORCE_DESTROY') ?? ''),
    acpiRetry: numberOf(host, 'ACPI_RETRY', 10),
    migrationAddress: getSingle(host.template, 'MIGRATION_ADDRESS') ?? getSingle(host.template, 'SSH_ADDRESS') ?? host.name,
    migrateDowntime: numberOf(host, 'MIGRATE_DOWNTIME', 300),
    migrateTimeout: numberOf(host, 'MIGRATE_TIMEOUT', 600),
  };
}

/** FORCE_DESTROY for one VM: its USER_TEMPLATE may override the host's. */
export function forceDestroy(vm: Vm, settings: QemuHostSettings): boolean {
  const own = getSingle(vm.userTemplate, 'FORCE_DESTROY');
  return own === undefined ? settings.forceDestroy : /^(yes|true|1)$/i.test(own);
}
