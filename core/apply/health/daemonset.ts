/**
 * DaemonSet (apps/v1): kubectl `rollout status` as gitops-engine `health_daemonset.go` and kstatus
 * `daemonsetConditions` read it. observedGeneration must be set and current (kstatus
 * `checkGenerationSet`); then updatedNumberScheduled and numberAvailable reach
 * desiredNumberScheduled. With the OnDelete strategy, Pods take a new template only when deleted,
 * so only availability is awaited.
 */
import type { KubeObject } from '../../kube/types.js';
import { generationLag, int, ofTotal, str } from './fields.js';
import type { HealthResult } from './types.js';
import { healthy, progressing } from './types.js';

export function daemonSetHealth(obj: KubeObject): HealthResult {
  const lag = generationLag(obj, { controller: 'daemon set controller', required: true });
  if (lag) return lag;
  const desired = int(obj, 'status', 'desiredNumberScheduled');
  if (desired === undefined) return progressing('waiting for the daemon set controller to count the nodes to run on');
  const updated = int(obj, 'status', 'updatedNumberScheduled') ?? 0;
  const available = int(obj, 'status', 'numberAvailable') ?? 0;
  const onDelete = str(obj, 'spec', 'updateStrategy', 'type') === 'OnDelete';
  if (!onDelete && updated < desired) return progressing(`${ofTotal(updated, desired, 'node')} updated`);
  if (available < desired) return progressing(`${ofTotal(available, desired, 'pod')} available`);
  return healthy(`${ofTotal(available, desired, 'pod')} available${onDelete ? ' (OnDelete update strategy: Pods take a new template only when deleted)' : ''}`);
}
