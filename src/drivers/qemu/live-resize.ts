import type { Vm } from '../../domain/vm.js';
import { getNumber } from '../../template/access.js';
import { DriverError } from '../types.js';
import {
  balloon, deviceAdd, objectAdd, objectDel, queryHotpluggableCpus, queryMemorySizeSummary, type CpuProps, type HotpluggableCpu,
} from './qmp/commands.js';
import type { QmpExecutor } from './qmp/connection.js';

const MIB = 1024 * 1024;
/** DIMMs are plugged in steps of 128 MB: the block size in which Linux onlines hotplugged memory. */
const DIMM_STEP = 128 * MIB;

const PROP_ORDER: (keyof CpuProps)[] = ['node-id', 'socket-id', 'die-id', 'cluster-id', 'core-id', 'thread-id'];
const slotOrder = (a: HotpluggableCpu, b: HotpluggableCpu) => {
  for (const k of PROP_ORDER) if ((a.props[k] ?? 0) !== (b.props[k] ?? 0)) return (a.props[k] ?? 0) - (b.props[k] ?? 0);
  return 0;
};

/**
 * Plugs vCPUs into free slots until the guest has `want`. Taking vCPUs away is refused: an unplug needs the
 * guest's cooperation, and QEMU 7.2 under TCG can abort on it.
 */
export async function resizeVcpus(qmp: QmpExecutor, want: number, who: string): Promise<void> {
  const slots = await queryHotpluggableCpus(qmp);
  let have = slots.filter((s) => s.qomPath).reduce((n, s) => n + s.vcpusCount, 0);
  if (want < have) {
    throw new DriverError(`${who} runs ${have} vCPUs and they cannot be taken away from a running guest; power the VM off, resize it and resume it`);
  }
  for (const slot of slots.filter((s) => !s.qomPath).sort(slotOrder)) {
    if (have >= want) break;
    const id = `vcpu-${PROP_ORDER.map((k) => slot.props[k] ?? 0).join('-')}`;
    await deviceAdd(qmp, { driver: slot.type, id, ...slot.props });
    have += slot.vcpusCount;
  }
  if (have < want) {
    throw new DriverError(`${who} was started with room for ${have} vCPUs (VCPU_MAX), not ${want}; power it off to give it more`);
  }
}

/**
 * Brings the guest to `wantMb` of memory: a DIMM (a multiple of 128 MB) covers growth beyond what is
 * plugged, up to `maxMb` (MEMORY_MAX; without it QEMU has no room for DIMMs); the balloon then sets what
 * the guest may use, which also serves a shrink.
 */
export async function resizeMemory(qmp: QmpExecutor, wantMb: number, maxMb: number | undefined, who: string): Promise<void> {
  const { baseBytes, pluggedBytes } = await queryMemorySizeSummary(qmp);
  const total = baseBytes + pluggedBytes;
  const want = wantMb * MIB;
  if (want > total) {
    const room = maxMb === undefined ? 0 : maxMb * MIB - total;
    const size = Math.min(Math.ceil((want - total) / DIMM_STEP) * DIMM_STEP, room);
    if (size < want - total) {
      const max = Math.round((total + Math.max(room, 0)) / MIB);
      throw new DriverError(`${who} was started with room for ${max} MB of memory (MEMORY_MAX), not ${wantMb} MB; power it off to give it more`);
    }
    // Named after the memory below it, so that each DIMM gets its own id.
    const id = `dimm-${Math.round(total / MIB)}`;
    await objectAdd(qmp, { 'qom-type': 'memory-backend-ram', id: `mem-${id}`, size });
    try {
      await deviceAdd(qmp, { driver: 'pc-dimm', id, memdev: `mem-${id}` });
    } catch (e) {
      // A backend no DIMM uses would block the next attempt's id.
      await objectDel(qmp, `mem-${id}`).catch(() => {});
      throw e;
    }
  }
  await balloon(qmp, want);
}

/**
 * Brings a running guest to the VCPU and MEMORY of its template. MEMORY_MAX is the room QEMU was started
 * with (command-line.ts); the CPU share needs nothing from QEMU.
 */
export async function resizeGuest(qmp: QmpExecutor, vm: Vm, who: string): Promise<void> {
  await resizeVcpus(qmp, getNumber(vm.template, 'VCPU') ?? 1, who);
  await resizeMemory(qmp, getNumber(vm.template, 'MEMORY') ?? 0, getNumber(vm.template, 'MEMORY_MAX'), who);
}
