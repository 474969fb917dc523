/**
 * The words of an apply run, defined once: what a run does, how it ends, and what happened to each
 * object. History stores them, the executor reports them, the contract validates them with zod
 * enums built from these lists.
 */

/** What a run does: apply a plan, roll back to an earlier run's revision, or revert one run. */
export const RUN_KINDS = ['apply', 'rollback', 'revert'] as const;
export type RunKind = (typeof RUN_KINDS)[number];

/** The statuses a run's own process finishes it with (`interrupted` is decided by history itself). refused: the plan was stale or another apply held the lease; nothing was applied. */
export const FINISH_STATUSES = ['succeeded', 'failed', 'cancelled', 'refused'] as const;
export type FinishStatus = (typeof FINISH_STATUSES)[number];

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
 */
export const OBJECT_OUTCOMES = ['applied', 'deleted', 'unchanged', 'failed', 'skipped', 'healthy', 'unhealthy', 'timeout', 'unknown'] as const;
export type ObjectOutcome = (typeof OBJECT_OUTCOMES)[number];

/** Where one object is while a run goes, as progress events report it (`unknown`: a write was sent and no answer came). */
export const OBJECT_STATES = ['applying', 'applied', 'deleting', 'deleted', 'waiting', 'healthy', 'failed', 'skipped', 'unknown'] as const;
export type ObjectState = (typeof OBJECT_STATES)[number];
