/**
 * The health of a few objects as they are now, by the same per-kind rules as the apply's waits:
 * what an apply view left open after a run ended `progressing` polls (the contract's
 * `objectHealth`), so it keeps watching the objects the run stopped waiting for (Argo CD keeps
 * showing an app's health after its sync). One LIST per kind and namespace, never a GET per object.
 */
import { KubeClient } from '../kube/client.js';
import type { LoadedKubeconfig } from '../kube/kubeconfig.js';
import { identityOf, type ResourceKey } from '../model/resource.js';
import type { ClusterPort } from './cluster-port.js';
import { assessHealth, type HealthStatus } from './health/assess.js';
import { kubeClusterPort } from './kube-port.js';

export interface ObjectHealth {
  readonly key: ResourceKey;
  readonly status: HealthStatus;
  readonly message: string;
}

/** Each key's health now; an object that is not there (or of a kind the cluster does not serve) is `missing`. */
export async function readObjectHealth(cluster: Pick<ClusterPort, 'getMany'>, keys: readonly ResourceKey[]): Promise<ObjectHealth[]> {
  const live = await cluster.getMany(keys);
  return keys.map((key) => {
    const { status, message } = assessHealth(live.get(identityOf(key)));
    return { key, status, message };
  });
}

export interface ObjectHealthRequest {
  readonly kubeconfig: LoadedKubeconfig;
  readonly context: string;
  readonly keys: readonly ResourceKey[];
  /** Give up on one API request after this long; default: KubeClient's. */
  readonly requestTimeoutMs?: number;
}

/** readObjectHealth on the context's cluster, with a client of its own. */
export async function objectHealth(req: ObjectHealthRequest): Promise<ObjectHealth[]> {
  const client = new KubeClient(req.kubeconfig, req.context, { ...(req.requestTimeoutMs !== undefined && { timeoutMs: req.requestTimeoutMs }) });
  try {
    return await readObjectHealth(kubeClusterPort(client), req.keys);
  } finally {
    await client.close();
  }
}
