import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { DriverError } from '../types.js';

/** What a simulated guest is doing. A guest that powered off has no domain at all. */
export type DomainState = 'running' | 'paused';

/** One guest on a simulated host. */
export interface Domain {
  deployId: string;
  vmId: number;
  state: DomainState;
  /** Unix seconds of the (re)start, for uptime-driven figures. */
  started: number;
  /** Percent of one core, from the VM's CPU at deploy. */
  cpu: number;
  /** KB, from the VM's MEMORY at deploy or its last resize. */
  memory: number;
  /** System snapshots of the running guest (absent when there are none); they go when the guest stops. */
  snapshots?: DomainSnapshot[];
}

/** A system snapshot a simulated guest keeps, by the name its driver gave it. */
export interface DomainSnapshot {
  name: string;
  /** Unix seconds when it was taken. */
  taken: number;
}

/** A saved guest (suspend, stop, cold migration): what `restore` brings back. */
export interface Checkpoint {
  deployId: string;
  vmId: number;
  cpu: number;
  memory: number;
  /** Unix seconds of the save. */
  saved: number;
}

/** Everything a simulated host's hypervisor holds. */
export interface HypervisorState {
  domains: Domain[];
  checkpoints: Checkpoint[];
}

/** The JSON file of host `hostId`'s hypervisor. */
export function hypervisorFile(dataDir: string, hostId: number): string {
  return join(dataDir, 'dummy', `host-${hostId}.json`);
}

/** The domain of VM `vmId`, if the hypervisor runs it. */
export function findDomain(hv: HypervisorState, vmId: number): Domain | undefined {
  return hv.domains.find((d) => d.vmId === vmId);
}

/** The checkpoint of VM `vmId`, if one was saved here. */
export function findCheckpoint(hv: HypervisorState, vmId: number): Checkpoint | undefined {
  return hv.checkpoints.find((c) => c.vmId === vmId);
}

/** Removes the domain of VM `vmId`, if any. */
export function removeDomain(hv: HypervisorState, vmId: number): void {
  hv.domains = hv.domains.filter((d) => d.vmId !== vmId);
}

/** Removes and returns the checkpoint of VM `vmId`, if any. */
export function removeCheckpoint(hv: HypervisorState, vmId: number): Checkpoint | undefined {
  const found = findCheckpoint(hv, vmId);
  if (found) hv.checkpoints = hv.checkpoints.filter((c) => c !== found);
  return found;
}

// Changes of one file run one at a time, in order: the executor runs many operations at once and each is a
// read-modify-write of the whole file. Those that queue up while a batch is on disk run together as the
// next batch, on one read and one write, so a busy host costs a few file operations, not one per VM.
// Module-wide so that the VMM and IM drivers share it.
interface Pending {
  change: (hv: HypervisorState) => unknown;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}
const queues = new Map<string, Pending[]>();
const draining = new Set<string>();

/**
 * Runs `change` on host `hostId`'s hypervisor state, serialized with every other change of that host in
 * this process, and saves the result atomically if it differs. Resolves, once saved, with a copy of what
 * `change` returns; a `change` that throws changes nothing and rejects with its error.
 */
export function updateHypervisor<T>(
  dataDir: string,
  hostId: number,
  change: (hv: HypervisorState) => T,
): Promise<T> {
  const file = resolvePath(hypervisorFile(dataDir, hostId));
  return new Promise<T>((resolve, reject) => {
    const queue = queues.get(file) ?? [];
    queues.set(file, queue);
    queue.push({ change, resolve: resolve as (value: unknown) => void, reject });
    if (draining.has(file)) return;
    // Start on the next turn of the event loop, so that everything asked for in this one joins the batch.
    draining.add(file);
    setImmediate(() => void drain(file));
  });
}

/** Host `hostId`'s hypervisor state as it is once pending changes are done. */
export function readHypervisor(dataDir: string, hostId: number): Promise<HypervisorState> {
  return updateHypervisor(dataDir, hostId, (hv) => hv);
}

async function drain(file: string): Promise<void> {
  try {
    for (let batch = queues.get(file); batch; batch = queues.get(file)) {
      queues.delete(file);
      await runBatch(file, batch);
    }
  } finally {
    draining.delete(file);
  }
}

async function runBatch(file: string, batch: Pending[]): Promise<void> {
  let before: string;
  let hv: HypervisorState;
  try {
    before = await loadText(file);
    hv = before === '' ? { domains: [], checkpoints: [] } : parseState(file, before);
  } catch (e) {
    for (const p of batch) p.reject(e);
    return;
  }
  const done: [Pending, unknown][] = [];
  for (const p of batch) {
    const saved = structuredClone(hv);
    try {
      // A copy, so that later changes of the batch do not show through the result.
      const result = structuredClone(p.change(hv));
      done.push([p, result]);
    } catch (e) {
      hv = saved;
      p.reject(e);
    }
  }
  const after = hv.domains.length || hv.checkpoints.length || before !== '' ? serialize(hv) : '';
  try {
    if (after !== before) await saveText(file, after);
  } catch (e) {
    for (const [p] of done) p.reject(e);
    return;
  }
  for (const [p, result] of done) p.resolve(result);
}

async function loadText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw new DriverError(`cannot read the dummy hypervisor file ${file}: ${(e as Error).message}`);
  }
}

function parseState(file: string, text: string): HypervisorState {
  try {
    const parsed = JSON.parse(text) as Partial<HypervisorState>;
    if (!Array.isArray(parsed.domains) || !Array.isArray(parsed.checkpoints)) throw new Error('domains or checkpoints missing');
    return { domains: parsed.domains, checkpoints: parsed.checkpoints };
  } catch (e) {
    throw new DriverError(
      `the dummy hypervisor file ${file} is damaged (${(e as Error).message}); fix it or delete it to empty the host`,
    );
  }
}

function serialize(hv: HypervisorState): string {
  return `${JSON.stringify(hv, null, 1)}\n`;
}

// Write a sibling temp file and rename it over the old one, so a crash leaves the old or the new
// state, never half of one. No fsync: the file must survive the daemon dying, not the machine.
async function saveText(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    try {
      await writeFile(tmp, text);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      await mkdir(dirname(file), { recursive: true });
      await writeFile(tmp, text);
    }
    await rename(tmp, file);
  } catch (e) {
    throw new DriverError(`cannot write the dummy hypervisor file ${file}: ${(e as Error).message}`);
  }
}
