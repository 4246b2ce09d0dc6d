import { Command, InvalidArgumentError } from 'commander';

/** What one benchmark run does; the defaults are OpenNebula's tested single-zone workload. */
export interface BenchOptions {
  hosts: number;
  vms: number;
  /** VMs released at once for the scheduler measurement, on top of `vms`. */
  pending: number;
  /** Requests per second of each open-loop latency step. */
  rates: number[];
  /** Length of each latency step. */
  seconds: number;
  /** Concurrent clients of the setup phases (host allocation, instantiation, release). */
  clients: number;
  /** Time allowed to each setup phase (instantiating, holding and releasing), in minutes. */
  setupMinutes: number;
  /** MONITORING_INTERVAL_HOST of the daemon, in seconds. */
  monitorInterval: number;
  /** Markdown report file, besides standard output. */
  out?: string;
  /** Directory for a V8 CPU profile of the daemon (node --cpu-prof). */
  profile?: string;
  /** Daemon on CPU 0, benchmark client on CPU 1 (taskset), so that the client does not compete with what it measures. */
  pin: boolean;
  /** Instead of the dummy workload: this many real guests on two QEMU hosts of the test kit. */
  realGuests?: number;
}

function whole(min: number) {
  return (text: string): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected a whole number of at least ${min}, got "${text}"`);
    return n;
  };
}

function rateList(text: string): number[] {
  const rates = text.split(',').map((s) => Number(s.trim()));
  if (rates.length === 0 || rates.some((r) => !Number.isFinite(r) || r <= 0 || r > 1000)) {
    throw new InvalidArgumentError(`expected comma-separated request rates between 0 and 1000, e.g. 10,20,30; got "${text}"`);
  }
  return rates;
}

/** Reads the command line of `npm run bench -- [options]`. */
export function readOptions(argv: string[]): BenchOptions {
  const program = new Command('bench')
    .description('Nimbus benchmark: a real daemon on dummy hosts, OpenNebula\'s tested single-zone workload')
    .option('--hosts <n>', 'dummy hosts', whole(1), 1250)
    .option('--vms <n>', 'VMs instantiated and kept running', whole(1), 20_000)
    .option('--pending <n>', 'VMs released at once for the scheduler measurement', whole(1), 10_000)
    .option('--rates <list>', 'requests per second of the latency steps', rateList, [10, 20, 30])
    .option('--seconds <n>', 'length of each latency step in seconds', whole(5), 60)
    .option('--clients <n>', 'concurrent clients while setting up', whole(1), 8)
    .option('--setup-minutes <n>', 'time allowed to each setup phase; VMs not created by then are left out', whole(1), 10)
    .option('--monitor-interval <s>', 'MONITORING_INTERVAL_HOST (OpenNebula\'s rig: 180)', whole(1), 180)
    .option('--out <file>', 'also write the Markdown report to this file')
    .option('--profile <dir>', 'write a V8 CPU profile of the daemon into this directory')
    .option('--pin', 'run the daemon on CPU 0 and this client on CPU 1 (taskset)', false)
    .option('--real-guests <n>', 'instead: boot, power off, suspend/resume and live-migrate n real QEMU guests on two test-kit hosts (root)', whole(1))
    .showHelpAfterError();
  program.parse(argv);
  return program.opts<BenchOptions>();
}
