import { HOST_DEFAULT_COLUMNS, hostColumns } from './columns/host.js';
import { VM_DEFAULT_COLUMNS, vmColumns } from './columns/vm.js';
import { delayOption, fetchObject, forEachId, forOneId, listOptions, printRaw, tableOptions, top } from './commands.js';
import { updateCommand, type ObjectKind } from './object-commands.js';
import type { CliDeps } from './deps.js';
import { CliError } from './errors.js';
import { describeColumns, renderTable } from './output/table.js';
import { main, runProgram, startedAs, subcommand, type Ctx, type Define } from './program.js';
import { renderHostShow } from './show/host.js';
import { items, parseXml, str } from './xml.js';

const IDS = '<range|hostid_list>';

/** How this command names its objects, for the subcommands every object has. */
const OBJECT: ObjectKind = { kind: 'HOST', api: 'one.host', label: 'Host', ids: IDS, id: '<hostid>' };

/** `one.host.status` values of enable, disable and offline. */
const STATUS: [cmd: string, status: number, desc: string, done: string][] = [
  ['enable', 0, 'Enables the given host', 'enabled'],
  ['disable', 1, 'Disables the given host: the scheduler will not place VMs on it, but they keep being monitored', 'disabled'],
  ['offline', 2, 'Sets the host offline: it is not monitored and no VM can be placed on it', 'offline'],
];

async function listHosts(ctx: Ctx): Promise<string | undefined> {
  const xml = String(await ctx.call('one.hostpool.info'));
  if (printRaw(ctx, xml)) return undefined;
  const hosts = items(parseXml(xml).HOST_POOL, 'HOST');
  return renderTable(hostColumns(ctx.opts.kilobytes), HOST_DEFAULT_COLUMNS, hosts, tableOptions(ctx.opts, ctx.tty));
}

/** The VIRTUAL MACHINES table of `onehost show`: the VMs whose HOST column is this host. */
async function hostVms(ctx: Ctx, hostname: string): Promise<string> {
  const vms = items(parseXml(String(await ctx.call('one.vmpool.info', -2, -1, -1, -1))).VM_POOL, 'VM');
  const columns = vmColumns({ now: ctx.deps.now() });
  return renderTable(columns, VM_DEFAULT_COLUMNS, vms, { filter: [`HOST=${hostname}`], tty: ctx.tty });
}

const define: Define = (program, on) => {
  // -v is the hypervisor driver here, as in OpenNebula, so create has no -v for --verbose.
  const create = subcommand(program, 'create <hostname>', 'Creates a new Host', false)
    .option('-i, --im <im_mad>', 'Driver to retrieve Host information')
    .option('-v, --vm <vmm_mad>', 'Driver to manage VMs on the Host (the hypervisor)')
    .option('-c, --cluster <clusterid>', 'Cluster ID or name to add the Host to');
  on(create, async (c, [name]) => {
    if (c.opts.im === undefined || c.opts.vm === undefined) {
      throw new CliError('Drivers are mandatory to create a host: give -i <information driver> and -v <hypervisor driver>');
    }
    const cluster = c.opts.cluster !== undefined ? await (await c.resolver()).id('CLUSTER', String(c.opts.cluster)) : -1;
    c.out(`ID: ${await c.call('one.host.allocate', name, c.opts.im, c.opts.vm, cluster)}\n`);
  });

  on(subcommand(program, `delete ${IDS}`, 'Deletes the given Host'), (c, [ids]) =>
    forEachId(c, 'HOST', ids, 'deleted', (id) => c.call('one.host.delete', id)),
  );

  for (const [cmd, status, desc, done] of STATUS) {
    on(subcommand(program, `${cmd} ${IDS}`, desc), (c, [ids]) =>
      forEachId(c, 'HOST', ids, done, (id) => c.call('one.host.status', id, status)),
    );
  }

  updateCommand(program, on, OBJECT);

  on(subcommand(program, 'rename <hostid> <name>', 'Renames the Host'), (c, [arg, name]) =>
    forOneId(c, 'HOST', arg, 'renamed', (id) => c.call('one.host.rename', id, name)),
  );

  for (const [cmd, desc] of [['list', 'Lists Hosts in the pool'], ['top', 'Lists Hosts continuously']] as const) {
    const c = listOptions(subcommand(program, cmd, desc));
    if (cmd === 'top') delayOption(c);
    on(c, async (cx) => {
      if (cx.opts.describe) {
        cx.out(describeColumns(hostColumns()));
        return 0;
      }
      if (cmd === 'top') return top(cx, async () => (await listHosts(cx)) ?? '');
      const table = await listHosts(cx);
      if (table !== undefined) cx.out(table);
    });
  }

  on(subcommand(program, 'show <hostid>', 'Shows information for the given Host')
    .option('-x, --xml', 'Show the resource in xml format')
    .option('-j, --json', 'Show the resource in JSON format'),
  async (c, [arg]) => {
    const id = await (await c.resolver()).id('HOST', arg);
    const { xml, obj } = await fetchObject(c, 'HOST', 'one.host.info', id);
    if (printRaw(c, xml)) return;
    c.out(renderHostShow(obj, c.tty, await hostVms(c, str(obj, 'NAME') ?? '')));
  });
};

/** Runs `onehost` with `argv` (the words after the program name); returns the exit status. */
export function run(argv: string[], deps: CliDeps): Promise<number> {
  return runProgram('onehost', 'Manages OpenNebula hosts', argv, deps, define);
}

if (startedAs('onehost')) await main(run);
