import { ImageState } from '../domain/image.js';
import { VmState } from '../lifecycle/states.js';
import { quote } from '../template/text.js';
import { fetchObject } from './commands.js';
import { CliError, OneApiError } from './errors.js';
import { templateText } from './output/template-text.js';
import type { Ctx } from './program.js';
import { at, items, str, type XmlObject } from './xml.js';

/** What a VM's DISK holds because of its image, its datastore or the VM; a saved DISK keeps only the rest. */
const FILLED_DISK = new Set([
  'IMAGE', 'IMAGE_ID', 'IMAGE_UNAME', 'IMAGE_UID', 'IMAGE_STATE', 'SOURCE', 'SIZE', 'ORIGINAL_SIZE', 'FORMAT', 'DRIVER',
  'TYPE', 'DISK_TYPE', 'DEV_PREFIX', 'TARGET', 'READONLY', 'PERSISTENT', 'SAVE', 'CLONE', 'CLONE_TARGET', 'LN_TARGET',
  'TM_MAD', 'DATASTORE', 'DATASTORE_ID', 'CLUSTER_ID', 'DISK_ID', 'ALLOW_ORPHANS', 'DISK_SNAPSHOT_TOTAL_SIZE',
]);
/** What the VM gave a volatile DISK; the rest is its definition (TYPE, SIZE, FORMAT...). */
const FILLED_VOLATILE = new Set(['DISK_ID', 'TARGET']);
/** What a NIC got from its network lease or the VM; a NIC naming no network keeps its own BRIDGE and MAC. */
const FILLED_NIC = new Set(['NIC_ID', 'TARGET', 'AR_ID', 'IP', 'NETWORK_ID', 'VN_MAD', 'VLAN_ID', 'BRIDGE_TYPE', 'CLUSTER_ID', 'SECURITY_GROUPS']);
const LEASE_NIC = new Set(['BRIDGE', 'MAC']);

/** How long `save` waits for the VM to be back in POWEROFF between disks (a disk's copy), and for the images to be READY. */
const POLL_MS = 500;
const COPY_WAIT_MS = 3_600_000;

/** A vector in template syntax, without the sub-attributes `drop` names; `first` comes first. */
function vector(name: string, v: XmlObject, drop: ReadonlySet<string>, first: Record<string, string> = {}): string {
  const subs = Object.entries(first).map(([k, x]) => `${k}=${quote(x)}`);
  for (const [k, x] of Object.entries(v)) if (!drop.has(k) && typeof x === 'string') subs.push(`${k}=${quote(x)}`);
  return `${name}=[ ${subs.join(', ')} ]`;
}

/** Polls `probe` every POLL_MS until it answers, for at most `ms`; then `what` did not happen in time. */
async function until<T>(c: Ctx, ms: number, what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let waited = 0; ; waited += POLL_MS) {
    const v = await probe();
    if (v !== undefined) return v;
    if (waited >= ms) throw new CliError(`Timed out after ${Math.round(ms / 1000)} s waiting for ${what}`);
    await c.deps.sleep(POLL_MS, c.deps.signal);
  }
}

/** Waits until VM `id` is POWEROFF (a save-as of one of its disks has finished). */
function untilPoweroff(c: Ctx, id: number): Promise<true> {
  return until(c, COPY_WAIT_MS, `VM ${id} to be POWEROFF`, async () => {
    const { obj } = await fetchObject(c, 'VM', 'one.vm.info', id);
    return Number(str(obj, 'STATE')) === VmState.POWEROFF || undefined;
  });
}

/** Waits until image `id` is READY; an image in ERROR ends the save with its message. */
function untilReady(c: Ctx, id: number): Promise<true> {
  return until(c, COPY_WAIT_MS, `image ${id} to be READY`, async () => {
    const { obj } = await fetchObject(c, 'IMAGE', 'one.image.info', id);
    const state = Number(str(obj, 'STATE'));
    if (state === ImageState.ERROR) throw new CliError(`Image ${id} could not be saved: ${str(obj, 'TEMPLATE/ERROR') ?? 'see oneimage show'}`);
    return state === ImageState.READY || undefined;
  });
}

/** The saved NIC: the VM's, without what its network lease or the VM filled in. */
function savedNic(nic: XmlObject): string {
  const leased = nic.NETWORK !== undefined || nic.NETWORK_ID !== undefined;
  return vector('NIC', nic, leased ? new Set([...FILLED_NIC, ...LEASE_NIC]) : FILLED_NIC);
}

/**
 * `onevm save`, as OpenNebula's CLI does it: the VM (POWEROFF) has each disk from an image saved as a new
 * image `<name>-disk-<DISK_ID>` (made persistent with `persistent` once READY), then a template `name` is made
 * from the VM's source template with the VM's CPU, VCPU, MEMORY and NICs and DISKs naming the new images
 * (CD-ROMs keep their image, volatile disks their empty definition). On a failure the images and template it
 * made are deleted. Returns the new template's id.
 */
export async function saveVm(c: Ctx, id: number, name: string, persistent: boolean): Promise<number> {
  const { obj: vm } = await fetchObject(c, 'VM', 'one.vm.info', id);
  const templateId = str(vm, 'TEMPLATE/TEMPLATE_ID');
  if (templateId === undefined) throw new CliError(`VM ${id} has no associated template (TEMPLATE_ID): it was not instantiated from one`);
  if (Number(str(vm, 'STATE')) !== VmState.POWEROFF) throw new CliError(`VM ${id} must be POWEROFF to be saved: onevm poweroff ${id} first`);
  const saved: number[] = [];
  try {
    const disks: string[] = [];
    for (const disk of items(vm, 'TEMPLATE/DISK')) {
      const imageId = str(disk, 'IMAGE_ID');
      if (imageId === undefined) {
        disks.push(vector('DISK', disk, FILLED_VOLATILE));
      } else if (str(disk, 'TYPE')?.toUpperCase() === 'CDROM') {
        disks.push(`DISK=[ IMAGE_ID=${quote(imageId)} ]`);
      } else {
        await untilPoweroff(c, id);
        const image = Number(await c.call('one.vm.disksaveas', id, Number(str(disk, 'DISK_ID')), `${name}-disk-${str(disk, 'DISK_ID')}`, '', -1));
        saved.push(image);
        disks.push(vector('DISK', disk, FILLED_DISK, { IMAGE_ID: String(image) }));
      }
    }
    for (const image of saved) {
      await untilReady(c, image);
      if (persistent) await c.call('one.image.persistent', image, true);
    }
    const { obj: source } = await fetchObject(c, 'VMTEMPLATE', 'one.template.info', Number(templateId));
    const kept = Object.fromEntries(Object.entries((at(source, 'TEMPLATE') ?? {}) as XmlObject)
      .filter(([k]) => !['NAME', 'CPU', 'VCPU', 'MEMORY', 'DISK', 'NIC'].includes(k)));
    const capacity = ['CPU', 'VCPU', 'MEMORY'].flatMap((k) => (str(vm, `TEMPLATE/${k}`) ? [`${k}=${quote(str(vm, `TEMPLATE/${k}`)!)}`] : []));
    const text = [
      `NAME=${quote(name)}`, templateText(kept), ...capacity, ...disks, ...items(vm, 'TEMPLATE/NIC').map(savedNic),
      `SAVED_TEMPLATE_ID=${quote(templateId)}`,
    ].filter(Boolean).join('\n');
    return Number(await c.call('one.template.allocate', text));
  } catch (e) {
    // What this save made goes, as OpenNebula's CLI rolls back; an image still being written cannot.
    for (const image of saved) await c.call('one.image.delete', image, false).catch((err: unknown) => { if (!(err instanceof OneApiError)) throw err; });
    throw e;
  }
}
