import { basename } from 'node:path';
import { Command, CommanderError, type OptionValues } from 'commander';
import type { XmlRpcValue } from '../api/xmlrpc/values.js';
import { OneClient, type Caller } from './client.js';
import { resolveDeps, type CliDeps, type ResolvedDeps } from './deps.js';
import { CliError, OneApiError } from './errors.js';
import { LineReader } from './line-reader.js';
import { Resolver } from './resolve.js';

/** The exit status of every failure, as OpenNebula's CLI exits with -1. */
export const EXIT_FAILURE = 255;

/** What a command handler works with: its options, the client, the output and the user's input. */
export class Ctx {
  private cachedClient: Caller | undefined;
  private cachedResolver: Resolver | undefined;
  private reader: LineReader | undefined;
  /** The options of the running command (its own and the connection ones). */
  opts: OptionValues = {};

  constructor(readonly deps: ResolvedDeps) {}

  get tty(): boolean {
    return this.deps.stdout.isTTY === true;
  }

  out(text: string): void {
    this.deps.stdout.write(text);
  }

  /** One line on stderr: how every error reaches the user. */
  warn(line: string): void {
    this.deps.stderr.write(line + '\n');
  }

  /** The injected client, or one built from --endpoint, --user and --password (asking for the password if missing). */
  async client(): Promise<Caller> {
    if (this.deps.client) return this.deps.client;
    if (!this.cachedClient) {
      const { user, endpoint } = this.opts as { user?: string; endpoint?: string };
      let password = (this.opts as { password?: string }).password;
      if (user !== undefined && password === undefined) {
        this.out('Password: ');
        password = (await this.lines().nextHidden(this.deps.stdout)) ?? '';
      }
      const auth = user !== undefined ? `${user}:${password}` : undefined;
      this.cachedClient = new OneClient({ endpoint, auth, env: this.deps.env });
    }
    return this.cachedClient;
  }

  /** A call through the client; the answer of the pool/info calls is the XML document as text. */
  async call(method: string, ...params: XmlRpcValue[]): Promise<XmlRpcValue> {
    return (await this.client()).call(method, ...params);
  }

  async resolver(): Promise<Resolver> {
    this.cachedResolver ??= new Resolver(await this.client());
    return this.cachedResolver;
  }

  /** The user's typed lines (prompts of instantiate, the password). */
  lines(): LineReader {
    this.reader ??= new LineReader(this.deps.stdin);
    return this.reader;
  }

  async readFile(path: string): Promise<string> {
    try {
      return await this.deps.readFile(path);
    } catch (e) {
      throw new CliError(`Cannot read ${path}: ${(e as Error).message}`);
    }
  }

  close(): void {
    this.reader?.close();
  }
}

type Handler = (ctx: Ctx, args: string[]) => Promise<number | void>;

/**
 * Declares a subcommand with the connection options every OpenNebula command takes. `-v, --verbose`
 * is added unless the command uses `-v` for something else (onehost create --vm).
 */
export function subcommand(parent: Command, spec: string, description: string, verbose = true): Command {
  const c = parent.command(spec).description(description);
  c.option('--user <name>', 'User name used to connect to OpenNebula');
  c.option('--password <password>', 'Password to authenticate with OpenNebula');
  c.option('--endpoint <endpoint>', 'URL of OpenNebula xmlrpc frontend');
  if (verbose) c.option('-v, --verbose', 'Verbose mode');
  return c;
}

/** Attaches a handler; its return value (or 0) becomes the exit status. */
function handle(c: Command, ctx: Ctx, fn: Handler, status: { code: number }): Command {
  return c.action(async (...all: unknown[]) => {
    const cmd = all[all.length - 1] as Command;
    ctx.opts = cmd.opts();
    const args = (cmd.processedArgs as (string | undefined)[]).filter((a): a is string => a !== undefined);
    status.code = (await fn(ctx, args)) ?? 0;
  });
}

/** Prints an error the OpenNebula way: its message alone, on stderr. */
function report(e: unknown, ctx: Ctx): number {
  if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : EXIT_FAILURE;
  if (e instanceof CliError || e instanceof OneApiError) ctx.warn(e.message);
  else ctx.warn(`Error: ${e instanceof Error ? e.message : String(e)}`);
  return EXIT_FAILURE;
}

/** Declares a program's subcommands; `on` attaches a handler to one of them. */
export type Define = (program: Command, on: (c: Command, fn: Handler) => Command) => void;

/** Runs one of the programs on `argv` (without node and script) and returns its exit status. */
export async function runProgram(name: string, description: string, argv: string[], deps: CliDeps, define: Define): Promise<number> {
  const ctx = new Ctx(resolveDeps(deps));
  const status = { code: 0 };
  const program = new Command(name)
    .description(description)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.deps.stdout.write(s),
      writeErr: (s) => ctx.deps.stderr.write(s),
      // A usage error is one line too, with its suggestion and where to look.
      outputError: (s, write) => write(`${s.trim().replace(/\s*\n\s*/g, ' ')} Run "${name} --help" for usage.\n`),
    });
  define(program, (c, fn) => handle(c, ctx, fn, status));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return status.code;
  } catch (e) {
    return report(e, ctx);
  } finally {
    ctx.close();
  }
}

/** Runs a program as the process: real streams, Ctrl-C stops `top`, exit status as OpenNebula's. */
export async function main(run: (argv: string[], deps: CliDeps) => Promise<number>): Promise<void> {
  // A reader that goes away (`onevm list | head -1`) ends the output, not the command with a trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  const stop = new AbortController();
  process.once('SIGINT', () => {
    stop.abort();
    // Anything but `top` has no reason to outlive Ctrl-C.
    setTimeout(() => process.exit(130), 200).unref();
  });
  const code = await run(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    signal: stop.signal,
  });
  process.exitCode = code;
}

/** True when this process was started as `name` (bin/onevm, or node .../onevm.js), not imported by a test. */
export function startedAs(name: string): boolean {
  const script = process.argv[1];
  return script !== undefined && basename(script).replace(/\.js$/, '') === name;
}
