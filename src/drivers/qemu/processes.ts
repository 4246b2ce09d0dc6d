import { shellQuote as q } from '../transport/shell-quote.js';
import type { Transport } from '../transport/types.js';
import type { VmFiles } from './vm-files.js';

/**
 * The QEMU process of a VM on a host, found through its pid file and checked by its command line (a pid
 * file can outlive its process, and the pid be reused). Null when it does not run.
 */
export async function qemuPid(t: Transport, files: VmFiles): Promise<number | null> {
  const script =
    `p=$(cat ${q(files.pid)} 2>/dev/null) && [ -n "$p" ] && ` +
    `tr '\\0' '\\n' < /proc/$p/cmdline 2>/dev/null | grep -qx -- ${q(`guest=${files.deployId},process=${files.deployId}`)} && echo "$p"`;
  const out = (await t.exec(script)).stdout.trim();
  return out ? Number(out) : null;
}

/** Starts QEMU detached (it returns once the VM is set up); what QEMU printed on failure is the error. */
export async function startQemu(t: Transport, emulator: string, files: VmFiles, args: string[]): Promise<void> {
  const dirs = `mkdir -p ${q(files.runDir)} ${q(files.dir)} && rm -f ${q(files.qmp)} ${q(files.serial)}`;
  await t.run(`${dirs} && cd ${q(files.dir)} && ${[emulator, ...args].map(q).join(' ')}`, { timeoutMs: 60_000 });
}

/** Kills the VM's QEMU at once (SIGKILL); no error when it does not run. */
export async function killQemu(t: Transport, files: VmFiles): Promise<void> {
  const pid = await qemuPid(t, files);
  if (pid !== null) await t.exec(`kill -9 ${pid}`);
}

/** Waits until the VM's QEMU has exited, polling; false if it still runs after `ms`. */
export async function waitForExit(t: Transport, files: VmFiles, ms: number, pollMs = 250): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    if ((await qemuPid(t, files)) === null) return true;
    if (Date.now() >= until) return false;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** The bridges that exist on a host. */
export async function hostBridges(t: Transport): Promise<Set<string>> {
  const out = await t.run('for b in /sys/class/net/*/bridge; do [ -d "$b" ] && basename "$(dirname "$b")"; done; true');
  return new Set(out.split('\n').map((s) => s.trim()).filter(Boolean));
}

/** Creates a tap device for a NIC and plugs it into its bridge (idempotent). */
export async function plugTap(t: Transport, tap: string, bridge: string): Promise<void> {
  await t.run(`{ ip link show ${q(tap)} >/dev/null 2>&1 || ip tuntap add dev ${q(tap)} mode tap; } && ip link set ${q(tap)} master ${q(bridge)} up`);
}

/** Removes the tap devices of a VM (one-VMID-*); nothing to do when there are none. */
export async function unplugTaps(t: Transport, deployId: string): Promise<void> {
  await t.exec(`for d in /sys/class/net/${deployId}-*; do [ -e "$d" ] && ip link del "$(basename "$d")"; done; true`);
}
