/**
 * The disk cache as users meet it: separate `slipway` processes (the built CLI) sharing the user's
 * cache folder. A second command reads the parsed files, the folder's listing and git's version the first one
 * wrote (SLIPWAY_CACHE_STATS says what each process asked and wrote), processes writing at once
 * leave a sound file, and a Secret's value is never in it.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';

const root = new URL('../..', import.meta.url).pathname;
const SECRET_VALUE = 'plaintext-4f1c9e-never-cached';
const FILES = 40;

interface Stats {
  readonly available: boolean;
  readonly namespaces: Record<string, { hits: number; misses: number; writes: number; dropped: number }>;
}

let tmp: string;
let repo: TestRepo;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'slipway-cli-disk-cache-'));
  repo = createTestRepo();
  const files: Record<string, string> = {
    'app/secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: shop}\nstringData: {password: ${SECRET_VALUE}}\n`,
  };
  for (let i = 0; i < FILES; i++) files[`app/cm-${String(i).padStart(2, '0')}.yaml`] = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-${i}, namespace: shop}\ndata: {index: "${i}"}\n`;
  repo.write(files);
  repo.commit('app');
});
afterAll(() => {
  repo.cleanup();
  rmSync(tmp, { recursive: true, force: true });
});

/** `slipway render` of the app in its own process, with the cache in `cacheDir`. */
function render(cacheDir: string, statsFile: string): Promise<{ status: number | null; stdout: string; stderr: string; stats: Stats }> {
  const env = { ...process.env, SLIPWAY_APP_CACHE_DIR: cacheDir, SLIPWAY_CACHE_STATS: statsFile, NO_COLOR: '1' };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`${root}bin/slipway.js`, 'render', '--repo', repo.dir, '--path', 'app', '-n', 'shop'], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr, stats: JSON.parse(readFileSync(statsFile, 'utf8')) as Stats }));
  });
}

const parsed = (s: Stats) => Object.entries(s.namespaces).find(([ns]) => ns.startsWith('parsed/'))?.[1];
const listings = (s: Stats) => s.namespaces['git-listing/1'];

describe('the disk cache shared by slipway processes', () => {
  it('a second process takes every parsed file but the Secret, and the listing, from the first one', async () => {
    const cache = join(tmp, 'second');
    const first = await render(cache, join(tmp, 'first.json'));
    expect(first.status, first.stderr).toBe(0);
    expect(first.stats.available).toBe(true);
    expect(parsed(first.stats)).toEqual({ hits: 0, misses: FILES + 1, writes: FILES, dropped: 0 });
    expect(listings(first.stats)).toMatchObject({ hits: 0, writes: 1 });

    const second = await render(cache, join(tmp, 'second.json'));
    expect(second.status, second.stderr).toBe(0);
    expect(parsed(second.stats)).toEqual({ hits: FILES, misses: 1, writes: 0, dropped: 0 });
    expect(listings(second.stats)).toMatchObject({ hits: 1, writes: 0 });
    // `git --version` is not run again for the same git.
    expect(first.stats.namespaces['git-version/1']).toMatchObject({ hits: 0, writes: 1 });
    expect(second.stats.namespaces['git-version/1']).toMatchObject({ hits: 1, writes: 0 });
    expect(second.stdout).toBe(first.stdout);
    expect(second.stderr).toBe(first.stderr);

    for (const name of ['cache.db', 'cache.db-wal']) {
      const file = join(cache, name);
      if (existsSync(file)) expect(readFileSync(file).includes(SECRET_VALUE), `${name} holds the Secret's value`).toBe(false);
    }
  });

  it('three processes writing the same entries at once leave a sound file that a fourth reads whole', async () => {
    const cache = join(tmp, 'concurrent');
    const runs = await Promise.all([0, 1, 2].map((i) => render(cache, join(tmp, `concurrent-${i}.json`))));
    for (const r of runs) expect(r.status, r.stderr).toBe(0);
    expect(new Set(runs.map((r) => r.stdout)).size).toBe(1);
    // Every process wrote what it parsed, or found it already written by another.
    for (const r of runs) expect(parsed(r.stats)!.hits + parsed(r.stats)!.writes).toBe(FILES);

    const db = new Sqlite(join(cache, 'cache.db'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
    const after = await render(cache, join(tmp, 'concurrent-after.json'));
    expect(parsed(after.stats)).toEqual({ hits: FILES, misses: 1, writes: 0, dropped: 0 });
    expect(after.stdout).toBe(runs[0]!.stdout);
  });

  it('SLIPWAY_DISK_CACHE=off writes nothing', async () => {
    const cache = join(tmp, 'off');
    const env = { ...process.env, SLIPWAY_APP_CACHE_DIR: cache, SLIPWAY_DISK_CACHE: 'off' };
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, [`${root}bin/slipway.js`, 'render', '--repo', repo.dir, '--path', 'app', '-n', 'shop'], { env, stdio: 'ignore' });
      child.on('error', reject);
      child.on('close', (status) => (status === 0 ? resolve() : reject(new Error(`exit ${status}`))));
    });
    expect(existsSync(join(cache, 'cache.db'))).toBe(false);
  });
});
