import { ErrorCode, OneError } from '../domain/errors.js';
import type { Requester } from '../domain/permissions.js';
import { resolveContext } from '../domain/vm-context.js';
import { newVm } from '../domain/vm-new.js';
import { parseTemplateAny } from '../template/parse.js';
import type { Template } from '../template/types.js';
import type { Tx } from '../store/store.js';
import type { Core } from './core.js';
import { takeVmImages } from './vm-images.js';

/** Parses a template given to the API (native or XML form); a syntax error is the caller's to fix. */
export function parseUserTemplate(text: string, code: ErrorCode = ErrorCode.XML_RPC_API): Template {
  try {
    return parseTemplateAny(text);
  } catch (e) {
    throw new OneError(code, `Parse error: ${(e as Error).message}`);
  }
}

export interface CreateVmOptions {
  name?: string;
  fallbackPrefix?: string;
  hold: boolean;
  /** Its disks may be clones still being copied: it then waits in CLONING (instantiate to persistent). */
  cloning?: boolean;
}

/** Inside `tx`: a new VM from a parsed template, with its images taken; returns its id. */
export async function insertVm(core: Core, tx: Tx, who: Requester, template: Template, opts: CreateVmOptions): Promise<number> {
  const id = await tx.nextId('vm');
  const vm = newVm({ id, template, owner: who, name: opts.name, fallbackPrefix: opts.fallbackPrefix, hold: opts.hold || core.config.submitOnHold, now: core.now() });
  // CONTEXT is resolved once the disks are filled in, so $DISK[...] sees what the images gave them
  await tx.putVm(resolveContext(await takeVmImages(tx, who, vm, opts.cloning)));
  return id;
}

/** Creates a VM from a parsed template (one.vm.allocate, one.template.instantiate). */
export async function createVm(core: Core, who: Requester, template: Template, opts: CreateVmOptions): Promise<number> {
  const id = await core.store.tx((tx) => insertVm(core, tx, who, template, opts));
  core.log.info({ vm: id }, 'VM allocated');
  core.onPending();
  return id;
}

/** one.vm.allocate */
export async function allocateVm(core: Core, who: Requester, text: string, hold: boolean): Promise<number> {
  return createVm(core, who, parseUserTemplate(text, ErrorCode.ALLOCATE), { hold });
}
