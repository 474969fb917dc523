/**
 * The plan on screen and the one being computed. Only the latest request may land: an answer to
 * an earlier one (the user planned again meanwhile) is dropped. usePlanning fills the session from
 * the pickers (usePreview, from History); the plan remembers the inputs it was made from, so a
 * changed choice marks it stale (a rollback preview: another context; planStale.ts).
 */
import { useCallback, useRef, useState } from 'react';
import type { HostApi, Plan } from '../../../core/api/contract.js';
import { preloadDiffView } from '../diffViewLoader.js';
import type { Loadable } from '../loadable.js';
import { planOptionsRequest, type PlanInputs, type PlanOrigin } from '../planInputs.js';
import { staleReason } from '../planStale.js';

/** A Performance API mark set when a plan result reaches the page (bench/ui-bench.ts times the review from it). */
export const PLAN_RECEIVED_MARK = 'slipway:plan-received';

export interface ShownPlan {
  readonly plan: Plan;
  readonly inputs: PlanInputs;
  readonly origin?: PlanOrigin;
  /** The run this very plan was sent to (a plan planned again is a new one, even with the same id). */
  readonly appliedIn?: string;
}

/** One request for a plan: what it answers, what the "Planning…" line names, and how to ask. */
export interface PlanJob {
  readonly planned: PlanInputs;
  readonly running: PlanInputs;
  readonly origin?: PlanOrigin;
  readonly request: () => Promise<Plan>;
  readonly received?: (plan: Plan) => void;
}

export interface PlanSession {
  readonly planRun: Loadable<Plan>;
  readonly planning: boolean;
  readonly plan: ShownPlan | null;
  /** What the latest request was for (the "Planning…" line, a failed folder's name). */
  readonly runningInputs: PlanInputs | null;
  readonly run: (job: PlanJob) => void;
  /** Drop the plan on screen (a preview's Discard, another repository). */
  readonly discard: () => void;
  /** Drop the plan and the last request's outcome. */
  readonly clear: () => void;
  /** The plan on screen, if it is `planId`, was sent to apply as run `runId`. */
  readonly markApplied: (planId: string, runId: string) => void;
}

/** `onStart` runs as each request goes out (the workspace shows its plan tab). */
export function usePlanSession(onStart: () => void): PlanSession {
  const [planRun, setPlanRun] = useState<Loadable<Plan>>({ status: 'idle' });
  const [plan, setPlan] = useState<ShownPlan | null>(null);
  const [runningInputs, setRunningInputs] = useState<PlanInputs | null>(null);
  const generation = useRef(0);

  const run = useCallback(
    (job: PlanJob) => {
      const mine = ++generation.current;
      setPlanRun({ status: 'loading' });
      setRunningInputs(job.running);
      onStart();
      preloadDiffView();
      job.request().then(
        (p) => {
          if (mine !== generation.current) return;
          job.received?.(p);
          setPlan({ plan: p, inputs: job.planned, ...(job.origin && { origin: job.origin }) });
          setPlanRun({ status: 'ready', value: p });
        },
        (error: unknown) => mine === generation.current && setPlanRun({ status: 'failed', error }),
      );
    },
    [onStart],
  );

  const discard = useCallback(() => setPlan(null), []);
  const clear = useCallback(() => {
    setPlan(null);
    setPlanRun({ status: 'idle' });
  }, []);

  const markApplied = useCallback((planId: string, runId: string) => setPlan((p) => (p && p.plan.id === planId ? { ...p, appliedIn: runId } : p)), []);

  return { planRun, planning: planRun.status === 'loading', plan, runningInputs, run, discard, clear, markApplied };
}

export interface Planning {
  /** Plan the current choice. */
  readonly runPlan: () => void;
  /** Plan it again, taking over the app's ApplySet from the app that recorded it (the plan's diagnostics offer it). */
  readonly runPlanAdopting: () => void;
  /** The plan on screen answers another choice than the current one. */
  readonly stale: boolean;
  /** Why, in words for its banner (null when not stale). */
  readonly staleReason: string | null;
}

/** Plans of the current choice (`inputs`, null while incomplete) into the session. */
export function usePlanning(host: HostApi, session: PlanSession, inputs: PlanInputs | null): Planning {
  const { run, plan, planning } = session;
  const runPlanWith = useCallback(
    (how: { adopt: boolean }) => {
      if (!inputs) return;
      const planned: PlanInputs = { ...inputs, adopt: how.adopt };
      run({
        planned,
        running: planned,
        // The commits behind each change come with the plan: ~60 ms for a typical review, ~5 ms for a re-plan of the same commit (bench/why-bench.ts).
        request: () => host.plan({ repoId: planned.repoId, rev: planned.rev, context: planned.context, ...planned.app, ...planOptionsRequest(planned), why: true }),
        received: (p) => performance.mark(PLAN_RECEIVED_MARK, { detail: { changes: p.changes.length } }),
      });
    },
    [host, inputs, run],
  );
  const runPlan = useCallback(() => runPlanWith({ adopt: false }), [runPlanWith]);
  const runPlanAdopting = useCallback(() => runPlanWith({ adopt: true }), [runPlanWith]);
  const reason = plan !== null && !planning ? staleReason(plan, inputs) : null;
  return { runPlan, runPlanAdopting, stale: reason !== null, staleReason: reason };
}
