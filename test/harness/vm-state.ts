import { stateName, type StateName } from '../../src/lifecycle/states.js';
import type { TestDaemon } from './daemon.js';
import { eventually } from './daemon.js';

/** Reads a VM's table state name through one.vm.info. */
export async function vmState(d: TestDaemon, id: number): Promise<StateName> {
  const xml = String(await d.ok('one.vm.info', id));
  const state = Number(/<STATE>(\d+)<\/STATE>/.exec(xml)![1]);
  const lcm = Number(/<LCM_STATE>(\d+)<\/LCM_STATE>/.exec(xml)![1]);
  return stateName(state, lcm);
}

/** Waits until the VM is in `want`. */
export function untilState(d: TestDaemon, id: number, want: StateName, ms = 10_000): Promise<StateName> {
  return eventually(async () => ((await vmState(d, id)) === want ? want : undefined), ms, `VM ${id} in ${want}`);
}

/** One element's text in a document (first match). */
export function xmlText(xml: string, tag: string): string | undefined {
  return new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1];
}
