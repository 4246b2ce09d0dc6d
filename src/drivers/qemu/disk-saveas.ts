import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path/posix';
import { savingDisk } from '../../domain/disk-saveas.js';
import type { Vm } from '../../domain/vm.js';
import { diskSnapshotName } from '../disk-snapshot-target.js';
import { copyFile } from '../tm/tree-copy.js';
import { shellQuote as q } from '../transport/shell-quote.js';
import type { Transport } from '../transport/types.js';
import { DriverError } from '../types.js';
import { diskNames } from './command-line.js';
import { driveBackup, jobCancel, jobDismiss, queryJobs, type JobInfo } from './qmp/disk-commands.js';
import type { QmpExecutor } from './qmp/connection.js';
import type { VmMonitor } from './qmp/monitor.js';
import type { VmFiles } from './vm-files.js';

/** A running VM as a live save-as needs it: its host, its files there and its QMP monitor. */
export interface LiveVm {
  t: Transport;
  files: VmFiles;
  monitor: VmMonitor;
}

/** How long a copy may take, and how often QEMU is asked how far it got. */
export interface BackupTiming {
  timeoutMs: number;
  pollMs: number;
}

const HOUR = 3_600_000;
const DEFAULT_TIMING: BackupTiming = { timeoutMs: HOUR, pollMs: 200 };


/** The id of the job that copies disk `diskId`: there is one save-as per VM at a time, found again after a restart. */
export function saveAsJobId(diskId: string): string {
  return `saveas-disk${diskId}`;
}

/**
 * Copies drive `device` of a running guest into the new file `target`, as the drive is at the instant the job
 * starts (drive-backup), and waits until QEMU has finished. A job of that id QEMU still has (the daemon restarted
 * while it ran) is followed instead of started again; the job is dismissed once its outcome is read. A copy that
 * outlasts `timing.timeoutMs` is cancelled.
 */
export async function backupDrive(
  qmp: QmpExecutor, job: { id: string; device: string; target: string; format: string }, timing: BackupTiming = DEFAULT_TIMING,
): Promise<void> {
  const find = async () => (await queryJobs(qmp)).find((j) => j.id === job.id);
  if (!(await find())) await driveBackup(qmp, { jobId: job.id, device: job.device, target: job.target, format: job.format, autoDismiss: false });
  const until = Date.now() + timing.timeoutMs;
  let cancelled = false;
  let info: JobInfo | undefined;
  for (;;) {
    info = await find();
    if (!info) throw new DriverError(`QEMU no longer has the job ${job.id} copying ${job.device}; ask for the save again`);
    if (info.status === 'concluded') break;
    if (!cancelled && Date.now() > until) {
      await jobCancel(qmp, job.id);
      cancelled = true;
    }
    await sleep(timing.pollMs);
  }
  await jobDismiss(qmp, job.id);
  if (cancelled) throw new DriverError(`copying ${job.device} did not finish within ${Math.round(timing.timeoutMs / 1000)} s and was cancelled`);
  if (info.error) throw new DriverError(`QEMU could not copy ${job.device} to ${job.target}: ${info.error}`);
}

/**
 * Saves the disk of a running guest that its HOTPLUG_SAVE_AS marks name: QEMU copies the drive itself, at one
 * instant, into a file in the VM directory (a saved disk snapshot is read from the qcow2 file instead, with
 * qemu-img -U: a snapshot does not change while the guest runs); the file then goes to the image's SOURCE on
 * the front-end, landing whole, and is removed. Run again after a restart, it overwrites the file and copies anew.
 */
export async function saveDiskLive(vm: Vm, p: LiveVm, frontEnd: Transport, timing: BackupTiming = DEFAULT_TIMING): Promise<void> {
  const disk = savingDisk(vm);
  if (!disk?.DISK_ID || !disk.HOTPLUG_SAVE_AS_SOURCE) {
    throw new DriverError(`VM ${vm.id} has no disk marked to be saved as an image; ask for disk-saveas again`);
  }
  const diskId = disk.DISK_ID;
  const file = join(p.files.dir, `saveas.${diskId}`);
  const format = (disk.FORMAT || 'raw').toLowerCase();
  const snapshot = Number(disk.HOTPLUG_SAVE_AS_SNAPSHOT_ID ?? -1);
  if (snapshot >= 0) {
    const from = `snapshot.name=${diskSnapshotName(snapshot)}`;
    const inFormat = (disk.DRIVER || format).toLowerCase();
    await p.t.run(`qemu-img convert -U -f ${q(inFormat)} -O ${q(format)} -l ${q(from)} ${q(p.files.disk(diskId))} ${q(file)}`, { timeoutMs: timing.timeoutMs });
  } else {
    await p.monitor.run((qmp) => backupDrive(qmp, { id: saveAsJobId(diskId), device: diskNames(diskId).node, target: file, format }, timing));
  }
  await copyFile(p.t, file, frontEnd, disk.HOTPLUG_SAVE_AS_SOURCE);
  await p.t.run(`rm -f ${q(file)}`);
}
