/**
 * Which app the Live tab watches, on which context: the current choice of the pickers, or the app
 * of a plan just applied ("Open live view" after an apply). Pure: the watch request and a key that
 * is the same exactly when the same live tree is meant (a new key starts a new watch).
 */
import type { CommandRequest, Plan } from '../../core/api/contract.js';
import type { PlanInputs } from './planInputs.js';
import type { AppChoiceSelection } from './selection.js';

export interface LiveTarget {
  readonly repoId: string;
  /** The revision the app is found at (its slipway.yaml, its identity). */
  readonly rev: string;
  readonly app: AppChoiceSelection;
  readonly context: string;
  /** The app's namespace as given to its plan; absent: the app's destination, else the context's. */
  readonly namespace?: string;
}

/** The pickers' choice, once complete. */
export function liveTargetOfInputs(inputs: PlanInputs | null): LiveTarget | null {
  if (!inputs) return null;
  return { repoId: inputs.repoId, rev: inputs.rev, app: inputs.app, context: inputs.context, ...(inputs.namespace !== '' && { namespace: inputs.namespace }) };
}

/** The app a plan applies, as its apply found it: null for a plan without a cluster or from another repository than `repo`. */
export function liveTargetOfPlan(plan: Plan, repo: { readonly id: string; readonly dir: string }): LiveTarget | null {
  const { app, cluster, commit } = plan.inputs;
  if (!cluster || plan.inputs.repo !== repo.dir) return null;
  return {
    repoId: repo.id,
    rev: commit,
    app: app.selectedBy === 'path' ? { path: app.path } : { app: app.name },
    context: cluster.context,
    ...(app.namespace !== undefined && { namespace: app.namespace }),
  };
}

/** The same string exactly when the same live tree is meant. */
export function liveTargetKey(t: LiveTarget | null): string {
  return t === null ? '' : JSON.stringify([t.repoId, t.rev, t.app.app ?? null, t.app.path ?? null, t.context, t.namespace ?? null]);
}

/** The watchLiveTree request for `target` under `streamId`. */
export function watchRequest(t: LiveTarget, streamId: string): CommandRequest<'watchLiveTree'> {
  return {
    streamId,
    repoId: t.repoId,
    rev: t.rev,
    ...(t.app.app !== undefined ? { app: t.app.app } : { path: t.app.path }),
    context: t.context,
    ...(t.namespace !== undefined && { namespace: t.namespace }),
  };
}

/** "web", or the folder ("apps/web"; "(the repository root)"). */
export function targetName(t: LiveTarget): string {
  return t.app.app ?? (t.app.path || '(the repository root)');
}
