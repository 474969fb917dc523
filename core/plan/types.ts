/**
 * The plan is data (DESIGN.md rule 1): a plain, versioned, JSON-serializable value with the
 * fingerprints of everything it was computed from. Views (text, JSON, UI) render it; apply
 * executes it and never re-plans.
 */
import type { Diagnostic, SourceLocation } from '../model/diagnostics.js';
import type { AppIdentity } from '../model/applyset.js';
import type { DeletePolicy, SyncPhase } from '../model/hooks.js';
import type { KindWaits } from '../model/kind-waits.js';
import type { ResourceKey } from '../model/resource.js';

/** 2: `inputs.mode` replaced the optional `comparison` and `revertOf`. 3: `hooks`. 4: `inputs.charts`. 5: `findings`, `Change.why`. */
export const PLAN_FORMAT_VERSION = 5;

export type Action = 'create' | 'update' | 'delete' | 'replace' | 'noop' | 'error';

/**
 * Notes on a change that a reviewer must see.
 * - after-crd: a custom resource whose CRD this plan creates; it could not be dry-run yet.
 * - after-namespace: a namespaced object whose namespace this plan creates; dry-run was not possible.
 * - approximate: no permission to dry-run; compared client-side (server defaults unknown).
 * - dangerous: destroys data or availability (replace, delete of a Namespace/PVC/CRD).
 * - other-applyset: the live object belongs to another ApplySet.
 * - other-manager: fields this plan sets are managed by another field manager (apply would conflict).
 * - adopt: the object exists but is not yet a member of this app's ApplySet; apply takes it over.
 * - confirm: a delete the object asks to confirm (Argo CD's Prune=confirm, Delete=confirm): apply refuses it unless confirmed.
 * - kept: a noop for an object no longer in the revision that is not deleted (Prune=false, Delete=false): `message` says why.
 */
export type ChangeFlag = 'after-crd' | 'after-namespace' | 'approximate' | 'dangerous' | 'other-applyset' | 'other-manager' | 'adopt' | 'confirm' | 'kept';

/** Per-key outcome for Secret data: values are never shown, only whether they differ. A SealedSecret's key whose ciphertext changed is 're-sealed'. */
export type SecretKeyChange = 'added' | 'removed' | 'changed' | 're-sealed' | 'unchanged';

export interface Change {
  readonly key: ResourceKey;
  readonly action: Action;
  readonly flags: readonly ChangeFlag[];
  /** Normalized live object (YAML, Secret values masked); absent when the object does not exist. */
  readonly before?: string;
  /** Normalized predicted object after apply (YAML, Secret values masked); absent for delete. */
  readonly after?: string;
  /** Changed field paths, e.g. "spec.replicas", "metadata.labels.app", "spec.template.spec.containers[name=web].image". */
  readonly changedPaths: readonly string[];
  /** For Secrets: per data key, added/removed/changed/unchanged; for SealedSecrets per encryptedData key, added/removed/re-sealed/unchanged. */
  readonly secretKeys?: Readonly<Record<string, SecretKeyChange>>;
  /** resourceVersion of the live object the plan saw (apply refuses if it changed). Absent = the object did not exist. */
  readonly liveResourceVersion?: string;
  /** sha256 of the desired manifest (canonical JSON), absent for delete. */
  readonly desiredHash?: string;
  /** Where the desired object is declared. */
  readonly source?: SourceLocation;
  /** Human explanation: the server's message for errors, why a replace is needed, who else manages fields. */
  readonly message?: string;
  /**
   * Argo CD sync options in effect that change how apply sends or deletes this object (the
   * object's annotation over the app's), e.g. ["Replace=true", "Validate=false"]: apply reads
   * them from here, never from the app again (core/model/sync-options.ts).
   */
  readonly syncOptions?: readonly string[];
  /**
   * Why this change: the commits between the base (the revision last applied to the context, or
   * the compare base) and the planned revision that touched the object's sources, newest first.
   * Present when the plan was asked for it (`slipway plan --why`, the UI's review).
   */
  readonly why?: readonly ChangeCommit[];
}

/** A commit that touched the sources of a changed object (core/plan/why). */
export interface ChangeCommit {
  readonly oid: string;
  readonly author: string;
  /** ISO 8601. */
  readonly date: string;
  readonly subject: string;
  /** Repository paths of the object's sources it touched (the manifest, a patch, a values file, a template). */
  readonly files: readonly string[];
  /** Plain YAML: the lines of the "after" side (1-based) this commit last changed. */
  readonly lines?: readonly number[];
}

/**
 * A consequence of the plan a reviewer should know (DESIGN.md "Finding"): a rollout impact (which
 * Pods restart, or do not, and why) or a risk. A view of the changes, never a second diff.
 */
export interface Finding {
  readonly kind: FindingKind;
  /** The rule that fired, e.g. "pod-template-changed", "configmap-env" (core/plan/findings rules table). */
  readonly rule: string;
  readonly severity: FindingSeverity;
  /** The object the finding is about: the workload that restarts, the Service whose selector changes. */
  readonly subject: ResourceKey;
  /** The changed object that causes it when that is another one (the ConfigMap a workload reads). */
  readonly cause?: ResourceKey;
  /** One plain sentence. */
  readonly message: string;
  /** The changed field paths the rule read. */
  readonly paths?: readonly string[];
}

export type FindingKind = 'impact' | 'risk';
/** info: worth knowing; warning: check before applying; danger: loses data or availability. */
export type FindingSeverity = 'info' | 'warning' | 'danger';
export const FINDING_SEVERITIES: readonly FindingSeverity[] = ['danger', 'warning', 'info'];

export interface PlanSummary {
  readonly create: number;
  readonly update: number;
  readonly delete: number;
  readonly replace: number;
  readonly noop: number;
  readonly error: number;
}

export interface ClusterIdentity {
  readonly context: string;
  readonly server: string;
  /** uid of the kube-system namespace: tells two clusters apart even behind the same URL. */
  readonly uid: string;
  readonly version: string;
}

export interface PlannedChart {
  /** Without credentials. */
  readonly repoURL: string;
  readonly chart: string;
  readonly version: string;
  /** "sha256:<hex>" of the chart archive. */
  readonly digest: string;
}

export interface PlanInputs {
  /** `selectedBy`: how apply finds the app again at the commit (by name in slipway.yaml or a GitOps import, or as a folder). */
  readonly app: {
    readonly name: string;
    readonly path: string;
    readonly sourceType: string;
    /** The app's namespace: its destination, else the context's (absent only in plans of Slipway 0.1, which used the context's). */
    readonly namespace?: string;
    readonly selectedBy?: 'name' | 'path';
    readonly protected?: boolean;
    /** Prune was on for this plan (the app's option or --prune): a rollback of its run prunes too. */
    readonly prune?: boolean;
    /** The app's namespace is created when missing (createNamespace, CreateNamespace=true, --create-namespace). */
    readonly createNamespace?: boolean;
    /** What apply waits for per kind (slipway.yaml options.wait); apply reads it from here, under each object's slipway.dev/wait. */
    readonly wait?: KindWaits;
  };
  readonly repo: string;
  /** Commit oid, or ":working" for the working copy. */
  readonly commit: string;
  /** Git tree oid of the app's folder. */
  readonly treeOid: string;
  /** sha256 over the rendered objects (Secret values as keyed digests: see core/secret-key.ts). */
  readonly renderedHash: string;
  /** Charts from Helm repositories and OCI registries, resolved to a version and archive digest: apply renders exactly these. */
  readonly charts?: readonly PlannedChart[];
  /** When the app has Secrets: which key their values were hashed with (an id, never the key), so apply can tell a plan made elsewhere. */
  readonly secretHashKey?: string;
  /** The cluster the plan applies to; absent for a comparison of two revisions. */
  readonly cluster?: ClusterIdentity;
  /** What the plan is for (Terraform's plans.Mode): an ordinary plan, a rollback or revert of a run, or a comparison that cannot be applied. */
  readonly mode: PlanMode;
  /** The ApplySet parent this app uses (kind/namespace/name) and its id. */
  readonly applySet: PlanApplySet;
}

/**
 * - normal: the app at a revision, to apply.
 * - rollback: the app at the commit of run `to`, as that run had it.
 * - revert: the exact undo of run `of` (its objects come from that run's snapshots, not from a render).
 * - compare: `before` is another revision (rendered) or the live state in another context, `after`
 *   the revision or context compared with it; apply refuses it.
 */
export type PlanMode =
  | { readonly kind: 'normal' }
  | { readonly kind: 'rollback'; readonly to: string }
  | { readonly kind: 'revert'; readonly of: string }
  | { readonly kind: 'compare'; readonly compared: 'revisions' | 'contexts'; readonly before: string; readonly after: string };

export const NORMAL_MODE: PlanMode = Object.freeze({ kind: 'normal' });

/** Why a set's members count as this app's. */
export type AdoptionReason = 'earlier-version' | 'confirmed';

export interface PlanApplySet {
  /** `Secret/<namespace>/<name>`. */
  readonly parent: string;
  readonly id: string;
  /** The app's identity, which apply records on the parent (absent in comparisons and in plans of Slipway 0.1). */
  readonly identity?: AppIdentity;
  /**
   * Other sets whose members this plan takes as the app's: the parent Slipway 0.1 named after the
   * app alone (taken over when its members are this app's), or a set adopted with --adopt. Apply
   * records the takeover on them.
   */
  readonly adopts?: readonly { readonly parent: string; readonly id: string; readonly why: AdoptionReason }[];
}

export interface Plan {
  readonly formatVersion: typeof PLAN_FORMAT_VERSION;
  /** Deterministic: a hash of inputs and changes, so equal inputs give equal ids. */
  readonly id: string;
  readonly createdAt: string;
  readonly inputs: PlanInputs;
  /** In apply order is not implied; sorted by key for review. */
  readonly changes: readonly Change[];
  readonly summary: PlanSummary;
  readonly diagnostics: readonly Diagnostic[];
  /** Hooks the apply runs at its phases, and hook objects it leaves out; sorted by phase, wave, key. Never counted as changes. */
  readonly hooks: readonly PlannedHook[];
  /** Rollout impact and risk findings, most severe first (core/plan/findings). */
  readonly findings: readonly Finding[];
}

/**
 * A hook (DESIGN.md: an object run at a phase of apply, never an ApplySet member). It is no
 * change: it is created each time the app is applied, whatever the cluster holds.
 */
export interface PlannedHook {
  /** The object; `name` is the generateName prefix when `generateName` is set. */
  readonly key: ResourceKey;
  /** Named when it runs, as Argo CD names it: prefix + commit (7) + phase + start time. */
  readonly generateName?: true;
  /** Phases it runs in, in order; empty when skipped. */
  readonly phases: readonly SyncPhase[];
  readonly wave: number;
  readonly deletePolicies: readonly DeletePolicy[];
  /** Whose annotation made it a hook. */
  readonly from: 'argocd' | 'helm';
  /** Why it is not run (Skip, a Helm test, a delete hook). */
  readonly skipped?: string;
  /** The manifest sent (YAML, Secret values masked); absent when skipped. */
  readonly after?: string;
  /** sha256 of the manifest sent, which apply checks (as Change.desiredHash). */
  readonly desiredHash?: string;
  readonly source?: SourceLocation;
}
