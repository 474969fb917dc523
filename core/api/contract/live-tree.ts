/** The live tree of an app on a context: read once, or kept current as a stream of events. */
import { z } from 'zod';
import { HEALTH_STATUSES } from '../../apply/health/assess.js';
import type { WatchPhase } from '../../watch/watcher.js';
import { appOnContextFields, namespaceName, oneApp, oneAppError, resourceKeySchema, streamId } from './fields.js';

/**
 * The live tree of an app on a context, read now (core/engine/live-tree.ts, as `slipway status`
 * prints it): the app's ApplySet members as roots, under each what its controllers made
 * (Deployment → ReplicaSet → Pods, CronJob → Job → Pods, StatefulSet → Pods and claims, DaemonSet →
 * Pods, Service → EndpointSlices), each with its health and why it is not fine; the app's Events,
 * newest first; what could not be read (a 403) in `gaps`. The app is chosen as for `plan`; nothing
 * is rendered. Never a Secret's data: a Secret is its key and health.
 */
const liveTreeFields = {
  ...appOnContextFields,
  /** The app's namespace, where its ApplySet is, as given to plan (absent: the app's destination, else the context's). */
  namespace: namespaceName.optional(),
  /** At most this many Events (default 50). */
  events: z.number().int().min(0).max(500).optional(),
};
export const liveTreeRequestSchema = z.strictObject(liveTreeFields).refine(oneApp, oneAppError);

const healthStatus = z.enum(HEALTH_STATUSES);
export interface LiveTreeNode {
  /** Stable while the object lives: its uid (a member that is gone: `key:<identity>`). */
  id: string;
  key: z.infer<typeof resourceKeySchema>;
  uid?: string | undefined;
  /** Absent for a member (a root); how a child was found: ownerReferences, a StatefulSet's claim name, a Service's slice label. */
  via?: 'owner' | 'claim-template' | 'service-name' | undefined;
  health: z.infer<typeof healthStatus>;
  /** The health rule's line: "2 of 2 replicas available". */
  message: string;
  /** Why it is not fine, Kubernetes' word in parentheses: "0/1 nodes are available: 1 Insufficient cpu (FailedScheduling)". */
  reason?: string | undefined;
  /** A Pod's status.phase. */
  phase?: string | undefined;
  /** ISO creationTimestamp: show the age against the tree's readAt. */
  createdAt?: string | undefined;
  /** A ReplicaSet of an earlier rollout, scaled to 0: fold it away. */
  old?: true | undefined;
  /** A member the last apply left that is not there any more (health `missing`). */
  gone?: true | undefined;
  deleting?: true | undefined;
  /** Child kinds that could not be read for it ("Pod"): `gaps` says why. */
  unread?: string[] | undefined;
  children: LiveTreeNode[];
}
const liveTreeNodeSchema: z.ZodType<LiveTreeNode> = z.object({
  id: z.string(),
  key: resourceKeySchema,
  uid: z.string().optional(),
  via: z.enum(['owner', 'claim-template', 'service-name']).optional(),
  health: healthStatus,
  message: z.string(),
  reason: z.string().optional(),
  phase: z.string().optional(),
  createdAt: z.string().optional(),
  old: z.literal(true).optional(),
  gone: z.literal(true).optional(),
  deleting: z.literal(true).optional(),
  unread: z.array(z.string()).optional(),
  get children() {
    return z.array(liveTreeNodeSchema);
  },
});
const liveEventSchema = z.object({
  /** The Event object's uid: stable while its count and lastSeen change. */
  id: z.string(),
  /** Normal or Warning. */
  type: z.string(),
  reason: z.string(),
  message: z.string(),
  count: z.number().int().positive(),
  firstSeen: z.string().optional(),
  /** ISO: newest first by it. */
  lastSeen: z.string(),
  /** The object it is about (uid: the node's). */
  object: z.object({ kind: z.string(), namespace: z.string().optional(), name: z.string(), uid: z.string().optional() }),
  /** Who reported it: default-scheduler, deployment-controller, kubelet… */
  source: z.string().optional(),
});
export type LiveEvent = z.infer<typeof liveEventSchema>;
export const liveTreeSchema = z.object({
  app: z.object({ name: z.string(), path: z.string(), namespace: z.string() }),
  context: z.string(),
  server: z.string(),
  /** The app's ApplySet parent (`Secret/<namespace>/<name>`), its id, and whether the parent exists (false: never applied here, or another namespace). */
  applySet: z.object({ parent: z.string(), id: z.string(), found: z.boolean() }),
  /** The worst of the members' health (best to worst: healthy, progressing, unknown, missing, degraded); `missing` without members; `unknown` when a member kind could not be read. */
  health: healthStatus,
  /** Nodes of the whole tree by health. */
  counts: z.object({ healthy: z.number(), progressing: z.number(), degraded: z.number(), missing: z.number(), unknown: z.number() }),
  roots: z.array(liveTreeNodeSchema),
  events: z.array(liveEventSchema),
  /** Events of the tree's objects left out by the bound. */
  moreEvents: z.number().int().nonnegative(),
  /** What could not be read, and why: the app's members of a kind, its members' children of a kind, or its Events, in a namespace (absent: cluster scope). */
  gaps: z.array(z.object({ group: z.string(), kind: z.string(), namespace: z.string().optional(), of: z.enum(['members', 'children', 'events']), message: z.string() })),
  /** ISO time of the read: ages count from it. */
  readAt: z.string(),
});
export type LiveTreeResult = z.infer<typeof liveTreeSchema>;

/**
 * The live tree kept current (core/engine/live-tree.ts watchLiveTreeOf): answers the tree as
 * liveTree does, then a `live-tree` event under `streamId` with the whole tree after each batch of
 * changes the shared watches see (at most one every 250 ms), until stopLiveTree. At most 8 run at
 * once: one more stops the oldest (its `live-tree-ended` says so).
 */
export const watchLiveTreeRequestSchema = z.strictObject({ ...liveTreeFields, streamId }).refine(oneApp, oneAppError);
export const liveTreeStartedSchema = liveTreeSchema.extend({ streamId: z.string() });
export const stopLiveTreeRequestSchema = z.strictObject({ streamId });
export const stopLiveTreeResultSchema = z.object({
  /** False when no live tree of this id runs (it ended already, or never started). */
  stopped: z.boolean(),
});
/** A watch the live tree uses ("apps/v1/deployments@shop") and its state: connecting, synced, reconnecting (the view says so), forbidden. */
/** watcher.ts WATCH_PHASES (not imported: it brings the Kubernetes client into the renderer's bundle; a unit test keeps them equal). */
export const LIVE_TREE_WATCH_PHASES = ['connecting', 'synced', 'reconnecting', 'forbidden'] as const satisfies readonly WatchPhase[];
export const liveTreeWatchSchema = z.object({ key: z.string(), phase: z.enum(LIVE_TREE_WATCH_PHASES), reason: z.string().optional() });
export type LiveTreeWatchState = z.infer<typeof liveTreeWatchSchema>;
