/**
 * ApplySet (KEP-3659): the ownership record kubectl's `apply --prune --applyset` uses. A parent
 * object carries the set's id and the group-kinds and namespaces it spans; every member carries
 * the `part-of` label. Slipway proposes `delete` only for members of its own set. Pure functions.
 */
import { createHash } from 'node:crypto';
import type { ResourceKey } from './resource.js';

export const APPLYSET_PART_OF_LABEL = 'applyset.kubernetes.io/part-of';
export const APPLYSET_ID_LABEL = 'applyset.kubernetes.io/id';
export const APPLYSET_TOOLING_ANNOTATION = 'applyset.kubernetes.io/tooling';
export const APPLYSET_GROUP_KINDS_ANNOTATION = 'applyset.kubernetes.io/contains-group-kinds';
export const APPLYSET_NAMESPACES_ANNOTATION = 'applyset.kubernetes.io/additional-namespaces';

/** The parent: a Secret (kubectl's default parent type) in the app's namespace. */
export interface ApplySetParent {
  readonly group: '';
  readonly kind: 'Secret';
  readonly namespace: string;
  readonly name: string;
}

/** `applyset-<base64url(sha256(<name>.<namespace>.<kind>.<group>))>-v1`, as the KEP and kubectl compute it. */
export function applySetId(parent: { group: string; kind: string; namespace: string; name: string }): string {
  const digest = createHash('sha256').update(`${parent.name}.${parent.namespace}.${parent.kind}.${parent.group}`).digest('base64url');
  return `applyset-${digest}-v1`;
}

/** Slipway's parent for an app: Secret `slipway-<app>` in the app's namespace (default "default"). */
export function parentForApp(app: { name: string; namespace?: string }): ApplySetParent {
  return { group: '', kind: 'Secret', namespace: app.namespace ?? 'default', name: `slipway-${app.name}` };
}

/** "Kind.group", or "Kind" for the core group: kubectl's GroupKind.String(). */
export function groupKindString(key: Pick<ResourceKey, 'group' | 'kind'>): string {
  return key.group ? `${key.kind}.${key.group}` : key.kind;
}

export function parseGroupKinds(annotation: string | undefined): { group: string; kind: string }[] {
  return (annotation ?? '')
    .split(',')
    .filter(Boolean)
    .map((gk) => {
      const dot = gk.indexOf('.');
      return dot < 0 ? { group: '', kind: gk } : { group: gk.slice(dot + 1), kind: gk.slice(0, dot) };
    });
}

/** The parent's annotations for a set of member keys: sorted, comma-separated, parent namespace excluded from additional namespaces. */
export function parentAnnotations(parent: ApplySetParent, members: readonly Pick<ResourceKey, 'group' | 'kind' | 'namespace'>[], tooling: string): Record<string, string> {
  const gks = [...new Set(members.map(groupKindString))].sort();
  const namespaces = [...new Set(members.map((m) => m.namespace).filter((ns): ns is string => !!ns && ns !== parent.namespace))].sort();
  return {
    [APPLYSET_TOOLING_ANNOTATION]: tooling,
    [APPLYSET_GROUP_KINDS_ANNOTATION]: gks.join(','),
    ...(namespaces.length > 0 && { [APPLYSET_NAMESPACES_ANNOTATION]: namespaces.join(',') }),
  };
}
