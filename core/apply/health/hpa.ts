/**
 * HorizontalPodAutoscaler (autoscaling/v2, and v1 whose conditions travel in the
 * `autoscaling.alpha.kubernetes.io/conditions` annotation). gitops-engine `health_hpa.go`'s
 * degraded (type, reason) table, extended with the other metric-read failures the HPA controller
 * reports (pkg/controller/podautoscaler: FailedGet{Pods,Object,External,ContainerResource}Metric,
 * InvalidMetricSourceType); then:
 * - no conditions yet: progressing (the controller evaluates every 15 s);
 * - ScalingActive=True: healthy (AbleToScale=False for a back-off is rate limiting, not a fault);
 * - ScalingActive=False with reason ScalingDisabled (the target has 0 replicas): healthy;
 * - anything else: progressing.
 */
import type { KubeObject } from '../../kube/types.js';
import type { Condition } from './fields.js';
import { conditions, describe, int, str, toCondition } from './fields.js';
import type { HealthResult } from './types.js';
import { degraded, healthy, progressing } from './types.js';

/** (condition type, reason) pairs that mean the autoscaler cannot do its job. Status is False for all of them. */
export const HPA_DEGRADED_CONDITIONS: readonly { readonly type: string; readonly reason: string }[] = [
  { type: 'AbleToScale', reason: 'FailedGetScale' },
  { type: 'AbleToScale', reason: 'FailedUpdateScale' },
  { type: 'ScalingActive', reason: 'FailedGetResourceMetric' },
  { type: 'ScalingActive', reason: 'FailedGetContainerResourceMetric' },
  { type: 'ScalingActive', reason: 'FailedGetPodsMetric' },
  { type: 'ScalingActive', reason: 'FailedGetObjectMetric' },
  { type: 'ScalingActive', reason: 'FailedGetExternalMetric' },
  { type: 'ScalingActive', reason: 'InvalidMetricSourceType' },
  { type: 'ScalingActive', reason: 'InvalidSelector' },
];

const V1_CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';

function hpaConditions(obj: KubeObject): Condition[] {
  const own = conditions(obj);
  if (own.length > 0) return own;
  const annotation = str(obj, 'metadata', 'annotations', V1_CONDITIONS_ANNOTATION);
  if (!annotation) return [];
  try {
    const parsed: unknown = JSON.parse(annotation);
    return Array.isArray(parsed) ? parsed.flatMap((c) => toCondition(c) ?? []) : [];
  } catch {
    return [];
  }
}

export function hpaHealth(obj: KubeObject): HealthResult {
  const all = hpaConditions(obj);
  const failure = all.find((c) => c.status === 'False' && HPA_DEGRADED_CONDITIONS.some((d) => d.type === c.type && d.reason === c.reason));
  if (failure) return degraded(describe(failure));
  const replicas = `${int(obj, 'status', 'currentReplicas') ?? 0} current, ${int(obj, 'status', 'desiredReplicas') ?? 0} desired replicas (min ${int(obj, 'spec', 'minReplicas') ?? 1}, max ${int(obj, 'spec', 'maxReplicas') ?? '?'})`;
  if (all.length === 0) return progressing(`waiting for the autoscaler's first evaluation; ${replicas}`);
  const active = all.find((c) => c.type === 'ScalingActive');
  if (active?.status === 'True') return healthy(replicas);
  if (active?.status === 'False' && active.reason === 'ScalingDisabled') return healthy(describe(active));
  return progressing(`${active ? describe(active) : 'ScalingActive not reported yet'}; ${replicas}`);
}
