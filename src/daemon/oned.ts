import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pino, { type Logger } from 'pino';
import { allMethods } from '../api/methods/all.js';
import { startApiServer, type ApiServer } from '../api/server.js';
import { bootstrap, ensureDefaultDatastores } from '../core/bootstrap.js';
import { Core } from '../core/core.js';
import { Executor } from '../executor/executor.js';
import { monitorCycle } from '../loops/monitor.js';
import { schedulerCycle } from '../loops/scheduler.js';
import { TimerLoop } from '../loops/timer-loop.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import type { DaemonConfig } from './config.js';
import { driversFromConfig, tmOfVmMads } from './drivers.js';
import { oneadminPassword } from './one-auth.js';
import { realHosts } from './real-hosts.js';

/** A running oned: its address and how to stop it. */
export interface Oned {
  address: { host: string; port: number };
  core: Core;
  stop(): Promise<void>;
}

/** Opens the store, creates oneadmin on first start, and starts the executor, the loops and the API. */
export async function startOned(cfg: DaemonConfig, log: Logger = pino({ level: cfg.logLevel })): Promise<Oned> {
  mkdirSync(cfg.dataDir, { recursive: true });
  const store = new SqliteStore(join(cfg.dataDir, 'one.db'));
  const first = await store.read.getUser(0);
  if (!first) {
    const { password, writtenTo } = oneadminPassword(cfg.dataDir);
    await bootstrap(store, password, randomBytes(16).toString('hex'));
    log.info({ oneAuth: writtenTo }, writtenTo ? `created oneadmin; its credentials are in ${writtenTo}` : 'created oneadmin with the password in ONE_AUTH');
  }
  await ensureDefaultDatastores(store, cfg.dataDir);
  const hosts = realHosts(cfg);
  const drivers = driversFromConfig(cfg, hosts);
  const core = new Core(store, {
    dataDir: cfg.dataDir, submitOnHold: cfg.submitOnHold, defaultTm: [...drivers.tm.keys()][0] ?? 'dummy', tmOfVmMad: tmOfVmMads(cfg.vmMads),
  }, log);
  const executor = new Executor(core, drivers, { concurrency: cfg.driverConcurrency, maxAttempts: cfg.maxOperationAttempts });
  const onError = (what: string) => (e: unknown) => log.error({ err: e }, `${what} cycle failed`);
  const monitor = new TimerLoop(
    () => monitorCycle(core, executor, { concurrency: cfg.monitorConcurrency, retentionSeconds: cfg.monitoringRetention }),
    cfg.monitoringInterval * 1000,
    onError('monitor'),
  );
  const scheduler = new TimerLoop(
    () => schedulerCycle(core, { config: cfg.scheduler, liveRescheds: cfg.liveRescheds, coldMigrateMode: cfg.coldMigrateMode }),
    cfg.schedInterval * 1000,
    onError('scheduler'),
    // new pending VMs start a cycle early, but at most one a second: a burst is placed in batches
    Math.min(cfg.schedInterval * 1000, 1000),
  );
  core.onOperations = () => executor.kick();
  core.onPending = () => scheduler.trigger();
  core.onHostsChanged = () => monitor.trigger();
  hosts.onGuestChange = () => monitor.trigger();
  await executor.start();
  let api: ApiServer;
  try {
    api = await startApiServer({ host: cfg.listenAddress, port: cfg.port, maxBodyBytes: cfg.messageSize, methods: allMethods(core, drivers, cfg.raw), logger: log });
  } catch (e) {
    executor.stop();
    hosts.close();
    await store.close();
    throw e;
  }
  monitor.start();
  scheduler.start();
  const pidFile = join(cfg.dataDir, 'oned.pid');
  writeFileSync(pidFile, `${process.pid}\n`);
  log.info({ address: api.address, dataDir: cfg.dataDir }, 'oned started');
  return {
    address: api.address,
    core,
    async stop() {
      await api.close();
      executor.stop();
      await Promise.all([monitor.stop(), scheduler.stop()]);
      hosts.close();
      await store.close();
      rmSync(pidFile, { force: true });
      log.info('oned stopped');
    },
  };
}
