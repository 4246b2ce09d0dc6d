import { describe, expect, it } from 'vitest';
import { HostState, type Host, type HostShare } from '../domain/host.js';
import { newHistory } from '../domain/history.js';
import { DEFAULT_PERMISSIONS } from '../domain/permissions.js';
import type { Vm } from '../domain/vm.js';
import { LcmState, VmState } from '../lifecycle/states.js';
import type { Template } from '../template/types.js';
import { DEFAULT_SCHEDULER_CONFIG, type SchedulerConfig } from './config.js';
import { planPlacements, type SchedulerPlan } from './place.js';

const GB = 1024 * 1024;

/** A MONITORED host with 4 cores and 8 GB, nothing used. */
function host(id: number, overrides: Partial<Omit<Host, 'share'>> & { share?: Partial<HostShare> } = {}): Host {
  const { share, ...rest } = overrides;
  return {
    id, name: `host${id}`, state: HostState.MONITORED, prevState: HostState.INIT, imMad: 'kvm', vmMad: 'kvm',
    clusterId: 0, cluster: 'default',
    share: { memUsage: 0, cpuUsage: 0, totalMem: 8 * GB, totalCpu: 400, maxMem: 8 * GB, maxCpu: 400, runningVms: 0, ...share },
    vms: [], template: [{ name: 'HYPERVISOR', value: 'kvm' }],
    monitoring: { timestamp: 1, freeCpu: 400, usedCpu: 0, freeMemory: 8 * GB, usedMemory: 0, netrx: 0, nettx: 0 },
    lastMonAt: 1,
    ...rest,
  };
}

function attrs(record: Record<string, string>): Template {
  return Object.entries(record).map(([name, value]) => ({ name, value }));
}

interface VmOptions {
  cpu?: string;
  memory?: string;
  system?: Record<string, string>;
  user?: Record<string, string>;
  state?: number;
  lcm?: number;
  resched?: number;
  /** Host the VM runs on (its last history record). */
  hid?: number;
}

/** A PENDING VM asking for 1 CPU and 512 MB unless told otherwise. */
function vm(id: number, o: VmOptions = {}): Vm {
  return {
    id, uid: 0, gid: 0, uname: 'oneadmin', gname: 'oneadmin', name: `vm${id}`, permissions: DEFAULT_PERMISSIONS,
    lastPoll: 0, state: o.state ?? VmState.PENDING, lcmState: o.lcm ?? 0, prevState: 0, prevLcmState: 0,
    resched: o.resched ?? 0, stime: 0, etime: 0, stateTime: 0, deployId: '', lock: null, monitoring: {},
    template: attrs({ CPU: o.cpu ?? '1', MEMORY: o.memory ?? '512', ...o.system }),
    userTemplate: attrs(o.user ?? {}),
    history: o.hid === undefined ? [] : [newHistory(undefined, { hostname: `host${o.hid}`, hid: o.hid, cid: 0, vmMad: 'kvm', tmMad: 'ssh', dsId: 0 }, 0)],
  };
}

function plan(vms: Vm[], hosts: Host[], config: Partial<SchedulerConfig> = {}): SchedulerPlan {
  return planPlacements({ vms, hosts, config: { ...DEFAULT_SCHEDULER_CONFIG, ...config } });
}

/** vmId -> hostId of the plan's placements. */
function where(p: SchedulerPlan): Record<number, number> {
  return Object.fromEntries(p.placements.map((x) => [x.vmId, x.hostId]));
}

describe('planPlacements: candidates', () => {
  it('deploys a PENDING VM and leaves no message for it', () => {
    const p = plan([vm(1)], [host(0)]);
    expect(p.placements).toEqual([{ vmId: 1, hostId: 0, kind: 'deploy' }]);
    expect(p.messages.size).toBe(0);
  });

  it.each([
    ['RUNNING', VmState.ACTIVE, LcmState.RUNNING],
    ['UNKNOWN', VmState.ACTIVE, LcmState.UNKNOWN],
    ['POWEROFF', VmState.POWEROFF, 0],
  ])('migrates a VM with RESCHED=1 in %s away from its current host', (_, state, lcm) => {
    const p = plan([vm(1, { state, lcm, resched: 1, hid: 0 })], [host(0), host(1)]);
    expect(p.placements).toEqual([{ vmId: 1, hostId: 1, kind: 'migrate' }]);
  });

  it('never gives a rescheduled VM its current host, even the best-ranked one, and says why', () => {
    const p = plan([vm(1, { state: VmState.ACTIVE, lcm: LcmState.RUNNING, resched: 1, hid: 1 })], [host(0, { state: HostState.DISABLED }), host(1)]);
    expect(p.placements).toEqual([]);
    expect(p.messages.get(1)).toBe('Cannot dispatch VM: host0 (0): disabled; host1 (1): the VM runs there already');
  });

  it.each([
    ['HOLD', VmState.HOLD, 0, 0],
    ['RUNNING without RESCHED', VmState.ACTIVE, LcmState.RUNNING, 0],
    ['SUSPENDED with RESCHED', VmState.SUSPENDED, 0, 1],
    ['MIGRATE with RESCHED', VmState.ACTIVE, LcmState.MIGRATE, 1],
    ['STOPPED', VmState.STOPPED, 0, 0],
    ['DONE', VmState.DONE, 0, 0],
  ])('ignores a VM in %s', (_, state, lcm, resched) => {
    const p = plan([vm(1, { state, lcm, resched, hid: 0 })], [host(0), host(1)]);
    expect(p.placements).toEqual([]);
    expect(p.messages.size).toBe(0);
  });
});

describe('planPlacements: host state', () => {
  it.each([
    ['INIT', HostState.INIT, 'not monitored yet'],
    ['ERROR', HostState.ERROR, 'in error (monitoring fails)'],
    ['DISABLED', HostState.DISABLED, 'disabled'],
    ['OFFLINE', HostState.OFFLINE, 'offline'],
  ])('gives no VM to a host in %s', (_, state, reason) => {
    const p = plan([vm(1)], [host(0, { state })]);
    expect(p.placements).toEqual([]);
    expect(p.messages.get(1)).toBe(`Cannot dispatch VM: host0 (0): ${reason}`);
  });

  it('skips hosts not MONITORED for the MONITORED ones', () => {
    const p = plan([vm(1)], [host(0, { state: HostState.DISABLED }), host(1, { state: HostState.OFFLINE }), host(2)]);
    expect(where(p)).toEqual({ 1: 2 });
  });
});

describe('planPlacements: requirements', () => {
  const hosts = [host(0, { clusterId: 100 }), host(1, { clusterId: 101, template: attrs({ HYPERVISOR: 'kvm', ARCH: 'aarch64' }) })];

  it('keeps to AUTOMATIC_REQUIREMENTS from the system template', () => {
    const p = plan([vm(1, { system: { AUTOMATIC_REQUIREMENTS: 'CLUSTER_ID = 101' } })], hosts);
    expect(where(p)).toEqual({ 1: 1 });
  });

  it('keeps to SCHED_REQUIREMENTS from the user template', () => {
    const p = plan([vm(1, { user: { SCHED_REQUIREMENTS: 'ARCH = "aarch*"' } })], hosts);
    expect(where(p)).toEqual({ 1: 1 });
  });

  it('accepts the legacy name REQUIREMENTS, and SCHED_REQUIREMENTS wins over it', () => {
    expect(where(plan([vm(1, { user: { REQUIREMENTS: 'ID = 1' } })], hosts))).toEqual({ 1: 1 });
    expect(where(plan([vm(1, { user: { SCHED_REQUIREMENTS: 'ID = 0', REQUIREMENTS: 'ID = 1' } })], hosts))).toEqual({ 1: 0 });
  });

  it('can require a host that holds a given VM, by HOST/VMS/ID', () => {
    const withVm = [host(0, { vms: [3] }), host(1, { vms: [5, 9] })];
    expect(where(plan([vm(1, { user: { SCHED_REQUIREMENTS: '"HOST/VMS/ID" @> 9' } })], withVm))).toEqual({ 1: 1 });
  });

  it('reads CURRENT_VMS = N as "runs VM N" and != as "does not", over all of the host VMs', () => {
    const withVm = [host(0, { vms: [9, 3] }), host(1, { vms: [5, 9] }), host(2)];
    expect(where(plan([vm(1, { user: { SCHED_REQUIREMENTS: 'CURRENT_VMS = 9 & ID > 0' } })], withVm))).toEqual({ 1: 1 });
    expect(where(plan([vm(1, { user: { SCHED_REQUIREMENTS: 'CURRENT_VMS != 9' } })], withVm))).toEqual({ 1: 2 });
    expect(where(plan([vm(1, { user: { SCHED_REQUIREMENTS: '!(CURRENT_VMS = 3)' } })], withVm, { policy: 0 }))).toEqual({ 1: 1 });
  });

  it('tests AUTOMATIC_REQUIREMENTS before SCHED_REQUIREMENTS and says which one failed per host', () => {
    const p = plan([vm(1, { system: { AUTOMATIC_REQUIREMENTS: 'CLUSTER_ID = 100' }, user: { SCHED_REQUIREMENTS: 'ID = 5' } })], hosts);
    expect(p.messages.get(1)).toBe(
      'Cannot dispatch VM: host0 (0): SCHED_REQUIREMENTS not met; host1 (1): AUTOMATIC_REQUIREMENTS not met',
    );
  });

  it('skips a VM whose SCHED_REQUIREMENTS does not parse, with the parser message, and places the others', () => {
    const p = plan([vm(1, { user: { SCHED_REQUIREMENTS: 'CPU > > 2' } }), vm(2)], hosts);
    expect(where(p)).toEqual({ 2: 0 });
    const msg = p.messages.get(1)!;
    expect(msg).toMatch(/^Cannot dispatch VM: SCHED_REQUIREMENTS "CPU > > 2" is not a valid expression \(.+\); correct it with 'onevm update 1'$/);
  });

  it('skips a VM whose SCHED_RANK does not parse, naming it', () => {
    const p = plan([vm(1, { user: { SCHED_RANK: 'FREE_CPU +' } })], hosts);
    expect(p.placements).toEqual([]);
    expect(p.messages.get(1)).toMatch(/^Cannot dispatch VM: SCHED_RANK "FREE_CPU \+" is not a valid expression/);
  });

  it('treats a blank SCHED_REQUIREMENTS as no requirement', () => {
    expect(where(plan([vm(1, { user: { SCHED_REQUIREMENTS: '  ' } })], hosts))).toEqual({ 1: 0 });
  });
});

describe('planPlacements: capacity', () => {
  it('needs CPU x 100 free of MAX_CPU - CPU_USAGE, exactly fitting included', () => {
    const hosts = [host(0, { share: { cpuUsage: 360 } }), host(1, { share: { cpuUsage: 350 } })];
    const p = plan([vm(1, { cpu: '0.5' })], hosts, { policy: 0 });
    expect(where(p)).toEqual({ 1: 1 });
  });

  it('needs MEMORY x 1024 free of MAX_MEM - MEM_USAGE', () => {
    const hosts = [host(0, { share: { memUsage: 8 * GB - 1024 } }), host(1, { share: { memUsage: 8 * GB - 2048 } })];
    expect(where(plan([vm(1, { memory: '2' })], hosts))).toEqual({ 1: 1 });
  });

  it('fits a fractional CPU that floating point would overshoot (0.1 x 100)', () => {
    expect(where(plan([vm(1, { cpu: '0.1' })], [host(0, { share: { cpuUsage: 390 } })]))).toEqual({ 1: 0 });
  });

  it('counts what this cycle already placed on a host', () => {
    const p = plan([vm(1, { cpu: '3' }), vm(2, { cpu: '3' }), vm(3, { cpu: '1' })], [host(0)], { maxHost: 10 });
    expect(where(p)).toEqual({ 1: 0, 3: 0 });
    expect(p.messages.get(2)).toBe('Cannot dispatch VM: host0 (0): not enough CPU (need 300, free 100)');
  });

  it('counts memory placed in this cycle too', () => {
    const p = plan([vm(1, { memory: '6144' }), vm(2, { memory: '4096' })], [host(0)], { maxHost: 10 });
    expect(where(p)).toEqual({ 1: 0 });
    expect(p.messages.get(2)).toBe(
      `Cannot dispatch VM: host0 (0): not enough memory (need ${4 * GB} KB, free ${2 * GB} KB)`,
    );
  });
});

describe('planPlacements: policies and rank', () => {
  const busy = host(0, { share: { runningVms: 5 }, monitoring: { timestamp: 1, freeCpu: 100, usedCpu: 300, freeMemory: 0, usedMemory: 0, netrx: 0, nettx: 0 } });
  const idle = host(1, { share: { runningVms: 1 }, template: attrs({ PRIORITY: '10' }), monitoring: { timestamp: 1, freeCpu: 350, usedCpu: 50, freeMemory: 0, usedMemory: 0, netrx: 0, nettx: 0 } });
  const middle = host(2, { share: { runningVms: 3 }, template: attrs({ PRIORITY: '20' }), monitoring: { timestamp: 1, freeCpu: 200, usedCpu: 200, freeMemory: 0, usedMemory: 0, netrx: 0, nettx: 0 } });
  const hosts = [busy, idle, middle];

  it.each([
    ['0 packing: most RUNNING_VMS', 0 as const, 0],
    ['1 striping: fewest RUNNING_VMS', 1 as const, 1],
    ['2 load-aware: most FREE_CPU', 2 as const, 1],
    ['4 fixed: highest PRIORITY', 4 as const, 2],
  ])('policy %s', (_, policy, expected) => {
    expect(where(plan([vm(1)], hosts, { policy }))).toEqual({ 1: expected });
  });

  it('policy 3 ranks by the configured RANK', () => {
    expect(where(plan([vm(1)], hosts, { policy: 3, rank: 'RUNNING_VMS * 2 - ID * 10' }))).toEqual({ 1: 0 });
    expect(where(plan([vm(1)], hosts, { policy: 3, rank: '- FREE_CPU' }))).toEqual({ 1: 0 });
    expect(where(plan([vm(1)], hosts, { policy: 3, rank: 'ID' }))).toEqual({ 1: 2 });
  });

  it("uses the VM's SCHED_RANK (or the legacy RANK) over the policy", () => {
    expect(where(plan([vm(1, { user: { SCHED_RANK: 'RUNNING_VMS' } })], hosts, { policy: 1 }))).toEqual({ 1: 0 });
    expect(where(plan([vm(1, { user: { RANK: 'PRIORITY' } })], hosts, { policy: 1 }))).toEqual({ 1: 2 });
  });

  it('breaks rank ties by the lower host id, whatever the input order', () => {
    const same = [host(5), host(3), host(4)];
    expect(where(plan([vm(1)], same))).toEqual({ 1: 3 });
    expect(where(plan([vm(1)], same, { policy: 4 }))).toEqual({ 1: 3 });
  });

  it('takes the next-ranked host when the best one fails a test', () => {
    const p = plan([vm(1, { user: { SCHED_REQUIREMENTS: 'ID != 1' } })], hosts, { policy: 2 });
    expect(where(p)).toEqual({ 1: 2 });
  });

  it('ranks hosts as they were when the cycle began', () => {
    // Striping with MAX_HOST 2: RUNNING_VMS is not bumped by this cycle's placements, as in mm_sched.
    const p = plan([vm(1), vm(2), vm(3)], [host(0, { share: { runningVms: 1 } }), host(1)], { maxHost: 2 });
    expect(where(p)).toEqual({ 1: 1, 2: 1, 3: 0 });
  });
});

describe('planPlacements: order and limits', () => {
  it('dispatches higher USER_PRIORITY first, then lower id first', () => {
    const vms = [vm(4), vm(3, { user: { USER_PRIORITY: '10' } }), vm(1), vm(2, { user: { USER_PRIORITY: '-1' } })];
    const p = plan(vms, [host(0), host(1), host(2), host(3)]);
    expect(p.placements.map((x) => x.vmId)).toEqual([3, 1, 4, 2]);
  });

  it('lets the first VM in order have the only host', () => {
    const p = plan([vm(2), vm(1, { user: { USER_PRIORITY: 'high' } }), vm(3, { user: { USER_PRIORITY: '1' } })], [host(0)]);
    expect(where(p)).toEqual({ 3: 0 });
  });

  it('considers at most MAX_VM VMs and says nothing about the rest', () => {
    const p = plan([vm(1), vm(2), vm(3)], [host(0, { state: HostState.DISABLED })], { maxVm: 2 });
    expect([...p.messages.keys()]).toEqual([1, 2]);
  });

  it('considers every VM when MAX_VM is 0', () => {
    const vms = Array.from({ length: 7 }, (_, i) => vm(i, { cpu: '0.5' }));
    expect(plan(vms, [host(0)], { maxVm: 0, maxHost: 100 }).placements).toHaveLength(7);
  });

  it('places at most MAX_DISPATCH VMs and tells the others that limit stopped them', () => {
    const p = plan([vm(1), vm(2), vm(3)], [host(0), host(1), host(2)], { maxDispatch: 2 });
    expect(where(p)).toEqual({ 1: 0, 2: 1 });
    expect(p.messages.get(3)).toBe(
      "Cannot dispatch VM: this cycle's dispatch limit was reached (MAX_DISPATCH = 2); it is retried in the next cycle",
    );
  });

  it('after MAX_DISPATCH still tells a VM that fits nowhere why', () => {
    const p = plan([vm(1), vm(2, { cpu: '8' })], [host(0), host(1)], { maxDispatch: 1 });
    expect(p.messages.get(2)).toBe(
      'Cannot dispatch VM: host0 (0): not enough CPU (need 800, free 300); host1 (1): not enough CPU (need 800, free 400)',
    );
  });

  it('places at most MAX_HOST VMs on one host and says so', () => {
    const p = plan([vm(1), vm(2), vm(3)], [host(0)], { maxHost: 2 });
    expect(where(p)).toEqual({ 1: 0, 2: 0 });
    expect(p.messages.get(3)).toBe('Cannot dispatch VM: host0 (0): per-host limit of this cycle reached (MAX_HOST = 2)');
  });

  it('spreads VMs over hosts with the default MAX_HOST of 1', () => {
    const p = plan([vm(1), vm(2), vm(3)], [host(0), host(1), host(2)], { policy: 0 });
    expect(where(p)).toEqual({ 1: 0, 2: 1, 3: 2 });
  });
});

describe('planPlacements: messages', () => {
  it('says per host which test failed', () => {
    const p = plan(
      [vm(1, { user: { SCHED_REQUIREMENTS: 'NAME != "host1"' } })],
      [host(0, { share: { cpuUsage: 350 } }), host(1), host(2, { state: HostState.DISABLED })],
    );
    expect(p.messages.get(1)).toBe(
      'Cannot dispatch VM: host0 (0): not enough CPU (need 100, free 50); host1 (1): SCHED_REQUIREMENTS not met; host2 (2): disabled',
    );
  });

  it('groups many hosts by reason', () => {
    const hosts = [
      ...Array.from({ length: 20 }, (_, i) => host(i, { share: { cpuUsage: 400 } })),
      ...Array.from({ length: 4 }, (_, i) => host(20 + i, { state: HostState.OFFLINE })),
      host(30),
    ];
    const p = plan([vm(1, { user: { SCHED_REQUIREMENTS: 'ID < 30' } })], hosts);
    expect(p.messages.get(1)).toBe(
      'Cannot dispatch VM: not enough CPU (need 100): 20 hosts, e.g. host0 (0), host1 (1), host2 (2); ' +
        'offline: 4 hosts, e.g. host20 (20), host21 (21), host22 (22); SCHED_REQUIREMENTS not met: host30 (30)',
    );
  });

  it('says when there are no hosts', () => {
    expect(plan([vm(1)], []).messages.get(1)).toBe("Cannot dispatch VM: there are no hosts; add one with 'onehost create'");
  });
});

describe('planPlacements: configuration', () => {
  it.each([
    [{ maxDispatch: 0 }, /MAX_DISPATCH must be a whole number of at least 1 \(got 0\)/],
    [{ maxHost: -1 }, /MAX_HOST/],
    [{ maxVm: 1.5 }, /MAX_VM/],
    [{ policy: 7 as 0 }, /POLICY must be 0, 1, 2, 3 or 4 \(got 7\)/],
    [{ policy: 3 as const }, /POLICY 3 \(custom\) needs a RANK expression/],
    [{ policy: 3 as const, rank: 'FREE_CPU *' }, /DEFAULT_SCHED RANK "FREE_CPU \*" is not a valid rank expression/],
  ])('rejects %j', (config, message) => {
    expect(() => plan([vm(1)], [host(0)], config)).toThrow(message);
  });
});
