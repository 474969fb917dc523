/**
 * core/history: the local history database — plans, apply runs, per-object results and
 * secret-masked snapshots, shared safely by several processes.
 */
export type { FinishRunOptions, History, HistoryOptions, RunsOfContextQuery, StartRunOptions } from './history.js';
export { openHistory } from './history.js';
export type { Migration, MigrateOptions } from './migrations.js';
export { LATEST_VERSION, MIGRATIONS, migrate, schemaVersion } from './migrations.js';
export type {
  FinishStatus,
  ObjectOutcome,
  ObjectResultInput,
  ObjectResultRecord,
  Page,
  PageRequest,
  ResourceHistoryEntry,
  RunDetail,
  RunKind,
  RunRecord,
  RunStatus,
  RunUser,
} from './types.js';
export { FINISH_STATUSES, OBJECT_OUTCOMES, RUN_KINDS, RUN_STATUSES } from './types.js';
