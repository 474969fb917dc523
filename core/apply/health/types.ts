/**
 * Health assessment types (DESIGN.md rule 3: per-kind health rules are data the executor reads).
 * Vocabulary from gitops-engine `pkg/health` (Healthy, Progressing, Degraded, Missing, Unknown);
 * Argo CD's "Suspended" is folded into `healthy` with a message, because a paused or suspended
 * object is in the state its author asked for and waiting on it could only time out.
 */
import type { KubeObject } from '../../kube/types.js';

export type HealthStatus = 'healthy' | 'progressing' | 'degraded' | 'missing' | 'unknown';

export interface HealthResult {
  readonly status: HealthStatus;
  /** One line a person understands: "2 of 3 replicas available". */
  readonly message: string;
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
export const progressing = (message: string): HealthResult => ({ status: 'progressing', message });
export const degraded = (message: string): HealthResult => ({ status: 'degraded', message });
export const unknown = (message: string): HealthResult => ({ status: 'unknown', message });
