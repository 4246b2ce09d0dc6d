import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { ConfigError, DEFAULT_DATA_DIR, readConfig } from './config.js';
import { startOned } from './oned.js';

const program = new Command('oned')
  .description('Nimbus daemon: the OpenNebula-compatible XML-RPC API, scheduler, monitor and drivers')
  .option('-c, --config <file>', 'configuration file in the template syntax (default: <data dir>/oned.conf if it exists)')
  .option('-l, --listen <address>', 'address to listen on (LISTEN_ADDRESS)')
  .option('-p, --port <n>', 'XML-RPC port (PORT, default 2633)', (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--port must be 0-65535, got ${v}`);
    return n;
  })
  .option('-d, --data-dir <dir>', `data directory: store, logs, pid file (DATA_DIR, default ${DEFAULT_DATA_DIR})`)
  .option('-f, --foreground', 'stay in the foreground and log to standard output')
  .showHelpAfterError();

async function main(): Promise<void> {
  program.parse();
  const o = program.opts<{ config?: string; listen?: string; port?: number; dataDir?: string; foreground?: boolean }>();
  const defaultFile = join(o.dataDir ?? DEFAULT_DATA_DIR, 'oned.conf');
  const file = o.config ?? (existsSync(defaultFile) ? defaultFile : undefined);
  const text = file ? readFileSync(file, 'utf8') : '';
  const cfg = readConfig(text, { listenAddress: o.listen, port: o.port, dataDir: o.dataDir });
  if (!o.foreground) return daemonize(cfg.dataDir);
  const oned = await startOned(cfg);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    oned.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** Starts this same command in the foreground as a detached child logging to <data dir>/oned.log. */
async function daemonize(dataDir: string): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  const logFile = join(dataDir, 'oned.log');
  const out = openSync(logFile, 'a');
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1], ...process.argv.slice(2), '--foreground'], {
    detached: true,
    stdio: ['ignore', out, out],
  });
  const pidFile = join(dataDir, 'oned.pid');
  // Wait until the child wrote its pid file (it listens then) or died.
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`oned exited with status ${child.exitCode}; see ${logFile}`);
    if (existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() === String(child.pid)) {
      child.unref();
      console.log(`oned started (pid ${child.pid}); log: ${logFile}`);
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`oned did not start within 30 s; see ${logFile}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof ConfigError ? `oned: configuration error: ${e.message}` : `oned: ${(e as Error).message ?? e}`);
  process.exit(1);
});
