/**
 * The one typed contract between the engine and its front doors (Electron IPC, HTTP, in-memory
 * for component tests). Every command is listed here once, with runtime schemas for its request
 * and its result, because both cross a process boundary: the engine validates every request
 * before a handler sees it, and every result before it leaves.
 *
 * The schemas live beside it, one module per area (./contract/: repositories, plans, runs, logs,
 * live tree, drift, events…); this module lists the commands and re-exports them, so front doors
 * import the contract from here. The renderer imports only the types (`import type`); the schemas
 * are used by the transports (core/api/dispatch.ts). Engine events (apply progress) are listed too,
 * with their schema: the engine validates each one before a transport carries it.
 */
import { z } from 'zod';
import { settingsSchema } from '../engine/settings.js';
import { checkedPlanSchema } from '../plan/schema.js';
import { COMMAND_CHANNELS, type CommandId } from './channels.js';
import { contextListSchema, listContextsRequestSchema } from './contract/contexts.js';
import { driftStartedSchema, stopDriftRequestSchema, stopDriftResultSchema, watchDriftRequestSchema } from './contract/drift.js';
import { engineInfoSchema, settingsResultSchema, startupSchema } from './contract/engine.js';
import type { EngineEvent } from './contract/events.js';
import { liveTreeRequestSchema, liveTreeSchema, liveTreeStartedSchema, stopLiveTreeRequestSchema, stopLiveTreeResultSchema, watchLiveTreeRequestSchema } from './contract/live-tree.js';
import { logsStartedSchema, startLogsRequestSchema, stopLogsRequestSchema, stopLogsResultSchema } from './contract/logs.js';
import { canApplyRequestSchema, canApplyResultSchema, exportedPlanSchema, exportPlanRequestSchema, planChildrenRequestSchema, planChildrenResultSchema, planFromRunRequestSchema, planRequestSchema, runPlanRequestSchema } from './contract/plans.js';
import {
  appListSchema,
  chooseFolderRequestSchema,
  chosenFolderSchema,
  describedRevisionsSchema,
  describeRevisionsRequestSchema,
  folderListSchema,
  listAppsRequestSchema,
  listFoldersRequestSchema,
  listRevisionsRequestSchema,
  openedRepositorySchema,
  openRepositoryRequestSchema,
  recentRepositoriesSchema,
  rememberRepositoryRequestSchema,
  revisionListSchema,
  sourceSnippetRequestSchema,
  sourceSnippetSchema,
} from './contract/repositories.js';
import { applyRequestSchema, applyStartedSchema, cancelApplyRequestSchema, cancelApplyResultSchema, listRunsRequestSchema, objectHealthRequestSchema, objectHealthResultSchema, runDetailsRequestSchema, runDetailsSchema, runListSchema } from './contract/runs.js';

export { COMMAND_CHANNELS, COMMAND_IDS, EVENT_CHANNEL, EVENTS_PATH, commandForChannel, type CommandChannel, type CommandId } from './channels.js';
/** The plan crosses the boundary as the engine made it (DESIGN.md rule 1); views only render it. */
export type { Action, Change, ChangeCommit, ChangeFlag, ClusterIdentity, Plan, PlannedHook, PlanSummary, SecretKeyChange } from '../plan/types.js';
export type { Diagnostic, SourceLocation } from '../model/diagnostics.js';
export type { DeletePolicy, SyncPhase } from '../model/hooks.js';
export type { ResourceKey } from '../model/resource.js';
export * from './contract/diagnostics.js';
export * from './contract/engine.js';
export * from './contract/repositories.js';
export * from './contract/contexts.js';
export * from './contract/plans.js';
export * from './contract/runs.js';
export * from './contract/logs.js';
export * from './contract/live-tree.js';
export * from './contract/drift.js';
export * from './contract/events.js';

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
