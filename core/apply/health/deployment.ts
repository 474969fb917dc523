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
 * Counts are worded as kubectl words them ("2 of 3 updated replicas available"): while a rollout
 * surges or a scale-down settles there are more replicas than spec.replicas, and "3 of 1" would
 * read as nonsense.
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
  if (bool(obj, 'spec', 'paused')) return healthy(`paused (spec.paused): the rollout does not progress until it is resumed; ${availableText({ want, total, updated, available })}`);
  const progress = condition(obj, 'Progressing');
  if (progress?.status === 'False' && progress.reason === 'ProgressDeadlineExceeded') return degraded(describe(progress));
  const waiting =
    updated < want
      ? `${ofTotal(updated, want, 'replica')} updated`
      : total > updated
        ? `${count(total - updated, 'old replica')} pending termination`
        : available < updated
          ? updated === want
            ? `${ofTotal(available, want, 'replica')} available`
            : `${ofTotal(available, updated, 'updated replica')} available (${want} wanted: ${updated - want} extra being removed)`
          : undefined;
  if (waiting === undefined) return healthy(availableText({ want, total, updated, available }));
  const failure = condition(obj, 'ReplicaFailure');
  return progressing(isTrue(failure) ? `${waiting}; ${describe(failure)}` : waiting);
}

/**
 * "3 of 3 replicas available"; with more replicas than wanted, which ones: a paused or surging
 * rollout runs old and new replicas side by side, and a finished scale-down leaves extra updated
 * replicas until their ReplicaSet removes them.
 */
function availableText(n: { want: number; total: number; updated: number; available: number }): string {
  if (n.total <= n.want && n.available <= n.want) return `${ofTotal(n.available, n.want, 'replica')} available`;
  if (n.updated > n.want) return `${count(n.available, 'replica')} available, ${n.want} wanted (${n.updated - n.want} extra being removed)`;
  return `${ofTotal(n.updated, n.want, 'replica')} updated, ${n.available} available (${n.total} in total: old and new side by side during the rollout)`;
}
