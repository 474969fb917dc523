/**
 * What a workload's Pods need to start well, read from its Pod template: the ServiceAccount they
 * run as (and the bindings that grant it permissions, and the roles those bind), the ConfigMaps
 * and Secrets they mount or read, the claims they mount. The apply order uses it to send a
 * workload as soon as the objects it names are in place, instead of after every ConfigMap,
 * Secret and RBAC object of the app (see `planSteps`).
 *
 * Pure: objects in, answers out. Anything it cannot read makes the answer "unknown", and an
 * unknown workload waits for everything before it, as the kind order alone would have it.
 */
import { isPlainObject } from '../model/desired.js';
import type { ResourceKey } from '../model/resource.js';

/** The names a workload's Pods refer to, all in the workload's namespace. */
export interface PodNeeds {
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly configMaps: ReadonlySet<string>;
  readonly secrets: ReadonlySet<string>;
  readonly claims: ReadonlySet<string>;
  /** StatefulSet volumeClaimTemplates: the claims it makes are named `<template>-<statefulset>-<ordinal>`. */
  readonly claimPrefixes: readonly string[];
}

type Obj = Record<string, unknown>;

const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isPlainObject) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const at = (v: unknown, ...path: string[]): unknown => path.reduce<unknown>((o, k) => (isPlainObject(o) ? o[k] : undefined), v);

/** Where each workload kind keeps its Pod spec. */
const POD_SPEC_PATH: Readonly<Record<string, readonly string[]>> = {
  'apps/Deployment': ['spec', 'template', 'spec'],
  'apps/StatefulSet': ['spec', 'template', 'spec'],
  'apps/DaemonSet': ['spec', 'template', 'spec'],
  'apps/ReplicaSet': ['spec', 'template', 'spec'],
  '/ReplicationController': ['spec', 'template', 'spec'],
  'batch/Job': ['spec', 'template', 'spec'],
  'batch/CronJob': ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  '/Pod': ['spec'],
};

/** Where volume plugins that read credentials from a Secret of the Pod's namespace name it. */
const VOLUME_SECRETS: readonly (readonly string[])[] = [
  ...['cephfs', 'cinder', 'flexVolume', 'iscsi', 'rbd', 'scaleIO', 'storageos'].map((plugin) => [plugin, 'secretRef', 'name']),
  ['azureFile', 'secretName'],
  ['csi', 'nodePublishSecretRef', 'name'],
];

/** The Pod needs of a workload object, or undefined when it is no workload kind, names no namespace or has no readable Pod spec. */
export function podNeeds(key: ResourceKey, doc: unknown): PodNeeds | undefined {
  const path = POD_SPEC_PATH[`${key.group}/${key.kind}`];
  const spec = path && at(doc, ...path);
  if (!isPlainObject(spec) || key.namespace === undefined) return undefined;
  const configMaps = new Set<string>();
  const secrets = new Set<string>();
  const claims = new Set<string>();
  const add = (set: Set<string>, name: unknown): void => {
    const n = str(name);
    if (n) set.add(n);
  };
  for (const v of list(spec.volumes)) {
    add(configMaps, at(v, 'configMap', 'name'));
    add(secrets, at(v, 'secret', 'secretName'));
    add(claims, at(v, 'persistentVolumeClaim', 'claimName'));
    for (const s of list(at(v, 'projected', 'sources'))) {
      add(configMaps, at(s, 'configMap', 'name'));
      add(secrets, at(s, 'secret', 'name'));
    }
    for (const path of VOLUME_SECRETS) add(secrets, at(v, ...path));
  }
  for (const c of [...list(spec.initContainers), ...list(spec.containers), ...list(spec.ephemeralContainers)]) {
    for (const e of list(c.env)) {
      add(configMaps, at(e, 'valueFrom', 'configMapKeyRef', 'name'));
      add(secrets, at(e, 'valueFrom', 'secretKeyRef', 'name'));
    }
    for (const e of list(c.envFrom)) {
      add(configMaps, at(e, 'configMapRef', 'name'));
      add(secrets, at(e, 'secretRef', 'name'));
    }
  }
  for (const s of list(spec.imagePullSecrets)) add(secrets, s.name);
  const claimPrefixes = key.kind === 'StatefulSet' ? list(at(doc, 'spec', 'volumeClaimTemplates')).flatMap((t) => (str(at(t, 'metadata', 'name')) ? [`${str(at(t, 'metadata', 'name'))}-${key.name}-`] : [])) : [];
  return {
    namespace: key.namespace,
    serviceAccount: str(spec.serviceAccountName) ?? str(spec.serviceAccount) ?? 'default',
    configMaps,
    secrets,
    claims,
    claimPrefixes,
  };
}

/**
 * Whether a RoleBinding or ClusterRoleBinding grants something to the ServiceAccount: named as a
 * ServiceAccount subject, as its user name (system:serviceaccount:<ns>:<name>), or through a group
 * every ServiceAccount of its namespace is in (system:serviceaccounts[:<ns>], system:authenticated).
 */
export function bindingGrants(binding: ResourceKey, doc: unknown, sa: { readonly namespace: string; readonly name: string }): boolean {
  return list(at(doc, 'subjects')).some((s) => {
    const kind = str(s.kind);
    const name = str(s.name);
    if (kind === 'ServiceAccount') return name === sa.name && (str(s.namespace) ?? binding.namespace) === sa.namespace;
    if (kind === 'User') return name === `system:serviceaccount:${sa.namespace}:${sa.name}`;
    if (kind === 'Group') return name === 'system:serviceaccounts' || name === `system:serviceaccounts:${sa.namespace}` || name === 'system:authenticated';
    return false;
  });
}

/** The role a binding binds: { kind: 'Role' | 'ClusterRole', name }, or undefined if unreadable. */
export function roleRefOf(doc: unknown): { readonly kind: string; readonly name: string } | undefined {
  const kind = str(at(doc, 'roleRef', 'kind'));
  const name = str(at(doc, 'roleRef', 'name'));
  return kind && name ? { kind, name } : undefined;
}

/** The Secrets a ServiceAccount object names (`secrets`, `imagePullSecrets`): its Pods use them. */
export function serviceAccountSecrets(doc: unknown): string[] {
  return [...list(at(doc, 'secrets')), ...list(at(doc, 'imagePullSecrets'))].flatMap((s) => (str(s.name) ? [str(s.name)!] : []));
}
