/**
 * What apply needs of a cluster, and nothing more (DESIGN.md: core reaches the outside through
 * small ports). The executor, its waits, the lease and the ApplySet parent use only this, so they
 * run against the API server (kubeClusterPort) or an in-memory cluster in unit tests.
 *
 * Failures are KubeErrors, as the Kubernetes client throws them: the executor reads their codes
 * (conflict, not-found, unreachable…) to decide what an object's outcome is.
 */
import type { ApplyOptions, CreateOptions, DeleteOptions, DeleteResult, UpdateOptions } from '../kube/client.js';
import type { KubeObject } from '../kube/types.js';
import type { Manifest } from '../model/desired.js';
import type { ResourceKey } from '../model/resource.js';
import type { GroupKind } from './kind-order.js';

/** A kind at one API version: what a LIST names. */
export interface GroupVersionKind extends GroupKind {
  readonly version: string;
}

/** Where listLabelled looks: `cluster-wide` when allowed (else each namespace), or only in each namespace given. */
export type LabelledScope = 'cluster-wide' | 'namespaces';

export interface PodLogOptions {
  readonly tailLines?: number;
  readonly container?: string;
  readonly previous?: boolean;
}

/** Who the cluster is: the freshness check compares it with the cluster the plan was made for. */
export interface ClusterIdentity {
  readonly server: string;
  /** uid of the kube-system Namespace. */
  readonly clusterUid: string;
}

/** The calls the lease needs; a KubeClient has them too. */
export interface ObjectPort {
  get(key: ResourceKey): Promise<KubeObject | null>;
  create(obj: Manifest | KubeObject, opts?: CreateOptions): Promise<KubeObject>;
  /** Replaces the object (PUT), guarded by its metadata.resourceVersion: a conflict if it moved since it was read. */
  update(obj: KubeObject, opts?: UpdateOptions): Promise<KubeObject>;
  delete(key: ResourceKey, opts?: DeleteOptions): Promise<DeleteResult>;
}

export interface ClusterPort extends ObjectPort {
  /** The kubeconfig context, named in messages. */
  readonly context: string;
  /** The cluster's identity as it is now, never a cached answer. */
  identity(): Promise<ClusterIdentity>;
  /** Server-side apply (with dryRun, force and the field manager). */
  apply(obj: Manifest | KubeObject, opts: ApplyOptions): Promise<KubeObject>;
  /** Every object of a kind, in one namespace (absent: all namespaces, or a cluster-scoped kind). */
  list(kind: GroupVersionKind, opts?: { readonly namespace?: string }): Promise<KubeObject[]>;
  /** The live objects of these keys by identityOf(key), read a kind and namespace at a time; absent objects and kinds the cluster does not serve are left out. */
  getMany(keys: readonly ResourceKey[]): Promise<ReadonlyMap<string, KubeObject>>;
  /**
   * The objects of a group/kind (at the version the cluster prefers) matching a label selector,
   * in these namespaces (cluster-wide when allowed); none when the cluster does not serve the kind.
   * The ApplySet parent's members are found this way; a workload's Pods with `scope: 'namespaces'`
   * (one LIST per namespace, never a cluster-wide read: the selector is not unique to the app).
   */
  listLabelled(kind: GroupKind, opts: { readonly labelSelector: string; readonly namespaces: ReadonlySet<string>; readonly scope?: LabelledScope }): Promise<KubeObject[]>;
  /** The last lines of a Pod's log (with `previous`, of the container's last run, as `kubectl logs --previous`): why a hook or a crashing container failed, in its own words. */
  podLog(namespace: string, pod: string, opts?: PodLogOptions): Promise<string>;
  /** The served kinds may have changed (CRDs were applied): the next call looks them up again. */
  kindsChanged(): void;
}
