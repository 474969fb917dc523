/**
 * Discovery documents → ApiResources. Pure: parses the aggregated discovery answer
 * (apidiscovery.k8s.io/v2, one request each for /api and /apis) or the legacy documents
 * (/api, /apis, then one APIResourceList per group version), and looks resources up.
 * Subresources (pods/status, deployments/scale) are never listed.
 */
import type { ApiResource, Discovery } from './types.js';

/** Accept header asking for aggregated discovery, with plain JSON (legacy documents) as the fallback. */
export const AGGREGATED_DISCOVERY_ACCEPT =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

interface AggregatedResource {
  readonly resource?: string;
  readonly responseKind?: { readonly group?: string; readonly version?: string; readonly kind?: string };
  readonly scope?: string;
  readonly verbs?: readonly string[];
}

interface AggregatedVersion {
  readonly version?: string;
  readonly resources?: readonly AggregatedResource[];
  readonly freshness?: string;
}

export interface AggregatedDiscoveryList {
  readonly kind?: string;
  readonly items?: readonly { readonly metadata?: { readonly name?: string }; readonly versions?: readonly AggregatedVersion[] }[];
}

export function isAggregatedDiscovery(doc: unknown): doc is AggregatedDiscoveryList {
  return typeof doc === 'object' && doc !== null && (doc as { kind?: unknown }).kind === 'APIGroupDiscoveryList';
}

/** Resources from the aggregated answers of /api and /apis (in that order). Versions are listed in preference order. */
export function parseAggregatedDiscovery(lists: readonly AggregatedDiscoveryList[]): Discovery {
  const resources: ApiResource[] = [];
  const unavailable: string[] = [];
  for (const list of lists) {
    for (const item of list.items ?? []) {
      const group = item.metadata?.name ?? '';
      (item.versions ?? []).forEach((v, index) => {
        if (!v.version) return;
        if (v.freshness === 'Stale') {
          unavailable.push(group ? `${group}/${v.version}` : v.version);
          return;
        }
        for (const r of v.resources ?? []) {
          const kind = r.responseKind?.kind;
          if (!r.resource || !kind) continue;
          resources.push({ group, version: v.version, kind, plural: r.resource, namespaced: r.scope === 'Namespaced', verbs: [...(r.verbs ?? [])], preferred: index === 0 });
        }
      });
    }
  }
  return { resources, unavailable, source: 'aggregated' };
}

/** GET /apis (legacy form). */
export interface ApiGroupList {
  readonly groups?: readonly {
    readonly name: string;
    readonly versions?: readonly { readonly groupVersion: string; readonly version: string }[];
    readonly preferredVersion?: { readonly groupVersion: string; readonly version: string };
  }[];
}

/** GET /api/v1, /apis/{group}/{version}. */
export interface ApiResourceList {
  readonly groupVersion?: string;
  readonly resources?: readonly { readonly name: string; readonly kind: string; readonly namespaced?: boolean; readonly verbs?: readonly string[] }[];
}

export interface LegacyGroupVersion {
  readonly group: string;
  readonly version: string;
  readonly preferred: boolean;
}

/** The group versions to fetch, core first: from GET /api ({ versions }) and GET /apis. */
export function legacyGroupVersions(core: { readonly versions?: readonly string[] }, apis: ApiGroupList): LegacyGroupVersion[] {
  const out: LegacyGroupVersion[] = (core.versions ?? []).map((version, i) => ({ group: '', version, preferred: i === 0 }));
  for (const g of apis.groups ?? []) {
    const preferred = g.preferredVersion?.version ?? g.versions?.[0]?.version;
    for (const v of g.versions ?? []) out.push({ group: g.name, version: v.version, preferred: v.version === preferred });
  }
  return out;
}

/** Resources from each group version's APIResourceList; `undefined` marks a group version that could not be read. */
export function parseLegacyDiscovery(lists: readonly { readonly gv: LegacyGroupVersion; readonly list: ApiResourceList | undefined }[]): Discovery {
  const resources: ApiResource[] = [];
  const unavailable: string[] = [];
  for (const { gv, list } of lists) {
    if (!list) {
      unavailable.push(gv.group ? `${gv.group}/${gv.version}` : gv.version);
      continue;
    }
    for (const r of list.resources ?? []) {
      if (r.name.includes('/')) continue;
      resources.push({ group: gv.group, version: gv.version, kind: r.kind, plural: r.name, namespaced: r.namespaced === true, verbs: [...(r.verbs ?? [])], preferred: gv.preferred });
    }
  }
  return { resources, unavailable, source: 'legacy' };
}

/** The resource serving exactly this group, version and kind. */
export function resourceFor(discovery: Discovery, gvk: { readonly group: string; readonly version: string; readonly kind: string }): ApiResource | undefined {
  return discovery.resources.find((r) => r.group === gvk.group && r.version === gvk.version && r.kind === gvk.kind);
}

/** The resource for this kind in the group's preferred version, or else in the first version that serves it. */
export function preferredFor(discovery: Discovery, group: string, kind: string): ApiResource | undefined {
  const all = discovery.resources.filter((r) => r.group === group && r.kind === kind);
  return all.find((r) => r.preferred) ?? all[0];
}
