import type { Host } from '../../domain/host.js';
import type { Vm } from '../../domain/vm.js';
import { deployIdOf } from '../guest-settings.js';
import { pathsOf, type HostAccess } from '../host-access.js';
import { shellQuote as q } from '../transport/shell-quote.js';
import type { GuestState, HostReport, ImDriver, VmReport } from '../types.js';
import { qemuHostSettings } from './host-settings.js';
import { cpuPercent, parseProbeOutput, type ProbedProcess } from './probe-output.js';
import * as qmp from './qmp/commands.js';
import type { RunState } from './qmp/commands.js';
import type { MonitorRegistry } from './qmp/monitor.js';
import { vmFiles } from './vm-files.js';

export interface QemuImDeps {
  access: HostAccess;
  monitors: MonitorRegistry;
  /** Pushes the host-side scripts when the host lacks them; resolves with the directory they are in. */
  remotes(host: Host): Promise<string>;
}

/** QEMU run states as the guest-state letters of a VM report. */
const GUEST_STATE: Partial<Record<RunState, GuestState>> = {
  paused: 'p', suspended: 'p', 'internal-error': 'e', 'guest-panicked': 'e', 'io-error': 'e', shutdown: 'd',
};

const PROBE_TIMEOUT_MS = 30_000;

/**
 * The qemu IM driver: one run of the pushed probe script gives the host's capacity and its QEMU processes
 * (CPU from /proc between two probes, network from tap counters); each VM's QMP monitor adds its run
 * state, balloon memory and disk counters. A QEMU process of no VM placed on the host is a zombie.
 */
export function createQemuIm(deps: QemuImDeps): ImDriver {
  const lastTicks = new Map<string, { ticks: number; at: number }>();
  return {
    async monitor(host: Host, vms: Vm[]): Promise<HostReport> {
      const t = deps.access.transport(host);
      const settings = qemuHostSettings(host, pathsOf(deps.access, host));
      const dir = await deps.remotes(host);
      const out = parseProbeOutput(await t.run(`sh ${q(`${dir}/probe.sh`)} ${q(settings.location)}`, { timeoutMs: PROBE_TIMEOUT_MS }));
      const known = new Map(vms.map((vm) => [deployIdOf(vm.id), vm]));
      const seen = new Set<string>();
      const reports = await Promise.all(out.processes.map(async (proc): Promise<VmReport> => {
        const key = `${host.name}/${proc.deployId}/${proc.pid}`;
        seen.add(key);
        const cpu = cpuPercent(lastTicks.get(key) ?? { ticks: proc.ticks, at: out.now }, { ticks: proc.ticks, at: out.now }, out.clockTicks);
        lastTicks.set(key, { ticks: proc.ticks, at: out.now });
        const vm = known.get(proc.deployId);
        const base = { deployId: proc.deployId, vmId: vm ? vm.id : -1, cpu, memory: proc.rss, netrx: proc.netrx, nettx: proc.nettx, diskrdbytes: 0, diskwrbytes: 0 };
        return vm ? { ...base, ...(await guestFigures(deps, host, settings, vm, proc)) } : { ...base, state: 'a' };
      }));
      for (const key of lastTicks.keys()) if (key.startsWith(`${host.name}/`) && !seen.has(key)) lastTicks.delete(key);
      return {
        attributes: {
          ...out.attributes,
          DS_LOCATION_TOTAL_MB: String(out.dsTotalMb), DS_LOCATION_USED_MB: String(out.dsUsedMb), DS_LOCATION_FREE_MB: String(out.dsFreeMb),
        },
        totalCpu: out.totalCpu, totalMem: out.totalMem, usedCpu: out.usedCpu, usedMem: out.usedMem,
        freeCpu: Math.max(0, out.totalCpu - out.usedCpu), freeMem: out.freeMem,
        netrx: out.netrx, nettx: out.nettx,
        vms: reports,
      };
    },
  };
}

/** What the VM's QMP monitor adds: run state, memory the guest has (balloon), disk counters. */
async function guestFigures(
  deps: QemuImDeps, host: Host, settings: ReturnType<typeof qemuHostSettings>, vm: Vm, proc: ProbedProcess,
): Promise<Pick<VmReport, 'state' | 'memory' | 'diskrdbytes' | 'diskwrbytes'>> {
  const files = vmFiles(vm.id, settings.location, settings.runDir);
  const t = deps.access.transport(host);
  const monitor = deps.monitors.get(`${host.name}/${files.deployId}`, () => t.openUnixSocket(files.qmp));
  try {
    const [status, balloon, disks] = await Promise.all([
      monitor.run((c) => qmp.status(c)),
      monitor.run((c) => qmp.queryBalloon(c)).catch(() => proc.rss * 1024),
      monitor.run((c) => qmp.queryBlockstats(c)),
    ]);
    return {
      state: status.running ? 'a' : GUEST_STATE[status.status] ?? 'a',
      memory: Math.round(balloon / 1024),
      diskrdbytes: disks.reduce((s, d) => s + d.rdBytes, 0),
      diskwrbytes: disks.reduce((s, d) => s + d.wrBytes, 0),
    };
  } catch {
    // The process is there but its monitor does not answer (starting up, or stuck): report it as seen.
    return { state: 'a', memory: proc.rss, diskrdbytes: 0, diskwrbytes: 0 };
  }
}
