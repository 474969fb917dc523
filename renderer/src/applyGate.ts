/**
 * Whether the Apply button may open the confirmation, and the sentence its tooltip shows. Pure,
 * so the rules and their order are read (and tested) in one place rather than in the workspace.
 * Apply is offered only for a plan that can succeed: no errors, not applied already, and rights
 * for every write it makes (the plan's refused dry-runs, and the engine's access review).
 */
import type { CanApplyResult, Plan } from '../../core/api/contract.js';
import { changeCount } from './format.js';
import type { Loadable } from './loadable.js';
import { errorCount, errorsText } from './planErrors.js';

/** The run a plan was sent to: this session's apply of it, or the run a past plan belongs to. */
export interface AppliedRun {
  readonly runId: string;
  /** "running" until it ends, then its status ("succeeded", "failed", …). */
  readonly status: string;
}

export interface ApplyGateState {
  /** The plan on screen, if any. */
  readonly plan: Plan | undefined;
  /** A plan or preview is being computed. */
  readonly planning: boolean;
  /** The pickers or options changed since the plan was made. */
  readonly stale: boolean;
  /** An apply's progress is on screen. */
  readonly applying: boolean;
  /** The run this plan was already sent to, or null (the engine would refuse it as stale anyway). */
  readonly applied: AppliedRun | null;
  /** The engine's review of the writes the apply makes (canApply); idle when not asked, failed when it could not tell. */
  readonly access: Loadable<CanApplyResult>;
}

export interface ApplyGate {
  readonly canApply: boolean;
  readonly reason: string;
}

const closed = (reason: string): ApplyGate => ({ canApply: false, reason });

/** Refusals named in the tooltip before "and N more". */
const NAMED = 2;

/** "may not patch deployments.apps in namespace shop". */
const refusal = (m: CanApplyResult['missing'][number]): string => `${m.verb} ${m.resource}${m.namespace ? ` in namespace ${m.namespace}` : ' at cluster scope'}`;

function missingRights(access: CanApplyResult): string {
  const named = access.missing.slice(0, NAMED).map(refusal).join(', ');
  const more = access.missing.length > NAMED ? ` and ${access.missing.length - NAMED} more` : '';
  return `Not permitted: ${access.user} may not ${named}${more}, so the apply would fail`;
}

export function applyGate(state: ApplyGateState): ApplyGate {
  const { plan, access } = state;
  if (!plan) return closed('Plan first');
  if (state.stale) return closed('The choice changed since this plan: plan again');
  if (state.applied) return closed(`Applied in run ${state.applied.runId} (${state.applied.status}): plan again to see what is left`);
  const errors = errorCount(plan);
  if (errors > 0) return closed(`This plan cannot be applied: ${errorsText(errors)}`);
  if (changeCount(plan.summary) === 0) return closed('Nothing to apply');
  if (access.status === 'ready' && access.value.missing.length > 0) return closed(missingRights(access.value));
  const refused = plan.changes.filter((c) => c.action !== 'noop' && c.flags.includes('approximate')).length;
  if (refused > 0) return closed(`Not permitted: the cluster refused to dry-run ${refused} change${refused === 1 ? '' : 's'} (no permission), so the apply would fail`);
  if (access.status === 'loading') return closed(`Checking your permissions in ${plan.inputs.cluster?.context ?? 'the cluster'}…`);
  // While planning or applying the button is only held shut: the plan itself is fine, so its title still says what Apply would do.
  return { canApply: !state.planning && !state.applying, reason: `Apply exactly this plan to ${plan.inputs.cluster?.context ?? ''}` };
}
