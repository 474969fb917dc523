/**
 * The one typed contract between the engine and its front doors (Electron IPC, HTTP, in-memory
 * for component tests). Every command is listed here once, with runtime schemas for its request
 * and its result, because both cross a process boundary: the engine validates every request
 * before a handler sees it, and every result before it leaves.
 *
 * The renderer imports only the types from this module (`import type`); the schemas are used by
 * the transports (core/api/dispatch.ts). Later issues add apply, history and events.
 */
import { z } from 'zod';
import { checkedPlanSchema } from '../plan/schema.js';
import { COMMAND_CHANNELS, type CommandId } from './channels.js';

export { COMMAND_CHANNELS, COMMAND_IDS, commandForChannel, type CommandChannel, type CommandId } from './channels.js';
/** The plan crosses the boundary as the engine made it (DESIGN.md rule 1); views only render it. */
export type { Action, Change, ChangeFlag, ClusterIdentity, Plan, PlanSummary, SecretKeyChange } from '../plan/types.js';
export type { Diagnostic, SourceLocation } from '../model/diagnostics.js';
export type { ResourceKey } from '../model/resource.js';

// ── shared shapes ────────────────────────────────────────────────────────────

export const sourceLocationSchema = z.object({
  file: z.string(),
  documentIndex: z.number().int().nonnegative().optional(),
  line: z.number().int().positive().optional(),
  column: z.number().int().positive().optional(),
});

export const diagnosticSchema = z.object({
  severity: z.enum(['error', 'warning', 'info']),
  code: z.string(),
  message: z.string(),
  location: sourceLocationSchema.optional(),
  resource: z.object({ group: z.string(), version: z.string(), kind: z.string(), namespace: z.string().optional(), name: z.string() }).optional(),
});

/**
 * How a failure crosses the boundary: the fields of a SlipwayError. `invalid-request` means the
 * request did not match its schema (the message names the field, never its value); `internal`
 * is a bug or an unexpected failure.
 */
export const engineErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  hint: z.string().optional(),
  location: sourceLocationSchema.optional(),
});
export type EngineErrorInfo = z.infer<typeof engineErrorSchema>;

/** What a transport carries back for one command: the result, or the error. */
export type Reply<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: EngineErrorInfo };

const repoId = z.string().min(1).max(100);
const revision = z.string().trim().min(1, { error: 'a revision is required' }).max(1024);
const filePath = z.string().max(4096);

// ── commands ─────────────────────────────────────────────────────────────────

export const engineInfoSchema = z.object({
  version: z.string(),
  /** Node's platform of the engine process, e.g. "linux". */
  platform: z.string(),
  /** Which front door is serving this renderer. */
  transport: z.enum(['electron', 'http', 'memory']),
});
export type EngineInfo = z.infer<typeof engineInfoSchema>;

export const openRepositoryRequestSchema = z.strictObject({
  /** Any folder inside a local repository (a leading "~/" is the user's home). */
  path: filePath.trim().min(1, { error: 'a repository path is required' }),
});
export const openedRepositorySchema = z.object({
  /** Names the open repository in later commands. Stable for one folder while the engine runs. */
  id: z.string(),
  /** The repository's top-level folder. */
  dir: z.string(),
  /** The folder's name, for display. */
  name: z.string(),
});
export type OpenedRepository = z.infer<typeof openedRepositorySchema>;

export const listRevisionsRequestSchema = z.strictObject({
  repoId,
  /** Keeps refs whose name, and commits whose subject, author or oid contain it (case-insensitive). */
  query: z.string().max(200).optional(),
  /** Commits per page (default 50). */
  limit: z.number().int().min(1).max(500).optional(),
  /** The `next` cursor of the previous page. */
  after: z.string().regex(/^[0-9a-f]{40}$/, { error: 'a commit id (40 hex digits) from a previous page' }).optional(),
});
const refSummarySchema = z.object({
  kind: z.enum(['branch', 'remote-branch', 'tag']),
  /** "main", "origin/main", "v1.2.0". */
  name: z.string(),
  /** "refs/heads/main": what to pass as `rev`. */
  fullName: z.string(),
  oid: z.string(),
  current: z.boolean().optional(),
});
export type RefSummary = z.infer<typeof refSummarySchema>;
const commitSummarySchema = z.object({
  oid: z.string(),
  shortOid: z.string(),
  subject: z.string(),
  author: z.object({ name: z.string(), email: z.string() }),
  /** Author time, ISO 8601 UTC: views show it relative ("3 hours ago"). */
  date: z.string(),
  /** Short names of the refs pointing at this commit. */
  refs: z.array(z.string()),
});
export type CommitSummary = z.infer<typeof commitSummarySchema>;
export const revisionListSchema = z.object({
  branches: z.array(refSummarySchema),
  remoteBranches: z.array(refSummarySchema),
  tags: z.array(refSummarySchema),
  /** The uncommitted files as a revision (`rev` is what to pass); null for a bare repository. */
  workingCopy: z.object({ rev: z.string(), head: z.string().optional() }).nullable(),
  /** A page of HEAD's history, newest first. */
  commits: z.array(commitSummarySchema),
  /** Pass as `after` for the next page; absent on the last one. */
  next: z.string().optional(),
});
export type RevisionList = z.infer<typeof revisionListSchema>;

export const listAppsRequestSchema = z.strictObject({ repoId, rev: revision });
const appSummarySchema = z.object({
  name: z.string(),
  /** Repository-relative folder; "" is the root. */
  path: z.string(),
  sourceType: z.enum(['directory', 'kustomize', 'helm', 'auto']),
  namespace: z.string().optional(),
  /** The context the app names as its destination (a hint). */
  context: z.string().optional(),
  origin: z.object({ kind: z.enum(['slipway.yaml', 'folder', 'argocd', 'flux']), file: z.string().optional(), line: z.number().optional() }),
  prune: z.boolean(),
  protected: z.boolean(),
});
export type AppSummary = z.infer<typeof appSummarySchema>;
export const appListSchema = z.object({
  apps: z.array(appSummarySchema),
  /** The repository has a slipway.yaml at this revision. */
  configured: z.boolean(),
  diagnostics: z.array(diagnosticSchema),
});
export type AppList = z.infer<typeof appListSchema>;

export const listContextsRequestSchema = z.strictObject({
  /** An explicit kubeconfig file; default: $KUBECONFIG of the engine, else ~/.kube/config. */
  kubeconfig: filePath.min(1).optional(),
});
/** A kubeconfig context as the UI may show it: names and addresses, never credentials. */
const contextInfoSchema = z.object({
  name: z.string(),
  cluster: z.string(),
  /** The cluster's server URL ("" when unknown). */
  server: z.string(),
  /** The kubeconfig user entry's name (not a credential). */
  user: z.string(),
  namespace: z.string(),
  current: z.boolean(),
});
export type ContextInfo = z.infer<typeof contextInfoSchema>;
export const contextListSchema = z.object({
  contexts: z.array(contextInfoSchema),
  currentContext: z.string().optional(),
  /** The kubeconfig files read, in precedence order. */
  files: z.array(z.string()),
  diagnostics: z.array(diagnosticSchema),
});
export type ContextList = z.infer<typeof contextListSchema>;

export const planRequestSchema = z
  .strictObject({
    repoId,
    rev: revision,
    /** An app by name (slipway.yaml, or an imported Argo CD / Flux app)… */
    app: z.string().min(1).max(253).optional(),
    /** …or a repository folder used as one app ("" is the root). */
    path: filePath.optional(),
    context: z.string().min(1, { error: 'a kubeconfig context is required' }).max(253),
    kubeconfig: filePath.min(1).optional(),
  })
  .refine((r) => (r.app === undefined) !== (r.path === undefined), { path: ['app'], error: 'give exactly one of app (an app name) or path (a folder of the repository)' });

/** Every command: its wire name, request schema and result schema. */
export const commands = {
  engineInfo: { channel: COMMAND_CHANNELS.engineInfo, request: z.strictObject({}), result: engineInfoSchema },
  openRepository: { channel: COMMAND_CHANNELS.openRepository, request: openRepositoryRequestSchema, result: openedRepositorySchema },
  listRevisions: { channel: COMMAND_CHANNELS.listRevisions, request: listRevisionsRequestSchema, result: revisionListSchema },
  listApps: { channel: COMMAND_CHANNELS.listApps, request: listAppsRequestSchema, result: appListSchema },
  listContexts: { channel: COMMAND_CHANNELS.listContexts, request: listContextsRequestSchema, result: contextListSchema },
  plan: { channel: COMMAND_CHANNELS.plan, request: planRequestSchema, result: checkedPlanSchema },
} as const satisfies Record<CommandId, { channel: string; request: z.ZodType; result: z.ZodType }>;

/** What a caller sends (before defaults and trimming). */
export type CommandRequest<C extends CommandId> = z.input<(typeof commands)[C]['request']>;
/** What a handler receives (validated). */
export type ValidRequest<C extends CommandId> = z.output<(typeof commands)[C]['request']>;
export type CommandResult<C extends CommandId> = z.output<(typeof commands)[C]['result']>;

type Empty = Record<never, never>;
type RequiredKeys<T> = { [K in keyof T]-?: Empty extends Pick<T, K> ? never : K }[keyof T];
/** A request with no required field may be left out. */
type Call<I, O> = [RequiredKeys<I>] extends [never] ? (request?: I) => Promise<O> : (request: I) => Promise<O>;

/**
 * What the renderer may ask of the engine, one method per command. Implemented by each
 * transport's client side (renderer/src/host.ts); failures reject with the EngineErrorInfo fields.
 */
export type HostApi = { readonly [C in CommandId]: Call<CommandRequest<C>, CommandResult<C>> };
