/**
 * The names engine commands travel under: the IPC channel in Electron and the path in
 * `POST /api/<channel>` in browser mode. Kept apart from the schemas (and free of imports) so the
 * sandboxed Electron preload can bundle it without bringing zod along.
 */
export const COMMAND_CHANNELS = {
  engineInfo: 'engine-info',
  getStartup: 'get-startup',
  openRepository: 'open-repository',
  listRevisions: 'list-revisions',
  listApps: 'list-apps',
  listContexts: 'list-contexts',
  plan: 'plan',
  planChildren: 'plan-children',
  apply: 'apply',
  cancelApply: 'cancel-apply',
  listRuns: 'list-runs',
  runDetails: 'run-details',
  objectHealth: 'object-health',
  planRollback: 'plan-rollback',
  planRevert: 'plan-revert',
  runPlan: 'run-plan',
  exportPlan: 'export-plan',
  canApply: 'can-apply',
  sourceSnippet: 'source-snippet',
  describeRevisions: 'describe-revisions',
  listFolders: 'list-folders',
  chooseFolder: 'choose-folder',
  rememberRepository: 'remember-repository',
  getSettings: 'get-settings',
  saveSettings: 'save-settings',
  startLogs: 'start-logs',
  stopLogs: 'stop-logs',
  liveTree: 'live-tree',
  watchLiveTree: 'watch-live-tree',
  stopLiveTree: 'stop-live-tree',
  watchDrift: 'watch-drift',
  stopDrift: 'stop-drift',
} as const;

/** The error codes of a request the engine refuses before any handler runs (a bad body, a command that does not exist). */
export const INVALID_REQUEST = 'invalid-request';
export const UNKNOWN_COMMAND = 'unknown-command';

/** The Electron channel engine events travel on (main → the trusted window only). */
export const EVENT_CHANNEL = 'engine-event';
/** Browser mode: the WebSocket endpoint engine events travel on (same token, Host and Origin checks). */
export const EVENTS_PATH = '/api/events';

/** A command's name in the contract (and the HostApi method name): "openRepository". */
export type CommandId = keyof typeof COMMAND_CHANNELS;
/** A command's wire name: "open-repository". */
export type CommandChannel = (typeof COMMAND_CHANNELS)[CommandId];

export const COMMAND_IDS = Object.keys(COMMAND_CHANNELS) as readonly CommandId[];

/** The command for a wire name, or undefined for anything else (including inherited property names). */
export function commandForChannel(channel: string): CommandId | undefined {
  return COMMAND_IDS.find((id) => COMMAND_CHANNELS[id] === channel);
}
