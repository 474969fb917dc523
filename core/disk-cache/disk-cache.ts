/**
 * A cache on disk that several processes share (two `slipway plan` at once, the desktop app and a
 * CLI): one SQLite file in the user's cache folder, in WAL mode, so readers never wait for a writer
 * and a write is all or nothing (SQLite's journal does what "write a temporary file, then rename"
 * does for one file, for a whole batch of entries). Values are strings under a namespace and a key;
 * what they mean, and the version of that meaning, is the caller's (the namespace names it).
 *
 * It is only ever a cache: every failure — the file cannot be opened or is not a database, a lock
 * held too long, a full disk — makes it answer "not cached" or skip the write, never an error of
 * the command. An entry whose checksum does not match is dropped as if absent (the caller then
 * computes and writes it again); a file SQLite calls corrupt is deleted and started afresh once.
 * Its size is bounded: past `maxBytes`, the least recently used entries go.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import Sqlite from 'better-sqlite3';
import type { Database, Statement } from 'better-sqlite3';

/** The table's layout; a file with another one is emptied and set up again. */
const SCHEMA_VERSION = 2;
const DEFAULT_MAX_BYTES = 512 * 1024 * 1024;
/** A hit refreshes an entry's last use at most this often: a read is then almost never a write. */
const TOUCH_AFTER_MS = 60 * 60 * 1000;
/** Eviction leaves this share of maxBytes, so the next writes do not evict again at once. */
const EVICT_TO = 0.8;
/** How long a writer waits for another process's write before skipping its own. */
const BUSY_TIMEOUT_MS = 2_000;

export interface DiskCacheOptions {
  /** Bytes of values to keep (default 512 MiB). */
  readonly maxBytes?: number;
  /** The clock, for tests of last use. */
  readonly now?: () => number;
}

export interface NamespaceStats {
  hits: number;
  misses: number;
  writes: number;
  /** Entries dropped because their checksum did not match (or the caller could not read them). */
  dropped: number;
}

interface Row {
  readonly key: string;
  readonly value: string;
  readonly sum: number;
  readonly used: number;
}

const CORRUPT = /^SQLITE_(CORRUPT|NOTADB)/;

/**
 * FNV-1a over the value's UTF-16 code units: it catches damage (a flipped bit, a torn page) at a
 * tenth of a cryptographic hash's cost per entry — a second process checks thousands of entries.
 * The file is the user's own, so nobody forges a matching sum.
 */
export function checksum(value: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class DiskCache {
  private db: Database | undefined;
  private readonly statements = new Map<string, Statement>();
  private readonly stats = new Map<string, NamespaceStats>();
  private readonly maxBytes: number;
  private readonly now: () => number;
  /** Bytes this process wrote since it last looked at the total. */
  private written = 0;
  private recreated = false;

  constructor(
    readonly file: string,
    opts: DiskCacheOptions = {},
  ) {
    this.maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
    this.now = opts.now ?? Date.now;
    this.db = this.open();
  }

  /** False when the file could not be opened: every read misses and writes are skipped. */
  get available(): boolean {
    return this.db !== undefined;
  }

  private open(): Database | undefined {
    let db: Database | undefined;
    try {
      mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
      db = new Sqlite(this.file, { timeout: BUSY_TIMEOUT_MS });
      db.pragma('journal_mode = WAL');
      // A cache may lose its last writes in a power cut; it is rebuilt from the repository and the cluster.
      db.pragma('synchronous = NORMAL');
      const opened = db;
      // Checked and set up inside one write transaction: two processes opening a new file do it once.
      opened
        .transaction(() => {
          if (opened.pragma('user_version', { simple: true }) === SCHEMA_VERSION) return;
          opened.exec(`DROP TABLE IF EXISTS entries;
            CREATE TABLE entries (ns TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, sum INTEGER NOT NULL, bytes INTEGER NOT NULL, used INTEGER NOT NULL, PRIMARY KEY (ns, key));
            CREATE INDEX entries_used ON entries (used);
            PRAGMA user_version = ${SCHEMA_VERSION};`);
        })
        .immediate();
      return db;
    } catch (e) {
      try {
        db?.close();
      } catch {
        // already unusable
      }
      return this.recover(e);
    }
  }

  /** A file SQLite calls corrupt (or no database at all) is deleted and made again, once per process. */
  private recover(e: unknown): Database | undefined {
    const code = e instanceof Sqlite.SqliteError ? e.code : undefined;
    if (this.recreated || !code || !CORRUPT.test(code)) return undefined;
    this.recreated = true;
    for (const suffix of ['', '-wal', '-shm']) rmSync(this.file + suffix, { force: true });
    return this.open();
  }

  /** Runs a statement; any SQLite failure makes the cache answer `fallback` (and a corrupt file is replaced). */
  private guard<T>(fallback: T, fn: (db: Database) => T): T {
    const db = this.db;
    if (!db) return fallback;
    try {
      return fn(db);
    } catch (e) {
      const code = e instanceof Sqlite.SqliteError ? e.code : undefined;
      if (code && CORRUPT.test(code)) {
        this.close();
        this.db = this.recover(e);
      }
      return fallback;
    }
  }

  private stmt(db: Database, sql: string): Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  private statsOf(ns: string): NamespaceStats {
    let s = this.stats.get(ns);
    if (!s) {
      s = { hits: 0, misses: 0, writes: 0, dropped: 0 };
      this.stats.set(ns, s);
    }
    return s;
  }

  get(ns: string, key: string): string | undefined {
    return this.getMany(ns, [key]).get(key);
  }

  /** The entries found among `keys`; an entry whose checksum does not match is deleted and left out. */
  getMany(ns: string, asked: readonly string[]): Map<string, string> {
    const found = new Map<string, string>();
    const stats = this.statsOf(ns);
    const keys = [...new Set(asked)];
    if (keys.length === 0) return found;
    this.guard(undefined, (db) => {
      // One query for all the keys (json_each): a thousand point lookups cost four times as much.
      const select = this.stmt(db, 'SELECT key, value, sum, used FROM entries WHERE ns = ? AND key IN (SELECT value FROM json_each(?))');
      const bad: string[] = [];
      const stale: string[] = [];
      const now = this.now();
      for (const row of select.all(ns, JSON.stringify(keys)) as Row[]) {
        const { key } = row;
        if (checksum(row.value) !== row.sum) {
          bad.push(key);
          continue;
        }
        found.set(key, row.value);
        if (now - row.used > TOUCH_AFTER_MS) stale.push(key);
      }
      if (bad.length > 0) this.drop(ns, bad);
      if (stale.length > 0) {
        const touch = this.stmt(db, 'UPDATE entries SET used = ? WHERE ns = ? AND key = ?');
        db.transaction(() => stale.forEach((key) => touch.run(now, ns, key)))();
      }
    });
    stats.hits += found.size;
    stats.misses += keys.length - found.size;
    return found;
  }

  /** Writes the entries in one transaction (all or none), then evicts if the file grew past its bound. */
  putMany(ns: string, entries: Iterable<readonly [key: string, value: string]>): void {
    const list = [...entries];
    if (list.length === 0) return;
    const ok = this.guard(false, (db) => {
      const insert = this.stmt(db, 'INSERT OR REPLACE INTO entries (ns, key, value, sum, bytes, used) VALUES (?, ?, ?, ?, ?, ?)');
      const now = this.now();
      db.transaction(() => {
        for (const [key, value] of list) insert.run(ns, key, value, checksum(value), Buffer.byteLength(value), now);
      })();
      return true;
    });
    if (!ok) return;
    this.statsOf(ns).writes += list.length;
    for (const [, value] of list) this.written += value.length;
    // Summing the sizes reads the whole index: only after this process wrote a tenth of the bound.
    if (this.written > this.maxBytes / 10) this.evict();
  }

  put(ns: string, key: string, value: string): void {
    this.putMany(ns, [[key, value]]);
  }

  /** Forgets entries (a value the caller found unusable, a discovery the server contradicted). */
  drop(ns: string, keys: readonly string[]): void {
    this.guard(undefined, (db) => {
      const del = this.stmt(db, 'DELETE FROM entries WHERE ns = ? AND key = ?');
      db.transaction(() => keys.forEach((key) => del.run(ns, key)))();
    });
    this.statsOf(ns).dropped += keys.length;
  }

  /** Deletes the least recently used entries until the values' bytes are under EVICT_TO of the bound. */
  evict(): void {
    this.written = 0;
    this.guard(undefined, (db) => {
      const total = (this.stmt(db, 'SELECT total(bytes) AS n FROM entries').get() as { n: number }).n;
      if (total <= this.maxBytes) return;
      let excess = total - this.maxBytes * EVICT_TO;
      const oldest = this.stmt(db, 'SELECT rowid AS id, bytes FROM entries ORDER BY used LIMIT 256');
      const del = this.stmt(db, 'DELETE FROM entries WHERE rowid = ?');
      db.transaction(() => {
        while (excess > 0) {
          const rows = oldest.all() as { id: number; bytes: number }[];
          if (rows.length === 0) break;
          for (const r of rows) {
            if (excess <= 0) break;
            del.run(r.id);
            excess -= r.bytes;
          }
        }
      })();
    });
  }

  /** What this process asked and wrote, by namespace (tests and the CLI's SLIPWAY_CACHE_STATS). */
  statistics(): Record<string, NamespaceStats> {
    return Object.fromEntries([...this.stats].map(([ns, s]) => [ns, { ...s }]));
  }

  close(): void {
    this.statements.clear();
    const db = this.db;
    this.db = undefined;
    try {
      db?.close();
    } catch {
      // closing a cache cannot fail a command
    }
  }
}
