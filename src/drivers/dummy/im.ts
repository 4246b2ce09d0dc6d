import type { Host } from '../../domain/host.js';
import type { Vm } from '../../domain/vm.js';
import { getSingle } from '../../template/access.js';
import { DriverError, type HostReport, type ImDriver, type VmReport } from '../types.js';
import { guestCondition, type GuestCondition } from './guest.js';
import { removeCheckpoint, removeDomain, updateHypervisor, type Domain, type HypervisorState } from './hypervisor.js';
import { playScript, realSleep, type Sleep } from './script.js';

export interface DummyImOptions {
  /** Milliseconds since the epoch, like Date.now. */
  now?: () => number;
  sleep?: Sleep;
}

/** What OpenNebula's dummy probes report: 8 cores (800%) and 16 GB, unless DUMMY_CPU / DUMMY_MEMORY say otherwise. */
const CAPACITY = [
  { attribute: 'DUMMY_CPU', fallback: 800, unit: 'percent of a core, e.g. 800 for 8 cores' },
  { attribute: 'DUMMY_MEMORY', fallback: 16_777_216, unit: 'KB, e.g. 16777216 for 16 GB' },
] as const;

const HOST_ATTRIBUTES = { HYPERVISOR: 'dummy', ARCH: 'x86_64', MODELNAME: 'Dummy CPU', CPUSPEED: '2000' };

/** What a guest condition does to its domain at a probe (see guest.ts). */
const APPLY_CONDITION: Record<GuestCondition, (hv: HypervisorState, domain: Domain) => void> = {
  poweroff: (hv, d) => removeDomain(hv, d.vmId),
  gone: (hv, d) => {
    removeDomain(hv, d.vmId);
    removeCheckpoint(hv, d.vmId);
  },
  paused: (_hv, d) => {
    d.state = 'paused';
  },
  error: () => {},
};

/**
 * The dummy IM driver. A probe plays the host's MONITOR script (a failure means the host is unreachable),
 * applies the DUMMY_GUEST conditions of the VMs it knows, and reports every domain left: VMs of `vms` by
 * id, others as zombies (vmId -1). A VM of `vms` without a domain is absent, which the monitor reads as
 * powered off.
 */
export function createDummyIm(opts: DummyImOptions = {}): ImDriver {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? realSleep;
  return {
    async monitor(host: Host, vms: Vm[], dataDir: string): Promise<HostReport> {
      await playScript(host, 'MONITOR', sleep);
      const [totalCpu, totalMem] = CAPACITY.map((c) => capacityOf(host, c.attribute, c.fallback, c.unit));
      const known = new Map(vms.map((vm) => [vm.id, vm]));
      const domains = await updateHypervisor(dataDir, host.id, (hv) => {
        for (const domain of [...hv.domains]) {
          const vm = known.get(domain.vmId);
          const condition = vm && guestCondition(vm);
          if (condition) APPLY_CONDITION[condition](hv, domain);
        }
        return hv.domains;
      });
      const t = now() / 1000;
      const reports = domains.map((d) => vmReport(d, known.get(d.vmId), t));
      const usedCpu = Math.round(sum(reports, (r) => r.cpu));
      const usedMem = sum(reports, (r) => r.memory);
      return {
        attributes: { ...HOST_ATTRIBUTES, TOTALCPU: String(totalCpu), TOTALMEMORY: String(totalMem) },
        totalCpu,
        totalMem,
        usedCpu,
        usedMem,
        freeCpu: Math.max(0, totalCpu - usedCpu),
        freeMem: Math.max(0, totalMem - usedMem),
        netrx: sum(reports, (r) => r.netrx),
        nettx: sum(reports, (r) => r.nettx),
        vms: reports,
      };
    },
  };
}

function capacityOf(host: Host, attribute: string, fallback: number, unit: string): number {
  const text = getSingle(host.template, attribute);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value) || value < 0) {
    throw new DriverError(`${attribute} = "${text}" on host ${host.name} is not a whole number; set it in ${unit}`);
  }
  return value;
}

// Figures are functions of time and VM id, not random, so that tests can predict them.
function vmReport(d: Domain, vm: Vm | undefined, t: number): VmReport {
  const uptime = Math.max(0, Math.floor(t) - d.started);
  const running = d.state === 'running';
  const load = 0.5 + 0.4 * Math.sin(t / 300 + d.vmId);
  return {
    deployId: d.deployId,
    vmId: vm ? vm.id : -1,
    state: vm && guestCondition(vm) === 'error' ? 'e' : running ? 'a' : 'p',
    cpu: running ? Math.round(d.cpu * load * 10) / 10 : 0,
    memory: d.memory,
    netrx: uptime * 2048,
    nettx: uptime * 1024,
    diskrdbytes: uptime * 4096,
    diskwrbytes: uptime * 2048,
  };
}

function sum<T>(items: T[], of: (item: T) => number): number {
  return items.reduce((total, item) => total + of(item), 0);
}
