import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEAVY_IO_TIMEOUT } from '../../test/support/timeouts.js';
import { createTestRepo, type TestRepo } from '../../test/support/git-repo.js';
import type { BackendKind, BackendStats } from './backend.js';
import { GitCache, LruMap } from './cache.js';
import { openRepository, type GitRepository } from './repository.js';
import type { CommitRevision, Snapshot } from './types.js';

describe('LruMap', () => {
  it('evicts the least recently used entries once the byte budget is exceeded', () => {
    const lru = new LruMap<string>(100);
    lru.set('a', 'A', 40);
    lru.set('b', 'B', 40);
    expect(lru.get('a')).toBe('A'); // a is now the most recent
    lru.set('c', 'C', 40); // 120 > 100: evicts b, the least recent
    expect([lru.has('a'), lru.has('b'), lru.has('c')]).toEqual([true, false, true]);
    expect(lru.bytes).toBe(80);
    expect([lru.hits, lru.misses]).toEqual([1, 0]);
    expect(lru.get('b')).toBeUndefined();
    expect(lru.misses).toBe(1);
  });

  it('replaces an entry in place and never keeps one larger than the budget', () => {
    const lru = new LruMap<string>(100);
    lru.set('a', 'A', 30);
    lru.set('a', 'A2', 50);
    expect([lru.get('a'), lru.bytes, lru.size]).toEqual(['A2', 50, 1]);
    lru.set('huge', 'H', 101);
    expect([lru.has('huge'), lru.has('a')]).toEqual([false, true]);
  });
});

describe('GitCache', () => {
  it('bounds blob contents by bytes (default 256 MiB) and skips blobs larger than an eighth of it', () => {
    const cache = new GitCache({ maxBlobBytes: 8000 });
    cache.setBlob('big', new Uint8Array(1001));
    cache.setBlob('small', new Uint8Array(999));
    expect(cache.getBlob('big')).toBeUndefined();
    expect(cache.getBlob('small')?.byteLength).toBe(999);
    for (let i = 0; i < 20; i++) cache.setBlob(`b${i}`, new Uint8Array(900));
    expect(cache.stats().blobs.bytes).toBeLessThanOrEqual(8000);
    expect(cache.getBlob('b19')).toBeDefined();
    expect(cache.getBlob('b0')).toBeUndefined();
  });
});

const backends: BackendKind[] = ['isomorphic-git', 'git-cli'];

/** Every tree and blob oid reachable from a commit (root tree included), as git lists them. */
function objectsOf(repo: TestRepo, rev: string): Set<string> {
  const out = new Set([repo.git('rev-parse', `${rev}^{tree}`)]);
  for (const line of repo.git('ls-tree', '-r', '-t', rev).split('\n')) out.add(line.split(/\s+/)[2] ?? '');
  return out;
}

function typesOf(repo: TestRepo, oids: Iterable<string>): { tree: number; blob: number } {
  const n = { tree: 0, blob: 0 };
  for (const oid of oids) n[repo.git('cat-file', '-t', oid) as 'tree' | 'blob']++;
  return n;
}

function delta(after: BackendStats, before: BackendStats): { blob: number; tree: number; commit: number; treeListings: number } {
  return {
    blob: after.reads.blob - before.reads.blob,
    tree: after.reads.tree - before.reads.tree,
    commit: after.reads.commit - before.reads.commit,
    treeListings: after.treeListings - before.treeListings,
  };
}

async function readAll(repo: GitRepository, snap: Snapshot): Promise<void> {
  await Promise.all(snap.files.map((f) => repo.readFile(snap, f)));
}

describe.each(backends)('reading neighbouring revisions (%s backend)', (backend) => {
  let t: TestRepo;
  let old: string;
  let next: string;
  beforeAll(() => {
    t = createTestRepo({ prefix: 'slipway-cache-' });
    const files: Record<string, string> = {};
    // 6 teams × 6 environments: 44 folders, enough for the git CLI backend to list the cold tree in one go.
    for (const team of ['payments', 'search', 'web', 'billing', 'auth', 'data']) {
      for (const env of ['dev', 'prod', 'staging', 'qa', 'perf', 'canary']) {
        for (const kind of ['deploy', 'service', 'config']) files[`apps/${team}/${env}/${kind}.yaml`] = `kind: ${kind}\nmetadata: {name: ${team}-${env}}\n`;
      }
    }
    files['README.md'] = '# platform\n';
    t.write(files);
    old = t.commit('old');
    // The neighbour changes two files in two folders and adds one.
    t.write({
      'apps/search/prod/deploy.yaml': 'kind: deploy\nmetadata: {name: search-prod}\nspec: {replicas: 9}\n',
      'apps/web/dev/config.yaml': 'kind: config\ndata: {debug: "true"}\n',
      'apps/web/dev/extra.yaml': 'kind: extra\n',
    });
    next = t.commit('next');
  });
  afterAll(() => t.cleanup());

  it('reads only the trees and blobs that differ, and the commit', async () => {
    const repo = await openRepository(t.dir, { backend, cache: new GitCache() });
    try {
      const a = await repo.resolve(old);
      const beforeA = repo.backendStats();
      await readAll(repo, await repo.snapshot(a, ''));
      const cold = delta(repo.backendStats(), beforeA);
      const all = typesOf(t, objectsOf(t, old));
      expect(cold.blob).toBe(all.blob);
      // The git CLI reads the root, apps/ and the 6 team folders (finding nothing below cached), then
      // lists the rest in one `git ls-tree -r`; isomorphic-git reads each tree.
      if (backend === 'git-cli') expect([cold.tree, cold.treeListings]).toEqual([8, 1]);
      else expect([cold.tree, cold.treeListings]).toEqual([all.tree, 0]);

      const before = repo.backendStats();
      const b = (await repo.resolve(next)) as CommitRevision;
      await readAll(repo, await repo.snapshot(b, ''));
      const warm = delta(repo.backendStats(), before);
      const oldObjects = objectsOf(t, old);
      const changed = typesOf(t, [...objectsOf(t, next)].filter((o) => !oldObjects.has(o)));
      expect(changed).toEqual({ tree: 6, blob: 3 }); // root, apps, apps/search, apps/search/prod, apps/web, apps/web/dev
      expect(warm).toEqual({ ...changed, commit: 1, treeListings: 0 });
    } finally {
      await repo.close();
    }
  }, HEAVY_IO_TIMEOUT);

  it('shares the cache across Repository instances: a second instance reads nothing already cached', async () => {
    const cache = new GitCache();
    const first = await openRepository(t.dir, { backend, cache });
    const second = await openRepository(t.dir, { backend, cache });
    try {
      await readAll(first, await first.snapshot(await first.resolve(old), 'apps'));
      const snap = await second.snapshot({ kind: 'commit', oid: old, shortOid: old.slice(0, 7), refs: [], subject: '', message: '', author: { name: '', email: '', time: '' } }, 'apps');
      await readAll(second, snap);
      expect(second.backendStats().reads).toEqual({ blob: 0, tree: 0, commit: 0, tag: 0 });
      expect(second.backendStats().treeListings).toBe(0);
      expect(cache.stats().listings.hits).toBeGreaterThan(0);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('re-reads blobs after they are evicted (the cache is a bound, not a leak)', async () => {
    const repo = await openRepository(t.dir, { backend, cache: new GitCache({ maxBlobBytes: 8 * 100 }) });
    try {
      const snap = await repo.snapshot(await repo.resolve(old), '');
      await readAll(repo, snap);
      const before = repo.backendStats().reads.blob;
      await readAll(repo, snap);
      expect(repo.backendStats().reads.blob - before).toBeGreaterThan(0);
    } finally {
      await repo.close();
    }
  });
});
