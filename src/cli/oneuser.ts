import { USER_DEFAULT_COLUMNS, userColumns } from './columns/user.js';
import { fetchObject, forEachId, forOneId, listOptions, printRaw, tableOptions } from './commands.js';
import type { CliDeps } from './deps.js';
import { CliError } from './errors.js';
import { describeColumns, renderTable } from './output/table.js';
import { main, runProgram, startedAs, subcommand, type Ctx, type Define } from './program.js';
import { renderUserShow } from './show/user.js';
import { items, parseXml, rootObject } from './xml.js';

const IDS = '<range|userid_list>';

/** The password argument, or one typed without echo when it was left out. */
async function password(ctx: Ctx, given: string | undefined): Promise<string> {
  if (given !== undefined) return given;
  ctx.out('Password: ');
  const typed = await ctx.lines().nextHidden(ctx.deps.stdout);
  if (!typed) throw new CliError('No password given; pass it as an argument or type it at the prompt');
  return typed;
}

const define: Define = (program, on) => {
  on(subcommand(program, 'create <username> [password]', 'Creates a new User')
    .option('--driver <driver>', 'Driver to authenticate this user', 'core')
    .option('-g, --group <groups>', 'Comma-separated list of Group IDs or names; the first is the primary group'),
  async (c, [name, pw]) => {
    const r = await c.resolver();
    const groups = c.opts.group !== undefined ? String(c.opts.group).split(',') : [];
    const gids: number[] = [];
    for (const g of groups) gids.push(await r.id('GROUP', g));
    c.out(`ID: ${await c.call('one.user.allocate', name, await password(c, pw), c.opts.driver, gids)}\n`);
  });

  on(subcommand(program, `delete ${IDS}`, 'Deletes the given User'), (c, [ids]) =>
    forEachId(c, 'USER', ids, 'deleted', (id) => c.call('one.user.delete', id)),
  );

  on(subcommand(program, 'passwd <userid> [password]', "Changes the given User's password"), (c, [arg, pw]) =>
    forOneId(c, 'USER', arg, 'Password changed', async (id) => c.call('one.user.passwd', id, await password(c, pw))),
  );

  on(subcommand(program, `chgrp ${IDS} <groupid>`, "Changes the User's primary group"), async (c, [ids, group]) => {
    const gid = await (await c.resolver()).id('GROUP', group);
    return forEachId(c, 'USER', ids, 'Group changed', (id) => c.call('one.user.chgrp', id, gid));
  });

  on(listOptions(subcommand(program, 'list', 'Lists Users in the pool')), async (c) => {
    if (c.opts.describe) {
      c.out(describeColumns(userColumns({})));
      return;
    }
    const xml = String(await c.call('one.userpool.info'));
    if (printRaw(c, xml)) return;
    const pool = rootObject(parseXml(xml), 'USER_POOL');
    const columns = userColumns(pool, c.opts.numeric, c.opts.kilobytes);
    c.out(renderTable(columns, USER_DEFAULT_COLUMNS, items(pool, 'USER'), tableOptions(c.opts, c.tty)));
  });

  on(subcommand(program, 'show [userid]', 'Shows information for the given User, yourself by default')
    .option('-x, --xml', 'Show the resource in xml format')
    .option('-j, --json', 'Show the resource in JSON format'),
  async (c, [arg]) => {
    const id = arg !== undefined ? await (await c.resolver()).id('USER', arg) : -1;
    const { xml, obj } = await fetchObject(c, 'USER', 'one.user.info', id);
    if (!printRaw(c, xml)) c.out(renderUserShow(obj, c.tty));
  });
};

/** Runs `oneuser` with `argv` (the words after the program name); returns the exit status. */
export function run(argv: string[], deps: CliDeps): Promise<number> {
  return runProgram('oneuser', 'Manages OpenNebula users', argv, deps, define);
}

if (startedAs('oneuser')) await main(run);
