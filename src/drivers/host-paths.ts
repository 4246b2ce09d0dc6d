import type { Host } from '../domain/host.js';
import { getSingle } from '../template/access.js';

/** Where a host keeps VM files: its datastores and its own run-time directory. */
export interface HostPaths {
  /** DATASTORE_LOCATION: where datastores live on the host (the system datastore is LOCATION/0). */
  location: string;
  /** RUN_DIR: the host's own directory for sockets and pid files. */
  runDir: string;
}

/** The paths of `host`: its template's DATASTORE_LOCATION and RUN_DIR, else `defaults`. */
export function hostPaths(host: Host, defaults: HostPaths): HostPaths {
  return {
    location: getSingle(host.template, 'DATASTORE_LOCATION') ?? defaults.location,
    runDir: getSingle(host.template, 'RUN_DIR') ?? defaults.runDir,
  };
}
