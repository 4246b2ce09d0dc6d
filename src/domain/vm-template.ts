import type { Template } from '../template/types.js';
import type { Lock } from './lock.js';
import type { Permissions } from './permissions.js';

/** A VM template (`<VMTEMPLATE>`). */
export interface VmTemplate {
  id: number;
  uid: number;
  gid: number;
  uname: string;
  gname: string;
  name: string;
  lock: Lock | null;
  permissions: Permissions;
  regtime: number;
  template: Template;
}
