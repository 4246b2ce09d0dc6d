import { ErrorCode, OneError } from '../domain/errors.js';
import type { Requester } from '../domain/permissions.js';
import { newVm } from '../domain/vm-new.js';
import { parseTemplateAny } from '../template/parse.js';
import type { Template } from '../template/types.js';
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
}

/** Creates a VM from a parsed template (one.vm.allocate, one.template.instantiate). */
export async function createVm(core: Core, who: Requester, template: Template, opts: CreateVmOptions): Promise<number> {
  const id = await core.store.tx(async (tx) => {
    const id = await tx.nextId('vm');
    const vm = newVm({ id, template, owner: who, name: opts.name, fallbackPrefix: opts.fallbackPrefix, hold: opts.hold || core.config.submitOnHold, now: core.now() });
    await tx.putVm(await takeVmImages(tx, who, vm));
    return id;
  });
  core.log.info({ vm: id }, 'VM allocated');
  core.onPending();
  return id;
}

/** one.vm.allocate */
export async function allocateVm(core: Core, who: Requester, text: string, hold: boolean): Promise<number> {
  return createVm(core, who, parseUserTemplate(text, ErrorCode.ALLOCATE), { hold });
}
