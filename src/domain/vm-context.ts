import { getSingle, getVectors } from '../template/access.js';
import type { Template } from '../template/types.js';
import { substituteVariables, type VariableRef } from '../template/variables.js';
import { templateToXml } from '../template/xml.js';
import type { Vm } from './vm.js';

/** What `$VAR` means in a VM's CONTEXT: the VM's identity, or its attributes (USER_INPUTS answers too). */
function resolver(vm: Vm): (ref: VariableRef) => string | undefined {
  const special: Record<string, () => string> = {
    VMID: () => String(vm.id),
    UID: () => String(vm.uid),
    UNAME: () => vm.uname,
    GID: () => String(vm.gid),
    GNAME: () => vm.gname,
    NAME: () => vm.name,
    TEMPLATE: () => Buffer.from(templateToXml(vm.template)).toString('base64'),
  };
  const lookIn = (t: Template, ref: VariableRef): string | undefined => {
    if (ref.sub === undefined) return getSingle(t, ref.name);
    const vectors = getVectors(t, ref.name);
    const match = ref.filter ? vectors.find((v) => v[ref.filter!.key] === ref.filter!.value) : vectors[0];
    return match?.[ref.sub];
  };
  return (ref) => {
    if (ref.sub === undefined && special[ref.name]) return special[ref.name]();
    return lookIn(vm.userTemplate, ref) ?? lookIn(vm.template, ref);
  };
}

/** The VM with `$VAR` references in its CONTEXT replaced, as OpenNebula does when the VM is created. */
export function resolveContext(vm: Vm): Vm {
  if (!vm.template.some((a) => a.name === 'CONTEXT' && typeof a.value !== 'string')) return vm;
  const resolve = resolver(vm);
  const template = vm.template.map((a) =>
    a.name === 'CONTEXT' && typeof a.value !== 'string'
      ? { name: a.name, value: Object.fromEntries(Object.entries(a.value).map(([k, v]) => [k, substituteVariables(v, resolve)])) }
      : a,
  );
  return { ...vm, template };
}
