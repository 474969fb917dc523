/**
 * Every kind without its own rule (custom resources, APIService, ConfigMap, …), after kstatus
 * `checkGenericProperties` and the condition conventions most controllers follow:
 * - status.observedGeneration behind metadata.generation: progressing;
 * - Stalled=True: degraded; Reconciling=True: progressing (kstatus abnormal-true conditions);
 * - a Ready condition, else an Available condition; if it carries an observedGeneration
 *   (metav1.Condition) behind metadata.generation, progressing; True → healthy; False or Unknown → degraded
 *   when its reason matches DEGRADED_REASON_PATTERNS (Flux "ReconciliationFailed", APIService
 *   "FailedDiscoveryCheck", …), progressing otherwise (cert-manager "Issuing", APIService
 *   "MissingEndpoints", …);
 * - no such conditions: healthy once it exists (ConfigMap, Secret, RBAC, …).
 */
import type { KubeObject } from '../../kube/types.js';
import { condition, describe, generationLag, int, isTrue } from './fields.js';
import type { HealthResult } from './types.js';
import { degraded, healthy, progressing } from './types.js';

/** Condition types that carry an object's overall health, in order of preference. */
export const READY_CONDITION_TYPES: readonly string[] = ['Ready', 'Available'];

/** A False Ready/Available condition with a reason matching one of these is a failure, not progress. */
export const DEGRADED_REASON_PATTERNS: readonly RegExp[] = [/Fail/i, /Error/i, /Invalid/i, /Stalled/, /Degraded/, /BackOff/, /Exceeded/];

export function genericHealth(obj: KubeObject): HealthResult {
  const lag = generationLag(obj, { controller: 'controller', required: false });
  if (lag) return lag;
  const stalled = condition(obj, 'Stalled');
  if (isTrue(stalled)) return degraded(`Stalled: ${describe(stalled)}`);
  const reconciling = condition(obj, 'Reconciling');
  if (isTrue(reconciling)) return progressing(`Reconciling: ${describe(reconciling)}`);
  const ready = READY_CONDITION_TYPES.map((t) => condition(obj, t)).find((c) => c !== undefined);
  if (!ready) return healthy('exists (no readiness conditions to wait for)');
  const generation = int(obj, 'metadata', 'generation');
  if (generation !== undefined && ready.observedGeneration !== undefined && ready.observedGeneration < generation) {
    return progressing(`waiting for the controller to observe generation ${generation} (its ${ready.type} condition is from generation ${ready.observedGeneration})`);
  }
  const text = `${ready.type}=${ready.status}${ready.reason || ready.message ? `: ${describe(ready)}` : ''}`;
  if (ready.status === 'True') return healthy(text);
  return DEGRADED_REASON_PATTERNS.some((p) => p.test(ready.reason)) ? degraded(text) : progressing(text);
}
