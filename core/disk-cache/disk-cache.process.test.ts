/**
 * The disk cache shared by real, separate processes writing at the same time (children run
 * test/support/disk-cache-child.ts under tsx). Runs in the `tooling` project, whose timeout is
 * sized to process starts on a busy machine.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiskCache } from './disk-cache.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CHILD = join(ROOT, 'test/support/disk-cache-child.ts');
/** How long the writers write at the same time. */
const OVERLAP_MS = 1500;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'slipway-disk-cache-proc-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

type Outcome = { rounds: number; wrong: number; skipped: number; available: boolean };

function writer(file: string, who: string, startAt: number): Promise<Outcome> {
  return new Promise((done, fail) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, 'write', file, who, String(startAt), String(OVERLAP_MS)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.on('data', (b: Buffer) => (out += b.toString()));
    proc.stderr.on('data', (b: Buffer) => (err += b.toString()));
    proc.on('close', (code) => (code === 0 && out.includes('DONE') ? done(JSON.parse(out.split('\n')[0]!) as Outcome) : fail(new Error(`writer ${who} exited ${code}: ${err}`))));
  });
}

describe('disk cache shared by processes', () => {
  it('two processes writing and reading the same file at once: no error, no wrong value, a sound file holding both', async () => {
    const file = join(dir, 'cache.db');
    // Both start writing at the same moment, well after both processes have started.
    const startAt = Date.now() + 8_000;
    const [a, b] = await Promise.all([writer(file, 'a', startAt), writer(file, 'b', startAt)]);
    expect(a).toMatchObject({ wrong: 0, skipped: 0, available: true });
    expect(b).toMatchObject({ wrong: 0, skipped: 0, available: true });
    expect(Math.min(a.rounds, b.rounds)).toBeGreaterThan(10);
    const db = new Sqlite(file, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
    const cache = new DiskCache(file);
    try {
      const keys = [...Array.from({ length: a.rounds }, (_, r) => `a-${r}-7`), ...Array.from({ length: b.rounds }, (_, r) => `b-${r}-7`)];
      expect(cache.getMany('test/1', keys).size).toBe(keys.length);
    } finally {
      cache.close();
    }
  });
});
