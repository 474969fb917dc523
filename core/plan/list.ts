/**
 * LISTs the plan needs: a kind across the namespaces it spans (cluster-wide when allowed, else one
 * namespace at a time), and the names of the namespaces that exist.
 */
import { KubeError } from '../kube/errors.js';
import type { KubeClient } from '../kube/client.js';
import { resourceFor } from '../kube/discovery.js';
import { withRetry } from '../kube/retry.js';
import type { ApiResource, Discovery, KubeObject } from '../kube/types.js';

const NAMESPACE = { group: '', version: 'v1', kind: 'Namespace' };

/** LIST a kind cluster-wide, or namespace by namespace when the user may not list across namespaces. */
export async function listInScope(client: KubeClient, resource: ApiResource, opts: { labelSelector?: string; namespaces: ReadonlySet<string>; clusterWide?: boolean }): Promise<KubeObject[]> {
  const base = opts.labelSelector ? { labelSelector: opts.labelSelector } : {};
  const list = (namespace?: string): Promise<KubeObject[]> => withRetry(() => client.list(resource, { ...base, ...(namespace !== undefined && { namespace }) }));
  if (!resource.namespaced) return list();
  if (opts.labelSelector || opts.clusterWide) {
    try {
      return await list();
    } catch (e) {
      if (!(e instanceof KubeError) || e.code !== 'forbidden') throw e;
    }
  }
  return (await Promise.all([...opts.namespaces].map((ns) => list(ns).catch((e: unknown) => (e instanceof KubeError && e.code === 'not-found' ? [] : Promise.reject(e)))))).flat();
}

/** Names of existing namespaces, or undefined when the user may not list them (then dry-run tells). */
export async function listNames(client: KubeClient, discovery: Discovery): Promise<Set<string> | undefined> {
  const r = resourceFor(discovery, NAMESPACE);
  if (!r) return undefined;
  try {
    return new Set((await withRetry(() => client.list(r))).map((n) => n.metadata.name));
  } catch (e) {
    if (e instanceof KubeError && e.code === 'forbidden') return undefined;
    throw e;
  }
}
