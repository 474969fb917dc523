import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SlipwayError } from '../model/diagnostics.js';
import { openHistory } from './history.js';
import type { Migration } from './migrations.js';
import { LATEST_VERSION, MIGRATIONS, migrate, schemaVersion } from './migrations.js';
import { testPlan } from '../../test/support/history-fixtures.js';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'slipway-history-'));
  file = join(dir, 'history.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function raw(path = file): Sqlite.Database {
  return new Sqlite(path);
}

function tables(db: Sqlite.Database): string[] {
  return db
    .prepare<[], { name: string }>(`SELECT name FROM sqlite_schema WHERE type IN ('table', 'index') AND name NOT LIKE 'sqlite_%' ORDER BY name`)
    .all()
    .map((r) => r.name);
}

function migrations(db: Sqlite.Database): { version: number; name: string; applied_at: string }[] {
  return db.prepare<[], { version: number; name: string; applied_at: string }>(`SELECT version, name, applied_at FROM schema_migrations ORDER BY version`).all();
}

describe('migrations', () => {
  it('creates every table and index on an empty file, and re-opening changes nothing', () => {
    let t = Date.UTC(2026, 3, 1);
    const now = (): Date => new Date((t += 1000));
    openHistory({ path: file, now }).close();
    const db = raw();
    const first = { tables: tables(db), migrations: migrations(db) };
    db.close();
    expect(first.tables).toEqual([
      'applied_objects',
      'apps',
      'plans',
      'plans_by_app',
      'repos',
      'resources',
      'run_objects',
      'run_objects_by_resource',
      'run_objects_by_run',
      'runs',
      'runs_applied',
      'runs_by_app',
      'runs_by_cluster',
      'runs_by_context',
      'runs_by_plan',
      'runs_by_rollback_of',
      'runs_running',
      'schema_migrations',
      'snapshots',
    ]);
    expect(first.migrations.map((m) => m.version)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(first.migrations[0]?.applied_at).toBe('2026-04-01T00:00:01.000Z');

    openHistory({ path: file, now }).close();
    openHistory({ path: file, now }).close();
    const again = raw();
    expect({ tables: tables(again), migrations: migrations(again) }).toEqual(first);
    again.close();
  });

  it('migrates a file left at an older schema version forward and keeps its data', () => {
    const old = raw();
    expect(migrate(old, { target: 1 })).toEqual({ from: 0, to: 1 });
    // What a Slipway that knew only schema 1 wrote.
    old.exec(`
      INSERT INTO repos (id, location) VALUES (1, '/repos/gitops');
      INSERT INTO apps (id, repo_id, name, path) VALUES (1, 1, 'web', 'apps/web');
      INSERT INTO plans (id, app_id, commit_oid, context, cluster_uid, format_version, created_at, recorded_at,
                         n_create, n_update, n_delete, n_replace, n_noop, n_error, codec, body)
        VALUES ('plan-old', 1, 'abc', 'kind-a', 'uid-a', 1, '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z', 2, 0, 0, 0, 5, 0, 'identity', CAST('{"id":"plan-old"}' AS BLOB));
      INSERT INTO runs (id, kind, plan_id, app_id, commit_oid, context, cluster_server, cluster_uid, cluster_version, kube_user,
                        status, started_at, finished_at, owner_pid, owner_host, owner_start)
        VALUES ('run-old', 'apply', 'plan-old', 1, 'abc', 'kind-a', 'https://a', 'uid-a', 'v1.34.0', 'admin',
                'succeeded', '2025-01-01T00:00:01.000Z', '2025-01-01T00:00:02.000Z', 1, 'elsewhere', '');
    `);
    expect(schemaVersion(old)).toBe(1);
    expect(tables(old)).not.toContain('run_objects');
    old.close();

    const history = openHistory({ path: file });
    const run = history.run('run-old');
    expect(run).toMatchObject({ id: 'run-old', status: 'succeeded', commit: 'abc', summary: { create: 2, noop: 5 }, objects: [] });
    expect(history.planById('plan-old')).toEqual({ id: 'plan-old' });
    history.close();
    const db = raw();
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    expect(tables(db)).toContain('run_objects');
    db.close();
  });

  it('migration 4 rebuilds run_objects with the outcome "unknown", keeping every row and index', () => {
    const old = raw();
    migrate(old, { target: 3 });
    old.exec(`
      INSERT INTO repos (id, location) VALUES (1, '/repos/gitops');
      INSERT INTO apps (id, repo_id, name, path) VALUES (1, 1, 'web', 'apps/web');
      INSERT INTO plans (id, app_id, commit_oid, context, cluster_uid, format_version, created_at, recorded_at,
                         n_create, n_update, n_delete, n_replace, n_noop, n_error, codec, body)
        VALUES ('plan-old', 1, 'abc', 'kind-a', 'uid-a', 1, '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z', 1, 0, 0, 0, 0, 0, 'identity', CAST('{"id":"plan-old"}' AS BLOB));
      INSERT INTO runs (seq, id, kind, plan_id, app_id, commit_oid, context, cluster_server, cluster_uid, cluster_version, kube_user,
                        status, started_at, finished_at, owner_pid, owner_host, owner_start)
        VALUES (1, 'run-old', 'apply', 'plan-old', 1, 'abc', 'kind-a', 'https://a', 'uid-a', 'v1.34.0', 'admin',
                'failed', '2025-01-01T00:00:01.000Z', '2025-01-01T00:00:02.000Z', 1, 'elsewhere', '');
      INSERT INTO resources (id, api_group, kind, namespace, name) VALUES (1, '', 'ConfigMap', 'shop', 'c');
      INSERT INTO run_objects (id, run_seq, resource_id, version, action, outcome, message, wave, started_at, finished_at, desired_hash, result_version)
        VALUES (7, 1, 1, 'v1', 'create', 'healthy', 'ok', 2, '2025-01-01T00:00:01.500Z', '2025-01-01T00:00:01.600Z', 'sha256:d', '42');
    `);
    expect(() => old.exec(`INSERT INTO run_objects (run_seq, resource_id, version, action, outcome, finished_at) VALUES (1, 1, 'v1', 'create', 'unknown', 'x')`)).toThrow(/CHECK constraint/);
    old.close();

    const history = openHistory({ path: file });
    expect(history.run('run-old')?.objects).toEqual([
      { key: { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'c' }, action: 'create', outcome: 'healthy', message: 'ok', wave: 2, startedAt: '2025-01-01T00:00:01.500Z', finishedAt: '2025-01-01T00:00:01.600Z', desiredHash: 'sha256:d', resultResourceVersion: '42' },
    ]);
    history.close();
    const db = raw();
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    expect(tables(db)).toEqual(expect.arrayContaining(['run_objects', 'run_objects_by_run', 'run_objects_by_resource']));
    expect(tables(db)).not.toContain('run_objects_new');
    db.exec(`INSERT INTO run_objects (run_seq, resource_id, version, action, outcome, finished_at) VALUES (1, 1, 'v1', 'create', 'unknown', 'x')`);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('migration 5 rebuilds runs and run_objects with "progressing", keeping every row, reference and index', () => {
    const old = raw();
    old.pragma('foreign_keys = ON');
    migrate(old, { target: 4 });
    old.exec(`
      INSERT INTO repos (id, location) VALUES (1, '/repos/gitops');
      INSERT INTO apps (id, repo_id, name, path) VALUES (1, 1, 'web', 'apps/web');
      INSERT INTO plans (id, app_id, commit_oid, context, cluster_uid, format_version, created_at, recorded_at,
                         n_create, n_update, n_delete, n_replace, n_noop, n_error, codec, body)
        VALUES ('plan-old', 1, 'abc', 'kind-a', 'uid-a', 1, '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z', 1, 0, 0, 0, 0, 0, 'identity', CAST('{"id":"plan-old"}' AS BLOB));
      INSERT INTO runs (seq, id, kind, plan_id, app_id, commit_oid, context, cluster_server, cluster_uid, cluster_version, kube_user,
                        status, started_at, finished_at, owner_pid, owner_host, owner_start)
        VALUES (1, 'run-old', 'apply', 'plan-old', 1, 'abc', 'kind-a', 'https://a', 'uid-a', 'v1.34.0', 'admin',
                'succeeded', '2025-01-01T00:00:01.000Z', '2025-01-01T00:00:02.000Z', 1, 'elsewhere', '');
      INSERT INTO runs (seq, id, kind, rollback_of, plan_id, app_id, commit_oid, context, cluster_server, cluster_uid, cluster_version, kube_user,
                        status, started_at, finished_at, error, owner_pid, owner_host, owner_start)
        VALUES (2, 'run-back', 'rollback', 'run-old', 'plan-old', 1, 'abc', 'kind-a', 'https://a', 'uid-a', 'v1.34.0', 'admin',
                'failed', '2025-01-01T00:00:03.000Z', '2025-01-01T00:00:04.000Z', 'boom', 1, 'elsewhere', '');
      INSERT INTO resources (id, api_group, kind, namespace, name) VALUES (1, '', 'ConfigMap', 'shop', 'c');
      INSERT INTO run_objects (id, run_seq, resource_id, version, action, outcome, message, wave, started_at, finished_at, desired_hash, result_version)
        VALUES (7, 1, 1, 'v1', 'create', 'healthy', 'ok', 2, '2025-01-01T00:00:01.500Z', '2025-01-01T00:00:01.600Z', 'sha256:d', '42');
      INSERT INTO applied_objects (app_id, cluster_uid, cluster_version, resource_id, desired_hash, result_version, run_seq) VALUES (1, 'uid-a', 'v1.34.0', 1, 'sha256:d', '42', 1);
    `);
    expect(() => old.exec(`UPDATE runs SET status = 'progressing' WHERE seq = 1`)).toThrow(/CHECK constraint/);
    old.close();

    const history = openHistory({ path: file });
    expect(history.run('run-old')).toMatchObject({ status: 'succeeded', objects: [{ outcome: 'healthy', message: 'ok', wave: 2, desiredHash: 'sha256:d', resultResourceVersion: '42' }] });
    expect(history.run('run-back')).toMatchObject({ kind: 'rollback', rollbackOf: 'run-old', status: 'failed', error: 'boom' });
    history.close();
    const db = raw();
    db.pragma('foreign_keys = ON');
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    expect(tables(db)).toEqual(expect.arrayContaining(['runs', 'runs_applied', 'runs_by_app', 'runs_running', 'run_objects', 'run_objects_by_run']));
    expect(tables(db).filter((t) => t.endsWith('_new'))).toEqual([]);
    db.exec(`UPDATE runs SET status = 'progressing' WHERE seq = 1`);
    db.exec(`INSERT INTO run_objects (run_seq, resource_id, version, action, outcome, finished_at) VALUES (1, 1, 'v1', 'create', 'progressing', 'x')`);
    // The references point at the new runs table: a run with results cannot go.
    expect(() => db.exec(`DELETE FROM runs WHERE seq = 1`)).toThrow(/FOREIGN KEY/);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('a migration that rebuilds a referenced table is rolled back when a foreign key would break, and foreign keys stay on', () => {
    const db = raw();
    db.pragma('foreign_keys = ON');
    const list: Migration[] = [
      { version: 1, name: 'one', steps: ['CREATE TABLE p (id INTEGER PRIMARY KEY)', 'CREATE TABLE c (p INTEGER REFERENCES p(id))', 'INSERT INTO p VALUES (1)', 'INSERT INTO c VALUES (1)'] },
      { version: 2, name: 'loses a parent', rebuildsReferencedTable: true, steps: ['CREATE TABLE p_new (id INTEGER PRIMARY KEY)', 'DROP TABLE p', 'ALTER TABLE p_new RENAME TO p'] },
    ];
    expect(() => migrate(db, { migrations: list, file: 'f.db' })).toThrow(/Migration 2 \(loses a parent\) of f\.db failed and was rolled back: 1 row\(s\) would break a foreign key \(first: c → p\)/);
    expect(schemaVersion(db)).toBe(1);
    expect(db.prepare('SELECT count(*) AS n FROM p').get()).toEqual({ n: 1 });
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('refuses a file written by a newer Slipway', () => {
    openHistory({ path: file }).close();
    const db = raw();
    db.prepare(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'from the future', '2030-01-01')`).run(LATEST_VERSION + 1);
    db.close();
    expect(() => openHistory({ path: file })).toThrow(expect.objectContaining({ code: 'history-too-new', message: expect.stringContaining(file) }));
  });

  it('rolls a failing migration back whole and names it', () => {
    const list: Migration[] = [
      { version: 1, name: 'one', steps: ['CREATE TABLE one (x INTEGER)'] },
      { version: 2, name: 'two', steps: ['CREATE TABLE two (x INTEGER)', 'CREATE TABLE one (x INTEGER)'] },
    ];
    const db = raw();
    let error: unknown;
    try {
      migrate(db, { migrations: list, file: 'the-file.db' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SlipwayError);
    expect(error).toMatchObject({ code: 'history-migration-failed', message: expect.stringMatching(/Migration 2 \(two\) of the-file\.db failed and was rolled back: table one already exists/) });
    expect(schemaVersion(db)).toBe(1);
    expect(tables(db)).toEqual(['one', 'schema_migrations']);
    db.close();
  });

  it('rejects a migration list with gaps', () => {
    const db = raw();
    expect(() => migrate(db, { migrations: [{ version: 2, name: 'x', steps: [] }] })).toThrow(/out of order/);
    db.close();
  });
});

describe('opening', () => {
  it('turns on WAL mode (it persists in the file) and writes through the -wal file', () => {
    const history = openHistory({ path: file });
    history.storeSnapshot({ kind: 'ConfigMap', data: { a: 'b' } });
    const db = raw();
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    const wal = openSync(`${file}-wal`, 'r');
    expect(readSync(wal, Buffer.alloc(32), 0, 32, 0)).toBe(32);
    closeSync(wal);
    history.close();
  });

  it('creates the file readable by its user only', () => {
    openHistory({ path: file }).close();
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('uses history.db in the user data folder by default, creating the folder', () => {
    const saved = process.env.SLIPWAY_DATA_DIR;
    process.env.SLIPWAY_DATA_DIR = join(dir, 'data', 'nested');
    try {
      const history = openHistory();
      expect(history.path).toBe(join(dir, 'data', 'nested', 'history.db'));
      history.close();
    } finally {
      if (saved === undefined) delete process.env.SLIPWAY_DATA_DIR;
      else process.env.SLIPWAY_DATA_DIR = saved;
    }
  });

  /** Overwrites bytes of the closed database file. */
  function clobber(offset: number, bytes: Buffer): void {
    const fd = openSync(file, 'r+');
    writeSync(fd, bytes, 0, bytes.length, offset);
    closeSync(fd);
  }

  /** A closed history with a few runs; returns the page size and the root page of a table or index. */
  function withRuns(btree: string): { pageSize: number; root: number } {
    const history = openHistory({ path: file });
    for (let i = 0; i < 5; i++) history.finishRun(history.startRun({ plan: testPlan(), kind: 'apply', user: { kube: 'admin' } }), { status: 'succeeded' });
    history.close();
    const db = raw();
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const root = db.prepare<[string], { rootpage: number }>(`SELECT rootpage FROM sqlite_schema WHERE name = ?`).get(btree)?.rootpage ?? 0;
    db.close();
    expect(root).toBeGreaterThan(1);
    return { pageSize, root };
  }

  it.each<[string, () => void, RegExp]>([
    ['a file that is not a database', () => writeFileSync(file, 'this is not a database, just text '.repeat(200)), /file is not a database \(SQLITE_NOTADB\)/],
    [
      'a table page overwritten with garbage',
      () => {
        const { pageSize, root } = withRuns('runs');
        clobber((root - 1) * pageSize, Buffer.alloc(64, 0xa5));
      },
      // SQLite either lists the damage or stops at it.
      /quick_check says: Tree \d+ page \d+|database disk image is malformed \(SQLITE_CORRUPT\)/,
    ],
    [
      'an index page that open never reads, with a bad page type',
      () => {
        const { pageSize, root } = withRuns('run_objects_by_resource');
        clobber((root - 1) * pageSize, Buffer.alloc(1, 0xff));
      },
      /SQLite's quick_check says: Tree \d+ page \d+: btreeInitPage\(\) returns error code 11/,
    ],
    [
      'a file cut short',
      () => {
        const { pageSize } = withRuns('runs');
        truncateSync(file, pageSize * 3);
      },
      /quick_check says|malformed/,
    ],
  ])('refuses %s with a history-corrupt error naming the file and what SQLite said', (_name, damage, said) => {
    damage();
    let error: unknown;
    try {
      openHistory({ path: file }).close();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SlipwayError);
    const e = error as SlipwayError;
    expect(e.code).toBe('history-corrupt');
    expect(e.message).toContain(file);
    expect(e.message).toMatch(said);
    expect(e.hint).toMatch(/Move .*history\.db aside/);
  });
});
