/**
 * Risk checks as a table (DESIGN.md rule 3): each rule names the kinds and actions it reads, a
 * test that returns what it found (one hit per finding), a fixed severity and one plain sentence.
 * Pure: the plan's objects and the small live context in, findings out.
 */
import { identityOf, type ResourceKey } from '../../model/resource.js';
import { deepEqual, isPlainObject } from '../json.js';
import type { Action, Finding, FindingSeverity } from '../types.js';
import type { FindingsContext } from './context.js';
import { crdOf } from './context.js';
import { at, int, intOrPercent, label, listed, objects, plural, str, type Obj, type PlannedObject } from './fields.js';
import { isFloating, majorOf, parseImage } from './images.js';
import { parseQuantity } from './quantity.js';
import { covered, formatGrant, grantsOf, isWildcard } from './rbac.js';
import { formatSelector, mapSelectorMatches, selectorMatches } from './selectors.js';
import { podSpec, podTemplate, replicasOf, workloadKind, WORKLOAD_KINDS } from './workloads.js';

export interface RiskContext {
  /** Every object of the plan (noops too). */
  readonly objects: readonly PlannedObject[];
  readonly live: FindingsContext;
  /** identityOf the workloads whose Pods this plan replaces. */
  readonly replacing: ReadonlySet<string>;
}

/** What a rule found: the words its sentence needs, the paths it read, and the object that causes it. */
interface Hit {
  readonly paths?: readonly string[];
  readonly cause?: ResourceKey;
}

export interface RiskRule<H extends Hit = Hit> {
  readonly rule: string;
  readonly severity: FindingSeverity;
  /** "group/Kind" of the objects it reads. */
  readonly kinds: readonly string[];
  readonly actions: readonly Action[];
  readonly test: (o: PlannedObject, ctx: RiskContext) => readonly H[];
  readonly sentence: (subject: string, hit: H) => string;
}

const rule = <H extends Hit>(r: RiskRule<H>): RiskRule => r as unknown as RiskRule;
const CHANGED: readonly Action[] = ['update', 'replace'];
const WRITTEN: readonly Action[] = ['create', 'update', 'replace'];
const kindsOf = (pred: (w: (typeof WORKLOAD_KINDS)[number]) => boolean): string[] => WORKLOAD_KINDS.filter(pred).map((w) => `${w.group}/${w.kind}`);
const one = <H>(h: H | undefined | false): H[] => (h ? [h] : []);

/** Containers (init containers too) of a workload's Pod spec by name, with their image. */
function images(o: PlannedObject, side: 'before' | 'after'): Map<string, string> {
  const w = workloadKind(o.key);
  const spec = w && podSpec(w, o[side]);
  const out = new Map<string, string>();
  for (const c of [...objects(spec, 'initContainers'), ...objects(spec, 'containers')]) {
    const name = str(c, 'name');
    const image = str(c, 'image');
    if (name && image) out.set(name, image);
  }
  return out;
}

const serviceType = (o: Obj | undefined): string => str(o, 'spec', 'type') ?? 'ClusterIP';
const EXTERNAL = new Set(['LoadBalancer', 'NodePort']);

/** A Service's ports by name (or number and protocol when unnamed). */
function servicePorts(o: Obj | undefined): Map<string, Obj> {
  return new Map(objects(o, 'spec', 'ports').map((p) => [str(p, 'name') ?? `${String(at(p, 'port'))}/${str(p, 'protocol') ?? 'TCP'}`, p]));
}

const portText = (p: Obj): string => `${String(at(p, 'port'))}/${str(p, 'protocol') ?? 'TCP'}`;
const targetOf = (p: Obj): unknown => at(p, 'targetPort') ?? at(p, 'port');

/** "http (80/TCP) is now 8080/TCP", "metrics (9090/TCP) removed", "443/TCP now sends to 8443": what a client of the old port sees. */
function portChange(id: string, was: Obj, now: Obj | undefined): string | undefined {
  const name = id.includes('/') ? id : `${id} (${portText(was)})`;
  if (!now) return `${name} removed`;
  const parts: string[] = [];
  if (portText(now) !== portText(was)) parts.push(`is now ${portText(now)}`);
  if (targetOf(now) !== targetOf(was)) parts.push(`sends to ${String(targetOf(now))} instead of ${String(targetOf(was))}`);
  const [nb, na] = [at(was, 'nodePort'), at(now, 'nodePort')];
  if (nb !== undefined && na !== undefined && nb !== na) parts.push(`moves from node port ${String(nb)} to ${String(na)}`);
  return parts.length > 0 ? `${name} ${parts.join(' and ')}` : undefined;
}

const subjectsOf = (o: Obj | undefined): string[] => objects(o, 'subjects').map((s) => `${str(s, 'kind') ?? '?'} ${str(s, 'namespace') ? `${str(s, 'namespace')}/` : ''}${str(s, 'name') ?? '?'}`);
const roleRef = (o: Obj | undefined): string => `${str(o, 'roleRef', 'kind') ?? '?'} ${str(o, 'roleRef', 'name') ?? '?'}`;

/** Whether a PodDisruptionBudget lets none of `replicas` Pods be evicted, and why in words. */
function blocksEviction(pdb: Obj, replicas: number | undefined): string | undefined {
  const maxUnavailable = intOrPercent(pdb, 'spec', 'maxUnavailable');
  if (maxUnavailable === 0 || maxUnavailable === '0%') return `maxUnavailable ${String(maxUnavailable)}`;
  const minAvailable = intOrPercent(pdb, 'spec', 'minAvailable');
  if (minAvailable === '100%') return 'minAvailable 100%';
  if (typeof minAvailable === 'number' && replicas !== undefined && minAvailable >= replicas && replicas > 0) return `minAvailable ${minAvailable} of ${plural(replicas, 'replica')}`;
  return undefined;
}

/** The app's PodDisruptionBudgets after apply, over the live ones in the same namespaces (the plan's win). */
function pdbsAfter(ctx: RiskContext): Obj[] {
  const byId = new Map<string, Obj>();
  for (const pdb of ctx.live.podDisruptionBudgets ?? []) {
    const key = { group: 'policy', version: 'v1', kind: 'PodDisruptionBudget', name: str(pdb, 'metadata', 'name') ?? '', namespace: str(pdb, 'metadata', 'namespace') ?? '' };
    byId.set(identityOf(key), pdb);
  }
  for (const o of ctx.objects) {
    if (o.key.group !== 'policy' || o.key.kind !== 'PodDisruptionBudget') continue;
    if (o.after) byId.set(identityOf(o.key), o.after);
    else byId.delete(identityOf(o.key));
  }
  return [...byId.values()];
}

export const RISK_RULES: readonly RiskRule[] = [
  rule<Hit & { from: number }>({
    rule: 'replicas-to-zero',
    severity: 'danger',
    kinds: kindsOf((w) => w.replicas !== undefined),
    actions: CHANGED,
    test: (o) => {
      const w = workloadKind(o.key)!;
      const from = replicasOf(w, o.before);
      return one(from !== undefined && from > 0 && int(o.after, 'spec', 'replicas') === 0 && { from, paths: ['spec.replicas'] });
    },
    sentence: (s, h) => `${s} scales from ${plural(h.from, 'replica')} to 0: it stops serving.`,
  }),
  rule<Hit & { from: string; to: string }>({
    rule: 'pvc-shrink',
    severity: 'danger',
    kinds: ['/PersistentVolumeClaim'],
    actions: CHANGED,
    test: (o) => {
      const from = at(o.before, 'spec', 'resources', 'requests', 'storage');
      const to = at(o.after, 'spec', 'resources', 'requests', 'storage');
      const [b, a] = [parseQuantity(from), parseQuantity(to)];
      return one(b !== undefined && a !== undefined && a < b && { from: String(from), to: String(to), paths: ['spec.resources.requests.storage'] });
    },
    sentence: (s, h) => `${s} shrinks from ${h.from} to ${h.to}: Kubernetes cannot shrink a claim, and deleting it to make it smaller loses its data.`,
  }),
  rule<Hit & { from: string; to: string }>({
    rule: 'pvc-storage-class',
    severity: 'danger',
    kinds: ['/PersistentVolumeClaim'],
    actions: CHANGED,
    test: (o) => {
      const from = str(o.before, 'spec', 'storageClassName');
      const to = str(o.after, 'spec', 'storageClassName');
      return one(from !== undefined && from !== to && { from, to: to ?? '(the default)', paths: ['spec.storageClassName'] });
    },
    sentence: (s, h) => `${s} moves from storage class ${h.from} to ${h.to}: a claim's class cannot change in place, so it is deleted and created again, and its data is lost.`,
  }),
  rule<Hit & { from: string; to: string }>({
    rule: 'service-type',
    severity: 'warning',
    kinds: ['/Service'],
    actions: CHANGED,
    test: (o) => {
      const [from, to] = [serviceType(o.before), serviceType(o.after)];
      return one(from !== to && { from, to, paths: ['spec.type'] });
    },
    sentence: (s, h) =>
      `${s} changes type from ${h.from} to ${h.to}: ${EXTERNAL.has(h.from) ? `clients outside the cluster lose the ${h.from === 'LoadBalancer' ? 'load balancer address' : 'node port'} they use` : EXTERNAL.has(h.to) ? 'it becomes reachable from outside the cluster' : 'the way clients reach it changes'}.`,
  }),
  rule<Hit & { changes: string[] }>({
    rule: 'service-ports',
    severity: 'warning',
    kinds: ['/Service'],
    actions: CHANGED,
    test: (o) => {
      const [b, a] = [servicePorts(o.before), servicePorts(o.after)];
      const changes = [...b].flatMap(([id, was]) => {
        const c = portChange(id, was, a.get(id));
        return c ? [c] : [];
      });
      return one(changes.length > 0 && { changes, paths: ['spec.ports'] });
    },
    sentence: (s, h) => `${s} changes its ports (${listed(h.changes)}): clients of the old ports lose their connection.`,
  }),
  rule<Hit & { from: string; to: string; none: boolean }>({
    rule: 'service-selector',
    severity: 'warning',
    kinds: ['/Service'],
    actions: CHANGED,
    test: (o, ctx) => {
      const [b, a] = [at(o.before, 'spec', 'selector'), at(o.after, 'spec', 'selector')];
      if (b === undefined || a === undefined || deepEqual(b, a)) return [];
      // Does any workload of the app in its namespace still have Pods it selects?
      const templates = ctx.objects.flatMap((x) => {
        const w = workloadKind(x.key);
        const labels = w && x.key.namespace === o.key.namespace && at(podTemplate(w, x.after), 'metadata', 'labels');
        return isPlainObject(labels) ? [labels] : [];
      });
      return [{ from: formatSelector(b), to: formatSelector(a), none: templates.length > 0 && !templates.some((l) => mapSelectorMatches(a, l)), paths: ['spec.selector'] }];
    },
    sentence: (s, h) => `${s} selects other Pods (${h.from} → ${h.to}): its traffic moves to the Pods the new selector matches${h.none ? ', and no workload of the app has Pods it matches' : ''}.`,
  }),
  rule<Hit & { from: string; to: string }>({
    rule: 'workload-selector',
    severity: 'danger',
    kinds: kindsOf((w) => w.selector !== undefined),
    actions: CHANGED,
    test: (o) => {
      const w = workloadKind(o.key)!;
      const [b, a] = [o.before && w.selector!(o.before), o.after && w.selector!(o.after)];
      return one(b !== undefined && a !== undefined && !deepEqual(b, a) && { from: formatSelector(b), to: formatSelector(a), paths: ['spec.selector'] });
    },
    sentence: (s, h) => `${s} changes its selector (${h.from} → ${h.to}): a selector cannot change in place, so it is deleted and created again, and all its Pods with it.`,
  }),
  rule<Hit & { grants: string[]; wildcard: boolean }>({
    rule: 'rbac-widened',
    severity: 'warning',
    kinds: ['rbac.authorization.k8s.io/Role', 'rbac.authorization.k8s.io/ClusterRole'],
    actions: CHANGED,
    test: (o) => {
      const had = grantsOf(o.before);
      const added = grantsOf(o.after).filter((g) => !covered(g, had));
      return one(added.length > 0 && { grants: [...new Set(added.map(formatGrant))], wildcard: added.some(isWildcard), paths: ['rules'] });
    },
    sentence: (s, h) => `${s} now also grants ${listed(h.grants, 5)}${h.wildcard ? ', with a wildcard (*) that covers every present and future verb, resource or group' : ''}.`,
  }),
  rule<Hit & { grants: string[] }>({
    rule: 'rbac-wildcard',
    severity: 'warning',
    kinds: ['rbac.authorization.k8s.io/Role', 'rbac.authorization.k8s.io/ClusterRole'],
    actions: ['create'],
    test: (o) => {
      const wild = grantsOf(o.after).filter(isWildcard);
      return one(wild.length > 0 && { grants: [...new Set(wild.map(formatGrant))], paths: ['rules'] });
    },
    sentence: (s, h) => `${s} grants ${listed(h.grants, 5)}: a wildcard (*) covers every present and future verb, resource or group.`,
  }),
  rule<Hit & { role: string; added: string[] }>({
    rule: 'rbac-subjects-added',
    severity: 'warning',
    kinds: ['rbac.authorization.k8s.io/RoleBinding', 'rbac.authorization.k8s.io/ClusterRoleBinding'],
    actions: CHANGED,
    test: (o) => {
      const had = new Set(subjectsOf(o.before));
      const added = subjectsOf(o.after).filter((x) => !had.has(x));
      return one(added.length > 0 && { role: roleRef(o.after), added, paths: ['subjects'] });
    },
    sentence: (s, h) => `${s} grants ${h.role} to more subjects: ${listed(h.added, 5)}.`,
  }),
  rule<Hit & { text: string }>({
    rule: 'rbac-cluster-scope',
    severity: 'warning',
    kinds: ['rbac.authorization.k8s.io/RoleBinding', 'rbac.authorization.k8s.io/ClusterRoleBinding'],
    actions: WRITTEN,
    test: (o) => {
      if (o.key.kind === 'ClusterRoleBinding') return one(o.action === 'create' && { text: `grants ${roleRef(o.after)} in every namespace of the cluster to ${listed(subjectsOf(o.after), 5) || 'no subject yet'}`, paths: ['roleRef'] });
      const [b, a] = [str(o.before, 'roleRef', 'kind'), str(o.after, 'roleRef', 'kind')];
      return one(b === 'Role' && a === 'ClusterRole' && { text: `now binds ${roleRef(o.after)} instead of ${roleRef(o.before)}: the rules of a cluster-wide role, in namespace ${o.key.namespace ?? '?'}`, paths: ['roleRef'] });
    },
    sentence: (s, h) => `${s} ${h.text}.`,
  }),
  rule<Hit & { container: string; image: string }>({
    rule: 'image-latest',
    severity: 'warning',
    kinds: kindsOf(() => true),
    actions: WRITTEN,
    test: (o) => {
      const before = images(o, 'before');
      return [...images(o, 'after')].flatMap(([container, image]) => {
        const was = before.get(container);
        return isFloating(parseImage(image)) && (was === undefined || !isFloating(parseImage(was))) ? [{ container, image }] : [];
      });
    },
    sentence: (s, h) => `Container ${h.container} of ${s} runs ${h.image}${parseImage(h.image).tag === undefined ? ' (no tag: latest)' : ''}: what it runs changes whenever the tag moves, and a rollback cannot bring the old image back.`,
  }),
  rule<Hit & { container: string; from: string; to: string }>({
    rule: 'image-major',
    severity: 'warning',
    kinds: kindsOf(() => true),
    actions: CHANGED,
    test: (o) => {
      const before = images(o, 'before');
      return [...images(o, 'after')].flatMap(([container, to]) => {
        const from = before.get(container);
        if (!from) return [];
        const [b, a] = [parseImage(from), parseImage(to)];
        const [mb, ma] = [majorOf(b), majorOf(a)];
        return b.repository === a.repository && mb !== undefined && ma !== undefined && ma > mb ? [{ container, from, to }] : [];
      });
    },
    sentence: (s, h) => `Container ${h.container} of ${s} moves to a new major version: ${h.from} → ${h.to}.`,
  }),
  rule<Hit & { min: number; max: number }>({
    rule: 'hpa-min-above-max',
    severity: 'danger',
    kinds: ['autoscaling/HorizontalPodAutoscaler'],
    actions: WRITTEN,
    test: (o) => {
      const min = int(o.after, 'spec', 'minReplicas') ?? 1;
      const max = int(o.after, 'spec', 'maxReplicas');
      return one(max !== undefined && min > max && { min, max, paths: ['spec.minReplicas', 'spec.maxReplicas'] });
    },
    sentence: (s, h) => `${s} has minReplicas ${h.min} above maxReplicas ${h.max}: the API server refuses it.`,
  }),
  rule<Hit & { kind: string; resource: string; count?: number }>({
    rule: 'crd-deleted',
    severity: 'danger',
    kinds: ['apiextensions.k8s.io/CustomResourceDefinition'],
    actions: ['delete'],
    test: (o, ctx) => {
      const crd = crdOf(o.key.name, o.before);
      const count = ctx.live.customResources?.[o.key.name];
      return [{ kind: crd?.kind ?? o.key.name, resource: o.key.name, ...(count !== undefined && { count }) }];
    },
    sentence: (s, h) => `Deleting ${s} deletes every ${h.kind} in the cluster with it${h.count === undefined ? '' : ` (${h.count === 0 ? 'none exist' : h.count === 1 ? '1 exists' : `${h.count} exist`} now)`}.`,
  }),
  rule<Hit & { contents?: string }>({
    rule: 'namespace-deleted',
    severity: 'danger',
    kinds: ['/Namespace'],
    actions: ['delete'],
    test: (o, ctx) => {
      const c = ctx.live.namespaceContents?.[o.key.name];
      if (!c) return [{}];
      const kinds = Object.entries(c.byKind).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1)).map(([kind, n]) => plural(n, kind));
      return [{ contents: c.total === 0 ? 'it holds no objects now' : `the ${c.partial ? 'at least ' : ''}${plural(c.total, 'object')} it holds now go with it: ${listed(kinds, 6)}` }];
    },
    sentence: (s, h) => `Deleting ${s} deletes everything in it${h.contents ? `; ${h.contents}` : ''}.`,
  }),
  rule<Hit & { pdb: string; why: string }>({
    rule: 'pdb-blocks-eviction',
    severity: 'warning',
    kinds: kindsOf((w) => w.kind !== 'Pod' && w.kind !== 'Job' && w.kind !== 'CronJob'),
    actions: WRITTEN,
    test: (o, ctx) => {
      if (!ctx.replacing.has(identityOf(o.key))) return [];
      const w = workloadKind(o.key)!;
      const labels = at(podTemplate(w, o.after), 'metadata', 'labels');
      if (!isPlainObject(labels)) return [];
      return pdbsAfter(ctx).flatMap((pdb) => {
        if (str(pdb, 'metadata', 'namespace') !== o.key.namespace || !selectorMatches(at(pdb, 'spec', 'selector'), labels)) return [];
        const why = blocksEviction(pdb, replicasOf(w, o.after));
        const name = str(pdb, 'metadata', 'name') ?? '?';
        return why ? [{ pdb: name, why, cause: { group: 'policy', version: 'v1', kind: 'PodDisruptionBudget', namespace: o.key.namespace!, name } }] : [];
      });
    },
    sentence: (s, h) => `PodDisruptionBudget ${h.cause?.namespace ?? ''}/${h.pdb} lets no Pod of ${s} be evicted (${h.why}): node drains and other evictions wait while it holds, during this rollout too (the rollout itself replaces Pods without evicting them).`,
  }),
];

/** Every risk the table finds in the plan's objects, in table order. */
export function riskFindings(ctx: RiskContext): Finding[] {
  const out: Finding[] = [];
  for (const o of ctx.objects) {
    const kind = `${o.key.group}/${o.key.kind}`;
    for (const r of RISK_RULES) {
      if (!r.kinds.includes(kind) || !r.actions.includes(o.action)) continue;
      for (const hit of r.test(o, ctx)) {
        out.push({ kind: 'risk', rule: r.rule, severity: r.severity, subject: o.key, ...(hit.cause && { cause: hit.cause }), message: r.sentence(label(o.key), hit), ...(hit.paths && { paths: [...hit.paths] }) });
      }
    }
  }
  return out;
}
