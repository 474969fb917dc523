/**
 * A run of History opened as the plan it applied: read from the history (never planned again),
 * shown in the plan tab with its diffs, marked applied in that run, and never offered to apply.
 */
import { useCallback } from 'react';
import type { HostApi, RunSummary } from '../../../core/api/contract.js';
import type { PlanInputs } from '../planInputs.js';
import type { PlanSession } from './usePlanSession.js';

export function useRunPlan(host: HostApi, session: PlanSession, repoId: string | null): (run: RunSummary) => void {
  const { run: runJob } = session;
  return useCallback(
    (run: RunSummary) => {
      // What the plan answered, from the run: it is never compared with the pickers (a past plan is never stale).
      const planned: PlanInputs = { repoId: repoId ?? '', rev: run.commit, app: { app: run.app.name }, context: run.cluster.context, namespace: '', prune: false, createNamespace: false, adopt: false, revLabel: `the plan of ${run.id}` };
      runJob({ planned, running: { ...planned, revLabel: run.commit === ':working' ? 'working copy' : run.commit.slice(0, 7) }, origin: { kind: 'run', run }, request: () => host.runPlan({ runId: run.id }) });
    },
    [host, repoId, runJob],
  );
}
