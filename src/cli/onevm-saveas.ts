import { diskId, snapshotId } from './args.js';
import { forOneId } from './commands.js';
import { subcommand, type Define } from './program.js';
import { saveVm } from './vm-save.js';

/** `onevm disk-saveas` and `onevm save`: a disk, or the whole VM, kept as images and a template. */
export const saveAsCommands: Define = (program, on) => {
  const saveas = subcommand(program, 'disk-saveas <vmid> <diskid> <img_name>',
    'Saves the given disk (or one of its snapshots) as a new image. States: RUNNING, POWEROFF, SUSPENDED, UNDEPLOYED, STOPPED')
    .option('--type <type>', 'Type of the new image: OS, CDROM or DATABLOCK (default: the type of the disk\'s image)')
    .option('--snapshot <snapshot_id>', 'Saves this disk snapshot instead of the disk as it is now');
  on(saveas, (c, [vm, disk, name]) => {
    const d = diskId(disk);
    const snap = c.opts.snapshot !== undefined ? snapshotId(String(c.opts.snapshot)) : -1;
    return forOneId(c, 'VM', vm, 'disk saved as an image', async (id) => {
      c.out(`Image ID: ${await c.call('one.vm.disksaveas', id, d, name, String(c.opts.type ?? ''), snap)}\n`);
    });
  });

  const save = subcommand(program, 'save <vmid> <name>',
    'Saves a powered-off VM as a new template: each disk becomes a new image, and the template keeps the VM\'s capacity and NICs')
    .option('--persistent', 'Makes the new images persistent');
  on(save, (c, [vm, name]) =>
    forOneId(c, 'VM', vm, 'saved as a template', async (id) => {
      c.out(`Template ID: ${await saveVm(c, id, name, c.opts.persistent === true)}\n`);
    }),
  );
};
