import { homedir } from 'node:os';
import { join } from 'node:path';
import { getNumber, getSingle, getVector, getVectors } from '../template/access.js';
import { parseTemplate } from '../template/parse.js';
import type { Template, TemplateVector } from '../template/types.js';
import type { SshDefaults } from '../drivers/transport/pool.js';
import { DEFAULT_SCHEDULER_CONFIG, schedulerConfigProblems, type SchedulerConfig } from '../scheduler/config.js';

/** oned's settings, read from one file in the template syntax (like oned.conf), with command-line overrides. */
export interface DaemonConfig {
  listenAddress: string;
  port: number;
  dataDir: string;
  /** MESSAGE_SIZE: the largest XML-RPC request, in bytes. */
  messageSize: number;
  /** MONITORING_INTERVAL_HOST: seconds between probes of each host (and its VMs). */
  monitoringInterval: number;
  /** HOST/VM_MONITORING_EXPIRATION_TIME: seconds samples are kept. */
  monitoringRetention: number;
  monitorConcurrency: number;
  /** SCHED_INTERVAL: seconds between scheduler cycles. */
  schedInterval: number;
  scheduler: SchedulerConfig;
  liveRescheds: boolean;
  coldMigrateMode: number;
  submitOnHold: boolean;
  driverConcurrency: number;
  maxOperationAttempts: number;
  /** SSH = [ USER, PORT, KEY, KNOWN_HOSTS ]: how the front-end reaches hosts that are not itself. */
  ssh: SshDefaults;
  /** REMOTE_DIR: where hosts keep the scripts the front-end pushes to them. */
  remoteDir: string;
  vmMads: TemplateVector[];
  tmMads: TemplateVector[];
  imMads: TemplateVector[];
  /** DS_MAD = [ NAME, EXECUTABLE ]: the image drivers a datastore's DS_MAD names. */
  dsMads: TemplateVector[];
  logLevel: string;
  /** The whole file as parsed, for one.system.config. */
  raw: Template;
}

export const DEFAULT_DATA_DIR = join(homedir(), '.nimbus');

/** The configuration a daemon gets with no file: the dummy drivers, so a newcomer can try everything. */
export const DEFAULT_CONFIG_TEXT = `
LISTEN_ADDRESS = "0.0.0.0"
PORT = 2633
MESSAGE_SIZE = 1073741824
MONITORING_INTERVAL_HOST = 30
HOST_MONITORING_EXPIRATION_TIME = 43200
SCHED_INTERVAL = 15
DEFAULT_SCHED = [ POLICY = 1 ]
VM_MAD = [ NAME = "dummy", EXECUTABLE = "dummy", TM_MAD = "dummy" ]
VM_MAD = [ NAME = "qemu", EXECUTABLE = "qemu", TM_MAD = "ssh" ]
TM_MAD = [ NAME = "dummy", EXECUTABLE = "dummy" ]
TM_MAD = [ NAME = "ssh", EXECUTABLE = "ssh" ]
TM_MAD = [ NAME = "shared", EXECUTABLE = "shared" ]
IM_MAD = [ NAME = "dummy", EXECUTABLE = "dummy" ]
IM_MAD = [ NAME = "qemu", EXECUTABLE = "qemu" ]
DS_MAD = [ NAME = "fs", EXECUTABLE = "fs" ]
DS_MAD = [ NAME = "dummy", EXECUTABLE = "dummy" ]
`;

export class ConfigError extends Error {}

function num(t: Template, name: string, def: number, min: number): number {
  const raw = getSingle(t, name);
  if (raw === undefined) return def;
  const n = getNumber(t, name);
  if (n === undefined || !Number.isFinite(n) || n < min) throw new ConfigError(`${name} must be a number of at least ${min}, got "${raw}".`);
  return n;
}

const yes = (t: Template, name: string) => /^(yes|1|true)$/i.test(getSingle(t, name) ?? '');

/** Reads a configuration text; attributes it leaves out take the defaults. */
export function readConfig(text: string, overrides: Partial<Pick<DaemonConfig, 'listenAddress' | 'port' | 'dataDir'>> = {}): DaemonConfig {
  const t = parseTemplate(text);
  const defaults = parseTemplate(DEFAULT_CONFIG_TEXT);
  const mads = (name: string) => (getVectors(t, name).length ? getVectors(t, name) : getVectors(defaults, name));
  const sched = getVector(t, 'DEFAULT_SCHED') ?? {};
  const scheduler: SchedulerConfig = {
    maxVm: num(t, 'SCHED_MAX_VM', DEFAULT_SCHEDULER_CONFIG.maxVm, 0),
    maxDispatch: num(t, 'SCHED_MAX_DISPATCH', DEFAULT_SCHEDULER_CONFIG.maxDispatch, 1),
    maxHost: num(t, 'SCHED_MAX_HOST', DEFAULT_SCHEDULER_CONFIG.maxHost, 1),
    policy: Number(sched.POLICY ?? DEFAULT_SCHEDULER_CONFIG.policy) as SchedulerConfig['policy'],
    rank: sched.RANK,
  };
  const problems = schedulerConfigProblems(scheduler);
  if (problems.length) throw new ConfigError(problems.join('; '));
  const cfg: DaemonConfig = {
    listenAddress: overrides.listenAddress ?? getSingle(t, 'LISTEN_ADDRESS') ?? '0.0.0.0',
    port: overrides.port ?? num(t, 'PORT', 2633, 0),
    dataDir: overrides.dataDir ?? getSingle(t, 'DATA_DIR') ?? DEFAULT_DATA_DIR,
    messageSize: num(t, 'MESSAGE_SIZE', 1073741824, 1024),
    monitoringInterval: num(t, 'MONITORING_INTERVAL_HOST', 30, 0.05),
    monitoringRetention: num(t, 'HOST_MONITORING_EXPIRATION_TIME', 43200, 0),
    monitorConcurrency: num(t, 'MONITOR_CONCURRENCY', 16, 1),
    schedInterval: num(t, 'SCHED_INTERVAL', 15, 0.05),
    scheduler,
    liveRescheds: yes(t, 'LIVE_RESCHEDS'),
    coldMigrateMode: num(t, 'COLD_MIGRATE_MODE', 0, 0),
    submitOnHold: yes(t, 'VM_SUBMIT_ON_HOLD'),
    driverConcurrency: num(t, 'DRIVER_CONCURRENCY', 256, 1),
    maxOperationAttempts: num(t, 'MAX_OPERATION_ATTEMPTS', 3, 1),
    ssh: sshDefaults(getVector(t, 'SSH') ?? {}),
    remoteDir: getSingle(t, 'REMOTE_DIR') ?? '/var/tmp/nimbus/remotes',
    vmMads: mads('VM_MAD'),
    tmMads: mads('TM_MAD'),
    imMads: mads('IM_MAD'),
    dsMads: mads('DS_MAD'),
    logLevel: (getVector(t, 'LOG')?.LEVEL ?? 'info').toLowerCase(),
    raw: t,
  };
  if (cfg.coldMigrateMode > 2) throw new ConfigError(`COLD_MIGRATE_MODE must be 0 (save), 1 (poweroff) or 2 (poweroff-hard), got ${cfg.coldMigrateMode}.`);
  return cfg;
}

/** SSH = [ USER, PORT, KEY, KNOWN_HOSTS ]; what it leaves out, ssh's own defaults (~/.ssh) give. */
function sshDefaults(v: TemplateVector): SshDefaults {
  const port = v.PORT === undefined ? undefined : Number(v.PORT);
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) throw new ConfigError(`SSH/PORT must be a TCP port, got "${v.PORT}".`);
  return {
    ...(v.USER && { user: v.USER }),
    ...(port !== undefined && { port }),
    ...(v.KEY && { privateKeyPath: v.KEY }),
    ...(v.KNOWN_HOSTS && { knownHostsPath: v.KNOWN_HOSTS }),
  };
}
