import type { TestDaemon } from '../test/harness/daemon.js';

/** VMs read per poll: a slice of the pool, so that watching 20,000 VMs does not load the daemon. */
const WINDOW = 1000;

/** One VM's place in the state tables, as a pool listing gives it. */
export interface VmStates {
  id: number;
  state: number;
  lcm: number;
}

/** The ID, STATE and LCM_STATE of each `<VM>` of a pool document, in order. */
export function vmStates(pool: string): VmStates[] {
  const out: VmStates[] = [];
  const re = /<VM><ID>(\d+)<\/ID>[\s\S]*?<STATE>(\d+)<\/STATE><LCM_STATE>(\d+)<\/LCM_STATE>/g;
  for (let m = re.exec(pool); m; m = re.exec(pool)) out.push({ id: Number(m[1]), state: Number(m[2]), lcm: Number(m[3]) });
  return out;
}

/**
 * Waits until every VM of ids `first`..`last` satisfies `done` (which must stay true once it is), reading
 * the pool a window at a time from the lowest VM not yet done. Resolves with performance.now() of the
 * poll that saw the last one; rejects after `timeoutMs`.
 */
export async function untilAllVms(d: TestDaemon, first: number, last: number, done: (vm: VmStates) => boolean, timeoutMs: number, pollMs = 200): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  let low = first;
  for (;;) {
    const high = Math.min(last, low + WINDOW - 1);
    const body = await readWindow(d, low, high);
    const seenAt = performance.now();
    const waiting = vmStates(body).find((vm) => !done(vm));
    // Ids missing from the window are VMs that no longer exist: nothing to wait for.
    low = waiting ? waiting.id : high + 1;
    if (low > last) return seenAt;
    if (performance.now() > deadline) {
      throw new Error(`VM ${low} (and maybe more up to ${last}) did not get there within ${Math.round(timeoutMs / 1000)} s: ${JSON.stringify(waiting)}`);
    }
    if (waiting) await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** The pool listing of VMs `low`..`high` in any state. */
async function readWindow(d: TestDaemon, low: number, high: number): Promise<string> {
  return String(await d.ok('one.vmpool.info', -2, low, high, -2));
}
