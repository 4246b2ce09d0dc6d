import type { StateName } from '../lifecycle/states.js';
import type { History } from './history.js';

const isProlog = (s: StateName) => s.startsWith('PROLOG') && !s.endsWith('_FAILURE');
const isEpilog = (s: StateName) => s.startsWith('EPILOG') && !s.endsWith('_FAILURE');
/** States in which the VM no longer has a host: its record is closed on arrival. */
const LEFT_HOST = new Set<StateName>(['DONE', 'STOPPED', 'UNDEPLOYED', 'PENDING', 'HOLD']);
/** States in which the guest is not running. */
const GUEST_DOWN = new Set<StateName>(['POWEROFF', 'SUSPENDED', 'DONE', 'STOPPED', 'UNDEPLOYED', 'PENDING', 'HOLD']);

/**
 * The prolog, running, epilog and end times of the open record, derived from a state change, so no
 * row of the lifecycle table has to remember them.
 */
export function stampHistory(h: History, from: StateName, to: StateName, now: number): History {
  if (from === to) return h;
  const out = { ...h };
  if (isProlog(to) && !isProlog(from)) out.pstime = now;
  if (isProlog(from) && !isProlog(to)) out.petime = now;
  // A guest running again on the same record (seen up by monitoring) starts a new running period.
  if (to === 'RUNNING' && (out.rstime === 0 || out.retime !== 0)) {
    out.rstime = now;
    out.retime = 0;
  }
  // The running period ends when the guest stops: at a resting state, or when the epilog starts.
  if ((GUEST_DOWN.has(to) || isEpilog(to)) && out.rstime !== 0 && out.retime === 0) out.retime = now;
  if (isEpilog(to) && !isEpilog(from)) out.estime = now;
  if (isEpilog(from) && !isEpilog(to)) out.eetime = now;
  if (LEFT_HOST.has(to) && out.etime === 0) out.etime = now;
  return out;
}

/** Closes a record now (end of a stay on a host). */
export function closeHistory(h: History, now: number): History {
  return {
    ...h,
    etime: h.etime || now,
    retime: h.rstime && !h.retime ? now : h.retime,
    petime: h.pstime && !h.petime ? now : h.petime,
    eetime: h.estime && !h.eetime ? now : h.eetime,
  };
}
