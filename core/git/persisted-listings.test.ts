import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestRepo, type TestRepo } from '../../test/support/git-repo.js';
import { checksum, DiskCache } from '../disk-cache/disk-cache.js';
import { diskCache, useDiskCache } from '../disk-cache/process.js';
import { GitCache } from './cache.js';
import { LISTING_NAMESPACE } from './persisted-listings.js';
import { openRepository } from './repository.js';
import type { Snapshot } from './types.js';

let tmp: string;
let repo: TestRepo;

beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'slipway-listings-'));
  repo = createTestRepo();
  const files: Record<string, string> = { 'README.md': 'x' };
  for (let ns = 0; ns < 6; ns++) for (let i = 0; i < 8; i++) files[`apps/web/ns-${ns}/cm-${i}.yaml`] = `kind: ConfigMap # ${ns} ${i}\n`;
  repo.write(files);
  repo.commit('files');
});
afterEach(() => {
  useDiskCache(undefined);
  repo.cleanup();
  rmSync(tmp, { recursive: true, force: true });
});

/** The app folder's snapshot as a new process takes it (its own memory cache, the disk cache opened anew), with the trees it read from Git. */
async function snapshotFresh(backend: 'git-cli' | 'isomorphic-git' = 'git-cli'): Promise<{ snapshot: Snapshot; treeReads: number; listings: number }> {
  useDiskCache(new DiskCache(join(tmp, 'cache.db')));
  const r = await openRepository(repo.dir, { cache: new GitCache(), backend });
  try {
    const snapshot = await r.snapshot(await r.resolve('HEAD'), 'apps/web');
    const stats = r.backendStats();
    return { snapshot, treeReads: stats.reads.tree, listings: stats.treeListings };
  } finally {
    await r.close();
  }
}

describe('tree listings in the disk cache', () => {
  it.each(['git-cli', 'isomorphic-git'] as const)('a second process lists the folder from disk, reading only the trees on the way to it (%s)', async (backend) => {
    const first = await snapshotFresh(backend);
    expect(first.snapshot.files).toHaveLength(48);
    expect(first.treeReads + first.listings).toBeGreaterThan(3);
    expect(diskCache()?.statistics()[LISTING_NAMESPACE]).toMatchObject({ writes: 1 });
    const second = await snapshotFresh(backend);
    expect(second.snapshot).toEqual(first.snapshot);
    // The root tree and apps/ (to find apps/web's oid); none of the seven folders under it.
    expect(second).toMatchObject({ treeReads: 2, listings: 0 });
    expect(diskCache()?.statistics()[LISTING_NAMESPACE]).toMatchObject({ hits: 1, writes: 0 });
  });

  it('lists from Git again, and records again, when the record was damaged', async () => {
    const first = await snapshotFresh();
    useDiskCache(undefined);
    const db = new Sqlite(join(tmp, 'cache.db'));
    // A right checksum over a value that is no listing (as a bug of an older version could write): read, then refused.
    const bad = '[["", "nope", "q"]]';
    db.prepare('UPDATE entries SET value = ?, sum = ? WHERE ns = ?').run(bad, checksum(bad), LISTING_NAMESPACE);
    db.close();
    const second = await snapshotFresh();
    expect(second.snapshot).toEqual(first.snapshot);
    expect(diskCache()?.statistics()[LISTING_NAMESPACE]).toMatchObject({ dropped: 1, writes: 1 });
    expect((await snapshotFresh()).treeReads).toBe(2);
  });
});
