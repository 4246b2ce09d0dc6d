import { TEMPLATE_DEFAULT_COLUMNS, templateColumns } from './columns/template.js';
import { delayOption, fetchObject, forEachId, forOneId, listOptions, poolFilter, printRaw, tableOptions, top } from './commands.js';
import { ownershipCommands, updateCommand, type ObjectKind } from './object-commands.js';
import type { CliDeps } from './deps.js';
import { CliError } from './errors.js';
import { describeColumns, renderTable } from './output/table.js';
import { main, runProgram, startedAs, subcommand, type Ctx, type Define } from './program.js';
import { renderTemplateShow } from './show/template.js';
import { templateFromOptions, templateOptions, templateOptionsUsed } from './template-options.js';
import { askUserInputs, parseUserInputsOption, userInputsText, type PromptIO } from './user-inputs.js';
import { at, items, parseXml, type XmlObject } from './xml.js';

const IDS = '<range|templateid_list>';

/** How this command names its objects, for the subcommands every object has. */
const OBJECT: ObjectKind = {
  kind: 'VMTEMPLATE', api: 'one.template', label: 'Template', ids: IDS, id: '<templateid>',
  recursiveChmod: 'Chmod the template plus any image defined in DISK',
};

async function listTemplates(ctx: Ctx, flag: string | undefined): Promise<string | undefined> {
  const xml = String(await ctx.call('one.templatepool.info', await poolFilter(ctx, flag), -1, -1));
  if (printRaw(ctx, xml)) return undefined;
  const templates = items(parseXml(xml).VMTEMPLATE_POOL, 'VMTEMPLATE');
  return renderTable(templateColumns(ctx.opts.numeric), TEMPLATE_DEFAULT_COLUMNS, templates, tableOptions(ctx.opts, ctx.tty));
}

/** USER_INPUTS of a template as [KEY, "M|type|desc|params|default"] in document order. */
function userInputs(template: XmlObject): [string, string][] {
  const section = at(template, 'TEMPLATE/USER_INPUTS');
  if (section === undefined || typeof section === 'string' || Array.isArray(section)) return [];
  return Object.entries(section).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v] as [string, string]] : []));
}

function promptIO(ctx: Ctx): PromptIO {
  return {
    write: (t) => ctx.out(t),
    line: () => ctx.lines().next(),
    hidden: () => ctx.lines().nextHidden(ctx.deps.stdout),
    edit: (initial) => ctx.deps.edit(initial),
  };
}

/**
 * The name of the i-th VM of `--multiple`, as OpenNebula's CLI makes it: `%i` becomes the index, and a
 * name without it is given to every VM. No name lets oned choose `<template>-<id>`.
 */
export function instanceName(name: string | undefined, i: number): string {
  if (name === undefined) return '';
  return name.replaceAll('%i', String(i));
}

const define: Define = (program, on) => {
  const create = subcommand(program, 'create [file]', 'Creates a new VM Template from the given description file, or from the template options');
  templateOptions(create).option('--name <name>', 'Name for the new template');
  on(create, async (c, [file]) => {
    const fromOptions = templateOptionsUsed(c.opts) || c.opts.name !== undefined;
    if (file !== undefined && fromOptions) throw new CliError('You can not use both template file and template creation options.');
    if (file === undefined && !fromOptions) {
      throw new CliError('Give a template file, or describe the template with options such as --name vm --cpu 1 --memory 512');
    }
    const template = file !== undefined ? await c.readFile(file) : templateFromOptions(c.opts);
    if (c.opts.dry) {
      c.out(template);
      return;
    }
    c.out(`ID: ${await c.call('one.template.allocate', template)}\n`);
  });

  on(subcommand(program, 'clone <templateid> <name>', 'Creates a new Template from an existing one')
    .option('-R, --recursive', 'Clone the template plus any image defined in DISK. The new IMAGE_ID is set into each DISK'),
  (c, [arg, name]) =>
    forOneId(c, 'VMTEMPLATE', arg, 'cloned', async (id) => {
      c.out(`ID: ${await c.call('one.template.clone', id, name, c.opts.recursive === true)}\n`);
    }),
  );

  on(subcommand(program, `delete ${IDS}`, 'Deletes the given Template')
    .option('-R, --recursive', 'Delete the template plus any image defined in DISK'),
  (c, [ids]) => forEachId(c, 'VMTEMPLATE', ids, 'deleted', (id) => c.call('one.template.delete', id, c.opts.recursive === true)),
  );

  const instantiate = subcommand(program, 'instantiate <templateid> [file]',
    "Creates a new VM instance from the given Template. The optional file (or the template options) adds or replaces attributes")
    .option('--name <name>', 'Name of the new VM. When instantiating multiple VMs you can use the "%i" wildcard to produce different names such as vm-0, vm-1...')
    .option('-m, --multiple <x>', 'Instance multiple VMs', '1')
    .option('--hold', 'Creates the new VM on hold state instead of pending')
    .option('--persistent', 'Creates a private persistent copy of the template plus any image defined in DISK, and instantiates that copy')
    .option('--user-inputs <pairs>', 'Specify the user inputs values when instantiating, e.g. KEY=VALUE,KEY2=VALUE2');
  templateOptions(instantiate);
  on(instantiate, (c, [arg, file]) =>
    forOneId(c, 'VMTEMPLATE', arg, 'instantiated', async (id) => {
      if (file !== undefined && templateOptionsUsed(c.opts)) {
        throw new CliError('You cannot use both template file and template creation options.');
      }
      const count = Number(c.opts.multiple);
      if (!Number.isInteger(count) || count < 1) throw new CliError(`--multiple "${c.opts.multiple}" must be a positive whole number`);
      const { name, ...rest } = c.opts;
      let extra = file !== undefined ? await c.readFile(file) : templateFromOptions(rest);
      const given = c.opts.userInputs !== undefined ? parseUserInputsOption(String(c.opts.userInputs)) : [];
      const { obj } = await fetchObject(c, 'VMTEMPLATE', 'one.template.info', id);
      const answers = await askUserInputs(userInputs(obj), new Set(given.map(([k]) => k)), promptIO(c));
      extra += '\n' + userInputsText([...given, ...answers]);
      if (c.opts.dry) {
        c.out(extra);
        return;
      }
      for (let i = 0; i < count; i++) {
        const vmName = instanceName(name as string | undefined, i);
        const vmid = await c.call('one.template.instantiate', id, vmName, c.opts.hold === true, extra, c.opts.persistent === true);
        c.out(`VM ID: ${vmid}\n`);
      }
    }),
  );

  ownershipCommands(program, on, OBJECT);

  updateCommand(program, on, OBJECT, 'modified');

  on(subcommand(program, 'rename <templateid> <name>', 'Renames the Template'), (c, [arg, name]) =>
    forOneId(c, 'VMTEMPLATE', arg, 'renamed', (id) => c.call('one.template.rename', id, name)),
  );

  for (const [cmd, desc] of [['list', 'Lists Templates in the pool'], ['top', 'Lists Templates continuously']] as const) {
    const c = listOptions(subcommand(program, `${cmd} [filterflag]`, `${desc}. filterflag: a (all), m (mine), g (group), G (primary group), a user ID or name`));
    if (cmd === 'top') delayOption(c);
    on(c, async (cx, [flag]) => {
      if (cx.opts.describe) {
        cx.out(describeColumns(templateColumns()));
        return 0;
      }
      if (cmd === 'top') return top(cx, async () => (await listTemplates(cx, flag)) ?? '');
      const table = await listTemplates(cx, flag);
      if (table !== undefined) cx.out(table);
    });
  }

  on(subcommand(program, 'show <templateid>', 'Shows information for the given Template')
    .option('-x, --xml', 'Show the resource in xml format')
    .option('-j, --json', 'Show the resource in JSON format')
    .option('--extended', 'Process the template and include extended information, such as the SIZE for each DISK'),
  async (c, [arg]) => {
    const id = await (await c.resolver()).id('VMTEMPLATE', arg);
    const { xml, obj } = await fetchObject(c, 'VMTEMPLATE', 'one.template.info', id, c.opts.extended === true);
    if (!printRaw(c, xml)) c.out(renderTemplateShow(obj, c.tty));
  });
};

/** Runs `onetemplate` with `argv` (the words after the program name); returns the exit status. */
export function run(argv: string[], deps: CliDeps): Promise<number> {
  return runProgram('onetemplate', 'Manages OpenNebula VM templates', argv, deps, define);
}

if (startedAs('onetemplate')) await main(run);
