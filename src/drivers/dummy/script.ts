import type { Host } from '../../domain/host.js';
import { DriverError, TM_ACTIONS, VMM_ACTIONS } from '../types.js';
import { getVector } from '../../template/access.js';

/** Waits `ms` milliseconds; injected so that tests do not wait. */
export type Sleep = (ms: number) => Promise<void>;

/** The real wait. */
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** What a host does when asked for one action, as scripted in its DUMMY_ACTIONS. */
export type ActionScript =
  | { outcome: 'success'; delaySeconds: number }
  | { outcome: 'failure'; delaySeconds: number; message: string }
  | { outcome: 'never' };

/** Every DUMMY_ACTIONS key a host may script: the driver actions, upper-cased. */
export const SCRIPTABLE_ACTIONS: readonly string[] = [...VMM_ACTIONS, ...TM_ACTIONS, 'monitor'].map((a) =>
  a.toUpperCase(),
);

const USAGE = 'write "success [DELAY_SECONDS]", "failure [DELAY_SECONDS] [MESSAGE...]" or "never"';
const SECONDS = /^\d+(\.\d+)?$/;

const PARSERS: Record<string, (args: string[]) => ActionScript> = {
  success: (args) => {
    if (args.length > 1) throw new Error(`"success" takes only a delay, not "${args.slice(1).join(' ')}"`);
    return { outcome: 'success', delaySeconds: delayOf(args[0]) };
  },
  failure: (args) => {
    const hasDelay = args.length > 0 && SECONDS.test(args[0]);
    return {
      outcome: 'failure',
      delaySeconds: hasDelay ? Number(args[0]) : 0,
      message: args.slice(hasDelay ? 1 : 0).join(' '),
    };
  },
  never: (args) => {
    if (args.length > 0) throw new Error(`"never" takes nothing after it, not "${args.join(' ')}"`);
    return { outcome: 'never' };
  },
  // OpenNebula's own dummy driver spells "never" as "-".
  '-': (args) => PARSERS.never(args),
};

function delayOf(token: string | undefined): number {
  if (token === undefined) return 0;
  if (!SECONDS.test(token)) throw new Error(`"${token}" is not a delay in seconds`);
  return Number(token);
}

/** Parses one DUMMY_ACTIONS value; throws an Error that says what is wrong with it. */
export function parseActionScript(spec: string): ActionScript {
  const [keyword = '', ...args] = spec.trim().split(/\s+/);
  const parse = PARSERS[keyword.toLowerCase()];
  if (!parse) throw new Error(keyword ? `"${keyword}" is not an outcome` : 'it is empty');
  return parse(args);
}

/** The script of `action` (upper case) on `host`, or undefined when unscripted; throws DriverError when malformed. */
export function scriptFor(host: Host, action: string): ActionScript | undefined {
  const scripts = getVector(host.template, 'DUMMY_ACTIONS');
  if (!scripts) return undefined;
  let spec: string | undefined;
  for (const [key, value] of Object.entries(scripts)) {
    const upper = key.toUpperCase();
    // A misspelt key would silently do nothing; say so on every action until it is fixed.
    if (!SCRIPTABLE_ACTIONS.includes(upper)) {
      throw new DriverError(
        `DUMMY_ACTIONS of host ${host.name} scripts an unknown action ${key}; ` +
          `use one of ${SCRIPTABLE_ACTIONS.join(', ')}`,
      );
    }
    if (upper === action) spec = value;
  }
  if (spec === undefined) return undefined;
  try {
    return parseActionScript(spec);
  } catch (e) {
    throw new DriverError(
      `DUMMY_ACTIONS/${action} = "${spec}" of host ${host.name} is malformed: ${(e as Error).message}; ${USAGE}`,
    );
  }
}

/**
 * Plays `host`'s script for `action` (upper case): resolves after the scripted delay on success or when
 * unscripted, rejects with a DriverError on a scripted failure or a malformed script, never settles on "never".
 */
export async function playScript(host: Host, action: string, sleep: Sleep): Promise<void> {
  const script = scriptFor(host, action);
  if (!script) return;
  if (script.outcome === 'never') return new Promise<never>(() => {});
  if (script.delaySeconds > 0) await sleep(script.delaySeconds * 1000);
  if (script.outcome === 'failure') {
    throw new DriverError(script.message || `${action} failed on host ${host.name}, as its DUMMY_ACTIONS scripts`);
  }
}
