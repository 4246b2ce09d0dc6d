import { attachDisk, detachDisk, resizeDisk } from '../../core/vm-disk-operations.js';
import type { Core } from '../../core/core.js';
import { authorize, mustExist } from '../../core/core.js';
import { vmAction } from '../../core/vm-actions.js';
import { allocateVm } from '../../core/vm-create.js';
import { diskSaveAs } from '../../core/vm-disk-saveas.js';
import { createDiskSnapshot, deleteDiskSnapshot, renameDiskSnapshot, revertDiskSnapshot } from '../../core/vm-disk-snapshot.js';
import { chmodVm, chownVm, lockVm, renameVm, unlockVm, updateVm } from '../../core/vm-edit.js';
import { deployVm, migrateVm } from '../../core/vm-placement.js';
import { recoverVm } from '../../core/vm-recover.js';
import { resizeVm } from '../../core/vm-resize.js';
import { createSnapshot, deleteSnapshot, revertSnapshot } from '../../core/vm-snapshot.js';
import type { Vm } from '../../domain/vm.js';
import { EscapedText } from '../xmlrpc/values.js';
import { memoRecent } from '../xml/memo.js';
import { monitoringXml } from '../xml/monitoring.js';
import { escapedBytes } from '../xml/pool.js';
import { vmToXml } from '../xml/vm.js';
import type { MethodTable } from '../server.js';
import { bool, int, method, str } from './define.js';

/** The documents of the VMs clients looked at last, escaped for XML-RPC once per version of each VM. */
const RECENT_VM_DOCUMENTS = 1000;
const escapedVm = memoRecent((vm: Vm) => new EscapedText([escapedBytes(vmToXml(vm))]), RECENT_VM_DOCUMENTS);

const PERMS = ['owner use', 'owner manage', 'owner admin', 'group use', 'group manage', 'group admin', 'other use', 'other manage', 'other admin'].map((n) => int(n));

/** one.vm.* */
export function vmMethods(core: Core): MethodTable {
  return Object.fromEntries([
    method(core, 'one.vm.allocate', [str('template'), bool('hold', false)], (who, t, hold) => allocateVm(core, who, t, hold)),
    method(core, 'one.vm.info', [int('id'), bool('decrypt', false)], async (who, id) => {
      const vm = mustExist(await core.store.read.getVm(id), 'virtual machine', id);
      authorize(who, vm, 'USE', 'VM');
      return escapedVm(vm);
    }),
    method(core, 'one.vm.action', [str('action'), int('id')], (who, action, id) => vmAction(core, who, action, id)),
    method(core, 'one.vm.deploy', [int('id'), int('host id'), bool('enforce', false), int('datastore id', -1), str('extra template', '')],
      (who, id, host, enforce) => deployVm(core, who, id, host, enforce)),
    method(core, 'one.vm.migrate', [int('id'), int('host id'), bool('live'), bool('enforce', false), int('datastore id', -1), int('type', 0)],
      (who, id, host, live, enforce, _ds, type) => migrateVm(core, who, id, host, live, enforce, type)),
    method(core, 'one.vm.recover', [int('id'), int('operation')], (who, id, op) => recoverVm(core, who, id, op)),
    method(core, 'one.vm.snapshotcreate', [int('id'), str('name')], (who, id, name) => createSnapshot(core, who, id, name)),
    method(core, 'one.vm.snapshotrevert', [int('id'), int('snapshot id')], (who, id, snap) => revertSnapshot(core, who, id, snap)),
    method(core, 'one.vm.snapshotdelete', [int('id'), int('snapshot id')], (who, id, snap) => deleteSnapshot(core, who, id, snap)),
    method(core, 'one.vm.disksaveas', [int('id'), int('disk id'), str('image name'), str('image type', ''), int('snapshot id', -1)],
      (who, id, disk, name, type, snap) => diskSaveAs(core, who, id, disk, name, type, snap)),
    method(core, 'one.vm.disksnapshotcreate', [int('id'), int('disk id'), str('name')], (who, id, disk, name) => createDiskSnapshot(core, who, id, disk, name)),
    method(core, 'one.vm.disksnapshotrevert', [int('id'), int('disk id'), int('snapshot id')], (who, id, disk, snap) => revertDiskSnapshot(core, who, id, disk, snap)),
    method(core, 'one.vm.disksnapshotdelete', [int('id'), int('disk id'), int('snapshot id')], (who, id, disk, snap) => deleteDiskSnapshot(core, who, id, disk, snap)),
    method(core, 'one.vm.disksnapshotrename', [int('id'), int('disk id'), int('snapshot id'), str('new name')],
      (who, id, disk, snap, name) => renameDiskSnapshot(core, who, id, disk, snap, name)),
    method(core, 'one.vm.attach', [int('id'), str('disk template')], (who, id, t) => attachDisk(core, who, id, t)),
    method(core, 'one.vm.detach', [int('id'), int('disk id')], (who, id, disk) => detachDisk(core, who, id, disk)),
    method(core, 'one.vm.diskresize', [int('id'), int('disk id'), str('size')], (who, id, disk, size) => resizeDisk(core, who, id, disk, size)),
    method(core, 'one.vm.resize', [int('id'), str('template'), bool('enforce', true)], (who, id, t, enforce) => resizeVm(core, who, id, t, enforce)),
    method(core, 'one.vm.update', [int('id'), str('template'), int('type', 0)], (who, id, t, type) => updateVm(core, who, id, t, type)),
    method(core, 'one.vm.rename', [int('id'), str('name')], (who, id, name) => renameVm(core, who, id, name)),
    method(core, 'one.vm.chmod', [int('id'), ...PERMS], (who, id, ...bits) => chmodVm(core, who, id, bits)),
    method(core, 'one.vm.chown', [int('id'), int('user id'), int('group id')], (who, id, uid, gid) => chownVm(core, who, id, uid, gid)),
    method(core, 'one.vm.lock', [int('id'), int('level'), bool('test', false)], (who, id, level, test) => lockVm(core, who, id, level, test)),
    method(core, 'one.vm.unlock', [int('id')], (who, id) => unlockVm(core, who, id)),
    method(core, 'one.vm.monitoring', [int('id')], async (who, id) => {
      const vm = mustExist(await core.store.read.getVm(id), 'virtual machine', id);
      authorize(who, vm, 'USE', 'VM');
      return monitoringXml(await core.store.read.vmSamples(id));
    }),
  ]);
}
