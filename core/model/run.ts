/**
 * The words of an apply run, defined once: what a run does, how it ends, and what happened to each
 * object. History stores them, the executor reports them, the contract validates them with zod
 * enums built from these lists.
 */

/** What a run does: apply a plan, roll back to an earlier run's revision, or revert one run. */
export const RUN_KINDS = ['apply', 'rollback', 'revert'] as const;
export type RunKind = (typeof RUN_KINDS)[number];

/**
 * The statuses a run's own process finishes it with (`interrupted` is decided by history itself).
 * - refused: the plan was stale or another apply held the lease; nothing was applied.
 * - progressing: every object was applied and nothing failed, but some ended `progressing`: they
 *   wait for something outside the app (a load balancer's address from a controller the cluster may
 *   not have). Argo CD's "sync succeeded, health Progressing"; the apply itself succeeded.
 */
export const FINISH_STATUSES = ['succeeded', 'progressing', 'failed', 'cancelled', 'refused'] as const;
export type FinishStatus = (typeof FINISH_STATUSES)[number];

/** Runs that applied every object of their plan: what a later rollback, revert or re-plan may build on. */
export const APPLIED_STATUSES: readonly FinishStatus[] = ['succeeded', 'progressing'];

/** Whether a run with this status applied every object of its plan (`succeeded` or `progressing`). */
export function appliedEverything(status: string): boolean {
  return (APPLIED_STATUSES as readonly string[]).includes(status);
}

/**
 * - running: started and not finished (yet).
 * - interrupted: its process ended (crash, kill, power loss) or closed the history before finishing it.
 */
export const RUN_STATUSES = ['running', ...FINISH_STATUSES, 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/**
 * What happened to one object: the apply/delete step, then (optionally) the health wait.
 * `applied`: the server accepted the write; when the step failed, its health was not (or could not be) checked.
 * `unknown`: the write was sent and no answer came (the API server died, or the request timed out), so it may or may not have been made.
 * `progressing`: applied, and still progressing when its wait gave up because what it waits for is
 * outside the app (health/assess.ts OUTSIDE_WAITS); not a failure: its step and run go on.
 */
export const OBJECT_OUTCOMES = ['applied', 'deleted', 'unchanged', 'failed', 'skipped', 'healthy', 'unhealthy', 'timeout', 'unknown', 'progressing'] as const;
export type ObjectOutcome = (typeof OBJECT_OUTCOMES)[number];

/** Where one object is while a run goes, as progress events report it (`unknown`: a write was sent and no answer came). */
export const OBJECT_STATES = ['applying', 'applied', 'deleting', 'deleted', 'waiting', 'healthy', 'progressing', 'failed', 'skipped', 'unknown'] as const;
export type ObjectState = (typeof OBJECT_STATES)[number];
