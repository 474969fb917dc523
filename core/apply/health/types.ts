/**
 * Health assessment types (DESIGN.md rule 3: per-kind health rules are data the executor reads).
 * Vocabulary from gitops-engine `pkg/health` (Healthy, Progressing, Degraded, Missing, Unknown);
 * Argo CD's "Suspended" is folded into `healthy` with a message, because a paused or suspended
 * object is in the state its author asked for and waiting on it could only time out.
 */
import type { KubeObject } from '../../kube/types.js';
import type { HealthStatus } from '../../model/health.js';

export { HEALTH_STATUSES, type HealthStatus } from '../../model/health.js';

/**
 * What a `progressing` object waits for when that is outside the app: no manifest of the app can
 * bring it, and a cluster without the controller never does (assess.ts OUTSIDE_WAITS says how
 * long the apply waits for each before the object ends `progressing` instead of failing).
 */
export const OUTSIDE_CAUSES = ['load-balancer', 'volume-provisioner', 'persistent-volume'] as const;
export type OutsideCause = (typeof OUTSIDE_CAUSES)[number];

export interface HealthResult {
  readonly status: HealthStatus;
  /** One line a person understands: "2 of 3 replicas available". */
  readonly message: string;
  /** Only with `progressing`: it waits for something outside the app. */
  readonly waitsOn?: OutsideCause;
}

export type VolumeBindingMode = 'Immediate' | 'WaitForFirstConsumer';

/** Facts from outside the object that some rules use. All optional: rules fall back to what the object says. */
export interface HealthContext {
  /**
   * volumeBindingMode of the cluster's StorageClasses, by name (the executor lists them once).
   * Lets a Pending PersistentVolumeClaim on a WaitForFirstConsumer class count as healthy.
   */
  readonly storageClassBindingModes?: Readonly<Record<string, VolumeBindingMode>>;
}

/** One kind's rule: the live object (as the API server returns it, not being deleted) to its health. */
export type HealthRule = (obj: KubeObject, ctx: HealthContext) => HealthResult;

export const healthy = (message: string): HealthResult => ({ status: 'healthy', message });
export const progressing = (message: string, waitsOn?: OutsideCause): HealthResult => ({ status: 'progressing', message, ...(waitsOn !== undefined && { waitsOn }) });
export const degraded = (message: string): HealthResult => ({ status: 'degraded', message });
export const unknown = (message: string): HealthResult => ({ status: 'unknown', message });
