import type { Template } from '../template/types.js';
import type { Lock } from './lock.js';
import type { PoolObject } from './permissions.js';

/** A VM template (`<VMTEMPLATE>`). */
export interface VmTemplate extends PoolObject {
  lock: Lock | null;
  regtime: number;
  template: Template;
}
