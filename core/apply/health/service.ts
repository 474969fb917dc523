/**
 * Service (v1). gitops-engine `health_service.go`: a LoadBalancer Service is healthy once
 * status.loadBalancer.ingress has an address, progressing before (waiting on something outside the
 * app: assess.ts OUTSIDE_WAITS); every other type is healthy as soon as it exists.
 */
import type { KubeObject } from '../../kube/types.js';
import { list, str } from './fields.js';
import type { HealthResult } from './types.js';
import { healthy, progressing } from './types.js';

/** "203.0.113.10, lb.example.com" from a status.loadBalancer.ingress list (Service and Ingress alike). */
export function loadBalancerAddresses(obj: KubeObject): string[] {
  return list(obj, 'status', 'loadBalancer', 'ingress').flatMap((i) => [str(i, 'ip'), str(i, 'hostname')].filter((a): a is string => Boolean(a)));
}

export function serviceHealth(obj: KubeObject): HealthResult {
  const type = str(obj, 'spec', 'type') ?? 'ClusterIP';
  if (type === 'ExternalName') return healthy(`ExternalName ${str(obj, 'spec', 'externalName') ?? ''}`.trim());
  if (type !== 'LoadBalancer') return healthy(`${type}${str(obj, 'spec', 'clusterIP') ? ` ${str(obj, 'spec', 'clusterIP')}` : ''}`);
  const addresses = loadBalancerAddresses(obj);
  // Outside the app: a load-balancer controller (the cloud's, MetalLB…) writes status.loadBalancer.ingress.
  if (addresses.length === 0) return progressing('waiting for the load balancer to get an address', 'load-balancer');
  return healthy(`load balancer at ${addresses.join(', ')}`);
}
