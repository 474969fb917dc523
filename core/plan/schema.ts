/**
 * The runtime shape of a saved Plan (plan.json), checked when a plan is loaded back. Strict:
 * a field this Slipway does not know is an error (a newer format must bump formatVersion).
 * The `satisfies`-style assignment below keeps the schema and core/plan/types.ts in step.
 */
import { z } from 'zod';
import { DELETE_POLICIES, SYNC_PHASES } from '../model/hooks.js';
import { WAIT_MODES } from '../model/wait.js';
import type { Plan } from './types.js';
import { FINDING_SEVERITIES, PLAN_FORMAT_VERSION } from './types.js';

const resourceKey = z.strictObject({
  group: z.string(),
  version: z.string(),
  kind: z.string().min(1),
  namespace: z.string().optional(),
  name: z.string().min(1),
});

const sourceLocation = z.strictObject({
  file: z.string(),
  documentIndex: z.number().int().nonnegative().optional(),
  line: z.number().int().positive().optional(),
  column: z.number().int().positive().optional(),
});

const diagnostic = z.strictObject({
  severity: z.enum(['error', 'warning', 'info']),
  code: z.string().min(1),
  message: z.string(),
  location: sourceLocation.optional(),
  resource: resourceKey.optional(),
});

const change = z.strictObject({
  key: resourceKey,
  action: z.enum(['create', 'update', 'delete', 'replace', 'noop', 'error']),
  flags: z.array(z.enum(['after-crd', 'after-namespace', 'approximate', 'dangerous', 'other-applyset', 'other-manager', 'adopt', 'confirm', 'kept'])),
  before: z.string().optional(),
  after: z.string().optional(),
  changedPaths: z.array(z.string()),
  secretKeys: z.record(z.string(), z.enum(['added', 'removed', 'changed', 're-sealed', 'unchanged'])).optional(),
  liveResourceVersion: z.string().optional(),
  desiredHash: z.string().optional(),
  source: sourceLocation.optional(),
  message: z.string().optional(),
  syncOptions: z.array(z.string()).optional(),
  why: z
    .array(
      z.strictObject({
        oid: z.string(),
        author: z.string(),
        date: z.string(),
        subject: z.string(),
        files: z.array(z.string()),
        lines: z.array(z.number().int().positive()).optional(),
      }),
    )
    .optional(),
});

const finding = z.strictObject({
  kind: z.enum(['impact', 'risk']),
  rule: z.string().min(1),
  severity: z.enum(FINDING_SEVERITIES),
  subject: resourceKey,
  cause: resourceKey.optional(),
  message: z.string(),
  paths: z.array(z.string()).optional(),
});

const count = z.number().int().nonnegative();

const plannedHook = z.strictObject({
  key: resourceKey,
  generateName: z.literal(true).optional(),
  phases: z.array(z.enum(SYNC_PHASES)),
  wave: z.number().int(),
  deletePolicies: z.array(z.enum(DELETE_POLICIES)),
  from: z.enum(['argocd', 'helm']),
  skipped: z.string().optional(),
  after: z.string().optional(),
  desiredHash: z.string().optional(),
  source: sourceLocation.optional(),
});

export const planSchema = z.strictObject({
  formatVersion: z.literal(PLAN_FORMAT_VERSION),
  id: z.string().regex(/^plan-[0-9a-f]{16}$/, { error: 'a plan id is "plan-" and 16 hex digits' }),
  createdAt: z.string(),
  inputs: z.strictObject({
    app: z.strictObject({
      name: z.string(),
      path: z.string(),
      sourceType: z.string(),
      namespace: z.string().optional(),
      selectedBy: z.enum(['name', 'path']).optional(),
      protected: z.boolean().optional(),
      prune: z.boolean().optional(),
      createNamespace: z.boolean().optional(),
      wait: z.record(z.string(), z.enum(WAIT_MODES)).optional(),
    }),
    repo: z.string(),
    commit: z.string(),
    treeOid: z.string(),
    renderedHash: z.string(),
    charts: z.array(z.strictObject({ repoURL: z.string(), chart: z.string(), version: z.string(), digest: z.string() })).optional(),
    secretHashKey: z.string().optional(),
    cluster: z.strictObject({ context: z.string(), server: z.string(), uid: z.string(), version: z.string() }).optional(),
    mode: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('normal') }),
      z.strictObject({ kind: z.literal('rollback'), to: z.string().min(1) }),
      z.strictObject({ kind: z.literal('revert'), of: z.string().min(1) }),
      z.strictObject({ kind: z.literal('compare'), compared: z.enum(['revisions', 'contexts']), before: z.string(), after: z.string() }),
    ]),
    applySet: z.strictObject({
      parent: z.string(),
      id: z.string(),
      identity: z.strictObject({ root: z.string(), selectedBy: z.enum(['name', 'path']), app: z.string(), path: z.string() }).optional(),
      adopts: z.array(z.strictObject({ parent: z.string(), id: z.string(), why: z.enum(['earlier-version', 'confirmed']) })).optional(),
    }),
  }),
  changes: z.array(change),
  summary: z.strictObject({ create: count, update: count, delete: count, replace: count, noop: count, error: count }),
  diagnostics: z.array(diagnostic),
  hooks: z.array(plannedHook),
  findings: z.array(finding),
});

/** Fails to compile when the schema's output stops being a Plan. */
export const checkedPlanSchema: z.ZodType<Plan, unknown> = planSchema;
