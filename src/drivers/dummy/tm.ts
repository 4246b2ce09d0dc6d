import { TM_ACTIONS, type TmAction, type TmDriver, type VmContext } from '../types.js';
import { copySourceImage } from './saveas.js';
import { playScript, realSleep, type Sleep } from './script.js';

export interface DummyTmOptions {
  sleep?: Sleep;
}

/** What an action does after its script: only cpds writes a file, the image a disk is saved as. */
const EFFECTS: Partial<Record<TmAction, (ctx: VmContext) => Promise<void>>> = {
  cpds: (ctx) => copySourceImage(ctx.vm),
};

/**
 * The dummy TM driver: like OpenNebula's, it moves no VM files; each action plays the host's DUMMY_ACTIONS
 * script, and cpds gives the saved image a file (saveas.ts).
 */
export function createDummyTm(opts: DummyTmOptions = {}): TmDriver {
  const sleep = opts.sleep ?? realSleep;
  const entries = TM_ACTIONS.map((action) => [
    action,
    async (ctx: VmContext) => {
      await playScript(ctx.host, action.toUpperCase(), sleep);
      await EFFECTS[action]?.(ctx);
      return '';
    },
  ]);
  return Object.fromEntries(entries) as TmDriver;
}
