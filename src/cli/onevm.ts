import { snapshotId } from './args.js';
import { VM_DEFAULT_COLUMNS, vmColumns } from './columns/vm.js';
import {
  clusterName, delayOption, fetchObject, forEachId, forOneId, listOptions, poolFilter, printRaw, tableOptions,
  templateInput, top,
} from './commands.js';
import { ownershipCommands, type ObjectKind } from './object-commands.js';
import { diskHotplugCommands } from './onevm-disks.js';
import { diskSnapshotCommands } from './onevm-disk-snapshots.js';
import { saveAsCommands } from './onevm-saveas.js';
import type { CliDeps } from './deps.js';
import { CliError, OneApiError } from './errors.js';
import { describeColumns, renderTable } from './output/table.js';
import { templateText } from './output/template-text.js';
import { main, runProgram, startedAs, subcommand, type Ctx, type Define } from './program.js';
import { renderVmShow, vmClusterId } from './show/vm.js';
import { templateFromOptions, templateOptions, templateOptionsUsed } from './template-options.js';
import { at, items, parseXml, str } from './xml.js';

const IDS = '<range|vmid_list>';

/** How this command names its objects, for the subcommands every object has. */
const OBJECT: ObjectKind = { kind: 'VM', api: 'one.vm', label: 'VM', ids: IDS, id: '<vmid>' };

/** `one.vm.action` commands: the action, its help, whether it has a --hard form, what --verbose says. */
const ACTIONS: [name: string, desc: string, hard: boolean, done: string][] = [
  ['terminate', 'Terminates the given VM: shuts it down (ACPI, or at once with --hard) and deletes it', true, 'terminated'],
  ['undeploy', 'Shuts down the given VM and moves its disks back to the system datastore; resume re-deploys it', true, 'undeploying'],
  ['poweroff', 'Powers off the given VM (ACPI, or at once with --hard), keeping its files on the host', true, 'shutting down'],
  ['reboot', 'Reboots the given VM (ACPI, or a hard reset with --hard)', true, 'rebooting'],
  ['suspend', 'Saves the given VM state on its host and stops it; resume restores it', false, 'suspending'],
  ['stop', 'Saves the given VM state and moves its files back to the system datastore', false, 'stopping'],
  ['resume', 'Resumes a stopped, suspended, undeployed or powered-off VM', false, 'resuming'],
  ['hold', 'Sets the given VM on hold: the scheduler will not deploy it', false, 'holding'],
  ['release', 'Releases a VM on hold back to pending', false, 'releasing'],
  ['resched', 'Sets the reschedule flag: the scheduler will move the VM to a better host', false, 'Setting resched flag'],
  ['unresched', 'Clears the reschedule flag of the VM', false, 'Clearing resched flag'],
];

/** `recover` flags and the operation numbers of one.vm.recover. */
const RECOVER_OPS: [flag: string, key: string, op: number, desc: string][] = [
  ['--failure', 'failure', 0, 'Recovers the VM by failing the pending action'],
  ['--success', 'success', 1, 'Recovers the VM by succeeding the pending action'],
  ['--retry', 'retry', 2, 'Recovers the VM by retrying the last failed action'],
  ['--delete', 'delete', 3, 'No recover action possible, delete the VM'],
  ['--recreate', 'recreate', 4, 'No recover action possible, delete and recreate the VM'],
  ['--delete-db', 'deleteDb', 5, 'No recover action possible, delete the VM from the DB. It does not trigger any action on the hypervisor'],
];

/** `lock` levels (--use is the default). */
const LOCK_LEVELS: [flag: string, key: string, level: number, desc: string][] = [
  ['--use', 'use', 1, 'Lock use actions'],
  ['--manage', 'manage', 2, 'Lock manage actions'],
  ['--admin', 'admin', 3, 'Lock admin actions'],
  ['--all', 'all', 4, 'Lock all actions'],
];

async function listVms(ctx: Ctx, flag: string | undefined): Promise<string | undefined> {
  const params = [await poolFilter(ctx, flag), -1, -1, -1];
  const xml = String(await ctx.call('one.vmpool.info', ...params, ...(ctx.opts.search ? [String(ctx.opts.search)] : [])));
  if (printRaw(ctx, xml)) return undefined;
  const vms = items(parseXml(xml).VM_POOL, 'VM');
  const wantsCluster = String(ctx.opts.list ?? '').toUpperCase().split(',').includes('CLUSTER');
  const clusters = wantsCluster ? await clusterNames(ctx) : undefined;
  const columns = vmColumns({ now: ctx.deps.now(), numeric: ctx.opts.numeric, kilobytes: ctx.opts.kilobytes, clusters });
  return renderTable(columns, VM_DEFAULT_COLUMNS, vms, tableOptions(ctx.opts, ctx.tty));
}

/** Cluster names for the CLUSTER column; without the cluster pool the IDs are shown. */
async function clusterNames(ctx: Ctx): Promise<Map<string, string>> {
  const names = new Map([['-1', 'default']]);
  try {
    const pool = await (await ctx.resolver()).pool('CLUSTER');
    for (const c of pool) names.set(str(c, 'ID') ?? '', str(c, 'NAME') ?? '');
  } catch (e) {
    // Shown as IDs then, as OpenNebula's CLI does when it cannot read the clusters.
    if (!(e instanceof OneApiError)) throw e;
  }
  return names;
}

/** `--describe`: the columns and what they mean, instead of the list. */
function printDescription(ctx: Ctx): boolean {
  if (!ctx.opts.describe) return false;
  ctx.out(describeColumns(vmColumns({ now: 0 })));
  return true;
}

const define: Define = (program, on) => {
  const create = subcommand(program, 'create [file]', 'Creates a new VM from the given template file, or from the template options');
  templateOptions(create)
    .option('--name <name>', 'Name for the new VM')
    .option('--hold', 'Creates the new VM on hold state instead of pending')
    .option('-m, --multiple <x>', 'Instance multiple VMs', '1');
  on(create, async (c, [file]) => {
    const fromOptions = templateOptionsUsed(c.opts) || c.opts.name !== undefined;
    if (file !== undefined && fromOptions) throw new CliError('You can not use both template file and template creation options.');
    if (file === undefined && !fromOptions) {
      throw new CliError('Give a template file, or describe the VM with options such as --cpu 1 --memory 512 --disk <image>');
    }
    const template = file !== undefined ? await c.readFile(file) : templateFromOptions(c.opts);
    if (c.opts.dry) {
      c.out(template);
      return 0;
    }
    const count = Number(c.opts.multiple);
    if (!Number.isInteger(count) || count < 1) throw new CliError(`--multiple "${c.opts.multiple}" must be a positive whole number`);
    for (let i = 0; i < count; i++) {
      const id = await c.call('one.vm.allocate', template, c.opts.hold === true);
      c.out(`ID: ${id}\n`);
    }
  });

  for (const [cmd, desc] of [['list', 'Lists VMs in the pool'], ['top', 'Lists VMs continuously']] as const) {
    const c = listOptions(subcommand(program, `${cmd} [filterflag]`, `${desc}. filterflag: a (all), m (mine), g (group), G (primary group), a user ID or name`))
      .option('--search <query>', 'query in KEY=VALUE format, e.g. VM.NAME=test&VM.UNAME=oneadmin');
    if (cmd === 'top') delayOption(c);
    on(c, async (cx, [flag]) => {
      if (printDescription(cx)) return 0;
      if (cmd === 'top') return top(cx, async () => (await listVms(cx, flag)) ?? '');
      const table = await listVms(cx, flag);
      if (table !== undefined) cx.out(table);
    });
  }

  const show = subcommand(program, 'show <vmid>', 'Shows information for the given VM')
    .option('-x, --xml', 'Show the resource in xml format')
    .option('-j, --json', 'Show the resource in JSON format')
    .option('--all', 'Show all template data');
  on(show, async (c, [arg]) => {
    const id = await (await c.resolver()).id('VM', arg);
    const { xml, obj } = await fetchObject(c, 'VM', 'one.vm.info', id);
    if (printRaw(c, xml)) return;
    const cid = vmClusterId(obj);
    const name = cid !== undefined ? await clusterName(c, cid) : undefined;
    c.out(renderVmShow(obj, { now: c.deps.now(), tty: c.tty, all: c.opts.all === true, clusterName: name }));
  });

  const deploy = subcommand(program, `deploy ${IDS} <hostid> [datastoreid]`, 'Deploys the given VM in the specified Host, optionally on a system datastore')
    .option('--enforce', 'Enforce that the host capacity is not exceeded');
  on(deploy, async (c, [ids, host, ds]) => {
    const r = await c.resolver();
    const hid = await r.id('HOST', host);
    const dsid = ds !== undefined ? await r.id('DATASTORE', ds) : -1;
    return forEachId(c, 'VM', ids, 'deploying', (id) => c.call('one.vm.deploy', id, hid, c.opts.enforce === true, dsid, ''));
  });

  for (const [name, desc, hard, done] of ACTIONS) {
    const c = subcommand(program, `${name} ${IDS}`, desc);
    if (hard) c.option('--hard', 'Does not communicate with the guest OS');
    on(c, (cx, [ids]) =>
      forEachId(cx, 'VM', ids, done, (id) => cx.call('one.vm.action', cx.opts.hard ? `${name}-hard` : name, id)),
    );
  }

  const migrate = subcommand(program, `migrate ${IDS} <hostid> [datastoreid]`, 'Migrates the given running VM to another Host')
    .option('--live', 'Do the action with the VM running')
    .option('--enforce', 'Enforce that the host capacity is not exceeded')
    .option('--poff', 'Do the migrate by powering off the vm')
    .option('--poweroff', 'Same as --poff')
    .option('--poff-hard', 'Do the migrate by powering off hard the vm')
    .option('--poweroff-hard', 'Same as --poff-hard');
  on(migrate, async (c, [ids, host, ds]) => {
    const r = await c.resolver();
    const hid = await r.id('HOST', host);
    const dsid = ds !== undefined ? await r.id('DATASTORE', ds) : -1;
    const type = c.opts.poffHard || c.opts.poweroffHard ? 2 : c.opts.poff || c.opts.poweroff ? 1 : 0;
    return forEachId(c, 'VM', ids, 'migrating', (id) =>
      c.call('one.vm.migrate', id, hid, c.opts.live === true, c.opts.enforce === true, dsid, type),
    );
  });

  const recover = subcommand(program, `recover ${IDS}`, 'Recovers a stuck VM that is waiting for a driver operation');
  for (const [flag, , , desc] of RECOVER_OPS) recover.option(flag, desc);
  on(recover, (c, [ids]) => {
    const chosen = RECOVER_OPS.filter(([, key]) => c.opts[key]);
    if (chosen.length !== 1) {
      throw new CliError('Give exactly one of --success, --failure, --retry, --delete, --recreate or --delete-db');
    }
    const op = chosen[0][2];
    return forEachId(c, 'VM', ids, 'recovering', (id) => c.call('one.vm.recover', id, op));
  });

  on(subcommand(program, `snapshot-create ${IDS} [name]`, 'Creates a new VM snapshot of the memory and disks of a running VM'), (c, [ids, name]) =>
    forEachId(c, 'VM', ids, 'snapshot created', (id) => c.call('one.vm.snapshotcreate', id, name ?? '')),
  );

  on(subcommand(program, 'snapshot-revert <vmid> <snapshot_id>', 'Reverts a running VM to a saved snapshot'), (c, [arg, snap]) => {
    const snapId = snapshotId(snap);
    return forOneId(c, 'VM', arg, 'snapshot reverted', (id) => c.call('one.vm.snapshotrevert', id, snapId));
  });

  on(subcommand(program, 'snapshot-delete <vmid> <snapshot_id>', 'Deletes a snapshot of a running VM'), (c, [arg, snap]) => {
    const snapId = snapshotId(snap);
    return forOneId(c, 'VM', arg, 'snapshot deleted', (id) => c.call('one.vm.snapshotdelete', id, snapId));
  });

  diskSnapshotCommands(program, on);
  saveAsCommands(program, on);
  diskHotplugCommands(program, on);

  const resize = subcommand(program, 'resize <vmid>', 'Resizes the capacity of a VM: live while it runs (up to VCPU_MAX and MEMORY_MAX), otherwise in its template')
    .option('--cpu <cpu>', 'CPU percentage reserved for the VM (1=100% one CPU)')
    .option('--vcpu <vcpu>', 'Number of virtualized CPUs')
    .option('--memory <memory>', "Memory amount given to the VM. By default the unit is megabytes. To use gigabytes add a 'g', floats can be used: 8g=8192, 0.5g=512")
    .option('--enforce', 'Enforce that the host capacity is not exceeded')
    .option('--file <file>', 'Selects the template file with the new CPU, VCPU and MEMORY');
  on(resize, async (c, [arg]) => {
    const { cpu, vcpu, memory } = c.opts;
    const fromOptions = [cpu, vcpu, memory].some((v) => v !== undefined);
    if (c.opts.file !== undefined && fromOptions) throw new CliError('Give either --file or --cpu, --vcpu and --memory, not both.');
    if (c.opts.file === undefined && !fromOptions) throw new CliError('Say what to change: --cpu, --vcpu and/or --memory (e.g. --memory 2g), or --file.');
    const template = c.opts.file !== undefined ? await c.readFile(c.opts.file) : templateFromOptions({ cpu, vcpu, memory });
    return forOneId(c, 'VM', arg, 'Resizing VM', (id) => c.call('one.vm.resize', id, template, c.opts.enforce === true));
  });

  const update = subcommand(program, 'update <vmid> [file]', 'Updates the user template of the VM; without a file the editor opens on the current one')
    .option('-a, --append', 'Append new attributes to the current template');
  on(update, async (c, [arg, file]) => {
    const append = c.opts.append === true;
    return forOneId(c, 'VM', arg, 'modified', async (id) => {
      const text = await templateInput(c, file, async () => {
        if (append) return '';
        const { obj } = await fetchObject(c, 'VM', 'one.vm.info', id);
        return templateText(at(obj, 'USER_TEMPLATE'));
      });
      await c.call('one.vm.update', id, text, append ? 1 : 0);
    });
  });

  on(subcommand(program, 'rename <vmid> <name>', 'Renames the VM'), (c, [arg, name]) =>
    forOneId(c, 'VM', arg, 'renamed', (id) => c.call('one.vm.rename', id, name)),
  );

  ownershipCommands(program, on, OBJECT);

  const lock = subcommand(program, `lock ${IDS}`, 'Locks the VM so that the chosen level of actions is refused (--use by default)');
  for (const [flag, , , desc] of LOCK_LEVELS) lock.option(flag, desc);
  on(lock, (c, [ids]) => {
    const level = LOCK_LEVELS.find(([, key]) => c.opts[key])?.[2] ?? 1;
    return forEachId(c, 'VM', ids, 'VM locked', (id) => c.call('one.vm.lock', id, level));
  });

  on(subcommand(program, `unlock ${IDS}`, 'Unlocks the VM'), (c, [ids]) =>
    forEachId(c, 'VM', ids, 'VM unlocked', (id) => c.call('one.vm.unlock', id)),
  );
};

/** Runs `onevm` with `argv` (the words after the program name); returns the exit status. */
export function run(argv: string[], deps: CliDeps): Promise<number> {
  return runProgram('onevm', 'Manages OpenNebula virtual machines', argv, deps, define);
}

if (startedAs('onevm')) await main(run);
