/**
 * One WatchHub per context for the whole engine (issue 20 item 2: one watch per kind and
 * namespace, shared by the live view and the drift check). A live tree (live-tree.ts) and an app
 * watch (app-watch.ts) of the same context take a lease of the same client and hub, so the UI's
 * live view and its drift badge of one app share the Deployment watch of its namespace instead of
 * opening two. The hub and its client are closed when the last lease is released.
 *
 *   const lease = hubs.lease(kubeconfig, 'kind-dev', { requestTimeoutMs });
 *   lease.hub.subscribe(…);   lease.client.list(…);
 *   await lease.release();
 *
 * Two leases share a hub only when they would make the same client: the same context, with the
 * same cluster and user entries (a rotated token or another kubeconfig file of the same context
 * name gets a hub of its own) and the same request timeout.
 *
 * Without a pool (the CLI: one watch per process), `ownHub` gives a lease of a client and hub of
 * its own, released the same way.
 */
import { createHash } from 'node:crypto';
import { KubeClient } from '../kube/client.js';
import type { LoadedKubeconfig } from '../kube/kubeconfig.js';
import { WatchHub, type WatchHubOptions, type WatchInfo } from '../watch/watcher.js';

/** A client and its hub, until released. */
export interface HubLease {
  readonly client: KubeClient;
  readonly hub: WatchHub;
  /** Leaves the hub: the last lease closes it and its client. Idempotent. */
  release(): Promise<void>;
}

export interface LeaseOptions {
  /** The client's per-request timeout (KubeClient's default: 30 s). */
  readonly requestTimeoutMs?: number;
}

interface Shared {
  readonly client: KubeClient;
  readonly hub: WatchHub;
  leases: number;
}

export class WatchHubs {
  private readonly shared = new Map<string, Shared>();

  constructor(private readonly hubOptions: WatchHubOptions = {}) {}

  lease(kubeconfig: LoadedKubeconfig, context: string, opts: LeaseOptions = {}): HubLease {
    const id = leaseKey(kubeconfig, context, opts);
    let entry = this.shared.get(id);
    if (!entry) {
      const client = clientFor(kubeconfig, context, opts);
      entry = { client, hub: new WatchHub(client, this.hubOptions), leases: 0 };
      this.shared.set(id, entry);
    }
    entry.leases++;
    const held = entry;
    let released = false;
    return {
      client: held.client,
      hub: held.hub,
      release: async () => {
        if (released) return;
        released = true;
        if (--held.leases > 0) return;
        if (this.shared.get(id) === held) this.shared.delete(id);
        held.hub.close();
        await held.client.close();
      },
    };
  }

  /** Each hub with its context, leases and watches (what is shared now). */
  list(): { readonly context: string; readonly leases: number; readonly watches: WatchInfo[] }[] {
    return [...this.shared.values()].map((s) => ({ context: s.client.context, leases: s.leases, watches: s.hub.list() }));
  }

  /** Closes every hub and client, whoever still holds a lease. */
  async close(): Promise<void> {
    const all = [...this.shared.values()];
    this.shared.clear();
    for (const s of all) s.hub.close();
    await Promise.all(all.map((s) => s.client.close()));
  }
}

/** A client and hub of its own (no pool): release closes both. */
export function ownHub(kubeconfig: LoadedKubeconfig, context: string, opts: LeaseOptions & { readonly hubOptions?: WatchHubOptions } = {}): HubLease {
  const client = clientFor(kubeconfig, context, opts);
  const hub = new WatchHub(client, opts.hubOptions);
  let released = false;
  return {
    client,
    hub,
    release: async () => {
      if (released) return;
      released = true;
      hub.close();
      await client.close();
    },
  };
}

const clientFor = (kubeconfig: LoadedKubeconfig, context: string, opts: LeaseOptions): KubeClient => new KubeClient(kubeconfig, context, { ...(opts.requestTimeoutMs !== undefined && { timeoutMs: opts.requestTimeoutMs }) });

/** What makes two clients the same: the context's entries as loaded (credentials hashed, never kept as text) and the timeout. */
function leaseKey(kubeconfig: LoadedKubeconfig, context: string, opts: LeaseOptions): string {
  const ctx = kubeconfig.contexts.find((c) => c.name === context);
  const cluster = ctx && kubeconfig.clusters.find((c) => c.name === ctx.cluster);
  const user = ctx && kubeconfig.users.find((u) => u.name === ctx.user);
  const entries = JSON.stringify([ctx ?? null, cluster ?? null, user ?? null, opts.requestTimeoutMs ?? null]);
  return `${context}\n${createHash('sha256').update(entries).digest('hex')}`;
}
