/** Lock levels as stored (PoolObjectSQL::LockStates). */
export const LockLevel = { USE: 1, MANAGE: 2, ADMIN: 3 } as const;

export interface Lock {
  locked: number;
  owner: number;
  time: number;
  reqId: number;
}
