/**
 * The live objects for a set of keys: one LIST per kind and namespace, never one GET per object.
 */
import type { KubeClient } from '../kube/client.js';
import { resourceFor } from '../kube/discovery.js';
import { withRetry } from '../kube/retry.js';
import { discover } from '../kube/target.js';
import type { ApiResource, KubeObject } from '../kube/types.js';
import { identityOf, type ResourceKey } from '../model/resource.js';

/** Map from identityOf(key) to the live object; keys of kinds the cluster does not serve are absent. */
export async function readLiveObjects(client: KubeClient, keys: readonly ResourceKey[]): Promise<Map<string, KubeObject>> {
  let discovery = await discover(client);
  // A kind this process has not seen yet (a CRD applied since the cache was filled): look again once.
  if (keys.some((k) => !resourceFor(discovery, k))) discovery = await discover(client, { refresh: true });
  const groups = new Map<string, { resource: ApiResource; namespace?: string; names: Map<string, string> }>();
  for (const key of keys) {
    const resource = resourceFor(discovery, key);
    if (!resource) continue;
    const namespace = resource.namespaced ? key.namespace : undefined;
    const id = `${resource.group}|${resource.version}|${resource.kind}|${namespace ?? ''}`;
    const g = groups.get(id) ?? { resource, ...(namespace !== undefined && { namespace }), names: new Map<string, string>() };
    g.names.set(key.name, identityOf(key));
    groups.set(id, g);
  }
  const out = new Map<string, KubeObject>();
  for (const g of groups.values()) {
    const items = await withRetry(() => client.list(g.resource, g.namespace !== undefined ? { namespace: g.namespace } : {}));
    for (const item of items) {
      const id = g.names.get(item.metadata.name);
      if (id) out.set(id, item);
    }
  }
  return out;
}
