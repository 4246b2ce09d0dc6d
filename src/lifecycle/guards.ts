import { currentHistory, previousHistory, type Vm } from '../domain/vm.js';
import { HISTORY_ACTIONS } from './history-actions.js';
import { VmState } from './states.js';
import type { Guard } from './table.js';

const lastAction = (vm: Vm) => HISTORY_ACTIONS[currentHistory(vm)?.action ?? 0];

/** The code of each named guard of the lifecycle table. */
export const GUARDS: Record<Guard, (vm: Vm) => boolean> = {
  afterStop: (vm) => lastAction(vm) === 'stop',
  afterUndeploy: (vm) => lastAction(vm) === 'undeploy' || lastAction(vm) === 'undeploy-hard',
  savedMigration: (vm) => HISTORY_ACTIONS[previousHistory(vm)?.action ?? 0] === 'migrate',
  heldBeforeCloning: (vm) => vm.prevState === VmState.HOLD,
};
