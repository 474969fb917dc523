/**
 * How runs and results are read back from SQLite: the rows the queries return, the SELECTs, and
 * their mapping to history's records; paging by position.
 */
import type { SyncPhase } from '../model/hooks.js';
import type { ResourceKey } from '../model/resource.js';
import type { Action } from '../plan/types.js';
import { encodeCursor } from './ids.js';
import type { ObjectOutcome, ObjectResultRecord, RunKind, RunRecord, RunStatus } from './types.js';

export interface RunRow {
  seq: number;
  id: string;
  kind: RunKind;
  rollback_of: string | null;
  status: RunStatus;
  plan_id: string;
  commit_oid: string;
  context: string;
  cluster_server: string;
  cluster_uid: string;
  cluster_version: string;
  kube_user: string;
  git_author: string | null;
  started_at: string;
  finished_at: string | null;
  error: string | null;
  repo: string;
  app_name: string;
  app_path: string;
  n_create: number;
  n_update: number;
  n_delete: number;
  n_replace: number;
  n_noop: number;
  n_error: number;
}

export interface ResultRow {
  id: number;
  run_seq: number;
  api_group: string;
  version: string;
  kind: string;
  namespace: string;
  name: string;
  action: Action;
  outcome: ObjectOutcome;
  message: string | null;
  wave: number | null;
  started_at: string | null;
  finished_at: string;
  before_hash: string | null;
  after_hash: string | null;
  desired_hash: string | null;
  result_version: string | null;
  hook: SyncPhase | null;
}

export interface OwnedRunRow {
  seq: number;
  id: string;
  status: RunStatus;
  owner_pid: number;
  owner_host: string;
  owner_start: string;
}

export const RUN_SELECT = `
  SELECT r.seq, r.id, r.kind, r.rollback_of, r.status, r.plan_id, r.commit_oid, r.context, r.cluster_server, r.cluster_uid,
         r.cluster_version, r.kube_user, r.git_author, r.started_at, r.finished_at, r.error,
         repo.location AS repo, app.name AS app_name, app.path AS app_path,
         plan.n_create, plan.n_update, plan.n_delete, plan.n_replace, plan.n_noop, plan.n_error
  FROM runs r
  JOIN apps app ON app.id = r.app_id
  JOIN repos repo ON repo.id = app.repo_id
  JOIN plans plan ON plan.id = r.plan_id`;

export const RESULT_SELECT = `
  SELECT o.id, o.run_seq, res.api_group, o.version, res.kind, res.namespace, res.name, o.action, o.outcome, o.message, o.wave,
         o.started_at, o.finished_at, b.hash AS before_hash, a.hash AS after_hash, o.desired_hash, o.result_version, o.hook
  FROM run_objects o
  JOIN resources res ON res.id = o.resource_id
  LEFT JOIN snapshots b ON b.id = o.before_snapshot
  LEFT JOIN snapshots a ON a.id = o.after_snapshot`;

export function toRun(row: RunRow): RunRecord {
  return {
    id: row.id,
    kind: row.kind,
    ...(row.rollback_of !== null && { rollbackOf: row.rollback_of }),
    status: row.status,
    planId: row.plan_id,
    summary: { create: row.n_create, update: row.n_update, delete: row.n_delete, replace: row.n_replace, noop: row.n_noop, error: row.n_error },
    repo: row.repo,
    app: { name: row.app_name, path: row.app_path },
    commit: row.commit_oid,
    cluster: { context: row.context, server: row.cluster_server, uid: row.cluster_uid, version: row.cluster_version },
    user: { kube: row.kube_user, ...(row.git_author !== null && { gitAuthor: row.git_author }) },
    startedAt: row.started_at,
    ...(row.finished_at !== null && { finishedAt: row.finished_at }),
    ...(row.error !== null && { error: row.error }),
  };
}

export function toResult(row: ResultRow): ObjectResultRecord {
  const key: ResourceKey = { group: row.api_group, version: row.version, kind: row.kind, ...(row.namespace !== '' && { namespace: row.namespace }), name: row.name };
  return {
    key,
    action: row.action,
    outcome: row.outcome,
    ...(row.message !== null && { message: row.message }),
    ...(row.wave !== null && { wave: row.wave }),
    ...(row.started_at !== null && { startedAt: row.started_at }),
    finishedAt: row.finished_at,
    ...(row.before_hash !== null && { beforeHash: row.before_hash }),
    ...(row.after_hash !== null && { afterHash: row.after_hash }),
    ...(row.desired_hash !== null && { desiredHash: row.desired_hash }),
    ...(row.result_version !== null && { resultResourceVersion: row.result_version }),
    ...(row.hook !== null && { hook: row.hook }),
  };
}

/** Ids of runs started in this process, by any History instance: a run with this process as owner is live only if listed. */
export function page<T>(rows: readonly T[], limit: number, position: (row: T) => number, kind: 'runs' | 'results'): { rows: readonly T[]; next?: string } {
  if (rows.length <= limit) return { rows };
  const kept = rows.slice(0, limit);
  const last = kept[kept.length - 1];
  return last === undefined ? { rows: kept } : { rows: kept, next: encodeCursor(kind, position(last)) };
}
