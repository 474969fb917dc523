/** Drift of an app on a context, as it happens: a stream of drift reports. */
import { z } from 'zod';
import { appOnContextFields, oneApp, oneAppError, resourceKeySchema, streamId } from './fields.js';
import { LIVE_TREE_WATCH_PHASES } from './live-tree.js';

/**
 * Drift as it happens (core/engine/app-watch.ts watchApp), for the UI's drift badge: each object
 * the app's last applies left on the context's cluster (the history) compared with the live object
 * whenever it changes, through the engine's shared watches (one per kind and namespace, shared
 * with the live trees of the same context). Answers the report as it is when the watches start,
 * then a `drift` event under `streamId` with the whole report after each change (at most one
 * every 250 ms), until stopDrift. An app never applied to the context is no error: its report says
 * `not-applied`. While an apply of the app to the context runs in this engine the report says
 * `applying`; when it ends, drift is checked again against what it left. At most 8 run at once:
 * one more stops the oldest. Never a value: drift is field paths.
 */
export const watchDriftRequestSchema = z
  .strictObject({
    streamId,
    ...appOnContextFields,
  })
  .refine(oneApp, oneAppError);
/** drift-compare.ts DriftStatus (a unit test keeps them equal). */
export const DRIFT_STATUSES = ['in-sync', 'drifted', 'deleted', 'unknown'] as const;
/**
 * - watching: the objects are followed (`objects`, `pending` until each watch has synced);
 * - not-applied: the history has no apply of the app to this context's cluster (`message` says so): nothing to compare with;
 * - applying: an apply of the app to this context runs in this engine; drift is checked again from what it leaves.
 */
export const DRIFT_STATES = ['watching', 'not-applied', 'applying'] as const;
const objectDriftSchema = z.object({
  key: resourceKeySchema,
  /** in-sync, drifted (`paths`), deleted, or unknown (`reason`: nothing to compare with). */
  status: z.enum(DRIFT_STATUSES),
  /** The drifted field paths, e.g. "spec.replicas"; never a value. */
  paths: z.array(z.string()),
  reason: z.string().optional(),
  /** The run that last applied the object, and when it finished with it. */
  applied: z.object({ runId: z.string(), at: z.string() }),
  /** ISO time this state was found. */
  since: z.string(),
});
export type ObjectDriftInfo = z.infer<typeof objectDriftSchema>;
/** A watch the drift check uses ("apps/v1/deployments@shop"): reconnecting says the cluster cannot be reached (`reason`), forbidden names the missing right. */
const driftWatchSchema = z.object({ key: z.string(), group: z.string(), kind: z.string(), namespace: z.string().optional(), phase: z.enum(LIVE_TREE_WATCH_PHASES), reason: z.string().optional() });
export type DriftWatchInfo = z.infer<typeof driftWatchSchema>;
export const driftReportSchema = z.object({
  app: z.object({ name: z.string(), path: z.string() }),
  context: z.string(),
  /** The context's server URL (absent while an apply runs and the cluster was not reached yet). */
  server: z.string().optional(),
  state: z.enum(DRIFT_STATES),
  /** Why there is nothing to watch (not-applied). */
  message: z.string().optional(),
  /** Every object compared so far, by key order. */
  objects: z.array(objectDriftSchema),
  /** Objects drifted or deleted. */
  drifted: z.number().int().nonnegative(),
  /** Objects not compared yet (their watch is connecting, reconnecting or forbidden). */
  pending: z.number().int().nonnegative(),
  watches: z.array(driftWatchSchema),
});
export type DriftReportInfo = z.infer<typeof driftReportSchema>;
export const driftStartedSchema = z.object({ streamId: z.string(), report: driftReportSchema });
export const stopDriftRequestSchema = z.strictObject({ streamId });
export const stopDriftResultSchema = z.object({
  /** False when no drift stream of this id runs (it ended already, or never started). */
  stopped: z.boolean(),
});
/** Why a drift stream ended: stopDrift or the oldest of too many (`stopped`); checking again after an apply failed (`failed`, `error` says why). */
export const DRIFT_END_REASONS = ['stopped', 'failed'] as const;
