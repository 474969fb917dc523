/**
 * CustomResourceDefinition (apiextensions.k8s.io/v1). kstatus `crdConditions` and gitops-engine
 * `health_customresourcedefinition.go` (a CRD being deleted is handled by `assessHealth`):
 * - NamesAccepted=False: degraded (a name conflicts with another CRD; it will not resolve alone);
 * - Established=True: healthy, the API server serves the kind and custom resources can be applied;
 * - Established=False with reason Installing (or no conditions yet): progressing;
 *   Established=False for any other reason (NotAccepted): degraded;
 * - NonStructuralSchema=True: degraded (gitops-engine; v1 rejects such schemas on write, but a CRD
 *   stored under v1beta1 can still carry one).
 */
import type { KubeObject } from '../../kube/types.js';
import { condition, describe, isTrue, str } from './fields.js';
import type { HealthResult } from './types.js';
import { degraded, healthy, progressing } from './types.js';

export function crdHealth(obj: KubeObject): HealthResult {
  const names = condition(obj, 'NamesAccepted');
  if (names?.status === 'False') return degraded(`names not accepted: ${describe(names)}`);
  const established = condition(obj, 'Established');
  if (!established) return progressing('waiting for the API server to accept its names');
  if (established.status !== 'True') {
    return established.reason === 'Installing' || established.status === 'Unknown' ? progressing(`not established yet: ${describe(established)}`) : degraded(`not established: ${describe(established)}`);
  }
  const nonStructural = condition(obj, 'NonStructuralSchema');
  if (isTrue(nonStructural)) return degraded(`schema is not structural: ${describe(nonStructural)}`);
  const kind = str(obj, 'status', 'acceptedNames', 'kind') ?? str(obj, 'spec', 'names', 'kind') ?? '';
  const group = str(obj, 'spec', 'group') ?? '';
  return healthy(`Established: the API server serves ${kind}.${group}`);
}
