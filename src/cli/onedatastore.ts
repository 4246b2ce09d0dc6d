import { DATASTORE_DEFAULT_COLUMNS, datastoreColumns } from './columns/datastore.js';
import { forEachId, forOneId, listOptions, printRaw, tableOptions } from './commands.js';
import { ownershipCommands, showCommand, updateCommand, type ObjectKind } from './object-commands.js';
import type { CliDeps } from './deps.js';
import { describeColumns, renderTable } from './output/table.js';
import { main, runProgram, startedAs, subcommand, type Define } from './program.js';
import { renderDatastoreShow } from './show/datastore.js';
import { items, parseXml } from './xml.js';

const IDS = '<range|datastoreid_list>';

/** How this command names its objects, for the subcommands every object has. */
const OBJECT: ObjectKind = { kind: 'DATASTORE', api: 'one.datastore', label: 'Datastore', ids: IDS, id: '<datastoreid>' };

/** enable and disable: one.datastore.enable with true or false. */
const ENABLE: [cmd: string, enable: boolean, desc: string, done: string][] = [
  ['enable', true, 'Enables the given system Datastore', 'enabled'],
  ['disable', false, 'Disables the given system Datastore: the scheduler will not deploy VMs on it', 'disabled'],
];

const define: Define = (program, on) => {
  on(subcommand(program, 'create <file>', 'Creates a new Datastore from the given description file')
    .option('-c, --cluster <clusterid>', 'Cluster ID or name to add the Datastore to'),
  async (c, [file]) => {
    const cluster = c.opts.cluster !== undefined ? await (await c.resolver()).id('CLUSTER', String(c.opts.cluster)) : -1;
    c.out(`ID: ${await c.call('one.datastore.allocate', await c.readFile(file), cluster)}\n`);
  });

  on(subcommand(program, `delete ${IDS}`, 'Deletes the given Datastore'), (c, [ids]) =>
    forEachId(c, 'DATASTORE', ids, 'deleted', (id) => c.call('one.datastore.delete', id)),
  );

  for (const [cmd, enable, desc, done] of ENABLE) {
    on(subcommand(program, `${cmd} ${IDS}`, desc), (c, [ids]) =>
      forEachId(c, 'DATASTORE', ids, done, (id) => c.call('one.datastore.enable', id, enable)),
    );
  }

  ownershipCommands(program, on, OBJECT);

  updateCommand(program, on, OBJECT);

  on(subcommand(program, 'rename <datastoreid> <name>', 'Renames the Datastore'), (c, [arg, name]) =>
    forOneId(c, 'DATASTORE', arg, 'renamed', (id) => c.call('one.datastore.rename', id, name)),
  );

  on(listOptions(subcommand(program, 'list', 'Lists Datastores in the pool')), async (c) => {
    if (c.opts.describe) {
      c.out(describeColumns(datastoreColumns()));
      return;
    }
    const xml = String(await c.call('one.datastorepool.info'));
    if (printRaw(c, xml)) return;
    const pool = items(parseXml(xml).DATASTORE_POOL, 'DATASTORE');
    c.out(renderTable(datastoreColumns(c.opts.numeric), DATASTORE_DEFAULT_COLUMNS, pool, tableOptions(c.opts, c.tty)));
  });

  showCommand(program, on, OBJECT, renderDatastoreShow);
};

/** Runs `onedatastore` with `argv` (the words after the program name); returns the exit status. */
export function run(argv: string[], deps: CliDeps): Promise<number> {
  return runProgram('onedatastore', 'Manages OpenNebula datastores', argv, deps, define);
}

if (startedAs('onedatastore')) await main(run);
