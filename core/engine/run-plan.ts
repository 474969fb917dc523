/**
 * The plan a past run applied, as history recorded it (its noops left out, its summary whole), for
 * a front door to show again: read-only, never applied again (a rollback or revert plans anew).
 */
import type { History } from '../history/history.js';
import { SlipwayError } from '../model/diagnostics.js';
import { PLAN_FORMAT_VERSION, type Plan } from '../plan/types.js';
import { runOf } from './from-run.js';

export function planOfRun(history: History, runId: string): Plan {
  const run = runOf(history, runId);
  const plan = history.planById(run.planId);
  if (!plan) throw new SlipwayError('unknown-plan', `the history (${history.path}) has no plan ${run.planId} of run ${runId}`);
  // Plans of an earlier format stay in the history for rollbacks; this Slipway shows only its own format.
  if ((plan.formatVersion as number) !== PLAN_FORMAT_VERSION) throw new SlipwayError('plan-format-version', `run ${runId} was planned by an earlier Slipway (plan format ${String(plan.formatVersion)}; this one shows format ${PLAN_FORMAT_VERSION})`, { hint: 'its objects are listed with the run' });
  return plan;
}
