/**
 * Versioned schema migrations for the history database. The list is append-only: a released
 * migration is never edited, a change is a new entry. Each migration runs in its own
 * `BEGIN IMMEDIATE` transaction and re-reads the version inside it, so several processes opening
 * the same file at once migrate it exactly once. `schema_migrations` is the source of truth.
 */
import type { Database } from 'better-sqlite3';
import { SlipwayError } from '../model/diagnostics.js';

export interface Migration {
  /** 1, 2, 3… in order, no gaps. */
  readonly version: number;
  readonly name: string;
  /** SQL statements, run in order inside the migration's transaction. */
  readonly steps: readonly string[];
  /**
   * Rebuilds a table other tables reference: foreign keys are switched off around the transaction
   * (SQLite's own procedure for changing a table, https://sqlite.org/lang_altertable.html#otheralter;
   * the pragma has no effect inside a transaction) and checked before it commits.
   */
  readonly rebuildsReferencedTable?: true;
}

const ACTIONS = `('create', 'update', 'delete', 'replace', 'noop', 'error')`;
const OUTCOMES = `('applied', 'deleted', 'unchanged', 'failed', 'skipped', 'healthy', 'unhealthy', 'timeout')`;
/** Migration 4 adds `unknown`: a write was sent and no answer came (the API server died or timed out). */
const OUTCOMES_4 = `('applied', 'deleted', 'unchanged', 'failed', 'skipped', 'healthy', 'unhealthy', 'timeout', 'unknown')`;
const STATUSES = `('running', 'succeeded', 'failed', 'cancelled', 'interrupted', 'refused')`;
/** Migration 5 adds `progressing`: applied, and some objects still wait for something outside the app (a load balancer's address). */
const OUTCOMES_5 = `('applied', 'deleted', 'unchanged', 'failed', 'skipped', 'healthy', 'unhealthy', 'timeout', 'unknown', 'progressing')`;
const STATUSES_5 = `('running', 'succeeded', 'progressing', 'failed', 'cancelled', 'interrupted', 'refused')`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'repos, apps, plans and apply runs',
    steps: [
      // A repository as Plan.inputs.repo names it (path or URL).
      `CREATE TABLE repos (
        id       INTEGER PRIMARY KEY,
        location TEXT NOT NULL UNIQUE
      )`,
      // An app is named within its repository; path is where it was last seen (each plan keeps its own copy).
      `CREATE TABLE apps (
        id      INTEGER PRIMARY KEY,
        repo_id INTEGER NOT NULL REFERENCES repos(id),
        name    TEXT NOT NULL,
        path    TEXT NOT NULL,
        UNIQUE (repo_id, name)
      )`,
      // Plans are immutable: the Plan JSON as given (already secret-masked), compressed, plus the columns queries need.
      // context and cluster_uid are NULL for a comparison of two revisions (no cluster).
      `CREATE TABLE plans (
        id             TEXT PRIMARY KEY,
        app_id         INTEGER NOT NULL REFERENCES apps(id),
        commit_oid     TEXT NOT NULL,
        context        TEXT,
        cluster_uid    TEXT,
        format_version INTEGER NOT NULL,
        created_at     TEXT NOT NULL,
        recorded_at    TEXT NOT NULL,
        n_create       INTEGER NOT NULL,
        n_update       INTEGER NOT NULL,
        n_delete       INTEGER NOT NULL,
        n_replace      INTEGER NOT NULL,
        n_noop         INTEGER NOT NULL,
        n_error        INTEGER NOT NULL,
        codec          TEXT NOT NULL,
        body           BLOB NOT NULL
      )`,
      `CREATE INDEX plans_by_app ON plans(app_id, created_at)`,
      // seq is the insertion order (a total order across processes: writes are serialized) and the paging key;
      // id is the public, time-sortable name. app_id and commit_oid are copied from the (immutable) plan so that
      // every run query is one index range. The cluster identity is what the run saw when it started.
      // owner_* name the process that runs it, so another process can tell a crashed run from a live one.
      `CREATE TABLE runs (
        seq             INTEGER PRIMARY KEY,
        id              TEXT NOT NULL UNIQUE,
        kind            TEXT NOT NULL CHECK (kind IN ('apply', 'rollback', 'revert')),
        rollback_of     TEXT REFERENCES runs(id),
        plan_id         TEXT NOT NULL REFERENCES plans(id),
        app_id          INTEGER NOT NULL REFERENCES apps(id),
        commit_oid      TEXT NOT NULL,
        context         TEXT NOT NULL,
        cluster_server  TEXT NOT NULL,
        cluster_uid     TEXT NOT NULL,
        cluster_version TEXT NOT NULL,
        kube_user       TEXT NOT NULL,
        git_author      TEXT,
        status          TEXT NOT NULL CHECK (status IN ${STATUSES}),
        started_at      TEXT NOT NULL,
        finished_at     TEXT,
        error           TEXT,
        owner_pid       INTEGER NOT NULL,
        owner_host      TEXT NOT NULL,
        owner_start     TEXT NOT NULL,
        CHECK ((kind = 'apply') = (rollback_of IS NULL)),
        CHECK ((status = 'running') = (finished_at IS NULL))
      )`,
      `CREATE INDEX runs_by_app ON runs(app_id, seq)`,
      `CREATE INDEX runs_by_context ON runs(context, seq)`,
      `CREATE INDEX runs_by_cluster ON runs(cluster_uid, seq)`,
      `CREATE INDEX runs_by_plan ON runs(plan_id)`,
      `CREATE INDEX runs_by_rollback_of ON runs(rollback_of) WHERE rollback_of IS NOT NULL`,
      `CREATE INDEX runs_running ON runs(seq) WHERE status = 'running'`,
      `CREATE INDEX runs_succeeded ON runs(app_id, cluster_uid, seq) WHERE status = 'succeeded'`,
    ],
  },
  {
    version: 2,
    name: 'per-object results and content-addressed snapshots',
    steps: [
      // An object's identity regardless of API version ("" for the core group and for cluster-scoped objects).
      `CREATE TABLE resources (
        id        INTEGER PRIMARY KEY,
        api_group TEXT NOT NULL,
        kind      TEXT NOT NULL,
        namespace TEXT NOT NULL,
        name      TEXT NOT NULL,
        UNIQUE (api_group, kind, namespace, name)
      )`,
      // One row per content hash (sha256 of the canonical JSON of the secret-masked object), compressed.
      `CREATE TABLE snapshots (
        id         INTEGER PRIMARY KEY,
        hash       TEXT NOT NULL UNIQUE,
        codec      TEXT NOT NULL,
        raw_size   INTEGER NOT NULL,
        data       BLOB NOT NULL,
        created_at TEXT NOT NULL
      )`,
      // One row per result, written as each object finishes; id is the recording order.
      `CREATE TABLE run_objects (
        id              INTEGER PRIMARY KEY,
        run_seq         INTEGER NOT NULL REFERENCES runs(seq),
        resource_id     INTEGER NOT NULL REFERENCES resources(id),
        version         TEXT NOT NULL,
        action          TEXT NOT NULL CHECK (action IN ${ACTIONS}),
        outcome         TEXT NOT NULL CHECK (outcome IN ${OUTCOMES}),
        message         TEXT,
        wave            INTEGER,
        started_at      TEXT,
        finished_at     TEXT NOT NULL,
        before_snapshot INTEGER REFERENCES snapshots(id),
        after_snapshot  INTEGER REFERENCES snapshots(id)
      )`,
      `CREATE INDEX run_objects_by_run ON run_objects(run_seq, id)`,
      `CREATE INDEX run_objects_by_resource ON run_objects(resource_id, id)`,
    ],
  },
  {
    version: 3,
    name: 'what each object was applied from and the resourceVersion it was left at',
    steps: [
      // sha256 of the manifest sent (Change.desiredHash) and the resourceVersion the object had once applied and healthy.
      `ALTER TABLE run_objects ADD COLUMN desired_hash TEXT`,
      `ALTER TABLE run_objects ADD COLUMN result_version TEXT`,
      // Per app and cluster, each object as the most recent succeeded run left it: written when a run succeeds,
      // so re-planning reads one row per object (never the whole run history) and skips the dry-run of
      // objects neither Git nor the cluster changed since. Its size follows the app, not the number of runs.
      `CREATE TABLE applied_objects (
        app_id          INTEGER NOT NULL REFERENCES apps(id),
        cluster_uid     TEXT NOT NULL,
        cluster_version TEXT NOT NULL,
        resource_id     INTEGER NOT NULL REFERENCES resources(id),
        desired_hash    TEXT NOT NULL,
        result_version  TEXT NOT NULL,
        run_seq         INTEGER NOT NULL REFERENCES runs(seq),
        PRIMARY KEY (app_id, cluster_uid, resource_id)
      ) WITHOUT ROWID`,
    ],
  },
  {
    version: 4,
    name: 'the outcome "unknown": a write that got no answer',
    steps: [
      // SQLite cannot change a CHECK constraint: the table is rebuilt (same columns, in the same order) and its indexes made again.
      // Nothing references run_objects, so dropping the old table leaves every foreign key intact.
      `CREATE TABLE run_objects_new (
        id              INTEGER PRIMARY KEY,
        run_seq         INTEGER NOT NULL REFERENCES runs(seq),
        resource_id     INTEGER NOT NULL REFERENCES resources(id),
        version         TEXT NOT NULL,
        action          TEXT NOT NULL CHECK (action IN ${ACTIONS}),
        outcome         TEXT NOT NULL CHECK (outcome IN ${OUTCOMES_4}),
        message         TEXT,
        wave            INTEGER,
        started_at      TEXT,
        finished_at     TEXT NOT NULL,
        before_snapshot INTEGER REFERENCES snapshots(id),
        after_snapshot  INTEGER REFERENCES snapshots(id),
        desired_hash    TEXT,
        result_version  TEXT
      )`,
      `INSERT INTO run_objects_new (id, run_seq, resource_id, version, action, outcome, message, wave, started_at, finished_at, before_snapshot, after_snapshot, desired_hash, result_version)
        SELECT id, run_seq, resource_id, version, action, outcome, message, wave, started_at, finished_at, before_snapshot, after_snapshot, desired_hash, result_version FROM run_objects`,
      `DROP TABLE run_objects`,
      `ALTER TABLE run_objects_new RENAME TO run_objects`,
      `CREATE INDEX run_objects_by_run ON run_objects(run_seq, id)`,
      `CREATE INDEX run_objects_by_resource ON run_objects(resource_id, id)`,
    ],
  },
  {
    version: 5,
    name: 'the run status and object outcome "progressing": applied, still waiting for something outside the app',
    rebuildsReferencedTable: true,
    steps: [
      // Both tables are rebuilt (SQLite cannot change a CHECK constraint), same columns in the same order. runs is
      // referenced by run_objects, applied_objects and itself (rollback_of): see rebuildsReferencedTable.
      `CREATE TABLE runs_new (
        seq             INTEGER PRIMARY KEY,
        id              TEXT NOT NULL UNIQUE,
        kind            TEXT NOT NULL CHECK (kind IN ('apply', 'rollback', 'revert')),
        rollback_of     TEXT REFERENCES runs(id),
        plan_id         TEXT NOT NULL REFERENCES plans(id),
        app_id          INTEGER NOT NULL REFERENCES apps(id),
        commit_oid      TEXT NOT NULL,
        context         TEXT NOT NULL,
        cluster_server  TEXT NOT NULL,
        cluster_uid     TEXT NOT NULL,
        cluster_version TEXT NOT NULL,
        kube_user       TEXT NOT NULL,
        git_author      TEXT,
        status          TEXT NOT NULL CHECK (status IN ${STATUSES_5}),
        started_at      TEXT NOT NULL,
        finished_at     TEXT,
        error           TEXT,
        owner_pid       INTEGER NOT NULL,
        owner_host      TEXT NOT NULL,
        owner_start     TEXT NOT NULL,
        CHECK ((kind = 'apply') = (rollback_of IS NULL)),
        CHECK ((status = 'running') = (finished_at IS NULL))
      )`,
      `INSERT INTO runs_new (seq, id, kind, rollback_of, plan_id, app_id, commit_oid, context, cluster_server, cluster_uid, cluster_version, kube_user, git_author, status, started_at, finished_at, error, owner_pid, owner_host, owner_start)
        SELECT seq, id, kind, rollback_of, plan_id, app_id, commit_oid, context, cluster_server, cluster_uid, cluster_version, kube_user, git_author, status, started_at, finished_at, error, owner_pid, owner_host, owner_start FROM runs`,
      `CREATE TABLE run_objects_new (
        id              INTEGER PRIMARY KEY,
        run_seq         INTEGER NOT NULL REFERENCES runs(seq),
        resource_id     INTEGER NOT NULL REFERENCES resources(id),
        version         TEXT NOT NULL,
        action          TEXT NOT NULL CHECK (action IN ${ACTIONS}),
        outcome         TEXT NOT NULL CHECK (outcome IN ${OUTCOMES_5}),
        message         TEXT,
        wave            INTEGER,
        started_at      TEXT,
        finished_at     TEXT NOT NULL,
        before_snapshot INTEGER REFERENCES snapshots(id),
        after_snapshot  INTEGER REFERENCES snapshots(id),
        desired_hash    TEXT,
        result_version  TEXT
      )`,
      `INSERT INTO run_objects_new (id, run_seq, resource_id, version, action, outcome, message, wave, started_at, finished_at, before_snapshot, after_snapshot, desired_hash, result_version)
        SELECT id, run_seq, resource_id, version, action, outcome, message, wave, started_at, finished_at, before_snapshot, after_snapshot, desired_hash, result_version FROM run_objects`,
      `DROP TABLE run_objects`,
      `DROP TABLE runs`,
      `ALTER TABLE runs_new RENAME TO runs`,
      `ALTER TABLE run_objects_new RENAME TO run_objects`,
      `CREATE INDEX runs_by_app ON runs(app_id, seq)`,
      `CREATE INDEX runs_by_context ON runs(context, seq)`,
      `CREATE INDEX runs_by_cluster ON runs(cluster_uid, seq)`,
      `CREATE INDEX runs_by_plan ON runs(plan_id)`,
      `CREATE INDEX runs_by_rollback_of ON runs(rollback_of) WHERE rollback_of IS NOT NULL`,
      `CREATE INDEX runs_running ON runs(seq) WHERE status = 'running'`,
      // Runs that applied every object: what a rollback, a revert and the re-plan cache build on.
      `CREATE INDEX runs_applied ON runs(app_id, cluster_uid, seq) WHERE status IN ('succeeded', 'progressing')`,
      `CREATE INDEX run_objects_by_run ON run_objects(run_seq, id)`,
      `CREATE INDEX run_objects_by_resource ON run_objects(resource_id, id)`,
    ],
  },
  {
    version: 6,
    name: 'hooks: the phase an object ran in as a hook (PreSync, Sync, PostSync, SyncFail), NULL for the app\'s own objects',
    steps: [`ALTER TABLE run_objects ADD COLUMN hook TEXT CHECK (hook IN ('PreSync', 'Sync', 'PostSync', 'SyncFail'))`],
  },
];

export const LATEST_VERSION = MIGRATIONS.length;

/** The schema version recorded in the file (0 for a new file). */
export function schemaVersion(db: Database): number {
  const table = db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'`).get();
  if (!table || table.n === 0) return 0;
  return db.prepare<[], { v: number | null }>(`SELECT max(version) AS v FROM schema_migrations`).get()?.v ?? 0;
}

export interface MigrateOptions {
  /** Defaults to MIGRATIONS. */
  readonly migrations?: readonly Migration[];
  /** Stop at this version (tests build older schemas with it). Defaults to the last migration. */
  readonly target?: number;
  readonly now?: () => Date;
  /** The database file, for messages. */
  readonly file?: string;
}

/** Brings the schema up to `target`; returns the versions before and after. */
export function migrate(db: Database, opts: MigrateOptions = {}): { from: number; to: number } {
  const migrations = opts.migrations ?? MIGRATIONS;
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Migration list is out of order: entry ${i} has version ${m.version}, expected ${i + 1}`);
  });
  const target = opts.target ?? migrations.length;
  const file = opts.file ?? db.name;
  const now = opts.now ?? (() => new Date());

  const from = schemaVersion(db);
  if (from > migrations.length) {
    throw new SlipwayError('history-too-new', `The history database ${file} has schema version ${from}, newer than this Slipway knows (${migrations.length})`, {
      hint: 'Use the newer Slipway that wrote it, or point this one at another file.',
    });
  }

  for (const m of migrations) {
    if (m.version > target) break;
    if (m.version <= from) continue;
    const step = db.transaction(() => {
      db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
      // Another process may have applied it since we looked.
      if (schemaVersion(db) >= m.version) return;
      for (const sql of m.steps) db.exec(sql);
      if (m.rebuildsReferencedTable) {
        const broken = db.pragma('foreign_key_check') as { table: string; parent: string }[];
        if (broken.length > 0) throw new Error(`${broken.length} row(s) would break a foreign key (first: ${broken[0]!.table} → ${broken[0]!.parent})`);
      }
      db.prepare<[number, string, string]>(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`).run(m.version, m.name, now().toISOString());
    });
    const foreignKeys = m.rebuildsReferencedTable ? (db.pragma('foreign_keys', { simple: true }) as number) : 0;
    if (foreignKeys) db.pragma('foreign_keys = OFF');
    try {
      step.immediate();
    } catch (e) {
      if (e instanceof SlipwayError) throw e;
      throw new SlipwayError('history-migration-failed', `Migration ${m.version} (${m.name}) of ${file} failed and was rolled back: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    } finally {
      if (foreignKeys) db.pragma('foreign_keys = ON');
    }
  }
  return { from, to: schemaVersion(db) };
}
