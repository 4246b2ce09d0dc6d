/** One HISTORY record: a stay of the VM on a host, opened per deploy, migrate or action. */
export interface History {
  seq: number;
  hostname: string;
  hid: number;
  cid: number;
  stime: number;
  etime: number;
  vmMad: string;
  tmMad: string;
  dsId: number;
  pstime: number;
  petime: number;
  rstime: number;
  retime: number;
  estime: number;
  eetime: number;
  /** History ACTION number (lifecycle/history-actions.ts). */
  action: number;
  uid: number;
  gid: number;
  reqId: number;
}

/** What a new record needs to know; the rest starts at zero. */
export interface Placement {
  hostname: string;
  hid: number;
  cid: number;
  vmMad: string;
  tmMad: string;
  dsId: number;
}

/** A fresh record for `placement`, numbered after `prev`. */
export function newHistory(prev: History | undefined, placement: Placement, now: number): History {
  const { hostname, hid, cid, vmMad, tmMad, dsId } = placement;
  return {
    seq: prev ? prev.seq + 1 : 0,
    hostname, hid, cid, vmMad, tmMad, dsId,
    stime: now, etime: 0, pstime: 0, petime: 0, rstime: 0, retime: 0, estime: 0, eetime: 0,
    action: 0, uid: -1, gid: -1, reqId: -1,
  };
}

/** A copy of the open record that starts now (close_cp_history): same host, next SEQ. */
export function copyHistory(prev: History, now: number): History {
  return {
    ...newHistory(prev, prev, now),
    rstime: prev.rstime && !prev.retime ? now : 0,
  };
}
