/**
 * The plans this engine made, by id, for the life of the engine: `apply` takes a plan id and
 * applies the engine's own copy, never a plan sent back by a front door; the commands about a plan
 * (its child apps, its objects' health, export, can-apply) read it here too. The newest are kept;
 * an older one must be planned again, and the error says so.
 */
import { SlipwayError } from '../model/diagnostics.js';
import type { Plan } from '../plan/types.js';
import type { OpenRepo } from './repositories.js';

/** Plans kept for apply, newest last; older ones must be planned again. */
const KEPT_PLANS = 50;

/** A plan this engine made, with what applying it needs. */
export interface KeptPlan {
  readonly plan: Plan;
  readonly repo: OpenRepo;
  readonly kubeconfig?: string;
  /** Planned with the commits behind each change (PlanRequest.why): its child apps are too. */
  readonly why?: true;
}

/** What a command needs of the plan it names: one with a cluster, or one of an app at a revision (not a rollback or revert) with a cluster. */
export type PlanNeed = 'cluster' | 'app-at-revision';
const NEEDS: Record<PlanNeed, string> = { cluster: 'with a cluster', 'app-at-revision': 'of an app at a revision' };

export class KeptPlans {
  private readonly plans = new Map<string, KeptPlan>();

  /** Keeps a plan as the newest (again, if it was kept), forgetting the oldest beyond the limit. */
  keep(entry: KeptPlan): Plan {
    this.plans.delete(entry.plan.id);
    this.plans.set(entry.plan.id, entry);
    while (this.plans.size > KEPT_PLANS) this.plans.delete(this.plans.keys().next().value!);
    return entry.plan;
  }

  /** The kept plan `planId`; else `unknown-plan`, whose hint says what to do (`todo`). */
  get(planId: string, todo = 'plan again'): KeptPlan {
    return this.plans.get(planId) ?? unknownPlan(planId, undefined, todo);
  }

  /** The kept plan `planId` and the context it was planned on, when it is what the command needs. */
  onCluster(planId: string, need: PlanNeed, todo = 'plan again'): { kept: KeptPlan; context: string } {
    const kept = this.plans.get(planId);
    const context = kept?.plan.inputs.cluster?.context;
    if (!kept || !context || (need === 'app-at-revision' && kept.plan.inputs.mode.kind !== 'normal')) return unknownPlan(planId, need, todo);
    return { kept, context };
  }
}

function unknownPlan(planId: string, need: PlanNeed | undefined, todo: string): never {
  throw new SlipwayError('unknown-plan', `this engine has no plan ${planId}${need ? ` ${NEEDS[need]}` : ''}`, { hint: `plans are kept while the engine runs: ${todo}` });
}
