import { join } from 'node:path/posix';
import { deployIdOf } from '../guest-settings.js';
import { DriverError } from '../types.js';

/**
 * Where a VM's files are on its host. The VM directory sits in the system datastore (LOCATION/0/VMID, as
 * OpenNebula lays it out) and moves with the VM; the run-time files (QMP and serial sockets, pid file) are
 * the host's own, so that two hosts sharing a datastore never share them (a live migration runs two QEMUs
 * of one VM at once).
 */
export interface VmFiles {
  deployId: string;
  dir: string;
  kernel: string;
  initrd: string;
  /** The migration stream of a saved (suspended, stopped) VM. */
  checkpoint: string;
  /** The hotplug layout (JSON) the QEMU that loads the checkpoint must have. */
  checkpointLayout: string;
  consoleLog: string;
  disk(diskId: string): string;
  runDir: string;
  pid: string;
  qmp: string;
  serial: string;
}

/** The system datastore's directory under a datastore location. */
const SYSTEM_DS_ID = 0;

/** Unix socket paths longer than this do not fit in sockaddr_un. */
const MAX_SOCKET_PATH = 107;

/** The directory of VM `vmId` under a datastore location. */
export function vmDir(location: string, vmId: number): string {
  return join(location, String(SYSTEM_DS_ID), String(vmId));
}

/** The files of VM `vmId` on a host with the given datastore location and run directory. */
export function vmFiles(vmId: number, location: string, runDir: string): VmFiles {
  const deployId = deployIdOf(vmId);
  const dir = vmDir(location, vmId);
  const files: VmFiles = {
    deployId,
    dir,
    kernel: join(dir, 'kernel'),
    initrd: join(dir, 'initrd'),
    checkpoint: join(dir, 'checkpoint'),
    checkpointLayout: join(dir, 'checkpoint.layout'),
    consoleLog: join(dir, 'console.log'),
    disk: (diskId) => join(dir, `disk.${diskId}`),
    runDir,
    pid: join(runDir, `${deployId}.pid`),
    qmp: join(runDir, `${deployId}.qmp`),
    serial: join(runDir, `${deployId}.serial`),
  };
  for (const socket of [files.qmp, files.serial]) {
    if (socket.length > MAX_SOCKET_PATH) {
      throw new DriverError(`the socket path ${socket} is longer than ${MAX_SOCKET_PATH} bytes; give the host a shorter RUN_DIR`);
    }
  }
  return files;
}
