/**
 * Namespace (v1): phase Active is healthy; Terminating is progressing (objects cannot be created
 * in it until it is gone), with the namespace controller's conditions saying what it waits for
 * (remaining content, finalizers, discovery failures).
 */
import type { KubeObject } from '../../kube/types.js';
import { conditions, str } from './fields.js';
import type { HealthResult } from './types.js';
import { healthy, progressing, unknown } from './types.js';

/** What a terminating namespace still waits for, from the True NamespaceDeletion* / *Remaining conditions. */
export function namespaceTerminationDetail(obj: KubeObject): string {
  return conditions(obj)
    .filter((c) => c.status === 'True' && c.message)
    .map((c) => c.message)
    .join('; ');
}

export function namespaceHealth(obj: KubeObject): HealthResult {
  const phase = str(obj, 'status', 'phase');
  if (phase === 'Active') return healthy('Active');
  if (phase === 'Terminating') {
    const detail = namespaceTerminationDetail(obj);
    return progressing(`Terminating${detail ? `: ${detail}` : ''}`);
  }
  return unknown(phase ? `unexpected phase ${phase}` : 'no phase reported');
}
