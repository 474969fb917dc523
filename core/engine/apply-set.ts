/**
 * What applying an app of apps does (`slipway apply --app <parent>`), the same rule for every
 * front door: the parent's plan, then each child app's plan, parents before their children, each
 * applied as its own run (its own ApplySet and history entry), stopping at the first run that does
 * not succeed. Nothing is applied when any plan of the set has errors or a child could not be
 * planned. Plans without changes are skipped. On a cluster that runs Argo CD the parent's
 * Application objects are applied and Argo CD syncs the children: Slipway applies the parent only.
 */
import { SlipwayError, hasErrors } from '../model/diagnostics.js';
import { argoCdSyncsChildren, childPlansInOrder, type PlanSet } from '../plan/plan-set.js';
import type { Plan } from '../plan/types.js';

export interface SetToApply {
  /** In order; only plans with changes. */
  readonly plans: readonly Plan[];
  /** What the reader must know (Argo CD syncs the children). */
  readonly notes: readonly string[];
}

const hasChanges = (p: Plan): boolean => p.summary.create + p.summary.update + p.summary.delete + p.summary.replace > 0;
const hasPlanErrors = (p: Plan): boolean => p.summary.error > 0 || hasErrors(p.diagnostics);

/** The plans to apply, in order; throws (naming the app) when the set cannot be applied. */
export function plansToApply(set: PlanSet): SetToApply {
  const children = childPlansInOrder(set);
  if (hasPlanErrors(set.plan)) throw new SlipwayError('plan-has-errors', `the plan of ${set.plan.inputs.app.name} has errors: nothing was applied`);
  const argo = argoCdSyncsChildren(set);
  if (argo) {
    const notes = children.length > 0 ? [`This cluster runs Argo CD: it syncs the child apps (${children.map((c) => c.app).join(', ')}) from the Application objects of ${set.plan.inputs.app.name}; Slipway applies ${set.plan.inputs.app.name} only.`] : [];
    return { plans: hasChanges(set.plan) ? [set.plan] : [], notes };
  }
  for (const c of children) {
    if (!c.plan) throw new SlipwayError('child-plan-failed', `child app ${c.app} of ${c.parent} could not be planned (${c.error?.message ?? 'unknown error'}): nothing was applied`, { hint: `plan it alone to see why: slipway plan --app ${c.app}` });
    if (hasPlanErrors(c.plan)) throw new SlipwayError('plan-has-errors', `the plan of child app ${c.app} (of ${c.parent}) has errors: nothing was applied`, { hint: `its plan above names them; apply the parent alone with --no-children` });
  }
  return { plans: [set.plan, ...children.map((c) => c.plan!)].filter(hasChanges), notes: [] };
}
