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

/**
 * What makes an app itself, the same in every clone of its repository: the repository's first
 * commit (remote URLs differ between https and ssh clones; the first commit does not) and how
 * the app is chosen — by name (slipway.yaml, an imported Argo CD / Flux app) or as a folder.
 */
export interface AppIdentity {
  /** Oid of the first commit on the first-parent line of the planned revision; `dir:<path>` for a repository without commits. */
  readonly root: string;
  readonly selectedBy: 'name' | 'path';
  readonly app: string;
  /** Repository-relative folder ("" for the root). */
  readonly path: string;
}

/** Hex digits of the identity digest in the parent's name: enough that two apps never meet, short enough to read. */
const IDENTITY_DIGITS = 10;

export function identityDigest(identity: AppIdentity): string {
  const selector = identity.selectedBy === 'path' ? `path:${identity.path}` : `app:${identity.app}`;
  return createHash('sha256').update(`${identity.root}\n${selector}`).digest('hex').slice(0, IDENTITY_DIGITS);
}

/**
 * Slipway's parent for an app: Secret `slipway-<app>-<digest of its identity>` in the app's
 * namespace. The digest keeps two repositories' apps of the same name (and the same app in two
 * namespaces, through the id) apart; KEP-3659 derives the set's id from the parent's name.
 */
export function parentForApp(app: { name: string; namespace: string; identity: AppIdentity }): ApplySetParent {
  return { group: '', kind: 'Secret', namespace: app.namespace, name: `slipway-${app.name}-${identityDigest(app.identity)}` };
}

/** The parent Slipway 0.1 used: `slipway-<app>` in the app's namespace, else `default` — shared by every app of that name. */
export function earlierParentForApp(app: { name: string; namespace?: string }): ApplySetParent {
  return { group: '', kind: 'Secret', namespace: app.namespace ?? 'default', name: `slipway-${app.name}` };
}

/** `Secret/<namespace>/<name>`: how plans and messages name a parent. */
export function parentRef(parent: Pick<ApplySetParent, 'kind' | 'namespace' | 'name'>): string {
  return `${parent.kind}/${parent.namespace}/${parent.name}`;
}

export function parseParentRef(ref: string): ApplySetParent {
  const [kind, namespace, name] = ref.split('/') as [string, string, string];
  if (kind !== 'Secret' || !namespace || !name) throw new Error(`not an ApplySet parent reference: ${ref}`);
  return { group: '', kind, namespace, name };
}

/** Annotations Slipway records on its parents: whose set it is, and who applied it last. */
export const ORIGIN_ANNOTATIONS = {
  app: 'slipway.dev/app',
  path: 'slipway.dev/app-path',
  selectedBy: 'slipway.dev/selected-by',
  root: 'slipway.dev/repository-root',
  repository: 'slipway.dev/repository',
  lastCommit: 'slipway.dev/last-commit',
  lastUser: 'slipway.dev/last-user',
  lastAppliedAt: 'slipway.dev/last-applied-at',
  /** On an earlier-version parent whose members an app took over: that app's parent (`Secret/ns/name`). */
  adoptedBy: 'slipway.dev/adopted-by',
} as const;

/** What a parent says about its owner, read back from its annotations. */
export interface RecordedOrigin {
  readonly app?: string;
  readonly path?: string;
  readonly selectedBy?: 'name' | 'path';
  readonly root?: string;
  readonly repository?: string;
  readonly lastCommit?: string;
  readonly lastUser?: string;
  readonly lastAppliedAt?: string;
  readonly adoptedBy?: string;
}

export function readOrigin(annotations: Readonly<Record<string, string>>): RecordedOrigin {
  const out: Record<string, string> = {};
  for (const [field, name] of Object.entries(ORIGIN_ANNOTATIONS)) if (annotations[name] !== undefined && annotations[name] !== '') out[field] = annotations[name];
  if (out.selectedBy !== 'name' && out.selectedBy !== 'path') delete out.selectedBy;
  return out as RecordedOrigin;
}

/** The annotations an apply writes on the parent: the identity, and the commit and user of this apply. */
export function originAnnotations(identity: AppIdentity, last: { repository: string; commit: string; user: string; at: string }): Record<string, string> {
  return {
    [ORIGIN_ANNOTATIONS.app]: identity.app,
    [ORIGIN_ANNOTATIONS.path]: identity.path,
    [ORIGIN_ANNOTATIONS.selectedBy]: identity.selectedBy,
    [ORIGIN_ANNOTATIONS.root]: identity.root,
    [ORIGIN_ANNOTATIONS.repository]: last.repository,
    [ORIGIN_ANNOTATIONS.lastCommit]: last.commit,
    [ORIGIN_ANNOTATIONS.lastUser]: last.user,
    [ORIGIN_ANNOTATIONS.lastAppliedAt]: last.at,
  };
}

/** "app web (apps/web) of repository /src/shop, last applied from 1a2b3c4d5e6f by alice at 2026-…" — for messages. */
export function describeOrigin(origin: RecordedOrigin): string {
  if (origin.app === undefined && origin.root === undefined) return 'an owner that recorded nothing about itself (an earlier Slipway version, or kubectl)';
  const parts = [`app ${origin.app ?? '?'}${origin.path !== undefined ? ` (${origin.path || '.'})` : ''}`];
  if (origin.repository) parts.push(`of repository ${origin.repository}`);
  if (origin.lastCommit) parts.push(`last applied from ${origin.lastCommit.slice(0, 12)}${origin.lastUser ? ` by ${origin.lastUser}` : ''}${origin.lastAppliedAt ? ` at ${origin.lastAppliedAt}` : ''}`);
  return parts.join(' ');
}

/**
 * Whether a parent's recorded origin is this app. `commitKnown` tells whether this repository has
 * the commit the set was last applied from: two repositories copied from one template share their
 * first commit and app names, but not what was committed since.
 */
export type OwnerVerdict = { readonly owner: 'this-app' } | { readonly owner: 'other'; readonly why: string };

export function judgeOwner(identity: AppIdentity, origin: RecordedOrigin, commitKnown: boolean | undefined): OwnerVerdict {
  // The parent's name is this identity's digest: with nothing recorded (a kubectl turn, an apply that stopped early) there is nothing against it.
  if (origin.root === undefined || origin.app === undefined) return { owner: 'this-app' };
  if (origin.root !== identity.root) return { owner: 'other', why: `it belongs to another repository (first commit ${origin.root.slice(0, 12)}, this one's is ${identity.root.slice(0, 12)})` };
  const selectedBy = origin.selectedBy ?? 'name';
  if (selectedBy !== identity.selectedBy || (selectedBy === 'path' ? origin.path !== identity.path : origin.app !== identity.app)) {
    return { owner: 'other', why: `it belongs to ${selectedBy === 'path' ? `the folder app ${origin.path || '.'}` : `app ${origin.app}`} of this repository` };
  }
  if (commitKnown === false) return { owner: 'other', why: `it was last applied from commit ${origin.lastCommit?.slice(0, 12) ?? '?'}, which this clone does not have (another repository copied from the same one, or commits not fetched yet)` };
  return { owner: 'this-app' };
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
