import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiskCache } from './disk-cache.js';

let dir: string;
let file: string;
const opened: DiskCache[] = [];
const open = (opts: ConstructorParameters<typeof DiskCache>[1] = {}): DiskCache => {
  const c = new DiskCache(file, opts);
  opened.push(c);
  return c;
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'slipway-disk-cache-'));
  file = join(dir, 'sub', 'cache.db');
});
afterEach(() => {
  for (const c of opened.splice(0)) c.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('DiskCache', () => {
  it('keeps entries by namespace and key across openings of the file', () => {
    const a = open();
    a.putMany('parse/1', [
      ['k1', 'one'],
      ['k2', 'two'],
    ]);
    a.put('other/1', 'k1', 'elsewhere');
    a.close();
    const b = open();
    expect(b.getMany('parse/1', ['k1', 'k2', 'k3'])).toEqual(new Map([['k1', 'one'], ['k2', 'two']]));
    expect(b.get('other/1', 'k1')).toBe('elsewhere');
    expect(b.statistics()).toEqual({ 'parse/1': { hits: 2, misses: 1, writes: 0, dropped: 0 }, 'other/1': { hits: 1, misses: 0, writes: 0, dropped: 0 } });
  });

  it('ignores an entry whose bytes changed on disk, deletes it, and takes it again when written', () => {
    const a = open();
    a.put('parse/1', 'k', '{"objects":[]}');
    const raw = new Sqlite(file);
    raw.prepare("UPDATE entries SET value = '{\"objects\":[1]}' WHERE key = 'k'").run();
    raw.close();
    expect(a.get('parse/1', 'k')).toBeUndefined();
    expect(a.statistics()['parse/1']).toMatchObject({ misses: 1, dropped: 1 });
    a.put('parse/1', 'k', '{"objects":[]}');
    expect(a.get('parse/1', 'k')).toBe('{"objects":[]}');
  });

  it('replaces a file that is not a database, and works', () => {
    mkdirSync(join(dir, 'sub'));
    writeFileSync(file, 'this is not a SQLite database, just bytes '.repeat(200));
    const c = open();
    expect(c.available).toBe(true);
    c.put('parse/1', 'k', 'v');
    expect(c.get('parse/1', 'k')).toBe('v');
  });

  it('answers "not cached" instead of failing when the file cannot be made', () => {
    writeFileSync(join(dir, 'sub'), 'a file where the folder should be');
    const c = open();
    expect(c.available).toBe(false);
    c.put('parse/1', 'k', 'v');
    expect(c.get('parse/1', 'k')).toBeUndefined();
  });

  it('empties a file written with another table layout (its version is in the file)', () => {
    const a = open();
    a.put('parse/1', 'k', 'v');
    a.close();
    const raw = new Sqlite(file);
    raw.pragma('user_version = 999');
    raw.close();
    expect(open().get('parse/1', 'k')).toBeUndefined();
  });

  it('stays under its bound: the least recently used entries go first', () => {
    let now = 0;
    const c = open({ maxBytes: 1000, now: () => now });
    for (let i = 0; i < 8; i++) {
      now = i * 2 * 3_600_000; // hours apart, so a read refreshes last use
      c.put('parse/1', `k${i}`, 'x'.repeat(100));
    }
    now += 3_600_001;
    expect(c.get('parse/1', 'k0')).toBeDefined(); // k0 is used again: now the newest
    for (let i = 8; i < 12; i++) {
      now += 3_600_001;
      c.put('parse/1', `k${i}`, 'x'.repeat(100));
    }
    c.evict();
    const left = [...c.getMany('parse/1', Array.from({ length: 12 }, (_, i) => `k${i}`)).keys()];
    expect(left.length * 100).toBeLessThanOrEqual(800);
    expect(left).toContain('k0');
    expect(left).toContain('k11');
    expect(left).not.toContain('k1');
  });
});

