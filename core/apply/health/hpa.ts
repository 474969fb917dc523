/**
 * HorizontalPodAutoscaler (autoscaling/v2, and v1 whose conditions travel in the
 * `autoscaling.alpha.kubernetes.io/conditions` annotation). gitops-engine `health_hpa.go`'s
 * degraded (type, reason) table, extended with the other metric-read failures the HPA controller
 * reports (pkg/controller/podautoscaler: FailedGet{Pods,Object,External,ContainerResource}Metric,
 * InvalidMetricSourceType); then:
 * - no conditions yet: progressing (the controller evaluates every 15 s);
 * - ScalingActive=True: healthy (AbleToScale=False for a back-off is rate limiting, not a fault);
 * - ScalingActive=False with reason ScalingDisabled (the target has 0 replicas): healthy;
 * - ScalingActive=False because metrics cannot be read yet, while AbleToScale=True: healthy with a note (see HPA_METRICS_UNAVAILABLE);
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

/**
 * Metrics not readable (yet): a new autoscaler reports this until its pods have metrics, and a
 * cluster without a metrics pipeline reports it forever. The autoscaler itself is in place and
 * can reach its target, so an apply does not wait on it (as kapp does not); the message says so.
 * gitops-engine calls these Degraded, for a long-running view rather than an apply.
 */
export const HPA_METRICS_UNAVAILABLE: readonly string[] = ['FailedGetResourceMetric', 'FailedGetContainerResourceMetric', 'FailedGetPodsMetric', 'FailedGetObjectMetric', 'FailedGetExternalMetric'];

export function hpaHealth(obj: KubeObject): HealthResult {
  const all = hpaConditions(obj);
  const failure = all.find((c) => c.status === 'False' && HPA_DEGRADED_CONDITIONS.some((d) => d.type === c.type && d.reason === c.reason));
  if (failure) return degraded(describe(failure));
  const noMetrics = all.find((c) => c.type === 'ScalingActive' && c.status === 'False' && HPA_METRICS_UNAVAILABLE.includes(c.reason ?? ''));
  const ableToScale = all.find((c) => c.type === 'AbleToScale');
  if (noMetrics && ableToScale?.status === 'True') return healthy(`in place and able to scale its target; metrics not available yet (${describe(noMetrics)})`);
  const replicas = `${int(obj, 'status', 'currentReplicas') ?? 0} current, ${int(obj, 'status', 'desiredReplicas') ?? 0} desired replicas (min ${int(obj, 'spec', 'minReplicas') ?? 1}, max ${int(obj, 'spec', 'maxReplicas') ?? '?'})`;
  if (all.length === 0) return progressing(`waiting for the autoscaler's first evaluation; ${replicas}`);
  const active = all.find((c) => c.type === 'ScalingActive');
  if (active?.status === 'True') return healthy(replicas);
  if (active?.status === 'False' && active.reason === 'ScalingDisabled') return healthy(describe(active));
  return progressing(`${active ? describe(active) : 'ScalingActive not reported yet'}; ${replicas}`);
}
