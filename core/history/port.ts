/** The history port: what plan, apply and the front doors ask of the history, whatever stores it. */
import type { AppliedObjectsQuery, AppliedObject, LastApplyLookup } from '../plan/ports.js';
import type { Plan } from '../plan/types.js';
import type { AppliedObjectState, FinishStatus, ObjectResultInput, Page, PageRequest, ResourceHistoryEntry, RunDetail, RunKind, RunRecord, RunUser } from './types.js';
import type { ResourceKey } from '../model/resource.js';
import type { ClusterIdentity } from '../plan/types.js';

export interface HistoryOptions {
  /** Defaults to `<userDataDir()>/history.db`. */
  readonly path?: string;
  /** Clock for every recorded time (tests). */
  readonly now?: () => Date;
  /** How long a write waits for another process's write to finish. Default 10 s. */
  readonly busyTimeoutMs?: number;
}

export interface StartRunOptions {
  readonly plan: Plan;
  readonly kind: RunKind;
  readonly user: RunUser;
  /** Required for rollback and revert: the run whose revision is restored / whose changes are undone. */
  readonly rollbackOf?: string;
  /** The cluster as identified right before applying; defaults to the plan's. */
  readonly cluster?: ClusterIdentity;
}

export interface FinishRunOptions {
  readonly status: FinishStatus;
  readonly error?: string;
}

export type RunsOfContextQuery = ({ readonly context: string; readonly clusterUid?: never } | { readonly clusterUid: string; readonly context?: never }) & PageRequest;

export interface History extends LastApplyLookup {
  /** The database file. */
  readonly path: string;
  /** Stores a plan (idempotent: plan ids are content hashes, the first copy is kept). */
  recordPlan(plan: Plan): void;
  /** Records the plan if needed and a new `running` run; returns its id. */
  startRun(opts: StartRunOptions): string;
  /** Call as each object finishes, so a crash keeps what already happened. */
  recordObjectResult(runId: string, result: ObjectResultInput): void;
  /** Several results in one transaction (objects that finished together): all are recorded, or none. */
  recordObjectResults(runId: string, results: readonly ObjectResultInput[]): void;
  finishRun(runId: string, opts: FinishRunOptions): void;
  /** Marks runs whose process has ended as `interrupted`; returns their ids. openHistory calls it. */
  markInterrupted(): string[];
  /** Masks, hashes and stores an object once; returns its content hash. */
  storeSnapshot(obj: unknown): string;
  runsOfApp(query: { readonly repo: string; readonly app: string } & PageRequest): Page<RunRecord>;
  runsOfContext(query: RunsOfContextQuery): Page<RunRecord>;
  /** Every recorded result for one object (any API version), newest first, optionally on one cluster only. */
  historyOfResource(query: { readonly key: ResourceKey; readonly clusterUid?: string } & PageRequest): Page<ResourceHistoryEntry>;
  run(runId: string): RunDetail | undefined;
  /** The stored (masked) object, or undefined for an unknown hash. */
  snapshot(hash: string): unknown;
  /** The plan a run applied, as recorded: every change except the noops (see encodePlan), with its full summary. */
  planById(id: string): Plan | undefined;
  /** The latest run of the app on the cluster that applied everything (`succeeded` or `progressing`). */
  lastSucceededRun(query: { readonly repo: string; readonly app: string; readonly clusterUid: string }): RunRecord | undefined;
  /**
   * Each object of the app on that cluster as the most recent succeeded run that applied it left it (the
   * manifest's hash and the resulting resourceVersion), by identityOf(key). Runs that failed, were
   * cancelled or interrupted never contribute; neither do runs against another server version.
   */
  appliedObjects(query: AppliedObjectsQuery): ReadonlyMap<string, AppliedObject>;
  /**
   * Each object of the app on that cluster with the state the most recent run that applied it
   * (succeeded or progressing, healthy) left: its result's after snapshot and resourceVersion.
   * Whatever the server version; hooks and objects a later run deleted are not in it.
   */
  appliedState(query: { readonly repo: string; readonly app: string; readonly clusterUid: string }): AppliedObjectState[];
  /** Marks this instance's unfinished runs `interrupted`, then closes the file. Idempotent. */
  close(): void;
}
