import { queryHotpluggableCpus, queryMemoryDevices, queryMemorySizeSummary } from './qmp/commands.js';
import type { QmpExecutor } from './qmp/connection.js';

/**
 * What a running QEMU has beyond its command line after live resizes: the vCPUs and memory it booted
 * with, and the devices plugged since, as command-line arguments. A QEMU that loads this guest's state
 * (restore from a checkpoint, incoming live migration) must be started with exactly this layout.
 */
export interface HotplugLayout {
  bootVcpus: number;
  baseMemoryMb: number;
  deviceArgs: string[];
}

const MIB = 1024 * 1024;
/** Devices plugged by device_add with an id live under this QOM path; boot vCPUs do not. */
const PLUGGED = '/machine/peripheral/';
const lastSegment = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** The layout of a running QEMU. */
export async function hotplugLayout(qmp: QmpExecutor): Promise<HotplugLayout> {
  const [slots, dimms, memory] = await Promise.all([queryHotpluggableCpus(qmp), queryMemoryDevices(qmp), queryMemorySizeSummary(qmp)]);
  const occupied = slots.filter((s) => s.qomPath);
  const plugged = occupied.filter((s) => s.qomPath!.startsWith(PLUGGED));
  const cpuArgs = plugged.flatMap((s) => {
    const props = Object.entries(s.props).map(([k, v]) => `,${k}=${v}`).join('');
    return ['-device', `${s.type},id=${lastSegment(s.qomPath!)}${props}`];
  });
  const dimmArgs = dimms.flatMap((d) => {
    const backend = lastSegment(d.memdev);
    return ['-object', `memory-backend-ram,id=${backend},size=${d.sizeBytes}`, '-device', `pc-dimm,id=${d.id},memdev=${backend}`];
  });
  return {
    bootVcpus: occupied.reduce((n, s) => n + s.vcpusCount, 0) - plugged.reduce((n, s) => n + s.vcpusCount, 0),
    baseMemoryMb: Math.round(memory.baseBytes / MIB),
    deviceArgs: [...cpuArgs, ...dimmArgs],
  };
}
