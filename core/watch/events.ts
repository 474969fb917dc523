/**
 * The events of an app's objects, as `kubectl events --for` shows them: core/v1 Events and
 * events.k8s.io/v1 Events (the same objects through two APIs) read into one row each, matched to
 * the live tree's nodes by the involved object's uid (by kind, namespace and name when the Event
 * names no uid), newest first and bounded. Pure: the reader (read.ts) or a watcher passes the
 * Event objects in. An Event's text is the controller's; no object's content is ever read here.
 */
import type { KubeObject } from '../kube/types.js';
import { at, int, str } from '../model/fields.js';

/** Normal or Warning, as Kubernetes says it (anything else is kept as it came). */
export type EventType = string;

/** The object an Event is about. */
export interface EventSubject {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly uid?: string;
}

/** One Event, as a view shows it. */
export interface EventRow {
  /** The Event object's uid (stable while it is updated: count and lastSeen change). */
  readonly id: string;
  readonly type: EventType;
  /** Kubernetes' word: Scheduled, FailedScheduling, ScalingReplicaSet, BackOff… */
  readonly reason: string;
  readonly message: string;
  /** How many times it happened (1 for a single occurrence). */
  readonly count: number;
  /** ISO time it first and last happened (lastSeen: for "newest first" and the age). */
  readonly firstSeen?: string;
  readonly lastSeen: string;
  readonly object: EventSubject;
  /** Who reported it: "default-scheduler", "deployment-controller", "kubelet"… */
  readonly source?: string;
}

/** An Event object (core/v1 or events.k8s.io/v1) as a row; undefined for anything that is not one. */
export function eventRowOf(obj: KubeObject): EventRow | undefined {
  if (obj.kind !== 'Event') return undefined;
  // events.k8s.io/v1 calls the object `regarding` and the message `note`; core/v1 `involvedObject` and `message`.
  const subject = at(obj, 'regarding') ?? at(obj, 'involvedObject');
  const kind = str(subject, 'kind');
  const name = str(subject, 'name');
  const reason = str(obj, 'reason');
  if (kind === undefined || name === undefined || reason === undefined) return undefined;
  const namespace = str(subject, 'namespace') ?? obj.metadata.namespace;
  const uid = str(subject, 'uid');
  const lastSeen =
    str(obj, 'series', 'lastObservedTime') ?? str(obj, 'lastTimestamp') ?? str(obj, 'deprecatedLastTimestamp') ?? str(obj, 'eventTime') ?? str(obj, 'firstTimestamp') ?? str(obj, 'metadata', 'creationTimestamp') ?? '';
  const firstSeen = str(obj, 'firstTimestamp') ?? str(obj, 'deprecatedFirstTimestamp') ?? str(obj, 'eventTime');
  const count = int(obj, 'series', 'count') ?? int(obj, 'count') ?? int(obj, 'deprecatedCount') ?? 1;
  const source = str(obj, 'reportingController') ?? str(obj, 'reportingComponent') ?? str(obj, 'source', 'component') ?? str(obj, 'deprecatedSource', 'component');
  return {
    id: obj.metadata.uid ?? `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`,
    type: str(obj, 'type') ?? 'Normal',
    reason,
    message: (str(obj, 'note') ?? str(obj, 'message') ?? '').trim(),
    count: Math.max(1, count),
    ...(firstSeen !== undefined && firstSeen !== '' && { firstSeen }),
    lastSeen,
    object: { kind, ...(namespace !== undefined && namespace !== '' && { namespace }), name, ...(uid !== undefined && uid !== '' && { uid }) },
    ...(source !== undefined && source !== '' && { source }),
  };
}

/** Milliseconds of an ISO time (any number of fractional digits); 0 when there is none. */
const timeOf = (iso: string): number => {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : 0;
};

/** Newest first (by time, not text: "…:00.5Z" is after "…:00Z"); ties by reason then id, so the order is stable. */
export const newestFirst = (a: EventRow, b: EventRow): number => timeOf(b.lastSeen) - timeOf(a.lastSeen) || a.reason.localeCompare(b.reason) || a.id.localeCompare(b.id);

/** How an Event finds its node: the object's uid, else kind, namespace and name (an Event reported before the object had one). */
export const subjectUidKey = (uid: string): string => `uid:${uid}`;
export const subjectNameKey = (s: { readonly kind: string; readonly namespace?: string | undefined; readonly name: string }): string => `name:${s.kind}|${s.namespace ?? ''}|${s.name}`;

/**
 * Groups Event rows by the object they are about: each row is found under its subject's uid key
 * when it names one, and under its kind/namespace/name key. A node looks up its uid first
 * (`eventsAbout`), so an Event about an earlier object of the same name (a StatefulSet's Pod
 * before it was recreated) never lands on the new one.
 */
export function indexEvents(rows: readonly EventRow[]): ReadonlyMap<string, readonly EventRow[]> {
  const index = new Map<string, EventRow[]>();
  const add = (key: string, row: EventRow): void => {
    const list = index.get(key);
    if (list) list.push(row);
    else index.set(key, [row]);
  };
  for (const row of rows) {
    if (row.object.uid !== undefined) add(subjectUidKey(row.object.uid), row);
    else add(subjectNameKey(row.object), row);
  }
  for (const list of index.values()) list.sort(newestFirst);
  return index;
}

/** The Events about one object, newest first: by its uid, and those naming no uid by its kind, namespace and name. */
export function eventsAbout(index: ReadonlyMap<string, readonly EventRow[]>, obj: { readonly kind: string; readonly namespace?: string | undefined; readonly name: string; readonly uid?: string | undefined }): readonly EventRow[] {
  const byUid = obj.uid !== undefined ? (index.get(subjectUidKey(obj.uid)) ?? []) : [];
  const byName = index.get(subjectNameKey(obj)) ?? [];
  if (byName.length === 0) return byUid;
  if (byUid.length === 0) return byName;
  return [...byUid, ...byName].sort(newestFirst);
}
