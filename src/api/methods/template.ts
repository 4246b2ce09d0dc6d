import type { Core } from '../../core/core.js';
import { authorize, mustExist } from '../../core/core.js';
import {
  allocateTemplate, chmodTemplate, chownTemplate, cloneTemplate, deleteTemplate, instantiateTemplate, lockTemplate,
  renameTemplate, unlockTemplate, updateTemplate,
} from '../../core/templates.js';
import { poolXml } from '../xml/pool.js';
import { vmTemplateToXml } from '../xml/vm-template.js';
import type { MethodTable } from '../server.js';
import { bool, int, method, str } from './define.js';
import { filterPool, slice } from './pool-filter.js';

const PERMS = ['owner use', 'owner manage', 'owner admin', 'group use', 'group manage', 'group admin', 'other use', 'other manage', 'other admin'].map((n) => int(n));

/** one.template.* and one.templatepool.info */
export function templateMethods(core: Core): MethodTable {
  return Object.fromEntries([
    method(core, 'one.template.allocate', [str('template')], (who, t) => allocateTemplate(core, who, t)),
    method(core, 'one.template.info', [int('id'), bool('extended', false), bool('decrypt', false)], async (who, id) => {
      const t = mustExist(await core.store.read.getTemplate(id), 'template', id);
      authorize(who, t, 'USE', 'VMTEMPLATE');
      return vmTemplateToXml(t);
    }),
    method(core, 'one.template.update', [int('id'), str('template'), int('type', 0)], (who, id, t, type) => updateTemplate(core, who, id, t, type)),
    method(core, 'one.template.delete', [int('id'), bool('recursive', false)], (who, id) => deleteTemplate(core, who, id)),
    method(core, 'one.template.rename', [int('id'), str('name')], (who, id, name) => renameTemplate(core, who, id, name)),
    method(core, 'one.template.clone', [int('id'), str('name'), bool('recursive', false)], (who, id, name) => cloneTemplate(core, who, id, name)),
    method(core, 'one.template.chmod', [int('id'), ...PERMS, bool('recursive', false)], (who, id, ...rest) => chmodTemplate(core, who, id, rest.slice(0, 9) as number[])),
    method(core, 'one.template.chown', [int('id'), int('user id'), int('group id')], (who, id, uid, gid) => chownTemplate(core, who, id, uid, gid)),
    method(core, 'one.template.lock', [int('id'), int('level'), bool('test', false)], (who, id, level, test) => lockTemplate(core, who, id, level, test)),
    method(core, 'one.template.unlock', [int('id')], (who, id) => unlockTemplate(core, who, id)),
    method(core, 'one.template.instantiate', [int('id'), str('name', ''), bool('hold', false), str('extra template', ''), bool('persistent', false)],
      (who, id, name, hold, extra, persistent) => instantiateTemplate(core, who, id, name, hold, extra, persistent)),
    method(core, 'one.templatepool.info', [int('filter', -2), int('start', -1), int('end', -1)], async (who, flag, start, end) => {
      const all = filterPool(who, flag, await core.store.read.listTemplates());
      return poolXml('VMTEMPLATE_POOL', slice(all, start, end).map(vmTemplateToXml));
    }),
  ]);
}
