/**
 * PodDisruptionBudget (policy/v1). kstatus `pdbConditions`: current once the disruption
 * controller has observed the latest generation. Decided here: healthy from then on, whatever the
 * pod counts, because budgets are applied before the workloads they protect (kind order), so
 * "insufficient pods" is expected at that point and waiting for pods would deadlock. The message
 * gives the counts or, when the controller could not compute them (DisruptionAllowed=False,
 * reason SyncFailed), its reason.
 */
import type { KubeObject } from '../../kube/types.js';
import { condition, count, describe, int } from './fields.js';
import type { HealthResult } from './types.js';
import { healthy, progressing } from './types.js';

export function pdbHealth(obj: KubeObject): HealthResult {
  const generation = int(obj, 'metadata', 'generation');
  const observed = int(obj, 'status', 'observedGeneration');
  if (observed === undefined || (generation !== undefined && observed < generation)) return progressing('waiting for the disruption controller to observe it');
  const allowed = condition(obj, 'DisruptionAllowed');
  const counts = `${int(obj, 'status', 'currentHealthy') ?? 0} of ${int(obj, 'status', 'expectedPods') ?? 0} pods healthy (${int(obj, 'status', 'desiredHealthy') ?? 0} required), ${count(int(obj, 'status', 'disruptionsAllowed') ?? 0, 'disruption')} allowed`;
  if (allowed?.status === 'False' && allowed.reason === 'SyncFailed') return healthy(`the disruption controller cannot compute the budget: ${describe(allowed)}`);
  return healthy(counts);
}
