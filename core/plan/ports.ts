/**
 * The ports through which the plan learns what it cannot compute itself: what the app's last
 * successful applies left on the cluster (core/history implements it; core/plan stays free of SQLite).
 */

export interface AppliedObjectsQuery {
  readonly repo: string;
  readonly app: string;
  /** uid of the cluster's kube-system namespace. */
  readonly clusterUid: string;
  /** The API server's gitVersion: after an upgrade, defaults may differ, so nothing recorded before counts. */
  readonly clusterVersion: string;
}

/** One object as a succeeded apply left it. */
export interface AppliedObject {
  /** manifestHash of the manifest that was applied (Change.desiredHash). */
  readonly desiredHash: string;
  /** The object's resourceVersion right after it was applied and found healthy. */
  readonly resourceVersion: string;
}

/**
 * The port through which the plan learns what was last applied (core/history implements it; core/plan
 * stays free of SQLite). Keys are identityOf(key).
 */
export interface LastApplyLookup {
  appliedObjects(query: AppliedObjectsQuery): ReadonlyMap<string, AppliedObject> | Promise<ReadonlyMap<string, AppliedObject>>;
}

/** The run of an app that last applied everything to a cluster (core/history knows it; core/engine/why.ts asks it). */
export interface LastAppliedRun {
  readonly runId: string;
  /** Commit oid, or ":working". */
  readonly commit: string;
}

/**
 * Why this change (Change.why): what to list commits since. `base`, a revision, wins (a compare
 * base, --why-base); else the commit the app's last apply to the plan's cluster applied, from the
 * history; else each object's last commits.
 */
export interface WhyOptions {
  readonly base?: string;
  readonly lastApplied?: (query: { readonly repo: string; readonly app: string; readonly clusterUid: string }) => LastAppliedRun | undefined;
}
