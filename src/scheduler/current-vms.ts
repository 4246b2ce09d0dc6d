import type { Requirement } from '../template/requirements.js';

/**
 * OpenNebula reads `CURRENT_VMS = 5` as "the host runs VM 5" and `CURRENT_VMS != 5` as "it does not",
 * over all of the host's VMs; the evaluator compares a variable's first value for `=` and `!=`, so the
 * scheduler turns those tests into `@>` (contains) and its negation.
 */
export function currentVmsAsMembership(req: Requirement): Requirement {
  if (req.kind === 'not') return { kind: 'not', operand: currentVmsAsMembership(req.operand) };
  if (req.kind === 'and' || req.kind === 'or') {
    return { kind: req.kind, left: currentVmsAsMembership(req.left), right: currentVmsAsMembership(req.right) };
  }
  if (req.kind === 'true' || req.variable.toUpperCase() !== 'CURRENT_VMS') return req;
  if (req.op === '=') return { ...req, op: '@>' };
  if (req.op === '!=') return { kind: 'not', operand: { ...req, op: '@>' } };
  return req;
}
