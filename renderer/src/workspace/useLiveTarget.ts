/**
 * What the Live tab watches: the pickers' app and context, or — after "Open live view" in an
 * apply's view — the app that apply applied, as its plan found it (a rollback opened from History
 * may be of another app than the pickers show). The applied app stays the target until the pickers'
 * choice changes.
 */
import { useCallback, useState } from 'react';
import type { OpenedRepository, Plan } from '../../../core/api/contract.js';
import { liveTargetKey, liveTargetOfInputs, liveTargetOfPlan, type LiveTarget } from '../liveTarget.js';
import type { PlanInputs } from '../planInputs.js';

export interface LiveTargetChoice {
  readonly target: LiveTarget | null;
  /** Watch the app `plan` applied (falls back to the pickers' choice for a plan of another repository). */
  readonly showApplied: (plan: Plan) => void;
}

export function useLiveTarget(inputs: PlanInputs | null, repo: OpenedRepository | null): LiveTargetChoice {
  const chosen = liveTargetOfInputs(inputs);
  const chosenKey = liveTargetKey(chosen);
  const [applied, setApplied] = useState<{ readonly target: LiveTarget; readonly whileChosen: string } | null>(null);
  const showApplied = useCallback(
    (plan: Plan) => {
      const target = repo ? liveTargetOfPlan(plan, repo) : null;
      setApplied(target ? { target, whileChosen: chosenKey } : null);
    },
    [repo, chosenKey],
  );
  return { target: applied && applied.whileChosen === chosenKey ? applied.target : chosen, showApplied };
}
