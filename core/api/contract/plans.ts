/**
 * Plans the engine makes and keeps (by id, for apply): of an app at a revision, of its child apps,
 * of a rollback or revert of a run; a past run's plan; a plan as a document; whether it may be applied.
 */
import { z } from 'zod';
import { contextName, filePath, namespaceName, oneApp, oneAppError, planId, planSummarySchema, repoId, requiredContext, revision, runId } from './fields.js';

export const planRequestSchema = z
  .strictObject({
    repoId,
    rev: revision,
    /** An app by name (slipway.yaml, or an imported Argo CD / Flux app)… */
    app: z.string().min(1).max(253).optional(),
    /** …or a repository folder used as one app ("" is the root). */
    path: filePath.optional(),
    context: requiredContext,
    kubeconfig: filePath.min(1).optional(),
    /** The app's namespace for this plan, instead of its destination (else the context's). */
    namespace: namespaceName.optional(),
    /** Prune on or off, whatever the app's option says (absent: the app's). */
    prune: z.boolean().optional(),
    /** Create the app's namespace when it is missing, never owned or pruned (absent: the app's option). */
    createNamespace: z.boolean().optional(),
    /** Take over the app's ApplySet from the owner another app recorded, or an earlier version's shared one. */
    adopt: z.boolean().optional(),
    /** List the commits behind each change (Change.why) since the app's last apply to this cluster the history knows (else each object's last ones). */
    why: z.boolean().optional(),
  })
  .refine(oneApp, oneAppError);

/** The child apps (app of apps) of a plan the engine keeps: each planned at the plan's commit and context. */
export const planChildrenRequestSchema = z.strictObject({ planId });
const childPlanSummarySchema = z.object({
  /** The child app's name (planned alone with app: <name>) and its parent's. */
  app: z.string(),
  parent: z.string(),
  path: z.string(),
  /** 1 for a child of the plan's app, 2 for a child of a child, … */
  depth: z.number().int().min(1),
  /** The child's plan, kept by the engine (absent when planning it failed: `error`). */
  planId: z.string().optional(),
  summary: planSummarySchema.optional(),
  /** Error diagnostics of its plan. */
  errors: z.number().int().min(0).optional(),
  error: z.string().optional(),
});
export type ChildPlanSummary = z.infer<typeof childPlanSummarySchema>;
export const planChildrenResultSchema = z.object({
  children: z.array(childPlanSummarySchema),
  /** The cluster runs Argo CD: it syncs the children, whose plans are a preview. */
  argoCdSyncs: z.boolean(),
});
export type PlanChildrenResult = z.infer<typeof planChildrenResultSchema>;

export const planFromRunRequestSchema = z.strictObject({
  runId,
  /** Default: the context the run applied to. */
  context: contextName.optional(),
  kubeconfig: filePath.min(1).optional(),
});

/** The plan a past run applied, as history recorded it (unchanged objects left out): shown read-only, never applied again. */
export const runPlanRequestSchema = z.strictObject({ runId });

/**
 * A plan as a document to share (core/plan/view-markdown.ts, view-html.ts): Markdown for a
 * pull-request comment (kept under GitHub's 65,536 characters: the largest diffs are left out,
 * with a note), or one self-contained HTML page with every diff. Of a plan this engine made, or of
 * a past run's plan (as runPlan shows it). Secret values are masked in them as in the plan.
 */
const exportFormat = z.enum(['markdown', 'html']);
export const exportPlanRequestSchema = z.union([z.strictObject({ planId, format: exportFormat }), z.strictObject({ runId, format: exportFormat })]);
export const exportedPlanSchema = z.object({
  format: exportFormat,
  text: z.string(),
  /** A file name to save it under: "slipway-<app>-<plan id>.md" or ".html". */
  fileName: z.string(),
  /** "text/markdown" or "text/html", with its charset. */
  mediaType: z.string(),
});
export type ExportedPlan = z.infer<typeof exportedPlanSchema>;

/** Whether the user may make the writes the apply of a plan this engine made would make (SelfSubjectAccessReview). */
export const canApplyRequestSchema = z.strictObject({ planId });
export const canApplyResultSchema = z.object({
  /** Who asked, as the cluster knows them. */
  user: z.string(),
  /** What the cluster refused: verb, resource as RBAC names it ("deployments.apps"), namespace (absent: cluster scope). */
  missing: z.array(z.object({ verb: z.string(), resource: z.string(), namespace: z.string().optional() })),
  /** Kinds the cluster does not serve yet (a CRD the plan creates): not checked. */
  unchecked: z.array(z.string()),
});
export type CanApplyResult = z.infer<typeof canApplyResultSchema>;
