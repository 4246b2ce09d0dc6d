import { diskId, snapshotId } from './args.js';
import { forOneId } from './commands.js';
import { subcommand, type Define } from './program.js';

/** `onevm disk-snapshot-create|revert|delete|rename`: OpenNebula's commands on the snapshots of one disk. */
export const diskSnapshotCommands: Define = (program, on) => {
  const create = subcommand(program, 'disk-snapshot-create <vmid> <diskid> <name>',
    'Takes a new snapshot of the given disk (a qcow2 disk). States: RUNNING, POWEROFF, SUSPENDED');
  on(create, (c, [vm, disk, name]) => {
    const d = diskId(disk);
    return forOneId(c, 'VM', vm, 'disk snapshot created', (id) => c.call('one.vm.disksnapshotcreate', id, d, name));
  });

  const revert = subcommand(program, 'disk-snapshot-revert <vmid> <diskid> <snapshot_id>',
    'Reverts the disk to a snapshot taken before; the VM must be powered off. States: POWEROFF');
  on(revert, (c, [vm, disk, snap]) => {
    const [d, s] = [diskId(disk), snapshotId(snap)];
    return forOneId(c, 'VM', vm, 'disk snapshot reverted', (id) => c.call('one.vm.disksnapshotrevert', id, d, s));
  });

  const remove = subcommand(program, 'disk-snapshot-delete <vmid> <diskid> <snapshot_id>',
    'Deletes a snapshot of the disk that is not active and has no children. States: RUNNING, POWEROFF, SUSPENDED');
  on(remove, (c, [vm, disk, snap]) => {
    const [d, s] = [diskId(disk), snapshotId(snap)];
    return forOneId(c, 'VM', vm, 'disk snapshot deleted', (id) => c.call('one.vm.disksnapshotdelete', id, d, s));
  });

  const rename = subcommand(program, 'disk-snapshot-rename <vmid> <diskid> <snapshot_id> <new_name>', 'Renames a snapshot of the disk');
  on(rename, (c, [vm, disk, snap, name]) => {
    const [d, s] = [diskId(disk), snapshotId(snap)];
    return forOneId(c, 'VM', vm, 'disk snapshot renamed', (id) => c.call('one.vm.disksnapshotrename', id, d, s, name));
  });
};
