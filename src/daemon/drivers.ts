import { createDummyIm } from '../drivers/dummy/im.js';
import { createDummyTm } from '../drivers/dummy/tm.js';
import { createDummyVmm } from '../drivers/dummy/vmm.js';
import type { DriverRegistry } from '../drivers/registry.js';
import type { ImDriver, TmDriver, VmmDriver } from '../drivers/types.js';
import type { TemplateVector } from '../template/types.js';
import { ConfigError } from './config.js';

/** The driver implementations this daemon has, by EXECUTABLE (OpenNebula's executable names work too). */
const VMM: Record<string, () => VmmDriver> = { dummy: () => createDummyVmm(), one_vmm_dummy: () => createDummyVmm() };
const TM: Record<string, () => TmDriver> = { dummy: () => createDummyTm() };
const IM: Record<string, () => ImDriver> = { dummy: () => createDummyIm(), one_im_dummy: () => createDummyIm() };

function build<T>(kind: string, impls: Record<string, () => T>, mads: TemplateVector[]): Map<string, T> {
  const out = new Map<string, T>();
  for (const m of mads) {
    if (!m.NAME) throw new ConfigError(`${kind} without NAME: write ${kind} = [ NAME = "dummy", EXECUTABLE = "dummy" ].`);
    const exe = m.EXECUTABLE ?? m.NAME;
    const make = impls[exe];
    if (!make) throw new ConfigError(`${kind} "${m.NAME}": no driver "${exe}"; this daemon has ${Object.keys(impls).join(', ')}.`);
    out.set(m.NAME, make());
  }
  return out;
}

/** The registry the configuration asks for. */
export function driversFromConfig(cfg: { vmMads: TemplateVector[]; tmMads: TemplateVector[]; imMads: TemplateVector[] }): DriverRegistry {
  return { vmm: build('VM_MAD', VMM, cfg.vmMads), tm: build('TM_MAD', TM, cfg.tmMads), im: build('IM_MAD', IM, cfg.imMads) };
}
