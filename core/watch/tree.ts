/**
 * The live tree of an app on a context (issue 20), as Argo CD's resource tree and `kubectl tree`
 * show it: the app's ApplySet members are the roots, and under each the objects its controllers
 * made, found by the relations of CHILD_RULES (a table, DESIGN.md rule 3): Deployment → ReplicaSet
 * → Pods, CronJob → Job → Pods, StatefulSet → Pods and its claims, DaemonSet → Pods, Service →
 * EndpointSlices. Each node carries its health by the per-kind health rules, why it is not fine
 * (a Pod's scheduling message, a container's waiting or terminated reason), its age; the app's
 * Events come with it, newest first and bounded.
 *
 * Pure and cheap (one pass over the objects): the reader (read.ts) lists the objects once for
 * `slipway status`; a watcher keeps a LiveSnapshot current with applyWatchEvents and builds the
 * tree again on each change. The health rules live a floor above (core/apply/health): the caller
 * passes them in as TreeRules (core/engine/live-tree.ts does). No node carries an object's content:
 * a Secret is its key and its health, never its data.
 */
import type { KubeObject } from '../kube/types.js';
import { APPLYSET_PART_OF_LABEL, groupKindString } from '../model/applyset.js';
import type { Health, HealthStatus } from '../model/health.js';
import { identityOf, keyOfObject, parseApiVersion, type ResourceKey } from '../model/resource.js';
import { eventRowOf, eventsAbout, indexEvents, newestFirst, type EventRow } from './events.js';
import { at, int, list, str, stringMap } from '../model/fields.js';

export interface GroupKind {
  /** "" for the core group. */
  readonly group: string;
  readonly kind: string;
}

/** How a child was found under its parent. */
export type ChildVia = 'owner' | 'claim-template' | 'service-name';

/** One relation of the tree: objects of `child` kind hang under objects of `parent` kind, found `via`. */
export interface ChildRule {
  readonly parent: GroupKind;
  /** With the version the reader lists it at when discovery has no preferred one. */
  readonly child: GroupKind & { readonly version: string };
  /**
   * - owner: the child's metadata.ownerReferences names the parent's uid;
   * - claim-template: a PersistentVolumeClaim named `<template>-<statefulset>-<ordinal>` for one of
   *   the StatefulSet's volumeClaimTemplates (the controller sets no owner unless a retention policy asks);
   * - service-name: an EndpointSlice labelled kubernetes.io/service-name=<service>.
   */
  readonly via: ChildVia;
}

const apps = (kind: string): GroupKind => ({ group: 'apps', kind });
const core = (kind: string): GroupKind => ({ group: '', kind });
const batch = (kind: string): GroupKind => ({ group: 'batch', kind });
const POD = { ...core('Pod'), version: 'v1' };

export const CHILD_RULES: readonly ChildRule[] = [
  { parent: apps('Deployment'), child: { ...apps('ReplicaSet'), version: 'v1' }, via: 'owner' },
  { parent: apps('ReplicaSet'), child: POD, via: 'owner' },
  { parent: apps('StatefulSet'), child: POD, via: 'owner' },
  { parent: apps('StatefulSet'), child: { ...core('PersistentVolumeClaim'), version: 'v1' }, via: 'claim-template' },
  { parent: apps('DaemonSet'), child: POD, via: 'owner' },
  { parent: batch('CronJob'), child: { ...batch('Job'), version: 'v1' }, via: 'owner' },
  { parent: batch('Job'), child: POD, via: 'owner' },
  { parent: core('ReplicationController'), child: POD, via: 'owner' },
  { parent: core('Service'), child: { group: 'discovery.k8s.io', kind: 'EndpointSlice', version: 'v1' }, via: 'service-name' },
];

/** The label the EndpointSlice controller puts on a Service's slices. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

const gkId = (gk: GroupKind): string => groupKindString(gk);
/** An object's group and kind. */
export const gkOf = (obj: KubeObject): GroupKind => ({ group: parseApiVersion(obj.apiVersion).group, kind: obj.kind });

/** Each group/kind once, in first-seen order (only group and kind kept). */
export function uniqueKinds(list: readonly GroupKind[]): GroupKind[] {
  const seen = new Map<string, GroupKind>();
  for (const gk of list) if (!seen.has(gkId(gk))) seen.set(gkId(gk), { group: gk.group, kind: gk.kind });
  return [...seen.values()];
}

/**
 * The kinds to read for the children of members of these kinds: every kind CHILD_RULES reaches
 * from them, transitively (Deployment → ReplicaSet → Pod), each once, in table order.
 */
export function childKindsOf(memberKinds: readonly GroupKind[]): ChildRule['child'][] {
  const seen = new Set(memberKinds.map(gkId));
  const out: ChildRule['child'][] = [];
  const queue = [...memberKinds];
  for (let gk = queue.shift(); gk; gk = queue.shift()) {
    for (const rule of CHILD_RULES) {
      if (gkId(rule.parent) !== gkId(gk) || out.some((c) => gkId(c) === gkId(rule.child))) continue;
      out.push(rule.child);
      if (!seen.has(gkId(rule.child))) {
        seen.add(gkId(rule.child));
        queue.push(rule.child);
      }
    }
  }
  return out;
}

/** A part of the app that could not be read (no list permission, an API that failed): the view says so and shows the rest. */
export interface ReadGap {
  readonly group: string;
  readonly kind: string;
  /** Absent: across namespaces (or a cluster-scoped kind). */
  readonly namespace?: string;
  /** What it was read for: the app's members of that kind, the children of its members, or its Events. */
  readonly of: 'members' | 'children' | 'events';
  /** "not allowed to list pods in shop (user jane): forbidden". */
  readonly message: string;
}

/** What the tree is built from: the objects read (or kept current by a watcher), by id. */
export interface LiveSnapshot {
  /** The app's ApplySet: its parent (`Secret/<namespace>/<name>`), its id, and whether the parent exists. */
  readonly applySet: { readonly parent: string; readonly id: string; readonly found: boolean };
  /** Members (labelled part-of the set), their possible children, and Events; by objectId. */
  readonly objects: ReadonlyMap<string, KubeObject>;
  /** Members the app's last apply left (the history): one not found is shown `missing`. */
  readonly expected: readonly ResourceKey[];
  readonly gaps: readonly ReadGap[];
  /** ISO time the objects were read (or last changed): ages are counted from it. */
  readonly readAt: string;
}

/** An object's id in a snapshot: its uid, else its identity (a fixture without one). */
export function objectId(obj: KubeObject): string {
  return obj.metadata.uid ?? `key:${identityOf(keyOfObject(obj))}`;
}

/** A watch event as the API server sends it (BOOKMARK and ERROR change nothing here). */
export interface WatchEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  readonly object: KubeObject;
}

/**
 * The snapshot after some watch events, in order (a new snapshot; the old one is unchanged). An
 * object whose resourceVersion is older than the one held is ignored only by the watcher (a relist
 * settles it); here the last event wins.
 */
export function applyWatchEvents(snapshot: LiveSnapshot, events: readonly WatchEvent[], opts: { readonly at?: string } = {}): LiveSnapshot {
  const objects = new Map(snapshot.objects);
  for (const e of events) {
    if (e.type === 'ADDED' || e.type === 'MODIFIED') objects.set(objectId(e.object), e.object);
    else if (e.type === 'DELETED') objects.delete(objectId(e.object));
  }
  return { ...snapshot, objects, ...(opts.at !== undefined && { readAt: opts.at }) };
}

/** A snapshot of these objects (what the reader lists once). */
export function snapshotOf(input: Omit<LiveSnapshot, 'objects'> & { readonly objects: readonly KubeObject[] }): LiveSnapshot {
  return { ...input, objects: new Map(input.objects.map((o) => [objectId(o), o])) };
}

/**
 * What the tree needs of the per-kind rules (core/apply/health), passed in by the caller: this
 * floor is below them.
 */
export interface TreeRules {
  /** The object's health (assessHealth). */
  readonly health: (obj: KubeObject) => Health;
  /** Why a Pod is not fine, from its status and its own Events (newest first): "0/1 nodes are available: 1 Insufficient cpu (FailedScheduling)"; undefined for a fine Pod. */
  readonly podReason: (pod: KubeObject, events: readonly EventRow[]) => string | undefined;
  /** Why a workload's Pods are not ready: "2 Pods Pending: … (FailedScheduling), e.g. shop/web-…"; undefined when nothing is wrong. */
  readonly workloadReason: (workload: KubeObject, pods: readonly KubeObject[], events: readonly EventRow[]) => string | undefined;
}

export interface TreeNode {
  /** Stable while the object lives: its uid (a member that is gone: `key:<identity>`). */
  readonly id: string;
  readonly key: ResourceKey;
  readonly uid?: string;
  /** Absent for a member (a root); how a child was found under its parent. */
  readonly via?: ChildVia;
  readonly health: HealthStatus;
  /** The health rule's line: "2 of 2 replicas available", "Pending: 0 of 1 container ready". */
  readonly message: string;
  /**
   * Why it is not fine, with Kubernetes' word in parentheses: a Pod's ("0/1 nodes are available: 1
   * Insufficient cpu (FailedScheduling)"), or a workload's Pods' (told once, on the highest node
   * that says it: a ReplicaSet under a Deployment with the same reason has none).
   */
  readonly reason?: string;
  /** A Pod's status.phase: Pending, Running, Succeeded, Failed. */
  readonly phase?: string;
  /** metadata.creationTimestamp (ISO): the view shows the age against LiveTree.readAt. */
  readonly createdAt?: string;
  /** A ReplicaSet of an earlier rollout, scaled to 0: views fold these away. */
  readonly old?: true;
  /** A member the app's last apply left that is not there any more. */
  readonly gone?: true;
  /** Being deleted (metadata.deletionTimestamp). */
  readonly deleting?: true;
  /** Child kinds that could not be read for it ("Pod"): LiveTree.gaps says why. */
  readonly unread?: readonly string[];
  readonly children: readonly TreeNode[];
}

export interface LiveTree {
  readonly applySet: LiveSnapshot['applySet'];
  /** The app's health: the worst of its members' (APP_HEALTH_ORDER); `missing` when it has none. */
  readonly health: HealthStatus;
  /** How many nodes of the whole tree have each health. */
  readonly counts: Readonly<Record<HealthStatus, number>>;
  readonly roots: readonly TreeNode[];
  /** The Events of the tree's objects, newest first, at most `eventLimit`. */
  readonly events: readonly EventRow[];
  /** Events of the tree's objects left out by the bound. */
  readonly moreEvents: number;
  readonly gaps: readonly ReadGap[];
  readonly readAt: string;
}

/** Best to worst: an app is as healthy as its worst member (a member kind that could not be read counts as `unknown`). */
export const APP_HEALTH_ORDER: readonly HealthStatus[] = ['healthy', 'progressing', 'unknown', 'missing', 'degraded'];

export function worstHealth(statuses: Iterable<HealthStatus>, empty: HealthStatus = 'healthy'): HealthStatus {
  let worst: HealthStatus | undefined;
  for (const s of statuses) if (worst === undefined || APP_HEALTH_ORDER.indexOf(s) > APP_HEALTH_ORDER.indexOf(worst)) worst = s;
  return worst ?? empty;
}

export const DEFAULT_EVENT_LIMIT = 50;

export interface BuildOptions {
  /** At most this many Events (default 50). */
  readonly eventLimit?: number;
}

/**
 * Kinds whose health rule says no more than "exists": what the tree says of them instead. Only
 * status fields, never data.
 */
const DESCRIBE: Readonly<Record<string, (obj: KubeObject) => string>> = {
  'EndpointSlice.discovery.k8s.io': (slice) => {
    const endpoints = list(slice, 'endpoints');
    const ready = endpoints.filter((e) => at(e, 'conditions', 'ready') !== false).length;
    return endpoints.length === 0 ? 'no endpoints' : `${ready} of ${endpoints.length} endpoint${endpoints.length === 1 ? '' : 's'} ready`;
  },
};

const ownerUids = (obj: KubeObject): string[] => list(obj, 'metadata', 'ownerReferences').flatMap((r) => str(r, 'uid') ?? []);

/** `<template>-<statefulset>-<ordinal>`: the claims a StatefulSet's volumeClaimTemplates make. */
function claimNames(sts: KubeObject): RegExp | undefined {
  const templates = list(sts, 'spec', 'volumeClaimTemplates').flatMap((t) => str(t, 'metadata', 'name') ?? []);
  if (templates.length === 0) return undefined;
  const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^(${templates.map(esc).join('|')})-${esc(sts.metadata.name)}-\\d+$`);
}

/** By kind; a Deployment's ReplicaSets newest rollout first (its revision annotation); then by name, numbers as numbers (db-2 before db-10). */
function childOrder(a: KubeObject, b: KubeObject): number {
  const rev = (o: KubeObject): number => Number(stringMap(o, 'metadata', 'annotations')['deployment.kubernetes.io/revision'] ?? NaN);
  const ra = rev(a);
  const rb = rev(b);
  return a.kind.localeCompare(b.kind) || (!Number.isNaN(ra) && !Number.isNaN(rb) ? rb - ra : 0) || a.metadata.name.localeCompare(b.metadata.name, 'en', { numeric: true });
}

const rootOrder = (a: TreeNode, b: TreeNode): number =>
  (a.key.namespace ?? '').localeCompare(b.key.namespace ?? '') || a.key.kind.localeCompare(b.key.kind) || a.key.group.localeCompare(b.key.group) || a.key.name.localeCompare(b.key.name);

/** A ReplicaSet of an earlier rollout: it wants no Pods and has none. */
function isOldReplicaSet(obj: KubeObject, parent: KubeObject): boolean {
  return parent.kind === 'Deployment' && obj.kind === 'ReplicaSet' && int(obj, 'spec', 'replicas') === 0 && (int(obj, 'status', 'replicas') ?? 0) === 0;
}

/**
 * A member: labelled part-of the set, and made by no controller. The EndpointSlice controller
 * copies a Service's labels onto its slices, part-of included: a slice is the Service's child.
 */
export function isMember(obj: KubeObject, setId: string): boolean {
  return stringMap(obj, 'metadata', 'labels')[APPLYSET_PART_OF_LABEL] === setId && !list(obj, 'metadata', 'ownerReferences').some((r) => at(r, 'controller') === true);
}

function withoutReason(n: TreeNode): TreeNode {
  const { reason: _reason, ...rest } = n;
  return rest;
}

export function buildLiveTree(snapshot: LiveSnapshot, rules: TreeRules, opts: BuildOptions = {}): LiveTree {
  const members: KubeObject[] = [];
  const pool: KubeObject[] = [];
  const eventRows: EventRow[] = [];
  for (const obj of snapshot.objects.values()) {
    if (obj.kind === 'Event') {
      const row = eventRowOf(obj);
      if (row) eventRows.push(row);
    } else if (isMember(obj, snapshot.applySet.id)) members.push(obj);
    else pool.push(obj);
  }
  const events = indexEvents(eventRows);
  const memberIds = new Set(members.map(objectId));

  // Where children are found: by owner uid, EndpointSlices by namespace and Service, claims by namespace.
  const byOwner = new Map<string, KubeObject[]>();
  const slices = new Map<string, KubeObject[]>();
  const claims = new Map<string, KubeObject[]>();
  const push = <K, V>(m: Map<K, V[]>, k: K, v: V): void => void (m.get(k)?.push(v) ?? m.set(k, [v]));
  for (const obj of pool) {
    for (const uid of ownerUids(obj)) push(byOwner, uid, obj);
    if (obj.kind === 'EndpointSlice') {
      const svc = stringMap(obj, 'metadata', 'labels')[SERVICE_NAME_LABEL];
      if (svc !== undefined) push(slices, `${obj.metadata.namespace ?? ''}|${svc}`, obj);
    }
    if (obj.kind === 'PersistentVolumeClaim') push(claims, obj.metadata.namespace ?? '', obj);
  }

  const rulesOf = new Map<string, ChildRule[]>();
  for (const r of CHILD_RULES) push(rulesOf, gkId(r.parent), r);

  const unreadChildren = (obj: KubeObject): string[] => {
    const kinds = (rulesOf.get(gkId(gkOf(obj))) ?? []).map((r) => r.child);
    return kinds.filter((k) => snapshot.gaps.some((g) => g.of === 'children' && g.group === k.group && g.kind === k.kind && (g.namespace === undefined || g.namespace === obj.metadata.namespace))).map((k) => k.kind);
  };

  /** The objects that may hang under `obj` by one relation (not yet filtered by kind). */
  const candidatesOf = (via: ChildVia, obj: KubeObject): readonly KubeObject[] => {
    const ns = obj.metadata.namespace ?? '';
    switch (via) {
      case 'owner':
        return obj.metadata.uid !== undefined ? (byOwner.get(obj.metadata.uid) ?? []) : [];
      case 'service-name':
        return slices.get(`${ns}|${obj.metadata.name}`) ?? [];
      case 'claim-template': {
        const names = claimNames(obj);
        return names ? (claims.get(ns) ?? []).filter((c) => names.test(c.metadata.name)) : [];
      }
    }
  };

  const placed = new Set<string>(memberIds);
  const childrenOf = (obj: KubeObject): { obj: KubeObject; via: ChildVia }[] => {
    const found: { obj: KubeObject; via: ChildVia }[] = [];
    const ns = obj.metadata.namespace ?? '';
    for (const rule of rulesOf.get(gkId(gkOf(obj))) ?? []) {
      const wanted = (c: KubeObject): boolean => c.kind === rule.child.kind && parseApiVersion(c.apiVersion).group === rule.child.group && (c.metadata.namespace ?? '') === ns;
      for (const c of candidatesOf(rule.via, obj)) {
        const id = objectId(c);
        if (!wanted(c) || placed.has(id)) continue;
        placed.add(id);
        found.push({ obj: c, via: rule.via });
      }
    }
    return found.sort((a, b) => childOrder(a.obj, b.obj));
  };

  const counts: Record<HealthStatus, number> = { healthy: 0, progressing: 0, degraded: 0, missing: 0, unknown: 0 };
  const node = (obj: KubeObject, via: ChildVia | undefined, parent: KubeObject | undefined): { node: TreeNode; pods: KubeObject[] } => {
    const kids = childrenOf(obj).map((c) => node(c.obj, c.via, obj));
    const pods = [...(obj.kind === 'Pod' ? [obj] : []), ...kids.flatMap((k) => k.pods)];
    const health = rules.health(obj);
    const about = (o: KubeObject): readonly EventRow[] => eventsAbout(events, { kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name, uid: o.metadata.uid });
    let reason: string | undefined;
    if (obj.kind === 'Pod') reason = rules.podReason(obj, about(obj));
    else if (health.status !== 'healthy') reason = rules.workloadReason(obj, pods, [...about(obj), ...pods.flatMap(about)].sort(newestFirst));
    const describe = DESCRIBE[gkId(gkOf(obj))];
    const unread = unreadChildren(obj);
    const created = str(obj, 'metadata', 'creationTimestamp');
    const phase = obj.kind === 'Pod' ? str(obj, 'status', 'phase') : undefined;
    counts[health.status] += 1;
    return {
      node: {
        id: objectId(obj),
        key: keyOfObject(obj),
        ...(obj.metadata.uid !== undefined && { uid: obj.metadata.uid }),
        ...(via !== undefined && { via }),
        health: health.status,
        message: describe ? describe(obj) : health.message,
        ...(reason !== undefined && reason !== '' && { reason }),
        ...(phase !== undefined && { phase }),
        ...(created !== undefined && { createdAt: created }),
        ...(parent && isOldReplicaSet(obj, parent) && { old: true as const }),
        ...(str(obj, 'metadata', 'deletionTimestamp') !== undefined && { deleting: true as const }),
        ...(unread.length > 0 && { unread }),
        // A workload's reason is told once: a child workload that says the same has none.
        children: kids.map((k) => (reason !== undefined && k.node.reason === reason && k.node.key.kind !== 'Pod' ? withoutReason(k.node) : k.node)),
      },
      pods,
    };
  };

  const roots = members.map((m) => node(m, undefined, undefined).node);
  const present = new Set(members.map((m) => identityOf(keyOfObject(m))));
  for (const key of snapshot.expected) {
    const id = identityOf(key);
    if (present.has(id)) continue;
    present.add(id);
    counts.missing += 1;
    roots.push({ id: `key:${id}`, key, health: 'missing', message: 'not found: the last apply left it, and it is gone', gone: true, children: [] });
  }
  roots.sort(rootOrder);

  // The Events of every node of the tree, newest first.
  const inTree = new Set<string>();
  const nameKeys = new Set<string>();
  const walk = (n: TreeNode): void => {
    if (n.uid !== undefined) inTree.add(n.uid);
    nameKeys.add(`${n.key.kind}|${n.key.namespace ?? ''}|${n.key.name}`);
    n.children.forEach(walk);
  };
  roots.forEach(walk);
  const ours = eventRows.filter((e) => (e.object.uid !== undefined ? inTree.has(e.object.uid) : nameKeys.has(`${e.object.kind}|${e.object.namespace ?? ''}|${e.object.name}`))).sort(newestFirst);
  const limit = opts.eventLimit ?? DEFAULT_EVENT_LIMIT;
  const memberGap = snapshot.gaps.some((g) => g.of === 'members');

  return {
    applySet: snapshot.applySet,
    health: roots.length === 0 && !memberGap ? 'missing' : worstHealth([...roots.map((r) => r.health), ...(memberGap ? (['unknown'] as const) : [])]),
    counts,
    roots,
    events: ours.slice(0, limit),
    moreEvents: Math.max(0, ours.length - limit),
    gaps: snapshot.gaps,
    readAt: snapshot.readAt,
  };
}
