import { execFileSync } from 'node:child_process';

/** Puts every thread of the daemon on CPU 0 and every thread of this client on CPU 1 (Linux, taskset). */
export function pinProcesses(daemonPid: number): void {
  execFileSync('taskset', ['-a', '-cp', '0', String(daemonPid)], { stdio: 'ignore' });
  execFileSync('taskset', ['-a', '-cp', '1', String(process.pid)], { stdio: 'ignore' });
}
