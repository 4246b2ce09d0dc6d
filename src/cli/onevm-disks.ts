import { diskId, parseMemory } from './args.js';
import { forOneId } from './commands.js';
import { CliError } from './errors.js';
import { templateToText } from '../template/text.js';
import { subcommand, type Define } from './program.js';

/** `onevm disk-attach|disk-detach|disk-resize`: OpenNebula's commands to plug, unplug and grow a disk. */
export const diskHotplugCommands: Define = (program, on) => {
  const attach = subcommand(program, 'disk-attach <vmid>',
    'Attaches a disk to a running VM (hot) or to a powered-off one. States: RUNNING, POWEROFF')
    .option('--image <image>', 'Image to attach, by name or ID')
    .option('--file <file>', 'File with the DISK = [ ... ] to attach, e.g. a volatile disk')
    .option('--target <target>', 'Device to map the disk to, e.g. vdc')
    .option('--prefix <prefix>', 'Device prefix of the disk, e.g. vd')
    .option('--cache <cache>', 'Cache mode of the disk (default, none, writethrough, writeback, directsync, unsafe)');
  on(attach, async (c, [vm]) => {
    const { image, file, target, prefix, cache } = c.opts as Record<string, string | undefined>;
    if ((image === undefined) === (file === undefined)) throw new CliError('Give the disk to attach with either --image or --file.');
    const template = file !== undefined
      ? await c.readFile(file)
      : diskTemplate({ IMAGE_ID: String(await (await c.resolver()).id('IMAGE', image!)), TARGET: target, DEV_PREFIX: prefix, CACHE: cache });
    return forOneId(c, 'VM', vm, 'Attaching disk', (id) => c.call('one.vm.attach', id, template));
  });

  on(subcommand(program, 'disk-detach <vmid> <diskid>', 'Detaches a disk from a running VM (hot) or a powered-off one. States: RUNNING, POWEROFF'),
    (c, [vm, disk]) => {
      const d = diskId(disk);
      return forOneId(c, 'VM', vm, 'Detaching disk', (id) => c.call('one.vm.detach', id, d));
    });

  on(subcommand(program, 'disk-resize <vmid> <diskid> <size>', 'Grows a disk to the new size (MB, or with a unit: 10g). States: RUNNING, POWEROFF, UNDEPLOYED'),
    (c, [vm, disk, size]) => {
      const d = diskId(disk);
      const mb = parseMemory(size!);
      return forOneId(c, 'VM', vm, 'Resizing disk', (id) => c.call('one.vm.diskresize', id, d, String(mb)));
    });
};

/** `DISK = [ K = "V", ... ]` of the attributes given. */
function diskTemplate(attrs: Record<string, string | undefined>): string {
  return templateToText([{ name: 'DISK', value: Object.fromEntries(Object.entries(attrs).filter((e): e is [string, string] => e[1] !== undefined)) }]);
}
