import { createDummyDs } from '../drivers/ds/dummy.js';
import { createFsDs } from '../drivers/ds/fs.js';
import { createDummyIm } from '../drivers/dummy/im.js';
import { createDummyTm } from '../drivers/dummy/tm.js';
import { createDummyVmm } from '../drivers/dummy/vmm.js';
import { createQemuIm } from '../drivers/qemu/im.js';
import { createQemuVmm } from '../drivers/qemu/vmm.js';
import type { DriverRegistry } from '../drivers/registry.js';
import { createSystemTm } from '../drivers/tm/system-ds.js';
import type { DsDriver, ImDriver, TmDriver, VmmDriver } from '../drivers/types.js';
import type { TemplateVector } from '../template/types.js';
import { ConfigError } from './config.js';
import type { RealHosts } from './real-hosts.js';

type Make<T> = (hosts: RealHosts) => T;

/** The driver implementations this daemon has, by EXECUTABLE (OpenNebula's executable names work too). */
const VMM: Record<string, Make<VmmDriver>> = {
  dummy: () => createDummyVmm(),
  one_vmm_dummy: () => createDummyVmm(),
  qemu: (h) => createQemuVmm(h),
};
const TM: Record<string, Make<TmDriver>> = {
  dummy: () => createDummyTm(),
  ssh: (h) => createSystemTm('ssh', h.access),
  shared: (h) => createSystemTm('shared', h.access),
};
const IM: Record<string, Make<ImDriver>> = {
  dummy: () => createDummyIm(),
  one_im_dummy: () => createDummyIm(),
  qemu: (h) => createQemuIm(h),
};
const DS: Record<string, Make<DsDriver>> = {
  fs: () => createFsDs(),
  dummy: () => createDummyDs(),
};

function build<T>(kind: string, impls: Record<string, Make<T>>, mads: TemplateVector[], hosts: RealHosts): Map<string, T> {
  const out = new Map<string, T>();
  for (const m of mads) {
    if (!m.NAME) throw new ConfigError(`${kind} without NAME: write ${kind} = [ NAME = "dummy", EXECUTABLE = "dummy" ].`);
    const exe = m.EXECUTABLE ?? m.NAME;
    const make = impls[exe];
    if (!make) throw new ConfigError(`${kind} "${m.NAME}": no driver "${exe}"; this daemon has ${Object.keys(impls).join(', ')}.`);
    out.set(m.NAME, make(hosts));
  }
  return out;
}

/** The registry the configuration asks for. */
export function driversFromConfig(
  cfg: { vmMads: TemplateVector[]; tmMads: TemplateVector[]; imMads: TemplateVector[]; dsMads: TemplateVector[] },
  hosts: RealHosts,
): DriverRegistry {
  return {
    vmm: build('VM_MAD', VMM, cfg.vmMads, hosts), tm: build('TM_MAD', TM, cfg.tmMads, hosts), im: build('IM_MAD', IM, cfg.imMads, hosts),
    ds: build('DS_MAD', DS, cfg.dsMads, hosts),
  };
}

/** The transfer driver each VM_MAD's hosts use when their template names none (VM_MAD = [ ..., TM_MAD = "ssh" ]). */
export function tmOfVmMads(vmMads: TemplateVector[]): Record<string, string> {
  return Object.fromEntries(vmMads.filter((m) => m.NAME && m.TM_MAD).map((m) => [m.NAME!, m.TM_MAD!]));
}
