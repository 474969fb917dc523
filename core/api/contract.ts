/**
 * The one typed contract between the engine and its front doors (Electron IPC, HTTP, in-memory
 * for component tests). Every command is listed here once, with runtime schemas for its request
 * and its result, because both cross a process boundary: the engine validates every request
 * before a handler sees it, and every result before it leaves.
 *
 * The renderer imports only the types from this module (`import type`); the schemas are used by
 * the transports (core/api/dispatch.ts). Engine events (apply progress) are listed here too, with
 * their schema: the engine validates each one before a transport carries it.
 */
import { z } from 'zod';
import { recentRepositorySchema, settingsSchema } from '../engine/settings.js';
import { HEALTH_STATUSES } from '../apply/health/assess.js';
import { KIND_ORDER } from '../apply/kind-order.js';
import { SYNC_PHASES } from '../model/hooks.js';
import { LOG_END_REASONS } from '../model/logs.js';
import type { WatchPhase } from '../watch/watcher.js';
import { FINISH_STATUSES, OBJECT_OUTCOMES, OBJECT_STATES, RUN_KINDS, RUN_STATUSES } from '../model/run.js';
import { checkedPlanSchema } from '../plan/schema.js';
import { COMMAND_CHANNELS, type CommandId } from './channels.js';

export { COMMAND_CHANNELS, COMMAND_IDS, EVENT_CHANNEL, EVENTS_PATH, commandForChannel, type CommandChannel, type CommandId } from './channels.js';
/** The plan crosses the boundary as the engine made it (DESIGN.md rule 1); views only render it. */
export type { Action, Change, ChangeCommit, ChangeFlag, ClusterIdentity, Plan, PlannedHook, PlanSummary, SecretKeyChange } from '../plan/types.js';
export type { Diagnostic, SourceLocation } from '../model/diagnostics.js';
export type { DeletePolicy, SyncPhase } from '../model/hooks.js';
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
  /** The location's lines (a render tool's error): `startLine` is the number of the first. */
  snippet: z.object({ startLine: z.number().int().positive(), lines: z.array(z.string()) }).optional(),
  /** All a failed tool printed, when the message is only its headline (kustomize, helm). */
  output: z.string().optional(),
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
  /** How a folder is picked: the desktop app's own dialog (chooseFolder), else the engine's folder list (listFolders). */
  folderDialog: z.enum(['native', 'browse']).optional(),
});
export type EngineInfo = z.infer<typeof engineInfoSchema>;

/**
 * What this front door was started with (`slipway serve --repo … --app … --rev … --context …`, or
 * the same arguments of the desktop app): the renderer opens that repository and picks the app,
 * revision and context before the user does anything. Every field is optional; none is checked
 * here: the renderer asks for them through the usual commands, which report any problem.
 */
export const startupSchema = z.object({
  /** A folder inside a local repository. */
  repository: z.string().min(1).max(4096).optional(),
  /** An app name of that repository. */
  app: z.string().min(1).max(253).optional(),
  /** A branch, tag or commit (as `--rev`); default: the current branch. */
  rev: z.string().min(1).max(1024).optional(),
  /** A kubeconfig context name. */
  context: z.string().min(1).max(253).optional(),
});
export type Startup = z.infer<typeof startupSchema>;

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

/** The sub-folders of a folder on the engine's machine (browser mode's folder picker), Git repositories marked. Hidden folders are left out. */
export const listFoldersRequestSchema = z.strictObject({
  /** An absolute folder, or "~/…"; absent: the user's home folder. */
  path: filePath.trim().min(1).optional(),
});
export const folderListSchema = z.object({
  /** The folder listed, absolute. */
  path: z.string(),
  /** Its parent; absent at the top of the file system. */
  parent: z.string().optional(),
  /** The user's home folder (a way back). */
  home: z.string(),
  /** The folder listed is a Git repository's top folder. */
  repository: z.boolean(),
  folders: z.array(z.object({ name: z.string(), path: z.string(), repository: z.boolean() })),
  /** More sub-folders than listed. */
  truncated: z.boolean().optional(),
});
export type FolderList = z.infer<typeof folderListSchema>;

/** The desktop app's native folder dialog; `path` is null when the user cancelled it. Refused where engineInfo's folderDialog is not "native". */
export const chooseFolderRequestSchema = z.strictObject({ start: filePath.min(1).optional() });
export const chosenFolderSchema = z.object({ path: z.string().nullable() });

export type { RecentRepository } from '../engine/settings.js';
/** A repository was opened (`dir`, as openRepository answered), or an app (or folder) of it chosen: it goes first in the recent ones. */
export const rememberRepositoryRequestSchema = z.strictObject({ dir: filePath.min(1), app: z.string().min(1).max(253).optional(), path: filePath.optional() }).refine((r) => r.app === undefined || r.path === undefined, { path: ['app'], error: 'give at most one of app or path' });
export const recentRepositoriesSchema = z.object({ repositories: z.array(recentRepositorySchema) });

/** Names for the commits a view shows (History's runs, a plan's commit): tags, subject, a label. */
export const describeRevisionsRequestSchema = z.strictObject({
  repoId,
  commits: z.array(z.string().regex(/^[0-9a-f]{40}$/, { error: 'a commit id (40 hex digits)' })).min(1).max(200),
});
const describedRevisionSchema = z.object({
  commit: z.string(),
  shortOid: z.string(),
  subject: z.string(),
  /** Tags at the commit, newest version first. */
  tags: z.array(z.string()),
  /** "v1.2.0 · storefront: scale up (3f2a9c1)". */
  label: z.string(),
});
export type DescribedRevision = z.infer<typeof describedRevisionSchema>;
/** The commits the repository holds, in the order asked; others (another repository's) are left out. */
export const describedRevisionsSchema = z.object({ revisions: z.array(describedRevisionSchema) });

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
  /** Optional: engines before it did not send it. */
  createNamespace: z.boolean().optional(),
  protected: z.boolean(),
  /** A child app (app of apps): the name of the app whose rendering defines it. Listed after its parent. */
  parent: z.string().optional(),
  /** A child app of a folder offered in `folders` (a repository that defines no apps): that folder's path. */
  parentFolder: z.string().optional(),
});
export type AppSummary = z.infer<typeof appSummarySchema>;
export const appListSchema = z.object({
  apps: z.array(appSummarySchema),
  /** The repository has a slipway.yaml at this revision. */
  configured: z.boolean(),
  diagnostics: z.array(diagnosticSchema),
  /** Folders that look like apps ("" is the root), offered as folder choices when `apps` is empty (core/source/candidates.ts). */
  folders: z.array(z.object({ path: z.string(), sourceType: z.enum(['directory', 'kustomize', 'helm']) })).optional(),
});
export type AppList = z.infer<typeof appListSchema>;

export const listContextsRequestSchema = z.strictObject({
  /** An explicit kubeconfig file; default: $KUBECONFIG of the engine, else ~/.kube/config. */
  kubeconfig: filePath.min(1).optional(),
});
/** A kubeconfig context as the UI may show it: names and addresses, never credentials. */
const contextInfoSchema = z.object({
  /** Listed in the protected contexts of the settings: applying needs the context name typed. */
  protected: z.boolean().optional(),
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
    /** The app's namespace for this plan, instead of its destination (else the context's). */
    namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: 'a namespace name: lowercase letters, digits and "-", starting and ending with a letter or digit' }).max(63).optional(),
    /** Prune on or off, whatever the app's option says (absent: the app's). */
    prune: z.boolean().optional(),
    /** Create the app's namespace when it is missing, never owned or pruned (absent: the app's option). */
    createNamespace: z.boolean().optional(),
    /** Take over the app's ApplySet from the owner another app recorded, or an earlier version's shared one. */
    adopt: z.boolean().optional(),
    /** List the commits behind each change (Change.why) since the app's last apply to this cluster the history knows (else each object's last ones). */
    why: z.boolean().optional(),
  })
  .refine((r) => (r.app === undefined) !== (r.path === undefined), { path: ['app'], error: 'give exactly one of app (an app name) or path (a folder of the repository)' });

const planId = z.string().min(1).max(100);

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
  summary: z.object({ create: z.number(), update: z.number(), delete: z.number(), replace: z.number(), noop: z.number(), error: z.number() }).optional(),
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
const runId = z.string().min(1).max(100);
const contextName = z.string().min(1).max(253);

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

const resourceKeySchema = z.object({ group: z.string(), version: z.string(), kind: z.string(), namespace: z.string().optional(), name: z.string() });
const planSummarySchema = z.object({ create: z.number(), update: z.number(), delete: z.number(), replace: z.number(), noop: z.number(), error: z.number() });
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

/** The lines of a repository file around one line (an error's file:line), at a commit or the working copy. */
export const sourceSnippetRequestSchema = z.strictObject({
  repoId,
  rev: revision,
  /** Repository-relative, as a diagnostic's location names it. */
  file: filePath.min(1),
  line: z.number().int().positive(),
});
export const sourceSnippetSchema = z.object({
  file: z.string(),
  line: z.number().int().positive(),
  /** The number of the first line of `lines`. */
  startLine: z.number().int().positive().optional(),
  lines: z.array(z.string()).optional(),
  /** Why the file is not shown instead (it holds Secret values): then there are no lines. */
  hidden: z.string().optional(),
});
export type SourceSnippet = z.infer<typeof sourceSnippetSchema>;

export { settingsSchema, type Settings, type SettingsInput } from '../engine/settings.js';
export const settingsResultSchema = z.object({
  settings: settingsSchema,
  /** The file they live in. */
  file: z.string(),
  /** Why the file on disk was not used (it is invalid); the defaults are in effect until the user saves. */
  problem: z.string().optional(),
});
export type SettingsResult = z.infer<typeof settingsResultSchema>;

// ── Pod logs ─────────────────────────────────────────────────────────────────

/** Chosen by the caller, unique among the engine's running streams: e.g. crypto.randomUUID(). */
const logStreamId = z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/, { error: 'a stream id: 1 to 100 letters, digits, ".", "_", ":" or "-"' });

/**
 * Starts reading one container's log (core/api/logs.ts): its lines come as `log-lines` events
 * under `streamId`, in batches (at most one event per stream every 100 ms), then one `log-ended`.
 * The caller picks the stream id, so it can take the stream's events before this answers. Fails,
 * with no events, when there is no log to read: `pod-not-found`, `unknown-container`,
 * `container-not-started`, `no-previous-container` (or a Kubernetes error: forbidden, unreachable).
 * Searching the lines is the view's business.
 */
export const startLogsRequestSchema = z.strictObject({
  streamId: logStreamId,
  context: contextName,
  /** An explicit kubeconfig file; default: the settings', else $KUBECONFIG of the engine, else ~/.kube/config. */
  kubeconfig: filePath.min(1).optional(),
  namespace: z.string().min(1).max(63),
  pod: z.string().min(1).max(253),
  /** Default: the Pod's default container (kubectl.kubernetes.io/default-container, else its first); the answer names it. */
  container: z.string().min(1).max(253).optional(),
  /** Keep reading as the container writes, until the container stops, the Pod is deleted, or stopLogs. */
  follow: z.boolean().optional(),
  /** The container's previous run (after a restart). */
  previous: z.boolean().optional(),
  /** Only the last lines (0: none of the past, only what comes next). A view following a busy log should ask for a tail. */
  tailLines: z.number().int().min(0).max(1_000_000).optional(),
  /** Only lines of the last seconds. */
  sinceSeconds: z.number().int().min(1).optional(),
  /** Stop after about this many bytes. */
  limitBytes: z.number().int().min(1).optional(),
  /** Each line starts with the time the kubelet recorded it (RFC 3339). */
  timestamps: z.boolean().optional(),
});
export const logsStartedSchema = z.object({
  streamId: z.string(),
  /** The container read. */
  container: z.string(),
  /** The Pod's containers and init containers, in order (for a picker). */
  containers: z.array(z.string()),
  initContainers: z.array(z.string()),
  /** No container was asked for and the Pod has several: `container` is its default. */
  defaulted: z.boolean(),
});
export type LogsStarted = z.infer<typeof logsStartedSchema>;
export const stopLogsRequestSchema = z.strictObject({ streamId: logStreamId });
export const stopLogsResultSchema = z.object({
  /** False when no stream of this id runs (it ended already, or never started). */
  stopped: z.boolean(),
});
export type { LogEndReason } from '../model/logs.js';

// ── live tree ────────────────────────────────────────────────────────────────

/**
 * The live tree of an app on a context, read now (core/engine/live-tree.ts, as `slipway status`
 * prints it): the app's ApplySet members as roots, under each what its controllers made
 * (Deployment → ReplicaSet → Pods, CronJob → Job → Pods, StatefulSet → Pods and claims, DaemonSet →
 * Pods, Service → EndpointSlices), each with its health and why it is not fine; the app's Events,
 * newest first; what could not be read (a 403) in `gaps`. The app is chosen as for `plan`; nothing
 * is rendered. Never a Secret's data: a Secret is its key and health.
 */
const liveTreeFields = {
    repoId,
    /** The revision the app is found at (its slipway.yaml, its identity); default HEAD. */
    rev: revision.optional(),
    app: z.string().min(1).max(253).optional(),
    path: filePath.optional(),
    context: z.string().min(1, { error: 'a kubeconfig context is required' }).max(253),
    kubeconfig: filePath.min(1).optional(),
    /** The app's namespace, where its ApplySet is, as given to plan (absent: the app's destination, else the context's). */
    namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: 'a namespace name: lowercase letters, digits and "-", starting and ending with a letter or digit' }).max(63).optional(),
    /** At most this many Events (default 50). */
    events: z.number().int().min(0).max(500).optional(),
};
const oneApp = (r: { app?: string | undefined; path?: string | undefined }): boolean => (r.app === undefined) !== (r.path === undefined);
const oneAppError = { path: ['app'], error: 'give exactly one of app (an app name) or path (a folder of the repository)' };
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

/** Chosen by the caller, unique among the engine's running live trees: e.g. crypto.randomUUID(). */
const liveTreeStreamId = z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/, { error: 'a stream id: 1 to 100 letters, digits, ".", "_", ":" or "-"' });
/**
 * The live tree kept current (core/engine/live-tree.ts watchLiveTreeOf): answers the tree as
 * liveTree does, then a `live-tree` event under `streamId` with the whole tree after each batch of
 * changes the shared watches see (at most one every 250 ms), until stopLiveTree. At most 8 run at
 * once: one more stops the oldest (its `live-tree-ended` says so).
 */
export const watchLiveTreeRequestSchema = z.strictObject({ ...liveTreeFields, streamId: liveTreeStreamId }).refine(oneApp, oneAppError);
export const liveTreeStartedSchema = liveTreeSchema.extend({ streamId: z.string() });
export const stopLiveTreeRequestSchema = z.strictObject({ streamId: liveTreeStreamId });
export const stopLiveTreeResultSchema = z.object({
  /** False when no live tree of this id runs (it ended already, or never started). */
  stopped: z.boolean(),
});
/** A watch the live tree uses ("apps/v1/deployments@shop") and its state: connecting, synced, reconnecting (the view says so), forbidden. */
/** watcher.ts WATCH_PHASES (not imported: it brings the Kubernetes client into the renderer's bundle; a unit test keeps them equal). */
export const LIVE_TREE_WATCH_PHASES = ['connecting', 'synced', 'reconnecting', 'forbidden'] as const satisfies readonly WatchPhase[];
const liveTreeWatchSchema = z.object({ key: z.string(), phase: z.enum(LIVE_TREE_WATCH_PHASES), reason: z.string().optional() });
export type LiveTreeWatchState = z.infer<typeof liveTreeWatchSchema>;

// ── drift ────────────────────────────────────────────────────────────────────

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
    streamId: liveTreeStreamId,
    repoId,
    /** The revision the app is found at (its slipway.yaml, its ignoreDifferences); default HEAD. */
    rev: revision.optional(),
    app: z.string().min(1).max(253).optional(),
    path: filePath.optional(),
    context: z.string().min(1, { error: 'a kubeconfig context is required' }).max(253),
    kubeconfig: filePath.min(1).optional(),
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
export const stopDriftRequestSchema = z.strictObject({ streamId: liveTreeStreamId });
export const stopDriftResultSchema = z.object({
  /** False when no drift stream of this id runs (it ended already, or never started). */
  stopped: z.boolean(),
});
/** Why a drift stream ended: stopDrift or the oldest of too many (`stopped`); checking again after an apply failed (`failed`, `error` says why). */
export const DRIFT_END_REASONS = ['stopped', 'failed'] as const;

// ── events ───────────────────────────────────────────────────────────────────

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
export type { FinishStatus, ObjectState } from '../model/run.js';

/** Every command: its wire name, request schema and result schema. */
export const commands = {
  engineInfo: { channel: COMMAND_CHANNELS.engineInfo, request: z.strictObject({}), result: engineInfoSchema },
  getStartup: { channel: COMMAND_CHANNELS.getStartup, request: z.strictObject({}), result: startupSchema },
  openRepository: { channel: COMMAND_CHANNELS.openRepository, request: openRepositoryRequestSchema, result: openedRepositorySchema },
  listRevisions: { channel: COMMAND_CHANNELS.listRevisions, request: listRevisionsRequestSchema, result: revisionListSchema },
  listApps: { channel: COMMAND_CHANNELS.listApps, request: listAppsRequestSchema, result: appListSchema },
  listContexts: { channel: COMMAND_CHANNELS.listContexts, request: listContextsRequestSchema, result: contextListSchema },
  plan: { channel: COMMAND_CHANNELS.plan, request: planRequestSchema, result: checkedPlanSchema },
  planChildren: { channel: COMMAND_CHANNELS.planChildren, request: planChildrenRequestSchema, result: planChildrenResultSchema },
  apply: { channel: COMMAND_CHANNELS.apply, request: applyRequestSchema, result: applyStartedSchema },
  cancelApply: { channel: COMMAND_CHANNELS.cancelApply, request: cancelApplyRequestSchema, result: cancelApplyResultSchema },
  listRuns: { channel: COMMAND_CHANNELS.listRuns, request: listRunsRequestSchema, result: runListSchema },
  runDetails: { channel: COMMAND_CHANNELS.runDetails, request: runDetailsRequestSchema, result: runDetailsSchema },
  objectHealth: { channel: COMMAND_CHANNELS.objectHealth, request: objectHealthRequestSchema, result: objectHealthResultSchema },
  planRollback: { channel: COMMAND_CHANNELS.planRollback, request: planFromRunRequestSchema, result: checkedPlanSchema },
  planRevert: { channel: COMMAND_CHANNELS.planRevert, request: planFromRunRequestSchema, result: checkedPlanSchema },
  runPlan: { channel: COMMAND_CHANNELS.runPlan, request: runPlanRequestSchema, result: checkedPlanSchema },
  exportPlan: { channel: COMMAND_CHANNELS.exportPlan, request: exportPlanRequestSchema, result: exportedPlanSchema },
  canApply: { channel: COMMAND_CHANNELS.canApply, request: canApplyRequestSchema, result: canApplyResultSchema },
  sourceSnippet: { channel: COMMAND_CHANNELS.sourceSnippet, request: sourceSnippetRequestSchema, result: sourceSnippetSchema },
  describeRevisions: { channel: COMMAND_CHANNELS.describeRevisions, request: describeRevisionsRequestSchema, result: describedRevisionsSchema },
  listFolders: { channel: COMMAND_CHANNELS.listFolders, request: listFoldersRequestSchema, result: folderListSchema },
  chooseFolder: { channel: COMMAND_CHANNELS.chooseFolder, request: chooseFolderRequestSchema, result: chosenFolderSchema },
  rememberRepository: { channel: COMMAND_CHANNELS.rememberRepository, request: rememberRepositoryRequestSchema, result: recentRepositoriesSchema },
  getSettings: { channel: COMMAND_CHANNELS.getSettings, request: z.strictObject({}), result: settingsResultSchema },
  saveSettings: { channel: COMMAND_CHANNELS.saveSettings, request: settingsSchema, result: settingsResultSchema },
  startLogs: { channel: COMMAND_CHANNELS.startLogs, request: startLogsRequestSchema, result: logsStartedSchema },
  stopLogs: { channel: COMMAND_CHANNELS.stopLogs, request: stopLogsRequestSchema, result: stopLogsResultSchema },
  liveTree: { channel: COMMAND_CHANNELS.liveTree, request: liveTreeRequestSchema, result: liveTreeSchema },
  watchLiveTree: { channel: COMMAND_CHANNELS.watchLiveTree, request: watchLiveTreeRequestSchema, result: liveTreeStartedSchema },
  stopLiveTree: { channel: COMMAND_CHANNELS.stopLiveTree, request: stopLiveTreeRequestSchema, result: stopLiveTreeResultSchema },
  watchDrift: { channel: COMMAND_CHANNELS.watchDrift, request: watchDriftRequestSchema, result: driftStartedSchema },
  stopDrift: { channel: COMMAND_CHANNELS.stopDrift, request: stopDriftRequestSchema, result: stopDriftResultSchema },
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

/** One method per command. */
export type HostCommands = { readonly [C in CommandId]: Call<CommandRequest<C>, CommandResult<C>> };

/**
 * What the renderer may ask of the engine, one method per command, and the engine's events.
 * Implemented by each transport's client side (renderer/src/host.ts); failures reject with the
 * EngineErrorInfo fields.
 */
export type HostApi = HostCommands & {
  /** Calls `listener` with every engine event from now on; returns the function that stops it. */
  readonly onEvent: (listener: (event: EngineEvent) => void) => () => void;
};

export { describeIssues } from '../model/issues.js';

/** One function per command; requests arrive validated. Both transports (Electron IPC, HTTP) call the same handlers through dispatch. */
export type CommandHandlers = { readonly [C in CommandId]: (request: ValidRequest<C>) => Promise<CommandResult<C>> };
