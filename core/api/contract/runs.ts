/** ApplyRuns: starting and cancelling an apply of a kept plan, the history of runs, the health of an apply's objects now. */
import { z } from 'zod';
import { HEALTH_STATUSES } from '../../apply/health/assess.js';
import { SYNC_PHASES } from '../../model/hooks.js';
import { OBJECT_OUTCOMES, RUN_KINDS, RUN_STATUSES } from '../../model/run.js';
import { contextName, planId, planSummarySchema, repoId, resourceKeySchema, runId } from './fields.js';

export const applyRequestSchema = z.strictObject({
  /** A plan this engine made (plan, planRollback, planRevert): the engine applies its own copy, never one sent back. */
  planId,
  /** The context name as the user typed it; required when the app or the context is protected. */
  confirmContext: z.string().max(253).optional(),
  /** Take over fields other field managers own (server-side apply force), as the reviewer chose. */
  forceConflicts: z.boolean().optional(),
  /** The reviewer confirmed the deletes the plan marks confirm (Argo CD's Prune=confirm, Delete=confirm). */
  confirmPrune: z.boolean().optional(),
});
export const applyStartedSchema = z.object({ runId: z.string(), planId: z.string() });
export type ApplyStarted = z.infer<typeof applyStartedSchema>;

export const cancelApplyRequestSchema = z.strictObject({ runId });
export const cancelApplyResultSchema = z.object({
  /** False when the run is not running in this engine (finished already, or unknown). */
  cancelled: z.boolean(),
});

const runSummarySchema = z.object({
  id: z.string(),
  kind: z.enum(RUN_KINDS),
  rollbackOf: z.string().optional(),
  status: z.enum(RUN_STATUSES),
  planId: z.string(),
  summary: planSummarySchema,
  repo: z.string(),
  app: z.object({ name: z.string(), path: z.string() }),
  /** Commit oid, or ":working". */
  commit: z.string(),
  cluster: z.object({ context: z.string(), server: z.string(), uid: z.string(), version: z.string() }),
  user: z.object({ kube: z.string(), gitAuthor: z.string().optional() }),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  error: z.string().optional(),
});
export type RunSummary = z.infer<typeof runSummarySchema>;

const page = { limit: z.number().int().min(1).max(500).optional(), before: z.string().max(200).optional() };
export const listRunsRequestSchema = z.union([
  z.strictObject({ repoId, app: z.string().min(1).max(253), ...page }),
  z.strictObject({ context: contextName, ...page }),
]);
export const runListSchema = z.object({ runs: z.array(runSummarySchema), next: z.string().optional() });
export type RunList = z.infer<typeof runListSchema>;

/** One object's result in a run. Snapshots stay in the engine (Secrets are masked there anyway). */
const objectResultSchema = z.object({
  key: resourceKeySchema,
  action: z.enum(['create', 'update', 'delete', 'replace', 'noop', 'error']),
  /** `unknown`: the write was sent and no answer came (the API server died or timed out): it may or may not have been made. */
  outcome: z.enum(OBJECT_OUTCOMES),
  message: z.string().optional(),
  wave: z.number().optional(),
  /** A hook (never a change of the app): the phase it ran in; its key carries the name it ran with. */
  hook: z.enum(SYNC_PHASES).optional(),
  startedAt: z.string().optional(),
  finishedAt: z.string(),
});
export type ObjectResultInfo = z.infer<typeof objectResultSchema>;
export const runDetailsRequestSchema = z.strictObject({ runId });
export const runDetailsSchema = runSummarySchema.extend({
  objects: z.array(objectResultSchema),
  /** The run of the app the cluster was at before this one (the latest that applied everything there): what reverting this one goes back to. */
  before: z.object({ runId: z.string(), commit: z.string() }).optional(),
});
export type RunDetails = z.infer<typeof runDetailsSchema>;

/**
 * The health of some objects of a plan's cluster, now: an apply view that stays open after its run
 * ended `progressing` polls the objects still progressing, and updates their rows.
 */
export const objectHealthRequestSchema = z.strictObject({
  /** A plan this engine made: its context and kubeconfig are the cluster read. */
  planId,
  keys: z.array(resourceKeySchema).min(1).max(100),
});
export const objectHealthResultSchema = z.object({
  objects: z.array(z.object({ key: resourceKeySchema, status: z.enum(HEALTH_STATUSES), message: z.string() })),
});
export type ObjectHealthResult = z.infer<typeof objectHealthResultSchema>;
