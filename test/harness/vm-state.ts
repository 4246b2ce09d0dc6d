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

/** The DISK vectors inside the `<TEMPLATE>` of a VM document, as attribute maps (CDATA or plain values). */
export function disksOf(xml: string): Record<string, string>[] {
  const template = xml.slice(xml.indexOf('<TEMPLATE>'), xml.indexOf('</TEMPLATE>'));
  return [...template.matchAll(/<DISK>([\s\S]*?)<\/DISK>/g)].map(([, body]) =>
    Object.fromEntries([...body!.matchAll(/<(\w+)>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))<\/\1>/g)].map(([, k, cdata, text]) => [k!, cdata ?? text!])));
}

/** Waits until image `id` is in STATE `state` (1 = READY); its document. */
export function untilImageState(d: TestDaemon, id: number, state: string, ms = 30_000): Promise<string> {
  return eventually(async () => {
    const xml = String(await d.ok('one.image.info', id));
    return xmlText(xml, 'STATE') === state ? xml : undefined;
  }, ms, `image ${id} in state ${state}`);
}

/** A new image in datastore `ds`, once its file is in place (READY). */
export async function readyImage(d: TestDaemon, template: string, ds: number): Promise<number> {
  const id = Number(await d.ok('one.image.allocate', template, ds, false));
  await untilImageState(d, id, '1');
  return id;
}
