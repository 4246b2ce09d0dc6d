import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, type TestDaemon } from './daemon.js';

/** What a finished command printed and its exit status. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Typed on the command's standard input (answers to prompts); the input ends after it. */
  input?: string;
  /** Replaces the daemon's environment entries of the same names (e.g. ONE_AUTH of another user). */
  env?: NodeJS.ProcessEnv;
  /** Sends Ctrl-C (SIGINT) once the standard output matches, as a user stops `top`. */
  interruptOn?: RegExp;
}

/**
 * Runs one of the programs in bin/ (`onevm`, `onehost`, ...) against `d` as a user would from a shell,
 * in the daemon's temporary directory (so relative file names land there).
 */
export function cli(d: TestDaemon, program: string, args: string[], opts: CliOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', program), ...args], {
      env: { ...d.env, ...opts.env },
      cwd: d.dir,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    child.stdout.on('data', (b: Buffer) => {
      stdout += b.toString();
      if (opts.interruptOn && !interrupted && opts.interruptOn.test(stdout)) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    // A death by signal has no exit status; report it the way a shell does (128 + 2 for SIGINT).
    child.on('close', (code, signal) => resolve({ code: code ?? (signal === 'SIGINT' ? 130 : 128), stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

/** Runs a command that must succeed; its standard output. */
export async function cliOk(d: TestDaemon, program: string, args: string[], opts: CliOptions = {}): Promise<string> {
  const r = await cli(d, program, args, opts);
  if (r.code !== 0) throw new Error(`${program} ${args.join(' ')} exited with ${r.code}: ${r.stderr || r.stdout}`);
  return r.stdout;
}

/** The fields of one CSV line: plain, or in double quotes with `""` for a quote. */
function csvFields(line: string): string[] {
  return [...line.matchAll(/(?:^|,)(?:"((?:[^"]|"")*)"|([^,]*))/g)].map((m) => (m[1] !== undefined ? m[1].replaceAll('""', '"') : m[2]));
}

/** The rows of a `--csv` table, as objects keyed by its header. */
export function csvRows(text: string): Record<string, string>[] {
  const [header, ...lines] = text.trimEnd().split('\n');
  const names = csvFields(header);
  return lines.filter((l) => l !== '').map((l) => Object.fromEntries(csvFields(l).map((v, i) => [names[i], v])));
}
