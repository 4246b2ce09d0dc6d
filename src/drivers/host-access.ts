import type { Host } from '../domain/host.js';
import { hostPaths, type HostPaths } from './host-paths.js';
import type { Transport } from './transport/types.js';

/** How the real drivers reach hosts and where files go: shared by the qemu VMM, IM and the system TMs. */
export interface HostAccess {
  /** The (cached) transport to a host. */
  transport(host: Host): Transport;
  /** The front-end itself, where stopped and undeployed VMs keep their files. */
  frontEnd: Transport;
  /** The front-end's datastore location: DATA_DIR/datastores. */
  frontEndLocation: string;
  /** The paths a host uses when its template does not set them. */
  defaultPaths(host: Host): HostPaths;
}

/** The paths of `host` under this access. */
export function pathsOf(access: HostAccess, host: Host): HostPaths {
  return hostPaths(host, access.defaultPaths(host));
}
