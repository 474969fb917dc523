/**
 * The local history's vocabulary: apply runs, their per-object results, and paged queries.
 * Every value here is plain JSON-serializable data, so front doors can send it as it is.
 */
import type { SyncPhase } from '../model/hooks.js';
import type { ResourceKey } from '../model/resource.js';
import type { Action, ClusterIdentity, PlanSummary } from '../plan/types.js';

export { FINISH_STATUSES, OBJECT_OUTCOMES, RUN_KINDS, RUN_STATUSES } from '../model/run.js';
export type { FinishStatus, ObjectOutcome, RunKind, RunStatus } from '../model/run.js';
import type { ObjectOutcome, RunKind, RunStatus } from '../model/run.js';

/** Who ran it: the Kubernetes identity (user or service account as the kubeconfig names it) and, if known, the Git author. */
export interface RunUser {
  readonly kube: string;
  readonly gitAuthor?: string;
}

/** One object's result as the executor reports it, the moment the object finishes. */
export interface ObjectResultInput {
  readonly key: ResourceKey;
  readonly action: Action;
  readonly outcome: ObjectOutcome;
  readonly message?: string;
  /** Sync wave the object was applied in. */
  readonly wave?: number;
  /** ISO 8601. */
  readonly startedAt?: string;
  /** ISO 8601; defaults to the time the result is recorded. */
  readonly finishedAt?: string;
  /** The live object before the step (plain JSON). Secret values are masked before it is hashed and stored. */
  readonly before?: unknown;
  /** The object the server returned after the step (plain JSON). Masked like `before`. */
  readonly after?: unknown;
  /** sha256 of the manifest that was sent (Change.desiredHash); with `resultResourceVersion`, what lets a re-plan skip the object's dry-run. */
  readonly desiredHash?: string;
  /** The object's resourceVersion once applied (and healthy): what `after` was read at. */
  readonly resultResourceVersion?: string;
  /** A hook: the phase it ran in. Hooks are no part of the app: revert and the re-plan cache leave them out. */
  readonly hook?: SyncPhase;
}

/** A stored object result. Snapshots are referenced by content hash; read them with `snapshot(hash)`. */
export interface ObjectResultRecord {
  readonly key: ResourceKey;
  readonly action: Action;
  readonly outcome: ObjectOutcome;
  readonly message?: string;
  readonly wave?: number;
  readonly startedAt?: string;
  readonly finishedAt: string;
  readonly beforeHash?: string;
  readonly afterHash?: string;
  readonly desiredHash?: string;
  readonly resultResourceVersion?: string;
  readonly hook?: SyncPhase;
}

export interface RunRecord {
  readonly id: string;
  readonly kind: RunKind;
  /** For rollback/revert: the run whose revision is restored (rollback) or whose changes are undone (revert). */
  readonly rollbackOf?: string;
  readonly status: RunStatus;
  readonly planId: string;
  /** The plan's summary counts. */
  readonly summary: PlanSummary;
  readonly repo: string;
  readonly app: { readonly name: string; readonly path: string };
  /** Commit oid, or ":working". */
  readonly commit: string;
  /** The cluster as identified when the run started. */
  readonly cluster: ClusterIdentity;
  readonly user: RunUser;
  readonly startedAt: string;
  /** When it finished; for interrupted runs, when the interruption was noticed. */
  readonly finishedAt?: string;
  readonly error?: string;
}

export interface RunDetail extends RunRecord {
  /** In the order they were recorded. */
  readonly objects: readonly ObjectResultRecord[];
}

/** One entry of an object's history: which run touched it, and what happened. */
export interface ResourceHistoryEntry {
  readonly run: Pick<RunRecord, 'id' | 'kind' | 'status' | 'repo' | 'app' | 'commit' | 'cluster' | 'user' | 'startedAt'>;
  readonly result: ObjectResultRecord;
}

/**
 * One object of an app on a cluster as the last run that applied it (and applied everything) left
 * it: what drift (core/watch/drift.ts) compares the live object with.
 */
export interface AppliedObjectState {
  /** The key with the API version it was applied at. */
  readonly key: ResourceKey;
  readonly runId: string;
  /** When the object's result was recorded (ISO 8601). */
  readonly appliedAt: string;
  /** The object's resourceVersion once applied and healthy. */
  readonly resourceVersion: string;
  /** Change.desiredHash of the manifest that was applied. */
  readonly desiredHash: string;
  /** The object as the server returned it then (managedFields included; Secret values masked), when the run kept it. */
  readonly object?: unknown;
}

/** Pages are newest first. `before` is the `next` cursor of the previous page (opaque). */
export interface PageRequest {
  /** 1..1000, default 50. */
  readonly limit?: number;
  readonly before?: string;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Present when there may be older items: pass it as `before`. */
  readonly next?: string;
}
