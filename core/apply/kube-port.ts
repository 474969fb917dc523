/**
 * The cluster port on the Kubernetes API server: a KubeClient's calls, plus the reads built on
 * discovery and its cache (cluster identity, one LIST per kind and namespace, ApplySet members).
 */
import type { KubeClient } from '../kube/client.js';
import { preferredFor } from '../kube/discovery.js';
import { discover, invalidateCache, resolveTarget } from '../kube/target.js';
import { listInScope } from '../plan/list.js';
import { readLiveObjects } from '../plan/live.js';
import type { ClusterPort } from './cluster-port.js';

export function kubeClusterPort(client: KubeClient): ClusterPort {
  return {
    context: client.context,
    identity: () => resolveTarget(client, { refresh: true }),
    get: (key) => client.get(key),
    list: async (kind, opts = {}) => client.list(await client.resourceFor(kind), { ...(opts.namespace !== undefined && { namespace: opts.namespace }) }),
    getMany: (keys) => readLiveObjects(client, keys),
    listLabelled: async (kind, opts) => {
      const resource = preferredFor(await discover(client), kind.group, kind.kind);
      if (!resource) return [];
      if (opts.scope !== 'namespaces') return listInScope(client, resource, opts);
      const { labelSelector } = opts;
      return (await Promise.all([...opts.namespaces].map((namespace) => client.list(resource, { labelSelector, namespace })))).flat();
    },
    apply: (obj, opts) => client.apply(obj, opts),
    create: (obj, opts) => client.create(obj, opts),
    update: (obj, opts) => client.update(obj, opts),
    delete: (key, opts) => client.delete(key, opts),
    podLog: (namespace, pod, opts) => client.podLog(namespace, pod, opts),
    kindsChanged: () => invalidateCache(client, 'discovery'),
  };
}
