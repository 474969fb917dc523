/**
 * Whether the Apply button may open the confirmation, and the sentence its tooltip shows. Pure,
 * so the rules and their order are read (and tested) in one place rather than in the workspace.
 */
import type { Plan } from '../../core/api/contract.js';
import { changeCount } from './format.js';

export interface ApplyGateState {
  /** The plan on screen, if any. */
  readonly plan: Plan | undefined;
  /** A plan or preview is being computed. */
  readonly planning: boolean;
  /** The pickers or options changed since the plan was made. */
  readonly stale: boolean;
  /** An apply's progress is on screen. */
  readonly applying: boolean;
  /** This plan was already sent to apply (the engine would refuse it as stale anyway). */
  readonly applied: boolean;
}

export interface ApplyGate {
  readonly canApply: boolean;
  readonly reason: string;
}

const closed = (reason: string): ApplyGate => ({ canApply: false, reason });

const hasErrors = (p: Plan): boolean => p.summary.error > 0 || p.diagnostics.some((d) => d.severity === 'error');

export function applyGate(state: ApplyGateState): ApplyGate {
  const { plan } = state;
  if (!plan) return closed('Plan first');
  if (state.stale) return closed('The choice changed since this plan: plan again');
  if (state.applied) return closed('This plan was applied: plan again to see what is left');
  if (changeCount(plan.summary) === 0) return closed('Nothing to apply');
  if (hasErrors(plan)) return closed('The plan has errors');
  // While planning or applying the button is only held shut: the plan itself is fine, so its title still says what Apply would do.
  return { canApply: !state.planning && !state.applying, reason: `Apply exactly this plan to ${plan.inputs.cluster?.context ?? ''}` };
}
