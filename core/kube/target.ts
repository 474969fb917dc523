/**
 * Target (a context resolved to cluster identity) and Discovery (every served API resource), each
 * cached in memory per (context, server) for a TTL (default 5 min). Invalidate the discovery cache
 * after an apply that creates or changes CustomResourceDefinitions or APIServices. Discovery is
 * also kept in the disk cache, if the process has one, and used there only when the server says
 * it is still current (persisted-discovery.ts).
 */
import { mapConcurrent } from './concurrency.js';
import {
  AGGREGATED_DISCOVERY_ACCEPT,
  isAggregatedDiscovery,
  legacyGroupVersions,
  parseAggregatedDiscovery,
  parseLegacyDiscovery,
} from './discovery.js';
import type { ApiGroupList, ApiResourceList } from './discovery.js';
import { KubeError } from './errors.js';
import { forgetPersistedDiscovery, joinHalves, persistDiscovery, persistedDiscovery, type DiscoveryHalf, type PersistedDiscovery } from './persisted-discovery.js';
import { withRetry } from './retry.js';
import type { Discovery, DiscoveryClient, Target } from './types.js';

export const DEFAULT_CACHE_TTL_MS = 5 * 60_000;

export type { DiscoveryClient } from './types.js';

export interface CacheOptions {
  /** Entries older than this are fetched again. Default 5 min. */
  readonly ttlMs?: number;
  /** Fetch again now, whatever the age. */
  readonly refresh?: boolean;
}

class TtlCache<T> {
  private readonly entries = new Map<string, { readonly at: number; readonly value: Promise<T> }>();

  get(key: string, opts: CacheOptions, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && !opts.refresh && Date.now() - hit.at < (opts.ttlMs ?? DEFAULT_CACHE_TTL_MS)) return hit.value;
    const value = load();
    const entry = { at: Date.now(), value };
    this.entries.set(key, entry);
    // A failure is not remembered: the next call tries again.
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return value;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}

const targets = new TtlCache<Target>();
const discoveries = new TtlCache<Discovery>();

function cacheKey(client: Pick<DiscoveryClient, 'context' | 'server'>): string {
  return `${client.context}\u0000${client.server}`;
}

/** Forgets the cached discovery and/or target of this context and server. */
export function invalidateCache(client: Pick<DiscoveryClient, 'context' | 'server'>, what: 'discovery' | 'target' | 'all' = 'all'): void {
  if (what !== 'target') {
    discoveries.delete(cacheKey(client));
    forgetPersistedDiscovery(client.server);
  }
  if (what !== 'discovery') targets.delete(cacheKey(client));
}

/** Forgets everything cached, for every context. */
export function clearCaches(): void {
  discoveries.clear();
  targets.clear();
}

export function resolveTarget(client: DiscoveryClient, opts: CacheOptions = {}): Promise<Target> {
  return targets.get(cacheKey(client), opts, async () => {
    // The first calls to a cluster: a throttled (429) or briefly failing (5xx) server is tried again, as every later call is.
    const [version, kubeSystem] = await Promise.all([
      withRetry(() => client.request('GET', '/version', { info: { verb: 'get', resource: 'version' } })) as Promise<{ gitVersion?: string; major?: string; minor?: string } | undefined>,
      withRetry(() => client.request('GET', '/api/v1/namespaces/kube-system', { info: { verb: 'get', key: { group: '', version: 'v1', kind: 'Namespace', name: 'kube-system' } } })) as Promise<
        { metadata?: { uid?: string } } | undefined
      >,
    ]);
    const clusterUid = kubeSystem?.metadata?.uid;
    if (!clusterUid || !version?.gitVersion) {
      throw new KubeError('api-error', `the API server of context ${client.context} did not say its version and kube-system uid`, { context: client.context, server: client.server });
    }
    return {
      context: client.context,
      server: client.server,
      user: client.user,
      clusterUid,
      serverVersion: { gitVersion: version.gitVersion, major: version.major ?? '', minor: version.minor ?? '' },
    };
  });
}

/** Every served API resource: aggregated discovery when the server offers it, else /api + /apis group version by group version. */
export function discover(client: DiscoveryClient, opts: CacheOptions = {}): Promise<Discovery> {
  return discoveries.get(cacheKey(client), opts, () => discoverNow(client));
}

async function discoverNow(client: DiscoveryClient, useSaved = true): Promise<Discovery> {
  const saved = useSaved && client.conditionalGet ? persistedDiscovery(client.server) : undefined;
  const read = (half: 'api' | 'apis'): Promise<{ readonly body: unknown; readonly etag?: string } | undefined> => {
    const opts = { accept: AGGREGATED_DISCOVERY_ACCEPT, info: { verb: 'get', resource: `discovery (/${half})` } };
    if (client.conditionalGet) return withRetry(() => client.conditionalGet!(`/${half}`, { ...opts, ...(saved && { etag: saved[half].etag }) }));
    return withRetry(() => client.request('GET', `/${half}`, opts)).then((body) => ({ body }));
  };
  const [core, apis] = await Promise.all([read('api'), read('apis')]);
  // undefined: not modified since the saved half (a 304 to If-None-Match).
  const half = (answer: typeof core, which: 'api' | 'apis'): DiscoveryHalf | undefined => {
    if (answer === undefined) return saved?.[which];
    if (!isAggregatedDiscovery(answer.body) || answer.etag === undefined) return undefined;
    const { resources, unavailable } = parseAggregatedDiscovery([answer.body]);
    return { etag: answer.etag, resources, unavailable };
  };
  const both = { api: half(core, 'api'), apis: half(apis, 'apis') };
  if (both.api && both.apis) {
    if (core !== undefined || apis !== undefined) persistDiscovery(client.server, both as PersistedDiscovery);
    return joinHalves(both as PersistedDiscovery);
  }
  // The server stopped sending one of them aggregated (or without an ETag) although the other was not modified: ask again from scratch.
  if (core === undefined || apis === undefined) return discoverNow(client, false);
  if (isAggregatedDiscovery(core.body) && isAggregatedDiscovery(apis.body)) return parseAggregatedDiscovery([core.body, apis.body]);
  return legacyDiscovery(client, {
    core: isAggregatedDiscovery(core.body) ? undefined : (core.body as { versions?: string[] }),
    apis: isAggregatedDiscovery(apis.body) ? undefined : (apis.body as ApiGroupList),
  });
}

/** Discovery the pre-1.26 way: GET /api and /apis, then every group version's resource list, in parallel. Uncached. */
export async function legacyDiscovery(client: DiscoveryClient, known: { core?: { versions?: string[] }; apis?: ApiGroupList } = {}): Promise<Discovery> {
  const core = known.core ?? ((await client.request('GET', '/api', { info: { verb: 'get', resource: 'discovery (/api)' } })) as { versions?: string[] });
  const apis = known.apis ?? ((await client.request('GET', '/apis', { info: { verb: 'get', resource: 'discovery (/apis)' } })) as ApiGroupList);
  const gvs = legacyGroupVersions(core, apis);
  const lists = await mapConcurrent(gvs, 8, async (gv) => {
    const path = gv.group ? `/apis/${gv.group}/${gv.version}` : `/api/${gv.version}`;
    try {
      return { gv, list: (await client.request('GET', path, { info: { verb: 'get', resource: `discovery (${path})` } })) as ApiResourceList };
    } catch (err) {
      // An aggregated API whose backend is down (503) or a group that just went away (404): the rest still counts.
      if (err instanceof KubeError && err.status !== undefined && (err.status >= 500 || err.status === 404)) return { gv, list: undefined };
      throw err;
    }
  });
  return parseLegacyDiscovery(lists);
}
