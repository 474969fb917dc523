/**
 * Apply never re-plans (DESIGN.md rule 1): it reads the cluster only to refuse a plan the world
 * has moved away from, as Terraform refuses a stale saved plan.
 */
import type { KubeObject } from '../kube/types.js';
import { SlipwayError } from '../model/diagnostics.js';
import { formatKey, identityOf } from '../model/resource.js';
import type { Plan } from '../plan/types.js';
import type { ClusterPort } from './cluster-port.js';

export function stale(reason: string): SlipwayError {
  return new SlipwayError('plan-stale', `plan is stale: ${reason}; plan again`, { hint: 'run slipway plan again and review the new plan' });
}

/**
 * Refuses (plan-stale) a plan made for another cluster, or one an object it touches has moved
 * away from (resourceVersion changed, created or deleted since). Returns the live objects it
 * read, by identityOf(key): each object's "before" for history.
 */
export async function checkFresh(plan: Plan, cluster: ClusterPort): Promise<ReadonlyMap<string, KubeObject>> {
  const target = await cluster.identity();
  const planned = plan.inputs.cluster!;
  if (target.clusterUid !== planned.uid) throw stale(`it was made for cluster ${planned.context} (${planned.server}, kube-system uid ${planned.uid}), but context ${cluster.context} is ${target.server} (uid ${target.clusterUid})`);
  const touched = plan.changes.filter((c) => c.action !== 'noop' && c.action !== 'error');
  const live = await cluster.getMany(touched.map((c) => c.key));
  const moved: string[] = [];
  for (const c of touched) {
    const now = live.get(identityOf(c.key))?.metadata.resourceVersion;
    if (now !== c.liveResourceVersion) moved.push(`${formatKey(c.key)} ${c.liveResourceVersion === undefined ? 'now exists' : now === undefined ? 'was deleted' : 'changed'}`);
  }
  if (moved.length > 0) throw stale(moved.join(', '));
  return live;
}
