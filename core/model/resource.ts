/**
 * ResourceKey: how Slipway names one Kubernetes object (group, version, kind, namespace, name).
 * Pure functions only.
 */

export interface ResourceKey {
  /** API group; "" for the core group. */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** Absent for cluster-scoped objects and for namespaced objects that take the app's default namespace later. */
  readonly namespace?: string;
  readonly name: string;
}

/** Splits an apiVersion ("apps/v1", "v1") into group and version. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** The key of an object as written or returned by the API server (apiVersion, kind, metadata.name/namespace). */
export function keyOfObject(obj: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } }): ResourceKey {
  const { group, version } = parseApiVersion(obj.apiVersion);
  const ns = obj.metadata.namespace;
  return ns ? { group, version, kind: obj.kind, namespace: ns, name: obj.metadata.name } : { group, version, kind: obj.kind, name: obj.metadata.name };
}

export function apiVersionOf(key: Pick<ResourceKey, 'group' | 'version'>): string {
  return key.group ? `${key.group}/${key.version}` : key.version;
}

/**
 * Identity of an object regardless of API version: two keys that differ only in version name the
 * same object (apps/v1 and apps/v1beta1 Deployments), so duplicates are found across versions.
 */
export function identityOf(key: ResourceKey): string {
  return `${key.group}|${key.kind}|${key.namespace ?? ''}|${key.name}`;
}

/** Human form used in messages and views: "Deployment web/api" or "ClusterRole admin" (with group when not core). */
export function formatKey(key: ResourceKey): string {
  const kind = key.group ? `${key.kind}.${key.group}` : key.kind;
  return key.namespace ? `${kind} ${key.namespace}/${key.name}` : `${kind} ${key.name}`;
}

/** Stable total order: group, kind, namespace, name, version. */
export function compareKeys(a: ResourceKey, b: ResourceKey): number {
  return (
    a.group.localeCompare(b.group) ||
    a.kind.localeCompare(b.kind) ||
    (a.namespace ?? '').localeCompare(b.namespace ?? '') ||
    a.name.localeCompare(b.name) ||
    a.version.localeCompare(b.version)
  );
}
