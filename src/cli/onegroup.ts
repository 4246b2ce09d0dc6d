import { GROUP_DEFAULT_COLUMNS, groupColumns } from './columns/group.js';
import { fetchObject, forEachId, listOptions, printRaw, tableOptions } from './commands.js';
import type { CliDeps } from './deps.js';
import { describeColumns, renderTable } from './output/table.js';
import { main, runProgram, startedAs, subcommand, type Define } from './program.js';
import { renderGroupShow } from './show/group.js';
import { items, parseXml, rootObject } from './xml.js';

const define: Define = (program, on) => {
  on(subcommand(program, 'create <name>', 'Creates a new Group'), async (c, [name]) => {
    c.out(`ID: ${await c.call('one.group.allocate', name)}\n`);
  });

  on(subcommand(program, 'delete <range|groupid_list>', 'Deletes the given Group'), (c, [ids]) =>
    forEachId(c, 'GROUP', ids, 'deleted', (id) => c.call('one.group.delete', id)),
  );

  on(listOptions(subcommand(program, 'list', 'Lists Groups in the pool')), async (c) => {
    if (c.opts.describe) {
      c.out(describeColumns(groupColumns({})));
      return;
    }
    const xml = String(await c.call('one.grouppool.info'));
    if (printRaw(c, xml)) return;
    const pool = rootObject(parseXml(xml), 'GROUP_POOL');
    c.out(renderTable(groupColumns(pool, c.opts.kilobytes), GROUP_DEFAULT_COLUMNS, items(pool, 'GROUP'), tableOptions(c.opts, c.tty)));
  });

  on(subcommand(program, 'show [groupid]', 'Shows information for the given Group, your own by default')
    .option('-x, --xml', 'Show the resource in xml format')
    .option('-j, --json', 'Show the resource in JSON format'),
  async (c, [arg]) => {
    const id = arg !== undefined ? await (await c.resolver()).id('GROUP', arg) : -1;
    const { xml, obj } = await fetchObject(c, 'GROUP', 'one.group.info', id);
    if (!printRaw(c, xml)) c.out(renderGroupShow(obj, c.tty));
  });
};

/** Runs `onegroup` with `argv` (the words after the program name); returns the exit status. */
export function run(argv: string[], deps: CliDeps): Promise<number> {
  return runProgram('onegroup', 'Manages OpenNebula groups', argv, deps, define);
}

if (startedAs('onegroup')) await main(run);
