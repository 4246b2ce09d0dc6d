import { CliError } from './errors.js';

/** One item of an ID list: a single ID, an inclusive range, or a name to look up. */
export type IdItem = { id: number } | { from: number; to: number } | { name: string };

/**
 * Splits `1,2,5..7`, `3-4` or `web,db` (OpenNebula accepts ranges and names where a list of IDs is
 * expected) into items; names are resolved by the caller.
 */
export function parseIdItems(arg: string): IdItem[] {
  const parts = arg.split(',').map((p) => p.trim());
  if (parts.some((p) => p === '')) throw new CliError(`"${arg}" has an empty element; use IDs, names or ranges like 1,2,5..7`);
  return parts.map((p): IdItem => {
    if (/^\d+$/.test(p)) return { id: Number(p) };
    const range = /^(\d+)(?:\.\.|-)(\d+)$/.exec(p);
    if (range) {
      const [from, to] = [Number(range[1]), Number(range[2])];
      if (from > to) throw new CliError(`Range ${p} is backwards; write it as ${to}..${from}`);
      return { from, to };
    }
    return { name: p };
  });
}

/** Expands items to IDs in the order given, without repeats; `resolve` turns a name into an ID. */
export async function expandIds(items: IdItem[], resolve: (name: string) => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  for (const item of items) {
    if ('id' in item) out.push(item.id);
    else if ('from' in item) for (let i = item.from; i <= item.to; i++) out.push(i);
    else out.push(await resolve(item.name));
  }
  return [...new Set(out)];
}

const BITS = [4, 2, 1];

/** `chmod` octets such as 640 -> the 9 USE/MANAGE/ADMIN bits of OWNER, GROUP and OTHER (u=4, m=2, a=1). */
export function octetToBits(octet: string): number[] {
  if (!/^[0-7]{3}$/.test(octet)) {
    throw new CliError(`Wrong octet format "${octet}": give three octal digits, e.g. 640 (u=4, m=2, a=1 for owner, group, other)`);
  }
  return [...octet].flatMap((d) => BITS.map((b) => (Number(d) & b ? 1 : 0)));
}

/** `--memory 512`, `2g`, `0.5g`, `1024mb` -> MB, as OpenNebula's template options read it. */
export function parseMemory(value: string): number {
  const m = /^(\d+(?:\.\d+)?)(m|mb|g|gb)?$/i.exec(value.trim());
  if (!m) throw new CliError(`Memory value "${value}" malformed; give megabytes (512) or gigabytes (2g, 0.5g)`);
  const multiplier = m[2] && /g/i.test(m[2]) ? 1024 : 1;
  return Math.floor(Number(m[1]) * multiplier);
}

/** Pool filter flags of `list`: a/all, m/mine, g/group, G/primary group, or a user's ID. */
const FILTER_FLAGS: Record<string, number> = { a: -2, all: -2, m: -3, mine: -3, g: -1, group: -1, G: -4 };

/** The `who` argument of a pool call, or undefined when `flag` is a user name to look up. */
export function filterFlag(flag: string | undefined): number | undefined {
  if (flag === undefined) return -2;
  if (Object.hasOwn(FILTER_FLAGS, flag)) return FILTER_FLAGS[flag];
  if (/^\d+$/.test(flag)) return Number(flag);
  return undefined;
}

/** The <snapshot_id> argument of snapshot-revert and snapshot-delete: a whole number. */
export function snapshotId(arg: string): number {
  if (!/^\d+$/.test(arg.trim())) throw new CliError(`Snapshot ID "${arg}" is not a number; see the VM's snapshots with onevm show`);
  return Number(arg);
}

/** The <diskid> argument: a whole number, the DISK_ID that `onevm show` lists under VM DISKS. */
export function diskId(arg: string): number {
  if (!/^\d+$/.test(arg.trim())) throw new CliError(`Disk ID "${arg}" is not a number; see the VM's disks with onevm show`);
  return Number(arg);
}
