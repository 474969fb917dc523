/**
 * Ingress (networking.k8s.io/v1): healthy once it exists; the message gives the address the
 * ingress controller published, or says there is none yet. Decided here, unlike gitops-engine
 * `health_ingress.go` (progressing until an address appears): many controllers never publish
 * status (or only with an option), and the apply would then always end in a timeout.
 */
import type { KubeObject } from '../../kube/types.js';
import type { HealthResult } from './types.js';
import { healthy } from './types.js';
import { loadBalancerAddresses } from './service.js';

export function ingressHealth(obj: KubeObject): HealthResult {
  const addresses = loadBalancerAddresses(obj);
  return healthy(addresses.length > 0 ? `address ${addresses.join(', ')}` : 'no address published yet (the ingress controller writes status.loadBalancer.ingress)');
}
