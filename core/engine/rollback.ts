/**
 * A rollback goes back to a run as it was: the app chosen the same way, at the run's commit, in
 * the run's namespace, with the prune and createNamespace it had — not what today's kubeconfig
 * or defaults would give. The CLI and the UI both plan a rollback from this.
 */
import type { RunRecord } from '../history/types.js';
import type { Plan } from '../plan/types.js';
import type { AppOverrides } from '../source/apps.js';
import { selectionOf, type AppSelection } from '../source/load.js';

export interface RollbackRequest {
  readonly rev: string;
  readonly selection: AppSelection;
  readonly overrides: AppOverrides;
}

/** `earlier` is the run's plan from history (absent when history lost it: then the app is found by name with today's defaults). */
export function rollbackRequest(run: Pick<RunRecord, 'commit' | 'app'>, earlier: Plan | undefined): RollbackRequest {
  const app = earlier?.inputs.app;
  return {
    rev: run.commit,
    selection: selectionOf({ ...run.app, ...(app?.selectedBy && { selectedBy: app.selectedBy }) }),
    overrides: { ...(app?.namespace !== undefined && { namespace: app.namespace }), ...(app?.prune && { prune: true }), ...(app?.createNamespace && { createNamespace: true }) },
  };
}
