import { claimOperation, operationResult, operationStepDone } from '../core/operation-result.js';
import type { Core } from '../core/core.js';
import { imageOperationResult } from '../core/image-operations.js';
import { recordCopyProgress } from '../core/image-copy-progress.js';
import { NO_DS_MAD, type Datastore, type DatastoreCapacity } from '../domain/datastore.js';
import type { Host } from '../domain/host.js';
import type { History } from '../domain/history.js';
import { currentHistory, previousHistory, type Vm } from '../domain/vm.js';
import { driverOf, type DriverRegistry } from '../drivers/registry.js';
import type { DsFile, HostReport, TmAction, VmContext, VmmAction } from '../drivers/types.js';
import type { Operation } from '../lifecycle/events.js';
import type { DsOperation, OperationRecord } from '../store/store.js';

export interface ExecutorOptions {
  /** Operations handed to drivers at once. */
  concurrency: number;
  /** An operation interrupted by this many daemon restarts fails instead of running again. */
  maxAttempts: number;
}

/**
 * Runs the driver operations the core recorded, one VM operation's steps in order or one datastore
 * operation on an image's file, and feeds each outcome back to the core; and runs the monitoring probes
 * the monitor loop asks for. The only part of the daemon that calls drivers.
 */
export class Executor {
  private lastSeen = 0;
  private readonly waiting: OperationRecord[] = [];
  private readonly inFlight = new Set<number>();
  private scanning: Promise<void> | null = null;
  private rescan = false;
  private stopped = false;

  constructor(
    private readonly core: Core,
    private readonly drivers: DriverRegistry,
    private readonly opts: ExecutorOptions,
  ) {}

  /**
   * Starts after a daemon (re)start: operations left running by a dead daemon are run again (drivers
   * are idempotent), unless they already were interrupted `maxAttempts` times: those fail, which puts the
   * VM in a state the user can recover from, or the image in ERROR.
   */
  async start(): Promise<void> {
    for (const op of await this.core.store.read.operationsAfter(0)) {
      if (op.status === 'running' && op.attempts >= this.opts.maxAttempts) {
        this.core.log.warn({ vm: op.vmId, image: op.ds?.imageId, op: op.id }, 'operation interrupted too often, failing it');
        const why = `${op.ds ? `ds.${op.ds.action}` : op.steps[op.step]} was interrupted by ${op.attempts} daemon restarts`;
        if (op.ds) await imageOperationResult(this.core, { ...op, ds: op.ds }, new Error(why));
        else await operationResult(this.core, op.id, 'failure', why);
      }
    }
    this.kick();
  }

  /** Looks for newly recorded operations (coalesces calls). */
  kick(): void {
    if (this.stopped) return;
    if (this.scanning) {
      this.rescan = true;
      return;
    }
    this.scanning = this.scan().finally(() => {
      this.scanning = null;
      if (this.rescan) {
        this.rescan = false;
        this.kick();
      }
    });
  }

  /** Stops taking new operations; those in flight finish or are picked up after a restart. */
  stop(): void {
    this.stopped = true;
  }

  /** Operations currently handed to drivers. */
  get busy(): number {
    return this.inFlight.size;
  }

  private async scan(): Promise<void> {
    const fresh = await this.core.store.read.operationsAfter(this.lastSeen);
    for (const op of fresh) {
      this.lastSeen = Math.max(this.lastSeen, op.id);
      this.waiting.push(op);
    }
    this.pump();
  }

  private pump(): void {
    while (!this.stopped && this.inFlight.size < this.opts.concurrency && this.waiting.length > 0) {
      const op = this.waiting.shift()!;
      this.inFlight.add(op.id);
      void this.run(op.id).finally(() => {
        this.inFlight.delete(op.id);
        this.pump();
      });
    }
  }

  /** The capacity of a datastore, from its DS driver (a system datastore's files are the front-end's: fs). */
  probeDatastore(ds: Datastore): Promise<DatastoreCapacity> {
    return driverOf('DS', this.drivers.ds, ds.dsMad === NO_DS_MAD ? 'fs' : ds.dsMad).monitor(ds.basePath);
  }

  /** One monitoring probe of a host and the VMs the store places on it. */
  probe(host: Host, vms: Vm[]): Promise<HostReport> {
    return driverOf('IM', this.drivers.im, host.imMad).monitor(host, vms, this.core.config.dataDir);
  }

  private async run(opId: number): Promise<void> {
    const op = await claimOperation(this.core, opId);
    if (!op) return;
    if (op.ds) return this.runDs({ ...op, ds: op.ds });
    for (let step = op.step; step < op.steps.length; step++) {
      let info: string;
      try {
        info = await this.runStep(op.steps[step], op);
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        this.core.log.warn({ vm: op.vmId, op: op.steps[step], err: message }, 'driver operation failed');
        await operationResult(this.core, op.id, 'failure', message);
        return;
      }
      this.core.log.info({ vm: op.vmId, op: op.steps[step], ...(info && { info }) }, 'driver operation done');
      if (step === op.steps.length - 1) await operationResult(this.core, op.id, 'success', info);
      else if (!(await operationStepDone(this.core, op.id, step))) return;
    }
  }

  /** A datastore operation: the DS driver of the image's datastore works on its file; copies report progress. */
  private async runDs(op: OperationRecord & { ds: DsOperation }): Promise<void> {
    const { action, imageId, dsMad, file } = op.ds;
    const progress = (pct: number) => void recordCopyProgress(this.core, imageId, pct).catch(() => undefined);
    let outcome: DsFile | Error;
    try {
      const driver = driverOf('DS', this.drivers.ds, dsMad);
      const ctx = { ...file, progress };
      if (action !== 'rm') outcome = await driver[action](ctx);
      else {
        await driver.rm(ctx);
        outcome = file; // an rm settles no image: nothing is read from its outcome
      }
      this.core.log.info({ image: imageId, op: `ds.${action}` }, 'driver operation done');
    } catch (e) {
      outcome = e instanceof Error ? e : new Error(String(e));
      this.core.log.warn({ image: imageId, op: `ds.${action}`, err: outcome.message }, 'driver operation failed');
    }
    await imageOperationResult(this.core, op, outcome);
  }

  private async runStep(step: Operation, op: OperationRecord): Promise<string> {
    const { ctx, record } = await this.context(op);
    const [kind, action] = step.split('.') as ['vmm' | 'tm', string];
    if (kind === 'vmm') return driverOf('VMM', this.drivers.vmm, record.vmMad)[action as VmmAction](ctx);
    return driverOf('TM', this.drivers.tm, record.tmMad)[action as TmAction](ctx);
  }

  /** The driver context of an operation: the host it was recorded for and, when that is the open record's, the previous one as source. */
  private async context(op: OperationRecord): Promise<{ ctx: VmContext; record: History }> {
    const read = this.core.store.read;
    const vm = await read.getVm(op.vmId);
    if (!vm) throw new Error(`VM ${op.vmId} no longer exists`);
    const current = currentHistory(vm);
    const prev = previousHistory(vm);
    const record = current?.hid === op.hostId ? current : prev?.hid === op.hostId ? prev : undefined;
    if (!record) throw new Error(`VM ${op.vmId} has no record on host ${op.hostId}`);
    const host = await read.getHost(record.hid);
    if (!host) throw new Error(`Host ${record.hostname} [${record.hid}] no longer exists`);
    const sourceHost = record === current && prev ? await read.getHost(prev.hid) : undefined;
    return { ctx: { vm, host, sourceHost, dataDir: this.core.config.dataDir }, record };
  }
}
