import type { Core } from '../../core/core.js';
import { ErrorCode, OneError } from '../../domain/errors.js';
import type { Requester } from '../../domain/permissions.js';
import type { Vm } from '../../domain/vm.js';
import { VmState } from '../../lifecycle/states.js';
import { monitoringXml } from '../xml/monitoring.js';
import { memoByObject } from '../xml/memo.js';
import { escapedBytes, escapedPool, poolXml } from '../xml/pool.js';
import { vmToShortXml, vmToXml } from '../xml/vm.js';
import type { MethodTable } from '../server.js';
import { bool, int, method, str } from './define.js';
import { ownerFilter, range, visible } from './pool-filter.js';
import { samplesFor } from './samples.js';

const VALID_STATES = new Set<number>([-2, -1, ...Object.values(VmState)]);

async function selectVms(core: Core, who: Requester, flag: number, start: number, end: number, state: number, search: string): Promise<Vm[]> {
  if (!VALID_STATES.has(state)) throw new OneError(ErrorCode.XML_RPC_API, `Incorrect state filter ${state}: use -2 (any), -1 (any but DONE) or a VM_STATE number.`);
  const vms = await core.store.read.queryVms({ ...ownerFilter(who, flag), ...range(start, end), state, search: search || undefined });
  return visible(who, vms);
}

/** Each VM's short document, escaped for XML-RPC once per version of the VM. */
const escapedShortVm = memoByObject((vm: Vm) => escapedBytes(vmToShortXml(vm)));

const POOL_PARAMS = [int('filter'), int('start'), int('end'), int('state', -1), str('query', '')] as const;

/** one.vmpool.* */
export function vmPoolMethods(core: Core): MethodTable {
  return Object.fromEntries([
    method(core, 'one.vmpool.info', POOL_PARAMS, async (who, ...a) => escapedPool('VM_POOL', (await selectVms(core, who, ...a)).map(escapedShortVm))),
    method(core, 'one.vmpool.infoextended', POOL_PARAMS, async (who, ...a) => poolXml('VM_POOL', (await selectVms(core, who, ...a)).map(vmToXml))),
    method(core, 'one.vmpool.infoset', [str('ids'), bool('extended', false)], async (who, ids, extended) => {
      const wanted = ids.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
      if (wanted.some((n) => !Number.isInteger(n) || n < 0)) throw new OneError(ErrorCode.XML_RPC_API, `Wrong id list "${ids}": use comma-separated VM ids.`);
      const vms = visible(who, (await Promise.all(wanted.map((id) => core.store.read.getVm(id)))).filter((v): v is Vm => v !== undefined));
      return poolXml('VM_POOL', vms.map(extended ? vmToXml : vmToShortXml));
    }),
    method(core, 'one.vmpool.monitoring', [int('filter'), int('seconds', -1)], async (who, flag, seconds) => {
      const vms = await selectVms(core, who, flag, -1, -1, -1, '');
      const all = await Promise.all(vms.map((v) => core.store.read.vmSamples(v.id)));
      return monitoringXml(all.flatMap((s) => samplesFor(s, seconds, core.now())));
    }),
  ]);
}
