/**
 * ReplicaSet (apps/v1) and ReplicationController (v1), which share their status shape.
 * gitops-engine `health_replicaset.go` and kstatus `replicasetConditions`: observed generation,
 * then availableReplicas = spec.replicas. A ReplicaFailure=True condition (quota, admission) is
 * reported in the message but stays progressing, as kstatus does: the controller keeps retrying.
 */
import type { KubeObject } from '../../kube/types.js';
import { condition, count, describe, generationLag, int, isTrue, ofTotal } from './fields.js';
import type { HealthResult } from './types.js';
import { healthy, progressing } from './types.js';

export function replicaSetHealth(obj: KubeObject): HealthResult {
  const lag = generationLag(obj, { controller: 'replica set controller', required: true });
  if (lag) return lag;
  const want = int(obj, 'spec', 'replicas') ?? 1;
  const total = int(obj, 'status', 'replicas') ?? 0;
  const available = int(obj, 'status', 'availableReplicas') ?? 0;
  const waiting = available < want ? `${ofTotal(available, want, 'replica')} available` : total > want ? `${count(total - want, 'extra replica')} pending termination` : undefined;
  if (waiting === undefined) return healthy(`${ofTotal(available, want, 'replica')} available`);
  const failure = condition(obj, 'ReplicaFailure');
  return progressing(isTrue(failure) ? `${waiting}; ${describe(failure)}` : waiting);
}
