/**
 * The local history (SQLite via better-sqlite3): every plan, every apply run and each object's
 * result as it happens, with content-addressed, compressed, secret-masked snapshots.
 *
 * Several processes may use one file at once (the desktop app and a CLI): WAL mode, a busy
 * timeout and `BEGIN IMMEDIATE` for every write, no lock files. A run left `running` by a process
 * that no longer exists is marked `interrupted` by the next process that opens the file.
 */
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Sqlite from 'better-sqlite3';
import type { Database, Statement } from 'better-sqlite3';
import { SlipwayError } from '../model/diagnostics.js';
import type { ResourceKey } from '../model/resource.js';
import { appliedEverything } from '../model/run.js';
import { userDataDir } from '../paths.js';
import type { AppliedObject, AppliedObjectsQuery } from '../plan/ports.js';
import type { Plan } from '../plan/types.js';
import { upgradeStoredPlan } from '../plan/plan-file.js';
import { appliedObjectsOf, appliedStateOf, rememberApplied, type Prepare } from './applied.js';
import type { Encoded, PreparedSnapshot } from './codec.js';
import { decodeJson, encodePlan, encodeText, prepareSnapshot, SNAPSHOT_LEVEL } from './codec.js';
import { decodeCursor, newRunId, pageSize } from './ids.js';
import { migrate } from './migrations.js';
import type { ProcessOwner } from './owner.js';
import { CORRUPT_CODES, corrupt, sqliteCode } from './errors.js';
import type { FinishRunOptions, History, HistoryOptions, RunsOfContextQuery, StartRunOptions } from './port.js';
import { RESULT_SELECT, RUN_SELECT, page, toResult, toRun, type OwnedRunRow, type ResultRow, type RunRow } from './rows.js';

export type { FinishRunOptions, History, HistoryOptions, RunsOfContextQuery, StartRunOptions } from './port.js';
import { currentOwner, processAlive, sameProcess } from './owner.js';
import type {
  AppliedObjectState,
  ObjectResultInput,
  Page,
  PageRequest,
  ResourceHistoryEntry,
  RunDetail,
  RunRecord,
  RunStatus,
} from './types.js';

/** Opens (creating and migrating if needed) the history database. */
export function openHistory(opts: HistoryOptions = {}): History {
  const file = opts.path ?? join(userDataDir(), 'history.db');
  const now = opts.now ?? (() => new Date());
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  } catch (e) {
    // A read-only home says ENOENT or EROFS here: name the folder and the ways around it, not only the errno.
    throw new SlipwayError('history-open-failed', `Cannot create the history's folder ${dirname(file)}: ${(e as Error).message}`, {
      hint: 'give another file with --history or SLIPWAY_HISTORY (or another data folder with SLIPWAY_DATA_DIR); `slipway plan --no-history` plans without one',
      cause: e,
    });
  }
  const fresh = !existsSync(file);
  let db: Database | undefined;
  try {
    db = new Sqlite(file, { timeout: opts.busyTimeoutMs ?? 10_000 });
    // Only its user reads the history (SQLite gives the -wal and -shm files the same mode).
    if (fresh) chmodSync(file, 0o600);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    const problems = (db.pragma('quick_check') as { quick_check: string }[]).flatMap((r) => r.quick_check.split('\n')).filter((line) => !/^\*\*\* in database/.test(line));
    if (problems.length !== 1 || problems[0] !== 'ok') throw corrupt(file, `SQLite's quick_check says: ${problems.slice(0, 5).join('; ')}`);
    migrate(db, { now, file });
    const history = new SqliteHistory(db, file, now);
    history.markInterrupted();
    return history;
  } catch (e) {
    db?.close();
    if (e instanceof SlipwayError) throw e;
    const code = sqliteCode(e);
    const message = e instanceof Error ? e.message : String(e);
    if (code && CORRUPT_CODES.test(code)) throw corrupt(file, `${message} (${code})`, e);
    throw new SlipwayError('history-open-failed', `Cannot open the history database ${file}: ${message}`, { cause: e });
  }
}

interface StagedPlan {
  readonly plan: Plan;
  readonly body?: Encoded;
}

interface StagedSnapshot extends PreparedSnapshot {
  readonly encoded?: Encoded;
}

// ── rows ──────────────────────────────────────────────────────────────────────

const liveRunsKey = Symbol.for('slipway.history.liveRuns');
function processLiveRuns(): Set<string> {
  const g = globalThis as { [liveRunsKey]?: Set<string> };
  g[liveRunsKey] ??= new Set();
  return g[liveRunsKey];
}

class SqliteHistory implements History {
  private readonly statements = new Map<string, Statement<unknown[], unknown>>();
  /** Runs this instance started and has not finished. */
  private readonly active = new Set<string>();
  private readonly owner: ProcessOwner = currentOwner();

  constructor(
    private readonly db: Database,
    readonly path: string,
    private readonly now: () => Date,
  ) {}

  /** `stmt` for the queries kept in other files (applied.ts). */
  private readonly prepare: Prepare = (sql) => this.stmt(sql);

  private stmt<P extends unknown[] = [], R = unknown>(sql: string): Statement<P, R> {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare<unknown[], unknown>(sql);
      this.statements.set(sql, s);
    }
    return s as unknown as Statement<P, R>;
  }

  /** A write transaction that takes the write lock up front (no upgrade deadlocks between processes). */
  private write<T>(fn: () => T): T {
    return this.guard('write to', () => this.db.transaction(fn).immediate());
  }

  /** A read transaction: one consistent view of the file for queries of several statements (never blocks writers in WAL mode). */
  private read<T>(fn: () => T): T {
    return this.guard('read', () => (this.db.inTransaction ? fn() : this.db.transaction(fn).deferred()));
  }

  /** SQLite's errors, named after the file. */
  private guard<T>(verb: string, fn: () => T): T {
    if (!this.db.open) throw new SlipwayError('history-closed', `The history database ${this.path} is closed`);
    try {
      return fn();
    } catch (e) {
      const code = sqliteCode(e);
      if (code === undefined) throw e;
      const message = e instanceof Error ? e.message : String(e);
      if (CORRUPT_CODES.test(code)) throw corrupt(this.path, `${message} (${code})`, e);
      const hint = code.startsWith('SQLITE_BUSY') ? 'Another Slipway process held the database for too long; try again.' : undefined;
      throw new SlipwayError('history-io', `Cannot ${verb} the history database ${this.path}: ${message} (${code})`, { cause: e, ...(hint && { hint }) });
    }
  }

  private timestamp(): string {
    return this.now().toISOString();
  }

  // ── writes ──────────────────────────────────────────────────────────────────

  private appId(repo: string, app: { name: string; path: string }): number {
    this.stmt<[string]>(`INSERT INTO repos (location) VALUES (?) ON CONFLICT (location) DO NOTHING`).run(repo);
    this.stmt<[string, string, string]>(
      `INSERT INTO apps (repo_id, name, path) SELECT id, ?, ? FROM repos WHERE location = ?
       ON CONFLICT (repo_id, name) DO UPDATE SET path = excluded.path WHERE path <> excluded.path`,
    ).run(app.name, app.path, repo);
    const row = this.stmt<[string, string], { id: number }>(`SELECT a.id FROM apps a JOIN repos p ON p.id = a.repo_id WHERE p.location = ? AND a.name = ?`).get(repo, app.name);
    if (!row) throw new Error(`app ${app.name} of ${repo} was not recorded`);
    return row.id;
  }

  /** Compresses the plan outside the write lock, unless it is already stored. */
  private stagePlan(plan: Plan): StagedPlan {
    const stored = this.read(() => this.stmt<[string], { id: string }>(`SELECT id FROM plans WHERE id = ?`).get(plan.id));
    return { plan, ...(!stored && { body: encodePlan(plan) }) };
  }

  private insertPlan({ plan, body: staged }: StagedPlan): number {
    const appId = this.appId(plan.inputs.repo, plan.inputs.app);
    const body = staged ?? encodePlan(plan);
    const s = plan.summary;
    this.stmt<(string | number | Buffer | null)[]>(
      `INSERT INTO plans (id, app_id, commit_oid, context, cluster_uid, format_version, created_at, recorded_at,
                          n_create, n_update, n_delete, n_replace, n_noop, n_error, codec, body)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO NOTHING`,
    ).run(
      plan.id,
      appId,
      plan.inputs.commit,
      plan.inputs.cluster?.context ?? null,
      plan.inputs.cluster?.uid ?? null,
      plan.formatVersion,
      plan.createdAt,
      this.timestamp(),
      s.create,
      s.update,
      s.delete,
      s.replace,
      s.noop,
      s.error,
      body.codec,
      body.data,
    );
    return appId;
  }

  recordPlan(plan: Plan): void {
    const staged = this.stagePlan(plan);
    this.write(() => this.insertPlan(staged));
  }

  startRun(opts: StartRunOptions): string {
    const { plan, kind, user } = opts;
    if (kind === 'apply' && opts.rollbackOf !== undefined) throw new SlipwayError('history-bad-run', `An apply run rolls nothing back; rollbackOf (${opts.rollbackOf}) is only for rollback and revert runs`);
    if (kind !== 'apply' && opts.rollbackOf === undefined) throw new SlipwayError('history-bad-run', `A ${kind} run must name the run it ${kind === 'rollback' ? 'rolls back to' : 'reverts'} (rollbackOf)`);
    const mode = plan.inputs.mode;
    if (mode.kind === 'compare') throw new SlipwayError('history-bad-run', `Plan ${plan.id} is a comparison (${mode.before} → ${mode.after}), not something to apply`);
    const cluster = opts.cluster ?? plan.inputs.cluster;
    if (!cluster) throw new SlipwayError('history-bad-run', `Plan ${plan.id} names no cluster; pass the cluster the run applies to`);
    const id = newRunId(this.now());
    const staged = this.stagePlan(plan);
    this.write(() => {
      if (opts.rollbackOf !== undefined && !this.stmt<[string], { seq: number }>(`SELECT seq FROM runs WHERE id = ?`).get(opts.rollbackOf)) {
        throw new SlipwayError('history-unknown-run', `No run ${opts.rollbackOf} in ${this.path} to ${kind === 'rollback' ? 'roll back to' : 'revert'}`);
      }
      const appId = this.insertPlan(staged);
      this.stmt<(string | number | null)[]>(
        `INSERT INTO runs (id, kind, rollback_of, plan_id, app_id, commit_oid, context, cluster_server, cluster_uid, cluster_version,
                           kube_user, git_author, status, started_at, owner_pid, owner_host, owner_start)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?)`,
      ).run(
        id,
        kind,
        opts.rollbackOf ?? null,
        plan.id,
        appId,
        plan.inputs.commit,
        cluster.context,
        cluster.server,
        cluster.uid,
        cluster.version,
        user.kube,
        user.gitAuthor ?? null,
        this.timestamp(),
        this.owner.pid,
        this.owner.host,
        this.owner.start,
      );
    });
    this.active.add(id);
    processLiveRuns().add(id);
    return id;
  }

  /** The run's seq if this instance may still write to it; revives a run another process wrongly took for dead. */
  private writableRun(runId: string, what: string): number {
    const row = this.stmt<[string], { seq: number; status: RunStatus }>(`SELECT seq, status FROM runs WHERE id = ?`).get(runId);
    if (!row) throw new SlipwayError('history-unknown-run', `No run ${runId} in ${this.path}`);
    if (row.status === 'running') return row.seq;
    if (row.status === 'interrupted' && this.active.has(runId)) {
      this.stmt<[number]>(`UPDATE runs SET status = 'running', finished_at = NULL, error = NULL WHERE seq = ?`).run(row.seq);
      return row.seq;
    }
    throw new SlipwayError('history-run-finished', `Run ${runId} is already ${row.status}; cannot ${what}`);
  }

  /** Masks, hashes and (unless already stored) compresses outside the write lock. */
  private stageSnapshot(obj: unknown): StagedSnapshot {
    const { hash, json } = prepareSnapshot(obj);
    const stored = this.read(() => this.stmt<[string], { id: number }>(`SELECT id FROM snapshots WHERE hash = ?`).get(hash));
    return { hash, json, ...(!stored && { encoded: encodeText(json, { level: SNAPSHOT_LEVEL }) }) };
  }

  private snapshotId({ hash, json, encoded }: StagedSnapshot): number {
    const existing = this.stmt<[string], { id: number }>(`SELECT id FROM snapshots WHERE hash = ?`).get(hash);
    if (existing) return existing.id;
    const enc = encoded ?? encodeText(json, { level: SNAPSHOT_LEVEL });
    const info = this.stmt<[string, string, number, Buffer, string]>(`INSERT INTO snapshots (hash, codec, raw_size, data, created_at) VALUES (?, ?, ?, ?, ?)`).run(
      hash,
      enc.codec,
      enc.rawSize,
      enc.data,
      this.timestamp(),
    );
    return Number(info.lastInsertRowid);
  }

  /** Objects are identified regardless of API version. */
  private resourceId(k: ResourceKey): number | undefined {
    return this.stmt<[string, string, string, string], { id: number }>(`SELECT id FROM resources WHERE api_group = ? AND kind = ? AND namespace = ? AND name = ?`).get(
      k.group,
      k.kind,
      k.namespace ?? '',
      k.name,
    )?.id;
  }

  storeSnapshot(obj: unknown): string {
    const staged = this.stageSnapshot(obj);
    this.write(() => this.snapshotId(staged));
    return staged.hash;
  }

  recordObjectResult(runId: string, result: ObjectResultInput): void {
    this.recordObjectResults(runId, [result]);
  }

  recordObjectResults(runId: string, results: readonly ObjectResultInput[]): void {
    if (results.length === 0) return;
    // One read transaction for all the snapshot lookups (a transaction each cost more than the lookups).
    const staged = this.read(() =>
      results.map((result) => ({
        result,
        before: result.before === undefined ? undefined : this.stageSnapshot(result.before),
        after: result.after === undefined ? undefined : this.stageSnapshot(result.after),
      })),
    );
    this.write(() => {
      const first = results[0]!.key;
      const runSeq = this.writableRun(runId, `record ${first.kind} ${first.name}${results.length > 1 ? ` and ${results.length - 1} more` : ''}`);
      for (const { result, before, after } of staged) {
        const k = result.key;
        this.stmt<[string, string, string, string]>(`INSERT INTO resources (api_group, kind, namespace, name) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`).run(
          k.group,
          k.kind,
          k.namespace ?? '',
          k.name,
        );
        const resource = this.resourceId(k);
        if (resource === undefined) throw new Error(`resource ${k.kind} ${k.name} was not recorded`);
        this.stmt<(string | number | null)[]>(
          `INSERT INTO run_objects (run_seq, resource_id, version, action, outcome, message, wave, started_at, finished_at, before_snapshot, after_snapshot, desired_hash, result_version, hook)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          runSeq,
          resource,
          k.version,
          result.action,
          result.outcome,
          result.message ?? null,
          result.wave ?? null,
          result.startedAt ?? null,
          result.finishedAt ?? this.timestamp(),
          before ? this.snapshotId(before) : null,
          after ? this.snapshotId(after) : null,
          result.desiredHash ?? null,
          result.resultResourceVersion ?? null,
          result.hook ?? null,
        );
      }
    });
  }

  finishRun(runId: string, opts: FinishRunOptions): void {
    this.write(() => {
      const seq = this.writableRun(runId, `finish it as ${opts.status}`);
      this.stmt<[string, string, string | null, number]>(`UPDATE runs SET status = ?, finished_at = ?, error = ? WHERE seq = ?`).run(opts.status, this.timestamp(), opts.error ?? null, seq);
      if (appliedEverything(opts.status)) rememberApplied(this.prepare, seq);
    });
    this.active.delete(runId);
    processLiveRuns().delete(runId);
  }

  markInterrupted(): string[] {
    return this.interrupt((row) => {
      const owner: ProcessOwner = { pid: row.owner_pid, host: row.owner_host, start: row.owner_start };
      if (sameProcess(owner, this.owner)) return processLiveRuns().has(row.id) ? undefined : `an earlier process with this pid (${owner.pid}) ended before the run finished`;
      return processAlive(owner) ? undefined : `its process (pid ${owner.pid} on ${owner.host}) ended before the run finished`;
    });
  }

  /** Marks the `running` runs for which `reason` says why they will never finish. */
  private interrupt(reason: (row: OwnedRunRow) => string | undefined): string[] {
    const candidates = this.read(() => this.stmt<[], OwnedRunRow>(`SELECT seq, id, status, owner_pid, owner_host, owner_start FROM runs WHERE status = 'running'`).all()).flatMap((row) => {
        const who = reason(row);
        return who === undefined ? [] : [{ row, who }];
      });
    if (candidates.length === 0) return [];
    const at = this.timestamp();
    return this.write(() =>
      candidates.flatMap(({ row, who }) => {
        const info = this.stmt<[string, string, number]>(`UPDATE runs SET status = 'interrupted', finished_at = ?, error = ? WHERE seq = ? AND status = 'running'`).run(
          at,
          `Interrupted: ${who} (noticed ${at})`,
          row.seq,
        );
        return info.changes > 0 ? [row.id] : [];
      }),
    );
  }

  // ── queries ─────────────────────────────────────────────────────────────────

  private runPage(where: string, params: (string | number)[], req: PageRequest): Page<RunRecord> {
    const limit = pageSize(req.limit);
    const before = decodeCursor('runs', req.before);
    const rows = this.read(() => this.stmt<(string | number)[], RunRow>(`${RUN_SELECT} WHERE ${where} AND r.seq < ? ORDER BY r.seq DESC LIMIT ?`).all(...params, before, limit + 1));
    const p = page(rows, limit, (r) => r.seq, 'runs');
    return { items: p.rows.map(toRun), ...(p.next !== undefined && { next: p.next }) };
  }

  runsOfApp(query: { readonly repo: string; readonly app: string } & PageRequest): Page<RunRecord> {
    return this.runPage(`r.app_id = (SELECT a.id FROM apps a JOIN repos p ON p.id = a.repo_id WHERE p.location = ? AND a.name = ?)`, [query.repo, query.app], query);
  }

  runsOfContext(query: RunsOfContextQuery): Page<RunRecord> {
    if (query.context !== undefined) return this.runPage(`r.context = ?`, [query.context], query);
    if (query.clusterUid !== undefined) return this.runPage(`r.cluster_uid = ?`, [query.clusterUid], query);
    throw new SlipwayError('history-bad-query', 'runsOfContext needs a context or a clusterUid');
  }

  historyOfResource(query: { readonly key: ResourceKey; readonly clusterUid?: string } & PageRequest): Page<ResourceHistoryEntry> {
    const limit = pageSize(query.limit);
    const before = decodeCursor('results', query.before);
    return this.read(() => {
      const resource = this.resourceId(query.key);
      if (resource === undefined) return { items: [] };
      const cluster = query.clusterUid === undefined ? '' : `AND o.run_seq IN (SELECT seq FROM runs WHERE cluster_uid = ?)`;
      const params: (string | number)[] = [resource, before, ...(query.clusterUid === undefined ? [] : [query.clusterUid]), limit + 1];
      const results = this.stmt<(string | number)[], ResultRow>(`${RESULT_SELECT} WHERE o.resource_id = ? AND o.id < ? ${cluster} ORDER BY o.id DESC LIMIT ?`).all(...params);
      const p = page(results, limit, (r) => r.id, 'results');
      const runs = new Map<number, RunRecord>();
      const runOf = (seq: number): RunRecord => {
        let run = runs.get(seq);
        if (!run) {
          const row = this.stmt<[number], RunRow>(`${RUN_SELECT} WHERE r.seq = ?`).get(seq);
          if (!row) throw new Error(`run ${seq} vanished`);
          run = toRun(row);
          runs.set(seq, run);
        }
        return run;
      };
      const items = p.rows.map((row): ResourceHistoryEntry => {
        const { id, kind, status, repo, app, commit, cluster: c, user, startedAt } = runOf(row.run_seq);
        return { run: { id, kind, status, repo, app, commit, cluster: c, user, startedAt }, result: toResult(row) };
      });
      return { items, ...(p.next !== undefined && { next: p.next }) };
    });
  }

  run(runId: string): RunDetail | undefined {
    return this.read(() => {
      const row = this.stmt<[string], RunRow>(`${RUN_SELECT} WHERE r.id = ?`).get(runId);
      if (!row) return undefined;
      const objects = this.stmt<[number], ResultRow>(`${RESULT_SELECT} WHERE o.run_seq = ? ORDER BY o.id`).all(row.seq).map(toResult);
      return { ...toRun(row), objects };
    });
  }

  snapshot(hash: string): unknown {
    const row = this.read(() => this.stmt<[string], { codec: string; data: Buffer }>(`SELECT codec, data FROM snapshots WHERE hash = ?`).get(hash));
    return row ? decodeJson(row.codec, row.data, `snapshot ${hash}`) : undefined;
  }

  planById(id: string): Plan | undefined {
    const row = this.read(() => this.stmt<[string], { codec: string; body: Buffer }>(`SELECT codec, body FROM plans WHERE id = ?`).get(id));
    return row ? upgradeStoredPlan(decodeJson(row.codec, row.body, `plan ${id}`) as Plan) : undefined;
  }

  lastSucceededRun(query: { readonly repo: string; readonly app: string; readonly clusterUid: string }): RunRecord | undefined {
    const row = this.read(() =>
      this.stmt<[string, string, string], RunRow>(
        `${RUN_SELECT}
         WHERE r.app_id = (SELECT a.id FROM apps a JOIN repos p ON p.id = a.repo_id WHERE p.location = ? AND a.name = ?)
           AND r.cluster_uid = ? AND r.status IN ('succeeded', 'progressing')
         ORDER BY r.seq DESC LIMIT 1`,
      ).get(query.repo, query.app, query.clusterUid),
    );
    return row ? toRun(row) : undefined;
  }

  appliedObjects(query: AppliedObjectsQuery): ReadonlyMap<string, AppliedObject> {
    return this.read(() => appliedObjectsOf(this.prepare, query));
  }

  appliedState(query: { readonly repo: string; readonly app: string; readonly clusterUid: string }): AppliedObjectState[] {
    return this.read(() => appliedStateOf(this.prepare, query));
  }

  close(): void {
    if (!this.db.open) return;
    try {
      if (this.active.size > 0) this.interrupt((row) => (this.active.has(row.id) ? 'the history was closed before the run finished' : undefined));
    } finally {
      for (const id of this.active) processLiveRuns().delete(id);
      this.active.clear();
      this.statements.clear();
      this.db.close();
    }
  }
}
