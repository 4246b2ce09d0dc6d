import { getVector, setVector } from '../template/access.js';
import type { Vm } from './vm.js';

/** The first VNC port, as OpenNebula's VNC_PORTS START: a VM's display is 5900 + its id when that is free. */
export const VNC_BASE_PORT = 5900;
const LAST_PORT = 65535;

/** The VNC port a VM's GRAPHICS asks for, if it has a VNC display with one. */
function portOf(vm: Vm): number | undefined {
  const g = getVector(vm.template, 'GRAPHICS');
  return g?.TYPE?.toUpperCase() === 'VNC' && g.PORT ? Number(g.PORT) : undefined;
}

/**
 * `vm` with GRAPHICS/PORT set for a host where `neighbours` run: a PORT already given is kept; otherwise
 * 5900 + VM id, or the next port no neighbour uses. Unchanged when the VM has no VNC display.
 */
export function withVncPort(vm: Vm, neighbours: Vm[]): Vm {
  const g = getVector(vm.template, 'GRAPHICS');
  if (!g || g.TYPE?.toUpperCase() !== 'VNC' || g.PORT) return vm;
  const taken = new Set(neighbours.filter((n) => n.id !== vm.id).map(portOf));
  let port = VNC_BASE_PORT + vm.id;
  while (taken.has(port) && port < LAST_PORT) port++;
  return { ...vm, template: setVector(vm.template, 'GRAPHICS', { ...g, PORT: String(port) }) };
}
