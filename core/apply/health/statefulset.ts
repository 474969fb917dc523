/**
 * StatefulSet (apps/v1): kubectl `rollout status` as gitops-engine `health_statefulset.go` and
 * kstatus `stsConditions` read it.
 * - observedGeneration must be set and current;
 * - status.replicas and readyReplicas reach spec.replicas, no extra replicas left;
 * - OnDelete strategy: healthy once ready (Pods take a new template only when deleted);
 * - RollingUpdate with a partition: updatedReplicas reaches replicas - partition;
 * - RollingUpdate: updateRevision = currentRevision (the controller sets currentRevision when
 *   every replica runs the update revision).
 */
import type { KubeObject } from '../../kube/types.js';
import { count, generationLag, int, ofTotal, str } from './fields.js';
import type { HealthResult } from './types.js';
import { healthy, progressing } from './types.js';

export function statefulSetHealth(obj: KubeObject): HealthResult {
  const lag = generationLag(obj, { controller: 'statefulset controller', required: true });
  if (lag) return lag;
  const want = int(obj, 'spec', 'replicas') ?? 1;
  const total = int(obj, 'status', 'replicas') ?? 0;
  const ready = int(obj, 'status', 'readyReplicas') ?? 0;
  const updated = int(obj, 'status', 'updatedReplicas') ?? 0;
  if (total < want) return progressing(`${ofTotal(total, want, 'replica')} created`);
  if (ready < want) return progressing(`${ofTotal(ready, want, 'replica')} ready`);
  if (total > want) return progressing(`${count(total - want, 'extra replica')} pending termination`);
  if (str(obj, 'spec', 'updateStrategy', 'type') === 'OnDelete') return healthy(`${ofTotal(ready, want, 'replica')} ready (OnDelete update strategy: Pods take a new template only when deleted)`);
  const partition = int(obj, 'spec', 'updateStrategy', 'rollingUpdate', 'partition') ?? 0;
  if (partition > 0) {
    const target = Math.max(0, want - partition);
    return updated < target
      ? progressing(`partitioned rollout: ${ofTotal(updated, target, 'replica')} above partition ${partition} updated`)
      : healthy(`partitioned rollout complete: ${ofTotal(updated, want, 'replica')} updated (partition ${partition})`);
  }
  const updateRevision = str(obj, 'status', 'updateRevision') ?? '';
  const currentRevision = str(obj, 'status', 'currentRevision') ?? '';
  if (updateRevision !== currentRevision) return progressing(`rolling update: ${ofTotal(updated, want, 'replica')} at revision ${updateRevision}`);
  return healthy(`${ofTotal(ready, want, 'replica')} ready at revision ${currentRevision}`);
}
