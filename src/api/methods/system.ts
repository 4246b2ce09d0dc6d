import { requireAdmin } from '../../core/admin.js';
import type { Core } from '../../core/core.js';
import { templateToXml } from '../../template/xml.js';
import type { Template } from '../../template/types.js';
import type { MethodTable } from '../server.js';
import { method } from './define.js';

/** The OpenNebula release whose API this daemon speaks. */
export const ONE_VERSION = '6.10.0';

/** one.system.version and one.system.config (the daemon's configuration as XML, oneadmin group only). */
export function systemMethods(core: Core, config: Template): MethodTable {
  return Object.fromEntries([
    method(core, 'one.system.version', [], () => ONE_VERSION),
    method(core, 'one.system.config', [], (who) => {
      requireAdmin(who, 'read the configuration');
      return templateToXml(config, 'OPENNEBULA_CONFIGURATION');
    }),
  ]);
}
