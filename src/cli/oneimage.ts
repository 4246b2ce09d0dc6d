import type { OptionValues } from 'commander';
import { quote } from '../template/text.js';
import { parseMemory } from './args.js';
import { IMAGE_DEFAULT_COLUMNS, imageColumns } from './columns/image.js';
import { forEachId, listOptions, poolFilter, printRaw, tableOptions } from './commands.js';
import { ownershipCommands, showCommand, updateCommand, type ObjectKind } from './object-commands.js';
import type { CliDeps } from './deps.js';
import { CliError } from './errors.js';
import { describeColumns, renderTable } from './output/table.js';
import { main, runProgram, startedAs, subcommand, type Define } from './program.js';
import { renderImageShow } from './show/image.js';
import { items, parseXml } from './xml.js';

const IDS = '<range|imageid_list>';

/** How this command names its objects, for the subcommands every object has. */
const OBJECT: ObjectKind = { kind: 'IMAGE', api: 'one.image', label: 'Image', ids: IDS, id: '<imageid>' };

/** create's options and the template attribute each one sets. */
const CREATE_OPTIONS: [flag: string, key: string, attr: string, desc: string][] = [
  ['--name <name>', 'name', 'NAME', 'Name of the new image'],
  ['--path <path>', 'path', 'PATH', 'Path of the image file on the front-end, or a file:// URL'],
  ['--type <type>', 'type', 'TYPE', 'Type of the new image: OS, CDROM, DATABLOCK, KERNEL, RAMDISK, CONTEXT'],
  ['--format <format>', 'format', 'FORMAT', 'Format of an empty DATABLOCK: raw or qcow2'],
  ['--prefix <prefix>', 'prefix', 'DEV_PREFIX', 'Device prefix for the disk (eg. hd, sd, xvd or vd)'],
  ['--description <text>', 'description', 'DESCRIPTION', 'Description for the new image'],
];

/** enable/disable and persistent/nonpersistent: one call with true or false. */
const TOGGLES: [cmd: string, method: string, value: boolean, desc: string, done: string][] = [
  ['enable', 'one.image.enable', true, 'Enables the given Image', 'enabled'],
  ['disable', 'one.image.enable', false, 'Disables the given Image: VMs cannot use it', 'disabled'],
  ['persistent', 'one.image.persistent', true, 'Makes the given Image persistent: a VM writes to it directly', 'persistent'],
  ['nonpersistent', 'one.image.persistent', false, 'Makes the given Image non-persistent: VMs work on copies', 'nonpersistent'],
];

/** `lock` levels (--use is the default). */
const LOCK_LEVELS: [flag: string, key: string, level: number, desc: string][] = [
  ['--use', 'use', 1, 'Lock use actions'],
  ['--manage', 'manage', 2, 'Lock manage actions'],
  ['--admin', 'admin', 3, 'Lock admin actions'],
  ['--all', 'all', 4, 'Lock all actions'],
];

/** The image template create's options describe. */
function templateFromImageOptions(opts: OptionValues): string {
  const lines = CREATE_OPTIONS.filter(([, key]) => opts[key] !== undefined).map(([, key, attr]) => `${attr} = ${quote(String(opts[key]))}`);
  if (opts.size !== undefined) lines.push(`SIZE = "${parseMemory(String(opts.size))}"`);
  if (opts.persistent) lines.push('PERSISTENT = "YES"');
  return lines.join('\n') + '\n';
}

const define: Define = (program, on) => {
  const create = subcommand(program, 'create [file]', 'Creates a new Image from a template file or from the options')
    .option('-d, --datastore <datastore>', 'Datastore to save the Image in (ID or name)')
    .option('--size <size>', 'Size in MB (or 2g) of an empty DATABLOCK')
    .option('--persistent', 'Makes the new Image persistent');
  for (const [flag, , , desc] of CREATE_OPTIONS) create.option(flag, desc);
  on(create, async (c, [file]) => {
    if (c.opts.datastore === undefined) throw new CliError('Datastore to save the image is mandatory: add --datastore default (or its ID).');
    const ds = await (await c.resolver()).id('DATASTORE', String(c.opts.datastore));
    const fromOptions = CREATE_OPTIONS.some(([, key]) => c.opts[key] !== undefined) || c.opts.size !== undefined;
    if (file !== undefined && fromOptions) throw new CliError('Give either a template file or the --name/--path/--size options, not both.');
    if (file === undefined && !fromOptions) throw new CliError('Nothing to create: give a template file, or --name with --path (or --type DATABLOCK --size).');
    const text = file !== undefined ? await c.readFile(file) : templateFromImageOptions(c.opts);
    c.out(`ID: ${await c.call('one.image.allocate', text, ds, false)}\n`);
  });

  on(subcommand(program, `delete ${IDS}`, 'Deletes the given Image'), (c, [ids]) =>
    forEachId(c, 'IMAGE', ids, 'deleted', (id) => c.call('one.image.delete', id)),
  );

  for (const [cmd, method, value, desc, done] of TOGGLES) {
    on(subcommand(program, `${cmd} ${IDS}`, desc), (c, [ids]) => forEachId(c, 'IMAGE', ids, done, (id) => c.call(method, id, value)));
  }

  on(subcommand(program, `chtype ${IDS} <type>`, 'Changes the Image type: OS, CDROM, DATABLOCK, KERNEL, RAMDISK, CONTEXT'), (c, [ids, type]) =>
    forEachId(c, 'IMAGE', ids, 'Type changed', (id) => c.call('one.image.chtype', id, type.toUpperCase())),
  );

  on(subcommand(program, 'clone <imageid> <name>', 'Creates a new Image from an existing one')
    .option('-d, --datastore <datastore>', 'Datastore for the clone (ID or name); the same as the Image by default'),
  async (c, [arg, name]) => {
    const id = await (await c.resolver()).id('IMAGE', arg);
    const ds = c.opts.datastore !== undefined ? await (await c.resolver()).id('DATASTORE', String(c.opts.datastore)) : -1;
    c.out(`ID: ${await c.call('one.image.clone', id, name, ds)}\n`);
  });

  ownershipCommands(program, on, OBJECT);

  const lock = subcommand(program, `lock ${IDS}`, 'Locks the Image so that the chosen level of actions is refused (--use by default)');
  for (const [flag, , , desc] of LOCK_LEVELS) lock.option(flag, desc);
  on(lock, (c, [ids]) => {
    const level = LOCK_LEVELS.find(([, key]) => c.opts[key])?.[2] ?? 1;
    return forEachId(c, 'IMAGE', ids, 'Image locked', (id) => c.call('one.image.lock', id, level, false));
  });

  on(subcommand(program, `unlock ${IDS}`, 'Unlocks the Image'), (c, [ids]) =>
    forEachId(c, 'IMAGE', ids, 'Image unlocked', (id) => c.call('one.image.unlock', id)),
  );

  updateCommand(program, on, OBJECT);

  on(subcommand(program, 'rename <imageid> <name>', 'Renames the Image'), async (c, [arg, name]) => {
    await c.call('one.image.rename', await (await c.resolver()).id('IMAGE', arg), name);
  });

  on(listOptions(subcommand(program, 'list [filterflag]', 'Lists Images in the pool. filterflag: a (all), m (mine), g (group), G (primary group), a user ID or name')),
    async (c, [flag]) => {
      if (c.opts.describe) {
        c.out(describeColumns(imageColumns()));
        return;
      }
      const xml = String(await c.call('one.imagepool.info', await poolFilter(c, flag), -1, -1));
      if (printRaw(c, xml)) return;
      const pool = items(parseXml(xml).IMAGE_POOL, 'IMAGE');
      c.out(renderTable(imageColumns(c.opts.numeric), IMAGE_DEFAULT_COLUMNS, pool, tableOptions(c.opts, c.tty)));
    });

  showCommand(program, on, OBJECT, renderImageShow);
};

/** Runs `oneimage` with `argv` (the words after the program name); returns the exit status. */
export function run(argv: string[], deps: CliDeps): Promise<number> {
  return runProgram('oneimage', 'Manages OpenNebula images', argv, deps, define);
}

if (startedAs('oneimage')) await main(run);
