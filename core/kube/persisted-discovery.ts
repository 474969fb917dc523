/**
 * Aggregated discovery in the process's disk cache, by API server URL: each of /api and /apis with
 * the ETag the server gave it. It is never used unchecked: the next process asks with
 * If-None-Match, and only a 304 ("not modified") lets it take the saved half instead of reading
 * and parsing the document again — so a CRD added or removed since, by anyone, is seen as at once
 * as without the cache. (The ETag is the server's hash of the document, so it stands for the
 * cluster's identity too: another cluster behind the same URL serves other documents.)
 */
import { diskCache } from '../disk-cache/process.js';
import type { ApiResource, Discovery } from './types.js';

export const DISCOVERY_NAMESPACE = 'discovery/1';

/** One discovery document (/api or /apis), parsed, with its ETag. */
export interface DiscoveryHalf {
  readonly etag: string;
  readonly resources: readonly ApiResource[];
  readonly unavailable: readonly string[];
}

export interface PersistedDiscovery {
  readonly api: DiscoveryHalf;
  readonly apis: DiscoveryHalf;
}

function isHalf(v: unknown): v is DiscoveryHalf {
  const h = v as Partial<DiscoveryHalf> | null;
  return typeof h === 'object' && h !== null && typeof h.etag === 'string' && Array.isArray(h.resources) && Array.isArray(h.unavailable);
}

export function persistedDiscovery(server: string): PersistedDiscovery | undefined {
  const disk = diskCache();
  const text = disk?.get(DISCOVERY_NAMESPACE, server);
  if (text === undefined) return undefined;
  try {
    const saved = JSON.parse(text) as Partial<PersistedDiscovery> | null;
    if (isHalf(saved?.api) && isHalf(saved.apis)) return saved as PersistedDiscovery;
  } catch {
    // damaged: dropped below
  }
  disk!.drop(DISCOVERY_NAMESPACE, [server]);
  return undefined;
}

export function persistDiscovery(server: string, saved: PersistedDiscovery): void {
  diskCache()?.put(DISCOVERY_NAMESPACE, server, JSON.stringify(saved));
}

export function forgetPersistedDiscovery(server: string): void {
  diskCache()?.drop(DISCOVERY_NAMESPACE, [server]);
}

/** The two halves as one Discovery, in the order the server lists them (/api first). */
export function joinHalves(saved: PersistedDiscovery): Discovery {
  return { resources: [...saved.api.resources, ...saved.apis.resources], unavailable: [...saved.api.unavailable, ...saved.apis.unavailable], source: 'aggregated' };
}
