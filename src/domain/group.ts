import type { Template } from '../template/types.js';

export interface Group {
  id: number;
  name: string;
  users: number[];
  admins: number[];
  template: Template;
}
