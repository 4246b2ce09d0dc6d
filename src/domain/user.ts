import type { Template } from '../template/types.js';

export interface User {
  id: number;
  gid: number;
  /** Every group, the primary first. */
  groups: number[];
  gname: string;
  name: string;
  /** SHA-256 hex of the password for the core driver. */
  password: string;
  authDriver: string;
  enabled: number;
  template: Template;
}
