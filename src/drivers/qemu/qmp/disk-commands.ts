import type { QmpExecutor } from './connection.js';

// QMP commands on disks, one small typed function each: block nodes, internal snapshots of one drive, and
// the block jobs that copy a drive (disk snapshots, disk-saveas, hotplug).

/** The names of the block nodes QEMU has open, plugged into a device or not (query-named-block-nodes). */
export async function queryNamedBlockNodes(qmp: QmpExecutor): Promise<string[]> {
  const nodes = await qmp.execute<Array<{ 'node-name': string }>>('query-named-block-nodes', { flat: true });
  return nodes.map((n) => n['node-name']);
}

/** Takes the internal snapshot `name` of one qcow2 drive while the guest runs (blockdev-snapshot-internal-sync). */
export async function blockdevSnapshotInternalSync(qmp: QmpExecutor, device: string, name: string): Promise<void> {
  await qmp.execute('blockdev-snapshot-internal-sync', { device, name });
}

/** Deletes the internal snapshot `name` of one drive; QEMU refuses a missing one (blockdev-snapshot-delete-internal-sync). */
export async function blockdevSnapshotDeleteInternalSync(qmp: QmpExecutor, device: string, name: string): Promise<void> {
  await qmp.execute('blockdev-snapshot-delete-internal-sync', { device, name });
}

/**
 * The tags of the internal snapshots in drive `device`'s image (a -drive id, or the node name of a disk
 * plugged in later), or undefined when QEMU has no such drive (query-block).
 */
export async function driveSnapshots(qmp: QmpExecutor, device: string): Promise<string[] | undefined> {
  const devices = await qmp.execute<Array<{ device: string; inserted?: { 'node-name'?: string; image?: { snapshots?: Array<{ name: string }> } } }>>('query-block');
  const drive = devices.find((d) => d.device === device || d.inserted?.['node-name'] === device);
  return drive && (drive.inserted?.image?.snapshots ?? []).map((s) => s.name);
}

/** QEMU's JobStatus: a job's place in its life, `concluded` once it has ended (well or not). */
export type JobStatus =
  | 'undefined' | 'created' | 'running' | 'paused' | 'ready' | 'standby' | 'waiting' | 'pending' | 'aborting'
  | 'concluded' | 'null';

/** One block job (JobInfo); `error` is set when a concluded job failed. */
export interface JobInfo {
  id: string;
  type: string;
  status: JobStatus;
  currentProgress: number;
  totalProgress: number;
  error?: string;
}

/** drive-backup arguments: the drive, the file QEMU creates (or overwrites) and its format. */
export interface DriveBackupOptions {
  jobId: string;
  device: string;
  target: string;
  format: string;
  /** Left for job-dismiss, so that its outcome can still be read after a restart of the caller. */
  autoDismiss: boolean;
}

/**
 * Starts copying a drive, as it is at this instant, into a new file (drive-backup, sync full); the guest keeps
 * running and writes after the start are not copied. Follow the job with queryJobs.
 */
export async function driveBackup(qmp: QmpExecutor, options: DriveBackupOptions): Promise<void> {
  await qmp.execute('drive-backup', {
    'job-id': options.jobId, device: options.device, target: options.target, format: options.format,
    sync: 'full', mode: 'absolute-paths', 'auto-dismiss': options.autoDismiss,
  });
}

/** The block jobs, running or concluded and not yet dismissed (query-jobs). */
export async function queryJobs(qmp: QmpExecutor): Promise<JobInfo[]> {
  const jobs = await qmp.execute<
    Array<{ id: string; type: string; status: JobStatus; 'current-progress': number; 'total-progress': number; error?: string }>
  >('query-jobs');
  return jobs.map((j) => ({
    id: j.id, type: j.type, status: j.status, currentProgress: j['current-progress'], totalProgress: j['total-progress'],
    ...(j.error !== undefined ? { error: j.error } : {}),
  }));
}

/** Forgets a concluded job (job-dismiss). */
export async function jobDismiss(qmp: QmpExecutor, id: string): Promise<void> {
  await qmp.execute('job-dismiss', { id });
}

/** Stops a running job; it then concludes with an error (job-cancel). */
export async function jobCancel(qmp: QmpExecutor, id: string): Promise<void> {
  await qmp.execute('job-cancel', { id });
}
