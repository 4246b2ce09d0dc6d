import type { Command, OptionValues } from 'commander';
import { filterFlag } from './args.js';
import { CliError, OneApiError } from './errors.js';
import type { TableOptions } from './output/table.js';
import { EXIT_FAILURE, type Ctx } from './program.js';
import type { Kind } from './resolve.js';
import { parseXml, rootObject, str, toJson, type XmlObject } from './xml.js';

/** The options of every `list` and `top`: columns, CSV, filters, and the raw XML or JSON document. */
export function listOptions(c: Command): Command {
  return c
    .option('-l, --list <columns>', 'Selects columns to display with list command, e.g. ID,NAME,STAT')
    .option('--csv', 'Write table in csv format')
    .option('--csv-del <del>', 'Set delimiter for csv output')
    .option('-f, --filter <filters>', 'Filter data with COLUMN=VALUE pairs separated by commas. Valid operators =,!=,<,<=,>,>=,~')
    .option('--operator <operator>', 'Logical operator used on filters: AND, OR. Default: AND.')
    .option('--no-header', 'Hides the header of the table')
    .option('-x, --xml', 'Show the resource in xml format')
    .option('-j, --json', 'Show the resource in JSON format')
    .option('-n, --numeric', 'Do not translate user and group IDs')
    .option('-k, --kilobytes', 'Show units in kilobytes')
    .option('--describe', 'Describe list columns');
}

/** `-d, --delay` of `top`. */
export function delayOption(c: Command): Command {
  return c.option('-d, --delay <seconds>', 'Sets the delay in seconds for top command', '1');
}

/** The table switches from the parsed options. */
export function tableOptions(opts: OptionValues, tty: boolean): TableOptions {
  return {
    list: opts.list !== undefined ? String(opts.list).split(',') : undefined,
    csv: opts.csv === true,
    csvDel: opts.csvDel,
    noHeader: opts.header === false,
    filter: opts.filter !== undefined ? String(opts.filter).split(',') : undefined,
    operator: opts.operator,
    tty,
  };
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : text + '\n';
}

/**
 * Prints a document the way `-x`/`-j` ask (the raw XML as the daemon sent it, or OpenNebula's JSON
 * form); returns false when neither was asked, so the caller formats it.
 */
export function printRaw(ctx: Ctx, xml: string): boolean {
  if (ctx.opts.xml) {
    ctx.out(withNewline(xml));
    return true;
  }
  if (ctx.opts.json) {
    ctx.out(toJson(parseXml(xml)) + '\n');
    return true;
  }
  return false;
}

/** Calls an info method and returns the one object of its document (`<VM>` -> its children). */
export async function fetchObject(ctx: Ctx, root: string, method: string, ...params: (number | boolean)[]): Promise<{ xml: string; obj: XmlObject }> {
  const xml = String(await ctx.call(method, ...params));
  return { xml, obj: rootObject(parseXml(xml), root) };
}

/** Prints `VM 3: <message>` under --verbose, as OpenNebula's CLI does after each action. */
function verbose(ctx: Ctx, kind: Kind, id: number, message: string): void {
  if (ctx.opts.verbose) ctx.out(`${kind} ${id}: ${message}\n`);
}

/**
 * Runs `fn` for every ID of a list argument (`1,2,5..7`, names). A refused call prints its message and
 * the others still run; the exit status is 255 if any failed.
 */
export async function forEachId(ctx: Ctx, kind: Kind, arg: string, message: string, fn: (id: number) => Promise<unknown>): Promise<number> {
  const ids = await (await ctx.resolver()).ids(kind, arg);
  let code = 0;
  for (const id of ids) {
    try {
      await fn(id);
      verbose(ctx, kind, id, message);
    } catch (e) {
      if (!(e instanceof OneApiError || e instanceof CliError)) throw e;
      ctx.warn(e.message);
      code = EXIT_FAILURE;
    }
  }
  return code;
}

/** Runs `fn` for the one object named by `arg` (an ID or a name). */
export async function forOneId(ctx: Ctx, kind: Kind, arg: string, message: string, fn: (id: number) => Promise<unknown>): Promise<number> {
  const id = await (await ctx.resolver()).id(kind, arg);
  await fn(id);
  verbose(ctx, kind, id, message);
  return 0;
}

/** Repaints `render()` every --delay seconds until interrupted (Ctrl-C). */
export async function top(ctx: Ctx, render: () => Promise<string>): Promise<number> {
  const delay = Number(ctx.opts.delay);
  if (!(delay > 0)) throw new CliError(`--delay "${ctx.opts.delay}" must be a positive number of seconds`);
  while (!ctx.deps.signal?.aborted) {
    const text = await render();
    ctx.out('\x1b[2J\x1b[H' + text);
    await ctx.deps.sleep(delay * 1000, ctx.deps.signal);
  }
  return 0;
}

/** The template for create/update/instantiate: the file's contents, or what the editor returns. */
export async function templateInput(ctx: Ctx, file: string | undefined, initial: () => Promise<string>): Promise<string> {
  if (file !== undefined) return ctx.readFile(file);
  return ctx.deps.edit(await initial());
}

/** The `who` of a pool call from list's filter argument: a, m, g, G, a user ID or a user name. */
export async function poolFilter(ctx: Ctx, flag: string | undefined): Promise<number> {
  return filterFlag(flag) ?? (await ctx.resolver()).id('USER', flag ?? '');
}

/** The name of a cluster for show pages: `default` for -1, `ERROR` when it cannot be read. */
export async function clusterName(ctx: Ctx, id: string): Promise<string> {
  if (id === '-1') return 'default';
  try {
    const { obj } = await fetchObject(ctx, 'CLUSTER', 'one.cluster.info', Number(id));
    return str(obj, 'NAME') ?? 'ERROR';
  } catch (e) {
    if (e instanceof OneApiError || e instanceof CliError) return 'ERROR';
    throw e;
  }
}
