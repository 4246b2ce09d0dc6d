import type { Core } from '../../core/core.js';
import type { DriverRegistry } from '../../drivers/registry.js';
import type { Template } from '../../template/types.js';
import type { MethodTable } from '../server.js';
import { clusterMethods } from './cluster.js';
import { datastoreMethods } from './datastore.js';
import { hostMethods } from './host.js';
import { imageMethods } from './image.js';
import { systemMethods } from './system.js';
import { templateMethods } from './template.js';
import { userMethods } from './user.js';
import { vmMethods } from './vm.js';
import { vmPoolMethods } from './vmpool.js';

/** Every XML-RPC method the daemon answers. */
export function allMethods(core: Core, drivers: DriverRegistry, config: Template): MethodTable {
  return {
    ...vmMethods(core),
    ...vmPoolMethods(core),
    ...templateMethods(core),
    ...hostMethods(core, drivers),
    ...clusterMethods(core),
    ...datastoreMethods(core),
    ...imageMethods(core),
    ...userMethods(core),
    ...systemMethods(core, config),
  };
}
