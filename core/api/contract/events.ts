/** What the engine tells every window as it happens: apply progress, log lines, live trees, drift. */
import { z } from 'zod';
import { KIND_ORDER } from '../../apply/kind-order.js';
import { SYNC_PHASES } from '../../model/hooks.js';
import { LOG_END_REASONS } from '../../model/logs.js';
import { FINISH_STATUSES, OBJECT_STATES } from '../../model/run.js';
import { engineErrorSchema } from './diagnostics.js';
import { DRIFT_END_REASONS, driftReportSchema } from './drift.js';
import { resourceKeySchema } from './fields.js';
import { liveTreeSchema, liveTreeWatchSchema } from './live-tree.js';

const KIND_GROUP_NAMES = KIND_ORDER.map((g) => g.name);

/**
 * What the engine tells every window, as it happens: the progress of an apply. Each event names
 * its run; the apply command answers with the run id, so a view picks its run's events.
 */
export const engineEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('apply-started'), runId: z.string(), steps: z.number().int().nonnegative(), changes: z.number().int().nonnegative() }),
  z.strictObject({
    type: z.literal('apply-step'),
    runId: z.string(),
    step: z.number().int().nonnegative(),
    /** The apply phase the step belongs to: PreSync and PostSync steps are hooks, Sync steps the app's objects (and its Sync hooks). */
    syncPhase: z.enum(SYNC_PHASES),
    wave: z.number().int(),
    phase: z.enum(['upsert', 'delete']),
    /** The kind-order group of the step's objects (core/apply/kind-order.ts). */
    group: z.enum(KIND_GROUP_NAMES),
    /** The step's objects are hooks: created, waited for until they finish, deleted by their policy. */
    hooks: z.literal(true).optional(),
    count: z.number().int().nonnegative(),
  }),
  z.strictObject({ type: z.literal('apply-object'), runId: z.string(), step: z.number().int().nonnegative(), key: resourceKeySchema, state: z.enum(OBJECT_STATES), message: z.string().optional() }),
  z.strictObject({ type: z.literal('apply-message'), runId: z.string(), text: z.string() }),
  z.strictObject({ type: z.literal('apply-finished'), runId: z.string(), status: z.enum(FINISH_STATUSES), error: z.string().optional(), elapsedMs: z.number().nonnegative() }),
  /**
   * Lines of a log stream (startLogs), oldest first, without line ends, as the app wrote them.
   * `dropped`: lines left out before these because the engine's buffer of the stream was full
   * (the view says so: "1,204 lines skipped").
   */
  z.strictObject({ type: z.literal('log-lines'), streamId: z.string(), lines: z.array(z.string()), dropped: z.number().int().nonnegative() }),
  /**
   * A log stream ended, the last event of its stream: `complete` (the whole log was read, or the
   * container stopped), `pod-deleted` (while following), `stopped` (stopLogs, or the oldest of too
   * many streams), `failed` (`error` says why).
   */
  z.strictObject({ type: z.literal('log-ended'), streamId: z.string(), reason: z.enum(LOG_END_REASONS), error: engineErrorSchema.optional() }),
  /** The live tree of a watchLiveTree stream after a batch of changes, with the state of each watch it uses. */
  z.strictObject({ type: z.literal('live-tree'), streamId: z.string(), tree: liveTreeSchema, watches: z.array(liveTreeWatchSchema) }),
  /** A live tree stopped: stopLiveTree, or the oldest of too many; its last event. */
  z.strictObject({ type: z.literal('live-tree-ended'), streamId: z.string(), reason: z.literal('stopped') }),
  /** The drift report of a watchDrift stream after a change (a drift found or gone, a watch reconnecting or back, an apply starting or ended). */
  z.strictObject({ type: z.literal('drift'), streamId: z.string(), report: driftReportSchema }),
  /** A drift stream ended, its last event. */
  z.strictObject({ type: z.literal('drift-ended'), streamId: z.string(), reason: z.enum(DRIFT_END_REASONS), error: engineErrorSchema.optional() }),
]);
export type EngineEvent = z.infer<typeof engineEventSchema>;
/** The events of an apply run (they name its runId). */
export type ApplyEngineEvent = Extract<EngineEvent, { type: `apply-${string}` }>;
/** The events of a log stream (they name its streamId). */
export type LogEngineEvent = Extract<EngineEvent, { type: `log-${string}` }>;
/** The events of a live tree stream (they name its streamId). */
export type LiveTreeEngineEvent = Extract<EngineEvent, { type: 'live-tree' | 'live-tree-ended' }>;
/** The events of a drift stream (they name its streamId). */
export type DriftEngineEvent = Extract<EngineEvent, { type: 'drift' | 'drift-ended' }>;
export type { FinishStatus, ObjectState } from '../../model/run.js';
