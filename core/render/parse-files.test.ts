import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestRepo, type TestRepo } from '../../test/support/git-repo.js';
import { DiskCache } from '../disk-cache/disk-cache.js';
import { diskCache, useDiskCache } from '../disk-cache/process.js';
import { GitCache } from '../git/cache.js';
import { openRepository } from '../git/repository.js';
import { PARSED_NAMESPACE } from './parse-files.js';
import { clearRenderCaches, renderApp, type RenderableApp } from './render.js';

const SECRET_VALUE = 'correct-horse-battery-staple';
const app: RenderableApp = { name: 'web', path: 'app', source: { type: 'directory' }, destination: { namespace: 'shop' } };

let tmp: string;
let repo: TestRepo;
let cacheFile: string;

beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'slipway-parse-files-'));
  cacheFile = join(tmp, 'cache.db');
  repo = createTestRepo();
  repo.write({
    'app/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {level: info}\n',
    'app/deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 2}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}\n',
    'app/copy/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {level: info}\n',
    'app/secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nstringData: {password: ${SECRET_VALUE}}\n`,
    'app/sops.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: enc}\ndata: {token: ENC[AES256_GCM,data:${SECRET_VALUE}]}\nsops: {version: 3.9.0}\n`,
  });
  repo.commit('app');
});
afterEach(() => {
  useDiskCache(undefined);
  clearRenderCaches();
  repo.cleanup();
  rmSync(tmp, { recursive: true, force: true });
});

/** A render as a new process does it: empty memory caches, the disk cache opened anew. */
async function renderFresh(): Promise<{ objects: unknown; stats: ReturnType<DiskCache['statistics']>[string] | undefined }> {
  clearRenderCaches();
  useDiskCache(new DiskCache(cacheFile));
  const r = await openRepository(repo.dir, { cache: new GitCache() });
  try {
    const rendered = await renderApp(r, await r.resolve('HEAD'), app, { cacheDir: join(tmp, 'trees') });
    return { objects: rendered.objects, stats: diskCache()?.statistics()[PARSED_NAMESPACE] };
  } finally {
    await r.close();
  }
}

describe('parsed files in the disk cache', () => {
  it('a second process takes every file but the Secret and SOPS ones from disk, with the same objects and locations', async () => {
    const first = await renderFresh();
    // Five files, four blobs (the copy has the same bytes): the ConfigMap and the Deployment+Service are written.
    expect(first.stats).toEqual({ hits: 0, misses: 4, writes: 2, dropped: 0 });
    const second = await renderFresh();
    expect(second.stats).toEqual({ hits: 2, misses: 2, writes: 0, dropped: 0 });
    expect(second.objects).toEqual(first.objects);
  });

  it('never writes a Secret or a SOPS file to disk', async () => {
    await renderFresh();
    await renderFresh();
    useDiskCache(undefined);
    const bytes = readFileSync(cacheFile);
    expect(bytes.includes(SECRET_VALUE)).toBe(false);
    const db = new Sqlite(cacheFile, { readonly: true });
    try {
      const values = (db.prepare('SELECT value FROM entries').all() as { value: string }[]).map((r) => r.value);
      expect(values.length).toBeGreaterThan(0);
      expect(values.join('\n')).not.toContain(SECRET_VALUE);
      expect(values.join('\n')).not.toMatch(/"kind":"Secret"/);
    } finally {
      db.close();
    }
  });

  it('parses again, and writes again, a record that was damaged on disk', async () => {
    const first = await renderFresh();
    useDiskCache(undefined);
    const db = new Sqlite(cacheFile);
    db.prepare("UPDATE entries SET value = replace(value, 'settings', 'tampered')").run();
    db.close();
    const second = await renderFresh();
    expect(second.stats).toMatchObject({ hits: 1, dropped: 1, writes: 1 });
    expect(second.objects).toEqual(first.objects);
    expect((await renderFresh()).stats).toMatchObject({ hits: 2, dropped: 0 });
  });
});
