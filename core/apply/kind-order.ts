/**
 * The kind table as data (DESIGN.md rule 3; kapp keeps its rules in `pkg/kapp/config/default.go`):
 * which kind group each kind belongs to and in which order the groups are applied, which API
 * groups are Kubernetes' own, what a workload needs of the groups before it, and which groups a
 * wave waits for before its next group is sent. order.ts and the executor read these tables; no
 * logic lives here.
 */

export interface GroupKind {
  /** "" for the core group. */
  readonly group: string;
  readonly kind: string;
}

export type KindGroupName =
  | 'namespaces'
  | 'crds'
  | 'classes'
  | 'policies'
  | 'rbac'
  | 'config'
  | 'storage'
  | 'services'
  | 'workloads'
  | 'autoscaling'
  | 'ingress'
  | 'apiservices'
  | 'admission'
  | 'other'
  | 'custom';

export interface KindGroup {
  readonly name: KindGroupName;
  /** Kinds in this group, in apply order within a step. Empty for the two catch-all groups. */
  readonly kinds: readonly GroupKind[];
  /** Why the group sits where it does. */
  readonly why: string;
}

const core = (kind: string): GroupKind => ({ group: '', kind });
const rbac = (kind: string): GroupKind => ({ group: 'rbac.authorization.k8s.io', kind });

/**
 * The kind order. Upserts run group by group, top to bottom; deletions bottom to top.
 *
 * Reconciles gitops-engine's list (Helm's kind_sorter) with the issue's: CRDs move up to just
 * after Namespaces, cluster-wide "classes" (PriorityClass, StorageClass, IngressClass,
 * RuntimeClass) come before anything that names them, Services come before RBAC and config (they
 * need nothing, and Pods need them first), HorizontalPodAutoscaler comes after every
 * workload kind (gitops-engine has it before StatefulSet), admission webhooks come after the
 * workloads that serve them, and custom resources come last. `*List` kinds are left out: the
 * renderer expands Lists into their items, so none reaches a plan.
 */
export const KIND_ORDER: readonly KindGroup[] = [
  { name: 'namespaces', kinds: [core('Namespace')], why: 'everything namespaced lives in one' },
  { name: 'crds', kinds: [{ group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' }], why: 'custom resources need their CRD Established' },
  {
    name: 'classes',
    kinds: [
      { group: 'scheduling.k8s.io', kind: 'PriorityClass' },
      { group: 'storage.k8s.io', kind: 'StorageClass' },
      { group: 'node.k8s.io', kind: 'RuntimeClass' },
      { group: 'networking.k8s.io', kind: 'IngressClass' },
    ],
    why: 'cluster-wide classes that Pods, claims and Ingresses name; admission rejects a Pod with an unknown PriorityClass',
  },
  {
    name: 'policies',
    kinds: [
      { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
      core('ResourceQuota'),
      core('LimitRange'),
      { group: 'policy', kind: 'PodSecurityPolicy' },
      { group: 'policy', kind: 'PodDisruptionBudget' },
    ],
    why: 'quotas, limits and network policy must be in force before the Pods they govern start',
  },
  {
    name: 'services',
    kinds: [core('Service'), core('Endpoints'), { group: 'discovery.k8s.io', kind: 'EndpointSlice' }],
    why: 'Service environment variables are injected into Pods that start after the Service; a Service names nothing that must exist first',
  },
  {
    name: 'rbac',
    kinds: [core('ServiceAccount'), rbac('ClusterRole'), rbac('ClusterRoleBinding'), rbac('Role'), rbac('RoleBinding')],
    why: 'Pods run as a ServiceAccount, whose permissions must exist when they start',
  },
  { name: 'config', kinds: [core('Secret'), core('ConfigMap')], why: 'Pods mount and read them at start' },
  { name: 'storage', kinds: [core('PersistentVolume'), core('PersistentVolumeClaim')], why: 'Pods mount claims' },
  {
    name: 'workloads',
    kinds: [
      { group: 'apps', kind: 'DaemonSet' },
      core('Pod'),
      core('ReplicationController'),
      { group: 'apps', kind: 'ReplicaSet' },
      { group: 'apps', kind: 'Deployment' },
      { group: 'apps', kind: 'StatefulSet' },
      { group: 'batch', kind: 'Job' },
      { group: 'batch', kind: 'CronJob' },
    ],
    why: 'the application itself',
  },
  { name: 'autoscaling', kinds: [{ group: 'autoscaling', kind: 'HorizontalPodAutoscaler' }], why: 'after the workload it scales' },
  { name: 'ingress', kinds: [{ group: 'networking.k8s.io', kind: 'Ingress' }], why: 'routes traffic to Services whose Pods are up' },
  { name: 'apiservices', kinds: [{ group: 'apiregistration.k8s.io', kind: 'APIService' }], why: 'Available only once the Service and Pods behind it are' },
  {
    name: 'admission',
    kinds: [
      { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration' },
      { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration' },
      { group: 'admissionregistration.k8s.io', kind: 'ValidatingAdmissionPolicy' },
      { group: 'admissionregistration.k8s.io', kind: 'ValidatingAdmissionPolicyBinding' },
      { group: 'admissionregistration.k8s.io', kind: 'MutatingAdmissionPolicy' },
      { group: 'admissionregistration.k8s.io', kind: 'MutatingAdmissionPolicyBinding' },
    ],
    why: 'a webhook registered before its server runs would reject everything after it',
  },
  { name: 'other', kinds: [], why: 'built-in kinds not listed above' },
  { name: 'custom', kinds: [], why: 'custom resources (groups not served by Kubernetes itself), after their CRDs and webhooks' },
];

/** API groups Kubernetes itself serves; a kind in any other group is a custom resource. */
export const BUILTIN_API_GROUPS: readonly string[] = [
  '',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'apps',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'events.k8s.io',
  'extensions',
  'flowcontrol.apiserver.k8s.io',
  'internal.apiserver.k8s.io',
  'networking.k8s.io',
  'node.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'resource.k8s.io',
  'scheduling.k8s.io',
  'storage.k8s.io',
  'storagemigration.k8s.io',
];

/**
 * What a workload needs of the earlier kind groups of its wave, as data: "all" (every object of
 * the group: classes, quotas and policies govern Pods at admission, Services inject environment
 * variables, CRDs and Namespaces must exist), or "named" (only what its Pod template names, see
 * core/apply/needs.ts: its ServiceAccount with the bindings that grant it and the roles they bind,
 * its ConfigMaps and Secrets, its claims and, when it has any, every PersistentVolume).
 */
export const WORKLOADS_NEED: Readonly<Partial<Record<KindGroupName, 'all' | 'named'>>> = { rbac: 'named', config: 'named', storage: 'named' };

/**
 * Kind groups whose objects later groups of the same wave need served, not just sent: a CRD must
 * be established before its custom resources, an APIService available before what it serves.
 * Deletions wait step by step too. Every other step's health wait joins the end of its wave.
 */
export const WAIT_BEFORE_NEXT_GROUP: ReadonlySet<KindGroupName> = new Set(['namespaces', 'crds', 'apiservices']);
