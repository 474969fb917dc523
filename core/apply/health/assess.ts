/**
 * The health module's entry point: health and waiting as data (DESIGN.md rule 3), read by the
 * executor's waits. Callers import from here, never from the per-kind files:
 * - HEALTH_RULES: group/kind → rule (one file per kind beside this one, like gitops-engine
 *   `pkg/health`); kinds not listed use the generic condition rule;
 * - assessHealth / assessGone: what to report while waiting after an upsert or a deletion step;
 * - WAIT_RULES: how long to wait per kind before giving up, with one global override;
 * - OUTSIDE_WAITS: progressing states that wait for something outside the app, and how long the
 *   apply waits for each before the object ends `progressing` (not failed), as Argo CD ends a sync
 *   and shows the app Progressing.
 *
 * Pure: the executor polls the API server and passes what it read.
 */
import { groupKindString } from '../../model/applyset.js';
import { parseApiVersion } from '../../model/resource.js';
import type { KubeObject } from '../../kube/types.js';
import { cronJobHealth } from './cronjob.js';
import { crdHealth } from './crd.js';
import { daemonSetHealth } from './daemonset.js';
import { deploymentHealth } from './deployment.js';
import { strings, str } from './fields.js';
import { genericHealth } from './generic.js';
import { hpaHealth } from './hpa.js';
import { ingressHealth } from './ingress.js';
import { jobHealth } from './job.js';
import { namespaceHealth, namespaceTerminationDetail } from './namespace.js';
import { pdbHealth } from './pdb.js';
import { podHealth } from './pod.js';
import { pvcHealth } from './pvc.js';
import { replicaSetHealth } from './replicaset.js';
import { serviceHealth } from './service.js';
import { statefulSetHealth } from './statefulset.js';
import type { HealthContext, HealthResult, HealthRule, OutsideCause } from './types.js';
import { healthy, progressing } from './types.js';
import type { GroupKind } from '../kind-order.js';
import type { WaitFor } from '../order.js';

export type { HealthContext, HealthResult, HealthRule, HealthStatus, OutsideCause, VolumeBindingMode } from './types.js';
export { HEALTH_STATUSES, OUTSIDE_CAUSES } from './types.js';

/**
 * Health rule per group/kind, keyed like kubectl's GroupKind.String(): "Deployment.apps", or
 * "Pod" for the core group. Old API groups (extensions) share the rule of the kind's current group.
 */
export const HEALTH_RULES: Readonly<Record<string, HealthRule>> = {
  'Deployment.apps': deploymentHealth,
  'Deployment.extensions': deploymentHealth,
  'StatefulSet.apps': statefulSetHealth,
  'DaemonSet.apps': daemonSetHealth,
  'DaemonSet.extensions': daemonSetHealth,
  'ReplicaSet.apps': replicaSetHealth,
  'ReplicaSet.extensions': replicaSetHealth,
  ReplicationController: replicaSetHealth,
  'Job.batch': jobHealth,
  'CronJob.batch': cronJobHealth,
  'CustomResourceDefinition.apiextensions.k8s.io': crdHealth,
  Namespace: namespaceHealth,
  PersistentVolumeClaim: pvcHealth,
  Pod: podHealth,
  Service: serviceHealth,
  'Ingress.networking.k8s.io': ingressHealth,
  'Ingress.extensions': ingressHealth,
  'HorizontalPodAutoscaler.autoscaling': hpaHealth,
  'PodDisruptionBudget.policy': pdbHealth,
};

/** The rule for a group/kind: its own, or the generic condition rule. */
export function healthRuleFor(gk: GroupKind): HealthRule {
  const id = groupKindString(gk);
  return (Object.hasOwn(HEALTH_RULES, id) ? HEALTH_RULES[id] : undefined) ?? genericHealth;
}

/** Extra words on what a terminating object still waits for, per kind. */
const GONE_DETAIL: Readonly<Record<string, (obj: KubeObject) => string>> = {
  Namespace: namespaceTerminationDetail,
};

function deletionMessage(obj: KubeObject): string {
  const finalizers = strings(obj, 'metadata', 'finalizers');
  const id = groupKindString({ group: parseApiVersion(obj.apiVersion).group, kind: obj.kind });
  const detail = Object.hasOwn(GONE_DETAIL, id) ? (GONE_DETAIL[id]?.(obj) ?? '') : '';
  return `being deleted${finalizers.length > 0 ? `; waiting for finalizers: ${finalizers.join(', ')}` : ''}${detail ? `; ${detail}` : ''}`;
}

/**
 * Health of an object after an upsert, as the API server returned it; `undefined` (not found) is
 * `missing`. An object being deleted is progressing. Rules read every field defensively, so a
 * malformed object gives a status (often `unknown` or `progressing`), never an exception.
 */
export function assessHealth(obj: KubeObject | undefined, ctx: HealthContext = {}): HealthResult {
  if (!obj) return { status: 'missing', message: 'not found' };
  if (str(obj, 'metadata', 'deletionTimestamp')) return progressing(deletionMessage(obj));
  return healthRuleFor({ group: parseApiVersion(obj.apiVersion).group, kind: obj.kind })(obj, ctx);
}

/**
 * After a deletion: healthy once the object is gone. `uid` is the deleted object's: an object
 * found with another uid is a new one (recreated by someone, or by a replace), so the old one is gone.
 */
export function assessGone(obj: KubeObject | undefined, opts: { readonly uid?: string } = {}): HealthResult {
  if (!obj) return healthy('deleted');
  if (opts.uid !== undefined && obj.metadata.uid !== undefined && obj.metadata.uid !== opts.uid) return healthy('deleted (an object with the same name but a new uid exists now)');
  if (str(obj, 'metadata', 'deletionTimestamp')) return progressing(deletionMessage(obj));
  return progressing('still exists: the API server has not started deleting it');
}

/** How long the executor waits for a step's objects, per kind, before it calls the step failed. */
export interface WaitRule extends GroupKind {
  /** Upserts: until assessHealth is healthy. */
  readonly healthySeconds: number;
  /** Deletions: until assessGone is healthy (finalizers, graceful termination). */
  readonly goneSeconds: number;
}

/** For kinds not in WAIT_RULES. */
export const DEFAULT_WAIT: Readonly<Pick<WaitRule, 'healthySeconds' | 'goneSeconds'>> = { healthySeconds: 60, goneSeconds: 120 };

export const WAIT_RULES: readonly WaitRule[] = [
  { group: '', kind: 'Namespace', healthySeconds: 60, goneSeconds: 600 },
  { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition', healthySeconds: 60, goneSeconds: 300 },
  { group: 'apps', kind: 'Deployment', healthySeconds: 300, goneSeconds: 120 },
  { group: 'apps', kind: 'StatefulSet', healthySeconds: 600, goneSeconds: 300 },
  { group: 'apps', kind: 'DaemonSet', healthySeconds: 300, goneSeconds: 120 },
  { group: 'apps', kind: 'ReplicaSet', healthySeconds: 300, goneSeconds: 120 },
  { group: '', kind: 'ReplicationController', healthySeconds: 300, goneSeconds: 120 },
  { group: '', kind: 'Pod', healthySeconds: 300, goneSeconds: 120 },
  { group: 'batch', kind: 'Job', healthySeconds: 600, goneSeconds: 120 },
  { group: '', kind: 'PersistentVolumeClaim', healthySeconds: 300, goneSeconds: 300 },
  { group: '', kind: 'PersistentVolume', healthySeconds: 120, goneSeconds: 300 },
  // A cloud load balancer can take minutes to get an address, and as long to release.
  { group: '', kind: 'Service', healthySeconds: 300, goneSeconds: 300 },
  { group: 'apiregistration.k8s.io', kind: 'APIService', healthySeconds: 180, goneSeconds: 120 },
  { group: 'autoscaling', kind: 'HorizontalPodAutoscaler', healthySeconds: 120, goneSeconds: 60 },
];

/**
 * Seconds to wait for one object of a step. `overrideSeconds` (the user's --timeout) replaces
 * every per-kind value.
 */
export function waitTimeoutSeconds(gk: GroupKind, waitFor: WaitFor, opts: { readonly overrideSeconds?: number } = {}): number {
  if (opts.overrideSeconds !== undefined) return opts.overrideSeconds;
  const rule = WAIT_RULES.find((r) => r.group === gk.group && r.kind === gk.kind) ?? DEFAULT_WAIT;
  return waitFor === 'healthy' ? rule.healthySeconds : rule.goneSeconds;
}

/** `waitTimeoutSeconds` in milliseconds, for timers; `waitFor` defaults to 'healthy'. */
export function timeoutFor(gk: GroupKind, waitFor: WaitFor = 'healthy', opts: { readonly overrideSeconds?: number } = {}): number {
  return waitTimeoutSeconds(gk, waitFor, opts) * 1000;
}

/**
 * A progressing state that waits for something outside the app: no manifest of the app can bring
 * it, and a cluster without the controller that does never will. The apply waits for it
 * `settleSeconds` (or the object's timeout, if shorter), then the object ends `progressing`: its
 * step goes on and the run ends `progressing` rather than failed (an object annotated
 * `slipway.dev/wait: strict` waits its full timeout and fails instead). The wave still waits for
 * these objects before the next one starts.
 *
 * Decided here, not waited on at all (healthy with a message): an Ingress without an address
 * (ingress.ts: many controllers never publish one), a claim of a WaitForFirstConsumer class (pvc.ts).
 */
export interface OutsideWait {
  readonly cause: OutsideCause;
  /** The state, as a person would look for it. */
  readonly state: string;
  /** Seconds before the wait gives up on it. */
  readonly settleSeconds: number;
  /** Why it is outside the app, in one line. */
  readonly why: string;
  /** What did not happen, said when the wait gives up: "… in 30 s". */
  readonly noAnswer: string;
}

export const OUTSIDE_WAITS: readonly OutsideWait[] = [
  {
    cause: 'load-balancer',
    state: 'Service of type LoadBalancer without an address',
    settleSeconds: 30,
    why: 'a load-balancer controller (the cloud provider\'s, MetalLB, kube-vip) gives the address; a cluster without one never does, and the Service already works inside the cluster',
    noAnswer: 'no load-balancer controller answered',
  },
  {
    cause: 'volume-provisioner',
    state: 'PersistentVolumeClaim Pending on a provisioner',
    settleSeconds: 60,
    why: 'the StorageClass\'s provisioner, not the app, makes the volume; the Pods that mount the claim still wait for it, and fail the apply if it never comes',
    noAnswer: 'the provisioner made no volume',
  },
  {
    cause: 'persistent-volume',
    state: 'PersistentVolumeClaim Pending without a StorageClass',
    settleSeconds: 60,
    why: 'it binds only to a PersistentVolume someone else creates (an administrator, a static provisioner); the Pods that mount it show whether one came',
    noAnswer: 'no matching PersistentVolume appeared',
  },
];

/** The row of OUTSIDE_WAITS for a cause. */
export function outsideWaitOf(cause: OutsideCause): OutsideWait {
  const row = OUTSIDE_WAITS.find((w) => w.cause === cause);
  if (!row) throw new Error(`OUTSIDE_WAITS has no row for ${cause}`);
  return row;
}
