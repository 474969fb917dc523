/**
 * Deployment (apps/v1): kubectl `rollout status` as gitops-engine `health_deployment.go` and
 * kstatus `deploymentConditions` read it.
 * - the controller has observed the latest generation, else progressing;
 * - paused: healthy with a note (the author stopped the rollout; waiting could only time out);
 * - Progressing=False with reason ProgressDeadlineExceeded: degraded;
 * - updatedReplicas = spec.replicas, no old replicas left (status.replicas = updatedReplicas),
 *   availableReplicas = updatedReplicas: healthy; else progressing, with a ReplicaFailure
 *   condition's message when there is one (kstatus: still in progress; the progress deadline is
 *   what turns a stuck rollout into a failure).
 */
import type { KubeObject } from '../../kube/types.js';
import { bool, condition, describe, generationLag, int, isTrue, ofTotal, count } from './fields.js';
import type { HealthResult } from './types.js';
import { degraded, healthy, progressing } from './types.js';

export function deploymentHealth(obj: KubeObject): HealthResult {
  const lag = generationLag(obj, { controller: 'deployment controller', required: true });
  if (lag) return lag;
  const want = int(obj, 'spec', 'replicas') ?? 1;
  const total = int(obj, 'status', 'replicas') ?? 0;
  const updated = int(obj, 'status', 'updatedReplicas') ?? 0;
  const available = int(obj, 'status', 'availableReplicas') ?? 0;
  if (bool(obj, 'spec', 'paused')) return healthy(`paused (spec.paused): the rollout does not progress until it is resumed; ${ofTotal(available, want, 'replica')} available`);
  const progress = condition(obj, 'Progressing');
  if (progress?.status === 'False' && progress.reason === 'ProgressDeadlineExceeded') return degraded(describe(progress));
  const waiting =
    updated < want
      ? `${ofTotal(updated, want, 'replica')} updated`
      : total > updated
        ? `${count(total - updated, 'old replica')} pending termination`
        : available < updated
          ? `${ofTotal(available, want, 'replica')} available`
          : undefined;
  if (waiting === undefined) return healthy(`${ofTotal(available, want, 'replica')} available`);
  const failure = condition(obj, 'ReplicaFailure');
  return progressing(isTrue(failure) ? `${waiting}; ${describe(failure)}` : waiting);
}
