/**
 * What the last apply left, per app and cluster (the `applied_objects` table): kept when a run
 * applied everything, and read back by the re-plan's fast path (desired hash and resourceVersion)
 * and by drift (each object with the after snapshot its last succeeded run left).
 */
import type { Statement } from 'better-sqlite3';
import { identityOf, type ResourceKey } from '../model/resource.js';
import type { AppliedObject, AppliedObjectsQuery } from '../plan/ports.js';
import { decodeJson } from './codec.js';
import type { AppliedObjectState } from './types.js';

/** A cached prepared statement (the history's own `stmt`). */
export type Prepare = <P extends unknown[] = [], R = unknown>(sql: string) => Statement<P, R>;

const APP_ID = `(SELECT a.id FROM apps a JOIN repos p ON p.id = a.repo_id WHERE p.location = ? AND a.name = ?)`;

/** A run applied everything (succeeded or progressing): what it applied healthy becomes each object's last applied state; what it deleted, or left not healthy, is forgotten. Inside a write transaction. */
export function rememberApplied(stmt: Prepare, seq: number): void {
  stmt<[number]>(
    `INSERT INTO applied_objects (app_id, cluster_uid, cluster_version, resource_id, desired_hash, result_version, run_seq)
     SELECT r.app_id, r.cluster_uid, r.cluster_version, o.resource_id, o.desired_hash, o.result_version, r.seq
     FROM run_objects o JOIN runs r ON r.seq = o.run_seq
     WHERE o.run_seq = ? AND o.hook IS NULL AND o.outcome = 'healthy' AND o.desired_hash IS NOT NULL AND o.result_version IS NOT NULL
     ORDER BY o.id
     ON CONFLICT (app_id, cluster_uid, resource_id) DO UPDATE SET
       cluster_version = excluded.cluster_version, desired_hash = excluded.desired_hash, result_version = excluded.result_version, run_seq = excluded.run_seq`,
  ).run(seq);
  stmt<[number]>(
    `DELETE FROM applied_objects
     WHERE (app_id, cluster_uid, resource_id) IN (
       SELECT r.app_id, r.cluster_uid, o.resource_id FROM run_objects o JOIN runs r ON r.seq = o.run_seq
       WHERE o.run_seq = ? AND o.hook IS NULL AND o.outcome IN ('deleted', 'failed', 'unhealthy', 'timeout', 'skipped', 'unknown', 'progressing'))`,
  ).run(seq);
}

/** The desired hash and resourceVersion each object of the app was last applied with on this cluster and server version. Inside a read transaction. */
export function appliedObjectsOf(stmt: Prepare, query: AppliedObjectsQuery): ReadonlyMap<string, AppliedObject> {
  const rows = stmt<string[], { api_group: string; kind: string; namespace: string; name: string; desired_hash: string; result_version: string }>(
    `SELECT res.api_group, res.kind, res.namespace, res.name, ao.desired_hash, ao.result_version
     FROM applied_objects ao JOIN resources res ON res.id = ao.resource_id
     WHERE ao.app_id = ${APP_ID}
       AND ao.cluster_uid = ? AND ao.cluster_version = ?`,
  ).all(query.repo, query.app, query.clusterUid, query.clusterVersion);
  return new Map(
    rows.map((r) => [
      identityOf({ group: r.api_group, version: '', kind: r.kind, ...(r.namespace !== '' && { namespace: r.namespace }), name: r.name }),
      { desiredHash: r.desired_hash, resourceVersion: r.result_version },
    ]),
  );
}

/** Each applied object of the app on this cluster with the after snapshot its last succeeded run left. Inside a read transaction. */
export function appliedStateOf(stmt: Prepare, query: { readonly repo: string; readonly app: string; readonly clusterUid: string }): AppliedObjectState[] {
  type Row = { api_group: string; kind: string; namespace: string; name: string; version: string; desired_hash: string; result_version: string; run_id: string; finished_at: string; codec: string | null; data: Buffer | null };
  const rows = stmt<string[], Row>(
    `SELECT res.api_group, res.kind, res.namespace, res.name, o.version, ao.desired_hash, ao.result_version, r.id AS run_id, o.finished_at, s.codec, s.data
     FROM applied_objects ao
     JOIN resources res ON res.id = ao.resource_id
     JOIN runs r ON r.seq = ao.run_seq
     JOIN run_objects o ON o.id = (
       SELECT MAX(o2.id) FROM run_objects o2
       WHERE o2.run_seq = ao.run_seq AND o2.resource_id = ao.resource_id AND o2.hook IS NULL AND o2.outcome = 'healthy')
     LEFT JOIN snapshots s ON s.id = o.after_snapshot
     WHERE ao.app_id = ${APP_ID}
       AND ao.cluster_uid = ?
     ORDER BY res.api_group, res.kind, res.namespace, res.name`,
  ).all(query.repo, query.app, query.clusterUid);
  return rows.map((r) => {
    const key: ResourceKey = { group: r.api_group, version: r.version, kind: r.kind, ...(r.namespace !== '' && { namespace: r.namespace }), name: r.name };
    const object = r.codec !== null && r.data !== null ? decodeJson(r.codec, r.data, `the snapshot of ${r.kind} ${r.name}`) : undefined;
    return { key, runId: r.run_id, appliedAt: r.finished_at, resourceVersion: r.result_version, desiredHash: r.desired_hash, ...(object !== undefined && { object }) };
  });
}
