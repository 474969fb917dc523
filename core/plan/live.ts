/**
 * The live objects for a set of keys: one LIST per kind and namespace, never one GET per object,
 * several at a time. Namespaces are read first when some are among the keys: a namespace the
 * cluster does not have holds no objects, so its kinds are not listed in it (a plan or an apply of
 * an app into new namespaces reads one LIST of Namespaces instead of one per kind and namespace).
 */
import type { KubeClient } from '../kube/client.js';
import { DEFAULT_CONCURRENCY, mapConcurrent } from '../kube/concurrency.js';
import { resourceFor } from '../kube/discovery.js';
import { withRetry } from '../kube/retry.js';
import { discover } from '../kube/target.js';
import type { ApiResource, Discovery, KubeObject } from '../kube/types.js';
import { identityOf, type ResourceKey } from '../model/resource.js';

/** Map from identityOf(key) to the live object; keys of kinds the cluster does not serve are absent. */
export async function readLiveObjects(client: KubeClient, keys: readonly ResourceKey[]): Promise<Map<string, KubeObject>> {
  let discovery = await discover(client);
  // A kind this process has not seen yet (a CRD applied since the cache was filled): look again once.
  if (keys.some((k) => !resourceFor(discovery, k))) discovery = await discover(client, { refresh: true });
  return listLiveObjects(discovery, keys, (resource, namespace) => withRetry(() => client.list(resource, namespace !== undefined ? { namespace } : {})));
}

interface ListGroup {
  readonly resource: ApiResource;
  readonly namespace?: string;
  /** name → identityOf(key). */
  readonly names: Map<string, string>;
}

/** readLiveObjects on a discovery already read, with `list` for one kind in one namespace (absent: cluster-scoped). */
export async function listLiveObjects(discovery: Discovery, keys: readonly ResourceKey[], list: (resource: ApiResource, namespace: string | undefined) => Promise<KubeObject[]>, opts: { readonly concurrency?: number } = {}): Promise<Map<string, KubeObject>> {
  const groups = new Map<string, ListGroup>();
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
  const read = async (g: ListGroup): Promise<void> => {
    for (const item of await list(g.resource, g.namespace)) {
      const id = g.names.get(item.metadata.name);
      if (id) out.set(id, item);
    }
  };
  const isNamespaces = (g: ListGroup): boolean => g.resource.group === '' && g.resource.kind === 'Namespace';
  const namespaces = [...groups.values()].filter(isNamespaces);
  for (const g of namespaces) await read(g);
  // Namespaces among the keys that the cluster does not have (a Terminating one still exists, and is listed in).
  const absent = new Set(namespaces.flatMap((g) => [...g.names].filter(([, id]) => !out.has(id)).map(([name]) => name)));
  const rest = [...groups.values()].filter((g) => !isNamespaces(g) && !(g.namespace !== undefined && absent.has(g.namespace)));
  await mapConcurrent(rest, opts.concurrency ?? DEFAULT_CONCURRENCY, read);
  return out;
}
