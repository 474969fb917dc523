/**
 * A run of History as a plan preview: a rollback plans the app at the run's commit against the
 * current context, a revert plans the exact undo of the run in the run's own context. The preview
 * then shows, and applies, like any plan.
 */
import { useCallback } from 'react';
import type { HostApi, RunSummary } from '../../../core/api/contract.js';
import type { PreviewKind } from '../components/HistoryView.js';
import { ORIGIN_TEXT, type PlanInputs } from '../planInputs.js';
import type { PlanSession } from './usePlanSession.js';

export function usePreview(host: HostApi, session: PlanSession, inputs: PlanInputs | null): (kind: PreviewKind, run: RunSummary) => void {
  const { run: runJob } = session;
  return useCallback(
    (kind: PreviewKind, run: RunSummary) => {
      if (!inputs) return;
      const planned: PlanInputs = { ...inputs, revLabel: `${ORIGIN_TEXT[kind]} of ${run.id}` };
      runJob({
        planned,
        running: { ...planned, app: { app: run.app.name }, revLabel: kind === 'rollback' ? run.commit.slice(0, 7) : `the state before ${run.id}`, context: kind === 'rollback' ? inputs.context : run.cluster.context },
        origin: { kind, run },
        request: () => (kind === 'rollback' ? host.planRollback({ runId: run.id, context: inputs.context }) : host.planRevert({ runId: run.id })),
      });
    },
    [host, inputs, runJob],
  );
}
