import { TM_ACTIONS, type TmDriver, type VmContext } from '../types.js';
import { playScript, realSleep, type Sleep } from './script.js';

export interface DummyTmOptions {
  sleep?: Sleep;
}

/** The dummy TM driver: like OpenNebula's, it moves no files; each action only plays the host's DUMMY_ACTIONS script. */
export function createDummyTm(opts: DummyTmOptions = {}): TmDriver {
  const sleep = opts.sleep ?? realSleep;
  const entries = TM_ACTIONS.map((action) => [
    action,
    async (ctx: VmContext) => {
      await playScript(ctx.host, action.toUpperCase(), sleep);
      return '';
    },
  ]);
  return Object.fromEntries(entries) as TmDriver;
}
