/**
 * The engine's review of the rights an apply of the plan on screen needs (canApply), asked once
 * per plan that could be applied: Apply waits for it and names what is missing (applyGate.ts).
 */
import { useEffect, useState } from 'react';
import type { CanApplyResult, HostApi } from '../../../core/api/contract.js';
import { changeCount } from '../format.js';
import type { Loadable } from '../loadable.js';
import { errorCount } from '../planErrors.js';
import type { ShownPlan } from './usePlanSession.js';

/** The plan's id when asking makes sense: a plan of this engine with changes, no errors, not applied yet. */
function askable(shown: ShownPlan | null): string | null {
  if (!shown || shown.origin?.kind === 'run' || shown.appliedIn !== undefined) return null;
  return errorCount(shown.plan) === 0 && changeCount(shown.plan.summary) > 0 ? shown.plan.id : null;
}

export function useApplyAccess(host: HostApi, shown: ShownPlan | null): Loadable<CanApplyResult> {
  const planId = askable(shown);
  const [answer, setAnswer] = useState<{ readonly planId: string; readonly access: Loadable<CanApplyResult> } | null>(null);
  useEffect(() => {
    if (!planId) return;
    let live = true;
    host.canApply({ planId }).then(
      (value) => live && setAnswer({ planId, access: { status: 'ready', value } }),
      (error: unknown) => live && setAnswer({ planId, access: { status: 'failed', error } }),
    );
    return () => {
      live = false;
    };
  }, [host, planId]);
  if (!planId) return { status: 'idle' };
  return answer?.planId === planId ? answer.access : { status: 'loading' };
}
